"""Why a recount differs from the figure a publisher printed: one verdict a figure, by fixed rules.

A printed figure stands for an interval, given by its last printed digit (``precision``) and its
wording (``qualifier``):

- ``exact`` or ``about``: the value plus or minus half the precision ("42%" is 41.5 to 42.5;
  "about 50,000" printed to the nearest 10,000 is 45,000 to 55,000);
- ``just under``: from the value minus the precision up to the value ("just under 47,000" with
  precision 1,000 is 46,000 to 47,000);
- ``more than`` / ``at least``: from the value up to the value plus the precision.

A recount has bounds too (cells published as ``"<5"``). The rules, applied in this order:

1. **equal within rounding** - the recount's bounds meet the printed interval;
2. **revised in a later release** - (a) the "recount" is the publisher's own figure for the same
   year in another edition (a TIP table or regional tables of another year's report) and differs;
   or (b) the same recount on another release meets the interval while the compared release does
   not (the figure held in one release and was changed in the other);
3. **definition** - recomputed under the publisher's stated definition (pooling "the year or the
   most recent", the report's own region membership, a fixed panel), the recount meets the interval;
4. **driven by one country** - leaving out the country that moves the recount most (of the three
   with the largest counts behind the figure: ``critique.methods.reconcile.ledger.TOP_K``) closes at least
   :data:`MIN_CLOSED` of the gap, and that country holds at least :data:`MIN_SHARE` of the counts
   behind the figure (its high-bound sum over the rows used), so that a small country cannot
   "explain" a gap by accident;
5. **definition** (across definitions) - the row declares a difference of definition that cannot
   be recomputed from the data (Eurostat's registered victims against UNODC's detected victims)
   and no recount under the publisher's definition was made (one that was made and missed leaves
   the difference unexplained); the reason says plainly that the comparison is across definitions;
6. **unexplained** - none of the above.

A recount that cannot be made (no data for that year in the release read) is **not recomputed**.

Three qualifications are carried in the reason (the verdict itself is unchanged): an agreement
(rule 1) on a row that declares a difference of definition and has no recount under the
publisher's definition is marked ``across_definitions`` (two collections that happen to agree, not
a reproduction); a revision (rule 2) of a printed figure read in a copy (``read_in`` not
``primary``) says that a copying error in the copy would look the same; and a one-country verdict
(rule 4) says how much of the gap is left without that country.
The thresholds are parameters with documented defaults, not findings.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from critique.core.errors import DataError
from critique.core import i18n, locale_format
from critique.core.i18n import N_, _, format_locale
from critique.methods.reconcile.recount import Recount

# The verdict words stay English here (code and findings keys compare them); N_ marks them for the
# message catalogue and the reader table translates them (critique.methods.reconcile.analyse).
EQUAL = N_("equal within rounding")
REVISED = N_("revised in a later release")
DEFINITION = N_("definition")
ONE_COUNTRY = N_("driven by one country")
UNEXPLAINED = N_("unexplained")
NOT_RECOMPUTED = N_("not recomputed")
VERDICTS = (EQUAL, REVISED, DEFINITION, ONE_COUNTRY, UNEXPLAINED, NOT_RECOMPUTED)
QUALIFIERS = ("exact", "about", "just under", "more than", "at least")
UNITS = ("count", "percent", "percent change")
MIN_SHARE = 0.2
MIN_CLOSED = 0.5


@dataclass(frozen=True)
class Verdict:
    """A verdict from :data:`VERDICTS`, its one-sentence reason and the gap it rests on.

    ``gap`` is the distance from the recount to the printed interval in the row's unit (positive:
    the recount is higher; 0: they meet; NaN: not recomputed). ``across_definitions`` is True when
    the verdict rests on a declared, not recomputed, difference of definition.
    """

    verdict: str
    reason: str
    gap: float
    across_definitions: bool = False


def interval(value: float, precision: float, qualifier: str) -> tuple[float, float]:
    """The interval a printed figure stands for (rules in the module docstring).

    Raises DataError for an unknown qualifier or a precision that is not positive.
    """
    if qualifier not in QUALIFIERS:
        raise DataError(f"reconciliation: qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
    if not precision > 0:
        raise DataError(f"reconciliation: precision must be positive, got {precision!r}")
    if qualifier in ("exact", "about"):
        return value - precision / 2, value + precision / 2
    if qualifier == "just under":
        return value - precision, value
    return value, value + precision


def gap(bounds: tuple[float, float], low: float, high: float) -> float:
    """Signed distance from the recount [low, high] to the interval ``bounds``; 0 when they meet."""
    lo, hi = bounds
    if math.isnan(low) or math.isnan(high):
        return math.nan
    if low > hi:
        return low - hi
    if high < lo:
        return high - lo
    return 0.0


def fmt(value: float, unit: str) -> str:
    """A value in the row's unit: ``12,345``, ``42.0%``, ``+9.4%``."""
    if math.isnan(value):
        return _("n/a")
    if math.isinf(value):
        return _("unbounded")
    if unit in ("percent", "percent change") and i18n.current() != i18n.DEFAULT:  # the language's own percent
        text = locale_format.percent(value / 100, 1)
        return ("+" + text) if unit == "percent change" and value > 0 else text
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "percent change":
        return f"{value:+.1f}%"
    return format_locale("{v:,.0f}", {"v": value})


def fmt_bounds(rec: Recount, unit: str) -> str:
    """``fmt`` of a recount; both bounds when ``"<5"`` cells leave room (``46,283-46,331``)."""
    a, b = fmt(rec.low, unit), fmt(rec.high, unit)
    return a if a == b else _("{low} to {high}", low=a, high=b)


def classify(*, bounds: tuple[float, float], unit: str, recount: Recount, recount_label: str,
             edition: int | None = None, other: Recount | None = None, other_label: str = "",
             alt: Recount | None = None, alt_label: str = "", mover: str | None = None,
             mover_share: float = math.nan, without: Recount | None = None, declared: str | None = None,
             min_share: float = MIN_SHARE, min_closed: float = MIN_CLOSED, read_in: str = "primary") -> Verdict:
    """Apply the rules of the module docstring to one figure.

    ``bounds``: :func:`interval` of the printed figure; ``recount``: on ``recount_label`` (a
    release id or table); ``edition``: the printed figure's edition (for rule 2a); ``other``: the
    same recount on another release (rule 2b); ``alt``: under the publisher's definition (rule 3);
    ``mover``/``mover_share``/``without``: the country that moves the recount most, its share of the
    counts behind the figure and the recount without it (rule 4); ``declared``: a definitional
    difference that cannot be recomputed (rule 5); ``read_in``: the printed figure's verification
    status (qualifies rule 2, see the module docstring). Raises DataError for an unknown unit or a
    threshold outside (0, 1].
    """
    if unit not in UNITS:
        raise DataError(f"reconciliation: unit {unit!r} is not one of {', '.join(UNITS)}")
    for name, value in (("min_share", min_share), ("min_closed", min_closed)):
        if not 0 < value <= 1:
            raise DataError(f"reconciliation: {name} must be in (0, 1], got {value}")
    shown = fmt_bounds(recount, unit)
    g = gap(bounds, recount.low, recount.high)
    if math.isnan(g):
        return Verdict(NOT_RECOMPUTED, _("not recomputed from {source}: {why}", source=recount_label,
                                         why=recount.label or _("no data")), g)
    if g == 0:
        if declared and alt is None:
            return Verdict(EQUAL, _("the recount on {source} ({shown}) is within the printed rounding, but it is "
                                    "compared across definitions ({declared}): two collections that agree here, not a "
                                    "reproduction of the printed figure", source=recount_label, shown=shown,
                                    declared=declared), g, across_definitions=True)
        return Verdict(EQUAL, _("the recount on {source} ({shown}) is within the printed rounding",
                                source=recount_label, shown=shown), g)
    differs = _("the recount on {source} is {shown}", source=recount_label, shown=shown)
    copy = ("" if read_in == "primary" else
            _("; the printed figure was read in a copy, so a copying error there would look the same"))
    if recount.edition is not None and edition is not None and recount.edition != edition:
        return Verdict(REVISED, _("the {recount_edition} edition's figure is {shown}: the publisher's {edition} "
                                  "edition prints another figure for the same year", recount_edition=recount.edition,
                                  shown=shown, edition=edition) + copy, g)
    if other is not None and gap(bounds, other.low, other.high) == 0:
        return Verdict(REVISED, _("it holds in {other} ({other_shown}) but not in {source} ({shown}): the data were "
                                  "revised between the releases", other=other_label,
                                  other_shown=fmt_bounds(other, unit), source=recount_label, shown=shown), g)
    if alt is not None and gap(bounds, alt.low, alt.high) == 0:
        return Verdict(DEFINITION, _("{differs}; recomputed under the publisher's definition ({alt}) it is "
                                     "{alt_shown}, within the printed rounding", differs=differs, alt=alt_label,
                                     alt_shown=fmt_bounds(alt, unit)), g)
    if mover is not None and without is not None and not math.isnan(without.low) and mover_share >= min_share:
        g_wo = gap(bounds, without.low, without.high)
        closed = 1 - abs(g_wo) / abs(g)
        if closed >= min_closed:
            left = "" if g_wo == 0 else (
                _("; {size} of the gap remains without it", size=_size(g_wo, unit)) if unit == "count" else
                _("; {size} of the gap remain without it", size=_size(g_wo, unit)))
            return Verdict(ONE_COUNTRY, _("{differs}; without {mover} ({share:.0%} of the counts behind it) it is "
                                          "{without}, closing {closed:.0%} of the gap{left}", differs=differs,
                                          mover=mover, share=mover_share, without=fmt_bounds(without, unit),
                                          closed=min(closed, 1), left=left), g)
    if declared and alt is None:
        return Verdict(DEFINITION, _("{differs}; compared across definitions ({declared}), not recomputed under the "
                                     "publisher's definition", differs=differs, declared=declared), g,
                       across_definitions=True)
    return Verdict(UNEXPLAINED, _("{differs}; no rule of the suite accounts for the {size} beyond the printed "
                                  "rounding", differs=differs, size=_size(g, unit)), g)


def _size(g: float, unit: str) -> str:
    """The size of a gap in words: ``5,500`` for counts, ``4.7 points`` for shares and changes."""
    return format_locale("{v:,.0f}", {"v": abs(g)}) if unit == "count" else _("{v:.1f} points", v=abs(g))
