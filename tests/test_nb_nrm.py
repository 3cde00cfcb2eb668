"""Notebook 21-who-counts (issue 23), run through the runner with the smoke set."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from critique import datasets
from critique.datasets import paths
from critique.publish import keyfindings, runner

STEM = "21-who-counts"
NOTEBOOK = paths.notebooks_dir() / f"{STEM}.ipynb"


def test_every_parameter_declares_what_it_allows():
    specs = runner.notebook_parameters(NOTEBOOK)
    for spec in specs.values():
        if spec.type_name in ("int", "float"):
            assert spec.low is not None and spec.high is not None, spec.name
        elif spec.type_name == "str" and spec.name != "edition":
            assert spec.choices, spec.name
        elif spec.type_name == "list":
            assert spec.choices, spec.name


@pytest.mark.parametrize("name, value", [("dip_quarter", 5), ("test_year", 2014), ("compare", ["army"]),
                                         ("form", "Organ"), ("threshold", 2), ("level", 1.0),
                                         ("interval_reading", "sample")])
def test_runner_refuses_values_outside_the_declared_range(name, value):
    with pytest.raises(runner.ParameterError, match=name):
        runner.validate_parameters(NOTEBOOK, {name: value})


def _csv_quarter_totals(mirror_dir: Path) -> dict[str, int]:
    totals: dict[str, int] = {}
    with open(mirror_dir / "nrm_referrals_longitudinal.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Location of exploitation"] == "Total":
                key = row["Year"] + "Q" + row["Quarter"][-1]
                totals[key] = totals.get(key, 0) + int(row["NRM referrals"])
    return totals


@pytest.mark.notebook
def test_smoke_run_findings_agree_with_the_raw_files_and_the_home_office(smoke_run, mirror_dir):
    data = smoke_run(STEM)
    f = data["findings"]
    ids = {i["id"] for i in data["inputs"]}
    assert {"nrm-referrals", "nrm-reasonable-grounds", "nrm-first-responders", "nrm-police", "nrm-ngo",
            "nrm-published-totals"} <= ids
    totals = _csv_quarter_totals(mirror_dir)
    assert (f["dip_before"], f["dip_after"]) == (totals["2020Q1"], totals["2020Q2"]) == (2857, 2198)
    assert f["dip_pct"] == pytest.approx(100 * (2198 - 2857) / 2857)
    assert f["annual_in_release"] == 17004  # end-of-year summary 2023, 7 March 2024
    assert (f["restated_first"], f["restated_last"]) == (17004, 16990)  # and its restatement, 6 March 2025
    assert f["rg_adult_after"] == pytest.approx(3364 / 8126)  # the 2023 year row of the decisions table
    assert f["rg_adult_before_low"] == pytest.approx(min(
        pos / tot for pos, tot in ((1495, 1705), (1944, 2215), (2043, 2427), (2378, 2873), (3163, 3739),
                                   (5133, 5663), (4601, 5086), (5657, 6349), (7666, 8759))))
    # pooled odds ratio recomputed from the chart's own data with the Mantel-Haenszel formula
    shares = pd.read_csv(Path(data["_out_dir"]) / "figures" / "nrm-form-share.csv")
    num = den = 0.0
    for _, g in shares.groupby("quarter"):
        ngo, police = g.set_index("responder_type").loc["ngo"], g.set_index("responder_type").loc["police"]
        n = ngo["potential_victims"] + police["potential_victims"]
        a, b = ngo["with_form"], ngo["potential_victims"] - ngo["with_form"]
        c, d = police["with_form"], police["potential_victims"] - police["with_form"]
        num, den = num + a * d / n, den + b * c / n
    assert f["pooled_odds_ratio"] == pytest.approx(num / den)
    assert f["share_quarters"] == ["2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4"]


@pytest.mark.notebook
def test_key_findings_render_and_nothing_calls_a_referral_a_victim(smoke_run):
    data = smoke_run(STEM)
    out = Path(data["_out_dir"])
    figures = {json.loads(p.read_text())["name"]: json.loads(p.read_text()) for p in (out / "figures").glob("*.json")}
    rendered = keyfindings.for_notebook(STEM, data["findings"], figures)
    assert rendered.errors == [] and len(rendered.findings) == 4
    assert rendered.findings[0].sentence.startswith(
        "UK referrals of potential victims to the National Referral Mechanism fell 23% from 2,857 in 2020Q1 to 2,198 in 2020Q2")
    assert "not why the number moved" in rendered.findings[0].sentence
    # the Home Office's own "likely", quoted from the publisher-caveats table, never "the test's effect"
    decisions = rendered.findings[1].sentence
    caveats = datasets.load("publisher-caveats").set_index("caveat_id")
    assert f'"{caveats.loc["ho-nrm-rg-test", "quote"]}"' in decisions and "effect" not in decisions
    # the interval is worded as referral-process variation (the smoke set reads it so), not as sampling error
    assert data["findings"]["interval_reading"] == "process"
    assert "read as chance variation of the referral process, not sampling error" in rendered.findings[2].sentence
    assert "of the referrals made by NGOs" in rendered.findings[2].sentence and "people" not in rendered.findings[2].sentence
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in (out / "figures").glob("*.txt")]
    texts += [("key finding", k.sentence) for k in rendered.findings]
    page = (out / f"{STEM}.html").read_text(encoding="utf-8")
    texts.append(("page", re.sub(r"<[^>]+>", " ", page)))
    for name, text in texts:
        bare = re.findall(r"(?<!potential )(?<!confirmed )\bvictims?\b", text.lower())
        assert not bare, f"{name}: 'victim(s)' without 'potential': {bare[:3]}"
