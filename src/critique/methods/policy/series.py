"""Yearly series for the policy fits, built from the suite's datasets, and policy timing.

- :func:`glotip_series` / :func:`glotip_panel`: one country's (or every country's) yearly UNODC
  count. A cell published as "<5" is somewhere from 0 to 4 (the loader's bounds ``value_low`` and
  ``value_high``): it becomes a gap (default) or, as a sensitivity run, one of its bounds; never a
  midpoint that then counts as a data point. Rows the loader
  flags in ``exclude_reason`` (placeholders made of "<5" cells only, "other forms" rows that
  repeat the total, sub-national rows) are left out; a frame without that column is read as having
  no flagged rows.
- :func:`ucr_yearly` / :func:`ucr_fixed_panel`: FBI UCR human-trafficking offences.
- :func:`first_post_year` / :func:`policy_timing`: the first year counted as after a policy.
"""
from __future__ import annotations

from datetime import date
from typing import Sequence

import numpy as np
import pandas as pd

from critique.methods.policy.refusals import PolicyError

#: what a "<5" cell becomes: a gap, or its lower (1) or upper (4) bound as a sensitivity run
SUPPRESSED_RULES = ("drop", "low", "high")


def first_post_year(in_force: date | str, *, rule: str = "majority") -> int:
    """The first year counted as *after* a policy that came into force on ``in_force``.

    Yearly counts cannot be split inside a year. ``rule="majority"`` counts the year of entry into
    force as post when the law was in force for at least half of it (in force on or before 2 July),
    otherwise the next year; ``"next"`` always starts with the next full year; ``"same"`` always
    with the year of entry into force.
    """
    day = date.fromisoformat(in_force) if isinstance(in_force, str) else in_force
    if rule == "same":
        return day.year
    if rule == "next":
        return day.year + 1 if (day.month, day.day) != (1, 1) else day.year
    if rule == "majority":
        return day.year if day.timetuple().tm_yday <= 183 else day.year + 1
    raise PolicyError(f"first_post_year: rule={rule!r}; choose one of majority, next, same")


def policy_timing(table: pd.DataFrame, *, rule: str = "majority") -> pd.DataFrame:
    """First post year of each row of the ``policy-changes`` table, and what it rests on.

    Uses ``date_in_force`` when given, else ``date_enacted``, else ``year_in_force`` (counted as
    post, since the day is unknown). Returns ``policy_id``, ``first_post_year``, ``date_basis``
    (``"date in force"``, ``"date enacted"``, ``"year only"``) and ``verification``, so a
    notebook can say which intervention years rest on approximate dates or weaker sources.
    """
    rows = []
    for rec in table.itertuples(index=False):
        if pd.notna(rec.date_in_force):
            year, basis = first_post_year(pd.Timestamp(rec.date_in_force).date(), rule=rule), "date in force"
        elif pd.notna(rec.date_enacted):
            year, basis = first_post_year(pd.Timestamp(rec.date_enacted).date(), rule=rule), "date enacted"
        else:
            year, basis = int(rec.year_in_force), "year only"
        rows.append({"policy_id": str(rec.policy_id), "first_post_year": int(year),
                     "date_basis": basis, "verification": str(rec.verification)})
    return pd.DataFrame(rows, columns=["policy_id", "first_post_year", "date_basis", "verification"])


def usable_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose ``exclude_reason`` is missing (all rows when the column is absent).

    ``exclude_reason`` is set by the ``glotip`` loader (placeholder, duplicate-total, subnational;
    rules and evidence in :mod:`critique.datasets.glotip_rules`); a flagged row is not a report and
    must not enter a count. Sub-national rows stay out: a country's series is the national one.
    """
    from critique.datasets import glotip_rules

    return glotip_rules.usable(frame)


def _select(frame: pd.DataFrame, *, indicator: str, category: str) -> pd.DataFrame:
    dimension = "Total" if category == "Total" else "by form of exploitation"
    return frame[(frame["indicator"] == indicator) & (frame["dimension"] == dimension)
                 & (frame["category"] == category) & (frame["sex"] == "Total")
                 & (frame["age"] == "Total")]


def glotip_series(frame: pd.DataFrame, iso3: str, *, indicator: str = "Detected trafficking victims",
                  category: str = "Total", suppressed: str = "drop",
                  duplicates: str = "raise") -> pd.DataFrame:
    """One country's yearly count from the ``glotip`` loader frame: columns ``year``, ``count``,
    ``suppressed``.

    ``category`` "Total" reads dimension "Total"; a form of exploitation ("Sexual exploitation",
    "Forced labour", "Other forms of exploitation") reads dimension "by form of exploitation".
    Sex and age are "Total". Rows flagged in ``exclude_reason`` are left out (:func:`usable_rows`).
    A cell published as "<5" is a gap (``suppressed="drop"``, the default: the year is missing,
    not a count) or, for a bound sensitivity run, the loader's lower bound ``value_low`` (``"low"``)
    or upper bound ``value_high`` (``"high"``, 4); the ``suppressed`` column keeps the flag so a
    chart can mark the bound. A midpoint is refused: it would turn an unknown value below 5 into a
    data point.

    From 2017 the 2023 workbook splits "Other forms of exploitation" into several rows with the same
    label (sub-forms); ``duplicates="sum"`` adds them (a year with any "<5" part is a gap under
    ``drop``, and is flagged suppressed under a bound), ``"raise"`` refuses. The split is itself a
    change in recording, at 2017.

    Raises :class:`PolicyError` for an unknown ``suppressed`` or ``duplicates`` rule, or a repeated
    year under ``duplicates="raise"``.
    """
    if duplicates not in ("raise", "sum"):
        raise PolicyError(f"duplicates={duplicates!r}; choose raise or sum")
    if suppressed not in SUPPRESSED_RULES:
        extra = (" (a '<5' cell is an unknown value below 5, not 2.5: use 'drop' for a gap or "
                 "'low'/'high' for its bounds)"
                 if suppressed == "midpoint" else "")
        raise PolicyError(f"suppressed={suppressed!r}; choose one of {', '.join(SUPPRESSED_RULES)}{extra}")
    sel = _select(usable_rows(frame), indicator=indicator, category=category)
    sel = sel[sel["iso3"] == iso3]
    if sel["year"].duplicated().any() and duplicates == "raise":
        dup = sel.loc[sel["year"].duplicated(), "year"].iloc[0]
        raise PolicyError(f"glotip {iso3} {indicator} {category}: year {dup} appears more than once "
                          "(pass duplicates='sum' to add the rows)")
    sup = sel["suppressed"].astype(bool).to_numpy()
    value = sel["value"].astype(float).to_numpy().copy()
    if suppressed == "low":
        value[sup] = sel["value_low"].astype(float).to_numpy()[sup]
    elif suppressed == "high":
        value[sup] = sel["value_high"].astype(float).to_numpy()[sup]
    else:
        value[sup] = np.nan
    out = pd.DataFrame({"year": sel["year"].astype(int).to_numpy(), "count": value, "suppressed": sup})
    out = out.groupby("year", as_index=False).agg(
        count=("count", lambda v: v.sum(min_count=len(v))), suppressed=("suppressed", "any"))
    return out.dropna(subset=["count"]).sort_values("year").reset_index(drop=True)


def glotip_panel(frame: pd.DataFrame, *, indicator: str = "Detected trafficking victims",
                 category: str = "Total", suppressed: str = "drop",
                 exclude: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """:func:`glotip_series` for every country in ``frame`` (less ``exclude``), keyed by ISO3:
    the pool of control units for placebos and comparisons. Duplicate rows are summed; rows
    without an ISO3 code (UNODC aggregates) and flagged rows are left out; a country whose only
    rows are "<5" cells has an empty series under ``drop`` and is omitted."""
    if suppressed not in SUPPRESSED_RULES:  # the same refusal as glotip_series gives
        glotip_series(frame.iloc[:0], "", suppressed=suppressed)
    sel = _select(usable_rows(frame), indicator=indicator, category=category)
    sel = sel[sel["iso3"].notna() & ~sel["iso3"].isin(list(exclude))]
    # every country at once (issue 29: one glotip_series call a country re-selected the frame hundreds
    # of times); the same rules as glotip_series with duplicates="sum": a bound replaces a "<5" cell,
    # or under "drop" the cell is a gap, and a year with any gap among its rows is a gap
    sup = sel["suppressed"].astype(bool).to_numpy()
    value = sel["value"].astype(float).to_numpy().copy()
    bound = {"low": "value_low", "high": "value_high"}.get(suppressed)
    value[sup] = sel[bound].astype(float).to_numpy()[sup] if bound else np.nan
    rows = pd.DataFrame({"iso3": sel["iso3"].astype(str).to_numpy(), "year": sel["year"].astype(int).to_numpy(),
                         "count": value, "gap": np.isnan(value), "suppressed": sup})
    by = rows.groupby(["iso3", "year"], sort=True)
    agg = by.agg(count=("count", "sum"), gap=("gap", "any"), suppressed=("suppressed", "any")).reset_index()
    agg = agg[~agg["gap"]]
    out = {}
    for iso, part in agg.groupby("iso3", sort=True):
        out[str(iso)] = pd.DataFrame({"year": part["year"].to_numpy(), "count": part["count"].to_numpy(dtype=float),
                                      "suppressed": part["suppressed"].to_numpy(dtype=bool)})
    return out


def ucr_yearly(frame: pd.DataFrame, offences: Sequence[str], *,
               agencies: Sequence[str] | None = None, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Yearly FBI UCR human-trafficking offences: ``year``, ``count`` (sum of ``actual``),
    ``agencies`` (distinct ORIs with at least one row that year), ``per_agency``.

    Rows of the same agency, year and offence are summed (the file has several rows per agency and
    year). With ``agencies`` (a fixed panel) only those ORIs are counted and ``agencies`` is the
    panel size, so the panel's count is not moved by agencies joining. Caveat: the published file
    lists only agencies that recorded at least one offence, so "agencies" here is agencies with at
    least one record, not agencies that reported, and a per-agency rate is conditional on a record.
    """
    sel = frame[frame["offence"].isin(list(offences))]
    if years is not None:
        sel = sel[sel["year"].isin(list(years))]
    if agencies is not None:
        sel = sel[sel["ori"].isin(list(agencies))]
    out = sel.groupby("year").agg(count=("actual", "sum"), agencies=("ori", "nunique")).reset_index()
    if agencies is not None:
        out["agencies"] = len(set(agencies))
    out["count"] = out["count"].astype(float)
    out["per_agency"] = out["count"] / out["agencies"]
    return out


def ucr_fixed_panel(frame: pd.DataFrame, years: Sequence[int],
                    offences: Sequence[str] | None = None) -> list[str]:
    """ORIs with at least one recorded offence in every one of ``years`` (a fixed panel).

    Selecting agencies on having a record every year selects on the outcome: the panel's counts
    cannot fall to zero, which biases against finding a fall. State this wherever it is used.
    """
    sel = frame if offences is None else frame[frame["offence"].isin(list(offences))]
    sel = sel[sel["year"].isin(list(years))]
    per = sel.groupby("ori")["year"].nunique()
    return sorted(per[per == len(set(years))].index.astype(str))
