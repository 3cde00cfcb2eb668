"""Parsers of the upstream datasets in ``data/catalog.yml``: one function per source.

Each ``parse_<id>(path)`` turns the verified raw file into the tidy, typed frame that
``critique.datasets.load`` caches and returns (the loader output contract, checked by
``critique.datasets.schemas``). Rules shared by all five:

- nothing is dropped or zero-filled silently: a row is kept unless the docstring says why it is not,
  and ``frame.attrs`` counts what was blanked, suppressed or dropped (``attrs`` survive the parquet
  cache);
- numbers written as text are parsed strictly (thousands separators and stray spaces allowed,
  anything else is an error naming file, column, value and row);
- sentinel codes (``-99``, a lone ``-``, CTDC's ``0`` country) become missing, never 0;
- countries become ISO3 through ``critique.datasets.countries.to_iso3``; an unknown name is an error.
"""
from __future__ import annotations

import csv
import logging
import re
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from critique.datasets import countries
from critique.datasets import glotip_rules, register
from critique.datasets.schemas import validate
from critique.errors import DataError

log = logging.getLogger(__name__)

# Number written as text: optional sign, digits with or without thousands separators, decimals.
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
SENTINELS = frozenset({"-99", "-99.0", "-999", "-999.0"})
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


# ---------------------------------------------------------------- shared helpers


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


@register("glotip", version="3")
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
    "placeholder", "duplicate-total", "subnational"); two national totals for one country-year are
    an error. ``attrs``: ``suppressed_cells``, ``rows_without_iso3``, ``blank_rows_dropped``,
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


# ---------------------------------------------------------------- Kelley & Heiss TIP tiers

TIER_CODES = {"1": "1", "2": "2", "3": "2WL", "4": "3"}  # Kelley & Heiss coding; NA = not rated
FIRST_RATED_YEAR = 2001


@register("tip-tiers", version="1")
def parse_tip_tiers(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Kelley & Heiss ``map_tiers.csv``: one row per country and report year 2001-2015.

    Tier codes 1, 2, 3, 4 are Tier 1, Tier 2, Tier 2 Watch List, Tier 3; ``NA`` (not rated) is a
    missing tier, never a tier. Rows for 1999-2000 (before the first report) are dropped after
    checking that none is rated (``attrs["dropped_rows"]``).
    """
    file = path.name
    raw = _read_csv(path, ("countryname", "iso", "year", "ccode", "tier"))
    offset = 2
    years = _integers(_numbers(raw["year"], file=file, column="year", row_offset=offset)[0],
                      file=file, column="year", row_offset=offset, nullable=False)
    tier_text = _text(raw["tier"], blanks=frozenset({"", "NA"}))
    unknown = tier_text.notna() & ~tier_text.isin(list(TIER_CODES))
    if unknown.any():
        i = int(np.argmax(unknown.to_numpy()))
        raise DataError(f"{file}: column 'tier' value {raw['tier'].iloc[i]!r} at row {i + offset} is not "
                        "a tier code (1, 2, 3 = Watch List, 4 = Tier 3, NA = not rated)")
    early = (years < FIRST_RATED_YEAR).to_numpy()
    rated_early = early & tier_text.isin(list(TIER_CODES)).to_numpy()
    if rated_early.any():
        i = int(np.argmax(rated_early))
        raise DataError(f"{file}: row {i + offset} rates a country in {years.iloc[i]}, before the first "
                        f"TIP report ({FIRST_RATED_YEAR})")
    ccode, _ = _numbers(raw["ccode"], file=file, column="ccode", row_offset=offset, blanks=frozenset({"", "NA"}))
    frame = pd.DataFrame({
        "iso3": _iso3(_text(raw["iso"]), file=file, column="iso", src="ISO3"),
        "country": _text(raw["countryname"]),
        "report_year": years,
        "tier": pd.Categorical(tier_text.map(TIER_CODES), categories=list(TIER_CODES.values()), ordered=True),
        "ccode": _integers(ccode, file=file, column="ccode", row_offset=offset, nullable=True),
    })
    frame = frame[~early]
    # validate before resetting the index so that errors name the file's row
    validate(frame, "tip-tiers", file=file, row_offset=offset, years=year_range)
    frame = frame.reset_index(drop=True)
    frame.attrs.update({"dropped_rows": int(early.sum()),
                        "dropped_reason": f"report years before {FIRST_RATED_YEAR}: no TIP report, none rated",
                        "unrated_rows": int(frame["tier"].isna().sum())})
    return frame


# ---------------------------------------------------------------- Walk Free GSI 2023

GSI_COLUMNS = {
    "Country": "country",
    "Population": "population",
    "Region": "region",
    "Estimated prevalence of modern slavery per 1,000 population": "prevalence_per_1000",
    "Estimated number of people in modern slavery": "estimated_number",
}


@register("gsi-2023", version="1")
def parse_gsi_2023(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Walk Free Global Slavery Index 2023 country estimates: one row per country (180).

    Numbers are text with thousands separators and stray spaces; a population of ``-`` and an
    empty estimate are missing (20 countries have no estimate), never 0.
    """
    file = path.name
    raw = _read_csv(path, tuple(GSI_COLUMNS), strip_header=True)
    offset = 2
    dash = frozenset({"", "-"})
    nums = {}
    for src, dst in GSI_COLUMNS.items():
        if dst in ("population", "prevalence_per_1000", "estimated_number"):
            nums[dst], _ = _numbers(raw[src], file=file, column=src, row_offset=offset, blanks=dash)
    frame = pd.DataFrame({
        "iso3": _iso3(_text(raw["Country"]), file=file, column="Country", src="name"),
        "country": _text(raw["Country"]),
        "region": _text(raw["Region"]),
        "population": _integers(nums["population"], file=file, column="Population", row_offset=offset, nullable=True),
        "prevalence_per_1000": nums["prevalence_per_1000"],
        "estimated_number": _integers(nums["estimated_number"], file=file,
                                      column="Estimated number of people in modern slavery",
                                      row_offset=offset, nullable=True),
    })
    validate(frame, "gsi-2023", file=file, row_offset=offset, years=year_range)
    frame.attrs.update({"countries_without_estimate": int(frame["estimated_number"].isna().sum()),
                        "population_missing": int(frame["population"].isna().sum())})
    return frame


# ---------------------------------------------------------------- CTDC 2020

CTDC_COLUMNS = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "isForcedLabour",
                "isSexualExploit", "CountryOfExploitation")
# The third-party subset writes an unknown country as "0"; CTDC's own missing code is -99.
CTDC_COUNTRY_SENTINELS = frozenset({"0", "-99", "00"})


def exploitation_type(forced_labour: pd.Series, sexual: pd.Series) -> pd.Series:
    """Form of exploitation from CTDC's two flags.

    "Both" (both True), "Sexual exploitation" / "Forced labour" (that flag True, the other False or
    missing), "Neither" (both flags recorded as False: another form such as forced marriage or
    an unrecorded one), "Not recorded" (no flag True and at least one missing). Keeping "Neither"
    apart from "Not recorded" matters: folding it into "Not recorded" would drop ~1,000 records
    from the denominator of any share among records with a recorded form.
    """
    fl = forced_labour.fillna(False).to_numpy(dtype=bool)
    se = sexual.fillna(False).to_numpy(dtype=bool)
    both_false = (forced_labour == False).fillna(False).to_numpy(dtype=bool) & (sexual == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
    out = np.select([fl & se, se, fl, both_false],
                    ["Both", "Sexual exploitation", "Forced labour", "Neither"], default="Not recorded")
    return pd.Series(out, index=forced_labour.index, dtype="str")


@register("ctdc-2020", version="1")
def parse_ctdc_2020(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """CTDC k-anonymised case records (2020 release, third-party column subset): one row per record.

    Case-level: this frame stays inside the process; only aggregates, with small cells suppressed
    (``critique.datasets.privacy.suppress_small``), may leave it. The third party's added name, coordinate
    and ISO3 columns are not used: ISO2 codes are converted here. ``-99`` and the country code ``0``
    become missing (``attrs`` count them).
    """
    file = path.name
    raw = _read_csv(path, CTDC_COLUMNS)
    offset = 2
    years, n_year_sentinel = _numbers(raw["yearOfRegistration"], file=file, column="yearOfRegistration",
                                      row_offset=offset)
    counts = {"year_sentinels": n_year_sentinel}
    iso: dict[str, pd.Series] = {}
    for src, dst in (("citizenship", "citizenship_iso3"), ("CountryOfExploitation", "exploitation_iso3")):
        text = _text(raw[src])
        sentinel = text.isin(CTDC_COUNTRY_SENTINELS)
        counts[f"{src}_sentinels"] = int(sentinel.sum())
        iso[dst] = _iso3(text.where(~sentinel), file=file, column=src, src="ISO2")
    blanks = frozenset({"", "-99"})
    fl = _bools(raw["isForcedLabour"], file=file, column="isForcedLabour", row_offset=offset)
    se = _bools(raw["isSexualExploit"], file=file, column="isSexualExploit", row_offset=offset)
    frame = pd.DataFrame({
        "year": _integers(years, file=file, column="yearOfRegistration", row_offset=offset, nullable=True),
        "gender": _text(raw["gender"], blanks=blanks),
        "age_broad": _text(raw["ageBroad"], blanks=blanks),
        "citizenship_iso3": iso["citizenship_iso3"],
        "exploitation_iso3": iso["exploitation_iso3"],
        "is_forced_labour": fl,
        "is_sexual_exploit": se,
        "exploitation_type": exploitation_type(fl, se),
    })
    validate(frame, "ctdc-2020", file=file, row_offset=offset, years=year_range)
    frame.attrs.update({k: int(v) for k, v in counts.items()})
    return frame


# ---------------------------------------------------------------- FBI UCR human trafficking

FBI_COLUMNS = ("DATA_YEAR", "ORI", "PUB_AGENCY_NAME", "AGENCY_TYPE_NAME", "STATE_ABBR",
               "OFFENSE_SUBCAT_NAME", "ACTUAL_COUNT", "UNFOUNDED_COUNT", "CLEARED_COUNT",
               "JUVENILE_CLEARED_COUNT", "POPULATION_GROUP_DESC")


@register("fbi-ucr-ht", version="1")
def parse_fbi_ucr_ht(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """FBI UCR human-trafficking offences 2013-2020: one row per row of the file (4,417).

    Rows are not unique by (year, agency, offence): the file repeats agency-year-offence keys
    (2,142 repeats), so counts must be summed, not looked up. ``actual`` may be negative (UCR
    adjustments: an offence reported earlier and unfounded later); ``actual + unfounded`` may not.
    """
    file = path.name
    raw = _read_csv(path, FBI_COLUMNS)
    offset = 2

    def count(col: str) -> pd.Series:
        floats, _ = _numbers(raw[col], file=file, column=col, row_offset=offset)
        return _integers(floats, file=file, column=col, row_offset=offset, nullable=False)

    frame = pd.DataFrame({
        "year": count("DATA_YEAR"),
        "ori": _text(raw["ORI"]),
        "agency": _text(raw["PUB_AGENCY_NAME"]),
        "agency_type": _text(raw["AGENCY_TYPE_NAME"]),
        "state": _text(raw["STATE_ABBR"]),
        "offence": _text(raw["OFFENSE_SUBCAT_NAME"]),
        "actual": count("ACTUAL_COUNT"),
        "unfounded": count("UNFOUNDED_COUNT"),
        "cleared": count("CLEARED_COUNT"),
        "juvenile_cleared": count("JUVENILE_CLEARED_COUNT"),
        "population_group": _text(raw["POPULATION_GROUP_DESC"]),
    })
    validate(frame, "fbi-ucr-ht", file=file, row_offset=offset, years=year_range)
    frame.attrs.update({
        "negative_actual_rows": int((frame["actual"] < 0).sum()),
        "repeated_keys": int(frame.duplicated(["year", "ori", "offence"]).sum()),
    })
    return frame
