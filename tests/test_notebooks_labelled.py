"""Every briefing notebook, run with the smoke set, labels every figure: source, caveats, N, scenario."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from critique.publish import reports

STEMS = [nb.stem for nb in reports.analysis_notebooks()]


def test_there_is_a_notebook_for_each_topic():
    assert {"00-data-catalogue", "10-coverage-composition", "11-detection-bias", "20-raids-misidentification",
            "30-tip-law-enforcement", "31-tip-tiers", "40-multiple-systems-estimation",
            "50-policy-claims"} <= set(STEMS)


@pytest.mark.notebook
@pytest.mark.parametrize("stem", STEMS)
def test_every_figure_has_source_caveat_and_n(smoke_run, stem):
    found = smoke_run(stem)
    out = Path(found["_out_dir"])
    sidecars = sorted((out / "figures").glob("*.json"))
    assert sidecars, f"{stem} saved no figure"
    for sidecar in sidecars:
        cap = json.loads(sidecar.read_text())
        text = (out / "figures" / f"{cap['name']}.txt").read_text()
        assert "\nSource: " in text and len(cap["source"]) > 10, f"{stem}/{cap['name']}: no source line"
        assert "\nCaveat: " in text, f"{stem}/{cap['name']}: no caveat"
        assert "\nN: " in text, f"{stem}/{cap['name']}: no N line"
        for ext in ("png", "svg"):
            assert (out / "figures" / f"{cap['name']}.{ext}").stat().st_size > 1000
        if cap["scenario"]:
            assert "scenario" in text.lower()
    assert found["inputs"], f"{stem} recorded no input dataset"
    assert found["findings"], f"{stem} recorded no finding"
    page = (out / f"{stem}.html").read_text()
    assert "charts.finalise(" not in page and "from critique import" not in page, "code cells must not show"


@pytest.mark.notebook
def test_raids_notebook_charts_are_scenarios(smoke_run):
    out = Path(smoke_run("20-raids-misidentification")["_out_dir"])
    caps = [json.loads(p.read_text()) for p in (out / "figures").glob("*.json")]
    scenario = [c for c in caps if c["scenario"]]
    assert len(scenario) >= len(caps) - 1, "every modelled chart of the raids notebook is a scenario"
