"""Notebook 32's analysis in one call: :func:`analyse` returns a :class:`ScorecardAnalysis` with the
aligned assessments, where they agree, where the TIP tier stands alone, the 3P check, the relation to
reporting capacity, the weighted composite, the rights-based sub-index, the reading sentences and the
findings.

Status rules (a correlation recorded only where one can be computed; the composite skipped, with the
reason, when a weighted indicator has no edition within ``max_gap``) are tested on both sides of
their boundary in ``tests/test_scorecards.py``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from critique.core.errors import ParameterError
from critique.methods.scorecards import agreement, align, composite, rights
from critique.core.results import RecordsFindings
from critique.core.i18n import _

CONTEXT = ("unodc_years_reporting", "gsi_vulnerability")
TOP_K, STABLE = 10, 0.95  # "stays in the top 10 in at least 95% of draws"
PAIRS = (("tip_tier", "gsi_response", "rho_tip_gsi"), ("tip_tier", "oc_resilience", "rho_tip_oc"),
         ("gsi_response", "oc_resilience", "rho_gsi_oc"))
CONTEXT_KEYS = (("tip_tier", "unodc_years_reporting", "reporting_rho_tip"),
                ("gsi_response", "unodc_years_reporting", "reporting_rho_gsi"),
                ("tip_tier", "gsi_vulnerability", "vulnerability_rho_tip"))


def datasets_for(measures: Sequence[str]) -> list[str]:
    """The dataset ids behind ``measures`` (``align.MEASURES``), each once, in order."""
    out: list[str] = []
    for m in measures:
        for d in align.MEASURES[m].datasets:
            if d not in out:
                out.append(d)
    return out


def check_parameters(*, assessments: Sequence[str], indicators: Sequence[str], weights: Sequence[float]) -> None:
    """Refuse bad measures or weights before any data is read (:class:`ParameterError` naming the parameter)."""
    composite.check_weights(indicators, weights)
    align.check_measures(assessments, assessments_only=True)


def check_highlight(codes: Sequence[str], valid: set[str] | None = None,
                    closest: Callable[[str], str] | None = None) -> list[str]:
    """Upper-case ISO3 codes; an unknown code is refused with the closest known ones (default:
    ``critique.datasets.countries``)."""
    if valid is None or closest is None:
        from critique.datasets import countries

        valid, closest = set(countries.valid_iso3()), countries.closest_iso3
    upper = [str(h).upper() for h in codes]
    unknown = [h for h in upper if h not in valid]
    if unknown:
        raise ParameterError(f"parameter 'highlight': unknown ISO3 code(s) {unknown} "
                             f"(closest: {[closest(u) for u in unknown]})")
    return upper


def editions_sentence(editions: dict[str, int], left_out: dict[str, str]) -> str:
    """The edition year used for each measure and the measures left out, in words."""
    name = lambda m: _(align.MEASURES[m].label) if m in align.MEASURES else m.replace("_", " ")  # noqa: E731
    used = "; ".join(f"{name(m)}: {y}" for m, y in editions.items()) or _("none")
    out = "; ".join(f"{name(m)} ({why})" for m, why in left_out.items()) or _("none")
    return _("Editions used: {used}. Left out: {out}.", used=used, out=out)


def pair_findings(corr: pd.DataFrame, a: str, b: str, key: str) -> list[tuple[str, Any, None]]:
    """``key``, ``key_lo``, ``key_hi``, ``key_n`` for the correlation of ``a`` and ``b`` (either order),
    or nothing when the pair is not in the table or its estimate is missing (too few countries)."""
    row = corr.loc[((corr.a == a) & (corr.b == b)) | ((corr.a == b) & (corr.b == a))]
    if not len(row) or np.isnan(row.estimate.iloc[0]):
        return []
    r = row.iloc[0]
    return [(key, round(float(r.estimate), 2), None), (f"{key}_lo", round(float(r.low), 2), None),
            (f"{key}_hi", round(float(r.high), 2), None), (f"{key}_n", int(r.n), None)]


def composite_skip(indicators: Sequence[str], weights: Sequence[float], aligned_columns: Sequence[str],
                   left_out: dict[str, str]) -> dict[str, str]:
    """Weighted indicators that were not aligned, with why ({} when the composite can be computed).
    An indicator with weight 0 never blocks the composite."""
    return {i: left_out.get(i, _("not aligned")) for i, w in zip(indicators, weights)
            if w > 0 and i not in aligned_columns}


def composite_skip_sentence(year: int, skipped: dict[str, str], max_gap: int) -> str:
    """Why no composite is shown (one sentence naming the indicators and what to change)."""
    return _("No composite for {year}: indicator(s) {indicators} have no edition within max_gap={max_gap} "
             "({skipped}); choose a year they cover or raise max_gap.", year=year, indicators=list(skipped),
             max_gap=max_gap, skipped=skipped)


def three_p_sentence(year: int, rc: agreement.RankCorrelation | None, left_out: Any = None) -> str:
    """The TIP tier against the 3P index of the same report year, or why there is none."""
    if rc is None:
        return _("No TIP tier or 3P data for {year}: {left_out}.", year=year, left_out=left_out)
    return _("TIP tier and 3P index, {year}: Spearman {estimate:.2f} (95% {low:.2f} to {high:.2f}), n={n}. Both are "
             "read from the same TIP reports, so agreement is partly built in; the 3P index scores which "
             "prosecution, protection and prevention policies a report describes, the tier grades effort against the "
             "US minimum standards: two constructs, not one ranking checked twice.", year=year, estimate=rc.estimate,
             low=rc.low, high=rc.high, n=rc.n)


@dataclass
class ScorecardAnalysis(RecordsFindings):
    """Notebook 32's result. ``aligned`` (one row per country, one column per measure),
    ``correlations``, ``crosstabs`` (tier x thirds of each other assessment), ``alone`` and
    ``disagreements``, ``crosstab_3p``, ``context``, ``composite`` (or ``composite_skipped``),
    ``codebook``, ``rights`` (the sub-index); ``reading`` holds the sentences."""

    year: int
    present: list[str]
    others: list[str]
    indicators: list[str]
    highlight: list[str]
    aligned: pd.DataFrame
    correlations: pd.DataFrame
    crosstabs: dict[str, pd.DataFrame]
    alone: pd.DataFrame | None
    disagreements: list[pd.DataFrame]
    crosstab_3p: pd.DataFrame | None
    context: pd.DataFrame
    context_measures: list[str]
    reporting_years: list[int]
    composite: composite.CompositeResult | None
    composite_skipped: dict[str, str]
    codebook: pd.DataFrame
    rights: pd.DataFrame
    n_draws: int
    concentration: float
    interval_level: float
    reading: dict[str, str] = field(default_factory=dict)
    _findings: list[tuple[str, Any, str | None]] = field(default_factory=list, repr=False)



    @property
    def rights_top(self) -> pd.DataFrame:
        return self.rights.sort_values("score", ascending=False).head(15)

    def caption(self, name: str) -> dict[str, Any]:
        """Keyword arguments of ``critique.figures.charts.finalise`` for chart ``name``."""
        A, corr = self.aligned, self.correlations
        if name == "agreement-matrix":
            return dict(
                title=_("How far assessments of government action agree ({year})", year=self.year),
                description=_("Spearman rank correlation between each pair of assessments over the countries both "
                              "cover, with its approximate 95% interval and the number of countries."),
                datasets=datasets_for(self.present),
                caveat=[_("Each assessment is a judgement from documents or experts; agreement between them is not "
                          "evidence that any is right, and assessments read from the same documents agree partly by "
                          "construction."),
                        _("TIP tiers have four levels, so many countries share a rank; intervals are approximate "
                          "(Fisher z).")],
                n=_("{low}-{high} countries per pair", low=int(corr['n'].min()), high=int(corr['n'].max())),
                data=corr)
        if name == "tier-against-each":
            return dict(
                title=_("What each TIP tier holds on the other assessments ({year})", year=self.year),
                description=_("Each point is a country: its percentile rank on another assessment, grouped by its "
                              "TIP tier; black bars are medians. Wide spreads within a tier mean the tier and the "
                              "other assessment see those countries differently."),
                datasets=datasets_for(["tip_tier"] + self.others),
                caveat=_("Percentile ranks are among the countries both the TIP report and that assessment cover."),
                n=_("{n} countries with a tier", n=int(A[['tip_tier']].notna().sum().iloc[0])),
                data=A[["tip_tier"] + self.others].reset_index())
        if name == "tier-stands-alone":
            return dict(
                title=_("Countries where the TIP tier differs most from the other assessments"),
                description=_("Red: the country's percentile rank by TIP tier; grey square: the mean of the other "
                              "assessments' percentile ranks; grey line: the lowest to the highest of them."),
                datasets=datasets_for(self.present),
                caveat=[_("A gap shows disagreement, not which assessment is right."),
                        _("A tier has four levels, so TIP percentile ranks come in four steps (each tier's average "
                          "rank).")],
                n=self.alone.attrs["n"], data=self.alone.reset_index())
        if name == "reporting-and-vulnerability":
            rel, yrs = self.context, self.reporting_years
            return dict(
                title=_("Do assessments follow reporting capacity and vulnerability?"),
                description=_("Rank correlation of each assessment with the number of UNODC data years {years} in "
                              "which a country reported a national total of detected victims, and with GSI "
                              "vulnerability.", years=f"{yrs[0]}-{yrs[-1]}" if yrs else _("(none in the release)")),
                datasets=datasets_for(self.present + self.context_measures),
                caveat=[_("Associations across countries, not effects: richer, more stable states can both report "
                          "more and act more."),
                        _("A country with no UNODC row counts as not reporting, as in notebook 31.")],
                n=_("{low}-{high} countries per pair", low=int(rel['n'].min()), high=int(rel['n'].max())), data=rel)
        if name == "composite-ranks":
            res = self.composite
            return dict(
                title=_("A weighted composite, with how fragile each rank is"),
                description=_("Rank on the composite of {measures} at weights {weights}; lines: the {level:.0%} "
                              "interval of ranks over {draws:,} Dirichlet weight draws (concentration "
                              "{concentration:g}). Highlighted countries in red.",
                              measures=", ".join(_(align.MEASURES[i].label) for i in self.indicators),
                              weights=[round(float(x), 3) for x in res.weights], level=self.interval_level,
                              draws=self.n_draws, concentration=self.concentration),
                datasets=datasets_for(self.indicators),
                caveat=[_("The weights are a choice: a different choice gives a different order, and the intervals "
                          "show only part of that."),
                        _("Percentile ranks among the countries with every weighted assessment; countries missing "
                          "one are left out.")],
                n=_("{n} countries ({left} left out)", n=res.n, left=len(res.left_out)), scenario=True, data=res.table.reset_index())
        if name == "rights-vs-response":
            return dict(
                title=_("A rights-based sub-index beside the GSI government response total"),
                description=_("Each point is a country: the share of the {n} selected GSI indicators met (negative "
                              "indicators subtract) against Walk Free's total; highlighted countries labelled; other "
                              "points jittered up or down by less than one point so that ties show.",
                              n=len(self.codebook)),
                datasets=["gsi-2023-indicators", "gsi-2023-summary"],
                caveat=[_("The selection of indicators is this suite's choice, listed with Walk Free's wording; "
                          "change it with rights_indicators."),
                        _("An indicator not met can mean not done or not documented.")],
                n=int(A[["gsi_rights", "gsi_response"]].dropna().shape[0]),
                data=A[["gsi_response", "gsi_rights"]].dropna().reset_index())
        raise KeyError(f"ScorecardAnalysis.caption: no chart named {name!r}")


def analyse(*, tiers: pd.DataFrame, gsi_summary: pd.DataFrame, gsi_indicators: pd.DataFrame, p3: pd.DataFrame,
            oc: pd.DataFrame, glotip: pd.DataFrame, year: int = 2023, max_gap: int = 0,
            assessments: Sequence[str] = ("tip_tier", "gsi_response", "gsi_rights", "oc_resilience",
                                          "oc_victim_support", "oc_prevention"),
            year_3p: int = 2013, indicators: Sequence[str] = ("gsi_response", "gsi_rights", "oc_victim_support"),
            weights: Sequence[float] = (1.0, 1.0, 1.0), n_draws: int = 2000, concentration: float = 20.0,
            interval_level: float = 0.9, rights_indicators: Sequence[str] | None = None,
            rights_rule: str = "indicator", reporting_window: int = 5,
            highlight: Sequence[str] = ()) -> ScorecardAnalysis:
    """Run notebook 32's comparison of the TIP tiers with other assessments of government action.

    Parameters
    ----------
    tiers: ``critique.methods.tip.tiers.load_tiers()``; gsi_summary, gsi_indicators: ``gsi-2023-summary`` and
    ``gsi-2023-indicators``; p3: ``3p-index``; oc: ``oc-index``; glotip: the ``glotip`` release.
    Others: notebook 32's parameters (``highlight`` already checked with :func:`check_highlight`).

    Raises :class:`critique.core.errors.ParameterError` for weights that do not match the indicators or
    sum to zero and for unknown measures (both before any computation). Methods: Spearman rho with
    Fisher-z intervals (Bonett & Wright 2000), Dirichlet weight draws for rank intervals, Walk Free's
    activity rule for the sub-index (``critique.methods.scorecards``).
    """
    check_parameters(assessments=assessments, indicators=indicators, weights=weights)
    assessments, indicators = list(assessments), list(indicators)
    out: list[tuple[str, Any, str | None]] = []
    rec = lambda key, value, note=None: out.append((key, value, note))  # noqa: E731
    reading: dict[str, str] = {}

    R = rights.rights_subindex(gsi_indicators, rights_indicators, rule=rights_rule)
    reporting = align.unodc_reporting_years(glotip, [year, year_3p], reporting_window)
    L = align.long_scores(tiers=tiers, gsi_summary=gsi_summary, rights=R, p3=p3, oc=oc, reporting=reporting)
    A = align.align(L, year, list(dict.fromkeys(assessments + indicators)) + list(CONTEXT), max_gap=max_gap)
    present = [m for m in assessments if m in A.columns]
    rec("year", year)
    rec("editions", A.attrs["editions"], "edition year used for each measure")
    rec("left_out", A.attrs["left_out"], "measures without an edition within max_gap")
    rec("n_aligned", int(A[present].notna().all(axis=1).sum()), "countries with every compared assessment")
    reading["editions"] = editions_sentence(A.attrs["editions"], A.attrs["left_out"])

    corr = agreement.correlation_table(A, present)
    rec("correlations", {f"{r.a}|{r.b}": [round(r.estimate, 3), round(r.low, 3), round(r.high, 3), int(r.n)]
                         for r in corr.itertuples() if not np.isnan(r.estimate)}, "Spearman rho, 95% interval low, high, n")
    for a, b, key in PAIRS:
        out.extend(pair_findings(corr, a, b, key))

    others = [m for m in present if m != "tip_tier"]
    tabs: dict[str, pd.DataFrame] = {}
    alone, dis = None, []
    if "tip_tier" in present and others:
        tabs = {m: agreement.tier_crosstab(A, m) for m in others}
        if "gsi_response" in tabs:
            ct = tabs["gsi_response"]
            rec("tier1_lowest_third_gsi", int(ct.loc["Tier 1", "lowest third"]),
                "Tier 1 countries in the lowest third of the GSI response ranking")
            rec("tier3_highest_third_gsi", int(ct.loc["Tier 3", "highest third"]),
                "Tier 3 countries in the highest third of the GSI response ranking")
        alone = agreement.tier_against_consensus(A, others, k=15)
        rec("tip_alone_countries", {i: round(float(g), 3) for i, g in alone["gap"].items()},
            "TIP percentile rank minus the others' mean, largest gaps first")
        dis = [agreement.disagreement(A, "tip_tier", m, k=8) for m in others[:2]]

    A3 = align.align(L, year_3p, ["tip_tier", "p3", "unodc_years_reporting"], max_gap=0)
    rec("year_3p", year_3p)
    ct3 = None
    if {"tip_tier", "p3"} <= set(A3.columns):
        rc = agreement.rank_correlation(A3["tip_tier"], A3["p3"])
        rec("rho_tip_3p", round(rc.estimate, 2))
        rec("rho_tip_3p_lo", round(rc.low, 2))
        rec("rho_tip_3p_hi", round(rc.high, 2))
        rec("rho_tip_3p_n", rc.n)
        reading["3p"] = three_p_sentence(year_3p, rc)
        ct3 = agreement.tier_crosstab(A3, "p3")
    else:
        reading["3p"] = three_p_sentence(year_3p, None, A3.attrs["left_out"])

    ctx = [c for c in CONTEXT if c in A.columns]
    rep_years = sorted(set(range(year - reporting_window, year)) & set(int(y) for y in glotip["year"].unique()))
    rec("reporting_years_used", rep_years, "UNODC data years counted (those in the loaded release)")
    rec("reporting_release", str(glotip.attrs.get("release", "glotip")), "UNODC release the reporting years are read from")
    rec("reporting_years_text", f"{rep_years[0]}-{rep_years[-1]}" if rep_years else "none",
        "first and last UNODC data year counted")
    rel = agreement.relation_to_context(A, present, ctx)
    rec("reporting_rho", {r.assessment: [round(r.estimate, 3), round(r.low, 3), round(r.high, 3), int(r.n)]
                          for r in rel.itertuples() if r.context == "unodc_years_reporting"},
        "Spearman rho of each assessment with UNODC reporting years: estimate, 95% low, high, n")
    for a, c, key in CONTEXT_KEYS:
        row = rel.loc[(rel.assessment == a) & (rel.context == c)]
        if len(row) and not np.isnan(row.estimate.iloc[0]):
            rec(key, round(float(row.estimate.iloc[0]), 2))

    skipped = composite_skip(indicators, weights, list(A.columns), A.attrs["left_out"])
    res = None
    if skipped:
        rec("composite_skipped", skipped)
        reading["composite"] = composite_skip_sentence(year, skipped, max_gap)
    else:
        res = composite.composite(A, indicators, weights, n_draws=n_draws, concentration=concentration,
                                  level=interval_level, top_k=TOP_K)
        t = res.table
        rec("composite_n", res.n)
        rec("composite_level", interval_level)
        rec("composite_left_out", len(res.left_out), "countries missing a weighted assessment")
        rec("composite_median_width", res.median_interval_width(),
            f"median width of the {interval_level:.0%} rank interval, in places")
        best = t.index[0]
        rec("composite_top", str(best))
        rec("composite_top_interval", [int(t.loc[best, "rank_low"]), int(t.loc[best, "rank_high"])])
        rec("composite_top10_stable", int((t["p_top"] >= STABLE).sum()),
            f"countries in the top {TOP_K} in at least {STABLE:.0%} of weight draws")
        rec("composite_top_k", TOP_K)
        rec("composite_stable_share", STABLE)
        rec("highlight_composite", {h: [int(t.loc[h, "rank"]), int(t.loc[h, "rank_low"]), int(t.loc[h, "rank_high"])]
                                    for h in highlight if h in t.index}, "rank, interval low, high")

    cb = rights.codebook(gsi_indicators, rights_indicators)
    rec("rights_n_indicators", len(cb))
    if {"gsi_rights", "gsi_response"} <= set(A.columns):
        rc = agreement.rank_correlation(A["gsi_rights"], A["gsi_response"])
        rec("rights_rho_response", round(rc.estimate, 2))
        rec("rights_rho_response_lo", round(rc.low, 2))
        rec("rights_rho_response_hi", round(rc.high, 2))
    if {"gsi_rights", "tip_tier"} <= set(A.columns):
        rec("rights_rho_tip", round(agreement.rank_correlation(A["gsi_rights"], A["tip_tier"]).estimate, 2))
    other_rule = "activity" if rights_rule == "indicator" else "indicator"
    R2 = rights.rights_subindex(gsi_indicators, rights_indicators, rule=other_rule).set_index("iso3")["score"]
    rec("rights_rule_rho", round(agreement.rank_correlation(R.set_index("iso3")["score"], R2.reindex(R["iso3"])).estimate, 3),
        f"rank correlation of the sub-index under rule={rights_rule} and rule={other_rule}")

    return ScorecardAnalysis(
        year=year, present=present, others=others, indicators=indicators, highlight=list(highlight), aligned=A,
        correlations=corr, crosstabs=tabs, alone=alone, disagreements=dis, crosstab_3p=ct3, context=rel,
        context_measures=ctx, reporting_years=rep_years, composite=res, composite_skipped=skipped,
        codebook=cb[["code", "theme", "activity", "indicator_name"]], rights=R, n_draws=n_draws,
        concentration=concentration, interval_level=interval_level, reading=reading, _findings=out)
