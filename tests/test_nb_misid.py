"""Notebook 20-raids-misidentification, run through the runner with the smoke set (issue 5 bar)."""
from __future__ import annotations

from pathlib import Path

import pytest

from critique.datasets import paths
from critique.publish import runner

STEM = "20-raids-misidentification"
NOTEBOOK = paths.notebooks_dir() / f"{STEM}.ipynb"


def test_every_parameter_declares_what_it_allows():
    specs = runner.notebook_parameters(NOTEBOOK)
    assert len(specs) >= 20
    for spec in specs.values():
        if spec.type_name in ("int", "float"):
            assert spec.low is not None and spec.high is not None, spec.name
        elif spec.type_name == "str" and spec.name != "edition":  # edition: checked against the catalogue
            assert spec.choices, spec.name
        elif spec.type_name == "list":
            assert spec.choices or (spec.low is not None and spec.high is not None), spec.name
    rates = ["raid_share", "operation_raid_share", "sex_sector_raid_share", "fixed_false_positive_rate",
             "other_false_positive_rate", "responsiveness"]
    assert all((specs[r].low, specs[r].high) == (0.0, 1.0) for r in rates)
    assert (specs["feedback_true_share"].low, specs["feedback_true_share"].high) == (0.01, 0.99)


@pytest.mark.parametrize("name, value", [
    ("raid_share", 1.5), ("fixed_false_positive_rate", 1.01), ("other_false_positive_rate", -0.1),
    ("responsiveness", 2.0), ("pooling", "median"), ("evidence_rows", ["no-such-row"]),
    ("country_year", 2030), ("sweep_year", 2030), ("sweep_steps", 1), ("sweep_raid_shares", [1.5]),
])
def test_runner_refuses_values_outside_the_declared_range(name, value):
    with pytest.raises(runner.ParameterError, match=name):
        runner.validate_parameters(NOTEBOOK, {name: value})


@pytest.mark.notebook
def test_smoke_run_findings(smoke_run):
    data = smoke_run(STEM)
    f = data["findings"]
    assert {i["id"] for i in data["inputs"]} >= {"raid-outcomes", "glotip", "tip-law-enforcement"}
    # default evidence: SANGRAM 193/243 and Vera 84/180, equal-weight mixture of Beta(194, 51) and
    # Beta(85, 97): mean (194/245 + 85/182) / 2 = 0.629435
    assert f["fpr_rows_used"] == ["sangram-voluntary", "vera-tvit-screening"]
    assert f["fpr_prior_mean"] == pytest.approx(0.5 * 194 / 245 + 0.5 * 85 / 182)
    # Pentameter 2: 167 * (1 - 1.0 * 0.629435) = 61.884
    assert f["operation_claimed"] == 167
    assert f["operation_remaining"] == pytest.approx(167 * (1 - f["fpr_prior_mean"]))
    assert f["operation_remaining_low"] < f["operation_remaining"] < f["operation_remaining_high"]
    # UNODC USA 2021: 10,070 detected; remaining = 10070 * (1 - 0.28 * 0.629435)
    assert f["country_identified"] == 10070
    assert f["country_remaining"] == pytest.approx(10070 * (1 - 0.28 * f["fpr_prior_mean"]))
    # TIP series: unverified years left out by default (2008, 2010, 2011, 2014, 2015 are [U])
    assert 2021 in f["tip_years"] and 2010 not in f["tip_years"]
    i = f["tip_years"].index(2021)
    assert f["tip_identified"][i] == 90354
    assert f["tip_remaining_low"][i] < f["tip_remaining"][i] < f["tip_remaining_high"][i] < 90354
    # the sweep for TIP data year 2023 (133,943 identified, 42,098 labour): extremes at the grid corners
    # are the closed form: all base 0 (raid share 1, fpr 1) to 133,943; labour at face value 42,098 to 133,943
    assert (f["sweep_year"], f["sweep_identified"], f["sweep_labour_identified"]) == (2023, 133943, 42098)
    assert (f["sweep_all_min"], f["sweep_all_max"]) == (0, 133943)
    assert (f["sweep_labour_min"], f["sweep_labour_max"]) == (42098, 133943)
    j = f["tip_years"].index(2023)
    assert f["sweep_band_all_low"] == pytest.approx(f["tip_remaining_low"][j])
    assert f["sweep_band_all_high"] == pytest.approx(f["tip_remaining_high"][j])
    assert f["sweep_all_min"] < f["sweep_band_all_low"] < f["sweep_band_all_high"] < f["sweep_all_max"]
    assert 42098 < f["sweep_band_labour_low"] < f["sweep_band_labour_high"] < 133943
    assert f["sweep_band_share_of_range"] == pytest.approx(
        (f["sweep_band_all_high"] - f["sweep_band_all_low"]) / 133943)
    # shares: every adjustment lowers the sexual-exploitation share, both together the most
    assert f["se_share_detected"] > f["se_share_after_misid"] > f["se_share_after_both"]
    assert f["se_share_after_detection"] > f["se_share_after_both"]
    assert f["se_share_after_both_low"] <= f["se_share_after_both"] <= f["se_share_after_both_high"]
    # feedback: the gap never shrinks and the path approaches the fixed point
    assert 0 < f["feedback_gap_first"] <= f["feedback_gap_last"]
    assert f["feedback_detected_last"] <= f["feedback_fixed_point"] + 1e-9


@pytest.mark.notebook
def test_every_chart_says_scenario(smoke_run):
    out = Path(smoke_run(STEM)["_out_dir"]) / "figures"
    captions = sorted(out.glob("*.txt"))
    assert len(captions) == 6
    for cap in captions:
        assert "scenario" in cap.read_text(encoding="utf-8").lower(), cap.name
