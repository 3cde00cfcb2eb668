"""How a failed run is told: the cell that was running, what happened, in one line.

papermill records each cell's ``start_time`` when it starts and ``end_time`` when it ends, and
after a cell times out it marks every later cell "completed" with no start time (its
``notebook_complete`` clean-up). Before issue 30 the runner took the last cell not "pending" and so
named the notebook's last code cell after a timeout (notebook 40's failure blamed cell 20 when
cell 15 had run 600 s). :func:`running_cell` applies papermill's own record instead:

1. a cell marked ``failed`` (an error in it);
2. else a code cell with a start time and no end time (the run was killed inside it);
3. else the last code cell with a start time (a timeout or an interrupt: papermill closes the
   running cell's times on the way out, and no later cell ever started);
4. else, for a notebook without papermill's record, the last code cell with an execution count.

The line, the ``.failed/`` notebook (a note in the cell's outputs and in the notebook's metadata)
and the report index all carry the same cell. Paths of the building machine are taken out of what
a reader sees (:func:`scrub_text`, :func:`scrub_notebook`).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Iterable

TIMEOUT_HINT = "give cells more time: --timeout SECONDS, or make reports TIMEOUT=SECONDS"


def running_cell(nb: Any) -> int | None:
    """The index of the cell a partial papermill notebook stopped in (rules in the module docstring)."""
    code = [(i, c) for i, c in enumerate(nb.cells) if c.get("cell_type") == "code"]
    meta = [(i, c.get("metadata", {}).get("papermill", {}) or {}) for i, c in code]
    for i, pm in meta:
        if pm.get("status") == "failed" or pm.get("exception"):
            return i
    started = [(i, pm) for i, pm in meta if pm.get("start_time")]
    open_cells = [i for i, pm in started if not pm.get("end_time")]
    if open_cells:
        return open_cells[-1]
    if started:
        return started[-1][0]
    counted = [i for i, c in code if c.get("execution_count")]
    return counted[-1] if counted else None


def _first_line(cell: Any) -> str:
    first = next((line.strip() for line in str(cell.get("source", "")).splitlines() if line.strip()), "")
    return (first[:60] + "...") if len(first) > 60 else first


def cell_label(nb: Any, index: int | None) -> str:
    """``cell 15 (r = mse.many_methods(...))`` or "before any cell ran"."""
    if index is None:
        return "before any cell ran"
    first = _first_line(nb.cells[index])
    return f"cell {index}" + (f" ({first})" if first else "")


def read_partial(executed: Path) -> Any | None:
    """The partial notebook papermill wrote, or None when there is none or it cannot be read."""
    import nbformat

    if not Path(executed).exists():
        return None
    try:
        return nbformat.read(str(executed), as_version=4)
    except Exception:
        return None


def failure_reason(exc: BaseException, timeout: int) -> str:
    """What went wrong, in words: interrupted, timed out, kernel died, or the cell's error."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, (CellTimeoutError, TimeoutError)):
        return f"timed out after {timeout} s ({TIMEOUT_HINT})"
    if isinstance(exc, DeadKernelError):
        return "stopped: the kernel died (out of memory, or killed)"
    if getattr(exc, "ename", None):
        evalue = str(getattr(exc, "evalue", "") or "").strip()
        return f"failed: {exc.ename}" + (f": {evalue.splitlines()[-1][:400]}" if evalue else "")
    text = str(exc).strip()
    return f"failed: {type(exc).__name__}" + (f": {text.splitlines()[-1][:400]}" if text else "")


def failure_message(notebook_name: str, exc: BaseException, executed: Path, timeout: int) -> str:
    """One line for any way a run can fail: which notebook, which cell, what happened.

    Also writes the same line into the partial notebook (when there is one): as an error output
    of the cell that was running and under ``metadata.critique.failure``.
    """
    nb = read_partial(executed)
    reason = failure_reason(exc, timeout)
    if nb is None:
        where = "before any cell ran (while starting the kernel)" if not Path(executed).exists() \
            else "in an unreadable partial notebook"
        return f"{notebook_name}: {where} {reason}"
    index = running_cell(nb)
    label = cell_label(nb, index)
    shown = getattr(exc, "cell_index", None)  # papermill's error: the index in the notebook as written
    if index is not None and isinstance(shown, int) and shown != index:
        label = label.replace(f"cell {index}", f"cell {shown}", 1)  # papermill inserted error cells above
    line = f"{notebook_name}: {label} {reason}"
    mark_failure(nb, index, line)
    import nbformat

    nbformat.write(nb, str(executed))
    return line


def mark_failure(nb: Any, index: int | None, line: str) -> None:
    """Note ``line`` in the notebook's metadata and as an output of the cell that was running."""
    import nbformat

    nb.metadata.setdefault("critique", {})["failure"] = line
    if index is not None:
        cell = nb.cells[index]
        cell.metadata.setdefault("critique", {})["stopped_here"] = True
        cell.setdefault("outputs", []).append(nbformat.v4.new_output(
            "stream", name="stderr", text=f"critique: the run stopped in this cell: {line}\n"))


def machine_prefixes(extra: Iterable[Path | str] = ()) -> list[tuple[str, str]]:
    """(absolute prefix, replacement) pairs for paths of the building machine, longest first."""
    from critique.datasets import paths

    pairs = [(str(p), "") for p in extra if p]
    pairs += [(str(paths.root()), "<project>"), (sys.prefix, "<python>"), (sys.base_prefix, "<python>")]
    home = os.path.expanduser("~")
    if home and home != "/":
        pairs.append((home, "~"))
    out = []
    for prefix, repl in pairs:
        for variant in {prefix, os.path.realpath(prefix)}:
            if len(variant) > 1:
                out.append((variant.rstrip("/"), repl))
    return sorted(set(out), key=lambda pr: -len(pr[0]))


def scrub_text(text: str, prefixes: list[tuple[str, str]]) -> str:
    """``text`` with each absolute prefix replaced (``<project>/src/x.py``; an output folder's own
    path becomes relative)."""
    for prefix, repl in prefixes:
        if prefix in text:
            text = text.replace(prefix + "/", (repl + "/") if repl else "").replace(prefix, repl or ".")
    return text


def _scrub(value: Any, prefixes: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        return scrub_text(value, prefixes)
    if isinstance(value, list):
        return [_scrub(v, prefixes) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, prefixes) for k, v in value.items()}
    return value


def scrub_notebook(executed: Path, extra: Iterable[Path | str] = (), input_path: str | None = None) -> None:
    """Rewrite an executed notebook without the building machine's paths (outputs, tracebacks,
    papermill's input/output paths and working folder), so its page and copy can be published.

    ``extra``: further absolute folders (the run's staging folder) shown relative; ``input_path``:
    the notebook as the reader should see it named (``notebooks/10-x.ipynb``).
    """
    import nbformat

    nb = read_partial(executed)
    if nb is None:
        return
    prefixes = machine_prefixes(extra)
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [nbformat.from_dict(_scrub(dict(o), prefixes)) for o in cell.get("outputs", [])]
    if "papermill" in nb.metadata:
        nb.metadata["papermill"] = nbformat.from_dict(_scrub(dict(nb.metadata["papermill"]), prefixes))
        if input_path is not None:
            nb.metadata["papermill"]["input_path"] = input_path
            nb.metadata["papermill"]["output_path"] = Path(executed).name
    if "critique" in nb.metadata:
        nb.metadata["critique"] = nbformat.from_dict(_scrub(dict(nb.metadata["critique"]), prefixes))
    nbformat.write(nb, str(executed))
