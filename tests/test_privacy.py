"""Small-cell suppression: counts under the threshold blanked and flagged, totals cannot give them back."""
from __future__ import annotations

import pandas as pd
import pytest

from critique.datasets.privacy import suppress_small


def _frame() -> pd.DataFrame:
    return pd.DataFrame({"country": ["A", "A", "A", "B", "B", "C"],
                         "form": ["sex", "labour", "other", "sex", "labour", "sex"],
                         "n": [3, 50, 12, 40, 0, 9]})


def test_counts_below_ten_are_blanked_and_flagged():
    out = suppress_small(_frame(), "n")
    # 3, 0 and 9 are under 10; 50, 12, 40 are shown
    assert out["n"].isna().tolist() == [True, False, False, False, True, True]
    assert out["n_suppressed"].tolist() == [True, False, False, False, True, True]
    assert out.attrs["suppressed_cells"] == 3
    assert out["n"].dropna().tolist() == [50, 12, 40]
    assert _frame()["n"].tolist() == [3, 50, 12, 40, 0, 9]  # input untouched


def test_threshold_is_a_parameter_and_ten_itself_is_shown():
    f = pd.DataFrame({"n": [4, 5, 10, 11]})
    assert suppress_small(f, "n", threshold=5)["n_suppressed"].tolist() == [True, False, False, False]
    assert suppress_small(f, "n")["n_suppressed"].tolist() == [True, True, False, False]


def test_keep_zeros():
    out = suppress_small(_frame(), "n", keep_zeros=True)
    assert out.loc[4, "n"] == 0 and not out.loc[4, "n_suppressed"]


def test_complementary_suppression_protects_cells_against_group_totals():
    out = suppress_small(_frame(), "n", group_by=["country"])
    # A: only 3 is small, so the next smallest (12) goes too, else 65 - 50 - 12 = 3 is recoverable
    # B: 0 is small, so 40 goes too; C: its single cell 9 is already blanked
    assert out["n_suppressed"].tolist() == [True, False, True, True, True, True]
    assert out.attrs["suppressed_cells"] == 5


def test_missing_counts_stay_missing_and_are_not_flagged():
    out = suppress_small(pd.DataFrame({"n": [None, 20.0]}), "n")
    assert out["n"].isna().tolist() == [True, False] and out["n_suppressed"].tolist() == [False, False]


def test_bad_arguments_are_named():
    with pytest.raises(KeyError, match="'count'"):
        suppress_small(_frame(), "count")
    with pytest.raises(ValueError, match="negative"):
        suppress_small(pd.DataFrame({"n": [-1]}), "n")
    with pytest.raises(ValueError, match="threshold=0"):
        suppress_small(_frame(), "n", threshold=0)
