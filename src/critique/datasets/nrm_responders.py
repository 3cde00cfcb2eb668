"""Loaders of the NRM referrals by first responder, one R data file per quarter and responder type.

Each quarterly Home Office release (2022 Q2 to 2023 Q4 in the mirror) has tables of referrals by
first responder x exploitation type x age x gender x nationality, one table per first-responder
type: police forces, government agencies, local authorities, NGOs and third-sector organisations.
The British Red Cross ``asylum`` package stores each as an R data file (``.rda``, one data frame
named as the file) with columns ``First responder type, First responder, Exploitation type, Age at
exploitation, Gender, Nationality, People``, and one more file per quarter (``nrm_referrals_<q>``)
that binds the four, keeping only the police total.

**Reader.** The ``.rda`` files are read with `pyreadr <https://pypi.org/project/pyreadr/>`_ (PyPI
``pyreadr``, O. Fajardo, a wrapper of Evan Miller's C library ``librdata``), chosen over the
pure-Python ``rdata``: both returned the same cells (compared cell by cell on three of these files,
a police table among them), but on the largest file here (about 100,000 rows) rdata took 83 s and
pyreadr 3 s on this project's 2-core machine, and the suite reads 35 such files (a fresh CI cache
parses them all). pyreadr ships wheels for Linux, macOS and Windows, is on conda-forge, and returns
the R object names, which the check that each file holds one data frame named as the file needs.
Its licence is AGPL-3.0-or-later: the suite imports it and neither ships nor modifies it, but
whoever redistributes a bundle that includes it takes on the AGPL for that part (``rdata``, MIT,
reads the same files more slowly).

**Traps handled once, here.** The tables are hierarchical: a row whose first responder is
"<type> total", or whose exploitation type, age or gender is "Total", sums the rows beneath it, and
the nationality "Total" column sums the nationalities. Every such total is checked against the sum of
the leaf cells beneath it and then dropped: the tables returned hold leaf cells only (a first
responder, one exploitation label, one age group, one gender, one nationality). Combined
exploitation labels ("Sexual & Labour", "Sexual, Labour & Criminal") are categories of their own,
each person under exactly one label, so people with *any* sexual exploitation are the sum over the
labels that contain it (:func:`forms_of`), each person once. Dual nationalities ("Albanian UK") are
categories of their own too. Zero cells are dropped (absent means 0). The quarter comes from the file
name and is checked against the catalogue's years. Counts are **potential victims** at referral.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from critique.datasets import DataError, register
from critique.datasets.nrm import AGES, QUARTER, TOTAL, _mismatch, _validate

RDA_COLUMNS = ("First responder type", "First responder", "Exploitation type", "Age at exploitation",
               "Gender", "Nationality", "People")
RESPONDER_TYPES = {"Police": "police", "Government agency": "government",
                   "Local Authority": "local_authority", "NGO and third sector": "ngo"}
FORMS = ("Sexual", "Labour", "Criminal", "Domestic", "Organ Harvesting")
UNKNOWN_FORM = "Not specified or unknown"
GENDERS = {"Female": "female", "Male": "male", "Other": "other", "Unknown": "unknown", "Not Recorded": "not_recorded"}
_QUARTER_IN_NAME = re.compile(r"_(?P<year>\d{4})_q(?P<q>[1-4])\.rda$")
DIMS = ("responder", "exploitation", "age", "gender")

DETAIL_SCHEMA = pa.DataFrameSchema({
    "quarter": pa.Column(QUARTER),
    "responder_type": pa.Column("str", pa.Check.isin(tuple(RESPONDER_TYPES.values()))),
    "responder": pa.Column("str"),
    "exploitation": pa.Column("str"),
    "age": pa.Column("str", pa.Check.isin(("adult", "child", "unknown"))),
    "gender": pa.Column("str", pa.Check.isin(tuple(GENDERS.values()))),
    "nationality": pa.Column("str"),
    "potential_victims": pa.Column("int64", pa.Check.gt(0, error="zero cells are dropped; must be > 0")),
}, unique=["quarter", "responder_type", "responder", "exploitation", "age", "gender", "nationality"],
    strict=True, ordered=True, name="nrm-referrals-by-responder")

TYPE_TOTALS_SCHEMA = pa.DataFrameSchema({
    "quarter": pa.Column(QUARTER),
    "responder_type": pa.Column("str", pa.Check.isin(tuple(RESPONDER_TYPES.values()))),
    "nationality": pa.Column("str"),
    "potential_victims": pa.Column("int64", pa.Check.gt(0, error="zero cells are dropped; must be > 0")),
}, unique=["quarter", "responder_type", "nationality"], strict=True, ordered=True,
    name="nrm-first-responders")


def forms_of(label: str) -> frozenset[str]:
    """The forms of exploitation in a publisher label: "Sexual, Labour & Criminal" -> {Sexual, Labour, Criminal}.

    "Not specified or unknown" gives the empty set. Raises DataError for a label with a part that is
    not one of :data:`FORMS` (so a new or misspelt category is never silently counted as "not sexual").
    """
    if label == UNKNOWN_FORM:
        return frozenset()
    parts = [p.strip() for p in re.split(r",|&", label) if p.strip()]
    unknown = [p for p in parts if p not in FORMS]
    if unknown or not parts:
        raise DataError(f"exploitation type {label!r}: unknown form(s) {', '.join(map(repr, unknown)) or '(none)'} "
                        f"(known: {', '.join(FORMS)}, or {UNKNOWN_FORM!r})")
    return frozenset(parts)


def read_rda(path: Path) -> pd.DataFrame:
    """The one data frame in an R data file, named as the file; DataError names the file otherwise."""
    import pyreadr

    try:
        objects = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own error types for a damaged or foreign file
        raise DataError(f"{path.name}: not a readable R data file ({type(exc).__name__}: {exc})") from None
    if list(objects) != [path.stem]:
        raise DataError(f"{path.name}: expected one data frame named {path.stem!r}, found "
                        f"{', '.join(map(repr, objects)) or 'none'}")
    frame = objects[path.stem]
    if not isinstance(frame, pd.DataFrame) or tuple(frame.columns) != RDA_COLUMNS:
        found = ", ".join(map(str, getattr(frame, "columns", []))) or type(frame).__name__
        raise DataError(f"{path.name}: expected columns {', '.join(RDA_COLUMNS)} (found: {found})")
    return frame.reset_index(drop=True)


def _quarter(path: Path, year_range: tuple[int, int] | None) -> pd.Period:
    match = _QUARTER_IN_NAME.search(path.name)
    if not match:
        raise DataError(f"{path.name}: the file name does not end in _<year>_q<1-4>.rda, so its quarter is unknown")
    year = int(match.group("year"))
    if year_range is not None and not year_range[0] <= year <= year_range[1]:
        raise DataError(f"{path.name}: quarter {year}Q{match.group('q')} outside the release's years "
                        f"{year_range[0]}-{year_range[1]} (catalogue)")
    return pd.Period(f"{year}Q{match.group('q')}", freq="Q-DEC")


def _tidy_cells(raw: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Typed cells with each total marked: columns type, responder, exploitation, age, gender, nationality, n."""
    people = pd.to_numeric(raw["People"], errors="coerce")
    bad = people.isna() | people.lt(0) | people.ne(people.round())
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"{file}: People value {raw['People'].iloc[i]} in row {i + 1} is not a whole "
                        "non-negative count")
    types = raw["First responder type"].astype(str)
    unknown = sorted(set(types) - set(RESPONDER_TYPES))
    if unknown:
        raise DataError(f"{file}: unknown first responder type(s) {', '.join(map(repr, unknown))} "
                        f"(known: {', '.join(RESPONDER_TYPES)})")
    responder = raw["First responder"].astype(str).str.strip()
    cells = pd.DataFrame({
        "type": types.map(RESPONDER_TYPES),
        # "Police total", "Local Authority total", ...: the type's total row
        "responder": responder.where(~responder.str.lower().str.endswith(" total"), TOTAL),
        "exploitation": raw["Exploitation type"].astype(str).str.strip(),
        "age": raw["Age at exploitation"].astype(str).str.strip(),
        "gender": raw["Gender"].astype(str).str.strip(),
        "nationality": raw["Nationality"].astype(str).str.strip(),
        "n": people.astype("int64"),
    })
    for column, known in (("age", AGES), ("gender", GENDERS)):
        unknown = sorted(set(cells[column]) - set(known) - {TOTAL})
        if unknown:
            raise DataError(f"{file}: unknown {column} label(s) {', '.join(map(repr, unknown))} "
                            f"(known: {', '.join(sorted(set(known)))}, Total)")
    for label in cells["exploitation"].unique():
        if label != TOTAL:
            forms_of(label)
    if cells.duplicated(["type", *DIMS, "nationality"]).any():
        i = int(cells.duplicated(["type", *DIMS, "nationality"]).to_numpy().nonzero()[0][0])
        raise DataError(f"{file}: row {i + 1} repeats a cell: " + ", ".join(f"{k}={v}" for k, v in cells.iloc[i].items()))
    return cells


def _check_nationality(cells: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Every row's nationality "Total" equals the sum of its nationalities; return the cells without it."""
    by_nat = cells.pivot_table(index=["type", *DIMS], columns="nationality", values="n", aggfunc="sum",
                               fill_value=0)
    if TOTAL not in by_nat.columns:
        raise DataError(f"{file}: no nationality 'Total' column")
    summed = by_nat.drop(columns=TOTAL).sum(axis=1)
    bad = by_nat[TOTAL].ne(summed)
    if bad.any():
        key = by_nat.index[bad.to_numpy().nonzero()[0][0]]
        raise _mismatch(file, "nationality Total of " + ", ".join(map(str, key)), int(by_nat[TOTAL][key]),
                        int(summed[key]))
    return cells[cells["nationality"].ne(TOTAL)]


def _check_totals(cells: pd.DataFrame, *, file: str) -> pd.DataFrame:
    """Check every total against its leaves (module docstring); return the leaf cells.

    The type's own total row (every dimension "Total") must exist, so that every leaf sits under
    at least one checked total.
    """
    cells = _check_nationality(cells, file=file)
    marked = cells[list(DIMS)].eq(TOTAL)
    if not marked.all(axis=1).any():
        raise DataError(f"{file}: no first-responder total row (every dimension 'Total'); not the expected layout")
    leaves = cells[~marked.any(axis=1)]
    for pattern, rows in cells[marked.any(axis=1)].groupby([marked[d] for d in DIMS]):
        keys = ["type"] + [d for d, is_total in zip(DIMS, pattern) if not is_total] + ["nationality"]
        parts = leaves.groupby(keys)["n"].sum()
        stated = rows.set_index(keys)["n"]
        parts = parts.reindex(stated.index, fill_value=0)
        bad = stated.ne(parts)
        if bad.any():
            key = stated.index[bad.to_numpy().nonzero()[0][0]]
            raise _mismatch(file, "total row " + ", ".join(f"{k}={v}" for k, v in zip(keys, key)),
                            int(stated[key]), int(parts[key]))
    return leaves


def parse_responder_detail(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Referrals of one first-responder type in one quarter, as leaf cells.

    Input: ``nrm_referrals_<type>_<year>_q<n>.rda``. Output columns: ``quarter`` (Period),
    ``responder_type`` (police, government, local_authority, ngo), ``responder`` (the organisation as
    published; "Local Authority" for all local authorities), ``exploitation`` (publisher label, see
    :func:`forms_of`), ``age`` (adult, child, unknown), ``gender`` (female, male, other),
    ``nationality`` (publisher label), ``potential_victims`` (int64, > 0). Every total of the table is
    checked against its leaves first (DataError naming the file, the row and both numbers).
    """
    quarter = _quarter(path, year_range)
    cells = _tidy_cells(read_rda(path), file=path.name)
    if cells["type"].nunique() != 1:
        raise DataError(f"{path.name}: expected one first-responder type, found {', '.join(sorted(cells['type'].unique()))}")
    leaves = _check_totals(cells, file=path.name)
    out = leaves[leaves["n"].gt(0)].rename(columns={"type": "responder_type", "n": "potential_victims"})
    out = out.assign(quarter=quarter, age=out["age"].map(AGES), gender=out["gender"].map(GENDERS))
    out = out[list(DETAIL_SCHEMA.columns)].reset_index(drop=True)
    return _validate(out, DETAIL_SCHEMA, file=path.name)


def parse_first_responders(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Referrals of every first-responder type in one quarter, by type and nationality.

    Input: ``nrm_referrals_<year>_q<n>.rda`` (the four type tables bound together, police as its
    total only). Output columns: ``quarter``, ``responder_type``, ``nationality``,
    ``potential_victims`` (int64, > 0): each type's total by nationality. The detail rows of the
    other three types are checked against their totals; the detail itself is in the per-type files.
    """
    quarter = _quarter(path, year_range)
    cells = _tidy_cells(read_rda(path), file=path.name)
    totals = []
    for kind, group in cells.groupby("type", sort=False):
        if group["responder"].ne(TOTAL).any():
            _check_totals(group, file=path.name)  # government, NGOs, local authorities: detail present
        group = _check_nationality(group, file=path.name)  # police: its total rows only
        top = group[group[list(DIMS)].eq(TOTAL).all(axis=1)]
        if top.empty:
            raise DataError(f"{path.name}: no total row for first-responder type {kind!r}")
        totals.append(top)
    out = pd.concat(totals).rename(columns={"type": "responder_type", "n": "potential_victims"})
    out = out[out["potential_victims"].gt(0)].assign(quarter=quarter)
    out = out[list(TYPE_TOTALS_SCHEMA.columns)].reset_index(drop=True)
    return _validate(out, TYPE_TOTALS_SCHEMA, file=path.name)


# One catalogue source per file set; each quarter's file is a release of it.
DETAIL_IDS = {"police": "nrm-police", "government": "nrm-government",
              "local_authority": "nrm-local-authority", "ngo": "nrm-ngo"}
for _dataset_id in DETAIL_IDS.values():
    register(_dataset_id, version="1")(parse_responder_detail)
register("nrm-first-responders", version="1")(parse_first_responders)


def load_quarters(source: str, *, edition: str = "newest") -> pd.DataFrame:
    """Every quarterly release of an NRM file set, concatenated oldest first.

    ``source`` is ``nrm-first-responders`` or one of :data:`DETAIL_IDS`' values; ``edition`` is
    ``"newest"`` (every release) or a date ``YYYY-MM-DD`` (the releases published by then, as the
    suite would have read them). Each release holds its own quarter as first published, so the
    concatenation is the series of first publications. ``attrs["releases"]`` lists the release ids
    read. Raises ParameterError for an edition before the first release.
    """
    from critique import datasets
    from critique.datasets import catalog
    from critique.core.errors import ParameterError

    edition = catalog.check_edition(edition)
    releases = catalog.releases(source)  # newest first
    if edition != catalog.NEWEST:
        releases = [r for r in releases if r.published and r.published <= edition]
    if not releases:
        raise ParameterError(f"edition={edition!r}: '{source}' has no release published on or before it")
    frames = [datasets.load(r.release_id) for r in reversed(releases)]
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {"releases": [r.release_id for r in reversed(releases)]}
    return out


def load_detail(*, edition: str = "newest") -> pd.DataFrame:
    """The four first-responder types' detail tables (:func:`parse_responder_detail`), every quarter."""
    parts = [load_quarters(s, edition=edition) for s in DETAIL_IDS.values()]
    out = pd.concat(parts, ignore_index=True)
    out.attrs = {"releases": [r for p in parts for r in p.attrs["releases"]]}
    return out
