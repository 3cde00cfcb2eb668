"""Run a notebook safely: validated parameters, the project's kernel, atomic output.

papermill alone only warns on unknown parameters (papermill issue 667), trusts the kernel name stored
in the notebook (818), resolves paths from wherever it is started (251, 316) and can leave a
half-written output. This module closes those gaps:

- every requested parameter is checked **before any cell runs** (:mod:`critique.publish.parameters`:
  unknown names, wrong types, non-finite numbers, values outside a declared range or choices, and
  a list declared ``sum: >0`` that is empty or sums to zero);
- it always runs with the project's kernel (``critique``, installed into the running environment
  when missing) and the project root as working directory, with a per-cell timeout;
- it executes into a temporary folder beside the target and renames it into place only on
  success, with the permissions the user's umask gives; every way a run can fail (a cell error,
  a timeout, a dead kernel, an interrupt) becomes one line naming the notebook and the cell, keeps
  the partially executed notebook in ``<target>.failed/`` and never touches the last good output.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from critique.publish import findings
from critique.datasets import paths
from critique.errors import ParameterError, RunError  # noqa: F401  (re-exported)
from critique.publish.notebook import KERNEL_NAME, _read_notebook_bytes, read_notebook  # noqa: F401
from critique.publish.parameters import (  # noqa: F401  (re-exported: the runner's public interface)
    ParameterSpec, coerce_value, load_param_set, notebook_parameters, parse_cli_value, validate_parameters)

DEFAULT_CELL_TIMEOUT_S = 600


def code_fingerprint() -> str:
    """A hash of the ``critique`` package source and of the installed versions of its main
    dependencies (a change of either re-runs the reports: an upgrade of pandas can change a number)."""
    from critique.publish.findings import package_versions

    digest = hashlib.sha256(json.dumps(package_versions(), sort_keys=True).encode())
    pkg = paths.package_dir()
    for file in sorted(pkg.rglob("*")):
        if file.is_file() and file.suffix in {".py", ".mplstyle", ".csv", ".yml", ".html"} \
                and "__pycache__" not in file.parts:
            digest.update(str(file.relative_to(pkg)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


@dataclass
class RunResult:
    """What a run produced."""

    notebook: str
    out_dir: Path
    skipped: bool = False
    figures: list[dict[str, Any]] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)


def ensure_kernel() -> None:
    """Install the ``critique`` kernelspec into this environment when it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
        if Path(spec.argv[0]).exists() and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve() \
                and "--IPKernelApp.log_level=CRITICAL" in spec.argv:
            return
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    dest = install(kernel_name=KERNEL_NAME, display_name="critique (project)", prefix=sys.prefix)
    spec_file = Path(dest) / "kernel.json"
    spec = json.loads(spec_file.read_text())
    # The kernel's start-up warnings (TCP transport, KeyboardInterrupt on shutdown) are noise in a report build.
    spec["argv"] = [a for a in spec["argv"] if not a.startswith("--IPKernelApp.log_level")] + \
        ["--IPKernelApp.log_level=CRITICAL"]
    spec_file.write_text(json.dumps(spec, indent=1))


def _input_fingerprint(out_dir: Path) -> list[dict[str, str]]:
    """Current sha256 of the inputs the last good run of this notebook read."""
    previous = out_dir / "findings.json"
    if not previous.exists():
        return []
    from critique.datasets.fingerprints import current_sha256

    inputs = json.loads(previous.read_text(encoding="utf-8")).get("inputs", [])
    current = []
    for item in inputs:
        try:
            ref = f"{item['id']}@{item['release']}" if item.get("release") else item["id"]
            current.append({"id": ref, "sha256": current_sha256(ref)})
        except Exception:
            current.append({"id": item["id"], "sha256": "unavailable"})
    return current


def run_key(notebook: Path | bytes, params: Mapping[str, Any], out_dir: Path, code: str | None = None) -> str:
    """What decides whether a run is stale: source, parameters, inputs' checksums, package code.

    ``notebook`` is the notebook's path or the bytes that were executed.
    """
    source = notebook if isinstance(notebook, bytes) else Path(notebook).read_bytes()
    payload = {
        "notebook": hashlib.sha256(source).hexdigest(),
        "parameters": params,
        "inputs": _input_fingerprint(out_dir),
        "code": code or code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def is_up_to_date(notebook: Path | str, params: Mapping[str, Any], out_dir: Path | str,
                  code: str | None = None) -> bool:
    """Whether ``out_dir`` already holds a good run of exactly this notebook, parameters, inputs and code.

    Cheap (no notebook parsing): an unchanged report build skips validation and kernels entirely.
    Parameters are compared as given; values that only validation would coerce (``2`` for ``2.0``)
    fall through to a full check in :func:`run_notebook`, which then skips too.
    """
    notebook, out_dir = Path(notebook), Path(out_dir)
    key_file = out_dir / ".run-key"
    if not key_file.exists() or not (out_dir / "findings.json").exists() or not notebook.exists():
        return False
    key = run_key(notebook.read_bytes(), dict(params), out_dir, code or code_fingerprint())
    return key_file.read_text().strip() == key


def run_notebook(
    notebook: Path | str,
    params: Mapping[str, Any] | None = None,
    out_dir: Path | str | None = None,
    *,
    timeout: int = DEFAULT_CELL_TIMEOUT_S,
    force: bool = True,
    code: str | None = None,
    html: bool = True,
) -> RunResult:
    """Validate, execute into a temporary folder, and move the result into ``out_dir`` on success.

    ``out_dir`` receives ``<stem>.ipynb``, ``<stem>.html`` (no code cells), ``figures/`` and
    ``findings.json``. With ``force=False`` a run whose :func:`run_key` is unchanged is skipped.
    """
    notebook = Path(notebook)
    if not notebook.is_absolute():
        notebook = (Path.cwd() / notebook) if (Path.cwd() / notebook).exists() else paths.root() / notebook
    params = dict(params or {})
    checked = validate_parameters(notebook, params)  # refuse before anything runs or is written
    stem = notebook.stem
    out_dir = Path(out_dir) if out_dir else paths.reports_dir() / "runs" / stem
    code = code or code_fingerprint()
    source_bytes = notebook.read_bytes()  # the key describes exactly what was executed
    key = run_key(source_bytes, checked, out_dir, code)
    key_file = out_dir / ".run-key"
    if not force and key_file.exists() and key_file.read_text().strip() == key \
            and (out_dir / "findings.json").exists():
        return _result(stem, out_dir, skipped=True)

    import papermill as pm

    ensure_kernel()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = make_staging(out_dir)
    source = staging / f".{stem}.source.ipynb"
    import nbformat

    nbformat.write(_read_notebook_bytes(source_bytes, notebook), str(source))
    executed = staging / f"{stem}.ipynb"
    try:
        with paths.environment(**kernel_environment(staging)), _quiet_client_log():
            pm.execute_notebook(
                str(source), str(executed), parameters=checked, kernel_name=KERNEL_NAME,
                cwd=str(paths.root()), execution_timeout=timeout, progress_bar=False,
                log_output=False, report_mode=False,
            )
    except KeyboardInterrupt:
        source.unlink(missing_ok=True)
        message = failure_message(notebook.name, KeyboardInterrupt(), executed, timeout)
        if executed.exists():
            raise Interrupted(str(keep_failed(staging, out_dir, message, executed.name))) from None
        shutil.rmtree(staging, ignore_errors=True)
        raise Interrupted(f"{message} (last good output untouched)") from None
    except BaseException as exc:  # a cell error, a timeout, a dead kernel, a kernel that never started
        source.unlink(missing_ok=True)
        if isinstance(exc, SystemExit):
            shutil.rmtree(staging, ignore_errors=True)
            raise
        message = failure_message(notebook.name, exc, executed, timeout)
        raise keep_failed(staging, out_dir, message, executed.name) from None
    source.unlink(missing_ok=True)
    finish_run(staging, executed, notebook, source_bytes, checked, code, out_dir, html=html)
    return _result(stem, out_dir)


@contextlib.contextmanager
def _quiet_client_log() -> Iterator[None]:
    """nbclient logs a timeout ("Timeout waiting for execute reply") before raising it; the runner
    reports every failure in one line of its own, so the client's log is silenced while it runs."""
    import logging

    loggers = [logging.getLogger(name) for name in ("traitlets", "papermill", "NotebookClient")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


class Interrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C or SIGTERM; the message names the notebook, the cell and what was kept."""


def _umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def make_staging(out_dir: Path) -> Path:
    """A fresh staging folder beside ``out_dir`` with the permissions a normal ``mkdir`` would give.

    ``tempfile.mkdtemp`` makes a private (0700) folder; renamed into place it would make a report
    unreadable in a shared or web folder, so its mode is set from the user's umask (0755 under 022).
    """
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~_umask())
    return staging


def _failed_cell(executed: Path) -> tuple[int | None, str]:
    """The index and first source line of the cell a partial papermill notebook stopped in."""
    import nbformat

    try:
        nb = nbformat.read(str(executed), as_version=4)
    except Exception:
        return None, ""
    index = None
    for i, cell in enumerate(nb.cells):
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        if cell.cell_type == "code" and status not in (None, "pending"):
            index = i
        if status == "failed":
            break
    if index is None:
        return None, ""
    first = next((line.strip() for line in nb.cells[index].source.splitlines() if line.strip()), "")
    return index, (first[:60] + "...") if len(first) > 60 else first


def failure_message(notebook_name: str, exc: BaseException, executed: Path, timeout: int) -> str:
    """One line for any way a run can fail: which notebook, which cell, what happened."""
    index = getattr(exc, "cell_index", None)
    first = ""
    if executed.exists():
        found, first = _failed_cell(executed)
        index = found if index is None else index
    where = f"cell {index}" + (f" ({first})" if first else "") if index is not None else "before any cell ran"
    what = failure_reason(exc, timeout)
    return f"{notebook_name}: {where} {what}"


def failure_reason(exc: BaseException, timeout: int) -> str:
    """What went wrong, in words: interrupted, timed out, kernel died, or the cell's error."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    if isinstance(exc, (CellTimeoutError, TimeoutError)):
        return f"timed out after {timeout} s (raise --timeout, or use smaller parameters)"
    if isinstance(exc, DeadKernelError):
        return "stopped: the kernel died (out of memory, or killed)"
    if getattr(exc, "ename", None):
        evalue = str(getattr(exc, "evalue", "") or "").strip()
        return f"failed: {exc.ename}" + (f": {evalue.splitlines()[-1][:400]}" if evalue else "")
    text = str(exc).strip()
    return f"failed: {type(exc).__name__}" + (f": {text.splitlines()[-1][:400]}" if text else "")


def recover(out_dir: Path) -> list[Path]:
    """After a run was killed from outside (a stopped worker): tidy what it left beside ``out_dir``.

    A staging folder holding a partial notebook becomes ``<out_dir>.failed`` (others are removed);
    a last good output moved aside by an interrupted swap is put back. Returns the removed or moved
    folders.
    """
    out_dir = Path(out_dir)
    touched: list[Path] = []
    if not out_dir.parent.is_dir():
        return touched
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*"))
    if olds and not out_dir.exists():
        os.replace(olds[-1], out_dir)
        touched.append(olds[-1])
    for old in out_dir.parent.glob(f".{out_dir.name}.old-*"):
        shutil.rmtree(old, ignore_errors=True)
        touched.append(old)
    stagings = sorted(out_dir.parent.glob(f".{out_dir.name}.*.tmp"), key=lambda p: p.stat().st_mtime)
    for staging in stagings:
        partial = [f for f in staging.glob("*.ipynb") if not f.name.startswith(".")]
        if partial and staging == stagings[-1]:
            failed = out_dir.parent / f"{out_dir.name}.failed"
            shutil.rmtree(failed, ignore_errors=True)
            os.replace(staging, failed)
        else:
            shutil.rmtree(staging, ignore_errors=True)
        touched.append(staging)
    return touched


def kernel_environment(staging: Path) -> dict[str, str]:
    """What a notebook's kernel needs to know: where to write, where the project is, inline figures."""
    return {"CRITIQUE_OUTPUT_DIR": str(staging), "CRITIQUE_ROOT": str(paths.root()),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def keep_failed(staging: Path, out_dir: Path, message: str, executed_name: str) -> RunError:
    """Move a failed run's staging folder to ``<out_dir>.failed`` and return the error to raise."""
    failed = out_dir.parent / f"{out_dir.name}.failed"
    shutil.rmtree(failed, ignore_errors=True)
    os.replace(staging, failed)
    return RunError(f"{message} (partial notebook kept in {failed / executed_name}; "
                    "last good output untouched)")


def finish_run(staging: Path, executed: Path, notebook: Path, source_bytes: bytes,
               params: Mapping[str, Any], code: str, out_dir: Path, *, html: bool = True) -> None:
    """Complete an executed run in ``staging`` and move it into ``out_dir``.

    Writes ``findings.json``, the HTML page without code, and the run key (computed on what this
    run actually read, so the next check compares like with like), then swaps the folder in.
    """
    findings.finalise(staging, notebook=str(notebook.relative_to(paths.root()))
                      if notebook.is_relative_to(paths.root()) else notebook.name, parameters=dict(params))
    if html:
        from critique.publish.pages import notebook_html

        (staging / f"{notebook.stem}.html").write_text(notebook_html(executed), encoding="utf-8")
    (staging / ".run-key").write_text(run_key(source_bytes, params, staging, code))
    swap_into_place(staging, out_dir)


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; the old copy goes only after the new lands."""
    old = None
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(out_dir.parent / f"{out_dir.name}.failed", ignore_errors=True)


def _result(stem: str, out_dir: Path, skipped: bool = False) -> RunResult:
    figs = []
    for sidecar in sorted((out_dir / "figures").glob("*.json")):
        figs.append(json.loads(sidecar.read_text(encoding="utf-8")))
    found = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    return RunResult(stem, out_dir, skipped=skipped, figures=figs, findings=found)
