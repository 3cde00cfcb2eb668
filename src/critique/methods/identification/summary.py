"""A short summary of the UK National Referral Mechanism for the GBR country profile.

Three things, each from the Home Office's own tables and each worded by a tested rule: referrals of
potential victims per complete year (from 2014, the Home Office's own reliability cut), the positive
share of reasonable-grounds decisions by age before and in the year the legal test changed, and who
made the referrals (the four first-responder types' shares of the referrals in the quarterly
first-responder tables, each quarter as first published). Nothing here is a count of people
exploited: referrals are counted, not distinct people, and the referrals are all the referrals made,
not a sample (no interval is given).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from critique.core.errors import DataError
from critique.methods.identification import decisions, referrals
from critique.methods.identification.sentences import TYPE_LABELS, decisions_reading, pct, quarter_text
from critique.core.i18n import _

RESPONDER_ORDER = ("police", "government", "local_authority", "ngo")


@dataclass(frozen=True)
class UkSummary:
    """The NRM section of the GBR profile: three small tables and their sentences."""

    yearly: pd.DataFrame       # year, referrals (complete years from the reliability cut)
    decisions: pd.DataFrame    # age, before_low, before_high, after (positive shares, 0..1)
    responders: pd.DataFrame   # responder_type, label, referrals, share (pooled over the quarters read)
    first_year: int            # first year of the decision tables
    test_year: int
    quarters: tuple[str, str]  # first and last quarter of the first-responder tables
    sentences: list[str] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)


def yearly_referrals(referral_table: pd.DataFrame, *, reliable_from: int = referrals.RELIABLE_FROM) -> pd.DataFrame:
    """Referrals per calendar year with all four quarters, from ``reliable_from``: ``year, referrals``.

    ``referral_table``: ``nrm-referrals`` (quarter, age, location, potential_victims; leaf cells).
    Raises DataError when no complete year is left.
    """
    annual = referrals.annual_totals(referrals.quarterly_totals(referral_table))
    keep = annual[annual["quarters"].eq(4) & annual["year"].ge(reliable_from)]
    if keep.empty:
        raise DataError(f"nrm-referrals: no complete year from {reliable_from}")
    return (keep.rename(columns={"potential_victims": "referrals"})[["year", "referrals"]]
            .astype("int64").reset_index(drop=True))


def decision_summary(reasonable: pd.DataFrame, test_year: int) -> tuple[pd.DataFrame, int]:
    """Adults', children's and all ages' positive reasonable-grounds shares: lowest and highest yearly
    share before ``test_year`` and the share in it. Returns the table and the first year of decisions.
    ParameterError (from ``decisions``) when an age has no decisions in a year of the span.
    """
    shares = decisions.positive_shares(reasonable, by="year")
    first = int(shares["period"].min())
    rows = []
    for age in ("adult", "child", "all"):
        lo, hi = decisions.share_range(shares, age, first, test_year - 1)
        rows.append({"age": age, "before_low": lo, "before_high": hi,
                     "after": decisions.share_in(shares, age, test_year)})
    return pd.DataFrame(rows), first


def responder_shares(first_responders: pd.DataFrame) -> pd.DataFrame:
    """Each first-responder type's referrals and share of all referrals, pooled over the quarters read.

    ``first_responders``: ``nrm-first-responders`` releases (quarter, responder_type, nationality,
    potential_victims). Output: ``responder_type, label, referrals, share`` in a fixed order.
    """
    by_type = first_responders.groupby("responder_type")["potential_victims"].sum()
    unknown = sorted(set(by_type.index) - set(RESPONDER_ORDER))
    if unknown:
        raise DataError(f"nrm-first-responders: unknown responder_type {unknown}; expected {', '.join(RESPONDER_ORDER)}")
    by_type = by_type.reindex(list(RESPONDER_ORDER), fill_value=0).astype("int64")
    out = pd.DataFrame({"responder_type": by_type.index, "label": [_(TYPE_LABELS[t]) for t in by_type.index],
                        "referrals": by_type.to_numpy()})
    out["share"] = out["referrals"] / out["referrals"].sum()
    return out


def referrals_sentence(yearly: pd.DataFrame) -> str:
    """First and last complete year's referrals, and what a referral count is."""
    a, b = yearly.iloc[0], yearly.iloc[-1]
    values = dict(first=int(a['referrals']), first_year=int(a['year']), last=int(b['referrals']),
                  last_year=int(b['year']))
    if b["referrals"] > a["referrals"]:
        head = _("Referrals of potential victims to the UK National Referral Mechanism rose from {first:,} in "
                 "{first_year} to {last:,} in {last_year}", **values)
    elif b["referrals"] < a["referrals"]:
        head = _("Referrals of potential victims to the UK National Referral Mechanism fell from {first:,} in "
                 "{first_year} to {last:,} in {last_year}", **values)
    else:
        head = _("Referrals of potential victims to the UK National Referral Mechanism stayed from {first:,} in "
                 "{first_year} to {last:,} in {last_year}", **values)
    return head + _(" (as the release named below counts them; later releases restate past periods). A referral is "
                    "made when a first responder meets someone it believes may have been exploited: the count measures "
                    "referrals made, not how many people are exploited.")


def decisions_summary_sentence(table: pd.DataFrame, first: int, test_year: int, publisher_quote: str | None) -> str:
    """Adults' and children's positive shares before and in ``test_year``, with how far they can be read."""
    t = table.set_index("age")
    adult, child = t.loc["adult"], t.loc["child"]
    reading = decisions_reading(float(adult["after"]), (float(adult["before_low"]), float(adult["before_high"])),
                                publisher_quote)
    return _("Positive share of reasonable-grounds decisions, {first}-{last} against {test_year} (the year in which "
             "the legal test changed): adults {a_low}-{a_high}, then {a_after}; children {c_low}-{c_high}, then "
             "{c_after}. For adults, {reading}.", first=first, last=test_year - 1, test_year=test_year,
             a_low=pct(adult['before_low']), a_high=pct(adult['before_high']), a_after=pct(adult['after']),
             c_low=pct(child['before_low']), c_high=pct(child['before_high']), c_after=pct(child['after']),
             reading=reading)


def responders_sentence(shares: pd.DataFrame, quarters: tuple[str, str]) -> str:
    """Who made the referrals in the quarters read, largest first."""
    parts = [f"{r.label} {pct(r.share)}" for r in shares.sort_values("share", ascending=False).itertuples()]
    return _("Of the {n:,} referrals in {start}-{end} (each quarter as first published), the types of first "
             "responder made these shares: {parts}. Types meet different people, so a change in who refers can change "
             "the mix of what is referred (notebook 21).", n=int(shares['referrals'].sum()), start=quarters[0],
             end=quarters[1], parts=", ".join(parts))


def uk_summary(*, referral_table: pd.DataFrame, reasonable: pd.DataFrame, first_responders: pd.DataFrame,
               test_year: int = 2023, publisher_quote: str | None = None) -> UkSummary:
    """The NRM section of the GBR profile from ``nrm-referrals``, ``nrm-reasonable-grounds`` and every
    release of ``nrm-first-responders``. ``publisher_quote``: the Home Office's own words on the first
    quarter under the new test (``publisher-caveats`` row ``ho-nrm-rg-test``), quoted when the adults'
    share fell below every earlier year. Raises DataError / ParameterError as the parts do.
    """
    yearly = yearly_referrals(referral_table)
    table, first = decision_summary(reasonable, test_year)
    shares = responder_shares(first_responders)
    qs = sorted(first_responders["quarter"].unique())
    quarters = (quarter_text(qs[0]), quarter_text(qs[-1]))
    text = [referrals_sentence(yearly), decisions_summary_sentence(table, first, test_year, publisher_quote),
            responders_sentence(shares, quarters)]
    found = {
        "years": [int(yearly["year"].iloc[0]), int(yearly["year"].iloc[-1])],
        "referrals_by_year": {int(r.year): int(r.referrals) for r in yearly.itertuples()},
        "rg_positive_share": {r.age: {"before_low": round(float(r.before_low), 4), "before_high": round(float(r.before_high), 4),
                                      "after": round(float(r.after), 4)} for r in table.itertuples()},
        "rg_years": [first, test_year - 1, test_year],
        "responder_share": {r.responder_type: round(float(r.share), 4) for r in shares.itertuples()},
        "responder_quarters": list(quarters),
    }
    return UkSummary(yearly, table, shares, first, test_year, quarters, text, found)
