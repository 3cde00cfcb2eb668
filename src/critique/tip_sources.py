"""The TIP report's global law-enforcement totals from two tabulations, each figure cited.

The suite's own table (``tip-law-enforcement``, typed in from TIP editions, each row with its
edition, citation and verification status) has no verified figure for data years 2008, 2010, 2011
and 2014, and only convictions for 2015. Kelley & Heiss tabulated the same totals for 2003-2015
(``tip-law-enforcement-kh``, Scorecard Diplomacy figure 3.2), from TIP editions they do not name.
:func:`fill_gaps` builds one long series, taking a verified figure of the typed table where there
is one and Kelley & Heiss's otherwise, with every value naming where it comes from;
:func:`disagreements` lists the figures where the two tabulations differ. Later TIP editions revise
earlier years, so a difference usually means two editions, not an error (the typed 2005 row comes
from the 2008 edition). Pure functions: frames in, frames out.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from critique.errors import DataError

MEASURES = ("prosecutions", "labor_prosecutions", "convictions", "labor_convictions", "victims_identified",
            "labor_victims_identified", "new_or_amended_legislation")
ESTABLISHED = ("primary", "secondary")
KH_CITATION = ("Kelley, J. G. (2017). Scorecard Diplomacy, figure 3.2; data: Kelley & Heiss, scorecard-diplomacy, "
               "data_figure3_2.csv (from US State Department TIP reports; edition not given)")
KH_ORIGIN = "Kelley & Heiss figure 3.2"
TYPED_ORIGIN = "typed-in TIP table"


def _check(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"tip_sources: {name} lacks column(s) {', '.join(missing)}")


def _long_typed(typed: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    _check(typed, ["data_year", "report_edition", "citation", "verification", *measures], "the typed table")
    rows = typed.melt(id_vars=["data_year", "report_edition", "citation", "verification"],
                      value_vars=list(measures), var_name="measure", value_name="value")
    rows = rows[rows["value"].notna()].copy()
    rows["origin"] = TYPED_ORIGIN
    return rows


def _long_kh(kh: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    _check(kh, ["data_year", *measures], "the Kelley & Heiss table")
    rows = kh.melt(id_vars=["data_year"], value_vars=list(measures), var_name="measure", value_name="value")
    rows = rows[rows["value"].notna()].copy()
    rows["report_edition"] = pd.NA
    rows["citation"] = KH_CITATION
    rows["verification"] = "secondary"
    rows["origin"] = KH_ORIGIN
    return rows


def fill_gaps(typed: pd.DataFrame, kh: pd.DataFrame, *, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """One figure per data year and measure: the typed table's verified figure, else Kelley & Heiss's.

    ``typed`` is ``datasets.load("tip-law-enforcement")`` (rows marked ``unverified`` are not
    used), ``kh`` is ``datasets.load("tip-law-enforcement-kh")``. Returns a long frame
    ``data_year, measure, value, origin, report_edition, citation, verification`` sorted by
    measure and year; ``origin`` says which tabulation the value comes from and ``citation`` cites
    it. A year and measure in neither (established) source is absent, never 0.
    """
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise DataError(f"tip_sources: unknown measure(s) {unknown}; known: {', '.join(MEASURES)}")
    t = _long_typed(typed, measures)
    t = t[t["verification"].isin(ESTABLISHED)]
    k = _long_kh(kh, measures)
    have = set(zip(t["data_year"].astype(int), t["measure"]))
    k = k[[(int(y), m) not in have for y, m in zip(k["data_year"], k["measure"])]]
    out = pd.concat([t, k], ignore_index=True)
    out["data_year"] = out["data_year"].astype(int)
    out["value"] = out["value"].astype("int64")
    cols = ["data_year", "measure", "value", "origin", "report_edition", "citation", "verification"]
    order = {m: i for i, m in enumerate(measures)}
    out = out.assign(_m=out["measure"].map(order)).sort_values(["_m", "data_year"], kind="stable")
    return out[cols].reset_index(drop=True)


def disagreements(typed: pd.DataFrame, kh: pd.DataFrame, *, measures: Sequence[str] = MEASURES,
                  include_unverified: bool = True) -> pd.DataFrame:
    """Data years and measures where the typed table and Kelley & Heiss give different figures.

    Columns ``data_year, measure, typed, typed_edition, typed_verification, kh, difference``
    (``kh - typed``) and ``relative`` (difference / typed). With ``include_unverified`` the typed
    table's unverified rows are compared too (they are marked in ``typed_verification``).
    """
    t = _long_typed(typed, measures)
    if not include_unverified:
        t = t[t["verification"].isin(ESTABLISHED)]
    k = _long_kh(kh, measures)
    m = t.merge(k[["data_year", "measure", "value"]], on=["data_year", "measure"], suffixes=("_typed", "_kh"))
    m = m[m["value_typed"] != m["value_kh"]]
    out = pd.DataFrame({
        "data_year": m["data_year"].astype(int), "measure": m["measure"],
        "typed": m["value_typed"].astype("int64"), "typed_edition": m["report_edition"],
        "typed_verification": m["verification"], "kh": m["value_kh"].astype("int64"),
    })
    out["difference"] = out["kh"] - out["typed"]
    out["relative"] = out["difference"] / out["typed"].where(out["typed"] != 0)
    return out.sort_values(["data_year", "measure"], ignore_index=True)


def agreement_summary(typed: pd.DataFrame, kh: pd.DataFrame, *, measures: Sequence[str] = MEASURES) -> dict[str, int]:
    """How many year-measure figures both tabulations give, and in how many they agree."""
    t = _long_typed(typed, measures)
    k = _long_kh(kh, measures)
    m = t.merge(k[["data_year", "measure", "value"]], on=["data_year", "measure"], suffixes=("_typed", "_kh"))
    return {"compared": int(len(m)), "agree": int((m["value_typed"] == m["value_kh"]).sum()),
            "differ": int((m["value_typed"] != m["value_kh"]).sum())}
