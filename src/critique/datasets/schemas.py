"""pandera schemas of the upstream loaders' output (the contract other modules code against).

Each schema checks what a reader of the table relies on: counts non-negative, categories from the
known set, years inside the release's range (``years`` in the catalogue, never fixed in code), ISO3
codes valid. :func:`validate` runs a schema lazily and turns pandera's report into one line that names the file, column, value and row, and
how many other failures there were (pandera's full report is long and names no file).
"""
from __future__ import annotations

from typing import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from critique.datasets import countries

GLOTIP_INDICATORS = (
    "Detected trafficking victims", "Persons prosecuted", "Persons convicted",
    "Offences of trafficking in persons", "Persons brought into formal contact",
)
GLOTIP_DIMENSIONS = ("Total", "by form of exploitation", "by citizenship", "by country of repatriation")
GLOTIP_FORMS = ("Sexual exploitation", "Forced labour", "Other forms of exploitation")
GLOTIP_SEX = ("Total", "Female", "Male", "Other", "Unknown")
GLOTIP_AGE = ("Total", "0 to 17 years", "18 years or over", "Unknown")
TIERS = ("1", "2", "2WL", "3")
GSI_REGIONS = ("Africa", "Americas", "Arab States", "Asia and the Pacific", "Europe and Central Asia")
CTDC_GENDER = ("Female", "Male")
CTDC_AGE_BROAD = ("0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+")
CTDC_EXPLOITATION = ("Sexual exploitation", "Forced labour", "Both", "Neither", "Not recorded")
FBI_OFFENCES = ("Commercial Sex Acts", "Involuntary Servitude")


def _iso3(nullable: bool) -> pa.Column:
    return pa.Column(
        "str", pa.Check(lambda s: s.isin(countries.valid_iso3()), element_wise=False,
                        error="must be a valid ISO3 code"),
        nullable=nullable,
    )


def _count(dtype: str, nullable: bool = False) -> pa.Column:
    return pa.Column(dtype, pa.Check.ge(0, error="must be >= 0"), nullable=nullable)


def _one_of(values: tuple[str, ...], nullable: bool = False) -> pa.Column:
    shown = ", ".join(values) if len(values) <= 8 else ", ".join(values[:8]) + ", ..."
    return pa.Column("str", pa.Check.isin(values, error=f"must be one of: {shown}"), nullable=nullable)


def _year_check(lo: int, hi: int) -> pa.Check:
    return pa.Check.in_range(lo, hi, error=f"must be a year in {lo}..{hi}")


def _years(dtype: str = "int64") -> pa.Column:
    """A year column; its range is the release's (``years`` in the catalogue), set by :func:`validate`."""
    return pa.Column(dtype)


def _frame_check(fn: Callable[[pd.DataFrame], pd.Series], error: str) -> pa.Check:
    return pa.Check(fn, error=error)


GLOTIP = pa.DataFrameSchema(
    {
        "iso3": _iso3(nullable=True),
        "iso3_unodc": pa.Column("str", nullable=True),
        "country": pa.Column("str", nullable=True),
        "region": pa.Column("str", nullable=True),
        "subregion": pa.Column("str", nullable=True),
        "indicator": _one_of(GLOTIP_INDICATORS),
        "dimension": _one_of(GLOTIP_DIMENSIONS),
        "category": pa.Column("str", nullable=True),
        "sex": _one_of(GLOTIP_SEX),
        "age": _one_of(GLOTIP_AGE),
        "year": _years(),
        "value": _count("float64", nullable=True),
        "suppressed": pa.Column("bool"),
        "value_low": _count("float64"),
        "value_high": _count("float64"),
        "source": pa.Column("str"),
    },
    checks=[
        _frame_check(lambda f: ~f["dimension"].eq("by form of exploitation") | f["category"].isin(GLOTIP_FORMS),
                     "category of 'by form of exploitation' must be one of: " + ", ".join(GLOTIP_FORMS)),
        _frame_check(lambda f: ~f["dimension"].eq("Total") | f["category"].eq("Total"),
                     "category of dimension 'Total' must be 'Total'"),
        _frame_check(lambda f: f["value_low"] <= f["value_high"], "value_low must be <= value_high"),
        _frame_check(lambda f: f["suppressed"] | (f["value"].eq(f["value_low"]) & f["value"].eq(f["value_high"])),
                     "value, value_low and value_high must be equal in a cell that is not suppressed"),
        _frame_check(lambda f: f["iso3"].notna() | f["iso3_unodc"].notna() | f["country"].notna(),
                     "a row needs an ISO3 code, a UNODC code or a country name"),
    ],
    strict=True,
    ordered=True,
    name="glotip",
)

TIP_TIERS = pa.DataFrameSchema(
    {
        "iso3": _iso3(nullable=False),
        "country": pa.Column("str"),
        "report_year": _years(),
        "tier": pa.Column(pd.CategoricalDtype(list(TIERS), ordered=True), nullable=True),
        "ccode": pa.Column("Int64", nullable=True),
    },
    unique=["iso3", "report_year"],
    strict=True,
    ordered=True,
    name="tip-tiers",
)

GSI_2023 = pa.DataFrameSchema(
    {
        "iso3": _iso3(nullable=False),
        "country": pa.Column("str"),
        "region": _one_of(GSI_REGIONS),
        "population": _count("Int64", nullable=True),
        "prevalence_per_1000": pa.Column("float64", pa.Check.in_range(0, 1000, error="must be in 0..1000"),
                                         nullable=True),
        "estimated_number": _count("Int64", nullable=True),
    },
    unique=["iso3"],
    strict=True,
    ordered=True,
    name="gsi-2023",
)

CTDC_2020 = pa.DataFrameSchema(
    {
        "year": _years(dtype="Int64"),
        "gender": _one_of(CTDC_GENDER, nullable=True),
        "age_broad": _one_of(CTDC_AGE_BROAD, nullable=True),
        "citizenship_iso3": _iso3(nullable=True),
        "exploitation_iso3": _iso3(nullable=True),
        "is_forced_labour": pa.Column("boolean", nullable=True),
        "is_sexual_exploit": pa.Column("boolean", nullable=True),
        "exploitation_type": _one_of(CTDC_EXPLOITATION),
    },
    strict=True,
    ordered=True,
    name="ctdc-2020",
)

FBI_UCR_HT = pa.DataFrameSchema(
    {
        "year": _years(),
        "ori": pa.Column("str", pa.Check.str_matches(r"^[A-Z0-9]{9}$", error="must be a 9-character ORI")),
        "agency": pa.Column("str"),
        "agency_type": pa.Column("str"),
        "state": pa.Column("str", pa.Check.str_matches(r"^[A-Z]{2}$", error="must be a 2-letter state code")),
        "offence": _one_of(FBI_OFFENCES),
        # UCR "actual" = reported minus unfounded: an agency that unfounds an offence reported in
        # an earlier period records a negative actual count (one such row in 2020). What cannot be
        # negative is the number reported, actual + unfounded (checked below).
        "actual": pa.Column("int64"),
        "unfounded": _count("int64"),
        "cleared": _count("int64"),
        "juvenile_cleared": _count("int64"),
        "population_group": pa.Column("str", nullable=True),
    },
    checks=[
        _frame_check(lambda f: (f["actual"] + f["unfounded"]) >= 0,
                     "actual + unfounded (offences reported) must be >= 0"),
    ],
    strict=True,
    ordered=True,
    name="fbi-ucr-ht",
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "glotip": GLOTIP, "tip-tiers": TIP_TIERS, "gsi-2023": GSI_2023, "ctdc-2020": CTDC_2020,
    "fbi-ucr-ht": FBI_UCR_HT,
}
# The column(s) each schema's year range applies to (the range itself comes from the release).
YEAR_COLUMNS: dict[str, tuple[str, ...]] = {"glotip": ("year",), "tip-tiers": ("report_year",),
                                            "ctdc-2020": ("year",), "fbi-ucr-ht": ("year",)}


def schema_for(dataset_id: str, years: tuple[int, int] | None = None) -> pa.DataFrameSchema:
    """The schema of ``dataset_id`` with its year column limited to ``years`` (a release's range)."""
    schema = SCHEMAS[dataset_id]
    if years is None:
        return schema
    lo, hi = int(years[0]), int(years[1])
    for column in YEAR_COLUMNS.get(dataset_id, ()):
        schema = schema.update_column(column, checks=[*schema.columns[column].checks, _year_check(lo, hi)])
    return schema


def validate(frame: pd.DataFrame, dataset_id: str, *, file: str, row_offset: int,
             years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Validate ``frame`` against the schema of ``dataset_id``; return it unchanged if it passes.

    ``years`` is the release's year range from the catalogue (``critique.datasets.catalog.Dataset.years``);
    a year outside it fails. ``row_offset`` turns the frame's 0-based index into the file's 1-based
    row number (for a CSV with one header line it is 2). Raises ``critique.datasets.DataError``
    with one line: ``<file>: column '<c>' value <v> at row <r> <problem> (and N more failures)``.
    """
    from critique.core.errors import DataError

    try:
        return schema_for(dataset_id, years).validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise DataError(describe_failures(exc.failure_cases, frame, file=file, row_offset=row_offset)) from None


def describe_failures(cases: pd.DataFrame, frame: pd.DataFrame, *, file: str, row_offset: int) -> str:
    """One line for pandera's ``failure_cases`` table: the first failure, and how many others.

    Structural problems (missing column, wrong type) come first, then single-column checks, then
    checks across columns (pandera lists those once per column of the failing row; counted once).
    """
    cases = cases.copy()
    structural = cases["check"].astype(str).str.match(r"column_in_|dtype\(|column_ordered")
    rank = structural.map({True: 0, False: 2}).where(~cases["schema_context"].eq("Column") | structural, 1)
    cases = cases.assign(_rank=rank.to_numpy()).sort_values("_rank", kind="stable")
    distinct = cases.drop_duplicates(subset=["check", "index"] if "index" in cases else ["check"])
    first = distinct.iloc[0]
    more = len(distinct) - 1
    tail = f" (and {more} more failure{'s' if more != 1 else ''})" if more else ""
    column, check, value, index = first["column"], str(first["check"]), first["failure_case"], first.get("index")
    if check == "column_in_dataframe":
        return f"{file}: column '{value}' missing (columns: {', '.join(map(str, frame.columns))}){tail}"
    if check.startswith("column_in_schema"):
        return f"{file}: unexpected column '{value}'{tail}"
    if check.startswith("dtype("):
        return f"{file}: column '{column}' has type {value}, expected {check[6:-1]}{tail}"
    if check.startswith("column_ordered"):
        return f"{file}: columns out of order at '{value}'{tail}"
    at_row = _is_index(index)
    row_no = int(index) + row_offset if at_row else None
    if first["schema_context"] == "DataFrameSchema":
        # a check across columns: show the values of that row
        where = ""
        if at_row and int(index) in frame.index:
            where = ": " + ", ".join(f"{k}={_show(v)}" for k, v in frame.loc[int(index)].items())[:300]
        if check == "multiple_fields_uniqueness":
            check = "is a repeated key"
        return (f"{file}: row {row_no} fails '{check}'{where}{tail}" if at_row else f"{file}: {check}{tail}")
    row = f" at row {row_no}" if at_row else ""
    return f"{file}: column '{column}' value {_show(value)}{row} {check}{tail}"


def _show(value: object) -> str:
    """A failing value as a reader would write it: -3 rather than np.float64(-3.0)."""
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar -> Python
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value)


def _is_index(index: object) -> bool:
    try:
        int(index)  # type: ignore[call-overload]
        return not pd.isna(index)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
