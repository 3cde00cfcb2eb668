"""critique.methods.scorecards: hand computations, the published GSI scoring reproduced, weights refused.

References: Spearman's rho and Kendall's tau on a six-country frame computed by hand (formulas in
the comments); Walk Free's milestone percentages (GSI 2023 summary sheet) recomputed from the 141
indicator ratings with the activity rule stated in the workbook's CONTENTS sheet.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from critique.core.errors import ParameterError
from critique.methods.scorecards import agreement, align, composite, rights


# ------------------------------------------------------------------ rank correlations by hand
X = [1, 2, 3, 4, 5, 6]
Y = [2, 1, 4, 3, 6, 5]


def test_spearman_matches_the_hand_computation():
    # d = -1, 1, -1, 1, -1, 1 -> sum d^2 = 6; rho = 1 - 6*6 / (6*(36-1)) = 1 - 36/210
    rho = 1 - 36 / 210
    se = math.sqrt((1 + rho ** 2 / 2) / (6 - 3))  # Bonett & Wright (2000)
    z = math.atanh(rho)
    rc = agreement.rank_correlation(X, Y, method="spearman", level=0.95)
    assert rc.estimate == pytest.approx(0.8285714285714286)
    assert rc.low == pytest.approx(math.tanh(z - 1.959963984540054 * se))
    assert rc.high == pytest.approx(math.tanh(z + 1.959963984540054 * se))
    assert rc.n == 6


def test_kendall_matches_the_hand_computation():
    # 15 pairs, 3 discordant ((1,2), (3,4), (5,6)): tau = (12 - 3) / 15
    rc = agreement.rank_correlation(X, Y, method="kendall", level=0.9)
    assert rc.estimate == pytest.approx(0.6)
    se = math.sqrt(0.437 / (6 - 4))  # Fieller, Hartley & Pearson (1957)
    assert rc.low == pytest.approx(math.tanh(math.atanh(0.6) - 1.6448536269514722 * se))


def test_spearman_with_ties_uses_average_ranks_and_skips_missing_pairs():
    x = [4, 4, 3, 2, 1, np.nan, 1]   # TIP-like: few levels, many ties
    y = [90, 70, 80, 10, 20, 50, 5]
    rc = agreement.rank_correlation(x, y)
    # by hand: ranks of x (complete pairs) 5.5 5.5 4 3 1.5 1.5; of y 6 4 5 2 3 1
    rx, ry = np.array([5.5, 5.5, 4, 3, 1.5, 1.5]), np.array([6, 4, 5, 2, 3, 1])
    assert rc.n == 6
    assert rc.estimate == pytest.approx(np.corrcoef(rx, ry)[0, 1])


def test_too_few_pairs_give_no_estimate():
    rc = agreement.rank_correlation([1, 2, 3, 4], [1, 2, 3, 4])
    assert rc.n == 4 and math.isnan(rc.estimate) and math.isnan(rc.low)


# ------------------------------------------------------------------ composite

@pytest.fixture
def frame():
    rng = np.random.default_rng(3)
    d = pd.DataFrame(rng.normal(size=(40, 3)), columns=["gsi_response", "oc_resilience", "gsi_rights"],
                     index=pd.Index([f"C{i:02d}" for i in range(40)], name="iso3"))
    d.loc["C05", "oc_resilience"] = np.nan
    d.loc["C07", "gsi_response"] = d.loc["C08", "gsi_response"]  # a tie
    return d


@pytest.mark.parametrize("col", ["gsi_response", "oc_resilience", "gsi_rights"])
def test_all_weight_on_one_assessment_reproduces_its_own_ranking(frame, col):
    w = [1.0 if c == col else 0.0 for c in frame.columns]
    res = composite.composite(frame, list(frame.columns), w, n_draws=500)
    own = frame[col].dropna().rank(method="min", ascending=False).astype(int)
    got = res.table["rank"]
    assert got.sort_index().tolist() == own.sort_index().tolist()
    # no spread: every draw is the stated weights
    assert (res.table["rank_low"] == res.table["rank"]).all() and (res.table["rank_high"] == res.table["rank"]).all()
    # a country missing an indicator with weight 0 is kept
    assert ("C05" in res.table.index) == (col != "oc_resilience")


def test_all_weight_on_gsi_reproduces_walk_free_ranking(mirror_dir):
    from critique.datasets import parse_upstream

    gsi = parse_upstream("gsi-2023-summary", mirror_dir / "2023-Global-Slavery-Index-Data.xlsx")
    a = gsi.set_index("iso3")[["response_total", "vulnerability_total"]].rename(
        columns={"response_total": "gsi_response", "vulnerability_total": "oc_resilience"})
    res = composite.composite(a, ["gsi_response", "oc_resilience"], [3, 0], n_draws=50)
    own = a["gsi_response"].dropna().rank(method="min", ascending=False)
    assert len(res.table) == 176
    assert (res.table["rank"] == own.loc[res.table.index]).all()


def test_equal_weights_composite_is_the_mean_percentile_rank(frame):
    res = composite.composite(frame, list(frame.columns), [1, 1, 1], n_draws=200)
    complete = frame.dropna()
    pr = complete.rank(pct=True)
    assert res.table["score"].sort_index().to_numpy() == pytest.approx(pr.mean(axis=1).sort_index().to_numpy())
    assert res.left_out == ["C05"]
    # the stated-weights rank lies inside its interval for nearly every country (draws centre on it)
    inside = (res.table["rank_low"] <= res.table["rank"]) & (res.table["rank"] <= res.table["rank_high"])
    assert inside.mean() > 0.9


def test_concentrated_draws_shrink_the_intervals(frame):
    loose = composite.composite(frame, list(frame.columns), [1, 2, 1], n_draws=400, concentration=2)
    tight = composite.composite(frame, list(frame.columns), [1, 2, 1], n_draws=400, concentration=5000)
    assert tight.median_interval_width() < loose.median_interval_width()
    assert tight.median_interval_width() <= 1


@pytest.mark.parametrize("weights, message", [
    ([], "empty"),
    ([0, 0, 0], "sum to zero"),
    ([1, -1, 1], "element 1 .* is negative"),
    ([1, float("nan"), 1], "not finite"),
    ([1, 1], "2 weight\\(s\\) for 3 indicator"),
    ([1, "a", 1], "not a number"),
])
def test_bad_weights_are_refused(frame, weights, message):
    with pytest.raises(ParameterError, match=message):
        composite.composite(frame, list(frame.columns), weights)


def test_an_indicator_that_is_context_not_assessment_is_refused(frame):
    with pytest.raises(ParameterError, match="unknown measure.*gsi_vulnerability"):
        composite.check_weights(["gsi_response", "gsi_vulnerability"], [1, 1])


# ------------------------------------------------------------------ align, crosstab, disagreement

def test_align_uses_the_nearest_edition_and_says_what_it_left_out():
    long = pd.DataFrame({"iso3": ["AAA", "BBB", "AAA", "BBB", "AAA"],
                         "measure": ["oc_resilience"] * 4 + ["p3"],
                         "year": [2021, 2021, 2023, 2023, 2013],
                         "score": [1.0, 2.0, 3.0, 4.0, 9.0]})
    a = align.align(long, 2022, ["oc_resilience", "p3"], max_gap=1)
    assert a.attrs["editions"] == {"oc_resilience": 2021}  # tie between 2021 and 2023 -> earlier
    assert "9 years from 2022" in a.attrs["left_out"]["p3"]
    assert a["oc_resilience"].to_dict() == {"AAA": 1.0, "BBB": 2.0}
    with pytest.raises(ParameterError, match="unknown measure"):
        align.align(long, 2022, ["oc_resiliance"])


def test_tier_crosstab_counts_every_country_once():
    d = pd.DataFrame({"tip_tier": [4, 4, 3, 3, 3, 2, 1, 1, 3],
                      "gsi_response": [90, 80, 70, 40, 50, 30, 10, 20, np.nan]})
    ct = agreement.tier_crosstab(d, "gsi_response")
    assert ct.attrs["n"] == 8 and int(ct.to_numpy().sum()) == 8
    assert ct.loc["Tier 1", "highest third"] == 2 and ct.loc["Tier 3", "lowest third"] == 2


def test_disagreement_ranks_by_gap():
    d = pd.DataFrame({"tip_tier": [4, 3, 2, 1, 4], "gsi_response": [10, 50, 60, 90, 95]},
                     index=pd.Index(list("ABCDE"), name="iso3"))
    out = agreement.disagreement(d, "tip_tier", "gsi_response", k=2)
    assert out.index[0] == "A" and out["gap"].iloc[0] > 0  # TIP high, GSI low
    assert out.index[1] == "D" and out["gap"].iloc[1] < 0


# ------------------------------------------------------------------ Walk Free's scoring reproduced

@pytest.fixture(scope="module")
def gsi(mirror_dir):
    from critique.datasets import parse_upstream

    path = mirror_dir / "2023-Global-Slavery-Index-Data.xlsx"
    return parse_upstream("gsi-2023-indicators", path), parse_upstream("gsi-2023-summary", path)


def test_activity_rule_reproduces_every_published_milestone_percentage(gsi):
    ind, summary = gsi
    ours = rights.milestone_scores(ind).set_index("iso3")
    pub = summary.set_index("iso3").loc[ours.index]
    assert len(ours) == 176
    for k, col in enumerate(["response_m1_survivors", "response_m2_justice", "response_m3_coordination",
                             "response_m4_risk_factors", "response_m5_supply_chains"], start=1):
        assert np.abs(ours[f"m{k}_pct"] - pub[col]).max() < 1e-4, col  # the sheet stores float32
    assert np.abs(ours["total_pct"] - pub["response_total"]).max() < 1e-4


def test_rights_subindex_by_hand_on_two_countries():
    rows = []
    for iso, ratings in (("AAA", [1, 1, 0, -1]), ("BBB", [0, 1, 1, 0])):
        for code, act, neg, r in zip(["M2211", "M2212", "M4211", "M2213NEG"], ["2.2.1", "2.2.1", "4.2.1", "2.2.1"],
                                     [False, False, False, True], ratings):
            rows.append({"iso3": iso, "code": code, "milestone": int(act[0]), "activity": act,
                         "negative": neg, "rating": r})
    ind = pd.DataFrame(rows)
    by_ind = rights.rights_subindex(ind, ["M2211", "M2212", "M4211", "M2213NEG"], rule="indicator").set_index("iso3")
    # AAA: (1 + 1 + 0 - 1) / 3 positives; BBB: (0 + 1 + 1 + 0) / 3
    assert by_ind.loc["AAA", "score"] == pytest.approx(100 / 3) and by_ind.loc["BBB", "score"] == pytest.approx(200 / 3)
    by_act = rights.rights_subindex(ind, ["M2211", "M2212", "M4211", "M2213NEG"], rule="activity").set_index("iso3")
    # AAA: activity 2.2.1 all positives met but negative met -> 1; 4.2.1 none -> 0; of 4 points
    # BBB: 2.2.1 one of two -> 1; 4.2.1 all -> 2; of 4 points
    assert by_act.loc["AAA", "score"] == 25 and by_act.loc["BBB", "score"] == 75
    with pytest.raises(ParameterError, match="unknown GSI indicator code"):
        rights.rights_subindex(ind, ["M9999"])
    with pytest.raises(ParameterError, match="no positive indicator"):
        rights.rights_subindex(ind, ["M2213NEG"])


def test_default_rights_selection_exists_in_the_codebook(gsi):
    ind, _ = gsi
    cb = rights.codebook(ind)
    assert cb["indicator_name"].notna().all() and len(cb) == len(rights.rights_selection())
    names = cb.set_index("code")["indicator_name"]
    assert "not be treated as criminals" in names["M2212"]
    assert "not dependent on survivor participation" in names["M1234"]
    assert "labour inspections" in names["M4211"]


def test_profile_row_ranks_the_country_in_each_latest_edition():
    from critique.publish import profiles

    long = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC", "AAA", "BBB", "AAA", "CCC"],
                         "measure": ["oc_resilience"] * 3 + ["oc_resilience"] * 2 + ["gsi_vulnerability"] * 2,
                         "year": [2023, 2023, 2023, 2021, 2021, 2023, 2023],
                         "score": [5.0, 7.0, 5.0, 9.0, 1.0, 40.0, 60.0]})
    row = profiles.assessment_row("CCC", long).set_index("measure")
    res = row.loc["GI-TOC resilience"]
    assert (res["edition"], res["score"], res["rank"], res["of"]) == (2023, 5.0, 2, 3)  # tie with AAA
    vul = row.loc["GSI vulnerability (context)"]
    assert vul["score"] == 60.0 and pd.isna(vul["rank"])  # context is never ranked
    assert profiles.assessment_row("ZZZ", long)["status"].eq("not assessed").all()


def _glotip(rows):
    base = {"indicator": "Detected trafficking victims", "dimension": "Total", "category": "Total",
            "sex": "Total", "age": "Total", "region": "Europe"}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_reporting_years_count_reports_in_the_window_and_skip_excluded_rows():
    g = _glotip([
        {"iso3": "AAA", "year": 2018, "value_high": 10.0},
        {"iso3": "AAA", "year": 2019, "value_high": 4.0},    # a suppressed "<5" cell still reports
        {"iso3": "AAA", "year": 2023, "value_high": 3.0},    # the alignment year itself is not counted
        {"iso3": "BBB", "year": 2020, "value_high": np.nan},  # no figure: not a report
        {"iso3": "CCC", "year": 2021, "value_high": 7.0},
    ])
    out = align.unodc_reporting_years(g, [2023, 2023], 5).set_index("iso3")
    assert out["years"].to_dict() == {"AAA": 2.0, "CCC": 1.0} and len(out) == 2  # one row per country, not two
    flagged = g.assign(exclude_reason=[None, None, None, None, "placeholder"])
    out = align.unodc_reporting_years(flagged, [2023], 5)
    assert out.set_index("iso3")["years"].to_dict() == {"AAA": 2.0}
    with pytest.raises(ParameterError, match="window"):
        align.unodc_reporting_years(g, [2023], 0)


# ---------------------------------------------------------------------------------------------
# notebook 32's analysis object (issue 25): status rules on both sides of each boundary
# ---------------------------------------------------------------------------------------------
from critique.methods.scorecards import analysis as sc_analysis  # noqa: E402


def test_pair_findings_present_missing_or_absent():
    corr = pd.DataFrame({"a": ["tip_tier", "gsi_response"], "b": ["gsi_response", "oc_resilience"],
                         "estimate": [0.456, np.nan], "low": [0.33, np.nan], "high": [0.57, np.nan], "n": [173, 3]})
    assert sc_analysis.pair_findings(corr, "gsi_response", "tip_tier", "rho") == [
        ("rho", 0.46, None), ("rho_lo", 0.33, None), ("rho_hi", 0.57, None), ("rho_n", 173, None)]  # either order
    assert sc_analysis.pair_findings(corr, "gsi_response", "oc_resilience", "rho") == []  # too few countries
    assert sc_analysis.pair_findings(corr, "tip_tier", "p3", "rho") == []  # pair not compared


def test_composite_skip_ignores_zero_weights_and_names_the_reason():
    cols = ["gsi_response", "gsi_rights"]
    assert sc_analysis.composite_skip(["gsi_response", "oc_victim_support"], [1.0, 0.0], cols, {}) == {}
    skipped = sc_analysis.composite_skip(["gsi_response", "oc_victim_support"], [1.0, 0.5], cols,
                                         {"oc_victim_support": "no edition within 0 years of 2019"})
    assert skipped == {"oc_victim_support": "no edition within 0 years of 2019"}
    assert sc_analysis.composite_skip(["p3"], [1.0], cols, {}) == {"p3": "not aligned"}
    s = sc_analysis.composite_skip_sentence(2019, skipped, 0)
    assert s.startswith("No composite for 2019: indicator(s) ['oc_victim_support']") and "max_gap=0" in s


def test_three_p_sentence_with_and_without_data():
    assert sc_analysis.three_p_sentence(2015, None, {"p3": "no edition"}).startswith("No TIP tier or 3P data for 2015")
    rc = agreement.rank_correlation(pd.Series([1.0, 2, 3, 4, 5, 6]), pd.Series([1.0, 3, 2, 4, 6, 5]))
    s = sc_analysis.three_p_sentence(2013, rc)
    assert f"Spearman {rc.estimate:.2f}" in s and "partly built in" in s and "two constructs" in s


def test_check_highlight_upper_cases_and_refuses_unknown_codes():
    assert sc_analysis.check_highlight(["usa", "THA"]) == ["USA", "THA"]
    with pytest.raises(ParameterError, match="highlight.*ZZZ"):
        sc_analysis.check_highlight(["USA", "ZZZ"])


def test_datasets_for_lists_each_dataset_once():
    ds = sc_analysis.datasets_for(["tip_tier", "gsi_response", "gsi_rights", "tip_tier"])
    assert len(ds) == len(set(ds)) and ds[:1] == list(align.MEASURES["tip_tier"].datasets[:1])


def test_editions_sentence_names_measures_in_words():
    s = sc_analysis.editions_sentence({"tip_tier": 2023}, {})
    assert s == f"Editions used: {align.MEASURES['tip_tier'].label}: 2023. Left out: none."
    s = sc_analysis.editions_sentence({}, {"p3": "no edition within 0 years of 2023"})
    assert "Editions used: none" in s and "(no edition within 0 years of 2023)" in s and "{" not in s


def test_analyse_names_the_unodc_release_and_years_behind_the_reporting_count(mirror_dir):
    from critique import datasets
    from critique.methods import scorecards
    from critique.methods.tip import tiers

    glotip = datasets.load("glotip")
    res = scorecards.analyse(
        tiers=tiers.load_tiers(), gsi_summary=datasets.load("gsi-2023-summary"),
        gsi_indicators=datasets.load("gsi-2023-indicators"), p3=datasets.load("3p-index"),
        oc=datasets.load("oc-index"), glotip=glotip, year=2023, n_draws=20)
    f = {k: v for k, v, _ in res.findings()}
    assert f["reporting_release"] == glotip.attrs["release"]
    assert f["reporting_years_text"] == f"{f['reporting_years_used'][0]}-{f['reporting_years_used'][-1]}"
