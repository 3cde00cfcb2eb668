"""Notebook 31's analysis in one call: :func:`analyse` returns a :class:`TierAnalysis` with the shares
on all rated countries and on fixed panels, transitions, volatility, tier against UNODC reporting,
the highlighted countries, the reading sentences and the findings.

The reading rules (which way the 2001-2005 panel comparison points; a fitted or refused model) are
module functions tested on both sides (``tests/test_tiers.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from critique.core.errors import ParameterError
from critique.methods.tip.tiers.placements import TIER_ORDER, country_tiers, year_coverage
from critique.methods.tip.tiers.reporting import (
    TierModelResult,
    fit_tier_model,
    reporting_by_tier,
    tier_vs_reporting,
    unodc_reporting,
)
from critique.methods.tip.tiers.shares import distribution, fixed_panel, panel_gap, transition_matrix, volatility
from critique.core.results import RecordsFindings
from critique.core.i18n import _

DATASETS = ["tip-tiers", "tip-tiers-2016-2025"]
GROWTH_YEARS = (2001, 2005)


def growth_sentence(n0: int, n1: int, all0: float, all1: float, pan0: float, pan1: float, panel_n: int,
                    gap_pp: float, years: tuple[int, int] = GROWTH_YEARS) -> str:
    """The 2001-2005 comparison in numbers (shares as fractions, the gap in percentage points)."""
    y0, y1 = years
    return _("Rated countries grew from {n0} ({y0}) to {n1} ({y1}). Tier 1 share, all rated: {all0:.1f}% -> "
             "{all1:.1f}% ({all_change:+.1f} pp); panel of {panel_n} rated since {y0}: {pan0:.1f}% -> {pan1:.1f}% "
             "({pan_change:+.1f} pp). Largest gap between the views: {gap:.1f} pp.", n0=n0, y0=y0, n1=n1, y1=y1,
             all0=100 * all0, all1=100 * all1, all_change=100 * (all1 - all0), panel_n=panel_n, pan0=100 * pan0,
             pan1=100 * pan1, pan_change=100 * (pan1 - pan0), gap=gap_pp)


def growth_clause(change_all_pp: float, change_panel_pp: float, panel_n: int) -> str:
    """The short conclusion of :func:`growth_reading` (same rule), for the key findings."""
    diff = change_panel_pp - change_all_pp
    if abs(diff) < 100 / panel_n:
        return _("the two changes differ by less than one placement in the panel, so entry is not shown to move the "
                 "share")
    if diff > 0:
        return _("the countries outside the panel (mostly those added) were, on average, placed on Tier 1 less often, "
                 "which held the all-rated change below the panel's")
    return _("the countries outside the panel (mostly those added) were, on average, placed on Tier 1 more often, "
             "which lifted the all-rated change above the panel's")


def growth_reading(change_all_pp: float, change_panel_pp: float, panel_n: int) -> str:
    """What the direction of the two changes says about the countries added (a rule, not a judgement).

    A gap between the two changes smaller than one placement in the panel (100 / ``panel_n``
    percentage points) is read as no difference: one country's tier moves the panel by that much.
    From there up, a panel change above the all-rated change means the countries outside the panel
    were placed on Tier 1 less often than the countries followed throughout, below it more often.
    """
    one = 100 / panel_n
    diff = change_panel_pp - change_all_pp
    if abs(diff) < one:
        what = _("the two views' changes differ by {diff:.1f} percentage points, less than one placement in the "
                 "panel, so these numbers do not show the countries outside the panel placed differently",
                 diff=abs(diff))
    elif diff > 0:
        what = _("the Tier 1 share changes by more among the countries followed throughout (rises more or falls less) "
                "than on all rated countries, so the countries outside the panel (mostly those added in those years) "
                "were, on average, placed on Tier 1 less often than the countries followed throughout")
    else:
        what = _("the Tier 1 share changes by less among the countries followed throughout (rises less or falls more) "
                "than on all rated countries, so the countries outside the panel (mostly those added in those years) "
                "were, on average, placed on Tier 1 more often than the countries followed throughout")
    return _("Read: {what}. Entry of new countries can change the all-rated shares by itself: a fixed panel is needed "
             "before reading any trend. The panel holds {panel_n} countries (one country is {one:.1f} percentage "
             "points of it), so small gaps are within what one or two placements move.", what=what, panel_n=panel_n,
             one=one)


def years_text(years: Sequence[int]) -> str:
    """Years as runs: [2004, 2005, 2006, 2023] -> '2004-2006, 2023'."""
    ys, runs = sorted(int(y) for y in years), []
    for y in ys:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in runs)


def model_sentence(res: TierModelResult) -> str:
    """The ordered-logit fit in one line for readers, or why no model was fitted."""
    if not res.fitted:
        return _("No model fitted: {reason}.", reason=res.reason)
    se = (_("standard errors clustered by country") if res.cov_type.startswith("cluster")
          else _("conventional standard errors"))
    conv = _("the optimiser converged") if res.converged else _("the optimiser did not report convergence")
    warn = _("; warnings: {warnings}", warnings="; ".join(res.warnings)) if res.warnings else ""
    return _("Ordered logit on {n:,} country-years ({countries} countries, report years {years}); {se}; {conv}; "
             "pseudo R-squared {r2:.3f}; likelihood-ratio p = {p:.2g}{warn}. An association across country-years, "
             "not an effect.", n=res.n, countries=res.n_countries, years=years_text(res.years), se=se, conv=conv,
             r2=res.pseudo_r2, p=res.lr_pvalue, warn=warn)


@dataclass
class TierAnalysis(RecordsFindings):
    """Notebook 31's result. Tables: ``coverage``, ``gap`` (2001-2005, all rated vs panel),
    ``partial_counts`` (placements transcribed per tier in partial years: not distributions),
    ``transitions``, ``volatility``, ``by_tier`` and ``model`` (tier against UNODC reporting).
    Chart data: ``views``, ``transitions``, ``volatility``, ``by_tier``, ``histories``."""

    year_start: int
    year_end: int
    years: list[int]
    coverage: pd.DataFrame
    complete: list[int]
    partial: list[int]
    panel_2001: list[str]
    panel_start: list[str]
    panel_start_year: int
    views: dict[str, pd.DataFrame]
    gap: pd.DataFrame
    partial_counts: pd.DataFrame
    transitions: pd.DataFrame | None
    transition_pair: tuple[int, int] | None
    volatility: pd.DataFrame
    reporting: pd.DataFrame | None
    by_tier: pd.DataFrame | None
    model: TierModelResult | None
    unodc_lag: int
    histories: dict[str, pd.DataFrame]
    reading: dict[str, str] = field(default_factory=dict)
    _findings: list[tuple[str, Any, str | None]] = field(default_factory=list, repr=False)



    @property
    def highlight_table(self) -> pd.DataFrame:
        return pd.concat([h.assign(iso3=iso)[["iso3", "report_year", "tier", "status"]]
                          for iso, h in self.histories.items()], ignore_index=True)

    def shares_table(self) -> pd.DataFrame:
        """The numbers behind the shares chart: one row per view, report year and tier."""
        frames = [d.assign(view=label)[["view", "report_year", "tier", "share"]] for label, d in self.views.items()]
        return pd.concat(frames, ignore_index=True)

    def caption(self, name: str) -> dict[str, Any]:
        """Keyword arguments of ``critique.figures.charts.finalise`` for chart ``name``."""
        if name == "tier-shares-all-vs-panels":
            return dict(
                title=_("TIP tier shares: all rated countries against fixed panels"),
                description=_("Share of countries in each tier by report year, for all rated countries and for two "
                              "fixed panels. Grey bands: partial transcriptions (no share computed)."),
                datasets=DATASETS, caveat=_("Kelley & Heiss's coded file leaves out the United States (rated from "
                                            "2010) and codes special cases as not rated."),
                n=_("{n} countries at most; panels {a} and {b}", n=int(self.coverage['rated'].max()),
                    a=len(self.panel_2001), b=len(self.panel_start)), data=self.shares_table())
        if name == "tier-transitions":
            y0, y1 = self.transition_pair
            return dict(title=_("Tier transitions, report {y0} to {y1}", y0=y0, y1=y1),
                        description=_("Countries by tier in {y0} (rows) and {y1} (columns); only countries rated in "
                                      "both.", y0=y0, y1=y1),
                        datasets=DATASETS, n=self.transitions.attrs["n"], data=self.transitions)
        if name == "tier-volatility":
            v = self.volatility
            return dict(title=_("How often tiers change"),
                        description=_("Share of countries changing tier from the previous report, and Tier 2 Watch "
                                      "List entries and exits; consecutive complete years only."),
                        datasets=DATASETS, caveat=_("The Watch List first appears in the 2004 report in the coded "
                                                    "data, so 2004 entries are the list's creation."),
                        n=_("{low}-{high} countries per pair", low=int(v['n_both'].min()), high=int(v['n_both'].max())),
                        data=v)
        if name == "tier-vs-unodc-reporting":
            return dict(title=_("Share of countries reporting to UNODC, by TIP tier"),
                        description=_("Country-years of complete report years; UNODC data year = report year - "
                                      "{lag}.", lag=self.unodc_lag),
                        datasets=DATASETS + ["glotip"], n=len(self.reporting), data=self.by_tier)
        if name == "highlight-tiers":
            return dict(title=_("Tiers of highlighted countries"),
                        description=_("One line per country, Tier 1 (bottom) to Tier 3 (top) of its band; gaps are "
                                      "partial years where the tier is unknown, or years not rated."),
                        datasets=DATASETS, n=len(self.histories), data=self.highlight_table)
        raise KeyError(f"TierAnalysis.caption: no chart named {name!r}")


def analyse(tiers: pd.DataFrame, full: pd.DataFrame, glotip: pd.DataFrame | None = None, *,
            year_start: int = 2001, year_end: int = 2025, panel_start: int = 2005,
            highlight: Sequence[str] = ("MYS", "THA", "USA"), unodc_lag: int = 1) -> TierAnalysis:
    """Run notebook 31's analysis of TIP tier placements.

    Parameters
    ----------
    tiers: ``load_tiers(include_unverified=...)``, the placements read (partial years marked).
    full: ``load_tiers()`` (the established placements), used for the fixed panels, the 2001-2005
        comparison and the highlighted countries' histories.
    glotip: the ``glotip`` release, or None to skip the comparison with UNODC reporting.
    Others: notebook 31's parameters (report years inclusive).

    Raises :class:`critique.core.errors.ParameterError` naming the parameter when ``year_end`` is before
    ``year_start`` or a highlighted code has no placement. Method: Kelley (2017, ch. 3) fixed panels;
    ordered logit as in :func:`critique.methods.tip.tiers.fit_tier_model`.
    """
    if year_end < year_start:
        raise ParameterError(f"parameter 'year_end': {year_end} is before year_start={year_start}")
    out: list[tuple[str, Any, str | None]] = []
    rec = lambda key, value, note=None: out.append((key, value, note))  # noqa: E731
    reading: dict[str, str] = {}
    T = tiers.loc[tiers["report_year"].between(year_start, year_end)]
    cov = year_coverage(T)
    complete = [int(y) for y in cov.loc[cov["complete"], "report_year"]]
    partial = [int(y) for y in cov.loc[~cov["complete"], "report_year"]]
    rec("complete_years", complete)
    rec("partial_years", partial, "partial transcriptions or unverified placements: no share is computed for them")

    last = max(complete) if complete else None
    panel01 = fixed_panel(full, GROWTH_YEARS[0], last)
    panelk = fixed_panel(full, panel_start, last)
    rec("panel_2001_size", len(panel01), "countries with a tier in every complete report year from 2001")
    rec("panel_start_size", len(panelk), f"countries with a tier in every complete report year from {panel_start}")
    views = {
        _("all rated"): distribution(T, partial="drop"),
        _("panel since {year} (n={n})", year=2001, n=len(panel01)): distribution(T.loc[T.report_year >= 2001],
                                                                                 panel=panel01, partial="drop"),
        _("panel since {year} (n={n})", year=panel_start, n=len(panelk)): distribution(
            T.loc[T.report_year >= panel_start], panel=panelk, partial="drop"),
    }

    y0, y1 = GROWTH_YEARS
    a = distribution(full, range(y0, y1 + 1))
    p = distribution(full, range(y0, y1 + 1), panel=panel01)
    gap = panel_gap(a, p)
    t1a = a.loc[a.tier == "1"].set_index("report_year")["share"]
    t1p = p.loc[p.tier == "1"].set_index("report_year")["share"]
    n_all = a.groupby("report_year")["n"].first()
    ch_all = round(100 * float(t1a[y1] - t1a[y0]), 1)
    ch_pan = round(100 * float(t1p[y1] - t1p[y0]), 1)
    mg = round(float(gap["gap_pp"].abs().max()), 1)
    rec("growth_years", [y0, y1], "the report years compared for the growth in rated countries")
    rec("rated_2001", int(n_all[y0]))
    rec("rated_2005", int(n_all[y1]))
    rec("tier1_share_all_2001", round(float(t1a[y0]), 4))
    rec("tier1_share_all_2005", round(float(t1a[y1]), 4))
    rec("tier1_share_panel_2001", round(float(t1p[y0]), 4))
    rec("tier1_share_panel_2005", round(float(t1p[y1]), 4))
    rec("tier1_change_all_2001_2005_pp", ch_all)
    rec("tier1_change_panel_2001_2005_pp", ch_pan)
    rec("max_gap_pp_2001_2005", mg,
        "largest |all-rated share - panel share| over tiers and report years 2001-2005, percentage points")
    reading["growth"] = growth_sentence(int(n_all[y0]), int(n_all[y1]), float(t1a[y0]), float(t1a[y1]),
                                        float(t1p[y0]), float(t1p[y1]), len(panel01), mg)
    reading["growth_read"] = growth_reading(ch_all, ch_pan, len(panel01))
    rec("growth_clause", growth_clause(ch_all, ch_pan, len(panel01)), "rule: critique.methods.tip.tiers.growth_clause")

    shown = [y for y in complete if y >= year_start]
    if shown:
        d = distribution(T, shown[-1:])
        rec("tier3_share_all_last", round(float(d.loc[d.tier == "3", "share"].iloc[0]), 4), f"report year {shown[-1]}")
    flagged = distribution(T, partial="flag")
    partial_counts = flagged.loc[~flagged["complete_year"]].pivot(index="report_year", columns="tier", values="count")

    mat, pair = None, None
    if len(complete) >= 2:
        pair = (complete[-2], complete[-1])
        mat = transition_matrix(T, *pair)
        rec("transition_last_pair", list(pair))
        rec("transition_stayed_share", round(float(np.trace(mat.values) / mat.values.sum()), 4),
            f"share of countries rated in {pair[0]} and {pair[1]} whose tier did not change")
    vol = volatility(T, partial="drop")
    if len(vol):
        rec("volatility_years", [int(vol["previous"].min()), int(vol["report_year"].max())],
            "first and last report year of the consecutive complete pairs")
        rec("share_changed_mean", round(float(vol["share_changed"].mean()), 4),
            "mean share of countries changing tier between consecutive complete report years")
        rec("wl_entries_total", int(vol["wl_entries"].sum()))
        rec("wl_exits_total", int(vol["wl_exits"].sum()))

    tv = byt = res = None
    if glotip is not None:
        tv = tier_vs_reporting(T, unodc_reporting(glotip), lag=unodc_lag)
        byt = reporting_by_tier(tv)
        rec("unodc_n", int(len(tv)), "country-report years in complete report years with UNODC data years")
        rec("unodc_share_reporting_by_tier", {str(k): round(float(v), 4) for k, v in zip(byt["tier"], byt["share_reporting"])
                                              if not pd.isna(v)})
        res = fit_tier_model(tv)
        rec("model_fitted", res.fitted)
        rec("model_reason", res.reason)
        rec("model_n", res.n)
        if res.fitted:
            rec("model_coef_reported", round(float(res.params.loc["reported", "coef"]), 4), "ordered logit; positive = worse tier")
            rec("model_coef_log_victims", round(float(res.params.loc["log_victims", "coef"]), 4),
                "per unit of log(1 + detected victims)")
            rec("model_pseudo_r2", round(res.pseudo_r2, 4))
        reading["model"] = model_sentence(res)

    histories, status = {}, {}
    for iso in highlight:
        try:
            ct = country_tiers(str(iso), full)
        except ValueError as exc:
            raise ParameterError(f"parameter 'highlight': {exc}") from None
        ct = ct.loc[ct.report_year.between(year_start, year_end)]
        status[str(iso)] = {str(y): (str(t) if s == "rated" else s) for y, t, s in zip(ct.report_year, ct.tier, ct.status)}
        histories[str(iso)] = ct
    rec("highlight_status", status)

    return TierAnalysis(
        year_start=year_start, year_end=year_end, years=list(range(year_start, year_end + 1)), coverage=cov,
        complete=complete, partial=partial, panel_2001=panel01, panel_start=panelk, panel_start_year=panel_start,
        views=views, gap=gap, partial_counts=partial_counts, transitions=mat, transition_pair=pair, volatility=vol,
        reporting=tv, by_tier=byt, model=res, unodc_lag=unodc_lag, histories=histories, reading=reading,
        _findings=out)


__all__ = ["TierAnalysis", "analyse", "growth_clause", "growth_reading", "growth_sentence", "model_sentence", "years_text", "TIER_ORDER"]
