"""A country's series for its profile: UNODC detected victims by form, coverage, and the context rows.

Pure functions, frames in and frames out (see :mod:`critique.publish.profiles`)."""
from __future__ import annotations

import difflib
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd



FORMS = ("Sexual exploitation", "Forced labour", "Other forms of exploitation")
INDICATOR = "Detected trafficking victims"
SHORT_SERIES_YEARS = 5  # fewer reported years than this: no trend is read (see what_not_to_conclude)
OTHER_SPLIT_YEAR = 2017  # the 2023 workbook splits "Other forms" into sub-forms from 2017


# --------------------------------------------------------------------------------------------
# Which countries, and checking a requested code
# --------------------------------------------------------------------------------------------
def countries_with_data(glotip: pd.DataFrame) -> list[str]:
    """ISO3 codes with at least one usable UNODC cell (a value or a suppressed "<5") for any
    indicator (rows flagged in ``exclude_reason``, such as placeholders, do not count)."""
    from critique.datasets.glotip_rules import usable

    glotip = usable(glotip)
    has = glotip["value"].notna() | glotip["suppressed"].astype(bool)
    codes = glotip.loc[has & glotip["iso3"].notna(), "iso3"].astype(str).unique()
    return sorted(codes)


def check_iso3(codes: Iterable[str], available: Sequence[str]) -> list[str]:
    """Upper-cased codes, each one in ``available``; otherwise a ParameterError naming the code
    and the closest codes (a real ISO3 without UNODC data is told so, with close codes that have).
    """
    avail = set(available)
    out: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if code in avail:
            out.append(code)
            continue
        # imported only to refuse: runner pulls in nbformat/jsonschema (3 s) and countries builds
        # country_converter's table, which a profile run that passes the check does not need
        from critique.datasets import countries
        from critique.core.errors import ParameterError

        if code in countries.valid_iso3():
            close = difflib.get_close_matches(code, sorted(avail), n=3, cutoff=0.5)
            raise ParameterError(
                f"iso3 '{raw}' ({countries.name_of(code)}) has no UNODC data in glotip, so it has no "
                f"profile" + (f"; close codes with data: {', '.join(close)}" if close else ""))
        close = [c for c in countries.closest_iso3(str(raw), n=5) if c in avail][:3]
        if not close:
            close = difflib.get_close_matches(code, sorted(avail), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ParameterError(f"iso3 '{raw}' is not an ISO 3166-1 alpha-3 code of a country with "
                             f"UNODC data{hint} ({len(avail)} countries have a profile)")
    return out


# --------------------------------------------------------------------------------------------
# The UNODC series by form, with coverage and suppressed cells
# --------------------------------------------------------------------------------------------
def form_series(glotip: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Detected victims by form of exploitation and year (sex and age Total), plus the national total.

    Columns: year, form (the three forms and ``Total``), value (sum of published numbers; missing
    when any part is suppressed: then only the bounds are known), low and high (bounds: a "<5" cell counts 0 and 4),
    suppressed (any part was "<5"), parts (rows summed: "Other forms" has sub-forms from 2017),
    all_suppressed (every part was "<5"). Only usable cells appear (``exclude_reason`` missing:
    UNODC's placeholder rows and a form row repeating the total are left out): a missing year is
    *not reported*, not zero.
    """
    from critique.datasets.glotip_rules import usable

    glotip = usable(glotip)
    sel = glotip.loc[(glotip["iso3"] == iso3) & (glotip["indicator"] == INDICATOR)
                     & (glotip["sex"] == "Total") & (glotip["age"] == "Total")
                     & (((glotip["dimension"] == "by form of exploitation") & glotip["category"].isin(FORMS))
                        | ((glotip["dimension"] == "Total") & (glotip["category"] == "Total")))]
    sel = sel.loc[sel["value"].notna() | sel["suppressed"].astype(bool)]
    if sel.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int), "form": pd.Series(dtype=str),
                             "value": pd.Series(dtype=float), "low": pd.Series(dtype=float),
                             "high": pd.Series(dtype=float), "suppressed": pd.Series(dtype=bool),
                             "parts": pd.Series(dtype=int), "all_suppressed": pd.Series(dtype=bool)})
    frame = pd.DataFrame({
        "year": sel["year"].astype(int).to_numpy(),
        "form": np.where(sel["dimension"].to_numpy() == "Total", "Total", sel["category"].astype(str).to_numpy()),
        "value": sel["value"].astype(float).to_numpy(),
        "low": sel["value"].fillna(sel["value_low"]).astype(float).to_numpy(),
        "high": sel["value"].fillna(sel["value_high"]).astype(float).to_numpy(),
        "suppressed": sel["suppressed"].astype(bool).to_numpy(),
    })
    out = frame.groupby(["year", "form"], as_index=False).agg(
        value=("value", lambda v: v.sum(min_count=1)), low=("low", "sum"), high=("high", "sum"),
        suppressed=("suppressed", "any"), parts=("value", "size"),
        all_suppressed=("suppressed", "all"))
    # a sum with a suppressed part is only known as bounds: never show a partial sum as the value
    out["value"] = out["value"].mask(out["suppressed"])
    return out.sort_values(["year", "form"]).reset_index(drop=True)


def coverage(series: pd.DataFrame, years: Sequence[int], partial: Sequence[int] = ()) -> pd.DataFrame:
    """Per data year: whether a total and which forms were reported, and suppressed cells.

    Columns: year, total_reported, forms_reported (0-3), suppressed_cells, status
    (``not reported``, ``total only``, ``forms only``, ``total and forms``; ``"all <5"`` is added
    when every form cell of the year is "<5", i.e. 0 to 4 each: no mix of forms can be read; a
    year in ``partial`` (the release's incomplete latest year) that has nothing is ``not yet
    reported (release lag)``, not ``not reported``).
    """
    yrs = pd.Index(list(years), name="year")
    tot = series.loc[series["form"] == "Total"].set_index("year")
    forms = series.loc[series["form"] != "Total"]
    out = pd.DataFrame(index=yrs)
    out["total_reported"] = yrs.isin(tot.index)
    out["forms_reported"] = forms.groupby("year")["form"].nunique().reindex(yrs).fillna(0).astype(int)
    out["suppressed_cells"] = series.groupby("year")["suppressed"].sum().reindex(yrs).fillna(0).astype(int)
    status = np.select([out["total_reported"] & (out["forms_reported"] > 0), out["total_reported"],
                        out["forms_reported"] > 0], ["total and forms", "total only", "forms only"],
                       "not reported")
    all_sup = forms.groupby("year")["all_suppressed"].all() if "all_suppressed" in forms else pd.Series(dtype=bool)
    all_sup = all_sup.reindex(yrs).fillna(False).astype(bool).to_numpy() & (out["forms_reported"].to_numpy() > 0)
    status = np.where(all_sup, np.char.add(status.astype(str), " (forms all <5)"), status)
    lag = yrs.isin([int(y) for y in partial]) & (status == "not reported")
    out["status"] = np.where(lag, "not yet reported (release lag)", status)
    return out.reset_index()



# --------------------------------------------------------------------------------------------
# Context: tiers, GSI, TIP totals, policies
# --------------------------------------------------------------------------------------------
def tier_history(iso3: str, tiers_frame: pd.DataFrame) -> pd.DataFrame:
    """``critique.methods.tip.tiers.country_tiers`` or, for a country never rated, an empty frame of its columns."""
    from critique.methods.tip import tiers

    try:
        return tiers.country_tiers(iso3, tiers_frame)
    except ValueError:
        return pd.DataFrame(columns=["report_year", "complete_year", "tier", "status", "iso3"])


def tier_changes(history: pd.DataFrame) -> int:
    """How many times the tier differs from the previous *known* tier (unknown years skipped)."""
    known = history.loc[history["tier"].notna(), "tier"].astype(str).tolist()
    return int(sum(a != b for a, b in zip(known, known[1:])))


def gsi_vs_detected(iso3: str, gsi: pd.DataFrame, series: pd.DataFrame) -> dict[str, Any]:
    """The GSI 2023 estimate (reference year 2021) beside the latest national total UNODC has.

    ``ratio`` = detected / estimate for the latest year with a total; it is *not* a detection rate
    (see :func:`what_not_to_conclude`, rule ``gsi``). Missing values are None.
    """
    row = gsi.loc[gsi["iso3"] == iso3]
    est = row["estimated_number"].iloc[0] if len(row) else None
    est = None if est is None or pd.isna(est) else float(est)
    prev = row["prevalence_per_1000"].iloc[0] if len(row) else None
    prev = None if prev is None or pd.isna(prev) else float(prev)
    tot = series.loc[series["form"] == "Total"].sort_values("year")
    latest = tot.iloc[-1] if len(tot) else None
    detected = None if latest is None else float(latest["value"] if pd.notna(latest["value"]) else latest["high"])
    return {"gsi_estimate": est, "gsi_prevalence_per_1000": prev,
            "latest_year": None if latest is None else int(latest["year"]),
            "latest_detected": detected,
            "latest_suppressed": None if latest is None else bool(latest["suppressed"]),
            "ratio": (detected / est) if detected is not None and est else None}


def assessment_row(iso3: str, long: pd.DataFrame) -> pd.DataFrame:
    """The country's row of the assessments set beside the TIP tiers (notebook 32).

    ``long``: ``critique.methods.scorecards.align.long_scores`` (iso3, measure, year, score; higher = better
    for assessments). For each measure, its latest edition: the country's score, its rank among the
    countries in that edition (1 = best; ties share the best rank) and how many there were. Context
    measures (vulnerability, the trafficking *market*) are shown without a rank. A measure that
    does not cover the country says "not assessed".
    """
    from critique.methods.scorecards.align import MEASURES

    rows = []
    for name, m in MEASURES.items():
        sub = long.loc[long["measure"] == name]
        if sub.empty:
            continue
        ed = sub.loc[sub["year"] == sub["year"].max()]
        hit = ed.loc[ed["iso3"] == iso3, "score"]
        score = float(hit.iloc[0]) if len(hit) else None
        rank = int((ed["score"] > score).sum() + 1) if score is not None and m.assessment else None
        rows.append({"measure": m.label, "edition": int(ed["year"].iloc[0]), "scale": m.scale,
                     "score": score, "rank": rank, "of": int(len(ed)) if m.assessment else None,
                     "status": "assessed" if score is not None else "not assessed"})
    return pd.DataFrame(rows, columns=["measure", "edition", "scale", "score", "rank", "of", "status"])


def country_policies(iso3: str, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the policy-changes table for ``iso3`` (every verification status, shown as such)."""
    cols = ["policy_id", "jurisdiction", "policy_type", "instrument", "year_in_force", "verification", "citation"]
    return table.loc[table["iso3"] == iso3, cols].reset_index(drop=True)


def world_context(series: pd.DataFrame, tip_table: pd.DataFrame, glotip: pd.DataFrame) -> pd.DataFrame:
    """The country's national total beside the world's, per year with a total.

    Columns: year, country_detected (upper bound where suppressed), unodc_world (sum of national
    totals of every reporting country that year, suppressed cells at 1: a lower bound),
    unodc_reporting_countries, tip_victims_identified and its verification (TIP global table;
    unverified cells are left out: ``published.established``).
    """
    from critique.datasets import published

    tot = series.loc[series["form"] == "Total", ["year", "value", "high"]]
    from critique.datasets.glotip_rules import usable

    glotip = usable(glotip)
    world = glotip.loc[(glotip["indicator"] == INDICATOR) & (glotip["dimension"] == "Total")
                       & (glotip["category"] == "Total") & (glotip["sex"] == "Total")
                       & (glotip["age"] == "Total") & glotip["iso3"].notna()]
    world = world.assign(v=world["value"].fillna(world["value_low"]))
    w = world.groupby("year").agg(unodc_world=("v", "sum"), unodc_reporting_countries=("iso3", "nunique"))
    tip = published.established(tip_table)[["data_year", "victims_identified", "verification"]]
    tip = tip.dropna(subset=["victims_identified"]).rename(
        columns={"data_year": "year", "victims_identified": "tip_victims_identified",
                 "verification": "tip_verification"})
    tip["year"] = tip["year"].astype(int)
    out = pd.DataFrame({"year": tot["year"].astype(int),
                        "country_detected": tot["value"].fillna(tot["high"]).astype(float)})
    out = out.merge(w.reset_index(), on="year", how="left").merge(tip, on="year", how="left")
    out["country_share_of_unodc_world"] = out["country_detected"] / out["unodc_world"]
    return out.reset_index(drop=True)
