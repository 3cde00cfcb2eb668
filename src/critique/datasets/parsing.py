"""Strict parsing shared by every upstream loader: numbers written as text, text cells, CSV files.

The rules (``critique.datasets.upstream`` states them for the loaders):

- numbers written as text are parsed strictly (thousands separators and stray spaces allowed,
  anything else is an error naming file, column, value and row);
- sentinel codes (``-99``, ``-999``) become missing, never 0;
- a CSV is read with every cell as text (no NA guessing: "NA" is Namibia) after its required
  columns are checked;
- countries become ISO3 through ``critique.datasets.countries.to_iso3``; an unknown name is an error.

The helpers keep their leading underscore: they are the loaders' shared internals, imported by the
loader modules of this package (and re-exported by ``critique.datasets.upstream`` for the modules
that import them from there), not a public API.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from critique.datasets import countries
from critique.core.errors import DataError

# Number written as text: optional sign, digits with or without thousands separators, decimals.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
SENTINELS = frozenset({"-99", "-99.0", "-999", "-999.0"})
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _snake(name: object) -> str:
    """``"Unit of measurement"`` -> ``unit_of_measurement``; ``txtVALUE`` -> ``txt_value``."""
    text = re.sub(r"([a-z])([A-Z])", r"\1_\2", str(name).strip())
    return re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()


def _clean_text(value: object) -> str:
    return _SPACES.sub(" ", "" if value is None else str(value)).strip()


def _as_list(values: Iterable[object]) -> list[object]:
    return values.tolist() if isinstance(values, pd.Series) else list(values)


def _parse_number(raw: object, blanks: frozenset[str], sentinels: frozenset[str]) -> tuple[float, bool] | None:
    """(number, is_sentinel) for one cell, or None when it is not a number."""
    if isinstance(raw, (int, float, np.integer, np.floating)) and not isinstance(raw, bool):
        number = float(raw)
        if np.isnan(number):
            return np.nan, False
        text = str(int(number)) if number.is_integer() else repr(number)  # a numeric cell (xlsx)
    else:
        text = _SPACES.sub("", "" if raw is None else str(raw))
    if text in blanks:
        return np.nan, False
    if text in sentinels:
        return np.nan, True
    if _NUMBER.match(text):
        return float(text.replace(",", "")), False
    return None


def _numbers(values: Iterable[object], *, file: str, column: str, row_offset: int,
             blanks: frozenset[str] = frozenset({""}),
             sentinels: frozenset[str] = SENTINELS) -> tuple[np.ndarray, int]:
    """Parse text numbers strictly; return floats (NaN for blank or sentinel) and the sentinel count.

    Thousands separators and stray spaces are allowed; anything else is an error naming the file,
    column, value and row (``row_offset`` maps the position in ``values`` to the file's row).
    Each distinct cell is parsed once (the files repeat a few hundred values many thousand times).
    """
    cells = _as_list(values)
    parsed: dict[object, tuple[float, bool] | None] = {}
    for cell in dict.fromkeys(cells):
        parsed[cell] = _parse_number(cell, blanks, sentinels)
        if parsed[cell] is None:
            i = cells.index(cell)
            raise DataError(f"{file}: column '{column}' value {cell!r} at row {i + row_offset} is not a number")
    pairs = [parsed[c] for c in cells]
    out = np.fromiter((p[0] for p in pairs), dtype="float64", count=len(pairs))  # type: ignore[index]
    return out, sum(1 for p in pairs if p[1])  # type: ignore[index]


def _integers(floats: np.ndarray, *, file: str, column: str, row_offset: int, nullable: bool) -> pd.Series:
    """Float array -> Int64 (nullable) or int64; a fraction or (for int64) a gap is an error."""
    finite = ~np.isnan(floats)
    frac = finite & (floats != np.round(floats))
    if frac.any():
        i = int(np.argmax(frac))
        raise DataError(f"{file}: column '{column}' value {floats[i]!r} at row {i + row_offset} is not a whole number")
    if not nullable and (~finite).any():
        i = int(np.argmax(~finite))
        raise DataError(f"{file}: column '{column}' is empty at row {i + row_offset}; a count is required here")
    series = pd.Series(floats).astype("Int64")
    return series if nullable else series.astype("int64")


def _text(values: Iterable[object], blanks: frozenset[str] = frozenset({""})) -> pd.Series:
    """Strings with stray spaces removed; blanks become missing (pandas' ``str`` dtype)."""
    cells = _as_list(values)
    clean = {v: _clean_text(v) for v in dict.fromkeys(cells)}
    clean = {k: (None if v in blanks else v) for k, v in clean.items()}
    return pd.Series([clean[v] for v in cells], dtype="str")


def _read_csv(path: Path, required: Iterable[str], *, strip_header: bool = False) -> pd.DataFrame:
    """All cells as text (no NA guessing: "NA" is Namibia), after checking the required columns."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path.name}: cannot be read as a UTF-8 CSV ({type(exc).__name__}: {exc})") from None
    if not header:
        raise DataError(f"{path.name}: empty file, expected a header row with {', '.join(required)}")
    found = [h.strip() if strip_header else h for h in header]
    missing = [c for c in required if c not in found]
    if missing:
        raise DataError(f"{path.name}: column(s) {', '.join(repr(c) for c in missing)} missing "
                        f"(found: {', '.join(repr(h) for h in found)})")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataError(f"{path.name}: not a well-formed CSV ({str(exc).splitlines()[0]})") from None
    if strip_header:
        frame.columns = [c.strip() for c in frame.columns]
    return frame


def _bools(values: pd.Series, *, file: str, column: str, row_offset: int) -> pd.Series:
    """0/1 flags (``0``, ``1``, ``0.0``, ``1.0``) -> nullable boolean; blank or -99 -> missing."""
    floats, _ = _numbers(values, file=file, column=column, row_offset=row_offset)
    bad = ~np.isnan(floats) & ~np.isin(floats, [0.0, 1.0])
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(f"{file}: column '{column}' value {values.iloc[i]!r} at row {i + row_offset} "
                        "is not a 0/1 flag")
    return pd.Series(pd.array([None if np.isnan(f) else bool(f) for f in floats], dtype="boolean"))


def _iso3(values: pd.Series, *, file: str, column: str, src: countries.Source,
          subnational: countries.Subnational = "error") -> pd.Series:
    try:
        return countries.to_iso3(values, src=src, subnational=subnational).reset_index(drop=True)
    except DataError as exc:
        raise DataError(f"{file}: column '{column}': {exc}") from None
