"""What the suite's upstream sources cover: years, countries, rows.

The first lesson of the suite (Kelley 2017; UNODC's own reports) is that a count grows when coverage
grows. This module tabulates coverage for each catalogued dataset so that every later chart can be
read against it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique import datasets
from critique.datasets import catalog


@dataclass(frozen=True)
class CoverageSpec:
    """Which columns of a loaded dataset hold the year and the country (or other unit)."""

    year: str | None
    unit: str
    unit_label: str
    keep: str | None = None  # a boolean or notna column restricting rows that count as covered


COVERAGE_SPECS: dict[str, CoverageSpec] = {
    "glotip": CoverageSpec("year", "iso3", "countries"),
    "tip-tiers": CoverageSpec("report_year", "iso3", "countries rated", keep="tier"),
    "gsi-2023": CoverageSpec(None, "iso3", "countries with an estimate", keep="estimated_number"),
    "ctdc-2020": CoverageSpec("year", "exploitation_iso3", "countries of exploitation"),
    "fbi-ucr-ht": CoverageSpec("year", "ori", "agencies with at least one record"),
}


def _covered(frame: pd.DataFrame, spec: CoverageSpec) -> pd.DataFrame:
    if spec.keep is not None:
        frame = frame[frame[spec.keep].notna()]
    return frame[frame[spec.unit].notna()]


def source_coverage(ids: list[str] | None = None, *, edition: str = datasets.NEWEST) -> pd.DataFrame:
    """One row per upstream dataset: publisher, years, number of units covered, rows, licence.

    An id may name a release (``glotip@2023-05-30``); a bare id reads the release ``edition``
    gives it (``critique.datasets.edition_id``; newest by default). Column ``release`` names it.
    """
    rows = []
    for ds_id in ids or list(COVERAGE_SPECS):
        spec = COVERAGE_SPECS[catalog.split_id(ds_id)[0]]
        frame = datasets.load(ds_id, edition=edition)
        covered = _covered(frame, spec)
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
    """How many units (countries, agencies) a dataset covers in each year."""
    spec = COVERAGE_SPECS[catalog.split_id(ds_id)[0]]
    if spec.year is None:
        raise ValueError(f"dataset '{ds_id}' has no year column: it covers one reference year")
    covered = _covered(datasets.load(ds_id, edition=edition), spec)
    return covered.groupby(spec.year)[spec.unit].nunique().rename(ds_id)
