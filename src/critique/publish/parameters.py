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

from critique.core.errors import ParameterError, RunError

_RANGE_RE = re.compile(r"range:\s*(-?[\d.eE+-]+|\*)\s*\.\.\s*(-?[\d.eE+-]+|\*)")
_CHOICES_RE = re.compile(r"choices:\s*([^;]+)")
_POSITIVE_SUM_RE = re.compile(r"sum:\s*>\s*0")
_FILE_RE = re.compile(r"\bfile:\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)")
_COLUMN_OF_RE = re.compile(r"\bcolumns? of:\s*([A-Za-z_]\w*)")
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
    file_kinds: tuple[str, ...] | None = None  # ``file: csv``: a path given here is checked upfront
    column_of: str | None = None  # ``column of: NAME``: the value names column(s) of NAME's file

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
        fmatch, cof = _FILE_RE.search(help_text), _COLUMN_OF_RE.search(help_text)
        kinds = tuple(k.strip().lower() for k in fmatch.group(1).split(",")) if fmatch else None
        specs[p.name] = ParameterSpec(p.name, type_name, default, help_text, low, high, choices,
                                      bool(_POSITIVE_SUM_RE.search(help_text)), kinds,
                                      cof.group(1) if cof else None)
    for spec in specs.values():
        if spec.column_of and spec.column_of not in specs:
            raise RunError(f"{Path(notebook).name}: parameter {spec.name} declares 'column of: "
                           f"{spec.column_of}', which is not a parameter of the notebook")
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
        reasons = [_why_unread(cells[0].source, n) for n in unread]
        raise RunError(f"{Path(notebook).name}: papermill cannot read parameter(s) "
                       f"{'; '.join(f'{n} ({r})' for n, r in zip(unread, reasons))}; keep each on one line "
                       "as `name: type = literal  # help; range: LO..HI` with a single '='")


def _why_unread(source: str, name: str) -> str:
    """Where the second '=' of a parameter line is (papermill skips any line holding two)."""
    import io
    import tokenize

    line = next((ln for ln in source.splitlines() if re.match(rf"\s*{re.escape(name)}\b", ln)), "")
    if line.count("=") <= 1:
        return "its value spans several lines or is not a literal"
    comment = ""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(line + "\n").readline):
            if tok.type == tokenize.COMMENT:
                comment = tok.string
    except (tokenize.TokenError, SyntaxError):
        pass
    code = line[: len(line) - len(comment)] if comment else line
    if code.count("=") > 1:
        return "its value holds '=' (write the literal without it, e.g. {'a': 1} rather than dict(a=1))"
    return "its help comment holds '=' (reword the comment without '=')"


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
    if expected is int and isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 63:
        value = int(value)  # 1e6 is a whole number written in exponent form
    if expected is str and isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()  # a date read by another YAML reader: the text it was written as
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


class _ParamLoader(yaml.SafeLoader):
    """YAML as papermill reads it, with two changes for parameters.

    Dates stay text: ``2023-05-30`` is what a ``str`` parameter such as ``edition`` or
    ``release_from`` asks for, and an impossible date (``2023-02-30``) would otherwise be a
    ``ValueError`` from the YAML reader instead of a message naming the parameter. And ``1e6``
    is a number (YAML 1.1 reads an exponent without a dot as text).
    """


_ParamLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_ParamLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"))


def read_yaml(text: str) -> Any:
    """``text`` read as parameter YAML (see :class:`_ParamLoader`); raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_ParamLoader)  # noqa: S506 (a SafeLoader subclass)


def parse_cli_value(text: str, spec: ParameterSpec | None = None) -> Any:
    """A ``-p NAME VALUE`` string as the parameter's value.

    Read as YAML (``3`` -> int, ``[1, 2]`` -> list, ``1e6`` -> float), as papermill does; for a
    parameter declared ``str`` the text is kept as typed (``-p fp_cell ""`` is the empty string,
    ``-p release 2023`` the text "2023"), so every default round-trips. An empty text is the
    empty string, never None.
    """
    if (spec is not None and spec.type_name == "str") or text == "":
        return text
    try:
        return read_yaml(text)
    except (yaml.YAMLError, ValueError):
        return text


def parse_cli_params(notebook: Path, pairs: list[tuple[str, str]] | None) -> dict[str, Any]:
    """``-p NAME VALUE`` pairs read with each parameter's declared type (see :func:`parse_cli_value`)."""
    if not pairs:
        return {}
    specs = notebook_parameters(notebook)
    return {name: parse_cli_value(value, specs.get(name)) for name, value in pairs}


def notebook_sources(notebook: Path) -> set[str]:
    """The catalogue sources a notebook's code names in a string literal (``"glotip"``,
    ``"glotip@2023-05-30"``, ``"nrm-referrals"``): what its ``edition`` must have a release of."""
    from critique.datasets import catalog
    from critique.publish.notebook import read_notebook

    known = set(catalog.load_catalog().sources())
    found = set()
    for cell in read_notebook(notebook).cells:
        if cell.cell_type == "code":
            for text in re.findall(r"""["']([A-Za-z0-9_.@-]+)["']""", cell.source):
                source = text.partition(catalog.RELEASE_SEP)[0]
                if source in known:
                    found.add(source)
    return found


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
        if isinstance(value, datetime.date) and specs[name].type_name == "str":
            value = value.isoformat()  # a date read by a plain YAML reader: the text it was written as
        checked[name] = coerce_value(specs[name], value)
        if name == "edition":  # allowed values come from the catalogue, not from the notebook
            from critique.datasets.catalog import check_edition_upfront

            checked[name] = check_edition_upfront(checked[name], sources=notebook_sources(notebook))
    from critique.publish.inputs import check_declared_inputs

    check_declared_inputs(Path(notebook).name, specs, checked)
    return checked


def load_param_set(path: Path) -> tuple[str, dict[str, dict[str, Any]]]:
    """Read a parameter-set YAML: ``(name, {notebook stem: {param: value}})``.

    Every way the file can be wrong is one ``ParameterError`` naming the file (and the notebook
    block): missing, a folder, not UTF-8, not YAML, not a mapping, a block that is not a mapping.
    """
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ParameterError(f"{path}: parameter set not found") from None
    except IsADirectoryError:
        raise ParameterError(f"{path}: is a folder, not a parameter-set file") from None
    except PermissionError:
        raise ParameterError(f"{path}: cannot be read (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{path}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at position "
                             f"{exc.start}); save it as UTF-8") from None
    try:
        raw = read_yaml(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"{path}: not valid YAML{at} ({problem})") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: a parameter set is a mapping with 'name' and 'notebooks' "
                             f"(notebook stem: parameters); found a {_kind(raw)}")
    name = raw.get("name") or path.stem
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(name)):
        raise ParameterError(f"{path}: set name {name!r} must be letters, digits, '-', '_' or '.'")
    notebooks = raw.get("notebooks") or {}
    if not isinstance(notebooks, dict):
        raise ParameterError(f"{path}: 'notebooks' must map notebook stems to parameters; found a "
                             f"{_kind(notebooks)}")
    out: dict[str, dict[str, Any]] = {}
    for stem, block in notebooks.items():
        if block is not None and not isinstance(block, dict):
            raise ParameterError(f"{path}: notebook '{stem}': its parameters must be a mapping "
                                 f"(name: value); found a {_kind(block)}")
        out[str(stem)] = dict(block or {})
    return str(name), out


def _kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__)
