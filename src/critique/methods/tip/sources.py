"""The TIP report's global law-enforcement totals from two tabulations, each figure cited.

The suite's own table (``tip-law-enforcement``, typed in from TIP editions, each row with its
edition, citation and verification status) has no verified figure for data years 2008, 2010, 2011
and 2014, and only convictions for 2015. Kelley & Heiss tabulated the same totals for 2003-2015
(``tip-law-enforcement-kh``, Scorecard Diplomacy figure 3.2): a secondary tabulation whose figures
come from different TIP editions, which it does not name (its 2003-2004 and 2006-2007 totals equal
the 2008 edition's, its 2005 totals do not).
:func:`fill_gaps` builds one long series, taking a verified figure of the typed table where there
is one and Kelley & Heiss's otherwise, with every value naming where it comes from;
:func:`disagreements` lists the figures where the two tabulations differ. Later TIP editions revise
earlier years, so a difference usually means two editions, not an error (the typed 2005 row comes
from the 2008 edition). :func:`filled_table` gives the filled series in the typed table's own shape
(one row per data year, verification and origin), so ``critique.methods.tip.enforcement`` reads it unchanged and
every figure keeps its ``origin``. Pure functions: frames in, frames out.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from critique.core.errors import DataError

MEASURES = ("prosecutions", "labor_prosecutions", "convictions", "labor_convictions", "victims_identified",
            "labor_victims_identified", "new_or_amended_legislation")
ESTABLISHED = ("primary", "secondary")
KH_CITATION = ("Kelley, J. G. (2017). Scorecard Diplomacy, figure 3.2; data: Kelley & Heiss, scorecard-diplomacy, "
               "data_figure3_2.csv (from US State Department TIP reports; edition not given)")
KH_ORIGIN = "Kelley & Heiss figure 3.2"
KH_SOURCE_URL = "https://github.com/andrewheiss/scorecard-diplomacy"
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


def filled_table(typed: pd.DataFrame, kh: pd.DataFrame, *, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The typed table with the figures it lacks added from Kelley & Heiss, in the typed table's shape.

    ``typed`` is ``datasets.load("tip-law-enforcement")`` (one row per data year and verification
    status), ``kh`` is ``datasets.load("tip-law-enforcement-kh")``. Returns the typed rows with an
    ``origin`` column (:data:`TYPED_ORIGIN`) followed by one row per data year that Kelley & Heiss
    fill, ``origin`` :data:`KH_ORIGIN`, ``verification`` ``secondary`` (a published secondary
    tabulation, stored and checksummed), ``citation`` :data:`KH_CITATION`, ``report_edition`` missing
    (the file does not name it). A figure is filled exactly where :func:`fill_gaps` takes Kelley &
    Heiss's: where the typed table has no primary or secondary figure for that year and measure.

    A verified (primary or secondary) typed figure is never replaced. An *unverified* typed figure
    (recalled, never checked) gives way to the cited Kelley & Heiss figure for the same year and
    measure: it is blanked in its row, so each figure sits in one row only, and where the two
    differed :func:`disagreements` still lists it. The input frames are not modified.
    """
    _check(typed, ["data_year", "verification", "citation", *measures], "the typed table")
    filled = fill_gaps(typed, kh, measures=measures)
    filled = filled[filled["origin"] == KH_ORIGIN]
    out = typed.copy()
    out["origin"] = TYPED_ORIGIN
    unverified = out["verification"] == "unverified"
    for r in filled.itertuples(index=False):
        out.loc[unverified & (out["data_year"] == r.data_year), r.measure] = pd.NA
    rows = filled.pivot(index="data_year", columns="measure", values="value")
    rows = rows.reindex(columns=[c for c in typed.columns if c in rows.columns]).reset_index()
    rows["report_edition"] = pd.NA
    rows["verification"] = "secondary"
    rows["citation"] = KH_CITATION
    rows["source_url"] = KH_SOURCE_URL
    rows["origin"] = KH_ORIGIN
    rows["note"] = "Filled from Kelley & Heiss: the typed table has no verified figure for this year and measure"
    rows = rows.astype({c: out[c].dtype for c in rows.columns if c in out.columns and c != "report_edition"})
    out = pd.concat([out, rows], ignore_index=True)
    out["report_edition"] = out["report_edition"].astype("Int64")
    return out.sort_values(["data_year", "origin"], kind="stable", ignore_index=True)


def filled_figures(typed: pd.DataFrame, kh: pd.DataFrame, *, measures: Sequence[str] = MEASURES) -> pd.DataFrame:
    """The figures :func:`filled_table` takes from Kelley & Heiss, one row each, with what they replace.

    Columns of :func:`fill_gaps` (``origin`` always :data:`KH_ORIGIN`) plus ``typed_unverified``:
    the typed table's unverified figure for the same year and measure that the cited figure
    replaces (missing where the typed table has none).
    """
    f = fill_gaps(typed, kh, measures=measures)
    f = f[f["origin"] == KH_ORIGIN].drop(columns="report_edition")
    u = _long_typed(typed, measures)
    u = u[u["verification"] == "unverified"][["data_year", "measure", "value"]]
    u = u.astype({"data_year": "int64", "value": "Int64"}).rename(columns={"value": "typed_unverified"})
    return f.merge(u, on=["data_year", "measure"], how="left").reset_index(drop=True)
