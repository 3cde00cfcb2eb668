"""Detection-bias model: hand-computed values for several editions and ratios, and the implied ratio
for the 2016 global estimates against the 2018 UNODC report (literature.md section 8a)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from critique.methods import detection as det
from critique.methods.detection import FL, OTHER, SE

# Edition shares (percent of detected victims; 'other' by subtraction where the report gave none).
ED2009 = {SE: 79, FL: 18, OTHER: 3}   # UNODC 2009 (2006 data); other = 100 - 79 - 18
ED2012 = {SE: 58, FL: 36, OTHER: 6}   # UNODC 2012 (2010 data)
ED2018 = {SE: 59, FL: 34, OTHER: 7}   # UNODC 2018 (2016 data)
ED2020 = {SE: 50, FL: 38, OTHER: 12}  # UNODC 2020 (2018 data); other = 100 - 50 - 38


@pytest.mark.parametrize("shares, ratio, expected_se", [
    # pi_SE = (s/r) / (s/r + rest)
    (ED2009, 2.0, 39.5 / (39.5 + 18 + 3)),        # 39.5 / 60.5 = 0.652893
    (ED2009, 5.0, 15.8 / (15.8 + 21)),            # 15.8 / 36.8 = 0.429348
    (ED2012, 4.0, 14.5 / (14.5 + 42)),            # 14.5 / 56.5 = 0.256637
    (ED2018, 1.0, 0.59),                          # r = 1: detected share is the true share
    (ED2018, 2.0, 29.5 / (29.5 + 41)),            # 29.5 / 70.5 = 0.418440
    (ED2018, 3.0, (59 / 3) / (59 / 3 + 41)),      # 19.667 / 60.667 = 0.324176
    (ED2020, 1.5, (50 / 1.5) / (50 / 1.5 + 50)),  # 33.333 / 83.333 = 0.4
])
def test_reweight_scalar_hand_computed(shares, ratio, expected_se):
    out = det.reweight_shares(shares, ratio)
    assert isinstance(out, pd.Series)
    assert out[SE] == pytest.approx(expected_se, abs=1e-12)
    assert out.sum() == pytest.approx(1.0)


def test_reweight_other_forms_keep_their_relative_sizes():
    # 2020 at r = 1.5: FL = 38 / 83.333 = 0.456, other = 12 / 83.333 = 0.144
    out = det.reweight_shares(ED2020, 1.5)
    assert out[FL] == pytest.approx(0.456)
    assert out[OTHER] == pytest.approx(0.144)


def test_reweight_vector_matches_scalars_and_falls_with_ratio():
    ratios = [1.0, 2.0, 3.0]
    out = det.reweight_shares(ED2018, ratios)
    assert list(out.index) == ratios
    assert out[SE].tolist() == pytest.approx([0.59, 29.5 / 70.5, (59 / 3) / (59 / 3 + 41)])
    assert np.all(np.diff(out[SE].to_numpy()) < 0)


def test_reweight_grid_and_frame_of_editions():
    frame = pd.DataFrame([ED2009, ED2018], index=pd.Index([2009, 2018], name="edition"))
    grid = np.array([[1.0, 2.0], [5.0, 3.0]])  # a 2-D grid is flattened in C order: 1, 2, 5, 3
    out = det.reweight_shares(frame, grid)
    assert out.index.names == ["edition", "ratio"]
    assert out.loc[(2009, 5.0), SE] == pytest.approx(15.8 / 36.8)
    assert out.loc[(2018, 3.0), SE] == pytest.approx((59 / 3) / (59 / 3 + 41))
    assert out.loc[(2018, 1.0), SE] == pytest.approx(0.59)
    surface = det.se_share_surface(frame, [1.0, 2.0])
    assert surface.loc[2009, 2.0] == pytest.approx(39.5 / 60.5)
    assert surface.loc[2018, 2.0] == pytest.approx(29.5 / 70.5)


def test_percent_and_fraction_inputs_agree():
    a = det.reweight_shares(ED2018, 2.0)
    b = det.reweight_shares({k: v / 100 for k, v in ED2018.items()}, 2.0)
    pd.testing.assert_series_equal(a, b)


def test_break_even_ratio():
    # t = 0.5: r* = s / (1 - s)
    assert det.break_even_ratio(ED2018) == pytest.approx(59 / 41)   # 1.439
    assert det.break_even_ratio(ED2009) == pytest.approx(79 / 21)   # 3.762
    assert det.break_even_ratio(ED2020) == pytest.approx(1.0)
    # at r* the reweighted share is exactly one half
    assert det.reweight_shares(ED2009, 79 / 21)[SE] == pytest.approx(0.5)
    # t = 0.25 for 2018: (59/41) * (0.75/0.25) = 4.317
    assert det.break_even_ratio(ED2018, threshold=0.25) == pytest.approx(59 / 41 * 3)


def test_implied_ratio_2016_estimates_vs_2018_report_se_vs_fl():
    # d = 59/(59+34), p = 4.8/(4.8+16.0): r = (59/34) / (4.8/16.0) = 1.73529 / 0.3 = 5.7843
    prev = det.prevalence_split(4_800_000, 16_000_000, 24_900_000)
    res = det.implied_ratio(ED2018, prev, denominator="se_fl")
    assert res.ratio == pytest.approx(5.784313725, rel=1e-9)
    assert res.detected_share == pytest.approx(59 / 93)
    assert res.prevalence_share == pytest.approx(4.8 / 20.8)
    assert "circular" in res.caveats[0].lower()


def test_implied_ratio_2016_estimates_vs_2018_report_se_vs_all():
    # d = 0.59 (SE of all detected); p = 4.8 / 24.9 (SE of all forced labour, incl. state-imposed 4.1)
    # r = (59/41) / (4.8/20.1) = 1.43902 / 0.23881 = 6.0259
    prev = det.prevalence_split(4_800_000, 16_000_000, 24_900_000)
    assert prev[OTHER] == pytest.approx(4_100_000)  # the report's own state-imposed figure
    res = det.implied_ratio(ED2018, prev, denominator="all")
    assert res.ratio == pytest.approx(6.025914634, rel=1e-9)
    # the float form (shares already on the denominator) gives the same answer
    assert det.implied_ratio(0.59, 4.8 / 24.9).ratio == pytest.approx(6.025914634, rel=1e-9)


def test_implied_ratio_inverts_reweighting():
    # Reweighting the detected split by its own implied ratio (two groups) gives back p.
    res = det.implied_ratio({SE: 59, FL: 34}, {SE: 4.8, FL: 16.0})
    back = det.reweight_shares({SE: 59, FL: 34}, res.ratio)
    assert back[SE] == pytest.approx(4.8 / 20.8)


@pytest.mark.parametrize("kwargs, match", [
    (dict(shares={FL: 40, OTHER: 60}, ratio=2.0), "no column 'Sexual exploitation'"),
    (dict(shares=ED2018, ratio=0.0), "positive finite"),
    (dict(shares=ED2018, ratio=[1.0, -2.0]), "positive finite"),
    (dict(shares={SE: 50, FL: float("nan")}, ratio=1.0), "missing values"),
])
def test_reweight_rejects_bad_input(kwargs, match):
    with pytest.raises(det.DetectionError, match=match):
        det.reweight_shares(**kwargs)


def test_implied_ratio_rejects_bad_denominator_and_shares():
    with pytest.raises(det.DetectionError, match="denominator"):
        det.implied_ratio(ED2018, {SE: 4.8, FL: 16.0}, denominator="everything")
    with pytest.raises(det.DetectionError, match="strictly between 0 and 1"):
        det.implied_ratio(1.0, 0.2)


def test_edition_shares_from_the_published_table():
    from critique import datasets

    shares = det.edition_shares(datasets.load("glotip-editions"))
    # 2018 edition: 59 / 34 / 7 as published; 2009: other derived 100 - 79 - 18 = 3
    assert shares.loc[2018, [SE, FL, OTHER]].tolist() == [59, 34, 7]
    assert not shares.loc[2018, "other_derived"]
    assert shares.loc[2009, OTHER] == 3 and shares.loc[2009, "other_derived"]
    assert 2014 not in shares.index  # its shares are only in an unverified row
    # implied ratio from the published tables: GEMS 2017 vs the 2018 report = 5.7843 (see above)
    est = datasets.load("global-estimates").set_index("edition").loc["GEMS 2017"]
    prev = det.prevalence_split(est["forced_commercial_sexual_exploitation"],
                                est["forced_labour_private_excl_cse"], est["forced_labour_total"])
    got = det.implied_ratio(shares.loc[2018, [SE, FL, OTHER]].astype(float).to_dict(), prev)
    assert got.ratio == pytest.approx(5.784313725)
    with pytest.raises(det.DetectionError, match="2022"):
        det.edition_shares(datasets.load("glotip-editions"), editions=[2022])


# ----------------------------------------------------------------------------------------------
# every pairing as a range (issue 14)

GEMS2017 = det.prevalence_split(4_800_000, 16_000_000, 24_900_000)   # global-estimates table
GEMS2022 = det.prevalence_split(6_300_000, 17_300_000, 27_600_000)
ED2024 = {SE: 38.0, FL: 42.0, OTHER: 20.0}  # 2024 edition, other by subtraction


def _splits(partial_21: bool = True):
    # country-data bounds shaped like the 2023 release's 2021 data year (43 countries, USA 38% of SE)
    cd21 = {"low": {SE: 8400.0, FL: 3080.0, OTHER: 1600.0}, "high": {SE: 8416.0, FL: 3078.0, OTHER: 1592.0}}
    return [
        {"estimate": "GEMS 2017", "reference_year": 2016, "detected": "2018 report", "kind": "headline",
         "data_year": 2016, "split": {SE: 59.0, FL: 34.0, OTHER: 7.0}},
        {"estimate": "GEMS 2022", "reference_year": 2021, "detected": "2024 report", "kind": "headline",
         "data_year": 2022, "split": ED2024},
        {"estimate": "GEMS 2022", "reference_year": 2021, "detected": "country data 2021",
         "kind": "country data", "data_year": 2021, "countries": 43, "partial": partial_21,
         "flag": "partial year", **cd21},
    ]


def test_pairing_table_hand_computed():
    t = det.pairing_table(_splits(), {"GEMS 2017": GEMS2017, "GEMS 2022": GEMS2022})
    assert list(t.columns) == det.PAIRING_COLUMNS and len(t) == 6
    r = t.set_index(["detected", "denominator"])["ratio"]
    # (59/34) / (4.8/16.0) = 5.78431; GEMS 2022 vs 2024: (38/42) / (6.3/17.3) = 2.48450
    assert r[("2018 report", "se_fl")] == pytest.approx((59 / 34) / (4.8 / 16.0))
    assert r[("2024 report", "se_fl")] == pytest.approx((38 / 42) / (6.3 / 17.3))
    # all: (38/62) / (6.3/21.3) = 2.07220
    assert r[("2024 report", "all")] == pytest.approx((38 / 62) / (6.3 / 21.3))
    # country data: the midpoint split and the two bound splits; mid = (8408, 3079, 1596)
    row = t.set_index(["detected", "denominator"]).loc[("country data 2021", "se_fl")]
    assert row["ratio"] == pytest.approx((8408 / 3079) / (6.3 / 17.3))
    assert row["ratio_low"] == pytest.approx((8400 / 3080) / (6.3 / 17.3))
    assert row["ratio_high"] == pytest.approx((8416 / 3078) / (6.3 / 17.3))


def test_ratio_range_includes_the_gems_2022_pairing_and_leaves_partial_years_out():
    t = det.pairing_table(_splits(), {"GEMS 2017": GEMS2017, "GEMS 2022": GEMS2022})
    rr = det.ratio_range(t)
    gems22 = (38 / 62) / (6.3 / 21.3)  # the GEMS 2022 pairing (2024 report, all) = 2.0722
    assert rr.low == pytest.approx(gems22) and rr.low <= (38 / 42) / (6.3 / 17.3) <= rr.high
    assert rr.high == pytest.approx((59 / 41) / (4.8 / 20.1))  # 2018 report vs GEMS 2017, all = 6.0259
    assert rr.n == 4 and "GEMS 2022 / 2024 report / all" == rr.where_low
    # partial country data 2021 (7.49) is outside the range but inside the range with it
    assert rr.with_partial[1] == pytest.approx((8408 / 3079) / (6.3 / 17.3))
    assert det.ratio_range(t, include_partial=True).high == pytest.approx(rr.with_partial[1])
    # not flagged partial: it enters the range
    t2 = det.pairing_table(_splits(partial_21=False), {"GEMS 2017": GEMS2017, "GEMS 2022": GEMS2022})
    assert det.ratio_range(t2).high == pytest.approx((8408 / 3079) / (6.3 / 17.3))
    with pytest.raises(det.DetectionError, match="GEMS 2030"):
        det.pairing_table([{**_splits()[0], "estimate": "GEMS 2030"}], {"GEMS 2017": GEMS2017})


def test_country_data_split_bounds_and_exclusion():
    forms = pd.DataFrame({
        "unit": ["USA", "USA", "DEU", "DEU", "DEU", "FRA"],
        "category": [SE, FL, SE, FL, OTHER, SE],
        "value_low": [100.0, 20.0, 1.0, 50.0, 3.0, 7.0],
        "value_high": [100.0, 20.0, 4.0, 50.0, 3.0, 7.0],
        "exclude_reason": [None, None, None, None, None, "duplicate-total"],
    })
    b = det.country_data_split(forms)
    assert b["low"] == {SE: 101.0, FL: 70.0, OTHER: 3.0}   # FRA flagged: left out
    assert b["high"] == {SE: 104.0, FL: 70.0, OTHER: 3.0}
    no_usa = det.country_data_split(forms, exclude_units=["USA"])
    assert no_usa["high"] == {SE: 4.0, FL: 50.0, OTHER: 3.0}
    with pytest.raises(det.DetectionError, match="Forced labour"):
        det.country_data_split(forms[forms["category"] == SE])


# ----------------------------------------------------------------------------------------------
# probabilistic bias analysis: hand computations (no reference implementation exists for this model)


def _phi(x: float) -> float:
    import math
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def test_ratio_prior_lognormal_and_loguniform_by_hand():
    import math
    p = det.ratio_prior("lognormal", 1.0, 8.0, level=0.9)
    # median sqrt(1 * 8) = 2.8284; sigma = ln 8 / (2 * 1.644854) = 0.632113
    assert p.dist.median() == pytest.approx(math.sqrt(8))
    assert p.dist.ppf(0.05) == pytest.approx(1.0) and p.dist.ppf(0.95) == pytest.approx(8.0)
    u = det.ratio_prior("loguniform", 1.0, 8.0)
    assert u.dist.cdf(2.0) == pytest.approx(1 / 3)  # ln 2 / ln 8
    with pytest.raises(det.DetectionError, match="low < high"):
        det.ratio_prior("lognormal", 5.0, 2.0)
    with pytest.raises(det.DetectionError, match="kind"):
        det.ratio_prior("normal", 1.0, 2.0)


@pytest.mark.parametrize("kind", ["lognormal", "loguniform"])
def test_bias_analysis_matches_hand_computation(kind):
    import math
    prior = det.ratio_prior(kind, 1.0, 8.0, level=0.9)
    shares = pd.DataFrame({SE: [79.0, 50.0], FL: [18.0, 38.0], OTHER: [3.0, 12.0]},
                          index=pd.Index([2009, 2020], name="edition"))
    res = det.bias_analysis(shares, prior, n_draws=400_000, seed=1, level=0.9)
    s = res.summary
    pi = lambda sh, r: (sh / r) / (sh / r + 1 - sh)  # noqa: E731
    for e, sh in ((2009, 0.79), (2020, 0.50)):
        # pi falls as r rises: median of pi = pi(median r); low = pi(95th pct of r); high = pi(5th)
        assert s.loc[e, "median"] == pytest.approx(pi(sh, prior.dist.ppf(0.5)), abs=3e-3)
        assert s.loc[e, "low"] == pytest.approx(pi(sh, prior.dist.ppf(0.95)), abs=3e-3)
        assert s.loc[e, "high"] == pytest.approx(pi(sh, prior.dist.ppf(0.05)), abs=3e-3)
        # P(majority) = P(r < r*) with r* = s / (1 - s)
        rstar = sh / (1 - sh)
        if kind == "lognormal":
            exact = _phi(math.log(rstar / math.sqrt(8)) / (math.log(8) / (2 * 1.6448536269514722)))
        else:
            exact = min(1.0, max(0.0, math.log(rstar) / math.log(8)))
        assert s.loc[e, "p_majority"] == pytest.approx(exact, abs=3e-3)
    # 2009 by hand, lognormal: r* = 79/21 = 3.7619, z = ln(3.7619/2.8284)/0.632113 = 0.4512 -> 0.674
    if kind == "lognormal":
        assert s.loc[2009, "p_majority"] == pytest.approx(0.674, abs=4e-3)
        assert s.loc[2009, "median"] == pytest.approx((0.79 / math.sqrt(8)) / (0.79 / math.sqrt(8) + 0.21), abs=3e-3)
    # 2020 edition, s = 0.5: r* = 1, so P(majority) = P(r < 1) = 0.05 (lognormal) or 0 (loguniform)
    assert s.loc[2020, "p_majority"] == pytest.approx(0.05 if kind == "lognormal" else 0.0, abs=3e-3)
    # detected share passes through, and the same seed gives the same draws
    assert s["detected"].tolist() == pytest.approx([0.79, 0.50])
    again = det.bias_analysis(shares, prior, n_draws=400_000, seed=1, level=0.9)
    pd.testing.assert_frame_equal(s, again.summary)


def test_bias_analysis_rejects_bad_input():
    prior = det.ratio_prior()
    with pytest.raises(det.DetectionError, match="n_draws"):
        det.bias_analysis({SE: 0.5, FL: 0.5}, prior, n_draws=10)
    with pytest.raises(det.DetectionError, match="level"):
        det.bias_analysis({SE: 0.5, FL: 0.5}, prior, level=1.5)
