"""Write a file so that a reader never sees half of it: a temporary file beside it, then a rename.

Every generated output (findings, report index, guide, profile index) goes through here, so a run
that fails half-way keeps the last good file.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_text_atomic(target: Path, text: str) -> Path:
    """Write ``text`` to ``target`` atomically; the file is readable by all (reports are for reading)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes files private
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def write_json_atomic(target: Path, payload: Any) -> Path:
    """Write ``payload`` as indented UTF-8 JSON, atomically."""
    return write_text_atomic(target, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
