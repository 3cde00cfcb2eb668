"""Notebook 32 (an alternative to the tiers), run through the runner with the smoke set."""
from __future__ import annotations

import math

import pytest

from critique.publish import runner
from critique.core.errors import ParameterError
from critique.datasets.paths import notebooks_dir

NB = "32-alternative-to-the-tiers"


@pytest.mark.notebook
def test_scorecards_notebook_records_intervals_and_composite_fragility(smoke_run):
    f = smoke_run(NB)["findings"]
    assert f["left_out"] == {} and f["editions"]["tip_tier"] == 2023 and f["editions"]["gsi_response"] == 2023
    assert f["rho_tip_gsi_lo"] < f["rho_tip_gsi"] < f["rho_tip_gsi_hi"]
    assert f["rho_tip_gsi_n"] == 173  # countries with a 2023 tier and a GSI response total
    assert f["rho_tip_3p_n"] == 181 and f["year_3p"] == 2013
    assert f["rights_n_indicators"] == 19
    # GSI response (176) and GI-TOC victim support cover 173 countries together (TWN, XKX, HKG are not UN members)
    assert f["composite_n"] == 173
    assert not math.isnan(f["composite_median_width"])


@pytest.mark.notebook
def test_every_key_finding_sentence_fills_from_findings(smoke_run):
    import yaml

    f = smoke_run(NB)["findings"]
    entries = yaml.safe_load((notebooks_dir() / "key_findings" / f"{NB}.yml").read_text())
    assert len(entries) == 5
    for e in entries:
        assert e["sentence"].format(**f)  # a missing key raises KeyError


@pytest.mark.parametrize("weights, message", [
    ([], "empty or sums to zero"),
    ([0.0, 0.0, 0.0], "empty or sums to zero"),
    ([1.0, -1.0, 1.0], "element 1 .*out of range"),
])
def test_bad_weights_are_refused_before_any_cell_runs(weights, message):
    with pytest.raises(ParameterError, match=message):
        runner.validate_parameters(notebooks_dir() / f"{NB}.ipynb", {"weights": weights})
