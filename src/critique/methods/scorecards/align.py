"""Assessments of government action and their context, aligned by country and year.

Each source becomes rows of one long frame (iso3, measure, year, score) with **higher = better
government action** for the assessments. Years are each source's own year: the TIP report year
(complete report years only: in a partial transcription a missing country is unknown), the 3P
year as Kelley & Heiss assembled it beside the tier of the same report year, the edition year of
the GSI (2023; the workbook does not date its ratings) and of the GI-TOC editions (2021, 2023).
:func:`align` picks, for each measure, the edition nearest a requested year (at most ``max_gap``
years away) and says which edition it used and which measures it left out and why.

Context measures are not assessments of government action and are never ranked as such: GSI
vulnerability (higher = more vulnerable), GI-TOC's human-trafficking *market* score (higher = a
more pervasive market, an expert judgement), and the number of years a country reported detected
victims to UNODC (reporting capacity).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import N_, _


@dataclass(frozen=True)
class Measure:
    """One measure: its label, the datasets it comes from, and whether it rates government action."""

    name: str
    label: str
    datasets: tuple[str, ...]
    assessment: bool  # False: context (vulnerability, market, reporting), never ranked as effort
    scale: str


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("tip_tier", N_("TIP tier"), ("tip-tiers", "tip-tiers-2016-2025"), True,
            "1 = Tier 3, 2 = Watch List, 3 = Tier 2, 4 = Tier 1"),
    Measure("gsi_response", N_("GSI government response"), ("gsi-2023-summary",), True, "% of points"),
    Measure("gsi_rights", N_("Rights-based sub-index (GSI indicators)"), ("gsi-2023-indicators",), True,
            "% of selected positive indicators, negatives subtracted"),
    Measure("p3", N_("3P policy index"), ("3p-index",), True, "3-15"),
    Measure("oc_resilience", N_("GI-TOC resilience"), ("oc-index",), True, "1-10"),
    Measure("oc_victim_support", N_("GI-TOC victim and witness support"), ("oc-index",), True, "1-10"),
    Measure("oc_prevention", N_("GI-TOC prevention"), ("oc-index",), True, "1-10"),
    Measure("gsi_vulnerability", N_("GSI vulnerability (context)"), ("gsi-2023-summary",), False, "%"),
    Measure("oc_ht_market", N_("GI-TOC human-trafficking market (context)"), ("oc-index",), False, "1-10"),
    Measure("unodc_years_reporting", N_("Years reporting detected victims to UNODC (context)"), ("glotip",), False,
            "years"),
)}
ASSESSMENTS = tuple(n for n, m in MEASURES.items() if m.assessment)
TIER_SCORE = {"3": 1.0, "2WL": 2.0, "2": 3.0, "1": 4.0}
GSI_YEAR = 2023
P3_LAST_YEAR = 2013
OC_NAMES = {"oc_resilience": "Resilience", "oc_victim_support": "Victim and witness support",
            "oc_prevention": "Prevention", "oc_ht_market": "Human trafficking"}


def check_measures(names: Iterable[str], *, assessments_only: bool = False) -> list[str]:
    """Known measure names, in order, without repeats; an unknown or empty list is refused."""
    names = list(dict.fromkeys(names))
    allowed = ASSESSMENTS if assessments_only else tuple(MEASURES)
    if not names:
        raise ParameterError(f"no measures given; allowed: {', '.join(allowed)}")
    bad = [n for n in names if n not in allowed]
    if bad:
        import difflib

        hint = {b: difflib.get_close_matches(b, allowed, n=1) for b in bad}
        raise ParameterError(f"unknown measure(s) {bad} (closest: {hint}); allowed: {', '.join(allowed)}")
    return names


def _rows(iso3: pd.Series, measure: str, year: pd.Series | int, score: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame({"iso3": iso3.astype(str).to_numpy(), "measure": measure,
                        "year": np.broadcast_to(np.asarray(year, dtype="int64"), len(iso3)),
                        "score": score.astype(float).to_numpy()})
    return out.loc[out["score"].notna()]


def long_scores(*, tiers: pd.DataFrame | None = None, gsi_summary: pd.DataFrame | None = None,
                rights: pd.DataFrame | None = None, p3: pd.DataFrame | None = None,
                oc: pd.DataFrame | None = None, reporting: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every measure from the frames given, as rows iso3, measure, year, score.

    tiers: ``critique.methods.tip.tiers.load_tiers()`` (only complete report years are used);
    gsi_summary: ``gsi-2023-summary``; rights: :func:`critique.methods.scorecards.rights.rights_subindex`;
    p3: ``3p-index``; oc: ``oc-index``; reporting: :func:`unodc_reporting_years` (iso3, year, years).
    """
    parts = []
    if tiers is not None:
        t = tiers.loc[tiers["complete_year"].astype(bool) & tiers["tier"].notna()]
        parts.append(_rows(t["iso3"], "tip_tier", t["report_year"], t["tier"].astype(str).map(TIER_SCORE)))
    if gsi_summary is not None:
        parts.append(_rows(gsi_summary["iso3"], "gsi_response", GSI_YEAR, gsi_summary["response_total"]))
        parts.append(_rows(gsi_summary["iso3"], "gsi_vulnerability", GSI_YEAR, gsi_summary["vulnerability_total"]))
    if rights is not None:
        parts.append(_rows(rights["iso3"], "gsi_rights", GSI_YEAR, rights["score"]))
    if p3 is not None:
        # the file's single 2014 score (one country) is not an edition to align on
        p = p3.loc[p3["year"] <= P3_LAST_YEAR]
        parts.append(_rows(p["iso3"], "p3", p["year"], p["score_3p"]))
    if oc is not None:
        for name, indicator in OC_NAMES.items():
            sub = oc.loc[oc["indicator"] == indicator]
            parts.append(_rows(sub["iso3"], name, sub["edition"], sub["score"]))
    if reporting is not None:
        parts.append(_rows(reporting["iso3"], "unodc_years_reporting", reporting["year"], reporting["years"]))
    if not parts:
        raise ParameterError("long_scores: no source frame given")
    out = pd.concat(parts, ignore_index=True)
    dup = out.duplicated(["iso3", "measure", "year"])
    if dup.any():
        raise ValueError(f"long_scores: repeated country-measure-year rows, e.g. "
                         f"{out.loc[dup, ['iso3', 'measure', 'year']].head(3).to_dict('records')}")
    return out


def unodc_reporting_years(glotip: pd.DataFrame, years: Sequence[int], window: int) -> pd.DataFrame:
    """For each year Y in ``years``: per country, the number of data years Y-window .. Y-1 in which it
    reported a national total of detected victims to UNODC (a suppressed "<5" cell counts).

    Uses ``critique.methods.coverage.select_glotip`` (Total x Total rows of countries) and only rows whose
    ``exclude_reason`` is missing (all rows when the column is absent). Countries that never report
    in the window are absent here; :func:`align` gives them 0 when another measure covers them, as
    ``critique.methods.tip.tiers.tier_vs_reporting`` counts a country with no UNODC row as not reporting.
    """
    from critique.methods import coverage

    if window < 1:
        raise ParameterError(f"unodc_reporting_years: window={window}; must be at least 1 year")
    g = glotip if "exclude_reason" not in glotip.columns else glotip.loc[glotip["exclude_reason"].isna()]
    sel = coverage.select_glotip(g)
    rep = sel.loc[sel["value_high"].notna() & sel["iso3"].notna(), ["iso3", "year"]].drop_duplicates()
    out = []
    for y in dict.fromkeys(int(v) for v in years):  # a year asked twice is counted once
        w = rep.loc[rep["year"].between(y - window, y - 1)]
        n = w.groupby("iso3").size()
        out.append(pd.DataFrame({"iso3": n.index.astype(str), "year": int(y), "years": n.to_numpy(dtype=float)}))
    return pd.concat(out, ignore_index=True)


def align(long: pd.DataFrame, year: int, measures: Sequence[str], *, max_gap: int = 0) -> pd.DataFrame:
    """One row per country, one column per measure, each from its edition nearest ``year``.

    An edition more than ``max_gap`` years from ``year`` is not used; a measure with no usable
    edition is left out. ``attrs["editions"]`` maps measure -> edition year used;
    ``attrs["left_out"]`` maps measure -> reason. ``unodc_years_reporting`` is filled with 0 for
    countries another measure covers (they reported nothing in the window). Ties in distance go to
    the earlier edition.
    """
    measures = check_measures(measures)
    if max_gap < 0:
        raise ParameterError(f"align: max_gap={max_gap}; must be 0 or more")
    editions, left_out, cols = {}, {}, {}
    for m in measures:
        sub = long.loc[long["measure"] == m]
        if sub.empty:
            left_out[m] = _("no data loaded for this measure")
            continue
        avail = np.array(sorted(sub["year"].unique()))
        dist = np.abs(avail - year)
        best = int(avail[np.argmin(dist)])
        if abs(best - year) > max_gap:
            left_out[m] = _("nearest edition {best} is {gap} years from {year} (max_gap={max_gap}); editions: "
                            "{first}-{last}", best=best, gap=abs(best - year), year=year, max_gap=max_gap,
                            first=avail.min(), last=avail.max())
            continue
        editions[m] = best
        cols[m] = sub.loc[sub["year"] == best].set_index("iso3")["score"]
    wide = pd.DataFrame(cols)
    if "unodc_years_reporting" in wide.columns:
        wide["unodc_years_reporting"] = wide["unodc_years_reporting"].fillna(0.0)
    wide.index.name = "iso3"
    wide = wide.sort_index()
    wide.attrs["editions"] = editions
    wide.attrs["left_out"] = left_out
    wide.attrs["year"] = int(year)
    return wide
