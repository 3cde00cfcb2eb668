"""Tier shares on all rated countries and on fixed panels, transitions and volatility, from the
merged placements of :mod:`critique.methods.tip.tiers.placements` (partial years never read as complete)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from critique.methods.tip.tiers.placements import (
    TIER_DTYPE,
    TIER_ORDER,
    IncompleteYearError,
    Partial,
    _check_years,
    complete_years,
    year_coverage,
)


# --------------------------------------------------------------------------------------------
# Distributions and panels
# --------------------------------------------------------------------------------------------
def fixed_panel(tiers: pd.DataFrame, since: int, until: int | None = None) -> list[str]:
    """ISO3 codes of countries with a tier in every *complete* report year from ``since`` to ``until``.

    Partial years cannot show that a country was rated, so they are not used to define the panel;
    a special case (no tier) breaks membership. Following Kelley (2017, ch. 3) and Kelley & Heiss,
    the panel holds composition fixed so that entry of new countries is not read as change.
    """
    years = [y for y in complete_years(tiers) if y >= since and (until is None or y <= until)]
    if not years or years[0] != since:
        raise IncompleteYearError(f"fixed_panel: since={since} is not a complete report year "
                                  f"(complete years: {complete_years(tiers)})")
    rated = tiers.loc[tiers["report_year"].isin(years) & tiers["tier"].notna()]
    counts = rated.groupby("iso3")["report_year"].nunique()
    return sorted(counts.index[counts == len(years)])


def distribution(tiers: pd.DataFrame, years: Sequence[int] | None = None, *,
                 panel: Sequence[str] | None = None, partial: Partial = "error") -> pd.DataFrame:
    """Tier counts and shares by report year, on all rated countries or on a fixed ``panel``.

    Returns long rows: report_year, tier, count, n (rated countries in the year, panel members
    only when ``panel`` is given), share (count / n), complete_year. Special cases are not rated
    and are excluded from n. For a partial year kept with ``partial='flag'`` the counts are of the
    transcribed rows only and ``share`` is missing: the transcription is a selection, so its shares
    are not the year's distribution.
    """
    years = _check_years(tiers, years, partial)
    sub = tiers.loc[tiers["report_year"].isin(years) & tiers["tier"].notna()]
    if panel is not None:
        sub = sub.loc[sub["iso3"].isin(list(panel))]
    counts = (sub.groupby(["report_year", "tier"], observed=False).size()
              .reindex(pd.MultiIndex.from_product([years, list(TIER_ORDER)],
                                                  names=["report_year", "tier"]), fill_value=0)
              .rename("count").reset_index())
    counts["n"] = counts.groupby("report_year")["count"].transform("sum")
    complete = year_coverage(tiers).set_index("report_year")["complete"]
    counts["complete_year"] = counts["report_year"].map(complete).astype(bool)
    share = counts["count"] / counts["n"].where(counts["n"] > 0)
    counts["share"] = share.where(counts["complete_year"])
    counts["tier"] = counts["tier"].astype(TIER_DTYPE)
    return counts[["report_year", "tier", "count", "n", "share", "complete_year"]]


def share_table(dist: pd.DataFrame) -> pd.DataFrame:
    """A :func:`distribution` as a wide table: report years x tiers (shares), plus n."""
    wide = dist.pivot(index="report_year", columns="tier", values="share")
    wide.columns = [str(c) for c in wide.columns]
    wide["n"] = dist.groupby("report_year")["n"].first()
    return wide


def panel_gap(all_rated: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Per year and tier: all-rated share minus fixed-panel share (percentage points)."""
    a = all_rated.set_index(["report_year", "tier"])
    p = panel.set_index(["report_year", "tier"])
    both = a[["share", "n"]].merge(p[["share", "n"]], left_index=True, right_index=True, how="inner",
                                 suffixes=("_all", "_panel"))  # join's lsuffix/rsuffix are deprecated
    both["gap_pp"] = 100 * (both["share_all"] - both["share_panel"])
    return both.reset_index()


# --------------------------------------------------------------------------------------------
# Transitions and volatility
# --------------------------------------------------------------------------------------------
def transition_matrix(tiers: pd.DataFrame, year_from: int, year_to: int, *,
                      partial: Partial = "error", normalize: bool = False) -> pd.DataFrame:
    """Counts of countries by tier in ``year_from`` (rows) and ``year_to`` (columns).

    Only countries with a tier in both years count (entries and exits are in :func:`volatility`).
    With ``normalize=True`` each row is divided by its total (the probability of each destination
    tier given the origin). A partial year is refused unless ``partial='flag'``, in which case the
    matrix counts countries *known* in both years and ``attrs['complete']`` is False.
    """
    if partial == "drop":
        raise ValueError("transition_matrix: partial='drop' is meaningless for two years; "
                         "use 'error' or 'flag'")
    _check_years(tiers, [year_from, year_to], partial)
    a = tiers.loc[(tiers["report_year"] == year_from) & tiers["tier"].notna(), ["iso3", "tier"]]
    b = tiers.loc[(tiers["report_year"] == year_to) & tiers["tier"].notna(), ["iso3", "tier"]]
    both = a.merge(b, on="iso3", suffixes=("_from", "_to"))
    mat = pd.crosstab(both["tier_from"], both["tier_to"], dropna=False).reindex(
        index=list(TIER_ORDER), columns=list(TIER_ORDER), fill_value=0)
    mat.index.name, mat.columns.name = f"tier {year_from}", f"tier {year_to}"
    if normalize:
        mat = mat.div(mat.sum(axis=1).where(lambda s: s > 0), axis=0)
    cov = year_coverage(tiers).set_index("report_year")["complete"]
    mat.attrs["complete"] = bool(cov[year_from] and cov[year_to])
    mat.attrs["n"] = int(len(both))
    return mat


def _rank(tier: pd.Series) -> pd.Series:
    return tier.cat.codes.where(tier.notna()).astype("Float64")


def volatility(tiers: pd.DataFrame, years: Sequence[int] | None = None, *,
               partial: Partial = "error") -> pd.DataFrame:
    """Year-on-year movement between consecutive report years.

    Per pair (previous, report_year): n_both (tier in both years), changed, share_changed,
    upgrades (towards Tier 1), downgrades, wl_entries (on Tier 2 Watch List now, not before),
    wl_exits (on it before, not now), entered (tier now, none before: new or back), left.
    Only pairs of consecutive years; with ``partial='flag'`` pairs involving a partial year give
    counts among countries known in both and missing shares and entry/exit counts (absence is
    unknown there).
    """
    years = sorted(_check_years(tiers, years, partial))
    cov = year_coverage(tiers).set_index("report_year")["complete"]
    rows = []
    for prev, cur in zip(years, years[1:]):
        if cur != prev + 1:
            continue
        a = tiers.loc[(tiers["report_year"] == prev) & tiers["tier"].notna(), ["iso3", "tier"]]
        b = tiers.loc[(tiers["report_year"] == cur) & tiers["tier"].notna(), ["iso3", "tier"]]
        both = a.merge(b, on="iso3", suffixes=("_a", "_b"))
        ra, rb = _rank(both["tier_a"]), _rank(both["tier_b"])
        complete = bool(cov[prev] and cov[cur])
        n = len(both)
        changed = int((ra != rb).sum())
        rows.append({
            "previous": prev, "report_year": cur, "complete": complete, "n_both": n,
            "changed": changed,
            "share_changed": changed / n if complete and n else np.nan,
            "upgrades": int((rb < ra).sum()), "downgrades": int((rb > ra).sum()),
            "wl_entries": int(((both["tier_b"] == "2WL") & (both["tier_a"] != "2WL")).sum()),
            "wl_exits": int(((both["tier_a"] == "2WL") & (both["tier_b"] != "2WL")).sum()),
            "entered": int((~b["iso3"].isin(a["iso3"])).sum()) if complete else np.nan,
            "left": int((~a["iso3"].isin(b["iso3"])).sum()) if complete else np.nan,
        })
    return pd.DataFrame(rows)
