"""Loaders of the 3P index and the GI-TOC Organized Crime Index (issue 16), schemas beside them.

- ``3p-index``: the 3P Anti-trafficking Policy Index (Cho, Dreher & Neumayer; prosecution,
  protection, prevention 1-5 and their unweighted sum 3-15) as assembled with TIP tiers by Kelley &
  Heiss (Stata file, read with ``pandas.read_stata``): every row of the file (3,021 country-years).
  The file's ``code`` column is a Correlates of War abbreviation, not ISO3 (``MAC`` is both
  Macedonia and Macau, ``SAF`` is South Africa), so ISO3 comes from the country name.
- ``oc-index``: GI-TOC Global Organized Crime Index 2021 and 2023, one row per country, edition
  and indicator (scores 1-10; expert assessments).

The Walk Free GSI 2023 full dataset has its own module (``gsi_full``). Every country row is kept;
countries become ISO3 through ``critique.datasets.countries``.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from critique.datasets import DataError, register
from critique.datasets import schemas
from critique.datasets.upstream import _clean_text, _find_header, _iso3, _snake, _text
from critique.datasets.sheets import floats as _floats
from critique.datasets.sheets import iso3_col as _iso3_col
from critique.datasets.sheets import sheet_rows as _sheet_rows

TIER_3P = {1.0: "1", 2.0: "2", 2.5: "2WL", 3.0: "3"}
TIER_3P_STATUS = {555.0: "not rated", 666.0: "special case"}

THREE_P = pa.DataFrameSchema(
    {
        "iso3": _iso3_col(),
        "country": pa.Column("str"),
        "year": pa.Column("int64", pa.Check.in_range(1999, 2014)),
        "ccode": pa.Column("int64"),
        "prosecution": pa.Column("float64", pa.Check.in_range(1, 5), nullable=True),
        "protection": pa.Column("float64", pa.Check.in_range(1, 5), nullable=True),
        "prevention": pa.Column("float64", pa.Check.in_range(1, 5), nullable=True),
        "score_3p": pa.Column("float64", pa.Check.in_range(3, 15), nullable=True),
        "tier_kh": pa.Column(pd.CategoricalDtype(list(schemas.TIERS), ordered=True), nullable=True),
        "tier_status": pa.Column("str", pa.Check.isin(["rated", "not rated", "special case", "missing"])),
    },
    checks=[
        pa.Check(lambda f: ~f[["prosecution", "protection", "prevention"]].notna().all(axis=1)
                 | f["score_3p"].eq(f[["prosecution", "protection", "prevention"]].sum(axis=1)),
                 error="score_3p must be the sum of prosecution, protection and prevention"),
    ],
    unique=["iso3", "year"], strict=True, ordered=True, name="3p-index",
)

OC_INDEX = pa.DataFrameSchema(
    {
        "iso3": _iso3_col(),
        "country": pa.Column("str"),
        "continent": pa.Column("str"),
        "region": pa.Column("str"),
        "edition": pa.Column("int64", pa.Check.isin([2021, 2023])),
        "pillar": pa.Column("str", pa.Check.isin(["criminality", "criminal markets", "criminal actors", "resilience"])),
        "indicator": pa.Column("str"),
        "is_average": pa.Column("bool"),
        "score": pa.Column("float64", pa.Check.in_range(1, 10, error="must be a score in 1..10")),
    },
    unique=["iso3", "edition", "indicator"], strict=True, ordered=True, name="oc-index",
)

schemas.SCHEMAS.update({"3p-index": THREE_P, "oc-index": OC_INDEX})

# ---------------------------------------------------------------- 3P index (Stata)

# Names in the Stata file that critique.datasets.countries cannot read, spelled out as Kelley & Heiss do in
# scorecard-diplomacy analysis/policy_index.R (CentralAfRep, DomRep, SaoT&P, SolomanIs, UArabEmir);
# PapuaNG and UK added here. The file's own `code` is a Correlates of War abbreviation, not ISO3.
THREE_P_NAMES = {
    "CentralAfRep": "Central African Republic",
    "DomRep": "Dominican Republic",
    "PapuaNG": "Papua New Guinea",
    "SaoT&P": "Sao Tome and Principe",
    "SolomanIs": "Solomon Islands",
    "UArabEmir": "United Arab Emirates",
    "UK": "United Kingdom",
}


@register("3p-index", version="1")
def parse_3p_index(path: Path) -> pd.DataFrame:
    """3P Anti-trafficking Policy Index with TIP tiers (Kelley & Heiss's Stata assembly): every row.

    Columns: iso3, country (the file's ``name``), year, ccode (Correlates of War number), prosecution,
    protection, prevention (1 worst - 5 best), score_3p (their unweighted sum, 3-15; the file's
    ``p``), tier_kh (the file's ``tierupdated``: 1, 2, 2.5 = Watch List, 3) and tier_status
    ("rated"; 555 "not rated"; 666 "special case", as Kelley & Simmons's replication code treats
    both codes as no tier; "missing" for a blank). Read with ``pandas.read_stata``.
    """
    file = path.name
    try:
        raw = pd.read_stata(path, convert_categoricals=False)
    except Exception as exc:  # pandas raises ValueError / struct.error on a damaged file
        raise DataError(f"{file}: not a readable Stata file ({type(exc).__name__}: {str(exc)[:120]})") from None
    need = ["name", "year", "ccode", "tierupdated", "prosecution", "protection", "prevention", "p"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise DataError(f"{file}: column(s) {missing} missing (found: {list(raw.columns)})")
    name = _text(raw["name"].astype(str).str.replace("\x92", "'", regex=False))
    iso3 = _iso3(name.replace(THREE_P_NAMES), file=file, column="name", src="name")
    tier_raw = raw["tierupdated"].astype(float)
    known = tier_raw.isna() | tier_raw.isin(list(TIER_3P) + list(TIER_3P_STATUS))
    if not known.all():
        i = int(np.argmax(~known.to_numpy()))
        raise DataError(f"{file}: column 'tierupdated' value {tier_raw.iloc[i]!r} at row {i + 1} is not a "
                        "tier code (1, 2, 2.5, 3, 555 not rated, 666 special case)")
    status = np.where(tier_raw.isna(), "missing",
                      np.where(tier_raw.isin(list(TIER_3P)), "rated", tier_raw.map(TIER_3P_STATUS).fillna("")))
    frame = pd.DataFrame({
        "iso3": iso3,
        "country": name,
        "year": raw["year"].astype("int64"),
        "ccode": raw["ccode"].astype("int64"),
        "prosecution": raw["prosecution"].astype("float64"),
        "protection": raw["protection"].astype("float64"),
        "prevention": raw["prevention"].astype("float64"),
        "score_3p": raw["p"].astype("float64"),
        "tier_kh": pd.Categorical(tier_raw.map(TIER_3P), categories=list(schemas.TIERS), ordered=True),
        "tier_status": pd.Series(status, dtype="str"),
    })
    frame = schemas.validate(frame, "3p-index", file=file, row_offset=1)
    parts = frame[["prosecution", "protection", "prevention"]]
    frame.attrs.update({
        "rows": int(len(frame)),
        "score_without_all_parts": int((frame["score_3p"].notna() & parts.isna().any(axis=1)).sum()),
    })
    return frame


# ---------------------------------------------------------------- GI-TOC Organized Crime Index

OC_SHEETS = {2021: "2021_dataset", 2023: "2023_dataset"}
_OC_AVERAGES = {"criminality": "criminality", "criminal markets": "criminal markets",
                "criminal actors": "criminal actors", "resilience": "resilience"}


def _oc_name(raw: object) -> str:
    """'Criminality avg,' (2023) and 'Criminality' (2021) -> 'Criminality'."""
    text = _clean_text(raw).rstrip(",").strip()
    return re.sub(r"\s+avg$", "", text)


@register("oc-index", version="1")
def parse_oc_index(path: Path) -> pd.DataFrame:
    """GI-TOC Global Organized Crime Index 2021 and 2023: one row per country, edition, indicator.

    ``pillar`` follows the column order of the sheets (criminal markets, then criminal actors, then
    resilience); ``is_average`` marks the published averages (Criminality, Criminal markets,
    Criminal actors, Resilience). Scores run 1-10: for markets and actors higher means more
    organized crime, for resilience higher means more resilience. 193 countries per edition.
    """
    file = path.name
    parts = []
    for edition, sheet in OC_SHEETS.items():
        rows = _sheet_rows(path, sheet)
        h = _find_header(rows, ("Continent", "Region", "Country"), file=f"{file} [{sheet}]")
        names = [_oc_name(c) for c in rows[h]]
        body = [r for r in rows[h + 1:] if r and r[names.index("Country")] not in (None, "")]
        first = h + 2
        country = _text([r[names.index("Country")] for r in body])
        iso3 = _iso3(country, file=file, column="Country", src="name")
        pillar = None
        for j, name in enumerate(names):
            if name in ("Continent", "Region", "Country") or not name:
                continue
            key = name.lower()
            if key in _OC_AVERAGES:
                pillar = _OC_AVERAGES[key]
                this_pillar, is_avg = pillar, True
            else:
                if pillar is None or pillar == "criminality":
                    raise DataError(f"{file} [{sheet}]: column '{name}' comes before any pillar average")
                this_pillar, is_avg = pillar, False
            scores = _floats([r[j] if j < len(r) else None for r in body], file=f"{file} [{sheet}]",
                             column=name, first_row=first)
            if np.isnan(scores).any():
                i = int(np.argmax(np.isnan(scores)))
                raise DataError(f"{file} [{sheet}]: column '{name}' is empty at row {i + first}")
            parts.append(pd.DataFrame({
                "iso3": iso3, "country": country,
                "continent": _text([r[names.index("Continent")] for r in body]),
                "region": _text([r[names.index("Region")] for r in body]),
                "edition": edition, "pillar": this_pillar, "indicator": name,
                "is_average": is_avg, "score": scores,
            }))
    frame = pd.concat(parts, ignore_index=True)
    frame["edition"] = frame["edition"].astype("int64")
    for c in ("iso3", "country", "continent", "region", "pillar", "indicator"):
        frame[c] = frame[c].astype("str")
    frame = schemas.validate(frame, "oc-index", file=file, row_offset=0)
    frame.attrs.update({"countries_2021": int(frame.loc[frame.edition == 2021, "iso3"].nunique()),
                        "countries_2023": int(frame.loc[frame.edition == 2023, "iso3"].nunique())})
    return frame


def snake(name: str) -> str:
    """An OC Index indicator name as a column name ("Victim and witness support" -> victim_and_witness_support)."""
    return _snake(name)
