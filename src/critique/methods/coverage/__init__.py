"""Reporting coverage, fixed panels and the composition of change in summed counts.

The central lesson behind these functions: a "global" count grows when more units (countries,
police agencies) report, not only when more people are exploited (UNODC itself notes that a rise in
detections can reflect "enhanced efforts by authorities to identify victims and/or a larger
trafficking problem", GLOTIP 2018 [V, secondary]; literature.md section 1.2). So every series here
can be set beside the same series on a constant panel, and a year-on-year change can be split into
who entered, who left and what changed within continuing reporters. A fixed panel removes changes in
*who* reports, not changes in *how much* each unit detects, and it is a selected group of steady
reporters, not a sample.

All functions are pure and generic: a long frame with one row per cell, a unit column (``iso3``
for UNODC countries, ``ori`` for FBI agencies), a year column and value columns. A unit *reports*
in a year when it has at least one non-missing value in the ``present`` column. For UNODC data use
``value_high`` (or ``value_low``): a suppressed cell (``<5``) is a published report of 0-4, so it
counts as reporting, while ``value`` is NaN there. UNODC rows flagged by the loader (``exclude_reason``:
placeholders, a form row repeating the total, parts of a country; ``critique.datasets.glotip_rules``)
are left out by :func:`select_glotip`.

Suppressed cells are never guessed: sums return ``(low, high)`` bounds from ``value_low`` and
``value_high`` (UNODC publishes every count below 5, zero included, as ``<5``, so each such cell adds
0 to the low and 4 to the high bound), and shares return the exact bounds of a ratio whose parts lie
in those boxes.

Years: a year in which no unit has a row is *no data*, never zero (callers reindex with NaN, not 0),
and the release's incomplete latest year (``glotip_rules.partial_years``) is left out of changes and
trends by default (:func:`complete_only`).

Modules beside these functions: ``influence`` (which country drives a total, share or change over
countries, and the value without it: used by every cross-country aggregate of the suite),
``pooling`` (UNODC's "year or most recent"), ``reporting`` (three kinds of not reporting, release
lag), ``overview`` (notebook 00), ``analysis`` and ``captions`` (notebook 10's UNODC sections),
``sources`` (notebook 10's CTDC and FBI sections).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

GLOTIP_VICTIMS = "Detected trafficking victims"
FORM_DIMENSION = "by form of exploitation"


class CoverageError(ValueError):
    """Bad input to a coverage function: the message names the column, value or parameter."""


def _need(frame: pd.DataFrame, columns: Iterable[str], func: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CoverageError(f"{func}: frame has no column(s) {missing}; columns are "
                            f"{list(frame.columns)}")


def select_glotip(
    frame: pd.DataFrame,
    *,
    indicator: str = GLOTIP_VICTIMS,
    dimension: str = "Total",
    category: str | Sequence[str] | None = None,
    sex: str = "Total",
    age: str = "Total",
    regions: Sequence[str] | None = None,
    countries_only: bool = True,
    subnational: bool = False,
) -> pd.DataFrame:
    """Rows of the tidy ``glotip`` frame for one indicator/dimension at sex=age="Total", with a
    ``unit`` column (``iso3``, else ``iso3_unodc``, else ``country``) to count and panel on.

    ``regions`` keeps only those UNODC regions (None keeps all). Only the Total x Total rows are
    used so that breakdowns by sex or age are not added to their own totals. (In the 2023 release
    18 country-years report forms only by sex or age; they drop out here.)

    ``countries_only`` drops rows without a region: in the 2023 release these are UNODC's
    sub-regional aggregate rows (codes CAR, CAS, EEU, MCA, MCN, SAF, SAM, no country name), which
    would double count if added to country rows. They may also hold countries not published one by
    one, so a sum over countries can fall short of UNODC's own regional totals.

    Rows with an ``exclude_reason`` (placeholders, repeated totals, parts of a country) are left out;
    ``subnational=True`` keeps the parts of a country (for a table of the parts, never for a sum
    with the country itself). A frame without the column is used whole.
    """
    from critique.datasets.glotip_rules import usable

    _need(frame, ["indicator", "dimension", "category", "sex", "age", "region"], "select_glotip")
    frame = usable(frame, subnational=subnational)
    mask = ((frame["indicator"] == indicator) & (frame["dimension"] == dimension)
            & (frame["sex"] == sex) & (frame["age"] == age))
    if category is not None:
        cats = [category] if isinstance(category, str) else list(category)
        mask &= frame["category"].isin(cats)
    if regions:
        _need(frame, ["region"], "select_glotip")
        unknown = sorted(set(regions) - set(frame["region"].dropna().unique()))
        if unknown:
            raise CoverageError(f"select_glotip: unknown region(s) {unknown}; known: "
                                f"{sorted(frame['region'].dropna().unique())}")
        mask &= frame["region"].isin(list(regions))
    if countries_only:
        mask &= frame["region"].notna()
    out = frame.loc[mask].copy()
    if out.empty:
        raise CoverageError(f"select_glotip: no rows for indicator={indicator!r}, "
                            f"dimension={dimension!r}, category={category!r}, sex={sex!r}, "
                            f"age={age!r}, regions={regions!r}")
    unit = out["iso3"].astype("object") if "iso3" in out.columns else pd.Series(pd.NA, index=out.index)
    for fallback in ("iso3_unodc", "country"):
        if fallback in out.columns:
            unit = unit.where(unit.notna(), out[fallback].astype("object"))
    out["unit"] = unit.astype("string")
    return out


def units_reporting(
    frame: pd.DataFrame, *, unit: str = "iso3", year: str = "year", present: str = "value_high"
) -> pd.Series:
    """Number of distinct units with at least one non-missing ``present`` value, by year."""
    _need(frame, [unit, year, present], "units_reporting")
    rep = frame.loc[frame[present].notna(), [unit, year]]
    years = pd.Index(sorted(frame[year].dropna().unique()), name=year)
    return rep.groupby(year)[unit].nunique().reindex(years, fill_value=0).rename("units")


def bounded_sum(
    frame: pd.DataFrame,
    by: str | Sequence[str],
    *,
    low: str = "value_low",
    high: str = "value_high",
) -> pd.DataFrame:
    """Sum of cells by group as bounds: columns ``low``, ``high``, ``cells``, ``suppressed``.

    A cell with ``low < high`` is suppressed (UNODC ``<5``: bounds 0 and 4); a known cell has
    ``low == high``. A cell missing both bounds is not a report and adds nothing. No midpoint is
    returned on purpose: the truth is anywhere in ``[low, high]``.
    """
    by = [by] if isinstance(by, str) else list(by)
    _need(frame, [*by, low, high], "bounded_sum")
    lo, hi = frame[low].astype(float), frame[high].astype(float)
    if ((lo > hi) & lo.notna() & hi.notna()).any():
        bad = frame.index[(lo > hi).fillna(False)][:5].tolist()
        raise CoverageError(f"bounded_sum: {low} > {high} in rows {bad}")
    if (lo.isna() != hi.isna()).any():
        bad = frame.index[lo.isna() != hi.isna()][:5].tolist()
        raise CoverageError(f"bounded_sum: rows {bad} have one bound missing; give both or neither")
    work = pd.DataFrame({"low": lo, "high": hi,
                         "cells": lo.notna().astype(int),
                         "suppressed": (hi > lo).astype(int)}, index=frame.index)
    for col in by:
        work[col] = frame[col]
    return work.groupby(by, sort=True)[["low", "high", "cells", "suppressed"]].sum()


def share_bounds(part_low, part_high, rest_low, rest_high):
    """Exact bounds of ``part / (part + rest)`` when each lies in its interval.

    The ratio rises with ``part`` and falls with ``rest``, so the low bound is
    ``part_low / (part_low + rest_high)`` and the high bound ``part_high / (part_high + rest_low)``.
    Works on scalars, arrays and aligned Series; returns ``(low, high)``.
    """
    low = part_low / (part_low + rest_high)
    high = part_high / (part_high + rest_low)
    return low, high


def form_share_by_year(
    forms: pd.DataFrame,
    *,
    form: str = "Sexual exploitation",
    unit: str = "iso3",
    year: str = "year",
    category: str = "category",
    units: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Share of ``form`` in the detected victims summed over reporting units, by year, as bounds.

    ``forms`` holds the by-form rows (one or more cells per unit, year and category: UNODC splits
    "Other forms of exploitation" into several unlabeled rows, which are summed). ``units``
    restricts to a panel. The denominator is the sum over every form reported (sexual
    exploitation, forced labour and other forms). Returns columns ``share_low``, ``share_high``,
    ``form_low``, ``form_high``, ``all_low``, ``all_high``, ``units``, ``suppressed_cells``.
    """
    _need(forms, [unit, year, category, "value_low", "value_high"], "form_share_by_year")
    if form not in set(forms[category].unique()):
        raise CoverageError(f"form_share_by_year: no rows with {category} == {form!r}; present: "
                            f"{sorted(forms[category].unique())}")
    data = forms if units is None else forms.loc[forms[unit].isin(list(units))]
    data = data.loc[data["value_high"].notna()]
    is_form = data[category] == form
    part = bounded_sum(data.loc[is_form], year)
    rest = bounded_sum(data.loc[~is_form], year)
    years = part.index.union(rest.index)
    part = part.reindex(years, fill_value=0)
    rest = rest.reindex(years, fill_value=0)
    lo, hi = share_bounds(part["low"], part["high"], rest["low"], rest["high"])
    out = pd.DataFrame({
        "share_low": lo, "share_high": hi,
        "form_low": part["low"], "form_high": part["high"],
        "all_low": part["low"] + rest["low"], "all_high": part["high"] + rest["high"],
        "units": data.groupby(year)[unit].nunique().reindex(years, fill_value=0),
        "suppressed_cells": part["suppressed"] + rest["suppressed"],
    })
    out.index.name = year
    return out


def fixed_panel(
    frame: pd.DataFrame,
    start: int,
    end: int,
    *,
    unit: str = "iso3",
    year: str = "year",
    present: str = "value_high",
) -> list[str]:
    """Units that report (a non-missing ``present`` value) in *every* year from start to end.

    Sorted. An empty list is a valid answer (no unit reports throughout) and the caller must say so.
    """
    if start > end:
        raise CoverageError(f"fixed_panel: start {start} is after end {end}")
    _need(frame, [unit, year, present], "fixed_panel")
    window = list(range(int(start), int(end) + 1))
    rep = frame.loc[frame[present].notna() & frame[year].isin(window), [unit, year]]
    n_years = rep.drop_duplicates().groupby(unit)[year].nunique()
    return sorted(n_years.index[n_years == len(window)].tolist())


def on_panel(frame: pd.DataFrame, panel: Iterable[str], *, unit: str = "iso3") -> pd.DataFrame:
    """The rows of ``frame`` whose unit is in ``panel`` (to recompute any series on a panel)."""
    _need(frame, [unit], "on_panel")
    return frame.loc[frame[unit].isin(list(panel))]


def decompose_change(
    frame: pd.DataFrame,
    *,
    unit: str = "iso3",
    year: str = "year",
    value: str = "value_high",
) -> pd.DataFrame:
    """Split each year-on-year change in the summed ``value`` into entering, leaving and continuing.

    For consecutive years ``t-1, t`` (years present in the frame, in order) with per-unit sums
    ``v_u,t`` (a unit is present when its sum is non-missing):

    - ``entering``   = sum of ``v_u,t`` over units present in ``t`` but not in ``t-1``;
    - ``leaving``    = minus the sum of ``v_u,t-1`` over units present in ``t-1`` but not ``t``;
    - ``continuing`` = sum of ``v_u,t - v_u,t-1`` over units present in both.

    Exact by construction: ``entering + leaving + continuing == total_t - total_t-1``. Use
    ``value="value_low"`` and ``"value_high"`` to carry suppressed-cell bounds through.
    Returns one row per year ``t`` (from the second year) with ``previous_total``, ``total``,
    ``change``, ``entering``, ``leaving``, ``continuing``, ``n_entering``, ``n_leaving``,
    ``n_continuing``.
    """
    _need(frame, [unit, year, value], "decompose_change")
    present = frame.loc[frame[value].notna()]
    wide = present.groupby([unit, year])[value].sum().unstack(year)  # NaN = not reporting
    years = sorted(wide.columns)
    rows = []
    for prev, cur in zip(years[:-1], years[1:]):
        a, b = wide[prev], wide[cur]
        enter, leave, both = b.notna() & a.isna(), a.notna() & b.isna(), a.notna() & b.notna()
        rows.append({
            year: cur,
            "previous_total": float(a.sum()), "total": float(b.sum()),
            "change": float(b.sum() - a.sum()),
            "entering": float(b[enter].sum()),
            "leaving": -float(a[leave].sum()),
            "continuing": float((b[both] - a[both]).sum()),
            "n_entering": int(enter.sum()), "n_leaving": int(leave.sum()),
            "n_continuing": int(both.sum()),
        })
    cols = [year, "previous_total", "total", "change", "entering", "leaving", "continuing",
            "n_entering", "n_leaving", "n_continuing"]
    return pd.DataFrame(rows, columns=cols).set_index(year)


def top_share(
    frame: pd.DataFrame,
    k: int = 1,
    *,
    unit: str = "iso3",
    year: str = "year",
    low: str = "value_low",
    high: str = "value_high",
) -> pd.DataFrame:
    """Share of each year's summed count that comes from its ``k`` largest units, as bounds.

    Units are ranked by ``high``; the top ``k`` form the part, all others the rest, and
    :func:`share_bounds` gives the exact interval. Columns ``share_low``, ``share_high``,
    ``top_units`` (the ``k`` units, largest first, joined by commas) and ``units``.
    """
    if k < 1:
        raise CoverageError(f"top_share: k must be at least 1, got {k}")
    _need(frame, [unit, year, low, high], "top_share")
    per = (frame.loc[frame[high].notna()].groupby([year, unit])[[low, high]].sum().reset_index())
    rows = []
    for y, grp in per.groupby(year, sort=True):
        grp = grp.sort_values([high, unit], ascending=[False, True])
        top, rest = grp.iloc[:k], grp.iloc[k:]
        lo, hi = share_bounds(top[low].sum(), top[high].sum(), rest[low].sum(), rest[high].sum())
        rows.append({year: y, "share_low": float(lo), "share_high": float(hi),
                     "top_units": ",".join(map(str, top[unit])), "units": len(grp)})
    return pd.DataFrame(rows).set_index(year)


def per_unit(totals: pd.Series, units: pd.Series) -> pd.Series:
    """A summed series divided by the number of reporting units, aligned on year (e.g. offences
    per reporting agency). Years with no unit give NaN, not infinity."""
    units = units.astype(float).replace(0, np.nan)
    return (totals.astype(float) / units).rename("per_unit")


def complete_only(frame: pd.DataFrame, partial: Iterable[int], *, year: str = "year") -> pd.DataFrame:
    """The rows of ``frame`` outside the ``partial`` years (the release's incomplete latest year):
    what changes and trends use by default, so that a release lag is not read as a fall."""
    _need(frame, [year], "complete_only")
    return frame.loc[~frame[year].isin([int(y) for y in partial])]


def panel_end(glotip: pd.DataFrame, requested: int = 0, *, allow_partial: bool = False) -> int:
    """The last data year of a fixed panel on one UNODC release: ``requested``, or when it is 0 the
    release's last complete year (``critique.datasets.glotip_rules.last_complete_year``: a partial
    latest year, still being filled in by late reports, is never a panel's end by default).

    Raises CoverageError naming the year when ``requested`` is a partial year of the release and
    ``allow_partial`` is False, or when it is outside the release's years.
    """
    from critique.datasets import glotip_rules

    if not requested:
        return glotip_rules.last_complete_year(glotip)
    years = sorted(int(y) for y in glotip["year"].dropna().unique())
    if int(requested) not in years:
        raise CoverageError(f"panel_end: {requested} is not a data year of this release ({years[0]}-{years[-1]})")
    partial = glotip_rules.partial_years(glotip)
    if int(requested) in partial and not allow_partial:
        raise CoverageError(f"panel_end: {requested} is the release's incomplete year ({glotip_rules.PARTIAL_LABEL}); "
                            f"choose {glotip_rules.last_complete_year(glotip)} or earlier")
    return int(requested)
