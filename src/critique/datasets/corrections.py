"""Known upstream errors as data: the corrections register ``data/corrections.csv``.

In the manner of Our World in Data's corrections and HRDAG's hand-correction folders, every
suspected or confirmed error in an upstream file or a printed figure is one row of
``data/corrections.csv`` (sidecar ``data/corrections.yml``, the format of the published tables:
typed columns, ``citation``, ``source_url`` and ``verification`` on every row): what is wrong, the
evidence, its status (``confirmed`` or ``suspected``) and what the suite does about it
(``action``):

- ``exclude``: a loader keeps the rows and flags them with the entry's ``rule`` as
  ``exclude_reason``, so that they are out of every sum and count. The rule is a function of
  :data:`RULES` that recognises the rows by their content (evidence in its docstring) and is
  applied to every release of the entry's source, so the same error in a later release is caught;
- ``flag`` / ``show-both``: nothing is removed; the rows the entry's scope names (``iso3``,
  ``indicator``, ``dimension``, ``year_from``-``year_to``) are listed by :func:`flagged` and the
  pages show both readings;
- ``not-used``: the suite does not read the faulty file at all.

Loaders call :func:`apply` instead of hard-coding exceptions; pages list the register with
:func:`register`.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from critique.datasets import paths
from critique.core.errors import DataError
from critique.core.i18n import N_, _

ACTIONS = ("exclude", "flag", "show-both", "not-used")
STATUSES = ("confirmed", "suspected")
_CODE_CATEGORY = re.compile(r"^Q(\d+)\.(\d+)_(\d+)s_(\d{4})$")


def questionnaire_code_rows(frame: pd.DataFrame) -> pd.Series:
    """True for rows whose category is a questionnaire item code and whose value repeats it.

    Evidence (release of 14 April 2025, ``data_glotip_2025-04-14.xlsx``): 120 rows, Pakistan and
    Sierra Leone, persons convicted by citizenship, 20 a country and year in 2019-2021, have a
    category such as ``Q6.1_10s_2019`` (UNODC's questionnaire item 6.1, sub-item 10) where a
    citizenship belongs, and the value ``"61,102,019"``: the item's digits (6, 1, 10) followed by a
    year (2019 or 2020; the 2021 rows repeat 2019), read as 61,102,019 persons convicted. The values
    run from 6,122,019 to 61,212,020, the largest numbers in the release; no row of the release of 30
    May 2023 has such a category. The rule: the category matches ``Q<item>.<sub>_<n>s_<year>`` and
    the value's digits start with the code's digits ``<item><sub><n>`` and end in a year from 2000
    on (so a real count in a category that happens to look like a code would not be flagged).
    Input: the tidy glotip frame (``category``, ``value``); output: a boolean Series on its index.
    """
    cats = frame["category"].astype("object")
    candidate = cats.astype(str).str.match(_CODE_CATEGORY.pattern).to_numpy() & frame["value"].notna().to_numpy()
    out = np.zeros(len(frame), dtype=bool)
    for i in np.flatnonzero(candidate):
        m = _CODE_CATEGORY.match(str(cats.iloc[i]))
        digits = str(int(frame["value"].iloc[i]))
        stem = m.group(1) + m.group(2) + m.group(3)
        out[i] = digits.startswith(stem) and len(digits) == len(stem) + 4 and int(digits[-4:]) >= 2000
    return pd.Series(out, index=frame.index)


RULES = {"questionnaire-code": questionnaire_code_rows}


def register() -> pd.DataFrame:
    """The validated register (``data/corrections.yml`` and its CSV), one row per entry.

    Raises DataError naming the file, column and line for a malformed entry, an action or status
    outside :data:`ACTIONS` / :data:`STATUSES`, or a rule that is not in :data:`RULES`.
    """
    from critique.datasets import published

    sidecar = paths.data_dir() / "corrections.yml"
    if not sidecar.is_file():
        raise DataError(f"{sidecar}: the corrections register is missing")
    table = published.read_table(sidecar)
    for col, allowed in (("action", ACTIONS), ("status", STATUSES)):
        bad = table.loc[~table[col].isin(allowed)]
        if len(bad):
            raise DataError(f"corrections.csv: column '{col}', line {int(bad.index[0]) + 2}: "
                            f"{bad[col].iloc[0]!r} is not one of {', '.join(allowed)}")
    rules = table["rule"].dropna()
    unknown = rules.loc[~rules.isin(list(RULES))]
    if len(unknown):
        raise DataError(f"corrections.csv: column 'rule', line {int(unknown.index[0]) + 2}: {unknown.iloc[0]!r} "
                        f"is not a rule of critique.datasets.corrections (known: {', '.join(RULES)})")
    need_rule = table.loc[(table["action"] == "exclude") & table["rule"].isna()]
    if len(need_rule):
        raise DataError(f"corrections.csv: line {int(need_rule.index[0]) + 2}: an 'exclude' entry needs a rule")
    return published.in_reader_language(table, sidecar)  # problem and what the suite does, for readers


def entries(dataset_id: str, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Entries about ``dataset_id``: its source (``glotip``) or this release (``glotip@2025-04-14``).

    A bare source id asks for the entries of every release of it.
    """
    table = register() if table is None else table
    source = dataset_id.split("@", 1)[0]
    ds = table["dataset"].astype(str)
    hit = (ds == source) | (ds == dataset_id) | ((dataset_id == source) & ds.str.startswith(source + "@"))
    return table.loc[hit].reset_index(drop=True)


def apply(frame: pd.DataFrame, source: str, *, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` with the register's ``exclude`` rules of ``source`` set in ``exclude_reason``.

    Rows are never dropped; a row that already has a reason keeps it. ``attrs`` gain
    ``excluded_<rule>`` (rows flagged by each rule, ``-`` as ``_``). ``source`` is a bare source id
    (``glotip``): only entries for the whole source carry rules that loaders apply.
    """
    rows = entries(source, table)
    rows = rows.loc[(rows["action"] == "exclude") & (rows["dataset"] == source)]
    out = frame.copy()
    if "exclude_reason" not in out.columns:
        out["exclude_reason"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out.attrs.update(frame.attrs)
    for rule in rows["rule"].dropna().unique():
        mask = RULES[rule](out) & out["exclude_reason"].isna()
        out.loc[mask, "exclude_reason"] = rule
        out.attrs[f"excluded_{rule.replace('-', '_')}"] = int(mask.sum())
    return out


def flagged(frame: pd.DataFrame, dataset_id: str, *, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of ``frame`` named by a ``flag`` or ``show-both`` entry's scope, with the entry's id.

    Scope columns of an entry that are empty do not restrict. Output: the matching rows with a
    column ``correction`` (the entry id); empty when none.
    """
    rows = entries(dataset_id, table)
    rows = rows.loc[rows["action"].isin(["flag", "show-both"])]
    parts = []
    for e in rows.itertuples(index=False):
        mask = pd.Series(True, index=frame.index)
        if not pd.isna(e.iso3) and "iso3" in frame.columns:
            mask &= frame["iso3"].isin(str(e.iso3).split("|"))
        for col in ("indicator", "dimension"):
            value = getattr(e, col)
            if not pd.isna(value) and col in frame.columns:
                mask &= frame[col] == value
        year_col = "year" if "year" in frame.columns else "data_year" if "data_year" in frame.columns else None
        if year_col:
            if not pd.isna(e.year_from):
                mask &= frame[year_col] >= int(e.year_from)
            if not pd.isna(e.year_to):
                mask &= frame[year_col] <= int(e.year_to)
        parts.append(frame.loc[mask].assign(correction=e.id))
    return pd.concat(parts) if parts else frame.iloc[0:0].assign(correction=pd.Series(dtype="string"))


def reader_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The register as readers see it: dataset, status, action, problem, evidence, what the suite does, source."""
    table = register() if table is None else table
    cols = {"dataset": N_("dataset"), "status": N_("status"), "action": N_("action"), "problem": N_("problem"),
            "evidence": N_("evidence"), "suite_does": N_("what the suite does"), "verification": N_("evidence status")}
    return table[list(cols)].rename(columns={k: _(v) for k, v in cols.items()})
