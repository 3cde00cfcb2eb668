"""Decisions: the share of reasonable- or conclusive-grounds decisions that were positive, by age.

A decision is a finding under the legal test and guidance in force when it was made. The test for a
reasonable-grounds decision changed on 30 January 2023 (Nationality and Borders Act 2022, section
60, in force with new statutory guidance; IOM UK's analysis of NRM data, a secondary source for the
date) and the guidance changed again in July 2023 after a judicial-review challenge (athub.org.uk,
secondary). The Home Office itself wrote of the quarter in which the test changed that the fall in
the positive share "is likely to be a result of the change in the test for reasonable grounds
decisions" (bulletin for January to March 2023, 4 May 2023: primary; ``publisher-caveats`` row
``ho-nrm-rg-test``). A positive share before and after those dates is measured under two tests; the
decision counts alone cannot separate the test from changes in whose cases were decided (a year's
decisions include referrals from earlier years), and none of them measures who was exploited.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import N_

ALL_AGES = "all"


@dataclass(frozen=True)
class TestChange:
    """A change in how decisions are made, with where it is documented and how well."""

    quarter: pd.Period
    label: str
    citation: str
    verification: str  # primary | secondary


TEST_CHANGES = (
    TestChange(pd.Period("2023Q1", freq="Q-DEC"), N_("Jan 2023: new legal test"),
               "Home Office, NRM statistics, January to March 2023 (4 May 2023): the fall in positive reasonable-"
               "grounds decisions 'is likely to be a result of the change in the test for reasonable grounds "
               "decisions'; in force 30 January 2023 (IOM UK, analysis of NRM data after the Nationality and "
               "Borders Act)", "primary"),
    TestChange(pd.Period("2023Q3", freq="Q-DEC"), N_("Jul 2023: guidance revised"),
               "athub.org.uk knowledge base, 'NRM decisions and challenges': the guidance's requirement of "
               "objective evidence for a positive reasonable-grounds decision was withdrawn after a judicial-review "
               "challenge; revised guidance published 24 July 2023", "secondary"),
)


def positive_shares(decisions: pd.DataFrame, *, by: str = "year") -> pd.DataFrame:
    """Positive decisions as a share of all decisions, per period and age group, and for all ages.

    ``decisions``: ``nrm-reasonable-grounds`` or ``nrm-conclusive-grounds`` (quarter, age, outcome,
    decisions). ``by``: ``"year"`` or ``"quarter"``. Output columns: ``period`` (int year or Period),
    ``age`` (adult, child, unknown, all), ``positive``, ``negative``, ``decisions`` (int64) and
    ``positive_share`` (0..1; missing where there were no decisions). Raises ParameterError for
    another ``by``.
    """
    if by not in ("year", "quarter"):
        raise ParameterError(f"by={by!r}: expected 'year' or 'quarter'")
    period = decisions["quarter"].dt.year if by == "year" else decisions["quarter"]
    wide = (decisions.assign(period=period)
            .pivot_table(index=["period", "age"], columns="outcome", values="decisions", aggfunc="sum", fill_value=0)
            .reset_index())
    every = wide.groupby("period", as_index=False)[["negative", "positive"]].sum().assign(age=ALL_AGES)
    out = pd.concat([wide, every], ignore_index=True)
    out["decisions"] = out["negative"] + out["positive"]
    out["positive_share"] = (out["positive"] / out["decisions"].where(out["decisions"] > 0)).astype("Float64")
    out = out[["period", "age", "positive", "negative", "decisions", "positive_share"]]
    order = {a: i for i, a in enumerate(("adult", "child", "unknown", ALL_AGES))}
    return (out.sort_values(["period", "age"], key=lambda s: s.map(order) if s.name == "age" else s)
            .reset_index(drop=True))


def share_range(shares: pd.DataFrame, age: str, first: int, last: int) -> tuple[float, float]:
    """Lowest and highest yearly positive share of ``age`` in years ``first``..``last`` (from :func:`positive_shares`).

    Raises ParameterError when a year in the span has no decisions for that age.
    """
    rows = shares[shares["age"].eq(age) & shares["period"].between(first, last)]
    years = set(rows.dropna(subset=["positive_share"])["period"])
    missing = sorted(set(range(first, last + 1)) - years)
    if missing:
        raise ParameterError(f"no {age} decisions in year(s) {', '.join(map(str, missing))}")
    return float(rows["positive_share"].min()), float(rows["positive_share"].max())


def share_in(shares: pd.DataFrame, age: str, period) -> float:
    """The positive share of ``age`` in one period; ParameterError when absent."""
    row = shares[shares["age"].eq(age) & shares["period"].eq(period)]
    if row.empty or pd.isna(row["positive_share"].iloc[0]):
        raise ParameterError(f"no {age} decisions in {period}")
    return float(row["positive_share"].iloc[0])
