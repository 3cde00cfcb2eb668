"""CTDC's two releases side by side: 2020 k-anonymised case records and 2022 SYNTHETIC records.

The 2022 release replaces case records with synthetic ones (differential-privacy synthesis) and
coarsens registration years to bands (2005-2013, 2014-2018, 2019, 2020, 2021-2022). To set the two
side by side the 2020 records are put in the same bands, and both are reduced to counts and shares
that mean the same thing in each: a record "has a form" when its sexual-exploitation or
forced-labour flag is set (the synthetic file writes flags as 1 or blank, so CTDC 2020's "neither"
records count as having no form here, as they must for a like-for-like share). Only aggregates
leave this module, with counts under ``min_cell`` suppressed in both releases
(``critique.datasets.privacy``); synthetic rows are labelled SYNTHETIC in every output row. The synthetic
file is generated from CTDC's victim-perpetrator data (MANIFEST), so the two releases need not
describe the same records: a difference is not a revision of the 2020 figures.
"""
from __future__ import annotations

import pandas as pd

from critique.core.errors import ParameterError
from critique.datasets.privacy import DEFAULT_THRESHOLD, suppress_small
from critique.core.i18n import N_

CASE_LABEL = N_("CTDC 2020: k-anonymised case records")
SYNTHETIC_LABEL = N_("CTDC 2022: SYNTHETIC records (not people)")
SHARED_BANDS = (("2005-2013", 2005, 2013), ("2014-2018", 2014, 2018))
COUNTS = ("records", "with_form", "sexual", "forced_labour", "with_gender", "female")


def _band_of(year: pd.Series) -> pd.Series:
    band = pd.Series(pd.NA, index=year.index, dtype="object")
    for name, lo, hi in SHARED_BANDS:
        band[(year >= lo) & (year <= hi)] = name
    return band


def _counts(frame: pd.DataFrame, band: pd.Series) -> pd.DataFrame:
    se = frame["is_sexual_exploit"].fillna(False).astype(bool)
    fl = frame["is_forced_labour"].fillna(False).astype(bool)
    gender = frame["gender"]
    parts = pd.DataFrame({
        "band": band, "records": 1, "with_form": (se | fl).astype(int), "sexual": se.astype(int),
        "forced_labour": fl.astype(int), "with_gender": gender.isin(["Female", "Male"]).astype(int),
        "female": gender.eq("Female").astype(int),
    })
    parts = parts[parts["band"].notna()]
    return parts.groupby("band")[list(COUNTS)].sum().reset_index()


def side_by_side(case_records: pd.DataFrame, synthetic: pd.DataFrame, *,
                 min_cell: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Counts and shares per shared year band for both releases (aggregates only).

    ``case_records`` is ``datasets.load("ctdc-2020")``, ``synthetic`` is
    ``datasets.load("ctdc-synthetic")``. Returns one row per release and band (2005-2013,
    2014-2018: the bands both cover) with ``release, label, synthetic, band``, the counts
    ``records, with_form, sexual, forced_labour, with_gender, female`` (under ``min_cell``:
    missing, flagged in ``<count>_suppressed``), and ``sexual_share`` (records with the sexual
    exploitation flag among records with a form; a record with both flags counts in both shares),
    ``forced_labour_share`` and ``female_share`` (among records with a gender), missing where a
    part is suppressed. Records outside the shared bands (CTDC 2020 years 2002-2004, synthetic
    bands from 2019, no year) are left out; ``attrs["left_out"]`` counts them per release.
    """
    if min_cell < 1:
        raise ParameterError(f"min_cell={min_cell}; expected a positive count such as 10")
    for name, frame, cols in (("case_records", case_records, ("year",)),
                              ("synthetic", synthetic, ("year_band",))):
        missing = [c for c in (*cols, "gender", "is_sexual_exploit", "is_forced_labour") if c not in frame.columns]
        if missing:
            raise ParameterError(f"side_by_side: {name} lacks column(s) {', '.join(missing)}")
    case_band = _band_of(case_records["year"].astype("Float64"))
    syn_band = synthetic["year_band"].where(synthetic["year_band"].isin([b[0] for b in SHARED_BANDS]))
    rows = []
    for release, label, is_syn, frame, band in (("ctdc-2020", CASE_LABEL, False, case_records, case_band),
                                                ("ctdc-synthetic", SYNTHETIC_LABEL, True, synthetic, syn_band)):
        c = _counts(frame, band)
        c.insert(0, "synthetic", is_syn)
        c.insert(0, "label", label)
        c.insert(0, "release", release)
        rows.append(c)
    out = pd.concat(rows, ignore_index=True)
    for col in COUNTS:
        out = suppress_small(out, col, min_cell, keep_zeros=False)
    out["sexual_share"] = (out["sexual"] / out["with_form"]).astype("Float64")
    out["forced_labour_share"] = (out["forced_labour"] / out["with_form"]).astype("Float64")
    out["female_share"] = (out["female"] / out["with_gender"]).astype("Float64")
    out.attrs["left_out"] = {"ctdc-2020": int(case_band.isna().sum()), "ctdc-synthetic": int(syn_band.isna().sum())}
    return out
