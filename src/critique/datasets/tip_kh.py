"""Kelley & Heiss's tabulation of the TIP report's global law-enforcement totals, 2003-2015.

``data_figure3_2.csv`` (Scorecard Diplomacy, figure 3.2): one row per data year, the figures the
State Department printed in some TIP edition; the file does not say which edition, and later
editions revise earlier years. An empty cell is a figure not given (missing, never 0).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critique.datasets import register
from critique.datasets import schemas
from critique.datasets.upstream import _integers, _numbers, _read_csv

# file column -> column of the suite's TIP table (``tip-law-enforcement``)
COLUMNS = {
    "Year": "data_year",
    "Prosecutions": "prosecutions",
    "Prosecutions (Labor)": "labor_prosecutions",
    "Convictions": "convictions",
    "Convictions (Labor)": "labor_convictions",
    "Victims identified": "victims_identified",
    "Victims (Labor)": "labor_victims_identified",
    "New or amended legislation": "new_or_amended_legislation",
}

SCHEMA = pa.DataFrameSchema(
    {"data_year": pa.Column("int64"),
     **{c: pa.Column("Int64", pa.Check.ge(0, error="must be >= 0"), nullable=True)
        for c in list(COLUMNS.values())[1:]}},
    unique=["data_year"],
    strict=True,
    ordered=True,
    name="tip-law-enforcement-kh",
)
schemas.SCHEMAS["tip-law-enforcement-kh"] = SCHEMA
schemas.YEAR_COLUMNS["tip-law-enforcement-kh"] = ("data_year",)


@register("tip-law-enforcement-kh", version="1")
def parse_tip_law_enforcement_kh(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """One row per data year (13: 2003-2015), counts as nullable integers, columns named as in
    the suite's ``tip-law-enforcement`` table so the two can be compared column by column."""
    file = path.name
    raw = _read_csv(path, tuple(COLUMNS))
    offset = 2
    out = {}
    for src, dst in COLUMNS.items():
        floats, _ = _numbers(raw[src], file=file, column=src, row_offset=offset)
        out[dst] = _integers(floats, file=file, column=src, row_offset=offset, nullable=dst != "data_year")
    frame = pd.DataFrame(out)
    schemas.validate(frame, "tip-law-enforcement-kh", file=file, row_offset=offset, years=year_range)
    return frame
