"""Run a notebook safely: validated parameters, the project's kernel, atomic output.

papermill alone only warns on unknown parameters (papermill issue 667), trusts the kernel name stored
in the notebook (818), resolves paths from wherever it is started (251, 316) and can leave a
half-written output. This module closes those gaps:

- every requested parameter is checked **before any cell runs** (:mod:`critique.publish.parameters`:
  unknown names, wrong types, non-finite numbers, values outside a declared range or choices, and
  a list declared ``sum: >0`` that is empty or sums to zero);
- it always runs with the project's kernel (``critique``, installed into the running environment
  when missing) and the project root as working directory, with a per-cell timeout;
- it never deletes what it did not write: the output folder must be missing, empty or an
  earlier output of the same notebook, and one build at a time writes it (a lock beside it);
  see :mod:`critique.publish.outdirs`;
- it executes into a temporary folder beside the target and renames it into place only on
  success, with the permissions the user's umask gives; every way a run can fail (a cell error,
  a timeout, a dead kernel, an interrupt) becomes one line naming the notebook and the cell that
  was running (:mod:`critique.publish.failures`), keeps the partially executed notebook in
  ``<target>.failed/`` and never touches the last good output;
- the executed notebook and its page carry no path of the building machine.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from critique.datasets import paths
from critique.core.errors import ParameterError, RunError  # noqa: F401  (re-exported)
from critique.publish import findings, outdirs
from critique.publish.failures import failure_message, failure_reason, scrub_notebook  # noqa: F401  (re-exported)
from critique.core import i18n
from critique.publish.i18n import translate_notebook
from critique.publish.notebook import KERNEL_NAME, _read_notebook_bytes, cell_engine, read_notebook  # noqa: F401
from critique.publish.outdirs import check_out_dir, folder_lock, make_staging  # noqa: F401  (re-exported)
from critique.publish.parameters import (  # noqa: F401  (re-exported: the runner's public interface)
    ParameterSpec, coerce_value, load_param_set, notebook_parameters, parse_cli_params, parse_cli_value,
    validate_parameters)

DEFAULT_CELL_TIMEOUT_S = 600


def code_fingerprint() -> str:
    """A hash of the ``critique`` package source and of the installed versions of its main
    dependencies (a change of either re-runs the reports: an upgrade of pandas can change a number)."""
    from critique.publish.findings import package_versions

    digest = hashlib.sha256(json.dumps(package_versions(), sort_keys=True).encode())
    pkg = paths.package_dir()
    for file in sorted(pkg.rglob("*")):
        if file.is_file() and file.suffix in {".py", ".mplstyle", ".csv", ".yml", ".html", ".po"} \
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
        "lang": i18n.current(),
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
    progress: bool = False,
) -> RunResult:
    """Validate, execute into a temporary folder, and move the result into ``out_dir`` on success.

    ``out_dir`` receives ``<stem>.ipynb``, ``<stem>.html`` (no code cells), ``figures/`` and
    ``findings.json``. With ``force=False`` a run whose :func:`run_key` is unchanged is skipped.
    With ``progress``, one line on stdout as each code cell starts
    (:func:`critique.publish.notebook.cell_engine`, which also records each cell's CPU seconds).
    """
    notebook = resolve_notebook(notebook)
    check_timeout(timeout)
    params = dict(params or {})
    checked = validate_parameters(notebook, params)  # refuse before anything runs or is written
    stem = notebook.stem
    out_dir = Path(out_dir) if out_dir else paths.reports_dir() / "runs" / stem
    check_out_dir(out_dir, stem)  # never delete what a run did not write
    with folder_lock(out_dir):
        outdirs.clean_stale(out_dir)  # what a killed build left beside this folder
        return _run_locked(notebook, checked, out_dir, timeout=timeout, force=force, code=code, html=html,
                           progress=progress)


def resolve_notebook(notebook: Path | str) -> Path:
    """A notebook path as given, else from the current folder, else from the project root."""
    notebook = Path(notebook)
    if not notebook.is_absolute():
        notebook = (Path.cwd() / notebook) if (Path.cwd() / notebook).exists() else paths.root() / notebook
    return notebook


def check_timeout(timeout: object) -> int:
    """A per-cell timeout must be a whole number of seconds above 0 (``ParameterError`` otherwise)."""
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise ParameterError(f"--timeout {timeout!r}: expected a whole number of seconds, at least 1")
    return timeout


def _run_locked(notebook: Path, checked: dict[str, Any], out_dir: Path, *, timeout: int, force: bool,
                code: str | None, html: bool, progress: bool = False) -> RunResult:
    stem = notebook.stem
    code = code or code_fingerprint()
    source_bytes = notebook.read_bytes()  # the key describes exactly what was executed
    key = run_key(source_bytes, checked, out_dir, code)
    key_file = out_dir / ".run-key"
    if not force and key_file.exists() and key_file.read_text().strip() == key \
            and (out_dir / "findings.json").exists():
        return _result(stem, out_dir, skipped=True)

    import papermill as pm

    ensure_kernel()
    staging = make_staging(out_dir)
    source = staging / f".{stem}.source.ipynb"
    import nbformat

    readable = _read_notebook_bytes(source_bytes, notebook)
    translate_notebook(readable)  # the reader's language: markdown cells from the catalogue
    nbformat.write(readable, str(source))
    executed = staging / f"{stem}.ipynb"
    try:
        with paths.environment(**kernel_environment(staging)), _quiet_client_log():
            pm.execute_notebook(
                str(source), str(executed), parameters=checked, kernel_name=KERNEL_NAME,
                cwd=str(paths.root()), execution_timeout=timeout, progress_bar=False,
                log_output=False, report_mode=False,
                engine_name=cell_engine(stem, progress),
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


def recover(out_dir: Path, keep_partial: bool = True) -> list[Path]:
    """After a run was killed from outside (a stopped worker): tidy what it left beside ``out_dir``.

    With ``keep_partial``, the newest staging folder holding a partial notebook becomes
    ``<out_dir>.failed`` (others are removed);
    a last good output moved aside by an interrupted swap is put back. Skipped (returns ``[]``)
    when another build holds the folder's lock: its staging folders are its own. Returns the
    removed or moved folders.
    """
    out_dir = Path(out_dir)
    if not out_dir.parent.is_dir() or not (outdirs.stale(out_dir) or outdirs.lock_path(out_dir).exists()):
        return []
    try:
        with folder_lock(out_dir):
            return outdirs.clean_stale(out_dir, keep_partial=keep_partial)
    except outdirs.FolderBusy:
        return []


def kernel_environment(staging: Path) -> dict[str, str]:
    """What a notebook's kernel needs to know: where to write, where the project is, inline figures."""
    return {"CRITIQUE_OUTPUT_DIR": str(staging), "CRITIQUE_ROOT": str(paths.root()),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline"}


def keep_failed(staging: Path, out_dir: Path, message: str, executed_name: str) -> RunError:
    """Move a failed run's staging folder to ``<out_dir>.failed`` and return the error to raise.

    The partial notebook loses the building machine's paths first; the error's line names where
    it was kept (the command line is the user's own machine, so the path is shown there).
    """
    with contextlib.suppress(Exception):
        scrub_notebook(staging / executed_name, extra=[staging])
    failed = outdirs.move_failed(staging, out_dir)
    return RunError(f"{message} (partial notebook kept in {failed / executed_name}; "
                    "last good output untouched)")


def finish_run(staging: Path, executed: Path, notebook: Path, source_bytes: bytes,
               params: Mapping[str, Any], code: str, out_dir: Path, *, html: bool = True) -> None:
    """Complete an executed run in ``staging`` and move it into ``out_dir``.

    Writes ``findings.json``, the HTML page without code, the run key (computed on what this run
    actually read, so the next check compares like with like) and the list of files the run wrote
    (``.critique-output.json``: what a later run may replace), then swaps the folder in. The
    executed notebook, and so its page, loses the building machine's paths first.
    """
    relative = str(notebook.relative_to(paths.root())) if notebook.is_relative_to(paths.root()) \
        else notebook.name
    findings.finalise(staging, notebook=relative, parameters=dict(params))
    scrub_notebook(executed, extra=[staging], input_path=relative)
    if html:
        from critique.publish.pages import notebook_html

        from critique.publish.table_headers import translate_headers

        (staging / f"{notebook.stem}.html").write_text(translate_headers(notebook_html(executed)), encoding="utf-8")
    (staging / ".run-key").write_text(run_key(source_bytes, params, staging, code))
    outdirs.write_manifest(staging, notebook.stem)
    outdirs.swap_into_place(staging, out_dir, notebook.stem)


def swap_into_place(staging: Path, out_dir: Path, stem: str | None = None) -> None:
    """Replace ``out_dir`` by ``staging`` (see :func:`critique.publish.outdirs.swap_into_place`)."""
    outdirs.swap_into_place(staging, out_dir, stem or out_dir.name)


def _result(stem: str, out_dir: Path, skipped: bool = False) -> RunResult:
    figs = []
    for sidecar in sorted((out_dir / "figures").glob("*.json")):
        figs.append(json.loads(sidecar.read_text(encoding="utf-8")))
    found = json.loads((out_dir / "findings.json").read_text(encoding="utf-8"))
    return RunResult(stem, out_dir, skipped=skipped, figures=figs, findings=found)
