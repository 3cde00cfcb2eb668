"""Notebook 30's analysis in one call: :func:`analyse` returns an :class:`EnforcementAnalysis` with the
series, the reader tables, the data behind each chart, the reading sentences and the findings.

The rules that decide what is recorded (nothing filled or compared without ``fill_from_kh``; no
ratio finding without a ratio; a labour share only for measures that have one) are here and tested
on both sides (``tests/test_enforcement.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import N_, _
from critique.methods.tip import sources
from critique.methods.tip.enforcement.totals import (
    MEASURES,
    filled,
    flags_with_stated,
    funnel,
    labour_shares,
    ratios,
    series,
    stated_changes,
    yoy_flags,
)
from critique.core.results import RecordsFindings

FLAG_COLUMNS = ["measure", "data_year", "basis", "previous", "value", "change", "verification", "origin",
                "stated_change", "stated_compared_with_year", "stated_verification", "explanation",
                "explanation_citation"]
STATED_TABLE_COLUMNS = ["measure", "data_year", "compared_with_year", "change_pct", "verification", "note",
                        "citation", "source_url"]
FILLED_COLUMNS = ["data_year", "measure", "value", "verification", "typed_unverified", "origin", "citation"]
MEASURE_WORDS = {"forced_labour_total": N_("people in forced labour"),
                 "total_modern_slavery": N_("people in modern slavery (forced labour and forced marriage)")}
MEASURE_SHORT = {"forced_labour_total": N_("forced labour"), "total_modern_slavery": N_("modern slavery")}


def estimate_label(edition: str, measure: str) -> str:
    """The estimate named in words (never a column name): 'the GEMS 2022 estimate of people in forced labour'."""
    if measure not in MEASURE_WORDS:
        raise ParameterError(f"parameter 'estimate_measure': {measure!r}; choices: {', '.join(MEASURE_WORDS)}")
    return _("the {edition} estimate of {measure}", edition=edition, measure=_(MEASURE_WORDS[measure]))


def flag_label(measure: str, year: int, change: float, uses_filled: bool) -> str:
    """One flagged change as recorded in ``flags``: 'prosecutions 2018 -36%', marked when it uses a
    figure filled from Kelley & Heiss."""
    return f"{measure} {year} {change:+.0%}" + (" (uses a figure filled from Kelley & Heiss)" if uses_filled else "")


def latest_labour_shares(labour: pd.DataFrame, measures: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per measure, the last data year with a labour share and the share (rounded to 4 places);
    a measure without any labour share is left out (not recorded as zero)."""
    out = {}
    for m in measures:
        s = labour[f"{m}_labour_share"].dropna()
        if len(s):
            out[m] = {"year": int(s.index[-1]), "share": round(float(s.iloc[-1]), 4)}
    return out


def funnel_source_text(typed: pd.DataFrame, year: int, include_unverified: bool = False) -> str:
    """Which TIP report's table gives data year ``year`` in the typed table, with how it was read
    ("the 2024 report's table, read in a copy"); Kelley & Heiss's tabulation when the typed table
    has no established row for that year (unverified rows count only with ``include_unverified``)."""
    ok = ("primary", "secondary", "unverified") if include_unverified else ("primary", "secondary")
    row = typed.loc[(typed["data_year"] == year) & typed["verification"].isin(ok)]
    if row.empty or "report_edition" not in row or pd.isna(row["report_edition"].iloc[0]):
        return _("Kelley & Heiss's secondary tabulation (edition not named)")
    read = {"primary": N_("read in the report"), "secondary": N_("read in a copy")}.get(
        str(row["verification"].iloc[0]), N_("unverified"))
    return _("the {edition} report's table, {read}", edition=int(row['report_edition'].iloc[0]), read=_(read))


def fill_sentence(fill_from_kh: bool, n_filled: int = 0, compared: int = 0, differ: int = 0) -> str:
    """What the filling did, or that the typed table is read alone."""
    if not fill_from_kh:
        return _("`fill_from_kh` is false: the typed table alone, nothing filled or compared.")
    head = (_("{n} figure filled from Kelley & Heiss's secondary tabulation; ", n=n_filled) if n_filled == 1 else
            _("{n} figures filled from Kelley & Heiss's secondary tabulation; ", n=n_filled))
    return head + (_("of the {compared} figures both tabulations give, {n} differs.", compared=compared, n=differ)
                   if differ == 1 else
                   _("of the {compared} figures both tabulations give, {n} differ.", compared=compared, n=differ))


@dataclass
class EnforcementAnalysis(RecordsFindings):
    """Notebook 30's result. Tables: ``series`` (one row per data year, gaps kept), ``filled``,
    ``disagreements``, ``flags_table`` (computed and stated changes, basis says which), ``stated``,
    ``gap_notes``, ``ratios``, ``labour``, ``funnel``. ``reading`` holds the sentences."""

    year_start: int
    year_end: int
    measures: list[str]
    threshold: float
    fill_from_kh: bool
    datasets: list[str]
    table: pd.DataFrame
    series: pd.DataFrame
    filled: pd.DataFrame | None
    disagreements: pd.DataFrame | None
    agreement: dict[str, int] | None
    flags: pd.DataFrame
    flagged: pd.DataFrame
    stated: pd.DataFrame
    ratios: pd.DataFrame
    labour: pd.DataFrame
    funnel: pd.DataFrame
    funnel_year: int
    reading: dict[str, str] = field(default_factory=dict)
    _findings: list[tuple[str, Any, str | None]] = field(default_factory=list, repr=False)

    @property
    def flags_table(self) -> pd.DataFrame:
        return flags_with_stated(self.flags, self.stated)[FLAG_COLUMNS]

    @property
    def stated_table(self) -> pd.DataFrame:
        return self.stated[STATED_TABLE_COLUMNS]

    @property
    def gap_notes(self) -> pd.DataFrame:
        return self.flags.loc[self.flags["note"] != "", ["measure", "data_year", "note"]]

    def caption(self, name: str) -> dict[str, Any]:
        """Keyword arguments of ``critique.figures.charts.finalise`` for chart ``name``."""
        kh = self.fill_from_kh
        if name == "tip-source-disagreements":
            ag = self.agreement or {"differ": 0, "compared": 0}
            return dict(
                title=_("Where the typed-in TIP table and Kelley & Heiss give different figures"),
                description=_("{differ} of the {compared} figures both tabulations give for {start}-{end} differ; each "
                              "bar is one differing figure, Kelley & Heiss minus the typed figure as a share of the "
                              "typed figure. The typed figure's TIP edition and verification status are in the "
                              "label.", differ=ag['differ'], compared=ag['compared'], start=self.year_start,
                              end=self.year_end),
                datasets=self.datasets,
                caveat=_("TIP editions revise earlier years and Kelley & Heiss do not name the edition of each "
                         "figure: a difference usually means two editions, not an error in either tabulation."),
                n=_("{differ} of {compared} shared figures", differ=ag['differ'], compared=ag['compared']),
                data=self.disagreements)
        if name == "tip-series":
            return dict(
                title=_("TIP global law-enforcement figures by data year"),
                description=(_("Global totals reported to the State Department. Red labels: year-on-year changes of "
                               "at least {threshold:.0%}; * = an explanation is recorded (see the table below). Brown "
                               "triangles: changes a source states directly (percentage, comparison year and status "
                               "as published; see the stated-changes table). Hollow circles: unverified figures.",
                               threshold=self.threshold)
                             + (_(" Hollow squares: figures filled from Kelley & Heiss's secondary tabulation (the "
                                  "typed table has no verified figure for that year); the flags table says which "
                                  "changes use one.") if kh else "")),
                datasets=self.datasets + ["tip-law-enforcement-changes"],
                n=_("{n} figures", n=int(self.series[self.measures].notna().sum().sum())),
                data=self.series_chart_table())
        if name == "tip-ratios":
            return dict(
                title=_("Convictions per prosecution and per identified victim"),
                description=(_("Ratios of annual global totals; a derived ratio carries the weaker status of its two "
                               "inputs.") + (_(" Hollow squares: a ratio using a figure filled from Kelley & Heiss "
                                               "(see the origin columns).") if kh else "")),
                datasets=self.datasets,
                caveat=_("Totals come from different governments and different stages of cases in a year: not "
                         "case-level conversion rates."),
                n=_("{n} ratios", n=int(self.ratios.filter(like='per_').select_dtypes('number').notna().sum().sum())),
                data=self.ratios.reset_index())
        if name == "tip-labour-share":
            return dict(
                title=_("Labour trafficking's share of reported prosecutions, convictions and victims"),
                description=(_("The figures the report prints in parentheses, as a share of each total (breakout "
                               "from data year 2007).") + (_(" Hollow squares: a share using a figure filled from "
                                                             "Kelley & Heiss.") if kh else "")),
                datasets=self.datasets,
                caveat=_("Labour trafficking is widely reported to be less policed and less recognised than sexual "
                         "exploitation, so a low share may measure enforcement priorities as much as prevalence; "
                         "these figures alone cannot say which."),
                n=_("{n} shares",
                    n=int(self.labour.filter(like='_share').select_dtypes('number').notna().sum().sum())),
                data=self.labour.reset_index())
        if name == "tip-funnel":
            return dict(
                title=_("Estimated prevalence against identified victims, prosecutions and convictions, {year}",
                        year=self.funnel_year),
                description=_("One global estimate beside the TIP report's annual totals for one data year, log "
                              "scale."),
                datasets=self.datasets + ["global-estimates"],
                caveat=_("A stock estimate against annual flows: orders of magnitude only."), n=4, data=self.funnel)
        raise KeyError(f"EnforcementAnalysis.caption: no chart named {name!r}")

    def series_chart_table(self) -> pd.DataFrame:
        """The numbers behind the series chart (one row per data year)."""
        cols = [c for m in self.measures for c in (m, f"{m}_verification", f"{m}_origin") if c in self.series.columns]
        return self.series[cols].rename_axis("data_year").reset_index()


def analyse(typed: pd.DataFrame, kh: pd.DataFrame | None, changes: pd.DataFrame, estimates: pd.DataFrame, *,
            year_start: int = 2003, year_end: int = 2023, measures: Sequence[str] = MEASURES,
            threshold: float = 0.25, include_unverified: bool = False, fill_from_kh: bool = True,
            estimate_edition: str = "GEMS 2022", estimate_measure: str = "forced_labour_total",
            funnel_year: int = 2021) -> EnforcementAnalysis:
    """Run notebook 30's analysis of the TIP report's global law-enforcement table.

    Parameters
    ----------
    typed: ``tip-law-enforcement`` (the typed-in table, one row per data year and status).
    kh: ``tip-law-enforcement-kh`` (Kelley & Heiss's tabulation), or None with ``fill_from_kh=False``.
    changes: ``tip-law-enforcement-changes`` (changes a source states directly).
    estimates: ``global-estimates`` (one row per edition; the estimate columns).
    Others: notebook 30's parameters (years inclusive, ``threshold`` a relative change, 0.25 = 25%).

    Raises :class:`critique.core.errors.ParameterError` naming the parameter when ``year_end`` is before
    ``year_start``, ``kh`` is missing while ``fill_from_kh`` is set, or the estimate is not in the table.
    Source of the figures: US Department of State, TIP reports, Global Law Enforcement Data (the
    State Department calls them "estimates only": ``STATE_CAVEAT_CITATION``); Kelley (2017),
    Scorecard Diplomacy, figure 3.2 (Kelley & Heiss's tabulation).
    """
    if year_end < year_start:
        raise ParameterError(f"parameter 'year_end': {year_end} is before year_start={year_start}")
    if fill_from_kh and kh is None:
        raise ParameterError("parameter 'fill_from_kh': true, but no Kelley & Heiss table was given")
    measures = list(measures)
    span = (year_start, year_end)
    out: list[tuple[str, Any, str | None]] = []
    rec = lambda key, value, note=None: out.append((key, value, note))  # noqa: E731
    reading: dict[str, str] = {}
    ds = ["tip-law-enforcement"] + (["tip-law-enforcement-kh"] if fill_from_kh else [])
    table = sources.filled_table(typed, kh) if fill_from_kh else typed

    S = series(table, measures, span, include_unverified=include_unverified)
    rec("fill_from_kh", bool(fill_from_kh), "years the typed table lacks filled from Kelley & Heiss's tabulation")
    rec("years_missing", {m: [int(y) for y in S.index[S[m].isna()]] for m in measures},
        "data years without a figure (left as gaps, never interpolated)")
    rec("years_filled", {m: [int(y) for y in S.index[filled(S[f"{m}_origin"])]] for m in measures},
        "data years whose figure comes from Kelley & Heiss's secondary tabulation, not the typed table")

    FILLED = D = AG = None
    if fill_from_kh:
        in_range = lambda f: f[f["data_year"].between(year_start, year_end)]  # noqa: E731
        FILLED = in_range(sources.filled_figures(typed, kh))[FILLED_COLUMNS]
        rec("filled_figures_n", int(len(FILLED)), "figures (all measures) taken from Kelley & Heiss, years in range")
        D = sources.disagreements(in_range(typed), in_range(kh))
        AG = sources.agreement_summary(in_range(typed), in_range(kh))
        rec("kh_compared", AG["compared"], "figures both tabulations give (years in range, unverified typed figures included)")
        rec("kh_differ", AG["differ"], "of those, figures that differ")
        rec("kh_disagreements", [f"{r.data_year} {r.measure} typed {r.typed:,} ({r.typed_verification}) vs Kelley & "
                                 f"Heiss {r.kh:,}" for r in D.itertuples()])
        reading["fill"] = fill_sentence(True, len(FILLED), AG["compared"], AG["differ"])
    else:
        reading["fill"] = fill_sentence(False)

    flags = yoy_flags(table, measures, threshold, include_unverified=include_unverified)
    flags = flags.loc[flags["data_year"].between(year_start, year_end)]
    fl = flags.loc[flags["flagged"]]
    rec("flag_threshold", threshold, "relative size of a year-on-year change that is flagged")
    rec("flags_n", int(len(fl)), f"year-on-year changes of at least {threshold:.0%}")
    rec("flags", [flag_label(r.measure, r.data_year, r.change, bool(r.filled)) for r in fl.itertuples()])
    rec("flags_filled_n", int(fl["filled"].sum()), "flagged changes that use a figure filled from Kelley & Heiss")
    rec("flags_explained_n", int(fl["explanation"].notna().sum()), "flagged changes with a recorded explanation")
    stated = stated_changes(changes, measures, span, include_unverified=include_unverified)
    rec("stated_changes_n", int(len(stated)), "year-on-year changes a source states directly")
    rec("stated_changes", [f"{r.measure} {r.data_year} {r.stated_change:+.0%} vs {r.compared_with_year} ({r.verification})"
                           for r in stated.itertuples()], "as the source states them, not recomputed")

    R = ratios(table, span, include_unverified=include_unverified)
    cpp = R["convictions_per_prosecution"].dropna()
    if len(cpp):
        rec("convictions_per_prosecution_median", round(float(cpp.median()), 4))
        rec("convictions_per_prosecution_range", [round(float(cpp.min()), 4), round(float(cpp.max()), 4)])
        rec("convictions_per_prosecution_years", [int(cpp.index.min()), int(cpp.index.max()), int(len(cpp))],
            "first and last data year with the ratio, and how many years have it")
        cpp_filled = [int(y) for y in cpp.index[filled(R.loc[cpp.index, "convictions_per_prosecution_origin"])]]
        rec("convictions_per_prosecution_filled_years", cpp_filled,
            "data years whose ratio uses a figure filled from Kelley & Heiss")
        rec("convictions_per_prosecution_filled_n", len(cpp_filled))

    L = labour_shares(table, span, include_unverified=include_unverified)
    rec("labour_share_latest", latest_labour_shares(L, measures))

    ge = estimates.set_index("edition")
    if estimate_edition not in ge.index or estimate_measure not in ge.columns or pd.isna(ge.at[estimate_edition, estimate_measure]):
        raise ParameterError(f"parameter 'estimate_edition': no {estimate_measure} for {estimate_edition!r} in "
                             f"global-estimates (editions: {list(ge.index)})")
    estimate = float(ge.at[estimate_edition, estimate_measure])
    words = estimate_label(estimate_edition, estimate_measure)  # refuses a measure it cannot name
    F = funnel(table, funnel_year, estimate, f"{estimate_edition} estimate: {MEASURE_SHORT[estimate_measure]}",
               include_unverified=include_unverified)
    rec("funnel_year", funnel_year)
    rec("funnel_source_text", funnel_source_text(typed, funnel_year, include_unverified),
        "where the funnel year's TIP figures come from, in words")
    rec("funnel_estimate", {"edition": estimate_edition, "measure": estimate_measure, "value": estimate})
    rec("funnel_estimate_label", words,
        "the estimate in words, for sentences")
    rec("funnel_identified_share_of_estimate", round(float(F.loc[1, "share_of_estimate"]), 6))
    rec("funnel_convictions_per_100k_estimate", round(float(1e5 * F.loc[3, "share_of_estimate"]), 2))

    return EnforcementAnalysis(
        year_start=year_start, year_end=year_end, measures=measures, threshold=threshold, fill_from_kh=fill_from_kh,
        datasets=ds, table=table, series=S, filled=FILLED, disagreements=D, agreement=AG, flags=flags, flagged=fl,
        stated=stated, ratios=R, labour=L, funnel=F, funnel_year=funnel_year, reading=reading, _findings=out)
