"""notebooks/60-claims run with the smoke set: findings are the notebook's interface."""
from __future__ import annotations

import pytest

from critique import claims

pytestmark = pytest.mark.notebook

STEM = "60-claims"


@pytest.fixture(scope="module")
def run(smoke_run):
    return smoke_run(STEM)["findings"]


def test_every_check_recorded_with_a_verdict_from_the_vocabulary(run):
    assert run["n_checks"] == len(claims.CHECK_IDS)
    assert run["n_contradict"] + run["n_not_supported"] + run["n_cannot_test"] + run["n_consistent"] == run["n_checks"]
    for test_id in claims.CHECK_IDS:
        c = run[f"check.{test_id}"]
        assert c["verdict"] in claims.VERDICTS
        assert c["reason"] and "\n" not in c["reason"]
        assert run[f"verdict_{test_id.replace('-', '_')}"] == c["verdict"]


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
