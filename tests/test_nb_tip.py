"""The two TIP notebooks, run through the runner with the smoke set (tests/conftest.py smoke_run)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.notebook


def test_tiers_notebook_fixed_panel_differs_where_coverage_grew(smoke_run):
    f = smoke_run("31-tip-tiers")["findings"]
    # Kelley & Heiss coded file: 79 rated countries in 2001, 141 in 2005
    assert f["rated_2001"] == 79 and f["rated_2005"] == 141
    # Tier 1 share 2001: 11/79 = 13.9% of all rated; the panel view differs visibly by 2005
    assert f["tier1_share_all_2001"] == pytest.approx(11 / 79, abs=1e-4)
    assert f["tier1_change_panel_2001_2005_pp"] - f["tier1_change_all_2001_2005_pp"] > 3
    assert f["max_gap_pp_2001_2005"] > 3
    assert f["partial_years"] == [2016, 2017, 2018, 2019, 2020, 2021, 2022, 2024, 2025]
    # 2021 and 2025 hold unverified placements (one third-party list): out of the established views
    assert set(f["complete_years"]) >= {2001, 2015, 2023} and not {2021, 2025} & set(f["complete_years"])
    # so the last established Tier 3 share is 2023's: 24 of 185 rated (CIA World Factbook and gvnet lists)
    assert f["tier3_share_all_last"] == pytest.approx(24 / 185, abs=1e-4)
    assert 0 < f["share_changed_mean"] < 1
    assert f["highlight_status"]["MYS"]["2016"] in {"1", "2", "2WL", "3", "unknown (partial year)"}
    if f["model_fitted"]:
        assert f["model_n"] == f["unodc_n"] and f["model_n"] >= 60


def test_enforcement_notebook_keeps_gaps_and_flags(smoke_run):
    f = smoke_run("30-tip-law-enforcement")["findings"]
    # smoke years 2012-2023, filled from Kelley & Heiss by default: the typed table has no verified
    # 2014 figures and no verified 2015 prosecutions; 2015 victims are in neither source and stay missing
    assert f["fill_from_kh"] is True
    assert f["years_missing"] == {"prosecutions": [], "convictions": [], "victims_identified": [2015]}
    assert f["years_filled"] == {"prosecutions": [2014, 2015], "convictions": [2014], "victims_identified": [2014]}
    # data_figure3_2.csv, 2012-2015: 14 figures the typed table lacks (5 prosecutions/labour, 4
    # convictions/labour, 4 victims/labour, 1 legislation); of 17 figures both give, one differs
    assert f["filled_figures_n"] == 14 and (f["kh_compared"], f["kh_differ"]) == (17, 1)
    assert f["kh_disagreements"] == ["2015 prosecutions typed 19,127 (unverified) vs Kelley & Heiss 18,930"]
    # prosecutions 2014 -> 2015 from Kelley & Heiss: 18,930 / 10,051 - 1 = +88% (Human Rights First: +88%)
    assert "prosecutions 2015 +88% (uses a figure filled from Kelley & Heiss)" in f["flags"]
    assert f["flags_filled_n"] == 2 and f["convictions_per_prosecution_filled_years"] == [2014, 2015]
    # prosecutions 2017 -> 2018: 11,096 / 17,471 - 1 = -36.5% (both typed)
    assert "prosecutions 2018 -36%" in f["flags"]
    # funnel 2021: 90,354 identified / 27.6 million (GEMS 2022 forced labour) = 0.327%
    assert f["funnel_identified_share_of_estimate"] == pytest.approx(90354 / 27.6e6, rel=1e-3)
    assert f["funnel_estimate_label"] == "the GEMS 2022 estimate of people in forced labour"  # not "GEMS 2022 estimate"
    assert f["labour_share_latest"]["prosecutions"] == {"year": 2023, "share": pytest.approx(3684 / 18774, abs=1e-4)}


@pytest.mark.notebook
def test_enforcement_notebook_shows_the_stated_2015_rise(smoke_run):
    f = smoke_run("30-tip-law-enforcement")["findings"]
    assert "prosecutions 2015 +88% vs 2014 (secondary)" in f["stated_changes"]


@pytest.mark.notebook
def test_enforcement_notebook_without_filling_reads_the_typed_table_alone(tmp_path, mirror_dir):
    import json

    from critique.datasets import paths
    from critique.publish import runner

    _, smoke = runner.load_param_set(paths.params_dir() / "smoke.yml")
    params = {**smoke["30-tip-law-enforcement"], "fill_from_kh": False}
    runner.run_notebook(paths.notebooks_dir() / "30-tip-law-enforcement.ipynb", params, tmp_path / "30", timeout=600)
    f = json.loads((tmp_path / "30" / "findings.json").read_text(encoding="utf-8"))["findings"]
    # the typed table has no verified 2014 and 2015 prosecutions: gaps, and nothing filled
    assert f["years_missing"]["prosecutions"] == [2014, 2015]
    assert f["years_filled"] == {"prosecutions": [], "convictions": [], "victims_identified": []}
    assert f["flags_filled_n"] == 0 and "kh_compared" not in f
    assert not (tmp_path / "30" / "figures" / "tip-source-disagreements.png").exists()
