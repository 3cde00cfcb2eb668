"""What the suite's upstream sources cover: years, countries, rows (notebook 00).

The first lesson of the suite (Kelley 2017; UNODC's own reports) is that a count grows when coverage
grows. This module tabulates coverage for each catalogued dataset so that every later chart can be
read against it, on the same rules as the rest of the suite: for UNODC's country data only usable
rows of national units count (``critique.datasets.glotip_rules``: placeholder rows, a form row
repeating the total, parts of a country and UNODC's aggregate rows are not reports), a ``"<5"`` cell
is a report of 0 to 4, and the release's incomplete latest year (``glotip_rules.year_status``) is
drawn marked and left out of the peak. :func:`catalogue` returns notebook 00's result object.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique import datasets
from critique.methods.coverage import reporting
from critique.datasets import catalog, glotip_rules
from critique.core import i18n
from critique.core.i18n import N_


@dataclass(frozen=True)
class CoverageSpec:
    """Which columns of a loaded dataset hold the year and the country (or other unit)."""

    year: str | None
    unit: str
    unit_label: str
    keep: str | None = None  # a boolean or notna column restricting rows that count as covered


COVERAGE_SPECS: dict[str, CoverageSpec] = {
    "glotip": CoverageSpec("year", "iso3", N_("countries")),
    "tip-tiers": CoverageSpec("report_year", "iso3", N_("countries rated"), keep="tier"),
    "gsi-2023": CoverageSpec(None, "iso3", N_("countries with an estimate"), keep="estimated_number"),
    "ctdc-2020": CoverageSpec("year", "exploitation_iso3", N_("countries of exploitation")),
    "fbi-ucr-ht": CoverageSpec("year", "ori", N_("agencies with at least one record")),
}


def _covered(frame: pd.DataFrame, spec: CoverageSpec, ds_id: str = "") -> pd.DataFrame:
    if ds_id and catalog.split_id(ds_id)[0] == "glotip":
        frame = glotip_rules.usable(frame)
        if "region" in frame.columns:  # UNODC's sub-regional aggregate rows have no region
            frame = frame[frame["region"].notna()]
    if spec.keep is not None:
        frame = frame[frame[spec.keep].notna()]
    return frame[frame[spec.unit].notna()]


def source_coverage(ids: list[str] | None = None, *, edition: str = datasets.NEWEST) -> pd.DataFrame:
    """One row per upstream dataset: publisher, years, number of units covered, rows, licence.

    An id may name a release (``glotip@2023-05-30``); a bare id reads the release ``edition``
    gives it (``critique.datasets.edition_id``; newest by default). Column ``release`` names it.
    ``rows`` counts every row of the file; years and units count usable rows only (for UNODC:
    usable rows of national units, see the module docstring).
    """
    rows = []
    for ds_id in ids or list(COVERAGE_SPECS):
        spec = COVERAGE_SPECS[catalog.split_id(ds_id)[0]]
        frame = datasets.load(ds_id, edition=edition)
        covered = _covered(frame, spec, ds_id)
        ds = catalog.get(datasets.edition_id(ds_id, edition))
        if spec.year:
            first, last = int(covered[spec.year].min()), int(covered[spec.year].max())
        else:
            first, last = ds.years if ds.years else (None, None)
        rows.append({
            "id": ds_id, "publisher": ds.publisher, "first_year": first, "last_year": last,
            "units": int(covered[spec.unit].nunique()), "unit_label": spec.unit_label,
            "rows": len(frame), "licence": ds.licence, "release": ds.release_id,
        })
    return pd.DataFrame(rows)


def units_by_year(ds_id: str, *, edition: str = datasets.NEWEST) -> pd.Series:
    """How many units (countries, agencies) a dataset covers in each year (UNODC: usable rows of
    national units, any indicator)."""
    spec = COVERAGE_SPECS[catalog.split_id(ds_id)[0]]
    if spec.year is None:
        raise ValueError(f"dataset '{ds_id}' has no year column: it covers one reference year")
    covered = _covered(datasets.load(ds_id, edition=edition), spec, ds_id)
    return covered.groupby(spec.year)[spec.unit].nunique().rename(ds_id)


@dataclass
class Catalogue:
    """Notebook 00's result: the coverage table, each source's citation and caveats, units per year
    by source, UNODC's partial years, how many countries a year rest on minimal cells only, the
    three kinds of "not reporting" by year over every country UNODC collects from or the TIP report
    rates (``critique.methods.coverage.reporting``), and the findings."""

    ids: list[str]
    release: str
    table: pd.DataFrame
    sources: pd.DataFrame
    series: dict[str, pd.Series]
    partial: dict[str, list[int]]
    minimal: pd.Series  # UNODC: countries per year whose only usable cells are "<5" or citizenship counts
    suppressed_cells: int
    year_note: str
    kinds: pd.DataFrame = None  # type: ignore[assignment]  # UNODC reporting kinds by year (reporting.kinds_by_year)
    not_collected: list[str] = None  # type: ignore[assignment]  # TIP-rated countries absent from the release

    def labels(self) -> dict[str, str]:
        return {d: COVERAGE_SPECS[catalog.split_id(d)[0]].unit_label for d in self.series}

    def findings(self) -> dict[str, object]:
        """``<id>_rows|units|first_year|last_year`` per source, UNODC's counts and FBI's agencies."""
        out: dict[str, object] = {}
        for _, row in self.table.iterrows():
            for key in ("rows", "units", "first_year", "last_year"):
                out[f"{row['id'].replace('-', '_')}_{key}"] = row[key]
        gk = next((d for d in self.series if catalog.split_id(d)[0] == "glotip"), None)
        if gk:
            s = self.series[gk]
            full = s.loc[~s.index.isin(self.partial.get(gk, []))]
            first = int(s.index[0])
            out.update({"glotip_release": self.release, "glotip_suppressed_cells": self.suppressed_cells,
                        "glotip_countries_first_year": int(s.iloc[0]),
                        "glotip_countries_first_year_minimal": int(self.minimal.get(first, 0)),
                        "glotip_countries_peak": int(full.max()), "glotip_countries_peak_year": int(full.idxmax()),
                        "glotip_last_complete_year": int(full.index.max()),
                        "glotip_countries_last_complete": int(full.iloc[-1]),
                        "glotip_partial_years": self.partial.get(gk, []), "glotip_year_note": self.year_note,
                        "glotip_not_collected": list(self.not_collected or [])})
            if self.kinds is not None and len(self.kinds):
                out["glotip_reporting_kinds"] = {int(y): {k: int(v) for k, v in r.items()} for y, r in self.kinds.iterrows()}
        if "fbi-ucr-ht" in self.series:
            f = self.series["fbi-ucr-ht"]
            out.update({"fbi_agencies_first_year": int(f.iloc[0]), "fbi_agencies_last_year": int(f.iloc[-1])})
        return out

    def caption(self, first_year: int) -> dict:
        n = "; ".join(i18n._("{source}: {units} {label} in all", source=d, units=self.table.set_index('id').loc[d, 'units'],
                              label=i18n._(self.labels()[d])) for d in self.series)
        return dict(title=i18n._("How many countries or agencies each source covers, by year"),
                    description=i18n._(
                        "Number of distinct countries (UNODC, TIP tiers, CTDC) or police agencies (FBI UCR) with at "
                        "least one usable record in each year (UNODC: placeholder rows, parts of countries and "
                        "aggregate rows left out; a '<5' cell, 0 to 4, counts); a hatched year is a release's "
                        "incomplete latest data year (release lag), not a fall in coverage."),
                    caveat=[self.year_note] if self.year_note else [],
                    datasets=[self.release if catalog.split_id(d)[0] == "glotip" else d for d in self.series], n=n,
                    data=coverage_table(self.series, first_year, self.partial))


def catalogue(ids: list[str], *, edition: str = datasets.NEWEST) -> Catalogue:
    """Notebook 00's numbers for the sources ``ids`` at ``edition`` (see :class:`Catalogue`)."""
    table = source_coverage(ids, edition=edition)
    entries = {d: catalog.get(datasets.edition_id(d, edition)) for d in ids}
    sources = pd.DataFrame([{"source": d, "release": entries[d].release_id, "citation": entries[d].citation,
                             "licence": entries[d].licence, "caveats": " · ".join(entries[d].caveats),
                             "sha256": entries[d].sha256[:12] + "…"} for d in ids])
    series = {d: units_by_year(d, edition=edition) for d in ids if COVERAGE_SPECS[catalog.split_id(d)[0]].year}
    partial, minimal, suppressed, release, note = {}, pd.Series(dtype=int), 0, "", ""
    glotip_id = next((d for d in ids if catalog.split_id(d)[0] == "glotip"), None)
    if glotip_id:
        g = datasets.load(glotip_id, edition=edition)
        release = str(g.attrs.get("release", entries[glotip_id].release_id))
        partial = {glotip_id: glotip_rules.partial_years(g)}
        s = series.get(glotip_id, pd.Series(dtype=int))
        kinds = reporting.reporting_kinds(g, g["iso3"].dropna().unique(), s.index, indicator=None)
        minimal = kinds.loc[kinds["kind"] == "minimal"].groupby("year").size()
        suppressed = int(g["suppressed"].sum())
        note = glotip_rules.year_range_note(g, release=release)
        tip_id = next((d for d in ids if catalog.split_id(d)[0] == "tip-tiers"), None)
        rated = set(datasets.load(tip_id, edition=edition).dropna(subset=["tier"])["iso3"].dropna()) if tip_id else set()
        universe = sorted(rated | set(g["iso3"].dropna()))
        kinds_table = reporting.kinds_by_year(reporting.reporting_kinds(g, universe, s.index))
        not_collected = sorted(rated - set(g["iso3"].dropna()))
        return Catalogue(list(ids), release, table, sources, series, partial, minimal, suppressed, note,
                         kinds_table, not_collected)
    return Catalogue(list(ids), release, table, sources, series, partial, minimal, suppressed, note)


def coverage_table(series: dict[str, pd.Series], first_year: int,
                   partial: dict[str, list[int]] | None = None) -> pd.DataFrame:
    """The numbers behind the coverage-by-year chart: one row per source and year; ``partial`` is
    True for a source's incomplete (release-lag) data years."""
    partial = partial or {}
    rows = [pd.DataFrame({"source": ds_id, "year": s.index.astype(int), "units": s.values,
                          "partial": s.index.isin([int(y) for y in partial.get(ds_id, [])])})
            for ds_id, s in series.items()]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["source", "year", "units", "partial"])
    return out.loc[out["year"] >= first_year].reset_index(drop=True)
