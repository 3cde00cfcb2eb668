"""The captions of notebook 50's charts (title, description, caveats, N, datasets, data): keywords of
``critique.figures.charts.finalise``, built from the result object so that the notebook holds no
sentence and every number in a caption is the result's own.
"""
from __future__ import annotations

from typing import Any

DETECTION_CAVEAT = ("Counts reflect detection and reporting (policing, funding, recording) as well as prevalence: "
                    "a break after a law can measure a change in enforcement as much as in trafficking.")
GAPS = 'Cells published as "<5" are gaps here, not counts.'
GAPS_ITS = 'Cells published as "<5" are gaps, not counts.'
GLOTIP = ["glotip", "policy-changes"]


def chart_caption(result: Any, name: str, pid: str | None = None) -> dict[str, Any]:
    """The ``charts.finalise`` keywords of chart ``name`` of a ``PolicyAnalysis`` (``pid``: the policy of an
    ``its`` chart). Raises KeyError naming an unknown chart."""
    s = result.settings
    if name == "policy-data-availability":
        a = result.availability
        return dict(title="Which policy changes have UNODC data on both sides?",
                    description=(f"For each selected policy change, the years with a published UNODC '{s.indicator}' total "
                                 f"({s.year_start}-{s.year_end}) before (grey) and after (blue) the first post year, and whether "
                                 f"a fit was possible with at least {s.min_points} years on each side."),
                    datasets=GLOTIP, caveat=[DETECTION_CAVEAT, GAPS], n=f"{len(a)} policy changes",
                    data=a[["policy_id", "first_post_year", "years_before", "years_after", "span", "status"]])
    if name == "its":
        rec, panels = result.policy(pid), result.its_panels(pid)
        return dict(title=f"{rec.country}: detected victims around the {rec.year_in_force} change",
                    description=(f"UNODC '{s.indicator}' for {rec.country}, total and by form, {s.year_start}-{s.year_end}, "
                                 f"with a {s.model} segmented regression at first post year {rec.first_post_year} (rule "
                                 f"'{s.post_rule}') and the pre-period trend projected after it. One specification of many "
                                 "(section 3)."),
                    datasets=GLOTIP, caveat=[DETECTION_CAVEAT, GAPS_ITS],
                    n=f"{sum(len(x.data) for _, x in panels)} country-years in {len(panels)} series", data=result.its_data(pid))
    if name == "placebo-distributions":
        return dict(title="Where the real level change falls among placebo estimates",
                    description=("For each fitted country total: the level change at every other admissible year (left) "
                                 "and in countries not listed in the policy table at the same year (right); red: the real "
                                 "estimate. A p-value cannot go below 1/(number of placebos + 1)."),
                    datasets=GLOTIP, caveat=DETECTION_CAVEAT, n=f"{len(result.fitted_ids)} fitted country totals",
                    data=result.placebo_data)
    if name == "specification-ranges":
        return dict(title="The same law, many defensible answers: level change by specification",
                    description=("For each fitted country total: the level change at the first post year and its interval "
                                 "under every combination of pre-period start, recording-break handling, 2020 indicator and "
                                 f"model family, sorted by estimate; refused specifications (fewer than {s.min_resid_df} "
                                 "residual degrees of freedom) are counted in each panel's title."),
                    datasets=GLOTIP,
                    caveat=[DETECTION_CAVEAT, f"A possible recording break is a pre-period change by a factor of "
                                              f"{s.break_ratio:g} or more; the threshold is a convention."],
                    n=f"{len(result.range_data)} specifications of {len(result.ranges)} series", data=result.range_data)
    if name == "comparison-placebos":
        return dict(title="Estimates with comparison countries, and the same estimate for each of them",
                    description=("For each fitted country total and design: the estimate with countries not listed in the "
                                 "policy table (red), and the same estimate with each comparison country treated in turn as "
                                 "if it had made the change (grey); the placebo interval and rank in each title."),
                    datasets=GLOTIP,
                    caveat=[DETECTION_CAVEAT, "Comparison countries differ from the treated one in size and recording; "
                                              "small countries' noisier series widen the placebo interval."],
                    n=(f"{len(result.comparison_results)} estimates, up to {result.max_comparison_units} "
                       "comparison countries"), data=result.comparison_data)
    if name == "fbi-ucr-fosta":
        return dict(title="FBI UCR human-trafficking offences around FOSTA-SESTA (April 2018)",
                    description=(f"Commercial sex acts and involuntary servitude offences recorded by US agencies, "
                                 f"{s.ucr_year_start}-2020: all agencies and a fixed panel of {len(result.ucr['panel'])} "
                                 f"agencies with a record every year {s.ucr_panel_start}-2020; the number of agencies with at "
                                 "least one record, and offences per such agency. Red line: between 2017 and 2018 (FOSTA took "
                                 "effect in April 2018, so 2018 is only partly after it)."),
                    datasets=["fbi-ucr-ht", "policy-changes"],
                    caveat=[DETECTION_CAVEAT, "The file lists only agencies with at least one recorded offence: the "
                                              "agency count is not reporting coverage."],
                    n=f"{result.ucr['agencies']} agencies, {2020 - s.ucr_year_start + 1} years", data=result.ucr_chart_data)
    raise KeyError(f"policy.chart_caption: no chart {name!r}")
