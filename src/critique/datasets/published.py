"""Published tables: figures typed in from publications, every row cited, in ``data/published/``.

Each table is two files, ``data/published/<name>.csv`` and its sidecar ``data/published/<name>.yml``.
Every sidecar found at import is registered with ``critique.datasets.register(id, kind="published")``,
so ``critique.datasets.load(id)`` returns the validated table. Sidecar format::

    id: tip-law-enforcement          # dataset id for critique.datasets.load (unique)
    file: tip_law_enforcement.csv    # the CSV beside this sidecar
    title: US TIP Report global law-enforcement data, by data year
    description: >-
      What one row is, what the columns count.
    source: US Department of State, Trafficking in Persons Reports 2008-2024 (via copies cited per row)
    caveats:                         # plain-language caveats; they go into every chart caption
      - Counts are what governments report ...
    unique: [data_year]              # optional: columns whose combination must be unique
    columns:                         # EVERY CSV column, in any order
      data_year: {type: int, min: 2003, max: 2030}
      prosecutions: {type: int, nullable: true, min: 0}
      note: {type: str, nullable: true}
      region: {type: str, allowed: [Africa, Europe]}
      citation: {type: str}          # required in every table (see below)
      source_url: {type: str, nullable: true}
      verification: {type: str}
    # any further keys (lists, list_labels, published_estimate, ...) are kept and returned by meta()

Column ``type`` is one of ``int`` (pandas ``Int64``), ``float`` (``Float64``), ``str`` (``string``),
``bool`` (``boolean``; cells ``true``/``false``) or ``date`` (ISO ``YYYY-MM-DD``); ``nullable``
defaults to false; ``min``, ``max`` (inclusive) and ``allowed`` (a list) are optional. An empty CSV
cell is a missing value and stays missing (``<NA>``): never zero, never interpolated. Numbers are
plain (``12345``, ``15.8``): no thousands separators, no ``~``, no ``<5``.

Every table must have the columns ``citation`` (document and page or table, non-empty),
``source_url`` (the address the row was read from; may be empty only for ``unverified`` rows) and
``verification``, one of:

- ``primary``: read in the publisher's own document or page;
- ``secondary``: read in a copy, news story or summary by someone else (name it in ``citation``);
- ``unverified``: not checked in any stored source (a figure tagged [U] in
  ``reference/literature.md``); never shown as established, only marked as unverified.

A table whose cells mix statuses is split into rows of one status each. Any breach raises
:class:`critique.datasets.DataError` naming the file, column, CSV line and value.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from critique.core import i18n
from critique.core.i18n import N_, _
from critique.datasets import translations
from critique.datasets import metadata
from critique.datasets import paths
from critique.datasets import DataError, register

VERIFICATION = ("primary", "secondary", "unverified")
REQUIRED_COLUMNS = ("citation", "source_url", "verification")
TYPES = {"int": "Int64", "float": "Float64", "str": "string", "bool": "boolean",
         "date": "datetime64[ns]"}
SIDECAR_KEYS = ("id", "file", "title", "description", "source", "caveats", "columns")
COLUMN_KEYS = {"type", "nullable", "min", "max", "allowed", "description"}
# data/published/published.yml is named in CONTRIBUTING.md as an index, not a table sidecar.
_NOT_SIDECARS = {"published.yml"}


@dataclass(frozen=True)
class Table:
    """A discovered published table: its id, sidecar path and CSV path."""

    id: str
    sidecar: Path
    csv: Path


_TABLES: dict[str, Table] = {}


# ---------------------------------------------------------------------------- sidecars

def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise DataError(f"{path}: a sidecar must be a mapping with keys {', '.join(SIDECAR_KEYS)}")
    return data


def read_sidecar(path: Path) -> dict[str, Any]:
    """Read and check a sidecar: required keys, column specs, the three required columns."""
    data = _read_yaml(path)
    metadata.check_sidecar(path, data)  # field types, naming file and field
    translations.register(path, "", data)  # title/caveats in other languages, kept beside
    missing = [k for k in SIDECAR_KEYS if k not in data]
    if missing:
        raise DataError(f"{path}: sidecar lacks key(s) {', '.join(missing)} "
                        f"(needed: {', '.join(SIDECAR_KEYS)})")
    for key in ("id", "file", "title", "description", "source"):
        if not isinstance(data[key], str) or not data[key].strip():
            raise DataError(f"{path}: sidecar key '{key}' must be a non-empty string")
    if not isinstance(data["caveats"], list) or not all(isinstance(c, str) and c.strip()
                                                        for c in data["caveats"]):
        raise DataError(f"{path}: 'caveats' must be a list of non-empty strings")
    columns = data["columns"]
    if not isinstance(columns, dict) or not columns:
        raise DataError(f"{path}: 'columns' must map each CSV column to {{type: ..., ...}}")
    for name, spec in columns.items():
        if not isinstance(spec, dict) or spec.get("type") not in TYPES:
            raise DataError(f"{path}: column '{name}' needs type one of {', '.join(TYPES)}, "
                            f"got {spec!r}")
        unknown = set(spec) - COLUMN_KEYS
        if unknown:
            raise DataError(f"{path}: column '{name}' has unknown key(s) {', '.join(sorted(unknown))} "
                            f"(allowed: {', '.join(sorted(COLUMN_KEYS))})")
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            raise DataError(f"{path}: 'columns' must declare required column '{name}'")
    for key in ("unique", "reader_text"):
        for name in data.get(key, []) or []:
            if name not in columns:
                raise DataError(f"{path}: '{key}' names '{name}', which is not a declared column")
    for name in data.get("reader_text", []) or []:
        if columns[name].get("type") != "str":
            raise DataError(f"{path}: 'reader_text' names '{name}', which is not a text (str) column")
    return data


def discover(directory: Path | None = None) -> dict[str, Table]:
    """Every sidecar ``*.yml`` in ``directory`` (default ``data/published``), keyed by id.

    Only ``id`` and ``file`` are read here, so that one table's faulty sidecar does not stop the
    others from loading; the full check happens at :func:`read_table` and :func:`check_all`.
    """
    directory = directory or paths.published_dir()
    tables: dict[str, Table] = {}
    if not directory.is_dir():
        return tables
    for sidecar in sorted(directory.glob("*.yml")):
        if sidecar.name in _NOT_SIDECARS:
            continue
        data = _read_yaml(sidecar)
        table_id, file = data.get("id"), data.get("file")
        if not isinstance(table_id, str) or not isinstance(file, str):
            raise DataError(f"{sidecar}: sidecar needs string keys 'id' and 'file'")
        if table_id in tables:
            raise DataError(f"{sidecar}: id '{table_id}' is already used by "
                            f"{tables[table_id].sidecar.name}; ids must be unique")
        tables[table_id] = Table(table_id, sidecar, sidecar.parent / file)
    return tables


# ---------------------------------------------------------------------------- reading

def _line(index: int) -> int:
    """CSV line of data row ``index`` (0-based): the header is line 1."""
    return int(index) + 2


def _convert(raw: pd.Series, kind: str, csv: Path, column: str) -> pd.Series:
    """Turn the text cells of one column into its declared type; empty cells stay missing."""
    text = raw.astype("string").str.strip()
    text = text.mask(text == "")
    if kind == "str":
        return text
    if kind == "int":
        ok = text.isna() | text.str.fullmatch(r"[-+]?\d+")
    elif kind == "float":
        ok = text.isna() | text.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
    elif kind == "bool":
        ok = text.isna() | text.str.lower().isin(["true", "false"])
    else:  # date
        ok = text.isna() | text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    bad = ~ok.fillna(False).astype(bool)
    if bad.any():
        i = bad[bad].index[0]
        raise DataError(f"{csv.name}: column '{column}', line {_line(i)}: value {text[i]!r} is not "
                        f"a plain {kind} (write e.g. 12345, 15.8, true, 2024-01-31; leave the "
                        "cell empty when the figure is missing)")
    if kind == "int":
        return pd.to_numeric(text, errors="raise").astype("Int64")
    if kind == "float":
        return pd.to_numeric(text, errors="raise").astype("Float64")
    if kind == "bool":
        return text.str.lower().map({"true": True, "false": False}).astype("boolean")
    return pd.to_datetime(text, format="%Y-%m-%d", errors="raise").astype("datetime64[ns]")


def _schema(meta_: dict[str, Any]) -> pa.DataFrameSchema:
    """A pandera schema from the sidecar's ``columns`` plus the rules every table obeys."""
    columns: dict[str, pa.Column] = {}
    for name, spec in meta_["columns"].items():
        checks = []
        if "min" in spec:
            checks.append(pa.Check.ge(spec["min"]))
        if "max" in spec:
            checks.append(pa.Check.le(spec["max"]))
        if "allowed" in spec:
            checks.append(pa.Check.isin(spec["allowed"]))
        nullable = bool(spec.get("nullable", False))
        if name == "citation":
            nullable = False
            checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, element_wise=False,
                                   error="citation must be non-empty"))
        if name == "verification":
            nullable = False
            checks = [pa.Check.isin(list(VERIFICATION))]
        columns[name] = pa.Column(TYPES[spec["type"]], checks=checks, nullable=nullable)
    unique = list(meta_.get("unique", []) or []) or None
    return pa.DataFrameSchema(columns, strict=True, unique=unique, ordered=False)


def _raise_from_pandera(exc: pa.errors.SchemaErrors, csv: Path) -> None:
    cases = exc.failure_cases
    lines = []
    for _i, case in cases.head(5).iterrows():
        idx = case.get("index")
        where = f"line {_line(idx)}" if pd.notna(idx) else "table"
        lines.append(f"column '{case.get('column')}', {where}: value {case.get('failure_case')!r} "
                     f"fails {case.get('check')}")
    more = f" (and {len(cases) - 5} more)" if len(cases) > 5 else ""
    raise DataError(f"{csv.name}: " + "; ".join(lines) + more) from None


def read_table(sidecar: Path) -> pd.DataFrame:
    """Read ``sidecar``'s CSV, type each column as declared and validate.

    Raises DataError naming file, column, line and value for: a CSV column missing or not
    declared, a cell of the wrong type, a value outside min/max/allowed, a missing value in a
    non-nullable column, an empty citation, a verification outside {primary, secondary,
    unverified}, or an empty source_url on a primary or secondary row.

    Validated frames are kept for the life of the process, keyed by the bytes of both files, so
    an edited file is always read afresh; callers get a copy.
    """
    meta_ = read_sidecar(sidecar)
    csv = sidecar.parent / meta_["file"]
    if not csv.is_file():
        raise DataError(f"{sidecar.name}: file '{meta_['file']}' not found beside it ({csv})")
    key = (str(sidecar.resolve()), hashlib.sha256(sidecar.read_bytes()).hexdigest(),
           hashlib.sha256(csv.read_bytes()).hexdigest())
    if key not in _VALIDATED:
        _VALIDATED[key] = _read_and_validate(sidecar, csv, meta_)
    return _VALIDATED[key].copy()


_VALIDATED: dict[tuple[str, str, str], pd.DataFrame] = {}


def _read_and_validate(sidecar: Path, csv: Path, meta_: dict[str, Any]) -> pd.DataFrame:
    raw = pd.read_csv(csv, dtype=str, keep_default_na=False, na_filter=False, encoding="utf-8")
    declared = list(meta_["columns"])
    for name in REQUIRED_COLUMNS:
        if name not in raw.columns:
            raise DataError(f"{csv.name}: required column '{name}' is missing (every published "
                            f"table needs {', '.join(REQUIRED_COLUMNS)})")
    absent = [c for c in declared if c not in raw.columns]
    if absent:
        raise DataError(f"{csv.name}: declared column(s) {', '.join(absent)} missing from the CSV")
    extra = [c for c in raw.columns if c not in meta_["columns"]]
    if extra:
        raise DataError(f"{csv.name}: column(s) {', '.join(extra)} not declared in {sidecar.name}")
    frame = pd.DataFrame({name: _convert(raw[name], meta_["columns"][name]["type"], csv, name)
                          for name in raw.columns})
    try:
        frame = _schema(meta_).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _raise_from_pandera(exc, csv)
    needs_url = frame["verification"].isin(["primary", "secondary"]) & frame["source_url"].isna()
    if needs_url.any():
        i = needs_url[needs_url].index[0]
        raise DataError(f"{csv.name}: column 'source_url', line {_line(i)}: empty on a "
                        f"'{frame['verification'][i]}' row; give the address the figure was read "
                        "from, or mark the row 'unverified'")
    for name in meta_.get("lists", []) or []:
        spec = meta_["columns"].get(name, {})
        if spec.get("type") != "int" or sorted(spec.get("allowed", [])) != [0, 1]:
            raise DataError(f"{sidecar.name}: list '{name}' must be a declared int column with "
                            "allowed: [0, 1]")
    return frame


# ---------------------------------------------------------------------------- public API

def _table(dataset_id: str) -> Table:
    if dataset_id not in _TABLES:
        raise DataError(f"unknown published table '{dataset_id}' "
                        f"(known: {', '.join(sorted(_TABLES))})")
    return _TABLES[dataset_id]


def ids() -> list[str]:
    """The ids of every published table found in ``data/published``."""
    return sorted(_TABLES)


def load_table(dataset_id: str) -> pd.DataFrame:
    """The validated table ``dataset_id`` (``critique.datasets.load`` calls this).

    Cells of the columns a sidecar lists under ``reader_text`` (the suite's own words a reader sees:
    a claim's paraphrase, what a study counted; never a quote, a name or a key code compares) come
    in the reader's language from the message catalogue, which extracts them
    (:mod:`critique.publish.i18n_catalogue`); an English build reads them unchanged."""
    sidecar = _table(dataset_id).sidecar
    return in_reader_language(read_table(sidecar), sidecar)


def in_reader_language(frame: pd.DataFrame, sidecar: Path) -> pd.DataFrame:
    """``frame`` (read with ``sidecar``) with its ``reader_text`` columns in the active language."""
    if i18n.current() == i18n.DEFAULT:
        return frame
    for name in _read_yaml(sidecar).get("reader_text") or []:
        frame[name] = frame[name].map(lambda v: i18n._(v) if isinstance(v, str) and v.strip() else v)
    return frame


def sha256_of_table(dataset_id: str) -> str:
    """sha256 of the table's CSV bytes, noted in a run's findings as the input's fingerprint."""
    return hashlib.sha256(_table(dataset_id).csv.read_bytes()).hexdigest()


def meta(dataset_id: str) -> dict[str, Any]:
    """The sidecar of ``dataset_id`` as a dict (a fresh copy: callers may modify it)."""
    return read_sidecar(_table(dataset_id).sidecar)


def verification_summary(frame: pd.DataFrame) -> dict[str, int]:
    """Rows by verification status, e.g. ``{"primary": 0, "secondary": 14, "unverified": 4}``."""
    if "verification" not in frame.columns:
        raise DataError("verification_summary: the frame has no 'verification' column")
    counts = frame["verification"].value_counts()
    unknown = sorted(set(counts.index) - set(VERIFICATION))
    if unknown:
        raise DataError(f"verification_summary: unknown status(es) {unknown}; "
                        f"allowed {', '.join(VERIFICATION)}")
    return {status: int(counts.get(status, 0)) for status in VERIFICATION}


def summary_phrase(frame: pd.DataFrame) -> str:
    """``verification_summary`` as caption text: '14 rows read in secondary copies, 4 unverified'."""
    counts = verification_summary(frame)
    words = {"primary": N_("{n} read in the publisher's own document"),
             "secondary": N_("{n} read in secondary copies"), "unverified": N_("{n} unverified")}
    parts = _(", ").join(_(words[s], n=n) for s, n in counts.items() if n)
    total = sum(counts.values())
    if total == 1:
        return _("{total} row: {parts}", total=total, parts=parts)
    return _("{total} rows: {parts}", total=total, parts=parts)


def source_line(dataset_id: str) -> str:
    """Caption line: the sidecar's ``source`` and the table's rows by verification status."""
    return f"{meta(dataset_id)['source']} ({summary_phrase(load_table(dataset_id))})"


def established(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the rows read in a stored source (primary or secondary): drop ``unverified`` rows."""
    return frame[frame["verification"] != "unverified"].reset_index(drop=True)


def check_all(directory: Path | None = None) -> dict[str, int]:
    """Read and validate every table in ``directory``; return rows per id (used by the tests)."""
    return {tid: len(read_table(t.sidecar)) for tid, t in sorted(discover(directory).items())}


def _register_all() -> None:
    _TABLES.clear()
    try:
        _TABLES.update(discover())
    except FileNotFoundError:  # installed outside a checkout: a command that needs data says what to set
        return
    for table_id in _TABLES:
        # bind the id now: a closure over the loop variable would load the last table every time
        register(table_id, kind="published")(lambda tid=table_id: load_table(tid))


_register_all()
