"""A notebook's declared parameters, and the checks every requested value passes before any cell runs.

papermill reads a notebook's ``parameters`` cell but only warns on unknown names (papermill issue
667) and silently skips a line it cannot parse. Here each line is read with papermill's own
inspection, plus the ``range: LO..HI`` and ``choices: a, b`` a notebook declares in its comments,
and a requested value is refused, naming the parameter, when its name is unknown (with the closest
known name), its type is wrong, it is not a finite number (NaN passes every comparison), or it lies
outside the declared range or choices. Parameter sets (``notebooks/params/*.yml``) are read here too.
"""
from __future__ import annotations

import ast
import datetime
import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import yaml

from critique.errors import ParameterError, RunError

_RANGE_RE = re.compile(r"range:\s*(-?[\d.eE+-]+|\*)\s*\.\.\s*(-?[\d.eE+-]+|\*)")
_CHOICES_RE = re.compile(r"choices:\s*([^;]+)")
_POSITIVE_SUM_RE = re.compile(r"sum:\s*>\s*0")
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
    positive_sum: bool = False  # a list of weights declared ``sum: >0``: non-empty, summing above 0

    def allowed(self) -> str:
        """What this parameter accepts, in words."""
        parts = [self.type_name if self.type_name != "list" else "list"]
        if self.low is not None or self.high is not None:
            lo = "-inf" if self.low is None else f"{self.low:g}"
            hi = "inf" if self.high is None else f"{self.high:g}"
            parts.append(f"{'each element ' if self.type_name == 'list' else ''}in [{lo}, {hi}]")
        if self.choices:
            parts.append(f"{'each element ' if self.type_name == 'list' else ''}one of {', '.join(self.choices)}")
        if self.positive_sum:
            parts.append("not empty, with a sum above 0")
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

    from critique.publish.notebook import KERNEL_NAME, read_notebook

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
        specs[p.name] = ParameterSpec(p.name, type_name, default, help_text, low, high, choices,
                                      bool(_POSITIVE_SUM_RE.search(help_text)))
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


_NON_FINITE_WORDS = {"nan", "+nan", "-nan", ".nan", "inf", "+inf", "-inf", ".inf", "-.inf", "+.inf",
                     "infinity", "+infinity", "-infinity"}


def _refuse_non_finite(spec: ParameterSpec, value: Any, label: str) -> None:
    """NaN passes every comparison (``nan < 0`` and ``nan > 1`` are both false) and inf breaks
    arithmetic: neither is ever a meaningful parameter, so both are refused by name."""
    text = value.strip().lower() if isinstance(value, str) else None
    numeric = spec.type_name in ("int", "float") or spec.low is not None or spec.high is not None
    if (isinstance(value, float) and not math.isfinite(value)) or \
            (numeric and text is not None and text in _NON_FINITE_WORDS):
        raise ParameterError(f"parameter '{spec.name}': {label}{value!r} is not a finite number; "
                             f"allowed: {spec.allowed()}")


def _check_scalar(spec: ParameterSpec, value: Any, label: str) -> None:
    _refuse_non_finite(spec, value, label)
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
    if not isinstance(value, (list, tuple, dict)):
        _refuse_non_finite(spec, value, "value ")
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
        if spec.positive_sum and (not value or not sum(value) > 0):
            raise ParameterError(f"parameter '{spec.name}': value {value!r} is empty or sums to zero; "
                                 f"allowed: {spec.allowed()}")
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
            from critique.datasets.catalog import check_edition

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
