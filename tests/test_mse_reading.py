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
    assert "2 methods give totals from **11,313** to **22,990**" in text
    assert "Not counted: LCMCR (chains did not converge: R-hat 1.300, effective sample size 10)" in text
    assert "40,000" not in text
    ok = reading.methods_text(_methods(True, 40_000.0), "uk5")
    assert "3 methods give totals from **11,313** to **40,000**" in ok and "Not counted" not in ok
    assert reading.left_out_clause(_methods(True), "uk5") == ""
    assert reading.left_out_clause(_methods(False), "uk5").startswith(" (not counted: LCMCR")


def test_no_finite_estimate_is_not_counted_either():
    frame = _methods(True)
    frame.loc[frame["key"] == "dga", "total"] = np.nan
    text = reading.methods_text(frame, "uk5")
    assert "2 methods give totals from **11,313** to **21,000**" in text
    assert "Not counted: dga (no finite estimate)" in text


def _sweep(models, totals, f=(-50, -25, 0, 25, 50)):
    return pd.DataFrame({"f": list(f), "total": totals, "model": models})


def test_a_reselected_sweep_with_a_model_change_is_a_step_function():
    sweep = _sweep(["a", "a", "a", "a", "b"], [25_000.0, 25_150.0, 25_311.0, 25_400.0, 12_657.0])
    runs = reading.steps(sweep)
    assert [(r["model"], r["f_from"], r["f_to"]) for r in runs] == [("a", -50, 25), ("b", 50, 50)]
    text = reading.false_positive_text(sweep, 6.4, "PFNCA", 0.1, 103, 24_000.0, 25_311.0)
    assert "**step function**" in text and "changes once over the sweep" in text
    assert "25,000 to 25,400 for -50 to +25 people; 12,657 for +50 people" in text
    assert "about **6.4**" in text and "**Scenario:**" in text
    assert reading.false_positive_title(sweep, "T").endswith("model held fixed and re-selected")


def test_a_reselected_sweep_without_a_model_change_is_described_as_one_model():
    sweep = _sweep(["a"] * 5, [24_700.0, 25_000.0, 25_311.0, 25_600.0, 25_900.0])
    text = reading.false_positive_text(sweep, 11.9, "PFNCA", 0.1, 103, 24_000.0, 25_311.0)
    assert "chooses the same model throughout (-50 to +50 people)" in text and "step function" not in text
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


def test_percentile_clause_only_beside_bca():
    bca = {"interval": "bootstrap BCa", "percentile_low": 9_877.4, "percentile_high": 24_563.2}
    assert reading.percentile_clause(bca) == (", and the percentile interval of the same resamples "
                                              "from 9,877 to 24,563")
    assert reading.percentile_clause({**bca, "interval": "bootstrap percentile"}) == ""
    assert reading.percentile_clause({**bca, "interval": "profile (model known)",
                                      "percentile_low": float("nan")}) == ""
