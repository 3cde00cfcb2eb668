"""Notebook 20's whole analysis in one call: :func:`analyse` returns a :class:`RaidAnalysis` with the
numbers, the reader tables, the data behind each chart, the reading sentences and the findings.

Every result is a **scenario** (see the package docstring): the sentences below say "would" and name
the assumptions they rest on. The sentence rules and captions live in :mod:`critique.methods.misid.reading`,
each tested on both sides of its boundary (``tests/test_misid.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import N_, _
from critique.methods.misid.counts import (
    BASE_ALL,
    BASE_LABOUR_AT_FACE_VALUE,
    AdjustedCount,
    RaidSweep,
    adjust_counts,
    raid_sweep,
)
from critique.methods.misid.distributions import SEX, Beta
from critique.methods.misid.feedback import FeedbackResult, simulate_feedback
from critique.methods.misid.priors import FPR_MEASURES, EvidencePrior, evidence_prior
from critique.methods.misid.reading import (  # noqa: F401  (the rules are part of this module's interface)
    band_share_sentence,
    chart_caption,
    feedback_sentence,
    feedback_title,
    fixed_rate_choice,
    rate_sentence,
    remaining_sentence,
    shares_sentence,
    unverified_sentence,
)
from critique.methods.misid.shares import adjusted_shares
from critique.core.results import RecordsFindings

_GRADE_WORDS = (N_("primary"), N_("secondary"), N_("unknown"))  # the sweep's source status, read in a sentence

OTHER = "All other forms"
EVIDENCE_COLUMNS = ["id", "study", "what_was_counted", "what_was_found", "measures", "numerator",
                    "denominator", "verification"]
PRIOR_COLUMNS = ["id", "measures", "verification", "used", "reason", "n", "a", "b", "mean"]
SE_STEPS = ["detected", "minus misidentified", "detection bias removed", "both"]
PRIOR_DRAWS = 200_000  # draws of the rate itself for its interval and histogram



@dataclass(frozen=True)
class RaidSettings:
    """The notebook's parameters (names and meanings as in notebook 20's parameter cell)."""

    raid_share: float = 0.28
    operation_raid_share: float = 1.0
    sex_sector_raid_share: float = 0.5
    rate_source: str = "evidence"
    fixed_false_positive_rate: float = 0.5
    evidence_rows: Sequence[str] = ("sangram-voluntary", "vera-tvit-screening")
    pooling: str = "mixture"
    prior_a: float = 1.0
    prior_b: float = 1.0
    cap_n: int = 0
    include_conviction_ratio: bool = False
    min_verification: str = "secondary"
    other_false_positive_rate: float = 0.0
    country_iso3: str = "USA"
    country_year: int = 2021
    sweep_year: int = 2023
    sweep_steps: int = 21
    sweep_raid_shares: Sequence[float] = (0.1, 0.5, 1.0)
    include_unverified_tip: bool = False
    relative_detection: float = 2.0
    feedback_true_share: float = 0.25
    feedback_years: int = 30
    responsiveness: float = 0.5
    n_draws: int = 1_000_000
    interval_level: float = 0.9
    seed: int = 20250501


# --------------------------------------------------------------------------------------------
# The result object
# --------------------------------------------------------------------------------------------
@dataclass
class RaidAnalysis(RecordsFindings):
    """Notebook 20's result (statsmodels style: numbers, tables, chart data, sentences, findings).

    Tables: ``evidence`` (the evidence rows), ``rated`` (rows with a published proportion, its 95%
    Jeffreys interval ``lo``/``hi`` and ``rate_row``), ``prior_table`` (evidence rows used or left
    out, with the reason), ``tip`` (TIP series adjusted), ``se_shares`` (the four shares).
    Chart data: ``rated``, ``draws``, ``tip``, ``sweep``, ``bands``, ``se_shares``, ``feedback``.
    ``reading[section]`` holds the sentences; :meth:`findings` the recorded keys in order.
    """

    settings: RaidSettings
    evidence: pd.DataFrame
    unverified: list[str]
    rated: pd.DataFrame
    prior: EvidencePrior | None
    fpr: Any
    draws: np.ndarray
    fpr_mean: float
    fpr_low: float
    fpr_high: float
    rows_used: list[str]
    choices: str
    operation: AdjustedCount
    operation_claimed: int
    operation_convictions: int
    country_identified: float
    country: AdjustedCount
    tip: pd.DataFrame
    tip_result: AdjustedCount
    sweep: RaidSweep
    sweep_identified: float
    sweep_labour: float
    bands: dict[str, tuple[float, float]]
    band_share: float
    sweep_lines: list[float]
    se_shares: pd.DataFrame
    se_interval: tuple[float, float]
    feedback: pd.DataFrame
    feedback_result: FeedbackResult
    phi_sex: float
    reading: dict[str, str] = field(default_factory=dict)
    _findings: list[tuple[str, Any, str | None]] = field(default_factory=list, repr=False)

    @property
    def prior_table(self) -> pd.DataFrame | None:
        return None if self.prior is None else self.prior.table[PRIOR_COLUMNS]

    def caption(self, name: str) -> dict[str, Any]:
        """Title, description, caveats, N, datasets, scenario flag and data of chart ``name``, as
        keyword arguments of ``critique.figures.charts.finalise`` (:func:`critique.methods.misid.reading.chart_caption`)."""
        return chart_caption(self, name)


# --------------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------------
def _rated(evidence: pd.DataFrame) -> pd.DataFrame:
    rated = evidence.loc[evidence["numerator"].notna() & evidence["denominator"].notna()].copy()
    k = rated["numerator"].astype(float).to_numpy()
    n = rated["denominator"].astype(float).to_numpy()
    rated["p"] = k / n
    ci = [Beta(a + 0.5, b - a + 0.5).interval(0.95) for a, b in zip(k, n)]  # Jeffreys interval
    rated["lo"], rated["hi"] = [c[0] for c in ci], [c[1] for c in ci]
    rated["rate_row"] = rated["measures"].isin(FPR_MEASURES)
    return rated


def _country_total(glotip: pd.DataFrame, iso3: str, year: int) -> float:
    from critique.methods.coverage import select_glotip

    tot = select_glotip(glotip, dimension="Total", category="Total")
    cy = tot.loc[(tot["iso3"] == iso3) & (tot["year"] == year)]
    if cy.empty or cy["value_high"].isna().all():
        years = sorted(int(y) for y in tot.loc[tot["iso3"] == iso3, "year"].unique())
        raise ParameterError(f"parameter 'country_year': glotip has no detected-victim total for {iso3} in "
                             f"{year}; years with a total: {years}")
    return (float(cy["value_low"].sum()) + float(cy["value_high"].sum())) / 2


def _se_share(glotip: pd.DataFrame, iso3: str, year: int) -> float:
    from critique.methods.coverage import form_share_by_year, select_glotip

    fs = form_share_by_year(select_glotip(glotip, dimension="by form of exploitation"), units=[iso3])
    if year not in fs.index:
        raise ParameterError(f"parameter 'country_year': glotip has no shares by form for {iso3} in {year}; "
                             f"years: {[int(y) for y in fs.index]}")
    row = fs.loc[year]
    return float((row["share_low"] + row["share_high"]) / 2)


def analyse(evidence: pd.DataFrame, glotip: pd.DataFrame, tip_table: pd.DataFrame,
            settings: RaidSettings | None = None, **parameters: Any) -> RaidAnalysis:
    """Run notebook 20's analysis: the evidence, the rate, three adjusted counts, the sweep, the
    shares and the feedback loop (all scenarios).

    Parameters
    ----------
    evidence: ``raid-outcomes`` (id, study, what_was_counted, what_was_found, measures, numerator,
        denominator, verification, ...).
    glotip: the ``glotip`` release (long UNODC rows).
    tip_table: ``tip-law-enforcement`` (typed global TIP table).
    settings / parameters: a :class:`RaidSettings` or its fields by name (the notebook's parameters).

    Raises :class:`critique.core.errors.ParameterError` naming the parameter when the chosen country-year
    or sweep year has no figure (with the years that have one).
    Method: ``critique.methods.misid`` (count adjustment, sweep, shares, feedback model; literature.md 8c).
    """
    from critique.methods import detection
    from critique.methods.tip import enforcement

    s = settings if settings is not None else RaidSettings(**parameters)
    level, kw = s.interval_level, dict(n_draws=s.n_draws, seed=s.seed, level=s.interval_level)
    out: list[tuple[str, Any, str | None]] = []
    rec = lambda key, value, note=None: out.append((key, value, note))  # noqa: E731
    reading: dict[str, str] = {}

    # 1. the evidence
    unverified = evidence.loc[evidence["verification"] == "unverified", "id"].astype(str).tolist()
    reading["evidence"] = unverified_sentence(unverified)
    rated = _rated(evidence)

    # 2. the rate
    prior = None
    if s.rate_source == "evidence":
        prior = evidence_prior(evidence, rows=list(s.evidence_rows), pooling=s.pooling,
                               prior=(s.prior_a, s.prior_b), cap_n=s.cap_n or None,
                               include_conviction_ratio=s.include_conviction_ratio,
                               min_verification=s.min_verification)
        fpr: Any = prior.distribution
        rows_used, choices = list(prior.per_study), prior.choices
        draws = np.asarray(fpr.rvs(size=PRIOR_DRAWS, random_state=np.random.default_rng(s.seed)))
        fpr_mean = float(fpr.mean())
    elif s.rate_source == "fixed":
        fpr = float(s.fixed_false_positive_rate)
        rows_used, choices = [], fixed_rate_choice(fpr)
        draws, fpr_mean = np.full(1, fpr), fpr
    else:
        raise ParameterError(f"parameter 'rate_source': {s.rate_source!r}; choices: evidence, fixed")
    lo_q, hi_q = (float(q) for q in np.quantile(draws, [(1 - level) / 2, (1 + level) / 2]))
    rec("fpr_prior_mean", fpr_mean, "raid false-positive rate, mean (scenario input)")
    rec("fpr_prior_low", lo_q)
    rec("fpr_prior_high", hi_q)
    rec("fpr_rows_used", rows_used)
    reading["rate"] = rate_sentence(fpr_mean, lo_q, hi_q, level, choices, fixed=prior is None)

    # 3. an operation, a UNODC country-year, the TIP series
    op = evidence.set_index("id").loc["pentameter2-convictions"]
    claimed, convictions = int(op["denominator"]), int(op["numerator"])
    r_op = adjust_counts(claimed, s.operation_raid_share, fpr, s.other_false_positive_rate, **kw)
    rec("operation_claimed", claimed, "Pentameter 2 'victims identified' (Home Office 124/2008)")
    rec("operation_remaining", r_op.point)
    rec("operation_remaining_low", r_op.low)
    rec("operation_remaining_high", r_op.high)
    reading["operation"] = remaining_sentence(
        _("Pentameter 2 claimed {n:,} victims", n=claimed), r_op,
        _("For comparison only (a conviction count is not a false-positive rate): {n} trafficking convictions.",
          n=convictions))

    release = str(glotip.attrs.get("release", "glotip"))
    c_value = _country_total(glotip, s.country_iso3, s.country_year)
    r_cy = adjust_counts(c_value, s.raid_share, fpr, s.other_false_positive_rate, **kw)
    rec("country_identified", c_value, f"UNODC detected victims, {s.country_iso3} {s.country_year} ({release})")
    rec("country_remaining", r_cy.point)
    rec("country_remaining_low", r_cy.low)
    rec("country_remaining_high", r_cy.high)
    reading["country"] = remaining_sentence(
        _("UNODC ({release}): {iso3} authorities detected {n:,.0f} victims in {year}", release=release,
          iso3=s.country_iso3, n=c_value, year=s.country_year), r_cy)

    tip = enforcement.series(tip_table, measures=["victims_identified"],
                             include_unverified=s.include_unverified_tip).dropna(subset=["victims_identified"])
    r_tip = adjust_counts(tip["victims_identified"].to_numpy(), s.raid_share, fpr,
                          s.other_false_positive_rate, **kw)
    tip_out = r_tip.to_frame(index=tip.index)
    tip_out["verification"] = tip["victims_identified_verification"]
    rec("tip_years", [int(y) for y in tip.index])
    rec("tip_identified", tip_out["identified"].tolist())
    rec("tip_remaining", tip_out["point"].tolist())
    rec("tip_remaining_low", tip_out["low"].tolist())
    rec("tip_remaining_high", tip_out["high"].tolist())
    reading["tip"] = (_("TIP 'victims identified' adjusted with ONE uncertain rate shared by every year "
                        "(intervals move together). ") + r_tip.assumptions)

    # 3b. the sweep
    both = enforcement.series(tip_table, measures=["victims_identified", "labor_victims_identified"],
                              include_unverified=s.include_unverified_tip)
    if s.sweep_year not in both.index or both.loc[s.sweep_year, ["victims_identified",
                                                                 "labor_victims_identified"]].isna().any():
        have = [int(y) for y in both.dropna(subset=["victims_identified", "labor_victims_identified"]).index]
        raise ParameterError(f"parameter 'sweep_year': no TIP 'victims identified' with labour victims for "
                             f"{s.sweep_year}; years with both: {have}")
    n_year = float(both.loc[s.sweep_year, "victims_identified"])
    n_labour = float(both.loc[s.sweep_year, "labor_victims_identified"])
    grid = np.round(np.linspace(0, 1, s.sweep_steps), 10)
    rs_grid = np.unique(np.concatenate([grid, [s.raid_share], np.asarray(s.sweep_raid_shares, float)]))
    sweep = raid_sweep(n_year, grid, rs_grid, labour_identified=n_labour,
                       other_false_positive_rate=s.other_false_positive_rate)
    ext = sweep.extremes()
    band_all = adjust_counts(n_year, s.raid_share, fpr, s.other_false_positive_rate, **kw)
    band_lab = adjust_counts(n_year - n_labour, s.raid_share, fpr, s.other_false_positive_rate, **kw)
    bands = {BASE_ALL: (band_all.low, band_all.high),
             BASE_LABOUR_AT_FACE_VALUE: (n_labour + band_lab.low, n_labour + band_lab.high)}
    row = tip_table.loc[tip_table["data_year"] == s.sweep_year]
    sweep_edition = int(row["report_edition"].iloc[0]) if len(row) and "report_edition" in row else None
    sweep_status = str(row["verification"].iloc[0]) if len(row) and "verification" in row else "unknown"
    rec("sweep_year", s.sweep_year)
    rec("sweep_edition", sweep_edition, f"TIP report edition whose table gives data year {s.sweep_year} ({sweep_status})")
    rec("sweep_identified", n_year, "TIP 'victims identified', all forms")
    rec("sweep_labour_identified", n_labour, "of which labour-trafficking victims")
    for key, base in (("all", BASE_ALL), ("labour", BASE_LABOUR_AT_FACE_VALUE)):
        rec(f"sweep_{key}_min", float(ext.loc[base, "min"]))
        rec(f"sweep_{key}_max", float(ext.loc[base, "max"]))
        rec(f"sweep_band_{key}_low", float(bands[base][0]))
        rec(f"sweep_band_{key}_high", float(bands[base][1]))
    share = float((bands[BASE_ALL][1] - bands[BASE_ALL][0]) / (ext.loc[BASE_ALL, "max"] - ext.loc[BASE_ALL, "min"]))
    rec("sweep_band_share_of_range", share)
    a, lab = ext.loc[BASE_ALL], ext.loc[BASE_LABOUR_AT_FACE_VALUE]
    reading["sweep"] = (
        _("TIP data year {year} ({edition} report's table, read in a {status} source): {n:,.0f} identified "
          "({labour:,.0f} labour). Over raid shares and false-positive rates 0-1 the remaining count would run from "
          "{all_min:,.0f} to {all_max:,.0f} (labour victims in the base) or {lab_min:,.0f} to {lab_max:,.0f} (labour "
          "victims at face value). At an assumed raid share of {raid_share:g}, the studies' sampling error would give "
          "{band_low:,.0f}-{band_high:,.0f} (or {lab_band_low:,.0f}-{lab_band_high:,.0f}). ", year=s.sweep_year,
          edition=sweep_edition, status=_(sweep_status), n=n_year, labour=n_labour, all_min=a['min'],
          all_max=a['max'], lab_min=lab['min'], lab_max=lab['max'], raid_share=s.raid_share,
          band_low=bands[BASE_ALL][0], band_high=bands[BASE_ALL][1],
          lab_band_low=bands[BASE_LABOUR_AT_FACE_VALUE][0], lab_band_high=bands[BASE_LABOUR_AT_FACE_VALUE][1])
        + band_share_sentence(share) + " " + sweep.assumptions)

    # 4. the sexual-exploitation share
    s_det = _se_share(glotip, s.country_iso3, s.country_year)
    shares = pd.Series({SEX: s_det, OTHER: 1 - s_det})
    r_phi = adjust_counts(1.0, s.sex_sector_raid_share, fpr, s.other_false_positive_rate, **kw)
    phi = {"point": 1 - r_phi.point, "low": 1 - r_phi.high, "high": 1 - r_phi.low}
    phi_map = lambda p: {SEX: p, OTHER: s.other_false_positive_rate}  # noqa: E731
    reweighted = detection.reweight_shares(shares, s.relative_detection)
    after_misid = float(adjusted_shares(shares, phi_map(phi["point"]))[SEX])
    after_det = float(reweighted[SEX])
    both_sh = {k: float(adjusted_shares(reweighted, phi_map(v))[SEX]) for k, v in phi.items()}
    lo_b, hi_b = min(both_sh["low"], both_sh["high"]), max(both_sh["low"], both_sh["high"])
    rec("se_share_detected", s_det, f"UNODC {s.country_iso3} {s.country_year} ({release})")
    rec("se_share_after_misid", after_misid)
    rec("se_share_after_detection", after_det)
    rec("se_share_after_both", both_sh["point"])
    rec("se_share_after_both_low", lo_b)
    rec("se_share_after_both_high", hi_b)
    reading["shares"] = shares_sentence(s.country_iso3, s.country_year, release, s_det, after_misid, after_det,
                                        both_sh["point"], min(both_sh.values()), max(both_sh.values()),
                                        s.sex_sector_raid_share, s.relative_detection)
    se_frame = pd.DataFrame({"share": [s_det, after_misid, after_det, both_sh["point"]]}, index=SE_STEPS)

    # 5. the feedback loop
    true = pd.Series({SEX: s.feedback_true_share, OTHER: 1 - s.feedback_true_share})
    phi_sex = 1 - r_phi.point
    fb = simulate_feedback(true, {SEX: s.relative_detection}, phi_sex, years=s.feedback_years,
                           responsiveness=s.responsiveness, target=SEX)
    det = fb.detected(SEX)
    nomisid = simulate_feedback(true, {SEX: s.relative_detection}, 0.0, years=s.feedback_years,
                                responsiveness=s.responsiveness, target=SEX).detected(SEX)
    fixed_point = float(fb.fixed_point[SEX])
    rec("feedback_true_share", s.feedback_true_share)
    rec("feedback_detected_first", float(det.iloc[0]))
    rec("feedback_detected_last", float(det.iloc[-1]))
    rec("feedback_fixed_point", fixed_point)
    rec("feedback_gap_first", float(det.iloc[0] - s.feedback_true_share))
    rec("feedback_gap_last", float(det.iloc[-1] - s.feedback_true_share))
    reading["feedback"] = fb.assumptions + " " + feedback_sentence(
        float(det.iloc[0]), float(det.iloc[-1]), fixed_point, s.feedback_true_share, s.feedback_years)

    return RaidAnalysis(
        settings=s, evidence=evidence[EVIDENCE_COLUMNS], unverified=unverified, rated=rated, prior=prior,
        fpr=fpr, draws=draws, fpr_mean=fpr_mean, fpr_low=lo_q, fpr_high=hi_q, rows_used=rows_used,
        choices=choices, operation=r_op, operation_claimed=claimed, operation_convictions=convictions,
        country_identified=c_value, country=r_cy, tip=tip_out, tip_result=r_tip, sweep=sweep,
        sweep_identified=n_year, sweep_labour=n_labour, bands=bands, band_share=share,
        sweep_lines=sorted({float(s.raid_share), *map(float, s.sweep_raid_shares)}),
        se_shares=se_frame, se_interval=(lo_b, hi_b),
        feedback=pd.DataFrame({"detected": det, "detected_no_misidentification": nomisid}),
        feedback_result=fb, phi_sex=phi_sex, reading=reading, _findings=out)
