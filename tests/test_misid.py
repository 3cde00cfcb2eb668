"""critique.methods.misid: hand-computed arithmetic, Monte Carlo against analytic Beta results, evidence
priors from the raid-outcomes table, and the invariants of the feedback simulation (issue 5)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from critique import datasets
from critique.methods import misid
from critique.methods.misid import Beta, BetaMixture, MisidError

SEX, LAB, OTH = "Sexual exploitation", "Forced labour", "Other"


# ------------------------------------------------------------------ adjust_counts, fixed rates
def test_fixed_rates_by_hand():
    # 1000 * (1 - 0.4*0.79 - 0.6*0.1) = 1000 * (1 - 0.316 - 0.06) = 624
    r = misid.adjust_counts(1000, 0.4, 0.79, 0.1, n_draws=1000)
    assert r.point == pytest.approx(624.0)
    assert r.low == pytest.approx(624.0) and r.high == pytest.approx(624.0)
    assert r.removed == pytest.approx(376.0)
    assert "Scenario" in r.assumptions


def test_arrays_broadcast_elementwise():
    # [100 * (1 - 0.5*0.5), 200 * (1 - 1.0*0.5)] = [75, 100]
    r = misid.adjust_counts([100, 200], [0.5, 1.0], 0.5)
    np.testing.assert_allclose(r.point, [75.0, 100.0])
    frame = r.to_frame(index=[2020, 2021])
    assert list(frame["removed"]) == pytest.approx([25.0, 100.0])


def test_zero_rates_leave_count_unchanged_and_full_rate_removes_raids():
    assert misid.adjust_counts(167, 1.0, 0.0).point == pytest.approx(167)
    # every identification from raids and every raid identification false: nothing remains
    assert misid.adjust_counts(167, 1.0, 1.0).point == pytest.approx(0.0)


@pytest.mark.parametrize("kwargs, word", [
    (dict(identified=10, raid_share=1.2, false_positive_rate=0.5), "raid_share"),
    (dict(identified=10, raid_share=0.5, false_positive_rate=-0.1), "false_positive_rate"),
    (dict(identified=-1, raid_share=0.5, false_positive_rate=0.5), "identified"),
    (dict(identified=10, raid_share=0.5, false_positive_rate=0.5, level=1.0), "level"),
])
def test_bad_arguments_name_the_parameter(kwargs, word):
    with pytest.raises(MisidError, match=word):
        misid.adjust_counts(**kwargs)


# ------------------------------------------------------------------ adjust_counts, Monte Carlo
def test_mc_mean_matches_beta_mean_within_mc_error():
    # SANGRAM-like Beta(194, 51): mean 194/245 = 0.791837; remaining = 167 * 51/245 = 34.763265
    dist = Beta(194, 51)
    r = misid.adjust_counts(167, 1.0, dist, n_draws=200_000, seed=1)
    analytic = 167 * 51 / 245
    assert r.point == pytest.approx(analytic, rel=1e-12)
    assert abs(r.mc_mean - analytic) < 4 * r.mc_se  # 4 MC standard errors: fails ~1 in 16,000
    # sd of remaining = 167 * sd(Beta) = 167 * sqrt(194*51/(245^2*246))
    sd = 167 * math.sqrt(194 * 51 / (245 ** 2 * 246))
    assert r.mc_se == pytest.approx(sd / math.sqrt(200_000), rel=0.02)


def test_mc_interval_covers_analytic_quantiles():
    # remaining fraction = 1 - 0.5 F, F ~ Beta(85, 97): its 90% interval is
    # [1 - 0.5 q(0.95), 1 - 0.5 q(0.05)] with q the Beta quantile function.
    dist = Beta(85, 97)
    n = 400_000
    r = misid.adjust_counts(1000, 0.5, dist, n_draws=n, seed=7, level=0.9, keep_draws=True)
    lo_exact = 1000 * (1 - 0.5 * stats.beta.ppf(0.95, 85, 97))
    hi_exact = 1000 * (1 - 0.5 * stats.beta.ppf(0.05, 85, 97))
    inside = np.mean((1000 * r.factor_draws >= lo_exact) & (1000 * r.factor_draws <= hi_exact))
    # coverage of the exact 90% interval by the draws: binomial SE sqrt(.9*.1/n) = 0.00047
    assert abs(inside - 0.9) < 4 * math.sqrt(0.9 * 0.1 / n)
    assert r.low == pytest.approx(lo_exact, rel=2e-3)
    assert r.high == pytest.approx(hi_exact, rel=2e-3)
    assert r.low < r.point < r.high


def test_two_uncertain_rates_mean_is_product_of_means():
    # independent draws: E[1 - 0.28 F - 0.72 G] = 1 - 0.28*0.8 - 0.72*0.1 = 0.704 (F~Beta(8,2), G~Beta(1,9))
    r = misid.adjust_counts(90354, 0.28, Beta(8, 2), stats.beta(1, 9), n_draws=200_000, seed=3)
    assert r.point == pytest.approx(90354 * 0.704)
    assert abs(r.mc_mean - r.point) < 4 * r.mc_se


def test_seeded_draws_are_reproducible():
    a = misid.adjust_counts(100, 1.0, Beta(2, 3), n_draws=10_000, seed=11)
    b = misid.adjust_counts(100, 1.0, Beta(2, 3), n_draws=10_000, seed=11)
    c = misid.adjust_counts(100, 1.0, Beta(2, 3), n_draws=10_000, seed=12)
    assert a.low == b.low and a.high == b.high
    assert a.low != c.low


def test_array_counts_share_one_uncertain_rate():
    r = misid.adjust_counts(np.array([100.0, 300.0]), 1.0, Beta(2, 2), n_draws=10_000, seed=0)
    # one rate for all elements: intervals scale with the count
    assert r.low[1] == pytest.approx(3 * r.low[0]) and r.high[1] == pytest.approx(3 * r.high[0])


def test_beta_mixture_mean():
    mix = BetaMixture((Beta(194, 51), Beta(85, 97)), (0.5, 0.5))
    # (194/245 + 85/182) / 2 = (0.791837 + 0.467033) / 2 = 0.629435
    assert mix.mean() == pytest.approx(0.5 * 194 / 245 + 0.5 * 85 / 182)
    draws = mix.rvs(size=200_000, random_state=np.random.default_rng(5))
    assert abs(draws.mean() - mix.mean()) < 4 * draws.std() / math.sqrt(200_000)


# ------------------------------------------------------------------ evidence_prior
@pytest.fixture(scope="module")
def evidence() -> pd.DataFrame:
    return datasets.load("raid-outcomes")


def test_evidence_table_rows_are_cited_and_measures_declared(evidence):
    assert evidence["citation"].str.len().min() > 10
    assert set(evidence["verification"]) <= {"primary", "secondary", "unverified"}
    sangram = evidence.set_index("id").loc["sangram-voluntary"]
    assert (sangram["numerator"], sangram["denominator"]) == (193, 243)  # Indian Express 2018
    pent = evidence.set_index("id").loc["pentameter2-convictions"]
    assert pent["measures"] == "conviction_ratio" and (pent["numerator"], pent["denominator"]) == (15, 167)


def test_default_prior_uses_only_rate_rows(evidence):
    p = misid.evidence_prior(evidence)
    # SANGRAM 193 of 243 -> Beta(193+1, 50+1); Vera 84 of 180 -> Beta(84+1, 96+1)
    assert set(p.per_study) == {"sangram-voluntary", "vera-tvit-screening"}
    assert (p.per_study["sangram-voluntary"].a, p.per_study["sangram-voluntary"].b) == (194, 51)
    assert (p.per_study["vera-tvit-screening"].a, p.per_study["vera-tvit-screening"].b) == (85, 97)
    assert isinstance(p.distribution, BetaMixture)
    reasons = p.table.set_index("id")["reason"]
    assert reasons["pentameter2-convictions"].startswith("conviction ratio")
    assert reasons["uniap-cambodia-2008"].startswith("measures venue_prevalence")


def test_pooled_prior_adds_counts(evidence):
    p = misid.evidence_prior(evidence, pooling="pooled", prior=(0.5, 0.5))
    # a = 193 + 84 + 0.5 = 277.5; b = 50 + 96 + 0.5 = 146.5
    assert (p.distribution.a, p.distribution.b) == pytest.approx((277.5, 146.5))


def test_cap_n_shrinks_a_study_to_the_cap(evidence):
    p = misid.evidence_prior(evidence, rows=["sangram-voluntary"], cap_n=100)
    # 193/243 scaled to n = 100: k = 79.42; Beta(80.42, 21.58), same mean as the raw proportion
    b = p.distribution
    assert (b.a, b.b) == pytest.approx((193 * 100 / 243 + 1, 100 - 193 * 100 / 243 + 1))


def test_conviction_ratio_only_with_explicit_choice_and_warning(evidence):
    with pytest.raises(MisidError, match="no usable evidence"):
        misid.evidence_prior(evidence, rows=["pentameter2-convictions"])
    with pytest.warns(UserWarning, match="not a false-positive rate"):
        p = misid.evidence_prior(evidence, rows=["pentameter2-convictions"],
                                 include_conviction_ratio=True)
    # 167 - 15 = 152 "not convicted-for" -> Beta(153, 16)
    assert (p.distribution.a, p.distribution.b) == (153, 16)


def test_min_verification_filters_rows(evidence):
    p = misid.evidence_prior(evidence, min_verification="primary")
    assert set(p.per_study) == {"vera-tvit-screening"}
    with pytest.raises(MisidError, match="unknown evidence id"):
        misid.evidence_prior(evidence, rows=["no-such-study"])


# ------------------------------------------------------------------ shares
def test_adjusted_shares_by_hand():
    # kept: 0.5*(1-0.6)=0.2, 0.4, 0.1 -> /0.7
    out = misid.adjusted_shares({SEX: 0.5, LAB: 0.4, OTH: 0.1}, 0.6)
    assert list(out) == pytest.approx([0.2 / 0.7, 0.4 / 0.7, 0.1 / 0.7])
    assert out.sum() == pytest.approx(1.0)


def test_misidentified_fraction_by_hand():
    # 0.28*0.79 + 0.72*0.05 = 0.2212 + 0.036 = 0.2572
    assert misid.misidentified_fraction(0.28, 0.79, 0.05) == pytest.approx(0.2572)


def test_shares_compose_with_detection_reweighting_in_either_order():
    shares = pd.Series({SEX: 0.5, LAB: 0.4, OTH: 0.1})
    a = misid.adjusted_shares(misid.reweight_by_detection(shares, {SEX: 3.0}), 0.5)
    b = misid.reweight_by_detection(misid.adjusted_shares(shares, 0.5), {SEX: 3.0})
    # by hand: 0.5*0.5/3 = 0.083333, 0.4, 0.1 -> sex share 0.083333/0.583333 = 0.142857
    assert a[SEX] == pytest.approx(1 / 7) and list(a) == pytest.approx(list(b))


def test_adjusted_shares_rejects_unknown_form():
    with pytest.raises(MisidError, match="Domestic servitude"):
        misid.adjusted_shares({SEX: 0.5, LAB: 0.5}, {"Domestic servitude": 0.2})


# ------------------------------------------------------------------ feedback
TRUE = pd.Series({SEX: 0.3, LAB: 0.6, OTH: 0.1})


@pytest.mark.parametrize("lam", [0.0, 0.5, 1.0])
def test_no_misid_equal_rates_detected_equals_true_every_year(lam):
    res = misid.simulate_feedback(TRUE, 1.0, 0.0, years=40, responsiveness=lam)
    np.testing.assert_allclose(res.path["detected_share"], res.path["true_share"], atol=1e-12)
    np.testing.assert_allclose(res.fixed_point.to_numpy(), TRUE.to_numpy(), atol=1e-12)


@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0])
def test_misid_gap_positive_and_never_shrinks(lam):
    res = misid.simulate_feedback(TRUE, 1.0, 0.4, years=60, responsiveness=lam)
    gap = res.detected(SEX) - TRUE[SEX]
    assert (gap > 0).all()
    assert (np.diff(gap.to_numpy()) >= -1e-12).all()
    if lam > 0:
        assert gap.iloc[-1] > gap.iloc[0]  # effort following the data widens it


def test_full_responsiveness_closed_form_path():
    # t = (0.5, 0.5), phi_sex = 0.5 -> yields (2, 1); d_sex(y) = 2^(y+1) / (2^(y+1) + 1): 2/3, 4/5, 8/9
    res = misid.simulate_feedback({SEX: 0.5, LAB: 0.5}, 1.0, 0.5, years=3, responsiveness=1.0)
    assert list(res.detected(SEX)) == pytest.approx([2 / 3, 4 / 5, 8 / 9, 16 / 17])
    assert res.fixed_point[SEX] == pytest.approx(1.0)


def test_two_group_fixed_point_by_hand_and_convergence():
    # kappa = 2, lambda = 0.5, b_sex = 0.5 -> u = 0.25; A = 0.5, B = 1 + 0.25 - 1 = 0.25, C = -0.5
    # x = (-0.25 + sqrt(0.0625 + 1)) / 1 = 0.7807764
    res = misid.simulate_feedback({SEX: 0.5, LAB: 0.5}, 1.0, 0.5, years=200, responsiveness=0.5)
    x = -0.25 + math.sqrt(1.0625)
    assert res.fixed_point[SEX] == pytest.approx(x, abs=1e-12)
    assert res.detected(SEX).iloc[-1] == pytest.approx(x, abs=1e-10)


def test_general_fixed_point_matches_long_simulation():
    rates = {SEX: 2.0, LAB: 1.0, OTH: 3.0}  # unequal detection: Brent root, not the quadratic
    res = misid.simulate_feedback(TRUE, rates, 0.5, years=400, responsiveness=0.7)
    last = res.path[res.path["year"] == 400].set_index("form")["detected_share"]
    np.testing.assert_allclose(last.to_numpy(), res.fixed_point.reindex(last.index).to_numpy(), atol=1e-10)


def test_feedback_rejects_bad_responsiveness():
    with pytest.raises(MisidError, match="responsiveness"):
        misid.simulate_feedback(TRUE, 1.0, 0.2, responsiveness=1.5)


def test_composes_with_critique_detection_reweight_shares():
    from critique.methods import detection

    shares = pd.Series({SEX: 0.5, LAB: 0.4, detection.OTHER: 0.1})
    out = misid.adjusted_shares(detection.reweight_shares(shares, 3.0), 0.5)
    # by hand: 0.5/3 * 0.5 = 0.083333 against 0.4 + 0.1 -> 0.083333 / 0.583333 = 1/7
    assert out[SEX] == pytest.approx(1 / 7)


# ----------------------------------------------------------------------------------------------
# the sweep over the assumptions (issue 14): closed form, no reference implementation exists


def test_remaining_fraction_hand_computed():
    # l + (1 - l)(1 - rs f - (1 - rs) o): 0.3 + 0.7 * (1 - 0.28 * 0.6 - 0.72 * 0.05) = 0.8572
    assert misid.remaining_fraction(0.28, 0.6, 0.05, 0.3) == pytest.approx(0.3 + 0.7 * (1 - 0.168 - 0.036))
    assert misid.remaining_fraction(0.28, 0.6) == pytest.approx(1 - 0.28 * 0.6)
    with pytest.raises(misid.MisidError, match="labour_share"):
        misid.remaining_fraction(0.2, 0.5, 0.0, 1.5)


def test_raid_sweep_extremes_equal_the_closed_form_at_the_grid_corners():
    # TIP data year 2023: 133,943 identified, 42,098 of them labour victims (tip-law-enforcement)
    n, lab = 133_943.0, 42_098.0
    fprs, shares = np.linspace(0.1, 0.9, 9), np.array([0.05, 0.28, 0.6])
    sw = misid.raid_sweep(n, fprs, shares, labour_identified=lab, other_false_positive_rate=0.02)
    assert len(sw.grid) == 2 * 9 * 3
    ext = sw.extremes()
    l = lab / n
    corners = {
        misid.BASE_ALL: (n * (1 - 0.6 * 0.9 - 0.4 * 0.02), n * (1 - 0.05 * 0.1 - 0.95 * 0.02)),
        misid.BASE_LABOUR_AT_FACE_VALUE: (
            n * (l + (1 - l) * (1 - 0.6 * 0.9 - 0.4 * 0.02)), n * (l + (1 - l) * (1 - 0.05 * 0.1 - 0.95 * 0.02))),
    }
    for base, (lo, hi) in corners.items():
        assert ext.loc[base, "min"] == pytest.approx(lo)
        assert ext.loc[base, "max"] == pytest.approx(hi)
        assert (ext.loc[base, "min_raid_share"], ext.loc[base, "min_false_positive_rate"]) == pytest.approx((0.6, 0.9))
        assert (ext.loc[base, "max_raid_share"], ext.loc[base, "max_false_positive_rate"]) == pytest.approx((0.05, 0.1))
    # labour at face value: never below the labour count, and (1 - l) of the all-identified loss
    g = sw.grid.pivot_table(index=["raid_share", "false_positive_rate"], columns="base", values="remaining")
    loss_all = n - g[misid.BASE_ALL]
    loss_lab = n - g[misid.BASE_LABOUR_AT_FACE_VALUE]
    assert np.allclose(loss_lab, (1 - l) * loss_all)
    # each cell agrees with adjust_counts at fixed rates (its point value)
    cell = misid.adjust_counts(n, 0.28, 0.5, 0.02, n_draws=2, seed=0).point
    sw2 = misid.raid_sweep(n, [0.5], [0.28], other_false_positive_rate=0.02)
    assert sw2.grid["remaining"].iloc[0] == pytest.approx(cell)


def test_the_evidence_band_lies_inside_the_sweep():
    prior = misid.Beta(194, 51)  # SANGRAM 193 of 243 not victims, Beta(1, 1) prior
    band = misid.adjust_counts(133_943, 0.28, prior, n_draws=50_000, seed=3, level=0.9)
    sw = misid.raid_sweep(133_943, np.linspace(0, 1, 11), np.linspace(0, 1, 11))
    ext = sw.extremes().loc[misid.BASE_ALL]
    assert ext["min"] == 0.0 and ext["max"] == 133_943.0
    assert ext["min"] < band.low < band.high < ext["max"]
    # the band is a small part of what the assumptions move
    assert (band.high - band.low) / (ext["max"] - ext["min"]) < 0.1


@pytest.mark.parametrize("kwargs, match", [
    ({"identified": -1, "false_positive_rates": [0.5], "raid_shares": [0.5]}, "identified"),
    ({"identified": 10, "false_positive_rates": [], "raid_shares": [0.5]}, "false_positive_rates"),
    ({"identified": 10, "false_positive_rates": [0.5, 0.5], "raid_shares": [0.5]}, "duplicate"),
    ({"identified": 10, "false_positive_rates": [0.5], "raid_shares": [1.2]}, "raid_shares"),
    ({"identified": 10, "false_positive_rates": [0.5], "raid_shares": [0.5], "labour_identified": 11}, "labour_identified"),
])
def test_raid_sweep_rejects_bad_input(kwargs, match):
    with pytest.raises(misid.MisidError, match=match):
        misid.raid_sweep(**kwargs)


def test_public_names_still_importable_from_critique_misid():
    from critique.methods.misid import (  # noqa: F401
        CONVICTION_MEASURES, FPR_MEASURES, SEX, AdjustedCount, Beta, BetaMixture, EvidencePrior,
        FeedbackResult, MisidError, adjust_counts, adjusted_shares, evidence_prior, feedback_fixed_point,
        misidentified_fraction, reweight_by_detection, simulate_feedback,
    )
    assert issubclass(MisidError, ValueError)


# ---------------------------------------------------------------------------------------------
# notebook 20's analysis object: reading rules on both sides of each boundary (issue 25)
# ---------------------------------------------------------------------------------------------
from critique.core.errors import DataError, ParameterError  # noqa: E402
from critique.methods.misid import analysis as raid_analysis  # noqa: E402


def test_unverified_sentence_lists_rows_or_says_none():
    assert raid_analysis.unverified_sentence([]).startswith("Every evidence row")
    s = raid_analysis.unverified_sentence(["occ-x-jacksonville", "polk-traffic-stop"])
    assert "occ-x-jacksonville, polk-traffic-stop" in s and "never used as established" in s


def test_rate_sentence_gives_an_interval_only_for_a_rate_from_the_evidence():
    ev = raid_analysis.rate_sentence(0.629, 0.55, 0.71, 0.9, "mixture of 2 studies", fixed=False)
    assert "mean 0.63, 90% interval 0.55-0.71" in ev
    fx = raid_analysis.rate_sentence(0.5, 0.5, 0.5, 0.9, raid_analysis.fixed_rate_choice(0.5), fixed=True)
    assert "fixed by assumption (no interval)" in fx and "interval 0.50" not in fx
    assert "fixed false-positive rate 0.5 (no evidence row)" in fx


@pytest.mark.parametrize("share, decides", [(0.499, True), (0.5, False), (0.113, True), (0.9, False)])
def test_band_share_sentence_says_the_assumptions_decide_only_below_one_half(share, decides):
    s = raid_analysis.band_share_sentence(share)
    assert f"{share:.0%} of that range" in s
    assert ("not the sampling error, decide" in s) is decides


def test_feedback_sentence_says_widens_only_when_the_gap_grows():
    assert "gap to the true share widens" in raid_analysis.feedback_sentence(0.40, 0.45, 0.5, 0.25, 10)
    assert "does not widen" in raid_analysis.feedback_sentence(0.40, 0.40, 0.4, 0.25, 10)
    assert "does not widen" in raid_analysis.feedback_sentence(0.40, 0.30, 0.3, 0.25, 10)


@pytest.fixture(scope="module")
def raid_inputs(mirror_dir):
    from critique import datasets

    return (datasets.load("raid-outcomes"), datasets.load("glotip"), datasets.load("tip-law-enforcement"))


def test_analyse_records_the_notebook_keys_and_agrees_with_the_closed_form(raid_inputs):
    res = raid_analysis.analyse(*raid_inputs, n_draws=20000, feedback_years=10)
    f = {k: v for k, v, _ in res.findings()}
    # SANGRAM 193/243 and Vera 84/180, equal-weight mixture of Beta(194, 51) and Beta(85, 97)
    assert f["fpr_prior_mean"] == pytest.approx(0.5 * 194 / 245 + 0.5 * 85 / 182)
    assert f["operation_remaining"] == pytest.approx(167 * (1 - f["fpr_prior_mean"]))
    assert f["sweep_band_share_of_range"] == pytest.approx(
        (f["sweep_band_all_high"] - f["sweep_band_all_low"]) / (f["sweep_all_max"] - f["sweep_all_min"]))
    assert len(f) == len(res.findings())  # every key once
    recorded = []
    res.record(lambda k, v, note=None: recorded.append(k))
    assert recorded == [k for k, _, _ in res.findings()]
    for name in ("raid-evidence", "fpr-prior", "tip-victims-adjusted", "raid-sweep", "se-share-adjusted",
                 "feedback-drift"):
        cap = res.caption(name)
        assert cap["title"] and cap["description"] and (cap.get("datasets") or cap.get("source"))
    with pytest.raises(KeyError):
        res.caption("no-such-chart")


def test_analyse_with_a_fixed_rate_has_no_evidence_rows_and_no_interval(raid_inputs):
    res = raid_analysis.analyse(*raid_inputs, rate_source="fixed", fixed_false_positive_rate=0.4, n_draws=2000,
                                feedback_years=5)
    f = {k: v for k, v, _ in res.findings()}
    assert f["fpr_rows_used"] == [] and f["fpr_prior_mean"] == f["fpr_prior_low"] == f["fpr_prior_high"] == 0.4
    assert res.prior is None and "fixed by assumption" in res.reading["rate"]
    # fixed rates: 10,070 x (1 - 0.28 x 0.4) exactly, no Monte Carlo spread
    assert f["country_remaining"] == pytest.approx(f["country_identified"] * (1 - 0.28 * 0.4))
    assert f["country_remaining_low"] == pytest.approx(f["country_remaining_high"])


@pytest.mark.parametrize("name, value", [("country_year", 1990), ("sweep_year", 2000)])
def test_analyse_refuses_a_year_without_a_figure_naming_the_parameter(raid_inputs, name, value):
    with pytest.raises(ParameterError, match=name):
        raid_analysis.analyse(*raid_inputs, n_draws=2000, **{name: value})


def test_victims_rescued_reads_every_number_from_the_table(raid_inputs):
    from critique.datasets import published
    from critique.methods.misid import victims_rescued

    ex = victims_rescued(published.established(raid_inputs[0]))
    # raid-outcomes rows: Pentameter 2 15 of 167, 122 of 528 arrests; SANGRAM 193 of 243; Vera 84 of 180
    assert ex.numbers["pentameter2-convictions"][:2] == (15, 167)
    assert ex.numbers["pentameter2-arrests"][:2] == (122, 528)
    assert ex.numbers["sangram-voluntary"][:2] == (193, 243)
    assert ex.numbers["vera-tvit-screening"][:2] == (84, 180)
    q, a = [], []
    ex.record(lambda k, v, n=None: q.append((k, v)))
    ex.record(lambda k, v, n=None: a.append((k, v)), answers=True)
    assert dict(q)["pentameter2_victims"] == 167 and dict(a) == {"pentameter2_convictions": 15, "sangram_share": 0.794}
    with pytest.raises(DataError, match="sangram-voluntary"):
        victims_rescued(raid_inputs[0].loc[raid_inputs[0]["id"] != "sangram-voluntary"])


def test_shares_sentence_names_the_release_and_says_would_for_every_adjusted_share():
    s = raid_analysis.shares_sentence("USA", 2021, "glotip@2025-04-14", 0.5, 0.4, 0.3, 0.25, 0.2, 0.3, 0.5, 2.0)
    assert "USA 2021 (glotip@2025-04-14): detected sexual-exploitation share 50%" in s
    assert "would be 40% after removing people assumed misidentified" in s and "25% (20%-30%) after both" in s
    assert "Assumed:" in s


def test_feedback_title_says_drifts_away_only_when_the_gap_widens():
    assert "the detected sexual-exploitation share drifts away" in raid_analysis.feedback_title(0.40, 0.45, 0.25)
    assert "does not drift away" in raid_analysis.feedback_title(0.40, 0.40, 0.25)
    assert "does not drift away" in raid_analysis.feedback_title(0.40, 0.30, 0.25)
    assert raid_analysis.feedback_title(0.40, 0.45, 0.25).startswith("In a simulated feedback loop")


def test_analyse_names_the_release_and_the_tip_edition_it_reads(raid_inputs):
    res = raid_analysis.analyse(*raid_inputs, n_draws=2000, feedback_years=3)
    f = {k: v for k, v, _ in res.findings()}
    release = raid_inputs[1].attrs["release"]
    assert f"UNODC ({release})" in res.reading["country"] and f"({release})" in res.reading["shares"]
    # data year 2023 of the typed TIP table comes from the 2024 report (read in a secondary copy)
    assert f["sweep_edition"] == 2024 and "2024 report's table, read in a secondary source" in res.reading["sweep"]
    assert "would run from" in res.reading["sweep"] and "would be" in res.reading["shares"]
