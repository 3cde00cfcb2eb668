"""notebooks/60-claims run with the smoke set: findings are the notebook's interface."""
from __future__ import annotations

import pytest

from critique.methods import claims

pytestmark = pytest.mark.notebook

STEM = "60-claims"


@pytest.fixture(scope="module")
def run(smoke_run):
    return smoke_run(STEM)["findings"]


def test_every_check_recorded_with_a_verdict_from_the_vocabulary(run):
    from critique import datasets

    register = datasets.load("claims")
    declared = sorted(register.loc[register["tests"].astype(str).str.strip() == "untestable", "claim_id"])
    assert declared, "the register declares claims no count can test (issue 23 item 5)"
    assert run["n_checks"] == len(claims.CHECK_IDS) + len(declared)
    for claim_id in declared:  # a declared row is a check of its own, 'cannot test', its note the reason
        c = run[f"check.untestable.{claim_id}"]
        assert c["verdict"] == claims.VERDICTS[-1] and c["reason"]
    keys = ("n_contradict", "n_not_supported", "n_smaller", "n_partial", "n_larger", "n_consistent", "n_cannot_test")
    assert sum(run[k] for k in keys) == run["n_checks"]
    for test_id in claims.CHECK_IDS:
        c = run[f"check.{test_id}"]
        assert c["verdict"] in claims.VERDICTS
        assert c["reason"] and "\n" not in c["reason"]
        assert run[f"verdict_{test_id.replace('-', '_')}"] == c["shown"]
        assert c["shown"].startswith(c["verdict"])


def test_every_reason_names_what_it_read(run):
    release = run["glotip_release"]
    assert release.startswith("UNODC GLOTIP release ") and ", data to " in release
    for test_id in claims.CHECK_IDS:
        c = run[f"check.{test_id}"]
        assert c["read"] and all(r in c["reason"] for r in c["read"]), test_id
        if "glotip" in c["datasets"]:
            assert release in c["reason"], test_id


def test_not_supported_only_through_the_cap(run):
    # rule 4: "not supported by the data cited" is a capped "contradict", nothing else
    capped = [t for t in claims.CHECK_IDS if run[f"check.{t}"]["verdict"] == claims.NOT_SUPPORTED]
    assert run["n_not_supported"] == len(capped)
    assert all(run[f"check.{t}"]["capped"] for t in capped)


def test_unverified_inputs_never_contradict(run):
    for test_id in claims.CHECK_IDS:
        c = run[f"check.{test_id}"]
        if "unverified" in c["evidence"].values():
            assert c["verdict"] != claims.CONTRADICT


def test_key_numbers_recorded(run):
    # hand arithmetic on the cited figures: Stockholm 280 -> 180
    assert run["sweden_fall_pct"] == pytest.approx(100 * (1 - 180 / 280))
    assert run["spotlight_minors_ratio"] == pytest.approx(2025 / 175)
    assert run["covid_change_low"] <= run["covid_change_high"]
    # the +25% claim against the fixed panel (newest release in the smoke set): read by the rules,
    # never "not supported" for a larger change than claimed
    low, high = run["rise2022_panel_low"], run["rise2022_panel_high"]
    c = run["check.unodc-2019-2022-fixed-panel"]
    # the panel is part of the claim's (global) scope: the rules' word is what the part shows
    assert c["verdict"] == claims.PARTIAL
    assert c["on_part"] == claims.rules.compare(run["rise2022_claimed"], (low, high), tolerance=c["numbers"]["tolerance_pp"])
    assert c["on_part"] != claims.NOT_SUPPORTED


def test_key_findings_fill_from_the_run_and_name_saved_charts(smoke_run):
    from pathlib import Path

    import yaml

    data = smoke_run(STEM)
    entries = yaml.safe_load((Path(__file__).resolve().parents[1] / "notebooks" / "key_findings" / f"{STEM}.yml")
                             .read_text(encoding="utf-8"))
    assert len(entries) >= 5
    figures = Path(data["_out_dir"]) / "figures"
    for entry in entries:
        text = entry["sentence"].format(**data["findings"])  # every placeholder is a recorded key
        assert "{" not in text and text.strip()
        assert (figures / f"{entry['chart']}.png").is_file(), entry["chart"]
        assert entry["scenario"] is False
