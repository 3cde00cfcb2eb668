"""Small-cell suppression for aggregates of case-level data (CTDC) before anything is shown.

CTDC publishes k-anonymised case records and asks users not to re-identify anyone (CTDC terms of
use); the suite's rule (CONTRIBUTING.md) is that only aggregates leave it, with cells under 10
suppressed. Primary suppression blanks small counts; with ``group_by``, complementary suppression
also blanks the next-smallest cell of any group that would otherwise have exactly one blanked
cell, because a shown group total would give that cell back by subtraction (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, ch. 4: primary and secondary cell suppression).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

DEFAULT_THRESHOLD = 10


def suppressed_column(count_col: str) -> str:
    """Name of the flag column that :func:`suppress_small` adds for ``count_col``."""
    return f"{count_col}_suppressed"


def suppress_small(frame: pd.DataFrame, count_col: str, threshold: int = DEFAULT_THRESHOLD, *,
                   group_by: Sequence[str] | None = None, keep_zeros: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` with counts below ``threshold`` blanked and flagged.

    ``count_col`` becomes nullable ``Int64`` (missing where suppressed) and a boolean column
    ``<count_col>_suppressed`` is added; ``attrs["suppressed_cells"]`` counts the blanked cells.
    A zero is suppressed too unless ``keep_zeros`` (a zero names nobody, but the rule is "under
    10"). With ``group_by``, complementary suppression is applied within each group (module
    docstring). A missing count stays missing and is not flagged.
    """
    if count_col not in frame.columns:
        raise KeyError(f"suppress_small: column '{count_col}' not in frame (columns: {', '.join(map(str, frame.columns))})")
    if threshold < 1:
        raise ValueError(f"suppress_small: threshold={threshold}; expected a positive count such as 10")
    counts = pd.to_numeric(frame[count_col], errors="raise")
    if (counts.dropna() < 0).any():
        raise ValueError(f"suppress_small: column '{count_col}' holds negative counts")
    small = counts.lt(threshold).fillna(False)
    if keep_zeros:
        small &= ~counts.eq(0).fillna(False)
    if group_by:
        small = _complementary(counts, small, frame, list(group_by), keep_zeros)
    out = frame.copy()
    out[count_col] = counts.astype("Float64").round().astype("Int64").mask(small)
    out[suppressed_column(count_col)] = small.astype(bool).to_numpy()
    out.attrs = {**frame.attrs, "suppressed_cells": int(small.sum()), "suppression_threshold": threshold}
    return out


def _complementary(counts: pd.Series, small: pd.Series, frame: pd.DataFrame, group_by: list[str],
                   keep_zeros: bool) -> pd.Series:
    """Add the smallest shown cell of every group that has exactly one suppressed cell."""
    small = small.copy()
    keys = group_by[0] if len(group_by) == 1 else group_by  # a scalar key: pandas 4 changes list keys
    for index in frame.groupby(keys, dropna=False, sort=False).groups.values():
        in_group = small.loc[index]
        if int(in_group.sum()) != 1:
            continue
        shown = counts.loc[index][~in_group].dropna()
        if keep_zeros:
            shown = shown[shown != 0]
        if len(shown):
            small.loc[shown.idxmin()] = True
    return small
