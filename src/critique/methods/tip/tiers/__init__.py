"""US TIP report tier placements, read critically: shares, fixed panels, transitions, volatility.

Two sources are merged by :func:`load_tiers`:

- ``tip-tiers``: report years 2001-2015 as coded by Kelley & Heiss (Kelley 2017, *Scorecard
  Diplomacy*; data ``map_tiers.csv``). Every report is coded in full (complete years), but the United
  States (rated by the report from 2010) is not in the file and special cases (e.g. Somalia) are coded
  as not rated.
- ``tip-tiers-2016-2025``: a hand transcription of report years 2016-2025 (``data/published``), complete
  for 2021, 2023 and 2025 only. In a partial year a country that is not listed is *unknown*, not
  Tier 2; :data:`PARTIAL` decides what every function does with such a year, and no function
  computes a share for a partial year as if it were complete.

Why fixed panels: the number of rated countries grew from 79 (2001 in the coded file) to 186 (2015)
and 185 (2021, 2023), and the countries added later were placed differently from the first ones, so
shares over all rated countries mix entry with change. :func:`fixed_panel` and :func:`distribution`
compare all-rated shares with a panel of countries rated in every complete year.

Tier order used throughout (best to worst): ``1 < 2 < 2WL < 3`` (Tier 2 Watch List, first placed in
the 2004 report in the coded data).

Modules: ``placements`` (loading and merging the two sources, complete years, one country),
``shares`` (distributions, fixed panels, transitions, volatility), ``reporting`` (tier against UNODC
reporting, the ordered logit) and ``analysis`` (notebook 31's analysis in one call, :func:`analyse`);
every public name is importable from ``critique.methods.tip.tiers``.
"""
from __future__ import annotations

from critique.methods.tip.tiers.placements import (
    COVERAGE_ID,
    EARLY_ID,
    LATE_ID,
    PARTIAL_HELP,
    TIER_DTYPE,
    TIER_ORDER,
    IncompleteYearError,
    Partial,
    complete_years,
    country_tiers,
    load_tiers,
    merge_tiers,
    year_coverage,
)
from critique.methods.tip.tiers.shares import (
    distribution,
    fixed_panel,
    panel_gap,
    share_table,
    transition_matrix,
    volatility,
)
from critique.methods.tip.tiers.reporting import (
    TierModelResult,
    fit_tier_model,
    reporting_by_tier,
    tier_vs_reporting,
    unodc_reporting,
)
from critique.methods.tip.tiers.analysis import TierAnalysis, analyse  # noqa: E402

__all__ = [
    "COVERAGE_ID",
    "EARLY_ID",
    "LATE_ID",
    "PARTIAL_HELP",
    "TIER_DTYPE",
    "TIER_ORDER",
    "IncompleteYearError",
    "Partial",
    "complete_years",
    "country_tiers",
    "load_tiers",
    "merge_tiers",
    "year_coverage",
    "distribution",
    "fixed_panel",
    "panel_gap",
    "share_table",
    "transition_matrix",
    "volatility",
    "TierModelResult",
    "fit_tier_model",
    "reporting_by_tier",
    "tier_vs_reporting",
    "unodc_reporting",
    "TierAnalysis",
    "analyse",
]
