"""The US TIP report's global law-enforcement figures, read critically.

Input is the published table ``tip-law-enforcement`` (one row per data year and verification status;
each figure sits in exactly one row, so every cell keeps its own citation and status). The State
Department itself calls these figures "estimates only, given the lack of uniformity in national
reporting structures" (TIP Report 2015, p. 48). Everything here keeps that visible:

- :func:`cells` turns the table into one row per figure with its verification; unverified figures
  are left out unless asked for, and then carry ``verification == "unverified"``;
- missing years stay missing (rows of NaN in :func:`series`), never interpolated, and year-on-year
  changes are only computed between consecutive data years (:func:`yoy_flags`);
- a derived number (a ratio, a share) carries the weakest status of its inputs;
- an explanation of a jump (``jump_note``) is attached only to the measures the table names in
  ``jump_measures`` (:func:`jump_notes`), never guessed from the note's wording;
- changes that a source states directly (table ``tip-law-enforcement-changes``, e.g. Human Rights
  First on the TIP 2016 report: prosecutions +88%, convictions +49%, victims identified +75% in 2015
  on 2014) are read by :func:`stated_changes` and set beside the computed flags by
  :func:`flags_with_stated`, so a stated jump is shown with its source even where the levels it
  compares are missing or unverified;
- a table may carry an ``origin`` column (``critique.methods.tip.sources.filled_table``: years the typed
  table lacks filled from Kelley & Heiss's tabulation); every series, change, ratio and share then
  says which tabulation its inputs come from (``*_origin``, and :func:`filled` for a yes/no).
  Without the column every figure is from the typed table.

Modules: ``totals`` (the global table read figure by figure: series, changes, ratios, shares, funnel)
and ``analysis`` (notebook 30's analysis in one call, :func:`analyse`); a country's UNODC figures
beside its tier are in :mod:`critique.methods.tip.country` (also importable from here).
"""
from __future__ import annotations

from critique.methods.tip.enforcement.totals import (  # noqa: F401
    ALL_MEASURES,
    CHANGES_TABLE_ID,
    LABOUR,
    MEASURES,
    STATED_COLUMNS,
    STATE_CAVEAT,
    STATE_CAVEAT_CITATION,
    TABLE_ID,
    cells,
    combined_origin,
    filled,
    flags_with_stated,
    funnel,
    identified_share,
    jump_notes,
    labour_shares,
    ratios,
    series,
    stated_changes,
    weakest,
    yoy_flags,
)
from critique.methods.tip.enforcement.analysis import EnforcementAnalysis, analyse  # noqa: E402
from critique.methods.tip.country import country_enforcement_view  # noqa: E402

__all__ = [
    "ALL_MEASURES",
    "CHANGES_TABLE_ID",
    "LABOUR",
    "MEASURES",
    "STATED_COLUMNS",
    "STATE_CAVEAT",
    "STATE_CAVEAT_CITATION",
    "TABLE_ID",
    "cells",
    "combined_origin",
    "filled",
    "flags_with_stated",
    "funnel",
    "identified_share",
    "jump_notes",
    "labour_shares",
    "ratios",
    "series",
    "stated_changes",
    "weakest",
    "yoy_flags",
    "EnforcementAnalysis",
    "analyse",
    "country_enforcement_view",
]
