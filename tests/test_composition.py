"""Where the global estimates get their composition: sensitivity rules against hand computations."""
from __future__ import annotations

import pandas as pd
import pytest

from critique import datasets
from critique.core.errors import DataError
from critique.methods.detection import composition as comp


def test_total_at_share_hand_computed():
    # GEMS 2022 (millions): total 49.6, CSE 6.3, forced labour exploitation 17.3; share 56%:
    # CSE = 17.3 * 0.56 / 0.44 = 22.018..., total = 49.6 - 6.3 + 22.018 = 65.318
    cse, total = comp.total_at_share(49.6, 6.3, 17.3, 0.56)
    assert cse == pytest.approx(17.3 * 0.56 / 0.44)
    assert total == pytest.approx(65.318, abs=1e-3)
    # at the published share the published total comes back
    cse0, total0 = comp.total_at_share(49.6, 6.3, 17.3, 6.3 / 23.6)
    assert (cse0, total0) == (pytest.approx(6.3), pytest.approx(49.6))


@pytest.mark.parametrize("share", [-0.1, 1.0])
def test_total_at_share_refuses_shares_outside(share):
    with pytest.raises(DataError, match="share"):
        comp.total_at_share(49.6, 6.3, 17.3, share)


def test_reading_reproduces_or_not_around_the_tolerance():
    ok = comp.reading(27, 26.7, 56, 65.3, 65.3 + comp.TOLERANCE_M - 1e-9, 17.3, 49.6)
    no = comp.reading(27, 26.7, 56, 65.3, 65.3 + comp.TOLERANCE_M + 1e-3, 17.3, 49.6)
    assert "the re-analysis's stated 65.3 million" in ok and "changes more than the sexual share" not in ok
    assert "changes more than the sexual share" in no
    # a matching total is consistency, not proof of the paper's method (which was not read)
    assert "consistent with a change of composition alone (the paper, not read here" in ok
    assert "consistent with a change of composition alone" not in no


def test_reading_base_share_denominator_both_sides():
    same = comp.reading(27, 27 - comp.SHARE_TOLERANCE_PP, 56, 65.3, 65.3, 17.3, 49.6)
    other = comp.reading(27, 27 - comp.SHARE_TOLERANCE_PP - 0.01, 56, 65.3, 65.3, 17.3, 49.6)
    assert "share of privately imposed forced labour in the 2022 estimate" in same
    assert "another denominator" in other


def test_analyse_against_the_stated_reanalysis():
    """Walby & Francis state 49.6 -> 65.3 million and 27% -> 56%: the reconstruction agrees to 0.05 million,
    and 27% is 6.3 / (6.3 + 17.3) = 26.7% rounded."""
    r = comp.analyse(datasets.load("global-estimates"), datasets.load("global-estimates-reanalyses"))
    f = r.findings()
    assert f["composition_base_share_computed_pct"] == pytest.approx(100 * 6.3 / 23.6, abs=0.01)
    assert round(f["composition_base_share_computed_pct"]) == 27
    assert f["composition_alt_total_reconstructed_m"] == pytest.approx(65.3, abs=comp.TOLERANCE_M)
    assert "stated 65.3 million" in r.sentence and "not the paper's stated method" in r.sentence
    assert r.table["grade"].tolist() == ["secondary", "secondary", "derived here"]
    assert "the re-analysis's secondary" in r.sentence


def test_analyse_names_a_missing_row():
    with pytest.raises(DataError, match="GEMS 2099"):
        comp.analyse(datasets.load("global-estimates"), datasets.load("global-estimates-reanalyses"), edition="GEMS 2099")
