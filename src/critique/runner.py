"""Run a notebook safely: validated parameters, the project's kernel, atomic output.

papermill alone only warns on unknown parameters (papermill issue 667), trusts the kernel name stored
in the notebook (818), resolves paths from wherever it is started (251, 316) and can leave a
half-written output. This module closes those gaps:

- the notebook's ``parameters`` cell is read with papermill's own inspection, and every requested
  value is checked against it **before any cell runs**: unknown names (with the closest known name),
  wrong types, values outside a declared ``range: LO..HI`` or ``choices: a, b``;
- it always runs with the project's kernel (``critique``, installed into the running environment
  when missing) and the project root as working directory, with a per-cell timeout;
- it executes into a temporary folder beside the target and renames it into place only on
  success; a failed run keeps the partially executed notebook in ``<target>.failed/`` and never
  touches the last good output.
"""
from __future__ import annotations

import ast
import datetime
import difflib
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from critique import findings, paths
from critique.errors import ParameterError, RunError  # noqa: F401  (re-exported)

KERNEL_NAME = "critique"
DEFAULT_CELL_TIMEOUT_S = 600
_RANGE_RE = re.compile(r"range:\s*(-?[\d.eE+-]+|\*)\s*\.\.\s*(-?[\d.eE+-]+|\*)")
_CHOICES_RE = re.compile(r"choices:\s*([^;]+)")
_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list, "dict": dict}


@dataclass(frozen=True)
class ParameterSpec:
    """One entry of a notebook's ``parameters`` cell."""

    name: str
    type_name: str
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    def allowed(self) -> str:
        """What this parameter accepts, in words."""
        parts = [self.type_name if self.type_name != "list" else "list"]
        if self.low is not None or self.high is not None:
            lo = "-inf" if self.low is None else f"{self.low:g}"
            hi = "inf" if self.high is None else f"{self.high:g}"
            parts.append(f"{'each element ' if self.type_name == 'list' else ''}in [{lo}, {hi}]")
        if self.choices:
            parts.append(f"{'each element ' if self.type_name == 'list' else ''}one of {', '.join(self.choices)}")
        return ", ".join(parts)


def _parse_bound(text: str) -> float | None:
    return None if text == "*" else float(text)


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def notebook_parameters(notebook: Path) -> dict[str, ParameterSpec]:
    """The declared parameters of ``notebook`` (papermill's inspection plus our range/choices)."""
    from papermill.inspection import _infer_parameters  # the same parser papermill uses to inject

    nb = read_notebook(notebook)
    inferred = _infer_parameters(nb, name=KERNEL_NAME, language="python")
    _check_every_assignment_is_read(notebook, nb, {p.name for p in inferred})
    specs = {}
    for p in inferred:
        help_text = p.help or ""
        low = high = None
        match = _RANGE_RE.search(help_text)
        if match:
            low, high = _parse_bound(match.group(1)), _parse_bound(match.group(2))
        choices = None
        cmatch = _CHOICES_RE.search(help_text)
        if cmatch:
            choices = tuple(c.strip().strip("'\"") for c in cmatch.group(1).split(",") if c.strip())
            choices = choices or None  # "choices:" in prose with nothing after it declares nothing
        default = _literal(p.default)
        type_name = p.inferred_type_name
        if type_name in ("None", "", None):
            type_name = type(default).__name__ if default is not None else "any"
        specs[p.name] = ParameterSpec(p.name, type_name, default, help_text, low, high, choices)
    return specs


def _check_every_assignment_is_read(notebook: Path, nb: "nbformat.NotebookNode", names: set[str]) -> None:
    """papermill silently skips a parameter line it cannot parse (it then cannot be validated)."""
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if not cells:
        return
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise RunError(f"{Path(notebook).name}: parameters cell is not valid Python ({exc})") from None
    assigned = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, ast.AnnAssign) else []
        assigned += [t.id for t in targets if isinstance(t, ast.Name)]
    unread = [n for n in assigned if n not in names]
    if unread:
        raise RunError(f"{Path(notebook).name}: papermill cannot read parameter(s) {', '.join(unread)} "
                       "(keep each on one line as `name: type = literal  # help; range: LO..HI`, "
                       "and avoid '=' in the comment)")


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


def _check_scalar(spec: ParameterSpec, value: Any, label: str) -> None:
    if spec.choices is not None and str(value) not in spec.choices:
        close = difflib.get_close_matches(str(value), spec.choices, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ParameterError(f"parameter '{spec.name}': {label}{value!r} is not allowed{hint}; "
                             f"allowed: {spec.allowed()}")
    if spec.low is not None or spec.high is not None:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ParameterError(f"parameter '{spec.name}': {label}{value!r} is not a number; "
                                 f"allowed: {spec.allowed()}")
        if (spec.low is not None and value < spec.low) or (spec.high is not None and value > spec.high):
            raise ParameterError(f"parameter '{spec.name}': {label}{value!r} is out of range; "
                                 f"allowed: {spec.allowed()}")


def coerce_value(spec: ParameterSpec, value: Any) -> Any:
    """Check (and where lossless, convert) ``value`` for ``spec``; raise ParameterError otherwise."""
    expected = _TYPES.get(spec.type_name)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if expected is list and isinstance(value, tuple):
        value = list(value)
    if expected is not None:
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if not ok:
            raise ParameterError(
                f"parameter '{spec.name}': value {value!r} is a {type(value).__name__}, expected "
                f"{spec.type_name}; allowed: {spec.allowed()}")
    if isinstance(value, list):
        default_types = {type(v) for v in (spec.default or [])}
        numeric_default = default_types and default_types <= {int, float}
        for i, item in enumerate(value):
            if numeric_default and (not isinstance(item, (int, float)) or isinstance(item, bool)):
                raise ParameterError(f"parameter '{spec.name}': element {i} ({item!r}) is not a number; "
                                     f"allowed: {spec.allowed()}")
            _check_scalar(spec, item, f"element {i} ")
    else:
        _check_scalar(spec, value, "value ")
    return value


def parse_cli_value(text: str) -> Any:
    """A ``-p NAME VALUE`` string read as YAML (``3`` -> int, ``[1, 2]`` -> list), as papermill does."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def validate_parameters(notebook: Path, params: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse unknown names, wrong types and out-of-range values; return the checked parameters."""
    specs = notebook_parameters(notebook)
    checked = {}
    for name, value in params.items():
        if name not in specs:
            close = difflib.get_close_matches(name, list(specs), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            known = ", ".join(specs) or "none"
            raise ParameterError(f"{Path(notebook).name}: unknown parameter '{name}'{hint} "
                                 f"(known: {known})")
        if name == "edition" and isinstance(value, datetime.date):
            value = value.isoformat()  # YAML and the command line read 2023-05-30 as a date
        checked[name] = coerce_value(specs[name], value)
        if name == "edition":  # allowed values come from the catalogue, not from the notebook
            from critique.catalog import check_edition

            checked[name] = check_edition(checked[name])
    return checked


def load_param_set(path: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """Read a parameter-set YAML: ``(name, {notebook stem: {param: value}})``."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter set not found") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from None
    name = raw.get("name") or path.stem
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(name)):
        raise ParameterError(f"{path}: set name {name!r} must be letters, digits, '-', '_' or '.'")
    notebooks = raw.get("notebooks") or {}
    if not isinstance(notebooks, dict):
        raise ParameterError(f"{path}: 'notebooks' must map notebook stems to parameters")
    return str(name), {str(k): dict(v or {}) for k, v in notebooks.items()}


def code_fingerprint() -> str:
    """A hash of the ``critique`` package source (any change re-runs the reports)."""
    digest = hashlib.sha256()
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
    from critique.fingerprints import current_sha256

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
    from papermill.exceptions import PapermillExecutionError

    ensure_kernel()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    source = staging / f".{stem}.source.ipynb"
    import nbformat

    nbformat.write(_read_notebook_bytes(source_bytes, notebook), str(source))
    executed = staging / f"{stem}.ipynb"
    try:
        with paths.environment(**kernel_environment(staging)):
            pm.execute_notebook(
                str(source), str(executed), parameters=checked, kernel_name=KERNEL_NAME,
                cwd=str(paths.root()), execution_timeout=timeout, progress_bar=False,
                log_output=False, report_mode=False,
            )
    except PapermillExecutionError as exc:
        source.unlink(missing_ok=True)
        evalue = str(exc.evalue).strip().splitlines()[-1][:400] if exc.evalue else ""
        raise keep_failed(staging, out_dir, f"{notebook.name}: cell {exc.cell_index} failed: "
                                            f"{exc.ename}: {evalue}", executed.name) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    source.unlink(missing_ok=True)
    finish_run(staging, executed, notebook, source_bytes, checked, code, out_dir, html=html)
    return _result(stem, out_dir)


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
        from critique.htmlpages import notebook_html

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
