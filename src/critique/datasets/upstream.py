"""Parsers of the upstream datasets in ``data/catalog.yml``: UNODC's GLOTIP workbook here, the CSV
sources in ``critique.datasets.upstream_csv`` (Kelley & Heiss tiers, GSI 2023, CTDC 2020, FBI UCR).

Each ``parse_<id>(path)`` turns the verified raw file into the tidy, typed frame that
``critique.datasets.load`` caches and returns (the loader output contract, checked by
``critique.datasets.schemas``). Rules shared by all five:

- nothing is dropped or zero-filled silently: a row is kept unless the docstring says why it is not,
  and ``frame.attrs`` counts what was blanked, suppressed or dropped (``attrs`` survive the parquet
  cache);
- numbers written as text are parsed strictly (thousands separators and stray spaces allowed,
  anything else is an error naming file, column, value and row: ``critique.datasets.parsing``);
- sentinel codes (``-99``, a lone ``-``, CTDC's ``0`` country) become missing, never 0;
- countries become ISO3 through ``critique.datasets.countries.to_iso3``; an unknown name is an error;
- known errors of a file are not hard-coded here: loaders read the corrections register
  (``critique.datasets.corrections``).
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from critique.datasets import corrections, countries, glotip_rules, register
from critique.datasets.parsing import (  # noqa: F401  (re-exported: loader modules import them from here)
    SENTINELS, _as_list, _bools, _clean_text, _integers, _iso3, _numbers, _parse_number, _read_csv, _snake, _text,
)
from critique.datasets.schemas import validate
from critique.core.errors import DataError

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- UNODC GLOTIP

GLOTIP_COLUMNS = ("Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category",
                  "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source")
# UNODC publishes every count below 5, zero included, as "<5": no cell of either release holds a
# number below 5 (evidence in critique.datasets.glotip_rules).
SUPPRESSED_TEXT, SUPPRESSED_LOW, SUPPRESSED_HIGH = "<5", 0.0, 4.0


def _xlsx_rows(path: Path) -> list[tuple]:
    """Every row of the workbook's first sheet as a tuple of cell values (empty cells are None).

    Read with python-calamine through pandas (``engine="calamine"``), which reads the cells
    themselves: openpyxl in read-only mode trusts the sheet's stored dimension, and the 2025 UNODC
    release stores ``A1:A1``, so openpyxl saw one cell. calamine is also several times faster on
    these files (``make bench`` measures both).
    """
    try:
        sheet = pd.read_excel(path, sheet_name=0, header=None, engine="calamine", dtype=object,
                              keep_default_na=False, na_values=[])
    except Exception as exc:  # zip, OS and calamine's own errors (CalamineError...) share no base class
        raise DataError(
            f"{path.name}: not a readable xlsx workbook ({type(exc).__name__}: {str(exc)[:120]}); the file "
            "may be truncated or damaged: delete it from the download cache and fetch it again"
        ) from None
    return [tuple(None if (c is None or c == "" or (isinstance(c, float) and c != c)) else c for c in row)
            for row in sheet.itertuples(index=False, name=None)]


def _find_header(rows: list[tuple], required: tuple[str, ...], *, file: str, within: int = 20) -> int:
    """Index of the first row that holds every required column name (UNODC puts notes above it)."""
    want = {c.lower() for c in required}
    for i, row in enumerate(rows[:within]):
        names = {_clean_text(c).lower() for c in row if c is not None}
        if want <= names:
            return i
    best = max(range(min(within, len(rows))), default=None,
               key=lambda i: len(want & {_clean_text(c).lower() for c in rows[i] if c is not None}))
    missing = sorted(want - {_clean_text(c).lower() for c in rows[best] if c is not None}) if best is not None else sorted(want)
    raise DataError(f"{file}: no column row in the first {within} rows holds all of {', '.join(required)} "
                    f"(closest: row {'' if best is None else best + 1}, lacking {', '.join(missing)})")


@register("glotip", version="4")
def parse_glotip(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """UNODC GLOTIP country data (xlsx, any release): one row per data row of the sheet.

    ``year_range`` is the release's year range from the catalogue (2003-2021 for the release of 30 May
    2023, 2003-2022 for 14 April 2025); a year outside it is an error.

    The column row is found by its content below UNODC's note rows. ``txtVALUE`` ``"<5"`` is kept as
    a row with ``value`` missing, ``suppressed`` True and bounds 0 and 4 (UNODC publishes no number
    below 5, zero included). Rows with a UNODC code that is not ISO3 (regional aggregates such as
    ``CAR``, ``SAM``; ``Aruba/Curacao``; parts of a country such as ``GBR_S``) keep it in
    ``iso3_unodc`` with ``iso3`` missing; Sark (no code) has ``iso3`` missing. Only fully blank
    rows are dropped. ``exclude_reason`` flags rows not to use (``critique.datasets.glotip_rules``:
    "placeholder", "duplicate-total", "subnational"; the corrections register
    ``critique.datasets.corrections``: "questionnaire-code"); two national totals for one
    country-year are an error. ``attrs``: ``suppressed_cells``, ``rows_without_iso3``, ``blank_rows_dropped``,
    ``header_row``, ``excluded_<reason>``. "N/A" in ``category`` is kept as published.
    """
    file = path.name
    rows = _xlsx_rows(path)
    h = _find_header(rows, GLOTIP_COLUMNS, file=file)
    names = [_clean_text(c) for c in rows[h]]
    index = {n.lower(): i for i, n in enumerate(names) if n}
    body = rows[h + 1:]
    blank = [all(c is None or _clean_text(c) == "" for c in r) for r in body]
    kept = [r for r, b in zip(body, blank) if not b]
    n_blank = sum(blank)
    if not kept:
        raise DataError(f"{file}: no data rows below the column row (row {h + 1})")
    # row numbers are only exact when no blank row sits inside the data (UNODC's file has none)
    row_offset = h + 2

    def col(name: str) -> list[object]:
        j = index[name.lower()]
        return [r[j] if j < len(r) else None for r in kept]

    raw = {_snake(n): col(n) for n in GLOTIP_COLUMNS}
    units = set(_text(raw["unit_of_measurement"]).dropna())
    if units != {"Counts"}:
        raise DataError(f"{file}: column 'Unit of measurement' holds {sorted(units)}, expected only 'Counts'")

    txt = [_clean_text(v) for v in raw["txt_value"]]
    suppressed = np.array([t == SUPPRESSED_TEXT for t in txt])
    value, _ = _numbers([None if s else v for v, s in zip(raw["txt_value"], suppressed)],
                        file=file, column="txtVALUE", row_offset=row_offset, sentinels=frozenset())
    empty = np.isnan(value) & ~suppressed
    if empty.any():
        i = int(np.argmax(empty))
        raise DataError(f"{file}: column 'txtVALUE' is empty at row {i + row_offset}; expected a count or '<5'")
    years, _ = _numbers(raw["year"], file=file, column="Year", row_offset=row_offset)
    year = _integers(years, file=file, column="Year", row_offset=row_offset, nullable=False)

    code = _text(raw["iso3_code"])
    country = _text(raw["country"])
    is_iso3 = code.isin(countries.valid_iso3())
    iso3 = _iso3(code.where(code.notna(), country), file=file, column="Iso3_code/Country", src=None,
                 subnational="keep")
    frame = pd.DataFrame({
        "iso3": iso3,
        "iso3_unodc": code.where(~is_iso3),
        "country": country,
        "region": _text(raw["region"]),
        "subregion": _text(raw["subregion"]),
        "indicator": _text(raw["indicator"]),
        "dimension": _text(raw["dimension"]),
        "category": _text(raw["category"]),
        "sex": _text(raw["sex"]),
        "age": _text(raw["age"]),
        "year": year,
        "value": value,
        "suppressed": suppressed,
        "value_low": np.where(suppressed, SUPPRESSED_LOW, value),
        "value_high": np.where(suppressed, SUPPRESSED_HIGH, value),
        "source": _text(raw["source"]),
    })
    frame = glotip_rules.keep_subnational_apart(frame)
    validate(frame, "glotip", file=file, row_offset=row_offset, years=year_range)
    frame = glotip_rules.flag_rows(frame, file=file)
    frame = corrections.apply(frame, "glotip")  # the register's rules (questionnaire codes), not hard-coded
    frame.attrs.update({
        "suppressed_cells": int(suppressed.sum()),
        "rows_without_iso3": int(frame["iso3"].isna().sum()),
        "blank_rows_dropped": int(n_blank),
        "header_row": h + 1,
    })
    log.info("%s: %d rows, %d suppressed cells ('<5'), %d rows without ISO3 (aggregates, Sark), "
             "%d blank rows dropped", file, len(frame), frame.attrs["suppressed_cells"],
             frame.attrs["rows_without_iso3"], n_blank)
    return frame


# The CSV sources register themselves on import; their parsers stay reachable from this module.
from critique.datasets.upstream_csv import (  # noqa: E402,F401
    CTDC_COLUMNS, FBI_COLUMNS, GSI_COLUMNS, TIER_CODES, exploitation_type, parse_ctdc_2020, parse_fbi_ucr_ht,
    parse_gsi_2023, parse_tip_tiers,
)
