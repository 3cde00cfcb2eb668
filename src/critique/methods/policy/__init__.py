"""Interrupted time series around policy changes: what a yearly count can and cannot say.

Counts that fell or rose after a law (client criminalisation, FOSTA-SESTA) are cited as evidence that
the law worked: e.g. Canada's Justice Minister cited Sweden's 2010 evaluation as showing reductions in
street prostitution "as well as the rate of human trafficking", while conceding "We may not have the
empirical data we would hope to have" (literature.md section 5.1 [V]). A detected-victim or
recorded-offence count reflects detection and reporting as well as prevalence, so a break in it may be a
break in enforcement or recording as much as in trafficking. This package gives the honest tools to look anyway,
and to say how little a short series can show. One module a job:

- :mod:`~critique.methods.policy.segmented`: segmented regression (level and slope change; quasi-Poisson,
  negative binomial, OLS on logs with Newey-West errors) and its result object;
  :mod:`~critique.methods.policy.design`: the design matrix, break and single-year indicators.
- :mod:`~critique.methods.policy.refusals`: when a fit is refused and why (points a side, residual degrees
  of freedom).
- :mod:`~critique.methods.policy.specification`: the estimate as a range over pre-period start,
  recording-break handling, the Covid year and the model family, with a reading rule.
- :mod:`~critique.methods.policy.comparison`: an estimate with comparison units (difference in differences
  and comparative ITS, PPML with fixed effects via pyfixest) and its placebo interval.
- :mod:`~critique.methods.policy.placebo`: placebo ranks in time and across units.
- :mod:`~critique.methods.policy.power`: minimum detectable effects (Bloom 1995).
- :mod:`~critique.methods.policy.series`: yearly series from UNODC and FBI data; policy timing.
- :mod:`~critique.methods.policy.analysis`: one series' fit, placebos and MDE together.
- :mod:`~critique.methods.policy.reading`: status rules and reading sentences (how many specifications
  exclude no change, and on which side), each tested on both sides of its boundary.
- :mod:`~critique.methods.policy.result`: notebook 50's whole analysis, :func:`analyse` ->
  :class:`PolicyAnalysis` (availability, results, ranges, comparisons, FBI series, reading, findings).

Every public name is importable from ``critique.methods.policy``.
"""
from __future__ import annotations

from critique.methods.policy import reading
from critique.methods.policy.analysis import SeriesAnalysis, analyse_series
from critique.methods.policy.comparison import (DESIGNS, ComparisonResult, comparison_panel,
                                        difference_in_differences)
from critique.methods.policy.design import BASE_TERMS, design_matrix, newey_west_lags, single_year, step
from critique.methods.policy.placebo import (PlaceboResult, admissible_years, placebo_across_units,
                                     placebo_in_time, rank_among, statistic_of)
from critique.methods.policy.power import design_mde, minimum_detectable_effect
from critique.methods.policy.refusals import MIN_RESID_DF, PolicyError, check_residual_df, check_sides
from critique.methods.policy.segmented import MODELS, Effect, ITSResult, segmented_regression
from critique.methods.policy.series import (SUPPRESSED_RULES, first_post_year, glotip_panel, glotip_series,
                                    policy_timing, ucr_fixed_panel, ucr_yearly, usable_rows)
from critique.methods.policy.result import (DETECTION_CAVEAT, US_POST, PolicyAnalysis, PolicySettings, analyse,
                                    reduce_glotip)
from critique.methods.policy.specification import (BREAK_RATIO, BREAK_RULES, COVID_RULES, COVID_YEAR,
                                           Specification, SpecificationRange, fit_specification,
                                           recording_breaks, specification_grid, specification_range)

__all__ = [
    "DETECTION_CAVEAT", "PolicyAnalysis", "PolicySettings", "US_POST", "analyse", "reading", "reduce_glotip",
    "BASE_TERMS", "BREAK_RATIO", "BREAK_RULES", "COVID_RULES", "COVID_YEAR", "DESIGNS", "MIN_RESID_DF",
    "MODELS", "SUPPRESSED_RULES", "ComparisonResult", "Effect", "ITSResult", "PlaceboResult",
    "PolicyError", "SeriesAnalysis", "Specification", "SpecificationRange", "admissible_years",
    "analyse_series", "check_residual_df", "check_sides", "comparison_panel", "design_matrix",
    "design_mde", "difference_in_differences", "first_post_year", "fit_specification",
    "glotip_panel", "glotip_series", "minimum_detectable_effect", "newey_west_lags",
    "placebo_across_units", "placebo_in_time", "policy_timing", "rank_among", "recording_breaks",
    "segmented_regression", "single_year", "specification_grid", "specification_range",
    "statistic_of", "step", "ucr_fixed_panel", "ucr_yearly", "usable_rows",
]
