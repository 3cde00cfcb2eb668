"""A notebook as the runner reads it: the project's kernel, every cell with a tags list.

Shared by :mod:`critique.publish.parameters` (which inspects the parameters cell) and
:mod:`critique.publish.runner` (which executes the notebook), so that neither imports the other;
also the papermill engine that records each cell's CPU time and can print a line as it starts.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

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



def _kernel_cpu_s() -> float | None:
    """CPU seconds used so far by this process's kernel(s) and everything they started (pool workers
    alive now, and those already waited for); None without psutil or a kernel."""
    try:
        import psutil

        total, found = 0.0, False
        for proc in psutil.Process().children():
            if "ipykernel" not in " ".join(proc.cmdline()[:4]):
                continue
            found = True
            t = proc.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
            for child in proc.children(recursive=True):
                c = child.cpu_times()
                total += c.user + c.system
        return total if found else None
    except Exception:  # a process that ended while it was read
        return None


def cell_engine(stem: str, progress: bool = False, write: "Callable[[str], None] | None" = None) -> str:
    """Register (once per notebook name) a papermill engine that records each code cell's kernel CPU
    seconds in the executed notebook (``cell.metadata.critique.cpu_s``, beside papermill's wall
    times: the machine may be shared, so wall time alone says little) and, with ``progress``, writes
    one line as each code cell starts: the notebook, the time since it started, ``cell i/n`` and the
    cell's first line, so a long build shows which cell it is in (issue 29: a bar sat at "10/11" for
    nine minutes). Returns the engine name for ``papermill.execute_notebook(engine_name=...)``;
    ``write`` defaults to one flushed line on stdout (a pool worker's is the terminal's; stderr keeps
    the progress bar and the one line a failure gives)."""
    import time

    from papermill.engines import NBClientEngine, papermill_engines

    out = write or (lambda line: print(line, flush=True))

    class _Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):  # noqa: ANN001, ANN206
            code = [i for i, c in enumerate(nb_man.nb.cells) if c.get("cell_type") == "code"]
            started = time.monotonic()
            cell_start, cell_complete = nb_man.cell_start, nb_man.cell_complete
            cpu_at_start: dict[int, float | None] = {}

            def start(cell, cell_index=None, **kw):  # noqa: ANN001, ANN202
                if cell_index in code:
                    if progress:
                        first = next((ln.strip() for ln in str(cell.source).splitlines() if ln.strip()), "")
                        spent = int(time.monotonic() - started)
                        out(f"  {stem} {spent // 60}:{spent % 60:02d}  cell {code.index(cell_index) + 1}/{len(code)}"
                            f"  {first[:60]}")
                    cpu_at_start[cell_index] = _kernel_cpu_s()
                return cell_start(cell, cell_index, **kw)

            def complete(cell, cell_index=None, **kw):  # noqa: ANN001, ANN202
                before, now = cpu_at_start.get(cell_index), _kernel_cpu_s()
                if before is not None and now is not None:
                    cell.metadata.setdefault("critique", {})["cpu_s"] = round(max(now - before, 0.0), 2)
                return cell_complete(cell, cell_index, **kw)

            nb_man.cell_start, nb_man.cell_complete = start, complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    name = f"critique-{'progress' if progress else 'cells'}-{stem}"
    papermill_engines.register(name, _Engine)
    return name
