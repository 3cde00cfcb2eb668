"""Referrals over time: quarterly and annual totals, a change between two quarters, restatements.

Inputs are the tidy NRM tables of ``critique.datasets.nrm`` (leaf cells only, quarters as
``pandas.Period``). Everything counted here is **potential victims referred**: people a first
responder met and referred, which moves with who looks, where, and with what duty to refer.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique.core.errors import DataError, ParameterError

# The Home Office leaves figures before 2014 out of its charts "due to data reliability" (notes to
# figure 1 of its quarterly bulletins, e.g. quarter 4 2023, 7 March 2024).
RELIABLE_FROM = 2014


@dataclass(frozen=True)
class Change:
    """Potential victims referred in two quarters and the relative change between them."""

    before: pd.Period
    after: pd.Period
    n_before: int
    n_after: int

    @property
    def pct(self) -> float:
        """(after - before) / before x 100."""
        return 100.0 * (self.n_after - self.n_before) / self.n_before


def quarterly_totals(referrals: pd.DataFrame, *, reliable_from: int = RELIABLE_FROM) -> pd.DataFrame:
    """Potential victims referred per quarter: ``quarter, potential_victims, reliable``.

    ``referrals``: the ``nrm-referrals`` table (quarter, age, location, potential_victims; leaf
    cells). ``reliable`` is False before ``reliable_from`` (the Home Office's own cut).
    """
    out = referrals.groupby("quarter", sort=True)["potential_victims"].sum().reset_index()
    out["reliable"] = out["quarter"].dt.year >= reliable_from
    return out


def annual_totals(quarterly: pd.DataFrame) -> pd.DataFrame:
    """Sum of the quarters per calendar year: ``year, potential_victims, quarters`` (quarters present)."""
    years = quarterly["quarter"].dt.year
    out = quarterly.groupby(years)["potential_victims"].agg(["sum", "size"]).reset_index()
    return out.set_axis(["year", "potential_victims", "quarters"], axis=1)


def change(quarterly: pd.DataFrame, before: str | pd.Period, after: str | pd.Period) -> Change:
    """The change from quarter ``before`` to quarter ``after`` (``"2020Q1"`` or a Period).

    Raises ParameterError naming the quarter when it is not in the table, DataError when the
    earlier quarter has no referrals (no relative change).
    """
    series = quarterly.set_index("quarter")["potential_victims"]
    periods = []
    for name, value in (("before", before), ("after", after)):
        try:
            period = pd.Period(value, freq="Q-DEC")
        except (ValueError, TypeError):
            raise ParameterError(f"{name}={value!r}: expected a quarter such as 2020Q1") from None
        if period not in series.index:
            raise ParameterError(f"{name}={value!r}: no such quarter in the referrals table "
                                 f"({series.index.min()}..{series.index.max()})")
        periods.append(period)
    if series[periods[0]] == 0:
        raise DataError(f"quarter {periods[0]} has no referrals; a relative change is undefined")
    return Change(periods[0], periods[1], int(series[periods[0]]), int(series[periods[1]]))


def first_published(first_responders: pd.DataFrame) -> pd.DataFrame:
    """Each quarter's total as first published: the sum of its release's four first-responder tables.

    ``first_responders``: ``nrm-first-responders`` releases concatenated (quarter, responder_type,
    nationality, potential_victims). Output: ``quarter, potential_victims``.
    """
    return first_responders.groupby("quarter", sort=True)["potential_victims"].sum().reset_index()


def restatements(published: pd.DataFrame, quarterly: pd.DataFrame, first: pd.DataFrame) -> pd.DataFrame:
    """Every published total of each quarter beside the mirror's two recounts of it.

    ``published``: the ``nrm-published-totals`` table (period, period_type, potential_victims,
    release_date, first_publication, verification, ...). ``quarterly``: :func:`quarterly_totals` of
    the 7 March 2024 release. ``first``: :func:`first_published`. Output, one row per published
    quarterly figure: ``quarter, release_date, published, first_publication, verification,
    first_release_tables`` (the four first-responder tables of the quarter's first release) and
    ``release_2024_03_07`` (the longitudinal table of 7 March 2024). Only quarters the mirror's
    first-responder files cover are kept.
    """
    rows = published[published["period_type"].eq("quarter")].copy()
    rows["quarter"] = pd.PeriodIndex(rows["period"].astype(str), freq="Q-DEC")
    rows = rows[rows["quarter"].isin(first["quarter"])]
    out = pd.DataFrame({
        "quarter": rows["quarter"].to_numpy(),
        "release_date": pd.to_datetime(rows["release_date"]).dt.date.to_numpy(),
        "published": rows["potential_victims"].astype("int64").to_numpy(),
        "first_publication": rows["first_publication"].astype(bool).to_numpy(),
        "verification": rows["verification"].astype(str).to_numpy(),
    })
    out["first_release_tables"] = out["quarter"].map(first.set_index("quarter")["potential_victims"]).astype("int64")
    out["release_2024_03_07"] = out["quarter"].map(quarterly.set_index("quarter")["potential_victims"]).astype("Int64")
    return out.sort_values(["quarter", "release_date"]).reset_index(drop=True)


def annual_restatement(published: pd.DataFrame, year: int) -> pd.DataFrame:
    """The published totals of one year in release order: ``release_date, potential_victims, verification``.

    Raises DataError when the table holds fewer than two figures for ``year`` (nothing restated).
    """
    rows = published[published["period_type"].eq("year") & published["period"].astype(str).eq(str(year))]
    if len(rows) < 2:
        raise DataError(f"nrm-published-totals: {len(rows)} published total(s) for {year}; a restatement needs two")
    out = rows[["release_date", "potential_victims", "first_publication", "citation", "verification"]].copy()
    out["release_date"] = pd.to_datetime(out["release_date"]).dt.date
    out["potential_victims"] = out["potential_victims"].astype("int64")
    return out.sort_values("release_date").reset_index(drop=True)
