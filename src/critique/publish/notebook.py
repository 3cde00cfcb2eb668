"""A notebook as the runner reads it: the project's kernel, every cell with a tags list.

Shared by :mod:`critique.publish.parameters` (which inspects the parameters cell) and
:mod:`critique.publish.runner` (which executes the notebook), so that neither imports the other.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from critique.core.errors import RunError

if TYPE_CHECKING:
    import nbformat

KERNEL_NAME = "critique"


def read_notebook(notebook: Path) -> "nbformat.NotebookNode":
    """A notebook as the runner executes it: project kernelspec, every cell with a tags list."""
    if not Path(notebook).exists():
        raise RunError(f"{notebook}: notebook not found")
    return _read_notebook_bytes(Path(notebook).read_bytes(), notebook)


def _read_notebook_bytes(data: bytes, notebook: Path) -> "nbformat.NotebookNode":
    import nbformat  # imported late: it pulls in jsonschema, seconds of start-up an unchanged build skips

    try:
        nb = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:
        raise RunError(f"{notebook}: not a readable notebook ({exc})") from None
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "critique (project)", "language": "python"}
    for cell in nb.cells:  # papermill's own loader does the same
        cell.metadata.setdefault("tags", [])
    return nb
