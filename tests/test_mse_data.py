"""The list-overlap tables added for issue 12, checked against the authors' package data."""
from __future__ import annotations

import pandas as pd
import pytest

import critique.methods.mse as mse
from critique import datasets
from critique.datasets import published


@pytest.fixture(autouse=True)
def _output_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path / "out"))


@pytest.mark.parametrize("table_id, total, lists", [
    ("mse-korea", 123, ["b", "c", "d"]),
    ("mse-kosovo", 4400, ["EXH", "ABA", "OSCE", "HRW"]),
    ("mse-new-orleans-5-2024", 186, ["A", "BEFG", "C", "D", "H"]),
])
def test_new_tables_load_with_citations(table_id, total, lists):
    frame = datasets.load(table_id)
    meta = published.meta(table_id)
    assert int(frame["count"].sum()) == total == meta["observed_total"]  # SOURCES.md totals
    assert meta["lists"] == lists and set(meta["list_labels"]) == set(lists)
    assert frame["citation"].str.len().min() > 40
    assert (frame["verification"] == "secondary").all()


def test_korea_has_one_zero_history():
    t = mse.CaptureTable.from_dataset("mse-korea")
    assert (t.counts == 0).sum() == 1 and t.counts[t.cell(["c", "d"])] == 0


def test_new_orleans_versions_differ_in_one_cell():
    old = mse.CaptureTable.from_dataset("mse-new-orleans-5")
    new = mse.CaptureTable.from_dataset("mse-new-orleans-5-2024")
    diff = new.counts - old.counts
    assert diff.sum() == 1 and diff[new.cell(["C", "D"])] == 1
    assert old.counts[old.cell(["C", "D"])] == 1 and new.counts[new.cell(["C", "D"])] == 2


def test_new_orleans_2024_bic_matches_the_2024_paper():
    # Silverman, Chan & Vincent (2024), Table 6: BIC estimate 981 on the package's NewOrl_5.
    res = mse.run(mse.CaptureTable.from_dataset("mse-new-orleans-5-2024"), intervals=False)
    assert round(res.total) == 981


def test_new_orleans_eight_list_stepwise_matches_r():
    # R estimate_population_stepwise on the 2020 eight-list table: 1,183.7 (issue 12).
    s = mse.stepwise(mse.CaptureTable.from_dataset("mse-new-orleans"))
    assert s.best.total == pytest.approx(1_183.7, abs=0.05)
