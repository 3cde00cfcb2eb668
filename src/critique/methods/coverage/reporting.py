"""Three kinds of "not reporting" to UNODC, and the release lag.

A country can be missing from a year of UNODC's country data for different reasons, and a view that
sets another measure (a TIP tier, a score) against "reports to UNODC" must not mix them:

- ``"not collected"``: the release has no row for the country at all (Taiwan is not in UNODC's
  country data: its absence says nothing about what Taiwan detects);
- ``"nothing that year"``: the country is in the release but has no usable cell of the indicator
  for that data year;
- ``"minimal"``: its only usable cells that year are ``"<5"`` (each 0 to 4) or victims by
  citizenship or country of repatriation (counts of one nationality, often foreign victims), with
  no published national total and no published form of exploitation;
- ``"reports"``: a published (not ``"<5"``) national total or form of exploitation.

``release_lag`` is True for a country whose last usable year is before the release's latest data
year and whose first missing year is one that :func:`critique.datasets.glotip_rules.year_status`
marks partial or provisional: it may not have reported *yet* (late reports fill those years in the
next release).

Rows flagged with an ``exclude_reason`` (placeholders, repeated totals, parts of a country) are not
used (``critique.datasets.glotip_rules.usable``); UNODC's aggregate rows (no region) neither.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from critique.datasets import glotip_rules
from critique.core.errors import ParameterError

KINDS = ("reports", "minimal", "nothing that year", "not collected")
SUBSTANTIVE = ("Total", "by form of exploitation")


def reporting_kinds(glotip: pd.DataFrame, countries: Iterable[str], years: Sequence[int], *,
                    indicator: str | None = glotip_rules.INDICATOR) -> pd.DataFrame:
    """The kind of reporting of each country (ISO3) in each data year of one glotip release.

    ``countries``: ISO3 codes to classify (e.g. every country a TIP report rates); ``years``: data
    years; ``indicator`` None counts any indicator (victims, prosecutions, convictions...). Returns one row per country and year: ``iso3``, ``year``, ``kind`` (one of
    :data:`KINDS`), ``last_year`` (the country's last usable year in the release, missing when not
    collected), ``release_lag`` (bool, see the module docstring). Raises ParameterError when the
    indicator is not in the release.
    """
    if indicator is not None and indicator not in set(glotip["indicator"].dropna()):
        raise ParameterError(f"reporting_kinds: indicator {indicator!r} not in this release; known: "
                             f"{sorted(glotip['indicator'].dropna().unique())}")
    codes = sorted({str(c).strip().upper() for c in countries})
    years = sorted(int(y) for y in years)
    rows = glotip.loc[glotip["iso3"].notna()]
    collected = set(rows["iso3"].astype(str))
    data = glotip_rules.usable(rows)
    if "region" in data.columns:
        data = data.loc[data["region"].notna()]
    if indicator is not None:
        data = data.loc[data["indicator"] == indicator]
    published = data["value"].notna() & ~data["suppressed"].astype(bool)
    substantive = published & data["dimension"].isin(SUBSTANTIVE)
    key = [data["iso3"].astype(str), data["year"].astype(int)]
    any_cell = (data["value"].notna() | data["suppressed"].astype(bool)).groupby(key).any()
    real = substantive.groupby(key).any()
    grid = pd.MultiIndex.from_product([codes, years], names=["iso3", "year"])
    has = any_cell.reindex(grid, fill_value=False).to_numpy()
    rep = real.reindex(grid, fill_value=False).to_numpy()
    iso = grid.get_level_values("iso3")
    kind = np.select([~iso.isin(list(collected)), rep, has], ["not collected", "reports", "minimal"],
                     default="nothing that year")
    last = any_cell[any_cell].reset_index().groupby("iso3")["year"].max()
    status = glotip_rules.year_status(glotip)
    recent = set(int(y) for y in status.index[status["status"] != "settled"])
    latest = int(status.index.max())
    out = pd.DataFrame({"iso3": iso, "year": grid.get_level_values("year"), "kind": kind})
    out["last_year"] = out["iso3"].map(last)
    first_missing = out["last_year"] + 1
    lagged = (out["last_year"].notna() & (out["year"] > out["last_year"])
              & first_missing.isin(sorted(recent | {latest})))
    out["release_lag"] = lagged.to_numpy()
    return out


def kinds_by_year(kinds: pd.DataFrame) -> pd.DataFrame:
    """Countries of each kind per data year (columns in :data:`KINDS` order, plus
    ``release_lag``): the reader table of :func:`reporting_kinds`."""
    table = kinds.groupby(["year", "kind"]).size().unstack("kind", fill_value=0)
    table = table.reindex(columns=list(KINDS), fill_value=0)
    table["release lag"] = kinds.groupby("year")["release_lag"].sum()
    return table
