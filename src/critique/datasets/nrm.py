"""Loaders of the UK National Referral Mechanism (NRM) statistics: the quarterly and decision tables.

The Home Office publishes NRM statistics every quarter (https://www.gov.uk/government/collections/
national-referral-mechanism-statistics). The mirror holds them as re-shaped by the British Red Cross
``asylum`` R package (humaniverse/asylum, commit e7044ec): CSVs from its ``data-raw`` folder, taken
from the release of 7 March 2024 (quarter 4 2023), and R data files per quarter and first-responder
type (``critique.datasets.nrm_responders``).

What the counts are: **potential victims** referred by a first responder (police, government
agencies, local authorities, some NGOs), and the competent authorities' decisions on them. A
referral is not a finding that someone is a victim, and a positive decision follows the legal test
in force (changed in January 2023, guidance again in July 2023). No column here is called
"victims": ``potential_victims`` counts people referred, ``decisions`` counts decisions.

Traps handled once, here:

- "Total" rows and columns sit beside the categories they sum (a year row "Total" beside its
  quarters; an age "Total" beside adult, child and unknown; a location "Total"). Every total is
  checked against the sum of its parts and then dropped, so every table below holds only leaf
  categories: sum them, never a total and its parts. A total that disagrees is an error naming the
  file, row and both numbers.
- Quarters are ``pandas.Period`` values (frequency ``Q-DEC``, calendar quarters); the sequence of
  quarters must be complete and unrepeated (the package's script records that one quarter of the
  source table was once labelled with the wrong year; a repeat or gap here is refused).
- Each release restates earlier quarters: these tables are the 7 March 2024 release's figures, not
  the figures first published for each quarter (``nrm_responders`` holds those for 2022 Q2-2023 Q4).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from critique.datasets import DataError, register
from critique.datasets.schemas import describe_failures

TOTAL = "Total"
# Publisher labels -> the codes the tidy tables use.
AGES = {"Adult (18 or over)": "adult", "Child (17 or under)": "child",
        "Age not specified or unknown": "unknown", "Not specified or unknown": "unknown"}
AGE_CODES = ("adult", "child", "unknown")
LOCATIONS = {"UK": "uk", "Overseas": "overseas", "UK and Overseas": "uk_and_overseas",
             "Not specified or unknown": "unknown"}
OUTCOMES = ("negative", "positive")
QUARTER = pd.PeriodDtype("Q-DEC")


def _read(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """All cells as text after checking the header (one line naming the file when it is wrong)."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path.name}: cannot be read as a CSV ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name}: column(s) {', '.join(repr(c) for c in missing)} missing "
                        f"(found: {', '.join(repr(c) for c in frame.columns)})")
    return frame


def _counts(raw: pd.Series, *, file: str, column: str) -> pd.Series:
    """Whole non-negative counts from text; anything else names the file, column, value and CSV line."""
    text = raw.astype(str).str.strip()
    bad = ~text.str.fullmatch(r"\d+")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"{file}: column '{column}' value {text.iloc[i]!r} at line {i + 2} is not a "
                        "whole non-negative count")
    return text.astype("int64")


def _quarters(year: pd.Series, quarter: pd.Series, *, file: str) -> pd.Series:
    """``Period`` quarters from a year and a ``Q1``..``Q4`` label, each checked."""
    ok = year.astype(str).str.fullmatch(r"\d{4}") & quarter.astype(str).str.fullmatch(r"Q[1-4]")
    if not ok.all():
        i = int((~ok).to_numpy().nonzero()[0][0])
        raise DataError(f"{file}: line {i + 2}: year {year.iloc[i]!r}, quarter {quarter.iloc[i]!r} is not a "
                        "year with a quarter Q1..Q4")
    return pd.Series(pd.PeriodIndex(year.astype(str) + quarter.astype(str), freq="Q-DEC"), index=year.index)


def _check_sequence(frame: pd.DataFrame, keys: list[str], *, file: str,
                    year_range: tuple[int, int] | None) -> None:
    """Each key once, each quarter in one block of rows, blocks consecutive, years in the release's range.

    A quarter labelled with the wrong year shows up as a repeated key, a quarter in two blocks or a
    gap between blocks; each is refused naming the quarter(s).
    """
    repeated = frame.duplicated(keys, keep="first")
    if repeated.any():
        row = frame.loc[repeated].iloc[0]
        raise DataError(f"{file}: {', '.join(str(row[k]) for k in keys)} repeats an earlier row "
                        "(a mislabelled quarter?)")
    quarters = frame["quarter"]
    blocks = quarters[quarters.ne(quarters.shift())].reset_index(drop=True)
    if blocks.duplicated().any():
        raise DataError(f"{file}: quarter {blocks[blocks.duplicated()].iloc[0]} appears in two separate blocks "
                        "(a mislabelled quarter?)")
    steps = [(b - a).n for a, b in zip(blocks.iloc[:-1], blocks.iloc[1:])]
    if any(s != 1 for s in steps):
        at = next(i for i, s in enumerate(steps) if s != 1)
        raise DataError(f"{file}: quarters not consecutive at {blocks.iloc[at]} -> {blocks.iloc[at + 1]} "
                        "(a missing or mislabelled quarter?)")
    if year_range is not None:
        years = blocks.dt.year
        if years.min() < year_range[0] or years.max() > year_range[1]:
            raise DataError(f"{file}: quarters {blocks.iloc[0]}..{blocks.iloc[-1]} outside the release's years "
                            f"{year_range[0]}-{year_range[1]} (catalogue)")


def _mismatch(file: str, what: str, stated: int, summed: int) -> DataError:
    return DataError(f"{file}: {what}: the total row says {stated:,} but its parts sum to {summed:,}")


def _validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, *, file: str) -> pd.DataFrame:
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        raise DataError(describe_failures(exc.failure_cases, frame, file=file, row_offset=2)) from None


def _schema(name: str, columns: dict[str, pa.Column], unique: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema({"quarter": pa.Column(QUARTER), **columns}, unique=unique, strict=True,
                              ordered=True, name=name)


def _count_column() -> pa.Column:
    return pa.Column("int64", pa.Check.ge(0, error="must be >= 0"))


def _one_of(values) -> pa.Column:
    values = tuple(values)
    return pa.Column("str", pa.Check.isin(values, error="must be one of: " + ", ".join(values)))


REFERRALS_SCHEMA = _schema("nrm-referrals", {"age": _one_of(AGE_CODES), "location": _one_of(LOCATIONS.values()),
                                            "potential_victims": _count_column()},
                           ["quarter", "age", "location"])
DECISIONS_SCHEMA = _schema("nrm-decisions", {"age": _one_of(AGE_CODES), "outcome": _one_of(OUTCOMES),
                                            "decisions": _count_column()},
                           ["quarter", "age", "outcome"])
DTN_SCHEMA = _schema("nrm-duty-to-notify", {"reports": _count_column()}, ["quarter"])


@register("nrm-referrals", version="1")
def parse_referrals(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """NRM referrals per quarter by age at exploitation and location of exploitation.

    Input: the asylum package's ``nrm_referrals_longitudinal.csv`` (columns Year, Quarter, Age at
    exploitation, Location of exploitation, NRM referrals; one row per quarter x age x location,
    with a location "Total" row per quarter and age). Output columns: ``quarter`` (Period),
    ``age`` (adult, child, unknown), ``location`` (uk, overseas, uk_and_overseas, unknown),
    ``potential_victims`` (int64): leaf cells only, the "Total" rows checked and dropped.

    Raises DataError for a missing column, a non-count, an unknown age or location label, a total
    that differs from its parts, or quarters that repeat or skip.
    """
    file = path.name
    raw = _read(path, ("Year", "Quarter", "Age at exploitation", "Location of exploitation", "NRM referrals"))
    frame = pd.DataFrame({
        "quarter": _quarters(raw["Year"], raw["Quarter"], file=file),
        "age_label": raw["Age at exploitation"].str.strip(),
        "location_label": raw["Location of exploitation"].str.strip(),
        "potential_victims": _counts(raw["NRM referrals"], file=file, column="NRM referrals"),
    })
    _check_sequence(frame, ["quarter", "age_label", "location_label"], file=file, year_range=year_range)
    for column, known in (("age_label", AGES), ("location_label", {**LOCATIONS, TOTAL: TOTAL})):
        unknown = sorted(set(frame[column]) - set(known))
        if unknown:
            raise DataError(f"{file}: unknown {column.split('_')[0]} label(s) {', '.join(map(repr, unknown))} "
                            f"(known: {', '.join(sorted(known))})")
    is_total = frame["location_label"].eq(TOTAL)
    parts = frame[~is_total].groupby(["quarter", "age_label"], sort=False)["potential_victims"].sum()
    stated = frame[is_total].set_index(["quarter", "age_label"])["potential_victims"]
    _compare(stated, parts, file=file, what=lambda k: f"{k[0]}, {k[1]}: location Total")
    out = frame[~is_total].assign(age=lambda f: f["age_label"].map(AGES),
                                  location=lambda f: f["location_label"].map(LOCATIONS))
    out = out[["quarter", "age", "location", "potential_victims"]].reset_index(drop=True)
    return _validate(out, REFERRALS_SCHEMA, file=file)


def _compare(stated: pd.Series, parts: pd.Series, *, file: str, what) -> None:
    """Every stated total equals the sum of its parts (a part absent from the file counts 0)."""
    parts = parts.reindex(stated.index, fill_value=0)
    bad = stated.ne(parts)
    if bad.any():
        key = stated.index[bad.to_numpy().nonzero()[0][0]]
        raise _mismatch(file, what(key), int(stated[key]), int(parts[key]))


_DECISION_COLUMN = re.compile(r"^(?P<age>.+) - (?P<outcome>Negative|Positive) (reasonable|conclusive) grounds$")


def _parse_decisions(path: Path, year_range: tuple[int, int] | None, stage: str) -> pd.DataFrame:
    file = path.name
    raw = _read(path, ("Year", "Quarter", "Total"))
    cells = {}
    for column in raw.columns:
        match = _DECISION_COLUMN.match(column)
        if match:
            if match.group("age") not in AGES or stage not in column:
                raise DataError(f"{file}: column {column!r} is not a {stage}-grounds decision column of a known age group")
            cells[column] = (AGES[match.group("age")], match.group("outcome").lower())
    ages = {a for a, _ in cells.values()}
    if len(cells) != 2 * len(ages) or not ages:
        raise DataError(f"{file}: expected a negative and a positive {stage}-grounds column per age group "
                        f"(found: {', '.join(raw.columns)})")
    year_rows = raw["Quarter"].str.strip().eq(TOTAL)
    numbers = {c: _counts(raw[c], file=file, column=c) for c in raw.columns if c not in ("Year", "Quarter")}
    # Age totals and the grand total, on every row (quarters and years alike).
    for label in {c.split(" - ")[0] for c in cells}:
        total_col = f"{label} - Total"
        if total_col not in numbers:
            raise DataError(f"{file}: column {total_col!r} missing")
        summed = sum(numbers[c] for c in cells if c.startswith(label + " - "))
        bad = numbers[total_col].ne(summed)
        if bad.any():
            i = int(bad.to_numpy().nonzero()[0][0])
            raise _mismatch(file, f"line {i + 2}, {total_col}", int(numbers[total_col].iloc[i]), int(summed.iloc[i]))
    grand = sum(numbers[c] for c in cells)
    bad = numbers["Total"].ne(grand)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise _mismatch(file, f"line {i + 2}, Total", int(numbers["Total"].iloc[i]), int(grand.iloc[i]))
    quarters = raw[~year_rows]
    frame = pd.DataFrame({"quarter": _quarters(quarters["Year"], quarters["Quarter"].str.strip(), file=file)})
    _check_sequence(frame, ["quarter"], file=file, year_range=year_range)
    # Year rows: each equals the sum of its quarters, column by column.
    for column in cells:
        by_year = numbers[column][~year_rows].groupby(quarters["Year"].to_numpy()).sum()
        stated = numbers[column][year_rows].set_axis(raw.loc[year_rows, "Year"].to_numpy())
        _compare(stated, by_year, file=file, what=lambda y, c=column: f"year {y} {c}")
    long = []
    for column, (age, outcome) in cells.items():
        long.append(pd.DataFrame({"quarter": frame["quarter"].to_numpy(), "age": age, "outcome": outcome,
                                  "decisions": numbers[column][~year_rows].to_numpy()}))
    out = pd.concat(long, ignore_index=True).sort_values(["quarter", "age", "outcome"], kind="stable")
    return _validate(out.reset_index(drop=True), DECISIONS_SCHEMA, file=file)


@register("nrm-reasonable-grounds", version="1")
def parse_reasonable_grounds(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Reasonable-grounds decisions per quarter: ``quarter, age, outcome, decisions``.

    Input: ``nrm_reasonable_grounds.csv`` (one row per quarter, with a row per year whose Quarter
    is "Total"; per age group a negative, a positive and a total column, and a grand Total). The
    year rows, age totals and grand totals are checked against their parts and dropped. A
    reasonable-grounds decision is the first decision on a referral; the legal test for it changed
    on 30 January 2023 (see the catalogue caveats).
    """
    return _parse_decisions(path, year_range, "reasonable")


@register("nrm-conclusive-grounds", version="1")
def parse_conclusive_grounds(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Conclusive-grounds decisions per quarter: ``quarter, age, outcome, decisions`` (as above)."""
    return _parse_decisions(path, year_range, "conclusive")


@register("nrm-duty-to-notify", version="1")
def parse_duty_to_notify(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Duty to Notify reports per quarter: ``quarter, reports``.

    Reports made by public authorities in England and Wales about adults who did not consent to a
    referral (the duty began in November 2015, so 2015 has one quarter). Year rows checked, dropped.
    """
    file = path.name
    raw = _read(path, ("Year", "Quarter", "Total"))
    reports = _counts(raw["Total"], file=file, column="Total")
    year_rows = raw["Quarter"].str.strip().eq(TOTAL)
    quarters = raw[~year_rows]
    frame = pd.DataFrame({"quarter": _quarters(quarters["Year"], quarters["Quarter"].str.strip(), file=file),
                          "reports": reports[~year_rows].to_numpy()})
    _check_sequence(frame, ["quarter"], file=file, year_range=year_range)
    by_year = reports[~year_rows].groupby(quarters["Year"].to_numpy()).sum()
    stated = reports[year_rows].set_axis(raw.loc[year_rows, "Year"].to_numpy())
    _compare(stated, by_year, file=file, what=lambda y: f"year {y} Total")
    return _validate(frame.reset_index(drop=True), DTN_SCHEMA, file=file)


