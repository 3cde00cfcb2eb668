"""The captions of notebook 50's charts (title, description, caveats, N, datasets, data): keywords of
``critique.figures.charts.finalise``, built from the result object so that the notebook holds no
sentence and every number in a caption is the result's own.
"""
from __future__ import annotations

from typing import Any

from critique.core.i18n import N_, _

DETECTION_CAVEAT = N_("Counts reflect detection and reporting (policing, funding, recording) as well as prevalence: "
                    "a break after a law can measure a change in enforcement as much as in trafficking.")
GAPS = N_('Cells published as "<5" are gaps here, not counts.')
GAPS_ITS = N_('Cells published as "<5" are gaps, not counts.')
GLOTIP = ["glotip", "policy-changes"]


def chart_caption(result: Any, name: str, pid: str | None = None) -> dict[str, Any]:
    """The ``charts.finalise`` keywords of chart ``name`` of a ``PolicyAnalysis`` (``pid``: the policy of an
    ``its`` chart). Raises KeyError naming an unknown chart."""
    s = result.settings
    if name == "policy-data-availability":
        a = result.availability
        return dict(title=_("Which policy changes have UNODC data on both sides?"),
                    description=_("For each selected policy change, the years with a published UNODC '{indicator}' total "
                                  "({start}-{end}) before (grey) and after (blue) the first post year, and whether a fit "
                                  "was possible with at least {min_points} years on each side.", indicator=_(s.indicator),
                                  start=s.year_start, end=s.year_end, min_points=s.min_points),
                    datasets=GLOTIP, caveat=[_(DETECTION_CAVEAT), _(GAPS)],
                    n=_("{n} policy changes", n=len(a)),
                    data=a[["policy_id", "first_post_year", "years_before", "years_after", "span", "status"]])
    if name == "its":
        rec, panels = result.policy(pid), result.its_panels(pid)
        return dict(title=_("{country}: detected victims around the {year} change", country=rec.country,
                            year=rec.year_in_force),
                    description=_("UNODC '{indicator}' for {country}, total and by form, {start}-{end}, with a {model} "
                                  "segmented regression at first post year {post} (rule '{rule}') and the pre-period trend "
                                  "projected after it. One specification of many (section 3).", indicator=_(s.indicator),
                                  country=rec.country, start=s.year_start, end=s.year_end, model=s.model,
                                  post=rec.first_post_year, rule=s.post_rule),
                    datasets=GLOTIP, caveat=[_(DETECTION_CAVEAT), _(GAPS_ITS)],
                    n=_("{n} country-years in {series} series", n=sum(len(x.data) for _name, x in panels),
                        series=len(panels)), data=result.its_data(pid))
    if name == "placebo-distributions":
        return dict(title=_("Where the real level change falls among placebo estimates"),
                    description=_("For each fitted country total: the level change at every other admissible year (left) "
                                 "and in countries not listed in the policy table at the same year (right); red: the real "
                                  "estimate. A p-value cannot go below 1/(number of placebos + 1)."),
                    datasets=GLOTIP, caveat=_(DETECTION_CAVEAT),
                    n=_("{n} fitted country totals", n=len(result.fitted_ids)),
                    data=result.placebo_data)
    if name == "specification-ranges":
        return dict(title=_("The same law, many defensible answers: level change by specification"),
                    description=_("For each fitted country total: the level change at the first post year and its "
                                  "interval under every combination of pre-period start, recording-break handling, 2020 "
                                  "indicator and model family, sorted by estimate; refused specifications (fewer than "
                                  "{min_df} residual degrees of freedom) are counted in each panel's title.",
                                  min_df=s.min_resid_df),
                    datasets=GLOTIP,
                    caveat=[_(DETECTION_CAVEAT), _("A possible recording break is a pre-period change by a factor of "
                                                   "{ratio:g} or more; the threshold is a convention.", ratio=s.break_ratio)],
                    n=_("{n} specifications of {series} series", n=len(result.range_data), series=len(result.ranges)),
                    data=result.range_data)
    if name == "comparison-placebos":
        return dict(title=_("Estimates with comparison countries, and the same estimate for each of them"),
                    description=_("For each fitted country total and design: the estimate with countries not listed in the "
                                 "policy table (red), and the same estimate with each comparison country treated in turn as "
                                 "if it had made the change (grey); the placebo interval and rank in each title."),
                    datasets=GLOTIP,
                    caveat=[_(DETECTION_CAVEAT), _("Comparison countries differ from the treated one in size and "
                                                   "recording; small countries' noisier series widen the placebo interval.")],
                    n=_("{n} estimates, up to {units} comparison countries", n=len(result.comparison_results),
                        units=result.max_comparison_units), data=result.comparison_data)
    if name == "fbi-ucr-fosta":
        return dict(title=_("FBI UCR human-trafficking offences around FOSTA-SESTA (April 2018)"),
                    description=_("Commercial sex acts and involuntary servitude offences recorded by US agencies, "
                                  "{start}-2020: all agencies and a fixed panel of {panel} agencies with a record every "
                                  "year {panel_start}-2020; the number of agencies with at least one record, and offences "
                                  "per such agency. Red line: between 2017 and 2018 (FOSTA took effect in April 2018, so "
                                  "2018 is only partly after it).", start=s.ucr_year_start, panel=len(result.ucr["panel"]),
                                  panel_start=s.ucr_panel_start),
                    datasets=["fbi-ucr-ht", "policy-changes"],
                    caveat=[_(DETECTION_CAVEAT), _("The file lists only agencies with at least one recorded offence: "
                                                   "the agency count is not reporting coverage.")],
                    n=_("{n} agencies, {years} years", n=result.ucr["agencies"], years=2020 - s.ucr_year_start + 1),
                    data=result.ucr_chart_data)
    raise KeyError(f"policy.chart_caption: no chart {name!r}")
