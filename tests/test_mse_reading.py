"""The reading rules of notebook 40 and workshop 4 (critique.methods.mse.reading), each on both sides of
its boundary, and the analysis object's upfront checks of a user's table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import critique.methods.mse as mse
from critique.core.errors import ParameterError
from critique.methods.mse import reading


def _methods(converged_lcmcr, lcmcr_total=21_000.0):
    rows = [("stepwise", "stepwise", 11_313.0, None, None, None),
            ("dga", "dga", 22_990.0, None, None, None),
            ("lcmcr", "LCMCR", lcmcr_total, 1.3 if not converged_lcmcr else 1.004,
             10.0 if not converged_lcmcr else 950.0, converged_lcmcr)]
    return pd.DataFrame([{"table": "uk5", "key": k, "procedure": p, "total": t, "low": np.nan,
                          "high": np.nan, "rhat": r, "ess": e, "converged": c}
                         for k, p, t, r, e, c in rows])


def test_a_method_whose_chains_did_not_converge_is_named_not_counted():
    text = reading.methods_text(_methods(False, 40_000.0), "uk5")
    assert text.startswith("On uk5, 2 families of method give a total that can be quoted: ")
    assert "(one variant only: stepwise) gives 11,313" in text and "decomposable-graph averaging (dga) gives 22,990" in text
    assert "listed, not counted: LCMCR (chains did not converge: R-hat 1.300, effective sample size 10)" in text
    assert "40,000" not in text
    ok = reading.methods_text(_methods(True, 40_000.0), "uk5")
    assert ok.startswith("On uk5, 3 families") and "latent classes (LCMCR) gives 40,000" in ok
    assert "not counted" not in ok
    assert reading.left_out_clause(_methods(True), "uk5") == ""
    assert reading.left_out_clause(_methods(False), "uk5").startswith(" (not counted: LCMCR")


def test_log_linear_variants_are_one_family_never_independent_confirmations():
    frame = pd.concat([_methods(True), pd.DataFrame([
        {"table": "uk5", "key": k, "procedure": k, "total": t, "low": np.nan, "high": np.nan,
         "rhat": None, "ess": None, "converged": None}
        for k, t in (("bic_default", 25_311.3), ("bic_pairwise", 22_991.3), ("average", 22_326.0))])])
    fams = reading.families(frame)
    assert list(fams) == ["log-linear", "dga", "lcmcr"] and len(fams["log-linear"]) == 4
    clause = reading.families_clause(frame, "uk5")
    assert clause.startswith("log-linear model selection and averaging (4 variants of one set of "
                             "assumptions, not independent confirmations) gives 11,313 to 25,311")
    assert reading.methods_text(frame, "uk5").startswith("On uk5, 3 families")
    # one log-linear variant left: a family of one, given with its total, no count of variants
    one = frame[~frame["key"].isin(["bic_default", "bic_pairwise", "average"])]
    assert reading.families_clause(one, "uk5").startswith(
        "log-linear model selection and averaging (one variant only: stepwise) gives 11,313;")
    # a family with no quotable total is not counted
    none = frame.copy()
    none.loc[none["key"] == "dga", "total"] = np.nan
    assert list(reading.families(none)) == ["log-linear", "lcmcr"]
    assert "listed, not counted: dga (no finite estimate)" in reading.families_clause(none, "uk5")


def test_no_finite_estimate_is_not_counted_either():
    frame = _methods(True)
    frame.loc[frame["key"] == "dga", "total"] = np.nan
    text = reading.methods_text(frame, "uk5")
    assert text.startswith("On uk5, 2 families") and "21,000" in text
    assert "listed, not counted: dga (no finite estimate)" in text


def _sweep(models, totals, f=(-50, -25, 0, 25, 50)):
    return pd.DataFrame({"f": list(f), "total": totals, "model": models})


def test_a_reselected_sweep_with_a_model_change_is_a_step_function():
    sweep = _sweep(["a", "a", "a", "a", "b"], [25_000.0, 25_150.0, 25_311.0, 25_400.0, 12_657.0])
    runs = reading.steps(sweep)
    assert [(r["model"], r["f_from"], r["f_to"]) for r in runs] == [("a", -50, 25), ("b", 50, 50)]
    text = reading.false_positive_text(sweep, 6.4, "PFNCA", 0.1, 103, 24_000.0, 25_311.0)
    assert "**Model held fixed**" in text and "**Model re-selected**" in text
    assert "**step function**" in text and "changes once over the sweep" in text
    assert "25,000 to 25,400 for -50 to +25 people added; 12,657 for +50 people added" in text
    assert "about **6.4**" in text and "**Scenario:**" in text
    assert reading.false_positive_title(sweep, "T").endswith("model held fixed and re-selected")


def test_a_reselected_sweep_without_a_model_change_is_described_as_one_model():
    sweep = _sweep(["a"] * 5, [24_700.0, 25_000.0, 25_311.0, 25_600.0, 25_900.0])
    text = reading.false_positive_text(sweep, 11.9, "PFNCA", 0.1, 103, 24_000.0, 25_311.0)
    assert "the same model is chosen throughout (-50 to +50 people)" in text and "step function" not in text
    assert reading.reselected_clause(sweep) == ("the same model is chosen throughout (-50 to +50 people), "
                                                "and the total moves from 24,700 to 25,900")
    assert reading.false_positive_title(sweep, "T") == "T: each misidentified person on one list counts several times"


def test_listing_and_mc_phrase():
    frame = pd.DataFrame({"procedure": ["p"], "table": ["t"], "total": [np.nan]})
    assert reading.listing(frame) == "p on t (no finite estimate)" and reading.listing(frame.iloc[:0]) == "none"
    assert reading.mc_phrase([np.nan, None]) == ""
    assert reading.mc_phrase([12.4, 30.6, np.nan]).endswith("at most 31.")


# ------------------------------------------------------------------ upfront checks of own tables
def test_own_table_problems_are_reported_before_any_work(tmp_path):
    with pytest.raises(ParameterError, match=r"dataset='nothere.csv': file not found"):
        mse.analyse(dataset="nothere.csv")
    with pytest.raises(ParameterError, match=r"is a folder"):
        mse.analyse(dataset=str(_folder(tmp_path)))
    csv = tmp_path / "t.csv"
    pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "n": [5, 4, 3]}).to_csv(csv, index=False)
    with pytest.raises(mse.CaptureTableError, match="count"):
        mse.analyse(dataset=str(csv))  # count column is 'n', not 'count'
    a = mse.analyse(dataset=str(csv), count_column="n", sections=["estimate"])
    assert a.table.n_observed == 12 and a.input[0] == str(csv) and a.runs("estimate")
    assert not a.runs("procedures") and a.fp_cell == "A"
    with pytest.raises(ParameterError, match=r"fp_cell='C' is not a list"):
        mse.analyse(dataset=str(csv), count_column="n", fp_cell="C")
    with pytest.raises(ParameterError, match=r"unknown \['everything'\]"):
        mse.analyse(sections=["everything"])
    with pytest.raises(ParameterError, match=r"not a shipped table"):
        mse.analyse(dataset="mse-uk-2031")
    with pytest.raises(ParameterError, match=r"spread_datasets: \['mse-nowhere'\]"):
        mse.analyse(spread_datasets=["mse-nowhere"])


def _folder(tmp_path):
    d = tmp_path / "folder.csv"
    d.mkdir()
    return d


def test_exercise_answer_says_the_interval_is_the_published_range_only_when_it_rounds_to_it():
    from critique.methods.mse.exercise import procedures_answer

    path = pd.DataFrame({"total": [11_418.0, 14_325.0]})
    frame = pd.DataFrame({"key": ["uk6_stepwise"], "procedure": ["stepwise"], "table": ["uk6"],
                          "total": [11_418.0], "low": [9_000.0], "high": [14_000.0],
                          "interval": ["bootstrap BCa"], "in_published_range": [True]})
    yes = procedures_answer(path, 11_418.0, (10_001.0, 13_182.0), frame, (10_000, 13_000))
    assert "rounded to the thousand, the published range" in yes
    no = procedures_answer(path, 11_418.0, (10_001.0, 13_600.0), frame, (10_000, 13_000))
    assert "against the published 10,000 to 13,000" in no and "rounded to the thousand" not in no
    assert "their 95% intervals run from 9,000 to 14,000" in yes
    both = pd.concat([frame, frame.assign(key="uk5_bic_default", total=25_311.0, in_published_range=False)])
    yes = procedures_answer(path, 11_418.0, (10_001.0, 13_182.0), both, (10_000, 13_000))
    assert "reproduces it, rounded to the thousand, with the interval that treats the chosen model as known" in yes
    no = procedures_answer(path, 11_418.0, (10_001.0, 13_600.0), both, (10_000, 13_000))
    assert "reproduces" not in no and "gives a point estimate inside it; the authors' own later default does not" in no


def test_exercise_span_joins_both_intervals_only_where_they_disagree():
    from critique.methods.mse.exercise import spans

    frame = pd.DataFrame([_row(), _row(disagree="")])
    # disagreeing: BCa 8,844-14,434 and percentile 9,877-24,563 -> 8,844 to 24,563 (neither alone)
    # agreeing: the reported interval itself, 8,844 to 14,434
    assert spans(frame) == [(8_844.0, 24_563.0), (8_844.0, 14_434.0)]
    # the printed handout shows the span, never the reported interval alone
    from critique.publish import workshop, workshop_handout
    config = workshop.workshop_dir() / workshop_handout.CONFIG
    cols = workshop_handout.load_config(config)["04-uk-ten-to-thirteen-thousand"]["table"]["columns"]
    assert {"span_low", "span_high"} <= set(cols) and not {"low", "high"} & set(cols)


def test_exercise_verdict_names_the_procedure_as_its_authors_account():
    from critique.methods.mse.exercise import procedures_answer

    path = pd.DataFrame({"total": [11_418.0]})
    frame = pd.DataFrame({"key": ["uk6_stepwise", "uk5_bic_default"], "procedure": ["stepwise", "BIC"],
                          "table": ["uk6", "uk5"], "total": [11_418.0, 25_311.0], "low": [9_000.0, 11_000.0],
                          "high": [14_000.0, 47_000.0], "interval": ["bootstrap BCa"] * 2,
                          "in_published_range": [True, False]})
    text = procedures_answer(path, 11_418.0, (10_001.0, 13_182.0), frame, (10_000, 13_000))
    assert "The procedure its author says the range came from reproduces it" in text


def test_percentile_clause_only_beside_bca():
    bca = {"interval": "bootstrap BCa", "percentile_low": 9_877.4, "percentile_high": 24_563.2}
    assert reading.percentile_clause(bca) == (", and the percentile interval of the same resamples "
                                              "from 9,877 to 24,563")
    assert reading.percentile_clause({**bca, "interval": "bootstrap percentile"}) == ""
    assert reading.percentile_clause({**bca, "interval": "profile (model known)",
                                      "percentile_low": float("nan")}) == ""


# ------------------------------------------------------------- BCa beside percentile (issue 24)
from critique.methods.mse.intervals import END_SHARE_LIMIT, Z0_LIMIT, disagreement  # noqa: E402


def test_intervals_disagree_when_z0_is_large_on_both_sides_of_the_limit():
    same = ((9_000.0, 14_000.0), (9_000.0, 14_000.0))
    assert disagreement(Z0_LIMIT, *same) == ""
    assert disagreement(-Z0_LIMIT, *same) == ""
    why = disagreement(-0.52, *same)
    assert why == "bias correction z0 = -0.52, beyond ±0.5, with 30% of resamples below the estimate"
    assert disagreement(0.51, *same).startswith("bias correction z0 = 0.51")


def test_intervals_disagree_when_an_end_moves_by_more_than_a_quarter_of_the_width():
    pct = (10_000.0, 20_000.0)  # width 10,000: the limit is 2,500 people
    assert END_SHARE_LIMIT == 0.25
    assert disagreement(0.1, (10_000.0 - 2_500.0, 20_000.0), pct) == ""
    assert disagreement(0.1, (10_000.0, 20_000.0 + 2_500.0), pct) == ""
    assert "26% of the percentile interval's width" in disagreement(0.1, (7_400.0, 20_000.0), pct)
    assert "26% of the percentile interval's width" in disagreement(0.1, (10_000.0, 22_600.0), pct)
    # the UK six-list stepwise case of issue 24: both reasons
    both = disagreement(-0.52, (8_844.0, 14_434.0), (9_877.0, 24_563.0))
    assert "z0 = -0.52" in both and "69% of the percentile interval's width" in both
    assert disagreement(float("nan"), (1.0, 2.0), (1.0, 2.0)) == ""


def _row(**kw):
    row = {"interval": "bootstrap BCa", "low": 8_844.0, "high": 14_434.0, "bca_low": 8_844.0,
           "bca_high": 14_434.0, "percentile_low": 9_877.0, "percentile_high": 24_563.0,
           "bca_low_mc_se": 95.0, "bca_high_mc_se": 410.0, "percentile_low_mc_se": 60.0,
           "percentile_high_mc_se": 1_250.0, "disagree": "bias correction z0 = -0.52"}
    row.update(kw)
    return row


def test_interval_text_gives_both_intervals_when_they_disagree_and_never_bca_alone():
    text = reading.interval_text(_row(), 1000)
    assert text.startswith("with the model choice repeated in each of 1,000 bootstrap resamples, the two "
                           "standard 95% intervals of the same resamples disagree (bias correction z0 = -0.52)")
    assert ("BCa 8,844 to 14,434 (Monte Carlo standard error of the ends ±95 and ±410); percentile 9,877 "
            "to 24,563 (Monte Carlo standard error of the ends ±60 and ±1,250); neither should be "
            "quoted alone") in text
    agree = reading.interval_text(_row(disagree="", percentile_high=15_000.0), 1000)
    assert "its 95% interval is BCa 8,844 to 14,434" in agree and "disagree" not in agree
    assert agree.endswith("which differs from it by less than the rule's limits")
    pct = reading.interval_text(_row(interval="bootstrap percentile", low=9_877.0, high=24_563.0), 200)
    assert "its 95% interval is the percentile 9,877 to 24,563" in pct and "BCa is degenerate" in pct
    assert "BCa 8,844" not in pct
    known = reading.interval_text({"interval": "profile (model known)", "low": 10_001.0, "high": 13_182.0}, 0)
    assert known == ("its 95% interval, treating the chosen model as known (profile (model known)), runs "
                     "from 10,001 to 13,182")
    assert "not computed" in reading.mc_ends(float("nan"), 3.0)


def test_plain_range_spans_both_intervals_only_when_they_disagree():
    assert reading.plain_range(_row()) == ("about 8,800 to 24,600 (the span of two standard ways of "
                                           "computing the range, which disagree here)")
    assert reading.plain_range(_row(disagree="")) == "about 8,800 to 14,400"
    from critique.publish.keyfindings import reader_problems
    assert reader_problems(reading.plain_range(_row())) == []


def test_procedures_reading_spans_both_intervals_where_they_disagree():
    frame = pd.DataFrame([_row(procedure="stepwise", table="uk6", total=11_418.0),
                          _row(procedure="BIC", table="uk5", total=25_311.0, interval="bootstrap BCa",
                               low=11_228.0, high=47_292.0, bca_low=11_228.0, bca_high=47_292.0,
                               percentile_low=10_306.0, percentile_high=41_205.0, disagree="")])
    frame["in_published_range"] = [True, False]
    text = reading.procedures_text(frame, (10_000, 13_000), {"verification": "primary", "text": "t",
                                                             "citation": "c"}, 1000, 2_744)
    # stepwise: BCa 8,844-14,434 and percentile 9,877-24,563 disagree, so it spans 8,844-24,563
    assert ("run from 8,844 to 47,292 across these procedures; the narrowest of them (from the lower to the "
            "higher end of both, where they disagree) spans 15,719, against 3,000 for the published range "
            "(how that range was computed was not read here") in text
    # where nothing disagrees, the narrowest is the reported interval itself (BIC: 47,292 - 11,228 = 36,064)
    alone = reading.procedures_text(frame.iloc[[1]], (10_000, 13_000), {"verification": "primary", "text": "t",
                                                                        "citation": "c"}, 1000, 2_744)
    assert "spans 36,064, against 3,000" in alone
    assert "neither should be quoted alone" in text and "People actually on a list: 2,744" in text


def test_lcmcr_line_advises_longer_chains_only_where_they_were_not_already_tried():
    frame = _methods(False)
    assert reading.lcmcr_lines(frame)[0].endswith("run longer chains (`lcmcr_burnin`, `lcmcr_samples`, "
                                                  "`lcmcr_thinning`).")
    assert "no chain length tried has met the convergence rule" in reading.lcmcr_lines(frame, ("uk5",))[0]
    assert reading.lcmcr_lines(_methods(True)) == []


def test_a_single_method_family_gives_its_interval_with_its_monte_carlo_error():
    frame = _methods(True)
    frame.loc[frame["key"] == "dga", ["low", "high", "interval", "low_mc_se", "high_mc_se"]] = [
        10_387.0, 33_510.0, "posterior (equal-tailed)", 0.0, 0.0]
    frame.loc[frame["key"] == "lcmcr", ["low", "high", "interval", "low_mc_se", "high_mc_se"]] = [
        9_028.0, 13_876.0, "posterior (equal-tailed)", 41.2, 230.7]
    clause = reading.families_clause(frame, "uk5")
    assert ("decomposable-graph averaging (dga) gives 22,990 (95% interval, posterior (equal-tailed): "
            "10,387 to 33,510; computed on a grid, no Monte Carlo error)") in clause
    assert ("latent classes (LCMCR) gives 21,000 (95% interval, posterior (equal-tailed): 9,028 to "
            "13,876; Monte Carlo standard error of the ends ±41 and ±231)") in clause
