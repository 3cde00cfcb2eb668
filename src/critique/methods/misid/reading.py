"""The sentences and chart captions of notebook 20 (raids and misidentification): each a rule over
numbers, tested on both sides of its boundary in ``tests/test_misid.py``. Every sentence about a
result says "would": the results are scenarios."""
from __future__ import annotations

from typing import Any, Sequence

from critique.methods.misid.counts import AdjustedCount


# --------------------------------------------------------------------------------------------
# Reading rules (each a pure function of numbers, tested on both sides of its boundary)
# --------------------------------------------------------------------------------------------
def unverified_sentence(ids: Sequence[str]) -> str:
    """Which evidence rows are unverified (shown, never used as established), or that none is."""
    if not ids:
        return "Every evidence row has been read in a primary or secondary source; none is unverified."
    return ("Unverified rows (shown only as unverified, never used as established): "
            + ", ".join(ids) + ".")


def fixed_rate_choice(rate: float) -> str:
    """The choice text when the rate is a fixed number rather than built from the evidence."""
    return f"fixed false-positive rate {rate:g} (no evidence row)"


def rate_sentence(mean: float, low: float, high: float, level: float, choices: str, fixed: bool) -> str:
    """The raid false-positive rate used; a fixed rate has no interval and is said to be one."""
    if fixed:
        return f"Raid false-positive rate: {mean:.2f}, fixed by assumption (no interval). Choices: {choices}."
    return (f"Raid false-positive rate: mean {mean:.2f}, {level:.0%} interval {low:.2f}-{high:.2f}. "
            f"Choices: {choices}.")


def remaining_sentence(lead: str, r: AdjustedCount, extra: str = "") -> str:
    """What a count would become under the scenario (``would``: a scenario, not an estimate);
    ``lead`` states the published count."""
    return (f"{lead}; under this scenario {r.point:,.0f} ({r.low:,.0f}-{r.high:,.0f}) would remain."
            f"{(' ' + extra) if extra else ''} {r.assumptions}")


def band_share_sentence(share: float) -> str:
    """How much of the sweep's range the sampling band covers, read by a fixed rule.

    Below one half the assumptions decide more than the sampling error does; from one half up the
    sentence says only what the band covers (the rule never claims more than the ratio shows)."""
    if share < 0.5:
        return (f"The band from the studies' sampling error covers {share:.0%} of that range: the "
                "assumptions, not the sampling error, decide the answer.")
    return f"The band from the studies' sampling error covers {share:.0%} of that range."


def feedback_sentence(first: float, last: float, fixed_point: float, true_share: float, years: int) -> str:
    """The simulated drift; says "moves away" only when the last gap exceeds the first."""
    gap0, gap1 = first - true_share, last - true_share
    trend = ("the gap to the true share widens" if abs(gap1) > abs(gap0) + 1e-12
             else "the gap to the true share does not widen")
    return (f"Detected share {first:.0%} in year 0, {last:.0%} in year {years}; fixed point "
            f"{fixed_point:.0%}; true share {true_share:.0%} throughout: {trend} in this model.")


def shares_sentence(iso3: str, year: int, release: str, detected: float, after_misid: float, after_detection: float,
                    after_both: float, low: float, high: float, sex_sector_raid_share: float,
                    relative_detection: float) -> str:
    """The detected sexual-exploitation share and what it would become under the scenario: only the
    detected share is a figure (named with its release); every adjusted share says "would"."""
    return (f"{iso3} {year} ({release}): detected sexual-exploitation share {detected:.0%}. Under the scenario it "
            f"would be {after_misid:.0%} after removing people assumed misidentified, {after_detection:.0%} after "
            f"the assumed detection bias alone and {after_both:.0%} ({low:.0%}-{high:.0%}) after both. Assumed: "
            f"sex-sector raid share {sex_sector_raid_share}, relative detection {relative_detection}.")


def feedback_title(first: float, last: float, true_share: float) -> str:
    """Chart title of the feedback simulation, by the rule of :func:`feedback_sentence`: "drifts away"
    only when the simulated gap to the true share widens; always said to be a simulation."""
    widens = abs(last - true_share) > abs(first - true_share) + 1e-12
    what = "drifts away from" if widens else "does not drift away from"
    return f"In a simulated feedback loop, the detected sexual-exploitation share {what} an unchanged true share"


def chart_caption(res: Any, name: str) -> dict[str, Any]:
    """Title, description, caveats, N, datasets, scenario flag and data of chart ``name``, as
    keyword arguments of ``critique.figures.charts.finalise``."""
    s = res.settings
    level = s.interval_level
    if name == "raid-evidence":
        return dict(
            title="What raid and identification studies counted, and what they measure",
            description=("Published proportions from the raid-outcomes evidence table. Red: the two measures "
                         "that can stand in for a false-positive rate (self-identified voluntary sex work; "
                         "screening outcome). Grey: other quantities (conviction ratio, venue prevalence, "
                         "arrest composition...), which are NOT false-positive rates. This is the evidence "
                         "behind the scenario parameters, not itself a scenario."),
            datasets=["raid-outcomes"], n=f"{len(res.rated)} rows with a numerator and denominator",
            data=res.rated[["id", "measures", "verification", "numerator", "denominator", "p", "lo", "hi"]])
    if name == "fpr-prior":
        return dict(
            title="Raid false-positive rate assumed from the evidence",
            description=f"Beta distributions built from the evidence rows; {res.choices}.",
            datasets=["raid-outcomes"], scenario=True, n=f"{len(res.rows_used)} evidence rows",
            data=None if res.prior is None else res.prior.table)
    if name == "tip-victims-adjusted":
        return dict(
            title="TIP 'victims identified' and what would remain if raids misidentified people at the assumed rate",
            description=(f"Published worldwide 'victims identified' by data year and the scenario count with "
                         f"raid_share={s.raid_share}, other_fpr={s.other_false_positive_rate}; {res.choices}."),
            datasets=["tip-law-enforcement", "raid-outcomes"], scenario=True,
            caveat=["The share of identifications from raids and the raid false-positive rate are assumptions, "
                    "not measurements.",
                    "The band carries only the sampling error of the studies behind the rate; the sweep (next "
                    "chart) shows how much the assumptions decide.",
                    "The base includes labour-trafficking victims, whom sex-sector raids did not identify; the "
                    "sweep shows the count with them at face value."],
            n=f"{len(res.tip)} data years", data=res.tip)
    if name == "raid-sweep":
        return dict(
            title=f"TIP 'victims identified' {s.sweep_year} over every raid share and false-positive rate",
            description=(f"Remaining count for every raid share and raid false-positive rate from 0 to 1 (grey: all "
                         f"raid shares; lines: selected raid shares), with labour-trafficking victims in the base "
                         f"(left) or taken at face value (right). Red box: the band from the studies' sampling "
                         f"error ({level:.0%} interval of the rate, {res.choices}) at one assumed raid share, "
                         f"{s.raid_share:g} (a proxy, not a measured share)."),
            caveat=["Every cell is an assumption; the red box is the only part with a sampling interval, "
                    "and it is drawn at one assumed raid share.",
                    "The rates come from one Indian state's self-reports and a US screening sample, applied "
                    "to a world total."],
            datasets=["tip-law-enforcement", "raid-outcomes"], scenario=True,
            n=f"{len(res.sweep.grid):,} grid cells, 1 data year", data=res.sweep.grid)
    if name == "se-share-adjusted":
        return dict(
            title=f"Sexual-exploitation share, {s.country_iso3} {s.country_year}, before and after the adjustments",
            description=(f"Detected share (UNODC) and the share under the scenario: sex-sector raid share "
                         f"{s.sex_sector_raid_share}, relative detection {s.relative_detection}; {res.choices}."),
            datasets=["glotip", "raid-outcomes"], scenario=True, n="1 country-year", data=res.se_shares)
    if name == "feedback-drift":
        return dict(
            title=feedback_title(float(res.feedback["detected"].iloc[0]), float(res.feedback["detected"].iloc[-1]),
                                 s.feedback_true_share),
            description=(f"Simulated detected share when effort follows last year's detections "
                         f"(responsiveness {s.responsiveness}), with the sex sector detected {s.relative_detection}x "
                         f"as readily and a misidentified fraction {res.phi_sex:.2f} of its detections. Model: "
                         "critique.methods.misid.simulate_feedback."),
            source="critique.methods.misid.simulate_feedback (scenario model; rates from the raid-outcomes table)",
            datasets=["raid-outcomes"], scenario=True, n=f"{s.feedback_years + 1} simulated years",
            data=res.feedback)
    raise KeyError(f"RaidAnalysis.caption: no chart named {name!r}")
