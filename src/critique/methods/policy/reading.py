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

from critique.methods.policy.refusals import PolicyError

#: the short status of a policy change in the data-availability table and chart
STATUS_SHORT = {"skipped": "skipped: sub-national", "no data before": "no data before", "no data after": "no data after",
                "refused": "refused: too few years", "enough": "fitted if the model has the degrees of freedom"}


def availability_status(*, jurisdiction: str, country: str, indicator: str, first_post_year: int,
                        years_before: int, years_after: int, min_points: int, year_start: int,
                        year_end: int) -> tuple[str, str]:
    """``(status sentence, short status)`` of one policy change in the UNODC data.

    In order: a sub-national law is skipped (UNODC reports one national series); no year on a side
    is "no data before/after"; fewer than ``min_points`` on a side is refused; else a fit is tried.
    """
    if jurisdiction != "national":
        return (f"skipped: the law covers {jurisdiction} only; UNODC reports one series for {country.split(' (')[0]}",
                STATUS_SHORT["skipped"])
    if not years_before or not years_after:
        side = "before" if not years_before else "after"
        return (f"no UNODC {indicator.lower()} {side} {first_post_year} in {year_start}-{year_end}",
                STATUS_SHORT[f"no data {side}"])
    if years_before < min_points or years_after < min_points:
        return (f"refused: {years_before} year(s) before, {years_after} after; {min_points} needed on each side",
                STATUS_SHORT["refused"])
    return "enough years on each side", STATUS_SHORT["enough"]


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


def _n(k: int, noun: str) -> str:
    """``"1 specification"``, ``"3 specifications"``."""
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
    if n == 0:
        return f"no {noun} could be fitted"
    if n_fall == n_rise == 0:
        return f"not distinguishable from no change in {'the 1 ' + noun if n == 1 else 'any of the ' + _n(n, noun)}"
    verb = lambda k: "excludes" if k == 1 else "exclude"  # noqa: E731
    incl = lambda k: "includes" if k == 1 else "include"  # noqa: E731
    if n_fall and n_rise:
        return (f"the direction depends on the {noun}: {n_fall} {verb(n_fall)} no change on the side of a fall in the "
                f"count, {n_rise} on the side of a rise, {n_zero} {incl(n_zero)} it")
    side, k = ("fall", n_fall) if n_fall else ("rise", n_rise)
    if n_zero == 0:
        return (f"a {side} in the count in the 1 {noun}" if n == 1
                else f"a {side} in the count in every one of the {_n(n, noun)}")
    return (f"{k} of {_n(n, noun)} {verb(k)} no change, all on the side of a {side} in the count; "
            f"{n_zero} {incl(n_zero)} it")


def placebo_phrase(p: float | None, rank: int | None, n_placebos: int | None, *, alpha: float) -> str:
    """The placebo-in-time result in words, saying when the series is too short for any placebo
    test to reach ``alpha`` (the smallest p is ``1 / (n_placebos + 1)``)."""
    if p is None or n_placebos is None or rank is None or math.isnan(p):
        return "no placebo in time"
    floor = 1 / (n_placebos + 1)
    tail = (f"; with {n_placebos} placebo years no p below {floor:.2f} is possible" if floor > alpha else "")
    return f"placebo in time p = {p:.2f} (rank {rank} of {n_placebos + 1}){tail}"


def comparison_phrase(design: str, summary: dict[str, Any]) -> str:
    """A comparison-unit estimate in words: estimate, placebo interval (or why none), placebo p."""
    iv = summary.get("interval_pct")
    if iv is not None:
        side = "includes" if iv[0] <= 0 <= iv[1] else "excludes"
        inter = f"placebo interval {iv[0]:.0f}% to {iv[1]:+.0f}%, which {side} no change"
    else:
        inter = "no placebo interval"
    return (f"{design} with {summary['n_units']} comparison countries {summary['estimate_pct']:+.0f}% ({inter}; "
            f"placebo p = {summary['placebo_p']:.2f})")


def fit_line(model: str, s: dict[str, Any]) -> str:
    """One fitted series in words: the notebook model's level change, interval, MDE and placebo."""
    return (f"{model} from {min(s['years'])}: {s['level_change_pct']:+.0f}% ({s['level_ci_pct'][0]:.0f} to "
            f"{s['level_ci_pct'][1]:+.0f}); MDE {s['mde_pct']:.0f}%")


def ucr_reading(fitted: Sequence[tuple[float, float]], n_models: int) -> str:
    """The reading of the FBI models around 2018, by the same counting rule as a specification
    range: ``fitted`` holds each fitted model's (ci_low, ci_high) in percent; refused models are
    counted as such."""
    refused = n_models - len(fitted)
    if not fitted:
        return f"no model could be fitted ({refused} refused)"
    text = range_reading(*interval_sides([f[0] for f in fitted], [f[1] for f in fitted]), noun="fitted model")
    return text + (f"; {refused} refused" if refused else "")
