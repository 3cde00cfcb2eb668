"""Parsers of NCMEC CyberTipline report counts (``ncmec-reports``, ``ncmec-report-contents``).

The National Center for Missing & Exploited Children publishes yearly counts of reports made to its
CyberTipline (https://www.missingkids.org/gethelpnow/cybertipline/cybertiplinedata); the mirror
holds a transcription of them (R. Grimm, repository apparebit/diaphanous). These are counts of
REPORTS, not of victims or incidents: one incident can yield many reports, most reports come from
platforms' automated detection (hash matching of known images), and report volume follows how much
platforms scan and report as much as what happens to children.

- ``ocse-reports-per-year.csv``: ``year,reports`` (plain integers), 1998-2023.
- ``ocse-report-contents.csv``: ``category,label,year,quantity`` with quantities written as text with
  thousands separators (``"21,751,085"``), 2020-2023, including the incident type
  ``kind of exploitation / child sex trafficking``.

Numbers are parsed strictly (``critique.datasets.upstream``'s rules): thousands separators allowed,
anything else is an error naming the file, column, value and row. Nothing is dropped.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from critique.datasets import DataError, register
from critique.datasets.schemas import describe_failures
from critique.datasets.upstream import _integers, _numbers, _read_csv, _text

CONTENT_CATEGORIES = ("reports", "user location", "kind of exploitation", "attachments")
CHILD_SEX_TRAFFICKING = ("kind of exploitation", "child sex trafficking")

REPORTS_SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column("int64", pa.Check.in_range(1998, 2100, error="must be a year from 1998")),
        "reports": pa.Column("int64", pa.Check.ge(0, error="must be >= 0")),
    },
    unique=["year"], strict=True, ordered=True, name="ncmec-reports",
)

CONTENTS_SCHEMA = pa.DataFrameSchema(
    {
        "category": pa.Column("str", pa.Check.isin(CONTENT_CATEGORIES,
                                                   error="must be one of: " + ", ".join(CONTENT_CATEGORIES))),
        "label": pa.Column("str"),
        "year": pa.Column("int64", pa.Check.in_range(1998, 2100, error="must be a year from 1998")),
        "quantity": pa.Column("int64", pa.Check.ge(0, error="must be >= 0")),
    },
    unique=["category", "label", "year"], strict=True, ordered=True, name="ncmec-report-contents",
)


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, file: str, row_offset: int) -> pd.DataFrame:
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise DataError(describe_failures(exc.failure_cases, frame, file=file, row_offset=row_offset)) from None


def _counts(raw: pd.Series, *, file: str, column: str) -> pd.Series:
    floats, _ = _numbers(raw, file=file, column=column, row_offset=2, sentinels=frozenset())
    return _integers(floats, file=file, column=column, row_offset=2, nullable=False)


@register("ncmec-reports", version="1")
def parse_ncmec_reports(path: Path) -> pd.DataFrame:
    """CyberTipline reports per year: columns ``year`` and ``reports`` (int64), sorted by year.

    Raises DataError naming the file, column, value and row for a missing column, an empty or
    non-numeric cell, a repeated year or a negative count.
    """
    file = path.name
    raw = _read_csv(path, ("year", "reports"))
    frame = pd.DataFrame({"year": _counts(raw["year"], file=file, column="year"),
                          "reports": _counts(raw["reports"], file=file, column="reports")})
    _validate(frame, REPORTS_SCHEMA, file=file, row_offset=2)
    return frame.sort_values("year").reset_index(drop=True)


@register("ncmec-report-contents", version="1")
def parse_ncmec_report_contents(path: Path) -> pd.DataFrame:
    """CyberTipline report contents and incident types: ``category, label, year, quantity``.

    ``quantity`` is text with thousands separators in the file (``"21,751,085"``) and int64 here.
    The categories overlap (a report can hold several attachments; 'unique' and 'similar' photos
    are not exclusive), so quantities within a category are not shares of a whole.
    """
    file = path.name
    raw = _read_csv(path, ("category", "label", "year", "quantity"))
    frame = pd.DataFrame({
        "category": _text(raw["category"]),
        "label": _text(raw["label"]),
        "year": _counts(raw["year"], file=file, column="year"),
        "quantity": _counts(raw["quantity"], file=file, column="quantity"),
    })
    _validate(frame, CONTENTS_SCHEMA, file=file, row_offset=2)
    return frame


def incident_series(contents: pd.DataFrame, category: str, label: str) -> pd.Series:
    """One category/label of ``ncmec-report-contents`` as a Series of quantities by year.

    Raises DataError when the pair is absent, naming the labels that the category does have.
    """
    rows = contents[(contents["category"] == category) & (contents["label"] == label)]
    if rows.empty:
        have = sorted(contents.loc[contents["category"] == category, "label"].unique())
        raise DataError(f"ncmec-report-contents: no rows for category {category!r}, label {label!r} "
                        f"(labels in that category: {', '.join(have) or 'none'})")
    return rows.set_index("year")["quantity"].sort_index().rename(label)
