"""A run's key numbers, written to ``findings.json`` beside its outputs.

Inside a notebook, ``record(key, value)`` stores a number (or a short list or dict of numbers) and
``critique.datasets.load`` notes each input's id and sha256 (:mod:`critique.datasets.provenance`).
Both are kept in ``<output dir>/.findings.partial.json``, rewritten atomically on every call, because the notebook's
kernel and the runner are separate processes. The runner then writes the final ``findings.json``::

    {"notebook", "parameters", "inputs": [{"id", "release", "sha256"}], "findings": {...}, "versions": {...}}

The keys inside ``findings`` are each notebook's documented interface: tests and briefings read them.
"""
from __future__ import annotations

import json
import math
from importlib import metadata
from pathlib import Path
from collections.abc import Mapping
from typing import Any

from critique.core.atomicio import write_json_atomic
from critique.datasets import provenance
from critique.datasets.provenance import PARTIAL_NAME, note_input  # noqa: F401  (re-exported)

VERSIONED_PACKAGES = ("critique-suite", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
                      "papermill", "pandera", "country_converter", "pooch",
                      "pyfixest", "arviz", "networkx", "pyarrow", "openpyxl", "python-calamine")


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


def record(key: str, value: Any, note: str | None = None) -> Any:
    """Store one key number of this run (and return it, so a cell can show it)."""
    if not key or not isinstance(key, str):
        raise ValueError(f"findings.record: key must be a non-empty string, got {key!r}")
    state = provenance.read_state()
    state["findings"][key] = _jsonable(value)
    if note:
        state["notes"][key] = note
    provenance.write_state(state)
    return value


def record_all(*sources: Any) -> None:
    """Record every finding of each source, in order; ``None`` sources are skipped (a section not run).

    A source is an analysis object with ``record(recorder)`` (``critique.core.results.RecordsFindings``),
    an object whose ``findings()`` method or ``findings`` attribute is a mapping of key to value, or such a
    mapping itself. Raises ``TypeError`` naming the source's type for anything else.
    """
    for source in sources:
        if source is None:
            continue
        if callable(getattr(source, "record", None)):
            source.record(record)
            continue
        items = source if isinstance(source, Mapping) else getattr(source, "findings", None)
        items = items() if callable(items) else items
        if not isinstance(items, Mapping):
            raise TypeError(f"findings.record_all: cannot record findings of a {type(source).__name__}")
        for key, value in items.items():
            record(key, value)

def current() -> dict[str, Any]:
    """What has been recorded so far in this output folder."""
    return provenance.read_state()


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


def _suite_version() -> str:
    from critique import __version__

    return __version__


def finalise(output_dir: Path, notebook: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Turn the partial file of a finished run into ``findings.json`` (called by the runner)."""
    partial = provenance.partial_path(output_dir)
    state = provenance.read_state(output_dir)
    payload = {
        "notebook": notebook,
        "critique_version": _suite_version(),
        "parameters": _jsonable(parameters),
        "inputs": state["inputs"],
        "findings": state["findings"],
        "notes": state.get("notes", {}),
        "versions": package_versions(),
    }
    write_json_atomic(output_dir / "findings.json", payload)
    partial.unlink(missing_ok=True)
    return payload
