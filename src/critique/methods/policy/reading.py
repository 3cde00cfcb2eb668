"""Reading rules for the policy fits: data status, the specification-range reading, and the
sentences of notebook 50's closing table. Each rule is a pure function tested on both sides of its
boundary (``tests/test_policy.py``).

**Why not "any one interval includes zero".** A range of specifications is read by counting how
many exclude no change, and on which side: adding noisy specifications must not by itself turn a
reading into "not distinguishable from no change", and nine of 23 intervals excluding zero, all on
the side of a fall, is not the same finding as none of 23.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from critique.core.i18n import N_, _
from critique.methods.policy.refusals import PolicyError

#: the short status of a policy change in the data-availability table and chart
STATUS_SHORT = {"skipped": N_("skipped: sub-national"), "no data before": N_("no data before"),
                "no data after": N_("no data after"), "refused": N_("refused: too few years"),
                "enough": N_("fitted if the model has the degrees of freedom")}


def availability_status(*, jurisdiction: str, country: str, indicator: str, first_post_year: int,
                        years_before: int, years_after: int, min_points: int, year_start: int,
                        year_end: int) -> tuple[str, str]:
    """``(status sentence, short status)`` of one policy change in the UNODC data.

    In order: a sub-national law is skipped (UNODC reports one national series); no year on a side
    is "no data before/after"; fewer than ``min_points`` on a side is refused; else a fit is tried.
    """
    if jurisdiction != "national":
        return (_("skipped: the law covers {jurisdiction} only; UNODC reports one series for {country}",
                  jurisdiction=jurisdiction, country=country.split(" (")[0]), _(STATUS_SHORT["skipped"]))
    values = dict(indicator=_(indicator).lower(), year=first_post_year, start=year_start, end=year_end)
    if not years_before:
        return (_("no UNODC {indicator} before {year} in {start}-{end}", **values), _(STATUS_SHORT["no data before"]))
    if not years_after:
        return (_("no UNODC {indicator} after {year} in {start}-{end}", **values), _(STATUS_SHORT["no data after"]))
    if years_before < min_points or years_after < min_points:
        return (_("refused: {before} year(s) before, {after} after; {min_points} needed on each side",
                  before=years_before, after=years_after, min_points=min_points), _(STATUS_SHORT["refused"]))
    return _("enough years on each side"), _(STATUS_SHORT["enough"])


def interval_sides(ci_low: Sequence[float], ci_high: Sequence[float]) -> tuple[int, int, int]:
    """``(n_fall, n_rise, n_zero)``: intervals wholly below zero, wholly above it, and including it.

    An interval touching zero (an end exactly 0) includes it. Raises PolicyError for a NaN end or an
    interval whose low end exceeds its high end.
    """
    n_fall = n_rise = n_zero = 0
    for lo, hi in zip(ci_low, ci_high):
        if math.isnan(lo) or math.isnan(hi) or lo > hi:
            raise PolicyError(f"interval ({lo}, {hi}) is not an interval")
        if hi < 0:
            n_fall += 1
        elif lo > 0:
            n_rise += 1
        else:
            n_zero += 1
    return n_fall, n_rise, n_zero


#: UNODC indicators and series names shown to readers (kept English in code; translated where shown)
SERIES_WORDS = (N_("Detected trafficking victims"), N_("Persons prosecuted"), N_("Persons convicted"), N_("Total"),
                N_("Sexual exploitation"), N_("Forced labour"), N_("Other forms of exploitation"))

#: the policy table's types, shown to readers in the closing table (translated there)
POLICY_TYPES = (N_("client criminalisation"), N_("platform liability (FOSTA-SESTA)"), N_("decriminalisation"),
                N_("legalisation or regulation"))

#: what a range reading counts (``noun`` of :func:`range_reading`), translated where shown
NOUNS = (N_("specification"), N_("fitted model"))


def _n(k: int, noun: str) -> str:
    """``"1 specification"``, ``"3 specifications"`` (by the reader's language's plural rules)."""
    if noun == "specification":
        return (_("{n} specification", n=k) if k == 1 else _("{n} specifications", n=k))
    if noun == "fitted model":
        return (_("{n} fitted model", n=k) if k == 1 else _("{n} fitted models", n=k))
    return f"{k} {noun}" + ("" if k == 1 else "s")


def range_reading(n_fall: int, n_rise: int, n_zero: int, *, noun: str = "specification") -> str:
    """The reading of a specification range from how many intervals exclude no change, and on
    which side.

    - none fitted: "no specification could be fitted";
    - none excludes no change: "not distinguishable from no change in any of the N specifications";
    - all exclude it on one side: "a fall (rise) in the count in every one of the N specifications";
    - some on each side: "the direction depends on the specification: F exclude(s) no change on the
      side of a fall in the count, R on the side of a rise, Z include(s) it";
    - otherwise: "K of N specifications exclude(s) no change, all on the side of a fall (rise) in the
      count; Z include(s) it".

    A fall or rise is one in the count of detections or records, not in trafficking, and the words
    say so ("in the count"), because the reading is shown beside claims about trafficking. ``noun``
    names what was counted ("fitted model" for the FBI models); numbers agree with it.
    """
    n = n_fall + n_rise + n_zero
    if min(n_fall, n_rise, n_zero) < 0:
        raise PolicyError(f"counts must not be negative: {n_fall}, {n_rise}, {n_zero}")
    word = _(noun)
    if n == 0:
        return _("no {noun} could be fitted", noun=word)
    if n_fall == n_rise == 0:
        return (_("not distinguishable from no change in the 1 {noun}", noun=word) if n == 1 else
                _("not distinguishable from no change in any of the {count}", count=_n(n, noun)))
    includes = (_("{n} includes it", n=n_zero) if n_zero == 1 else _("{n} include it", n=n_zero))
    if n_fall and n_rise:
        return _("the direction depends on the {noun}: {falls} on the side of a fall in the count, {n_rise} on the side "
                 "of a rise, {includes}", noun=word, n_rise=n_rise, includes=includes,
                 falls=(_("{n} excludes no change", n=n_fall) if n_fall == 1 else _("{n} exclude no change", n=n_fall)))
    if n_zero == 0:
        if n_fall:
            return (_("a fall in the count in the 1 {noun}", noun=word) if n == 1
                    else _("a fall in the count in every one of the {count}", count=_n(n, noun)))
        return (_("a rise in the count in the 1 {noun}", noun=word) if n == 1
                else _("a rise in the count in every one of the {count}", count=_n(n, noun)))
    if n_fall:
        return (_("{n} of {count} excludes no change, all on the side of a fall in the count; {includes}", n=n_fall, count=_n(n, noun), includes=includes) if n_fall == 1 else _("{n} of {count} exclude no change, all on the side of a fall in the count; {includes}", n=n_fall, count=_n(n, noun), includes=includes))
    return (_("{n} of {count} excludes no change, all on the side of a rise in the count; {includes}", n=n_rise, count=_n(n, noun), includes=includes) if n_rise == 1 else _("{n} of {count} exclude no change, all on the side of a rise in the count; {includes}", n=n_rise, count=_n(n, noun), includes=includes))


def placebo_phrase(p: float | None, rank: int | None, n_placebos: int | None, *, alpha: float) -> str:
    """The placebo-in-time result in words, saying when the series is too short for any placebo
    test to reach ``alpha`` (the smallest p is ``1 / (n_placebos + 1)``)."""
    if p is None or n_placebos is None or rank is None or math.isnan(p):
        return _("no placebo in time")
    floor = 1 / (n_placebos + 1)
    values = dict(p=p, rank=rank, of=n_placebos + 1, n=n_placebos, floor=floor)
    if floor > alpha:
        return _("placebo in time p = {p:.2f} (rank {rank} of {of}); with {n} placebo years no p below {floor:.2f} is "
                 "possible", **values)
    return _("placebo in time p = {p:.2f} (rank {rank} of {of})", **values)


def comparison_phrase(design: str, summary: dict[str, Any]) -> str:
    """A comparison-unit estimate in words: estimate, placebo interval (or why none), placebo p."""
    iv = summary.get("interval_pct")
    if iv is not None:
        inter = (_("placebo interval {low:.0f}% to {high:+.0f}%, which includes no change", low=iv[0], high=iv[1])
                 if iv[0] <= 0 <= iv[1] else
                 _("placebo interval {low:.0f}% to {high:+.0f}%, which excludes no change", low=iv[0], high=iv[1]))
    else:
        inter = _("no placebo interval")
    return _("{design} with {n} comparison countries {estimate:+.0f}% ({interval}; placebo p = {p:.2f})",
             design=design, n=summary["n_units"], estimate=summary["estimate_pct"], interval=inter,
             p=summary["placebo_p"])


def fit_line(model: str, s: dict[str, Any]) -> str:
    """One fitted series in words: the notebook model's level change, interval, MDE and placebo."""
    return _("{model} from {start}: {change:+.0f}% ({low:.0f} to {high:+.0f}); MDE {mde:.0f}%", model=model,
             start=min(s["years"]), change=s["level_change_pct"], low=s["level_ci_pct"][0], high=s["level_ci_pct"][1],
             mde=s["mde_pct"])


def ucr_reading(fitted: Sequence[tuple[float, float]], n_models: int) -> str:
    """The reading of the FBI models around 2018, by the same counting rule as a specification
    range: ``fitted`` holds each fitted model's (ci_low, ci_high) in percent; refused models are
    counted as such."""
    refused = n_models - len(fitted)
    if not fitted:
        return _("no model could be fitted ({refused} refused)", refused=refused)
    text = range_reading(*interval_sides([f[0] for f in fitted], [f[1] for f in fitted]), noun="fitted model")
    return _("{reading}; {refused} refused", reading=text, refused=refused) if refused else text
