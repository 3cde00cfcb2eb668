"""The sentences and chart captions of notebook 20 (raids and misidentification): each a rule over
numbers, tested on both sides of its boundary in ``tests/test_misid.py``. Every sentence about a
result says "would": the results are scenarios."""
from __future__ import annotations

from typing import Any, Sequence

from critique.methods.misid.counts import AdjustedCount
from critique.core.i18n import _


# --------------------------------------------------------------------------------------------
# Reading rules (each a pure function of numbers, tested on both sides of its boundary)
# --------------------------------------------------------------------------------------------
def unverified_sentence(ids: Sequence[str]) -> str:
    """Which evidence rows are unverified (shown, never used as established), or that none is."""
    if not ids:
        return _("Every evidence row has been read in a primary or secondary source; none is unverified.")
    return _("Unverified rows (shown only as unverified, never used as established): {ids}.", ids=", ".join(ids))


def fixed_rate_choice(rate: float) -> str:
    """The choice text when the rate is a fixed number rather than built from the evidence."""
    return _("fixed false-positive rate {rate:g} (no evidence row)", rate=rate)


def rate_sentence(mean: float, low: float, high: float, level: float, choices: str, fixed: bool) -> str:
    """The raid false-positive rate used; a fixed rate has no interval and is said to be one."""
    if fixed:
        return _("Raid false-positive rate: {mean:.2f}, fixed by assumption (no interval). Choices: {choices}.",
                 mean=mean, choices=choices)
    return _("Raid false-positive rate: mean {mean:.2f}, {level:.0%} interval {low:.2f}-{high:.2f}. Choices: "
             "{choices}.", mean=mean, level=level, low=low, high=high, choices=choices)


def remaining_sentence(lead: str, r: AdjustedCount, extra: str = "") -> str:
    """What a count would become under the scenario (``would``: a scenario, not an estimate);
    ``lead`` states the published count."""
    return _("{lead}; under this scenario {point:,.0f} ({low:,.0f}-{high:,.0f}) would remain.", lead=lead,
             point=r.point, low=r.low, high=r.high) + f"{(' ' + extra) if extra else ''} {r.assumptions}"


def band_share_sentence(share: float) -> str:
    """How much of the sweep's range the sampling band covers, read by a fixed rule.

    Below one half the assumptions decide more than the sampling error does; from one half up the
    sentence says only what the band covers (the rule never claims more than the ratio shows)."""
    if share < 0.5:
        return _("The band from the studies' sampling error covers {share:.0%} of that range: the assumptions, not "
                 "the sampling error, decide the answer.", share=share)
    return _("The band from the studies' sampling error covers {share:.0%} of that range.", share=share)


def feedback_sentence(first: float, last: float, fixed_point: float, true_share: float, years: int) -> str:
    """The simulated drift; says "moves away" only when the last gap exceeds the first."""
    gap0, gap1 = first - true_share, last - true_share
    trend = (_("the gap to the true share widens") if abs(gap1) > abs(gap0) + 1e-12
             else _("the gap to the true share does not widen"))
    return _("Detected share {first:.0%} in year 0, {last:.0%} in year {years}; fixed point {fixed_point:.0%}; true "
             "share {true_share:.0%} throughout: {trend} in this model.", first=first, last=last, years=years,
             fixed_point=fixed_point, true_share=true_share, trend=trend)


def shares_sentence(iso3: str, year: int, release: str, detected: float, after_misid: float, after_detection: float,
                    after_both: float, low: float, high: float, sex_sector_raid_share: float,
                    relative_detection: float) -> str:
    """The detected sexual-exploitation share and what it would become under the scenario: only the
    detected share is a figure (named with its release); every adjusted share says "would"."""
    return _("{iso3} {year} ({release}): detected sexual-exploitation share {detected:.0%}. Under the scenario it "
             "would be {after_misid:.0%} after removing people assumed misidentified, {after_detection:.0%} after the "
             "assumed detection bias alone and {after_both:.0%} ({low:.0%}-{high:.0%}) after both. Assumed: "
             "sex-sector raid share {raid_share}, relative detection {relative_detection}.", iso3=iso3, year=year,
             release=release, detected=detected, after_misid=after_misid, after_detection=after_detection,
             after_both=after_both, low=low, high=high, raid_share=sex_sector_raid_share,
             relative_detection=relative_detection)


def feedback_title(first: float, last: float, true_share: float) -> str:
    """Chart title of the feedback simulation, by the rule of :func:`feedback_sentence`: "drifts away"
    only when the simulated gap to the true share widens; always said to be a simulation."""
    widens = abs(last - true_share) > abs(first - true_share) + 1e-12
    if widens:
        return _("In a simulated feedback loop, the detected sexual-exploitation share drifts away from an unchanged "
                 "true share")
    return _("In a simulated feedback loop, the detected sexual-exploitation share does not drift away from an "
             "unchanged true share")


def chart_caption(res: Any, name: str) -> dict[str, Any]:
    """Title, description, caveats, N, datasets, scenario flag and data of chart ``name``, as
    keyword arguments of ``critique.figures.charts.finalise``."""
    s = res.settings
    level = s.interval_level
    if name == "raid-evidence":
        return dict(
            title=_("What raid and identification studies counted, and what they measure"),
            description=_("Published proportions from the raid-outcomes evidence table. Red: the two measures "
                         "that can stand in for a false-positive rate (self-identified voluntary sex work; "
                         "screening outcome). Grey: other quantities (conviction ratio, venue prevalence, "
                         "arrest composition...), which are NOT false-positive rates. This is the evidence "
                         "behind the scenario parameters, not itself a scenario."),
            datasets=["raid-outcomes"], n=_("{n} rows with a numerator and denominator", n=len(res.rated)),
            data=res.rated[["id", "measures", "verification", "numerator", "denominator", "p", "lo", "hi"]])
    if name == "fpr-prior":
        return dict(
            title=_("Raid false-positive rate assumed from the evidence"),
            description=_("Beta distributions built from the evidence rows; {choices}.", choices=res.choices),
            datasets=["raid-outcomes"], scenario=True, n=_("{n} evidence rows", n=len(res.rows_used)),
            data=None if res.prior is None else res.prior.table)
    if name == "tip-victims-adjusted":
        return dict(
            title=_("TIP 'victims identified' and what would remain if raids misidentified people at the assumed rate"),
            description=_("Published worldwide 'victims identified' by data year and the scenario count with "
                          "raid_share={raid_share}, other_fpr={other_fpr}; {choices}.", raid_share=s.raid_share,
                          other_fpr=s.other_false_positive_rate, choices=res.choices),
            datasets=["tip-law-enforcement", "raid-outcomes"], scenario=True,
            caveat=[_("The share of identifications from raids and the raid false-positive rate are assumptions, "
                      "not measurements."),
                    _("The band carries only the sampling error of the studies behind the rate; the sweep (next "
                      "chart) shows how much the assumptions decide."),
                    _("The base includes labour-trafficking victims, whom sex-sector raids did not identify; the "
                      "sweep shows the count with them at face value.")],
            n=_("{n} data years", n=len(res.tip)), data=res.tip)
    if name == "raid-sweep":
        return dict(
            title=_("TIP 'victims identified' {year} over every raid share and false-positive rate", year=s.sweep_year),
            description=_("Remaining count for every raid share and raid false-positive rate from 0 to 1 (grey: all "
                          "raid shares; lines: selected raid shares), with labour-trafficking victims in the base "
                          "(left) or taken at face value (right). Red box: the band from the studies' sampling error "
                          "({level:.0%} interval of the rate, {choices}) at one assumed raid share, {raid_share:g} (a "
                          "proxy, not a measured share).", level=level, choices=res.choices, raid_share=s.raid_share),
            caveat=[_("Every cell is an assumption; the red box is the only part with a sampling interval, and it is "
                      "drawn at one assumed raid share."),
                    _("The rates come from one Indian state's self-reports and a US screening sample, applied to a "
                      "world total.")],
            datasets=["tip-law-enforcement", "raid-outcomes"], scenario=True,
            n=_("{n:,} grid cells, 1 data year", n=len(res.sweep.grid)), data=res.sweep.grid)
    if name == "se-share-adjusted":
        return dict(
            title=_("Sexual-exploitation share, {iso3} {year}, before and after the adjustments", iso3=s.country_iso3,
                    year=s.country_year),
            description=_("Detected share (UNODC) and the share under the scenario: sex-sector raid share "
                          "{raid_share}, relative detection {relative_detection}; {choices}.",
                          raid_share=s.sex_sector_raid_share, relative_detection=s.relative_detection,
                          choices=res.choices),
            datasets=["glotip", "raid-outcomes"], scenario=True, n=_("1 country-year"), data=res.se_shares)
    if name == "feedback-drift":
        return dict(
            title=feedback_title(float(res.feedback["detected"].iloc[0]), float(res.feedback["detected"].iloc[-1]),
                                 s.feedback_true_share),
            description=_("Simulated detected share when effort follows last year's detections (responsiveness "
                          "{responsiveness}), with the sex sector detected {relative_detection}x as readily and a "
                          "misidentified fraction {phi:.2f} of its detections. Model: "
                          "critique.methods.misid.simulate_feedback.", responsiveness=s.responsiveness,
                          relative_detection=s.relative_detection, phi=res.phi_sex),
            source=_("critique.methods.misid.simulate_feedback (scenario model; rates from the raid-outcomes table)"),
            datasets=["raid-outcomes"], scenario=True, n=_("{n} simulated years", n=s.feedback_years + 1),
            data=res.feedback)
    raise KeyError(f"RaidAnalysis.caption: no chart named {name!r}")
