"""What a run has read and recorded so far: the run record in its output folder.

A notebook's kernel and the runner are separate processes, so the run record is a small JSON file,
``<output dir>/.findings.partial.json``, rewritten atomically on every change. This module owns that
file: :func:`note_input` is called by :func:`critique.datasets.load` for every dataset read (id,
release, sha256), and :mod:`critique.publish.findings` adds the run's key numbers to the same record
and turns it into ``findings.json`` when the run ends. Keeping the file here lets the data layer
note its inputs without importing the publishing layer.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from critique.core.atomicio import write_json_atomic
from critique.datasets import paths

PARTIAL_NAME = ".findings.partial.json"


def partial_path(output_dir: Path | None = None) -> Path:
    """The run record of ``output_dir`` (default: the running notebook's output folder)."""
    return (output_dir if output_dir is not None else paths.output_dir()) / PARTIAL_NAME


def read_state(output_dir: Path | None = None) -> dict[str, Any]:
    """The run record: ``{"findings": {...}, "notes": {...}, "inputs": [...]}`` (empty if none yet)."""
    path = partial_path(output_dir)
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"findings": {}, "notes": {}, "inputs": []}


def write_state(state: dict[str, Any]) -> None:
    """Replace the running notebook's run record atomically."""
    write_json_atomic(partial_path(), state)


def note_input(dataset_id: str, sha256: str, release: str | None = None) -> None:
    """Remember that this run read a dataset (called by ``critique.datasets.load``).

    ``release`` names the catalogue release read (``"2025-04-14"``); it is stored only when given,
    and two releases of one source are two inputs.
    """
    state = read_state()
    if not any(i["id"] == dataset_id and i.get("release") == release for i in state["inputs"]):
        item = {"id": dataset_id, "sha256": sha256}
        if release:
            item["release"] = release
        state["inputs"].append(item)
        write_state(state)


def inputs() -> list[dict[str, Any]]:
    """The datasets this run has read so far: ``[{"id", "sha256", "release"?}, ...]``."""
    return list(read_state().get("inputs", []))
