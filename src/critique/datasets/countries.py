"""Country names and codes -> ISO 3166-1 alpha-3, one way for every source of the suite.

Method: a value is looked up, in this order, in

1. the committed exceptions table ``critique/data/country_exceptions.csv`` (``name, iso3, reason``):
   codes and spellings that country_converter does not know or gets wrong, and areas that have no
   ISO3 on purpose (UNODC's regional aggregates, Sark), whose ``iso3`` is left empty;
2. the ISO3 codes of country_converter (Stadler 2017, "The country converter coco", JOSS 2(16):332);
3. its ISO2 codes (two-letter values);
4. its name regular expressions (a name must match exactly one country).

Parts of a country that publishers report on their own (UNODC's ``GBR_E_W``, ``GBR_S``, ``GBR_NI``,
``IRQ_C``, ``IRQ_KRI``, and "England and Wales", "Scotland, UK", "GB-SCT" ... in any spelling: see
:mod:`critique.datasets.subnational`) are never mapped to their country silently: by default they are
an error; ``subnational="keep"`` keeps each part with its own code, ``subnational="parent"`` merges
it into its country on purpose.

Anything else is an error that names every unmapped value and suggests the closest codes: a silent
"not found" would drop a country from a sum. country_converter's own "not found" log lines are
silenced here because this module raises instead.

country_converter 1.3 cannot build its converter under pandas 3 (its table is read so that
Namibia's ISO2 "NA" and three empty ISO2 cells become NaN, and ``re.compile`` then fails), so the
table is read here as plain text and handed to it as a DataFrame.
"""
from __future__ import annotations

import csv
import difflib
import logging
import re
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Literal, overload

import pandas as pd

from critique.datasets import paths
from critique.datasets.subnational import (  # noqa: F401  (re-exported: the parts of countries)
    _is_missing, _norm, mentions_a_part, subnational_file, subnational_of, subnational_units)

Source = Literal["ISO3", "ISO2", "name"] | None
Subnational = Literal["error", "keep", "parent"]

_NEVER_MATCHES = r"(?!)"  # regex for countries without an ISO2 code: matches nothing
_INT_COLUMNS = ("ISOnumeric", "UNcode", "FAOcode", "GBDcode", "EURO", "UN", "UNmember", "obsolete",
                "GEOnumeric")


def exceptions_file() -> Path:
    """The committed exceptions table (``name, iso3, reason``)."""
    return paths.package_dir() / "datasets" / "lookups" / "country_exceptions.csv"


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, str | None]:
    """Normalised name -> ISO3 (None: deliberately no ISO3, e.g. a regional aggregate)."""
    out: dict[str, str | None] = {}
    with open(exceptions_file(), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row.get("reason", "").strip():
                raise ValueError(f"{exceptions_file()}: row '{row['name']}' has no reason")
            out[_norm(row["name"])] = row["iso3"].strip() or None
    return out


@lru_cache(maxsize=1)
def _exception_names() -> dict[str, str]:
    """ISO3 or name in the exceptions table -> display name (the first name listed for a code)."""
    out: dict[str, str] = {}
    with open(exceptions_file(), encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"].strip():
                out.setdefault(row["iso3"].strip(), row["name"].strip())
    return out


@lru_cache(maxsize=1)
def _coco_table() -> pd.DataFrame:
    """country_converter's country table, read as text (see the module docstring for why)."""
    import country_converter

    tsv = Path(country_converter.__file__).with_name("country_data.tsv")
    table = pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")
    for col in table.columns:
        if col in _INT_COLUMNS:
            table[col] = pd.to_numeric(table[col].replace("", None), errors="coerce").astype("Int64")
    table["ISO2"] = table["ISO2"].where(table["ISO2"] != "", _NEVER_MATCHES)
    return table


@lru_cache(maxsize=1)
def _converter():
    """A country_converter.CountryConverter over the current (non-obsolete) countries."""
    import country_converter

    with _quiet():
        return country_converter.CountryConverter(country_data=_coco_table().copy())


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence country_converter's log warnings ("X not found in regex"): we raise instead."""
    logger = logging.getLogger("country_converter")
    sub = logging.getLogger("country_converter.country_converter")
    old = logger.level, sub.level
    logger.setLevel(logging.CRITICAL)
    sub.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(old[0])
        sub.setLevel(old[1])


@lru_cache(maxsize=1)
def _current() -> pd.DataFrame:
    table = _converter().data
    return table[table["obsolete"].isna()] if "obsolete" in table else table


@lru_cache(maxsize=1)
def valid_iso3() -> frozenset[str]:
    """Every ISO3 code this module accepts (current countries, plus codes in the exceptions table)."""
    codes = set(_current()["ISO3"].dropna())
    codes |= {code for code in _exceptions().values() if code}
    return frozenset(codes)


@lru_cache(maxsize=1)
def _iso2_to_iso3() -> dict[str, str]:
    # most cells are a plain code; a few are alternatives written as a regex ("^GB$|^UK$")
    table = _current()
    out: dict[str, str] = {}
    for iso2, iso3 in zip(table["ISO2"], table["ISO3"]):
        for code in re.findall(r"[A-Za-z]{2}", iso2 if iso2 != _NEVER_MATCHES else ""):
            out.setdefault(code.upper(), iso3)
    return out


_UNMAPPED = object()


@lru_cache(maxsize=4096)
def _one(value: str, src: Source) -> str | None | object:
    """ISO3 of one stripped value, None for a documented "no ISO3", _UNMAPPED when unknown."""
    key = _norm(value)
    exceptions = _exceptions()
    if key in exceptions:
        return exceptions[key]
    upper = value.upper()
    if src in (None, "ISO3") and len(value) == 3 and upper in valid_iso3():
        return upper
    if src in (None, "ISO2") and len(value) == 2 and upper in _iso2_to_iso3():
        return _iso2_to_iso3()[upper]
    if src in (None, "name") and len(value) > 3:
        with _quiet():
            found = _converter().convert([value], src="regex", to="ISO3", enforce_list=True,
                                         not_found=None)[0]
        found = [code for code in found if code != value]  # not_found=None echoes the input
        if len(found) == 1 and not mentions_a_part(value):  # "New England" is not GBR
            return str(found[0])
    return _UNMAPPED


@overload
def to_iso3(names_or_codes: pd.Series, *, src: Source = None,
            subnational: Subnational = "error") -> pd.Series: ...
@overload
def to_iso3(names_or_codes: str, *, src: Source = None, subnational: Subnational = "error") -> str | None: ...
@overload
def to_iso3(names_or_codes: Iterable[object], *, src: Source = None,
            subnational: Subnational = "error") -> list[str | None]: ...


def to_iso3(names_or_codes, *, src: Source = None, subnational: Subnational = "error"):
    """ISO 3166-1 alpha-3 codes for country names, ISO2 or ISO3 codes.

    ``src`` restricts the kind of input ("ISO3", "ISO2", "name"); None guesses from the length
    (the exceptions table is always consulted first). Missing values stay missing; a value the
    exceptions table maps to no code (a regional aggregate) becomes missing. A Series comes back
    as a Series with the same index, a string as a string, anything else as a list.

    A part of a country (``subnational_units.csv``: ``GBR_S``, "United Kingdom (Scotland)",
    ``IRQ_C`` ...) is never mapped silently: ``subnational="error"`` (default) raises, ``"keep"``
    returns the part's own code (``GBR_S``), ``"parent"`` returns its country (``GBR``) because the
    caller asked for the merge.

    Raises ``critique.core.errors.DataError`` naming every value that could not be mapped, with the
    closest known codes, or every sub-national value when ``subnational="error"``.
    """
    if subnational not in ("error", "keep", "parent"):
        raise ValueError(f"to_iso3: subnational='{subnational}' is not one of 'error', 'keep', 'parent'")
    if isinstance(names_or_codes, str):
        return to_iso3([names_or_codes], src=src, subnational=subnational)[0]
    if isinstance(names_or_codes, pd.Series):
        values = names_or_codes
        uniques = values.dropna().unique()
        mapping = dict(zip(uniques, to_iso3(list(uniques), src=src, subnational=subnational)))
        return values.map(mapping).astype("str")
    if src not in (None, "ISO3", "ISO2", "name"):
        raise ValueError(f"to_iso3: src='{src}' is not one of None, 'ISO3', 'ISO2', 'name'")
    out: list[str | None] = []
    unmapped: list[str] = []
    parts: list[str] = []
    for value in names_or_codes:
        if _is_missing(value):
            out.append(None)
            continue
        text = str(value).strip()
        part = subnational_of(text)
        if part is not None:
            if subnational == "error":
                parts.append(f"'{text}' ({part[0]}, part of {part[1]})")
            out.append(part[0] if subnational == "keep" else part[1])
            continue
        code = _one(text, src)
        if code is _UNMAPPED:
            unmapped.append(text)
            out.append(None)
        else:
            out.append(code)  # type: ignore[arg-type]
    if parts:
        from critique.core.errors import DataError

        raise DataError(
            f"sub-national unit(s), not countries: {'; '.join(sorted(set(parts)))}. Pass "
            "subnational='keep' to keep each part with its own code, or subnational='parent' to merge "
            f"it into its country on purpose (see {subnational_file().name})"
        )
    if unmapped:
        from critique.core.errors import DataError

        parts = []
        for text in sorted(set(unmapped)):
            close = closest_iso3(text)
            parts.append(f"'{text}'" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        kind = f" as {src}" if src else ""
        raise DataError(
            f"country value(s) not recognised{kind}: {'; '.join(parts)}. Add a row with a reason to "
            f"{exceptions_file().name} if the name is right"
        )
    return out


def name_of(iso3: str) -> str:
    """The short English name of an ISO3 code (country_converter's ``name_short``).

    Codes that exist only in the exceptions table get the first name listed there.
    """
    code = str(iso3).strip().upper()
    table = _current()
    hit = table.loc[table["ISO3"] == code, "name_short"]
    if len(hit):
        return str(hit.iloc[0])
    if code in _exception_names():
        return _exception_names()[code]
    from critique.core.errors import DataError

    close = closest_iso3(code)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise DataError(f"unknown ISO3 code '{iso3}'{hint}")


def closest_iso3(text: str, n: int = 3) -> list[str]:
    """Up to ``n`` ISO3 codes close to ``text`` (a mistyped code or name), best first.

    Method: difflib's ratio (Ratcliff/Obershelp) over codes for three-letter input, else over
    normalised short and official names; used for "unknown ISO3, did you mean" messages.
    """
    text = str(text).strip()
    table = _current()
    out: list[str] = []
    if len(text) == 3:
        out += difflib.get_close_matches(text.upper(), sorted(valid_iso3()), n=n, cutoff=0.6)
    names: dict[str, str] = {}
    for name, code in zip(table["name_short"], table["ISO3"]):
        names.setdefault(_norm(name), code)
    for name, code in zip(table["name_official"], table["ISO3"]):
        names.setdefault(_norm(name), code)
    for name, code in _exceptions().items():
        if code:
            names.setdefault(name, code)
    for match in difflib.get_close_matches(_norm(text), list(names), n=n * 2, cutoff=0.6):
        out.append(names[match])
    # a name that contains a known short name ("Republic of Moldova (the)") is a good guess too
    if not out and len(text) > 3:
        out += [code for name, code in names.items() if len(name) > 3 and re.search(re.escape(name), _norm(text))]
    seen: list[str] = []
    for code in out:
        if code not in seen:
            seen.append(code)
    return seen[:n]
