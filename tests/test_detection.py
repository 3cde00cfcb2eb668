"""Detection-bias model: hand-computed values for several editions and ratios, and the implied ratio
for the 2016 global estimates against the 2018 UNODC report (literature.md section 8a)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from critique import detection as det
from critique.detection import FL, OTHER, SE

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
