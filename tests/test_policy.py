"""critique.methods.policy: segmented regression, placebos, minimum detectable effect, refusals."""
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from critique.methods import policy as P
from critique.methods.policy import reading as R

YEARS = np.arange(2003, 2023)  # 20 yearly points, 10 each side of 2013


def _series(seed: int, level: float, slope: float = 0.0, base: float = 4.0, trend: float = 0.05,
            exposure: np.ndarray | None = None) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = YEARS - 2013
    post = (YEARS >= 2013).astype(float)
    log_mu = base + trend * t + level * post + slope * t * post
    if exposure is not None:
        log_mu = log_mu + np.log(exposure)
    return rng.poisson(np.exp(log_mu)).astype(float)


# --- known break is recovered ---------------------------------------------------------------

@pytest.mark.parametrize("model", P.MODELS)
def test_known_break_recovered_within_interval(model):
    y = _series(seed=20180411, level=0.5, slope=-0.03)
    res = P.segmented_regression(YEARS, y, 2013, model=model)
    assert res.n_pre == 10 and res.n_post == 10
    assert res.level.ci_low <= 0.5 <= res.level.ci_high
    assert res.slope.ci_low <= -0.03 <= res.slope.ci_high
    # a break of exp(0.5) = 1.65x on counts near e^4 = 55 is large against Poisson noise: detected
    assert res.level.ci_low > 0
    assert res.mde() < 0.5


def test_offset_recovers_break_net_of_coverage():
    # coverage doubles at the break (exposure 100 -> 200 agencies) and the true rate does not move:
    # without the offset the level change is log 2 = 0.693; with it, 0 lies in the interval.
    exposure = np.where(YEARS >= 2013, 200.0, 100.0)
    y = _series(seed=7, level=0.0, base=-1.0, exposure=exposure)
    with_offset = P.segmented_regression(YEARS, y, 2013, exposure=exposure)
    without = P.segmented_regression(YEARS, y, 2013)
    assert with_offset.level.ci_low <= 0.0 <= with_offset.level.ci_high
    assert without.level.ci_low <= np.log(2) <= without.level.ci_high
    assert without.level.ci_low > 0


def test_interval_coverage_close_to_nominal():
    # 200 seeded series with a true level change of 0.3: a 95% interval should cover it in about
    # 95% of them; binomial SD sqrt(.95 * .05 / 200) = 1.5 points, so 0.90..0.99 is a 3-SD band.
    hits = 0
    for seed in range(200):
        res = P.segmented_regression(YEARS, _series(seed, level=0.3), 2013, model="poisson")
        hits += res.level.ci_low <= 0.3 <= res.level.ci_high
    assert 0.90 <= hits / 200 <= 0.99


def test_fitted_and_counterfactual_shapes():
    y = _series(3, level=0.0)
    res = P.segmented_regression(YEARS, y, 2013)
    assert list(res.fitted.index) == list(YEARS)
    assert res.counterfactual.loc[:2012].isna().all()
    assert res.counterfactual.loc[2013:].notna().all()
    # with no slope change, the post fitted value in 2013 divided by the projection is exp(level)
    assert res.fitted.loc[2013] / res.counterfactual.loc[2013] == pytest.approx(np.exp(res.level.estimate))


# --- no break: placebo rank not extreme -----------------------------------------------------

def test_no_break_placebo_not_extreme():
    y = _series(seed=11, level=0.0)
    pl = P.placebo_in_time(YEARS, y, 2013, model="poisson")
    # fake years 2006..2020 minus 2013 leave >= 3 points a side: 14 placebos
    assert pl.n_placebos == 14
    assert pl.p_value > 0.1
    assert pl.rank > 1


def test_no_break_placebo_p_values_not_piling_up_near_zero():
    # under no break the placebo p-value should not be small much more often than by chance
    small = 0
    for seed in range(40):
        pl = P.placebo_in_time(YEARS, _series(seed, level=0.0), 2013, model="ols-log")
        small += pl.p_value <= 0.1
    assert small <= 10  # expected about 4 of 40 (10%); 10 would be 25%


def test_real_break_ranks_first_among_placebos():
    y = _series(seed=5, level=0.8)
    pl = P.placebo_in_time(YEARS, y, 2013)
    assert pl.rank == 1
    assert pl.p_value == pytest.approx(1 / 15)  # the floor with 14 placebos: 1 / (14 + 1)
    assert pl.min_p_value == pytest.approx(1 / 15)


def test_rank_among_hand_computed():
    # real 0.5 among 0.1, -0.6, 0.2: one placebo (|-0.6|) at least as large -> rank 2,
    # p = (1 + 1) / (1 + 3) = 0.5, percentile 2/3 = 66.67
    rank, p, pct = P.rank_among(0.5, [0.1, -0.6, 0.2])
    assert (rank, p) == (2, 0.5)
    assert pct == pytest.approx(200 / 3)
    # a tie counts against the real estimate
    assert P.rank_among(0.5, [-0.5]) == (2, 1.0, 0.0)


def test_placebo_across_units():
    real = P.segmented_regression(YEARS, _series(1, level=0.7), 2013)
    controls = {f"c{i}": pd.DataFrame({"year": YEARS, "count": _series(100 + i, level=0.0)})
                for i in range(9)}
    controls["short"] = pd.DataFrame({"year": [2011, 2012, 2013, 2014], "count": [5, 6, 7, 8]})
    pl = P.placebo_across_units(real, controls)
    assert pl.n_placebos == 9
    assert pl.rank == 1 and pl.p_value == pytest.approx(0.1)  # 1 / (9 + 1)
    refused = pl.placebos.set_index("label").loc["short", "status"]
    assert refused.startswith("refused:") and "2 point(s) before" in refused


def test_admissible_years():
    # 2010..2017 with min 3: fake year c needs 3 years < c and 3 years >= c -> 2013, 2014, 2015
    assert P.admissible_years(range(2010, 2018), min_points=3) == [2013, 2014, 2015]


# --- minimum detectable effect --------------------------------------------------------------

def test_mde_formula_hand_computed():
    # (z_.975 + z_.80) * SE = (1.959964 + 0.841621) * 0.1 = 0.2801585
    assert P.minimum_detectable_effect(0.1) == pytest.approx(0.2801585, abs=1e-6)
    # alpha 0.10, power 0.9: (1.644854 + 1.281552) * 0.2 = 0.5852811
    assert P.minimum_detectable_effect(0.2, alpha=0.10, power=0.9) == pytest.approx(0.5852811, abs=1e-6)


def test_mde_with_residual_df_uses_t_quantiles():
    # reference values (scipy t quantiles, written out): df 3: (3.182446 + 0.978472) * 0.1 = 0.4160918;
    # df 4: (2.776445 + 0.940965) * 0.1 = 0.3717410. A fit with 3-4 residual df and a t interval
    # must not be given the normal MDE (0.2801585), a third smaller than what its own test detects.
    assert P.minimum_detectable_effect(0.1, df=3) == pytest.approx(0.4160918, abs=1e-6)
    assert P.minimum_detectable_effect(0.1, df=4) == pytest.approx(0.3717410, abs=1e-6)
    # the t multiplier falls toward the normal one as df grows, and never below it
    assert P.minimum_detectable_effect(0.1, df=1e6) == pytest.approx(0.2801585, abs=1e-5)
    assert P.minimum_detectable_effect(0.1, df=30) > P.minimum_detectable_effect(0.1)
    with pytest.raises(P.PolicyError, match="df=0"):
        P.minimum_detectable_effect(0.1, df=0)


def test_fit_mde_uses_the_fits_residual_df():
    # the FBI-length series: quasi-Poisson on 7 points has 3 residual df; its MDE uses t on 3 df
    res = P.segmented_regression(np.arange(2014, 2021), [410, 520, 610, 790, 640, 700, 540], 2018, model="poisson")
    assert res.diagnostics["df_resid"] == 3.0
    assert res.mde() == pytest.approx(res.level.se * (3.182446 + 0.978472), rel=1e-6)
    assert res.summary()["mde_log"] == pytest.approx(res.mde())


def test_design_mde_hand_computed():
    # 3 points a side, sigma 1: var = (1/3 + 2^2/2) + (1/3 + 1^2/2) = 3.1667, SE 1.77951
    assert P.design_mde(3, 3, 1.0) == pytest.approx(2.8015852 * np.sqrt(19 / 6), rel=1e-6)
    # longer series detect smaller changes
    assert P.design_mde(10, 10, 1.0) < P.design_mde(5, 5, 1.0) < P.design_mde(3, 3, 1.0)


def test_mde_refuses_bad_input():
    with pytest.raises(P.PolicyError, match="power=1.5"):
        P.minimum_detectable_effect(0.1, power=1.5)


# --- refusals -------------------------------------------------------------------------------

def test_too_short_refused_with_message():
    with pytest.raises(P.PolicyError) as err:
        P.segmented_regression([2015, 2016, 2017, 2018, 2019], [1432, 1516, 198, 1525, 1486], 2016,
                               series="FRA detected victims")
    msg = str(err.value)
    assert "FRA detected victims" in msg and "intervention 2016" in msg
    assert "1 point(s) before (2015)" in msg and "4 after (2016, 2017, 2018, 2019)" in msg
    assert "at least 3" in msg


def test_min_points_is_a_parameter():
    years, counts = [2007, 2008, 2009, 2010, 2011, 2012], [203, 256, 292, 127, 134, 136]
    with pytest.raises(P.PolicyError, match="2 point"):
        P.segmented_regression(years, counts, 2009)
    with pytest.raises(P.PolicyError, match="min_points=1"):
        P.check_sides(years, 2009, min_points=1)
    with pytest.raises(P.PolicyError, match="at least 4"):
        P.segmented_regression(years, counts, 2010, min_points=4)


def test_missing_years_are_dropped_not_counted():
    years = [2012, 2013, 2014, 2015, 2016, 2017, 2018]
    counts = [10, np.nan, 12, 11, 20, 22, 21]
    with pytest.raises(P.PolicyError, match=r"2 point\(s\) before \(2012, 2014\)"):
        P.segmented_regression(years, counts, 2015)


def test_bad_inputs_named():
    with pytest.raises(P.PolicyError, match="model='ols'"):
        P.segmented_regression(YEARS, _series(1, 0.0), 2013, model="ols")
    with pytest.raises(P.PolicyError, match="exposure must be positive; year 2003"):
        P.segmented_regression(YEARS, _series(1, 0.0), 2013, exposure=np.zeros(len(YEARS)))
    with pytest.raises(P.PolicyError, match="more than once"):
        P.segmented_regression([2010, 2010, 2011, 2012, 2013, 2014, 2015], [1] * 7, 2012)


# --- dates and data shaping -----------------------------------------------------------------

def test_first_post_year_rules():
    assert P.first_post_year("2018-04-11") == 2018          # day 101 of 365: majority in force
    assert P.first_post_year("2014-12-06") == 2015          # in force for 26 days of 2014
    assert P.first_post_year(date(2009, 1, 1), rule="next") == 2009
    assert P.first_post_year("2016-04-13", rule="next") == 2017
    assert P.first_post_year("2020-07-10", rule="same") == 2020


def test_glotip_series_suppressed_rules():
    frame = pd.DataFrame({
        "iso3": ["XXX"] * 3, "indicator": ["Detected trafficking victims"] * 3,
        "dimension": ["Total"] * 3, "category": ["Total"] * 3, "sex": ["Total"] * 3,
        "age": ["Total"] * 3, "year": [2010, 2011, 2012], "value": [10.0, np.nan, 7.0],
        "suppressed": [False, True, False], "value_low": [10.0, 1.0, 7.0],
        "value_high": [10.0, 4.0, 7.0]})
    # "<5" is a gap by default, never a midpoint data point (issue 13)
    assert P.glotip_series(frame, "XXX")["year"].tolist() == [2010, 2012]
    assert P.glotip_series(frame, "XXX", suppressed="high")["count"].tolist() == [10.0, 4.0, 7.0]
    assert P.glotip_series(frame, "XXX", suppressed="low")["count"].tolist() == [10.0, 1.0, 7.0]
    with pytest.raises(P.PolicyError, match="not 2.5"):
        P.glotip_series(frame, "XXX", suppressed="midpoint")


def _glotip_rows(values, suppressed, reasons=None, iso3="XXX"):
    n = len(values)
    frame = pd.DataFrame({
        "iso3": [iso3] * n, "indicator": ["Detected trafficking victims"] * n,
        "dimension": ["by form of exploitation"] * n, "category": ["Sexual exploitation"] * n,
        "sex": ["Total"] * n, "age": ["Total"] * n, "year": list(range(2014, 2014 + n)),
        "value": [np.nan if s else v for v, s in zip(values, suppressed)], "suppressed": suppressed,
        "value_low": [1.0 if s else v for v, s in zip(values, suppressed)],
        "value_high": [4.0 if s else v for v, s in zip(values, suppressed)]})
    if reasons is not None:
        frame["exclude_reason"] = pd.array(reasons, dtype="string")
    return frame


def test_glotip_series_placeholder_rows_left_out():
    # the issue-13 example: 155, 129, then two "<5" placeholder years. With the loader's
    # exclude_reason the placeholders are not reports; without the column (older loader) the
    # "<5" cells are still gaps, never 2.5.
    cat = dict(category="Sexual exploitation")
    flagged = _glotip_rows([155, 129, 0, 0], [False, False, True, True],
                           [None, None, "placeholder", "placeholder"])
    out = P.glotip_series(flagged, "XXX", suppressed="high", **cat)
    assert out["year"].tolist() == [2014, 2015] and out["count"].tolist() == [155.0, 129.0]
    unflagged = _glotip_rows([155, 129, 0, 0], [False, False, True, True])
    assert P.glotip_series(unflagged, "XXX", **cat)["count"].tolist() == [155.0, 129.0]
    # a placeholder-only country drops out of the control pool entirely
    only = _glotip_rows([0, 0, 0], [True, True, True], iso3="YYY")
    pool = P.glotip_panel(pd.concat([unflagged, only]), **cat)
    assert list(pool) == ["XXX"]


def test_ucr_yearly_sums_rows_and_fixed_panel():
    frame = pd.DataFrame({
        "year": [2017, 2017, 2017, 2018, 2018, 2018],
        "ori": ["A", "A", "B", "A", "C", "C"],
        "offence": ["Commercial Sex Acts"] * 5 + ["Involuntary Servitude"],
        "actual": [2, 3, 1, 4, 5, 6]})
    yearly = P.ucr_yearly(frame, ["Commercial Sex Acts"])
    # 2017: 2 + 3 + 1 = 6 over A, B; 2018: 4 + 5 = 9 over A, C
    assert yearly["count"].tolist() == [6.0, 9.0]
    assert yearly["agencies"].tolist() == [2, 2]
    assert P.ucr_fixed_panel(frame, [2017, 2018]) == ["A"]
    panel = P.ucr_yearly(frame, ["Commercial Sex Acts"], agencies=["A"])
    assert panel["count"].tolist() == [5.0, 4.0] and panel["per_agency"].tolist() == [5.0, 4.0]


def test_glotip_series_duplicate_rows():
    # 2017 "Other forms" arrives as two rows (sub-forms with one label): 6 + "<5" (1 to 4)
    frame = pd.DataFrame({
        "iso3": ["XXX"] * 3, "indicator": ["Detected trafficking victims"] * 3,
        "dimension": ["by form of exploitation"] * 3, "category": ["Other forms of exploitation"] * 3,
        "sex": ["Total"] * 3, "age": ["Total"] * 3, "year": [2016, 2017, 2017],
        "value": [3.0, 6.0, np.nan], "suppressed": [False, False, True],
        "value_low": [3.0, 6.0, 1.0], "value_high": [3.0, 6.0, 4.0]})
    with pytest.raises(P.PolicyError, match="year 2017 appears more than once"):
        P.glotip_series(frame, "XXX", category="Other forms of exploitation")
    out = P.glotip_series(frame, "XXX", category="Other forms of exploitation", duplicates="sum",
                          suppressed="high")
    assert out["count"].tolist() == [3.0, 10.0] and out["suppressed"].tolist() == [False, True]
    # by default a suppressed part leaves the 2017 sum unknown (a gap), not 6 and not 8.5
    dropped = P.glotip_series(frame, "XXX", category="Other forms of exploitation", duplicates="sum")
    assert dropped["year"].tolist() == [2016]


def test_policy_timing_bases():
    table = pd.DataFrame({
        "policy_id": ["a", "b", "c"], "date_in_force": [pd.Timestamp("2014-12-06"), pd.NaT, pd.NaT],
        "date_enacted": [pd.NaT, pd.Timestamp("2016-04-13"), pd.NaT], "year_in_force": [2014, 2016, 1999],
        "verification": ["unverified", "secondary", "secondary"]})
    out = P.policy_timing(table)
    assert out["first_post_year"].tolist() == [2015, 2016, 1999]
    assert out["date_basis"].tolist() == ["date in force", "date enacted", "year only"]


# --- minimum residual degrees of freedom ---------------------------------------------------

SEVEN = np.arange(2014, 2021)  # the FBI years 2014-2020: 4 before 2018, 3 after


def test_negbin_on_seven_points_refused_quasi_poisson_fitted():
    # NB has 4 mean parameters + its dispersion: 7 - 5 = 2 residual df < 3 -> refused with the
    # reason; quasi-Poisson has 7 - 4 = 3 and is fitted.
    counts = [410, 520, 610, 790, 640, 700, 540]
    with pytest.raises(P.PolicyError) as err:
        P.segmented_regression(SEVEN, counts, 2018, model="negbin", series="FBI involuntary servitude")
    msg = str(err.value)
    assert msg.startswith("FBI involuntary servitude: negbin with 5 parameters on 7 yearly points")
    assert "leaves 2 residual degree(s) of freedom; at least 3 are needed" in msg
    qp = P.segmented_regression(SEVEN, counts, 2018, model="poisson")
    assert qp.diagnostics["df_resid"] == 3.0 and qp.diagnostics["n_params"] == 4.0
    # the rule is a parameter: 2 lets the NB fit through
    nb = P.segmented_regression(SEVEN, counts, 2018, model="negbin", min_resid_df=2)
    assert nb.diagnostics["df_resid"] == 2.0


def test_indicators_count_against_the_degrees_of_freedom():
    counts = [410, 520, 610, 790, 640, 700, 540]
    covid = P.single_year(SEVEN, 2020)
    with pytest.raises(P.PolicyError, match="poisson with 5 parameters on 7 yearly points leaves 2"):
        P.segmented_regression(SEVEN, counts, 2018, indicators={"year 2020": covid})
    assert P.check_residual_df(9, 5, model="poisson") == 4
    with pytest.raises(P.PolicyError, match="min_resid_df=0"):
        P.check_residual_df(9, 5, model="poisson", min_resid_df=0)


# --- FOSTA-SESTA: the US total over the specification grid ----------------------------------

# UNODC GLOTIP, release of 30 May 2023: United States, detected trafficking victims, total
US_YEARS = list(range(2007, 2022))
US_TOTAL = [303, 317, 380, 541, 564, 469, 2315, 3308, 3885, 5582, 8003, 8913, 8375, 9854, 10070]


@pytest.fixture(scope="module")
def fosta_range():
    data = pd.DataFrame({"year": US_YEARS, "count": US_TOTAL})
    return P.specification_range(data, 2018, series="USA total")


def test_recording_break_rule_finds_the_2013_jump():
    data = pd.DataFrame({"year": US_YEARS, "count": US_TOTAL})
    # 2315 / 469 = 4.94 >= 3; no other consecutive pair before 2018 differs by a factor of 3
    assert P.recording_breaks(data, 2018) == [2013]
    assert P.recording_breaks(data, 2018, ratio=5.0) == []
    # a jump after the first post year is not a recording break (it cannot be told from the effect)
    assert P.recording_breaks(data, 2013) == []


def test_fosta_total_matches_the_independent_review(fosta_range):
    # issue 14 (independent methods review of notebook 50): the notebook's model (quasi-Poisson)
    # gives -29% [-47, -5] on the full pre-period, -19% [-34, 0] from 2013, -20% [-39, +5] from 2014
    def pct(start):
        row = fosta_range.row(pre_start=start, breaks="none", covid="include", model="poisson")
        return round(row["level_change_pct"]), round(row["ci_low_pct"]), round(row["ci_high_pct"])
    assert pct(2007) == (-29, -47, -5)
    assert pct(2013) == (-19, -34, 0)
    assert pct(2014) == (-20, -39, 5)


def test_fosta_grid_shape_refusal_and_reading(fosta_range):
    t = fosta_range.table
    # starts 2007, 2013 (break year), 2014 (year after); break dummy only from 2007; 2020
    # included or as an indicator; three models: 3 x 1 x 2 x 3 + 1 x 2 x 3 = 24
    assert len(t) == 24
    assert sorted(set(t["pre_start"])) == [2007, 2013, 2014]
    assert set(t.loc[t["breaks"] == "dummy", "pre_start"]) == {2007}
    refused = t[t["status"] == "refused"]
    # NB from 2014 with the 2020 indicator: 8 points, 4 + 1 + 1 parameters -> 2 residual df
    assert refused[["pre_start", "covid", "model"]].values.tolist() == [[2014, "indicator", "negbin"]]
    assert "leaves 2 residual degree(s) of freedom" in refused["reason"].iloc[0]
    s = fosta_range.summary()
    assert s["recording_breaks"] == [2013] and s["n_fitted"] == 23
    # the reading counts intervals by side (recounted here from the table), not "any one includes zero"
    f = t[t["status"] == "fitted"]
    fall, rise = int((f["ci_high_pct"] < 0).sum()), int((f["ci_low_pct"] > 0).sum())
    assert fosta_range.reading() == R.range_reading(fall, rise, len(f) - fall - rise)
    assert (s["n_exclude_fall"], s["n_exclude_rise"]) == (fall, rise)
    # the exclusions by model family, recounted from the table
    excl = f[(f["ci_high_pct"] < 0) | (f["ci_low_pct"] > 0)]
    assert s["n_exclude_by_model"] == {m: int((excl["model"] == m).sum()) for m in sorted(set(f["model"]))}
    assert sum(s["n_exclude_by_model"].values()) == fall + rise
    # the range spans a fall and a rise: the sign itself depends on the break handling
    assert s["estimate_min_pct"] < -29 and s["estimate_max_pct"] > 0


def test_covid_indicator_equals_dropping_2020_for_poisson(fosta_range):
    # a single-year indicator fits that year exactly, so the other estimates equal those
    # without the year (Poisson and OLS point estimates)
    data = pd.DataFrame({"year": US_YEARS, "count": US_TOTAL})
    spec = P.Specification(2013, "none", "exclude", "poisson")
    excl = P.fit_specification(data, 2018, spec)
    ind = fosta_range.row(pre_start=2013, breaks="none", covid="indicator", model="poisson")
    assert 100 * (np.exp(excl.level.estimate) - 1) == pytest.approx(ind["level_change_pct"], abs=1e-6)


def test_break_dummy_removes_a_pure_recording_jump():
    # counts multiply by 5 at 2010 (recording) and nothing happens at 2016 (the "policy")
    years = np.arange(2004, 2022)
    rng = np.random.default_rng(2013)
    mu = 40 * np.exp(0.05 * (years - 2004)) * np.where(years >= 2010, 5.0, 1.0)
    data = pd.DataFrame({"year": years, "count": rng.poisson(mu).astype(float)})
    assert P.recording_breaks(data, 2016) == [2010]
    dummy = P.fit_specification(data, 2016, P.Specification(2004, "dummy", "include", "poisson"),
                                breaks=[2010])
    assert "break 2010" in dummy.indicators
    assert dummy.level.ci_low <= 0 <= dummy.level.ci_high
    # the counterfactual carries the break (baseline, not policy): at the first post year (t = 0)
    # fitted = exp(b0 + b2 + c) and counterfactual = exp(b0 + c)
    assert dummy.counterfactual.loc[2016] == pytest.approx(
        dummy.fitted.loc[2016] / np.exp(dummy.level.estimate), rel=1e-9)
    assert dummy.counterfactual.loc[2016] > 4 * 40 * np.exp(0.05 * 12)  # includes the x5 step


# --- comparison units ------------------------------------------------------------------------

def _panel(n_controls: int, effect: float, seed: int = 1):
    rng = np.random.default_rng(seed)
    years = np.arange(2008, 2020)
    shock = rng.normal(0, 0.1, len(years))  # common year shocks
    controls = {}
    for i in range(n_controls):
        base = rng.uniform(3, 5)
        controls[f"C{i:02d}"] = pd.DataFrame(
            {"year": years, "count": rng.poisson(np.exp(base + shock)).astype(float)})
    mu = np.exp(5 + shock + effect * (years >= 2015))
    treated = pd.DataFrame({"year": years, "count": rng.poisson(mu).astype(float)})
    return treated, controls


def test_did_coefficient_equals_statsmodels_poisson_with_dummies():
    # reference implementation: PPML with unit and year fixed effects is a Poisson GLM with
    # unit and year dummies; the treated x post coefficient must agree
    import statsmodels.api as sm
    treated, controls = _panel(8, np.log(0.6))
    res = P.difference_in_differences(treated, controls, 2015, series="t", treated_label="T")
    panel = P.comparison_panel(treated, controls, 2015, treated_label="T")
    X = pd.get_dummies(panel[["unit", "year"]].astype(str), drop_first=True).astype(float)
    X["tp"] = ((panel["unit"] == "T") & (panel["year"] >= 2015)).astype(float)
    X = sm.add_constant(X)
    ref = sm.GLM(panel["count"], X, family=sm.families.Poisson()).fit()
    assert res.estimate == pytest.approx(ref.params["tp"], abs=1e-6)
    # 8 placebos are too few for a 95% placebo interval (39 needed): none is given, and why
    assert res.interval is None and "at least 39 are needed" in res.interval_note


def test_did_recovers_a_known_change_with_a_placebo_interval():
    treated, controls = _panel(45, np.log(0.5), seed=7)
    res = P.difference_in_differences(treated, controls, 2015, series="t", treated_label="T")
    assert len(res.units) == 45 and res.n_placebos == 45
    lo, hi = res.interval
    assert lo <= np.log(0.5) <= hi and hi < 0
    assert res.estimate == pytest.approx(np.log(0.5), abs=0.1)
    assert res.rank == 1 and res.p_value == pytest.approx(1 / 46)
    its = P.difference_in_differences(treated, controls, 2015, series="t", treated_label="T",
                                      design="comparative-its")
    assert its.design == "comparative-its" and np.isfinite(its.estimate)


def test_comparison_refuses_short_units():
    treated, controls = _panel(3, 0.0)
    controls["short"] = pd.DataFrame({"year": [2014, 2015, 2016], "count": [5.0, 6.0, 7.0]})
    panel = P.comparison_panel(treated, controls, 2015, treated_label="T")
    assert "short" not in set(panel["unit"])
    with pytest.raises(P.PolicyError, match="design='synth'"):
        P.difference_in_differences(treated, controls, 2015, series="t", design="synth")
    with pytest.raises(P.PolicyError, match="no comparison unit"):
        P.difference_in_differences(treated, {"short": controls["short"]}, 2015, series="t")


def test_us_series_in_the_2023_release_matches_the_fixture():
    from critique import datasets
    from critique.core.errors import DataError
    try:  # releases side by side (issue 15); before that, "glotip" was the 2023 release
        frame = datasets.load("glotip@2023-05-30")
    except DataError:
        frame = datasets.load("glotip")
    us = P.glotip_series(frame, "USA", duplicates="sum")
    assert us["year"].tolist() == US_YEARS and us["count"].tolist() == [float(v) for v in US_TOTAL]


# --- reading rules (critique.methods.policy.reading): each on both sides of its boundary ------------

def test_interval_sides_boundaries():
    # an end exactly at zero includes it; a hair below or above excludes it
    assert R.interval_sides([-5, -5, 0.001, -3], [0, -0.001, 4, 3]) == (1, 1, 2)
    with pytest.raises(P.PolicyError, match="not an interval"):
        R.interval_sides([2], [1])


@pytest.mark.parametrize("sides, text", [
    ((0, 0, 0), "no specification could be fitted"),
    ((0, 0, 3), "not distinguishable from no change in any of the 3 specifications"),
    ((0, 0, 1), "not distinguishable from no change in the 1 specification"),
    ((1, 0, 2), "1 of 3 specifications excludes no change, all on the side of a fall in the count; 2 include it"),
    ((2, 0, 1), "2 of 3 specifications exclude no change, all on the side of a fall in the count; 1 includes it"),
    ((3, 0, 0), "a fall in the count in every one of the 3 specifications"),
    ((1, 0, 0), "a fall in the count in the 1 specification"),
    ((0, 2, 1), "2 of 3 specifications exclude no change, all on the side of a rise in the count; 1 includes it"),
    ((0, 3, 0), "a rise in the count in every one of the 3 specifications"),
    ((1, 1, 0), "the direction depends on the specification: 1 excludes no change on the side of a fall in the count, "
                "1 on the side of a rise, 0 include it"),
])
def test_range_reading_counts_sides_not_any_one_interval(sides, text):
    assert R.range_reading(*sides) == text


def test_adding_noisy_specifications_does_not_flip_the_reading_to_no_change():
    # the old rule ("any interval includes zero") turned 9 falls into "no change" with one noisy
    # specification added; the counting rule keeps the 9 and reports the noisy one beside them
    assert R.range_reading(9, 0, 0) == "a fall in the count in every one of the 9 specifications"
    assert R.range_reading(9, 0, 1).startswith("9 of 10 specifications exclude no change, all on the side of a fall in the count")


def test_reading_rule_cases():
    def rng_(rows):
        t = pd.DataFrame(rows, columns=["level_change_pct", "ci_low_pct", "ci_high_pct"])
        t["status"] = "fitted"
        t["includes_zero"] = (t["ci_low_pct"] <= 0) & (t["ci_high_pct"] >= 0)
        return P.SpecificationRange("s", 2018, (), 0.05, t)
    assert rng_([[-20, -30, -5], [-10, -15, -2]]).reading() == "a fall in the count in every one of the 2 specifications"
    assert rng_([[20, 5, 30]]).reading() == "a rise in the count in the 1 specification"
    assert rng_([[-20, -30, -5], [20, 5, 30]]).reading().startswith("the direction depends on the specification")
    mixed = rng_([[-20, -30, -5], [-10, -25, 3]])
    assert mixed.reading() == "1 of 2 specifications excludes no change, all on the side of a fall in the count; 1 includes it"
    s = mixed.summary()
    assert (s["n_exclude_fall"], s["n_exclude_rise"], s["n_intervals_with_zero"]) == (1, 0, 1)


def test_availability_status_boundaries():
    kw = dict(country="Canada", indicator="Detected trafficking victims", first_post_year=2014, min_points=3,
              year_start=2003, year_end=2021)
    assert R.availability_status(jurisdiction="Northern Ireland", years_before=9, years_after=9, **kw)[1] == "skipped: sub-national"
    assert R.availability_status(jurisdiction="national", years_before=0, years_after=5, **kw)[1] == "no data before"
    assert R.availability_status(jurisdiction="national", years_before=5, years_after=0, **kw)[1] == "no data after"
    assert R.availability_status(jurisdiction="national", years_before=2, years_after=5, **kw)[1] == "refused: too few years"
    assert R.availability_status(jurisdiction="national", years_before=3, years_after=3, **kw)[1].startswith("fitted if")


def test_placebo_phrase_says_when_no_p_can_reach_alpha():
    # 19 placebos: the smallest p is 1/20 = 0.05, which can reach alpha = 0.05; 18 cannot
    assert "no p below" not in R.placebo_phrase(0.05, 1, 19, alpha=0.05)
    assert R.placebo_phrase(1 / 19, 1, 18, alpha=0.05).endswith("with 18 placebo years no p below 0.05 is possible")
    assert R.placebo_phrase(None, None, None, alpha=0.05) == "no placebo in time"


def test_ucr_reading_counts_fitted_models_and_refusals():
    assert R.ucr_reading([(-40, 10), (-30, 5)], 3) == ("not distinguishable from no change in any of the 2 fitted models; "
                                                       "1 refused")
    assert R.ucr_reading([(-40, -10)], 1) == "a fall in the count in the 1 fitted model"
    assert R.ucr_reading([(-40, -10), (-30, -2)], 2) == "a fall in the count in every one of the 2 fitted models"
    assert R.ucr_reading([], 2) == "no model could be fitted (2 refused)"


# --- negative binomial: t intervals on the residual degrees of freedom ----------------------

def test_negbin_interval_uses_t_on_the_residual_df():
    # reference: statsmodels' own NB2 fit of the same design, with the interval rebuilt by hand as
    # estimate +- t_{0.975, df} x SE, df = n - 4 mean parameters - 1 dispersion
    import statsmodels.api as sm
    from scipy import stats

    years = np.arange(2010, 2019)  # 9 points: df = 9 - 5 = 4
    counts = np.array([80, 140, 95, 170, 120, 60, 150, 90, 130], dtype=float)  # overdispersed: the NB fit converges
    res = P.segmented_regression(years, counts, 2015, model="negbin")
    X = P.design_matrix(years.astype(float), 2015)
    ref = sm.NegativeBinomial(counts, X, loglike_method="nb2").fit(disp=0, maxiter=500, method="bfgs")
    t = stats.t.ppf(0.975, 4)
    assert res.diagnostics["df_resid"] == 4.0
    assert res.level.estimate == pytest.approx(ref.params[2], rel=1e-6)
    assert res.level.se == pytest.approx(ref.bse[2], rel=1e-6)
    assert res.level.ci_low == pytest.approx(ref.params[2] - t * ref.bse[2], rel=1e-6)
    assert res.level.ci_high == pytest.approx(ref.params[2] + t * ref.bse[2], rel=1e-6)
    # wider than the normal-reference Wald interval that statsmodels reports
    wald = ref.conf_int(alpha=0.05)[2]
    assert res.level.ci_high - res.level.ci_low > wald[1] - wald[0]
