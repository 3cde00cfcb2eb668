"""UNODC's "the year or most recent" pooling, so that a recount can be set beside an edition's
printed shares like with like.

UNODC's Global Reports give shares of detected victims for a focus year "or most recent": each
country counts with its latest year with data up to the focus year (the wording of the reports'
charts; for the 2024 edition the period behind the summarised 42% / 38% is not stated in the source
the suite holds, so the pooling is a hypothesis about that edition, graded [unverified]). A recount
on the focus year alone leaves out every country that reported only earlier, and a country's
single-year revision weighs fully; the pooled recount is the closer comparison. Neither reproduces
UNODC's own data as it stood when a report was written (later releases revise it).
"""
from __future__ import annotations

import re

import pandas as pd

from critique.core.i18n import _

from critique.core.errors import ParameterError

LOOKBACK = 3  # years before the focus year a country's "most recent" data may come from
# Data year of each edition's headline shares (glotip-editions: data_reference_years /
# shares_reference; 2016: data 2012-2014, latest taken; 2024: 2022, the report's focus year).
EDITION_DATA_YEAR = {2009: 2006, 2012: 2010, 2014: 2011, 2016: 2014, 2018: 2016, 2020: 2018,
                     2022: 2020, 2024: 2022}


def most_recent(frame: pd.DataFrame, year: int, *, lookback: int = LOOKBACK, unit: str = "unit",
                year_col: str = "year", present: str = "value_high") -> pd.DataFrame:
    """Each unit's rows for its latest year in ``[year - lookback, year]`` with a non-missing
    ``present`` value (UNODC's "``year`` or most recent"), with a column ``used_year``.

    ``frame``: long rows (e.g. the by-form rows of :func:`critique.methods.coverage.select_glotip`).
    Raises ParameterError when ``lookback`` is negative or no unit has data in the window.
    """
    if lookback < 0:
        raise ParameterError(f"most_recent: lookback={lookback}; expected 0 or more years")
    window = frame.loc[frame[year_col].between(year - lookback, year) & frame[present].notna()]
    if window.empty:
        raise ParameterError(f"most_recent: no unit has data in {year - lookback}-{year}")
    last = window.groupby(unit)[year_col].transform("max")
    out = window.loc[window[year_col] == last].copy()
    out["used_year"] = out[year_col]
    return out


def split_table(forms: pd.DataFrame, year: int, *, lookback: int = LOOKBACK, without: str | None = None,
                parts: tuple[str, str] = ("Sexual exploitation", "Forced labour"),
                unit: str = "unit", value: str = "value_high") -> pd.DataFrame:
    """The two forms' shares (%) of every victim with a form, four ways: ``year`` alone and
    ``year`` or most recent, each over all reporters and without ``without`` (a unit; None skips
    those rows). Columns: ``pooling``, ``countries``, ``excluded``, one column per form of
    ``parts``, ``victims`` (the denominator). Rows with no data are left out."""
    rows = []
    ways = [("single year", forms.loc[forms["year"] == year]),
            (f"{year} or most recent (back to {year - lookback})", most_recent(forms, year, lookback=lookback,
                                                                              unit=unit, present=value))]
    for pooling, data in ways:
        for excl in ([None, without] if without else [None]):
            d = data if excl is None else data.loc[data[unit] != excl]
            d = d.loc[d[value].notna()]
            total = float(d[value].sum())
            if not total:
                continue
            by = d.groupby("category")[value].sum()
            rows.append({"pooling": pooling, "excluded": excl or "", "countries": int(d[unit].nunique()),
                         **{p: 100 * float(by.get(p, 0.0)) / total for p in parts}, "victims": total})
    return pd.DataFrame(rows)


_MOST_RECENT = re.compile(r"(\d{4}) or most recent \(back to (\d{4})\)")


def shown(labels: pd.Series) -> pd.Series:
    """The ``pooling`` labels of :func:`split_table` as a reader sees them, in the active language
    (the labels themselves stay English: code compares them)."""
    def one(label: object) -> object:
        found = _MOST_RECENT.fullmatch(str(label))
        if found:
            return _("{year} or most recent (back to {back})", year=int(found[1]), back=int(found[2]))
        return _("single year") if label == "single year" else label

    return labels.map(one)
