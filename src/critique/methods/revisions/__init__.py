"""Revisions between releases: the same data year, counted again.

A new release of UNODC's country data does not only add a year: it revises the past. Countries
that had not reported a year appear in it later, and counts already published are corrected. A
summed total for a data year can therefore change a lot between releases (data year 2019: about
49,600 detected victims from 116 countries in the release of 30 May 2023, about 82,300 from 134
in the release of 14 April 2025). This module says how much of such a change is *who is counted*
and how much is *what they count*.

For one data year and region, with A the older and B the newer release, every country falls in
exactly one of three sets: in both releases, only in A, only in B. Then, exactly,

    T_B - T_A = sum_{only B} v_B  -  sum_{only A} v_A  +  sum_{both} (v_B - v_A)
              =      added       +      dropped       +        revised

This is the accounting identity of ``critique.methods.coverage.decompose_change`` (entering, leaving and
continuing reporters between two years of one release), applied between two releases of one data
year; it is computed here on the pair of releases directly because a data year can be absent
from the older release altogether (its last year plus one), which the year-to-year function has no
row for. Suppressed cells (``<5``) are kept as bounds: the identity is computed on
the low-bound sums (each ``<5`` counts 0) and on the high-bound sums (each counts 4) separately,
and holds exactly for each.

A country is *present* in a release's data year when it has a national total (indicator, sex and
age "Total") for that year; rows flagged with an ``exclude_reason`` (when the loader provides the
column) are not used. Regions are UNODC's; a country whose region differs between releases is
placed by the newer release. All functions are pure: frames in, frames out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from critique.methods.coverage import GLOTIP_VICTIMS, select_glotip
from critique.core.errors import DataError, ParameterError

KEY = ["iso3", "year"]
PARTS = ("added", "dropped", "revised")


def usable_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose ``exclude_reason`` is missing (all rows when the column does not exist)."""
    if "exclude_reason" not in frame.columns:
        return frame
    return frame[frame["exclude_reason"].isna()]


def national_totals(frame: pd.DataFrame, *, indicator: str = GLOTIP_VICTIMS,
                    years: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per country and data year: ``iso3, country, region, year, low, high, suppressed``.

    ``frame`` is a tidy ``glotip`` release (``critique.datasets.load("glotip@...")``). Uses the
    national total rows (dimension, category, sex and age "Total") of ``indicator``; rows without
    an ISO3 code (UNODC's aggregates) are left out. ``low``/``high`` are the count's bounds (equal
    unless the cell was published as ``<5``). Raises ``DataError`` when a country has two usable
    total rows for one year (a sum would double count: the loader's row flags should mark one).
    """
    rows = select_glotip(usable_rows(frame), indicator=indicator, dimension="Total", category="Total")
    rows = rows[rows["iso3"].notna()]
    if years is not None:
        rows = rows[rows["year"].isin(list(years))]
    dup = rows.duplicated(KEY, keep=False)
    if dup.any():
        first = rows.loc[dup, KEY].iloc[0]
        raise DataError(f"national_totals: {int(dup.sum())} rows repeat a country-year total "
                        f"(first: {first['iso3']} {int(first['year'])}); flag the repeats in the loader")
    out = pd.DataFrame({
        "iso3": rows["iso3"].astype(str).to_numpy(),
        "country": rows["country"].astype(object).to_numpy(),
        "region": rows["region"].astype(object).to_numpy(),
        "year": rows["year"].astype(int).to_numpy(),
        "low": rows["value_low"].astype(float).to_numpy(),
        "high": rows["value_high"].astype(float).to_numpy(),
        "suppressed": rows["suppressed"].astype(bool).to_numpy(),
    })
    return out.sort_values(KEY, ignore_index=True)


def pair_countries(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Country-years of two releases' :func:`national_totals` side by side.

    Columns ``iso3, year, country, region, low_a, high_a, low_b, high_b, status`` where status is
    ``both``, ``only_a`` or ``only_b``; region and name from the newer release (B) when present.
    """
    m = a.merge(b, on=KEY, how="outer", suffixes=("_a", "_b"), indicator=True)
    status = m["_merge"].map({"both": "both", "left_only": "only_a", "right_only": "only_b"}).astype(str)
    out = pd.DataFrame({
        "iso3": m["iso3"], "year": m["year"].astype(int),
        "country": m["country_b"].where(m["country_b"].notna(), m["country_a"]),
        "region": m["region_b"].where(m["region_b"].notna(), m["region_a"]),
        "low_a": m["low_a"], "high_a": m["high_a"], "low_b": m["low_b"], "high_b": m["high_b"],
        "status": status,
    })
    return out.sort_values(KEY, ignore_index=True)


def decompose(a: pd.DataFrame, b: pd.DataFrame, *, by: Sequence[str] = ("year", "region")) -> pd.DataFrame:
    """The change in each summed total between release A and B, split into added, dropped, revised.

    ``a`` and ``b`` are :func:`national_totals` of the older and newer release. One row per group
    of ``by`` (``"year"`` alone gives the world; ``("year", "region")`` splits it), with, for each
    bound ``x`` in (low, high): ``total_a_x``, ``total_b_x``, ``change_x`` and its parts
    ``added_x`` (countries only in B, their B count), ``dropped_x`` (countries only in A, minus
    their A count) and ``revised_x`` (countries in both, B minus A). ``change_x`` equals the sum of
    its three parts exactly (the counts are whole numbers). Also ``countries_a``, ``countries_b``,
    ``only_a``, ``only_b``, ``both`` and ``revised_countries`` (in both, with a different count).
    """
    by = list(by)
    unknown = [c for c in by if c not in ("year", "region")]
    if unknown:
        raise ParameterError(f"decompose: by={by!r}; group by 'year' and optionally 'region'")
    p = pair_countries(a, b)
    for x in ("low", "high"):
        both = p["status"].eq("both")
        p[f"added_{x}"] = np.where(p["status"].eq("only_b"), p[f"{x}_b"], 0.0)
        p[f"dropped_{x}"] = np.where(p["status"].eq("only_a"), -p[f"{x}_a"], 0.0)
        p[f"revised_{x}"] = np.where(both, p[f"{x}_b"] - p[f"{x}_a"], 0.0)
        p[f"total_a_{x}"] = p[f"{x}_a"].fillna(0.0)
        p[f"total_b_{x}"] = p[f"{x}_b"].fillna(0.0)
    p["in_a"] = p["status"].ne("only_b")
    p["in_b"] = p["status"].ne("only_a")
    p["only_a"] = p["status"].eq("only_a")
    p["only_b"] = p["status"].eq("only_b")
    p["both"] = p["status"].eq("both")
    p["revised_country"] = p["both"] & ((p["low_b"] != p["low_a"]) | (p["high_b"] != p["high_a"]))
    sums = {f"{part}_{x}": "sum" for part in ("total_a", "total_b", *PARTS) for x in ("low", "high")}
    counts = {"in_a": "sum", "in_b": "sum", "only_a": "sum", "only_b": "sum", "both": "sum",
              "revised_country": "sum"}
    g = p.groupby(by, dropna=False).agg({**sums, **counts}).reset_index()
    g = g.rename(columns={"in_a": "countries_a", "in_b": "countries_b", "revised_country": "revised_countries"})
    for x in ("low", "high"):
        g[f"change_{x}"] = g[f"total_b_{x}"] - g[f"total_a_{x}"]
    int_cols = [c for c in g.columns if c not in by]
    g[int_cols] = g[int_cols].round().astype("int64")
    order = by + ["countries_a", "countries_b", "both", "only_a", "only_b", "revised_countries"] + [
        f"{p_}_{x}" for x in ("low", "high") for p_ in ("total_a", "total_b", "change", *PARTS)]
    return g[order]


def largest_revisions(a: pd.DataFrame, b: pd.DataFrame, *, n: int = 15, years: Sequence[int] | None = None,
                      min_count: float = 0.0) -> pd.DataFrame:
    """Country-years present in both releases whose count changed most (by absolute change).

    Columns ``iso3, country, region, year, count_a, count_b, suppressed_a, suppressed_b, change,
    relative`` where counts are the high bounds (equal to the count unless suppressed; a ``<5``
    cell shows as 4, with ``suppressed_*`` True) and
    ``relative`` is ``change / count_a`` (NaN when ``count_a`` is 0). ``min_count`` keeps rows
    whose larger count reaches it.
    """
    if n < 1:
        raise ParameterError(f"largest_revisions: n={n}; expected at least 1")
    p = pair_countries(a, b)
    p = p[p["status"].eq("both")]
    if years is not None:
        p = p[p["year"].isin(list(years))]
    out = pd.DataFrame({
        "iso3": p["iso3"], "country": p["country"], "region": p["region"], "year": p["year"],
        "count_a": p["high_a"], "count_b": p["high_b"],
        "suppressed_a": p["low_a"] != p["high_a"], "suppressed_b": p["low_b"] != p["high_b"],
    })
    out["change"] = out["count_b"] - out["count_a"]
    out["relative"] = np.where(out["count_a"] > 0, out["change"] / out["count_a"].where(out["count_a"] > 0), np.nan)
    out = out[(out["change"] != 0) & (out[["count_a", "count_b"]].max(axis=1) >= min_count)]
    out = out.reindex(out["change"].abs().sort_values(ascending=False, kind="stable").index)
    return out.head(n).reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """"Detected victims rose X% from year A to year B" as one release reads it."""

    release: str
    year_from: int
    year_to: int
    countries_from: int
    countries_to: int
    total_from: tuple[float, float]
    total_to: tuple[float, float]
    panel_countries: int
    panel_from: tuple[float, float]
    panel_to: tuple[float, float]

    @staticmethod
    def _pct(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
        """Percent change as bounds: the smallest and largest over counts inside their bounds."""
        lo = 100.0 * (b[0] / a[1] - 1.0) if a[1] > 0 else float("nan")
        hi = 100.0 * (b[1] / a[0] - 1.0) if a[0] > 0 else float("nan")
        return lo, hi

    @property
    def change_pct(self) -> tuple[float, float]:
        """Percent change of the sum over all reporting countries (bounds)."""
        return self._pct(self.total_from, self.total_to)

    @property
    def panel_change_pct(self) -> tuple[float, float]:
        """Percent change over the countries reporting in both years of this release (bounds)."""
        return self._pct(self.panel_from, self.panel_to)


def headline(totals: pd.DataFrame, year_from: int, year_to: int, *, release: str = "") -> Headline:
    """How "detected victims rose X% from ``year_from`` to ``year_to``" reads in one release.

    ``totals`` is :func:`national_totals` of one release. Gives the sum over every reporting
    country in each year (the headline as usually written) and over the fixed panel of countries
    reporting in both years. Raises ``ParameterError`` when a year has no reporting country.
    """
    if year_from == year_to:
        raise ParameterError(f"headline: year_from and year_to are both {year_from}; choose two years")
    a = totals[totals["year"] == year_from]
    b = totals[totals["year"] == year_to]
    for yr, part in ((year_from, a), (year_to, b)):
        if part.empty:
            known = sorted(totals["year"].unique().tolist())
            raise ParameterError(f"headline: no country reports data year {yr} in release {release or '?'} "
                                 f"(years: {known[0]}-{known[-1]})" if known else f"headline: no data for {yr}")
    panel = sorted(set(a["iso3"]) & set(b["iso3"]))
    pa_, pb_ = a[a["iso3"].isin(panel)], b[b["iso3"].isin(panel)]
    return Headline(
        release=release, year_from=year_from, year_to=year_to,
        countries_from=int(a["iso3"].nunique()), countries_to=int(b["iso3"].nunique()),
        total_from=(float(a["low"].sum()), float(a["high"].sum())),
        total_to=(float(b["low"].sum()), float(b["high"].sum())),
        panel_countries=len(panel),
        panel_from=(float(pa_["low"].sum()), float(pa_["high"].sum())),
        panel_to=(float(pb_["low"].sum()), float(pb_["high"].sum())),
    )


def headline_table(headlines: Sequence[Headline]) -> pd.DataFrame:
    """Headlines of several releases as a table (one row per release), for a chart or print."""
    rows = []
    for h in headlines:
        rows.append({
            "release": h.release, "year_from": h.year_from, "year_to": h.year_to,
            "countries_from": h.countries_from, "countries_to": h.countries_to,
            "total_from_low": h.total_from[0], "total_from_high": h.total_from[1],
            "total_to_low": h.total_to[0], "total_to_high": h.total_to[1],
            "change_pct_low": h.change_pct[0], "change_pct_high": h.change_pct[1],
            "panel_countries": h.panel_countries,
            "panel_change_pct_low": h.panel_change_pct[0], "panel_change_pct_high": h.panel_change_pct[1],
        })
    return pd.DataFrame(rows)


def year_totals(totals: pd.DataFrame) -> pd.DataFrame:
    """Summed national totals per data year of one release: ``year, countries, low, high``."""
    g = totals.groupby("year").agg(countries=("iso3", "nunique"), low=("low", "sum"), high=("high", "sum"))
    return g.reset_index()


def pick_pair(releases: Sequence[str], newer: str, older: str = "") -> tuple[str, str] | None:
    """The (older, newer) release ids to compare, or None when ``newer`` has no older release.

    ``releases`` are a source's release ids newest first (``critique.datasets.releases``);
    ``newer`` is the release the edition reads; ``older`` a release date or id chosen by the user
    (empty: the release just before ``newer``). Raises ``ParameterError`` naming the releases when
    ``older`` is unknown or not older than ``newer``.
    """
    releases = list(releases)
    if newer not in releases:
        raise ParameterError(f"release {newer!r} is not one of {', '.join(releases)}")
    earlier = releases[releases.index(newer) + 1:]
    if not older:
        return (earlier[0], newer) if earlier else None
    match = [r for r in releases if r == older or r.endswith("@" + older)]
    if not match:
        raise ParameterError(f"release_from={older!r}: not a release (releases: {', '.join(releases)})")
    if match[0] not in earlier:
        raise ParameterError(f"release_from={older!r}: must be older than {newer} "
                             f"(older releases: {', '.join(earlier) or 'none'})")
    return match[0], newer
