"""A run's key numbers, written to ``findings.json`` beside its outputs.

Inside a notebook, ``record(key, value)`` stores a number (or a short list or dict of numbers) and
``critique.datasets.load`` notes each input's id and sha256. Both are kept in
``<output dir>/.findings.partial.json``, rewritten atomically on every call, because the notebook's
kernel and the runner are separate processes. The runner then writes the final ``findings.json``::

    {"notebook", "parameters", "inputs": [{"id", "release", "sha256"}], "findings": {...}, "versions": {...}}

The keys inside ``findings`` are each notebook's documented interface: tests and briefings read them.
"""
from __future__ import annotations

import json
import math
from importlib import metadata
from pathlib import Path
from typing import Any

from critique import paths
from critique.atomicio import write_json_atomic

PARTIAL_NAME = ".findings.partial.json"
VERSIONED_PACKAGES = ("critique-suite", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
                      "papermill", "pandera", "country_converter", "pooch")


def _partial_path() -> Path:
    return paths.output_dir() / PARTIAL_NAME


def _jsonable(value: Any) -> Any:
    """Numbers as plain floats/ints (NaN -> None), containers recursively."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 0) == 0:
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        seq = value.tolist() if hasattr(value, "tolist") else value
        return [_jsonable(v) for v in seq]
    raise TypeError(f"findings: cannot store a value of type {type(value).__name__}: {value!r}")


def _read_partial() -> dict[str, Any]:
    path = _partial_path()
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"findings": {}, "notes": {}, "inputs": []}


def record(key: str, value: Any, note: str | None = None) -> Any:
    """Store one key number of this run (and return it, so a cell can show it)."""
    if not key or not isinstance(key, str):
        raise ValueError(f"findings.record: key must be a non-empty string, got {key!r}")
    state = _read_partial()
    state["findings"][key] = _jsonable(value)
    if note:
        state["notes"][key] = note
    write_json_atomic(_partial_path(), state)
    return value


def note_input(dataset_id: str, sha256: str, release: str | None = None) -> None:
    """Remember that this run read a dataset (called by ``critique.datasets.load``).

    ``release`` names the catalogue release read (``"2025-04-14"``); it is stored only when given,
    and two releases of one source are two inputs.
    """
    state = _read_partial()
    if not any(i["id"] == dataset_id and i.get("release") == release for i in state["inputs"]):
        item = {"id": dataset_id, "sha256": sha256}
        if release:
            item["release"] = release
        state["inputs"].append(item)
        write_json_atomic(_partial_path(), state)


def current() -> dict[str, Any]:
    """What has been recorded so far in this output folder."""
    return _read_partial()


def package_versions() -> dict[str, str]:
    """Versions of the suite and its main dependencies, for reproducibility."""
    out = {}
    for name in VERSIONED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    import platform

    out["python"] = platform.python_version()
    return out


def finalise(output_dir: Path, notebook: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Turn the partial file of a finished run into ``findings.json`` (called by the runner)."""
    partial = output_dir / PARTIAL_NAME
    state = json.loads(partial.read_text(encoding="utf-8")) if partial.exists() else {
        "findings": {}, "notes": {}, "inputs": []}
    payload = {
        "notebook": notebook,
        "parameters": _jsonable(parameters),
        "inputs": state["inputs"],
        "findings": state["findings"],
        "notes": state.get("notes", {}),
        "versions": package_versions(),
    }
    write_json_atomic(output_dir / "findings.json", payload)
    partial.unlink(missing_ok=True)
    return payload
