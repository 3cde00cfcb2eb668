"""Loaders of the assessments beside the TIP tiers: every country row kept, real values, codebook joined.

Expected values were read from the raw files independently (openpyxl cell reads and
``pandas.read_stata`` in this test, not the loaders' code paths) or are stated in the workbook.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from critique.datasets import DataError, parse_upstream

FILES = {
    "gsi-2023-summary": "2023-Global-Slavery-Index-Data.xlsx",
    "gsi-2023-indicators": "2023-Global-Slavery-Index-Data.xlsx",
    "3p-index": "criminalization-cho-tiers_jk_2015-08-10.dta",
    "oc-index": "global_oc_index.xlsx",
}


@pytest.fixture(scope="module")
def parsed(mirror_dir):
    cache: dict[str, pd.DataFrame] = {}

    def get(dataset_id: str) -> pd.DataFrame:
        if dataset_id not in cache:
            cache[dataset_id] = parse_upstream(dataset_id, mirror_dir / FILES[dataset_id])
        return cache[dataset_id]

    return get


def test_gsi_summary_keeps_every_country_and_176_response_totals(parsed):
    f = parsed("gsi-2023-summary")
    assert len(f) == 180 and f["iso3"].is_unique
    assert int(f["response_total"].notna().sum()) == 176
    assert int(f["vulnerability_total"].notna().sum()) == 160
    # CONTENTS note 1: responses not assessed in these four
    assert set(f.loc[f["response_total"].isna(), "iso3"]) == {"AFG", "SSD", "SYR", "YEM"}
    alb = f.set_index("iso3").loc["ALB"]
    assert alb["response_total"] == pytest.approx(61.53845977783203)
    assert alb["response_m5_supply_chains"] == pytest.approx(12.5)
    assert alb["population"] == 2878000 and alb["estimated_number"] == 34000


def test_gsi_summary_agrees_with_the_indicator_sheet_totals(parsed, mirror_dir):
    """The summary's response total equals the 'Total %' column of the indicator sheet (independent read)."""
    import openpyxl

    book = openpyxl.load_workbook(mirror_dir / FILES["gsi-2023-indicators"], read_only=True, data_only=True)
    rows = list(book["Govt response - Indicators"].iter_rows(values_only=True))
    book.close()
    header = list(rows[2])
    ci, ti = header.index("Country"), header.index("Total % ")
    sheet = {r[ci]: r[ti] for r in rows[3:] if r[ci]}
    f = parsed("gsi-2023-summary").set_index("country")
    assert len(sheet) == 176
    for name, total in sheet.items():
        assert f.loc[name, "response_total"] == pytest.approx(total, abs=1e-6), name


def test_gsi_indicators_are_the_codebook_joined_to_every_rating(parsed):
    f = parsed("gsi-2023-indicators")
    assert len(f) == 176 * 141
    assert f.attrs["activities"] == 42 and f.attrs["negative_indicators"] == 16
    m2212 = f.loc[f["code"] == "M2212"].iloc[0]
    assert m2212["activity"] == "2.2.1" and m2212["indicator_number"] == 2 and not m2212["negative"]
    assert "should not be treated as criminals" in m2212["indicator_name"]
    neg = f.loc[f["code"] == "M2213NEG"].iloc[0]
    assert neg["negative"] and neg["indicator_name"].startswith("NEGATIVE")
    assert set(f.loc[f["negative"], "rating"]) <= {-1, 0}
    # ratings counted once from the sheet: 10,113 met, 13,910 not met, 793 negatives met
    assert f["rating"].value_counts().to_dict() == {0: 13910, 1: 10113, -1: 793}
    assert f.loc[(f.iso3 == "ALB") & (f.code == "M1212NEG"), "rating"].item() == -1


def test_3p_keeps_every_row_and_182_scores_in_2013(parsed, mirror_dir):
    f = parsed("3p-index")
    raw = pd.read_stata(mirror_dir / FILES["3p-index"], convert_categoricals=False)
    assert len(f) == len(raw) == 3021
    assert int(f.loc[f.year == 2013, "score_3p"].notna().sum()) == 182
    assert int(f.loc[f.year == 2000, "score_3p"].notna().sum()) == 73
    # Macedonia and Macau share the COW abbreviation MAC; both kept, apart
    assert {"MKD", "MAC"} <= set(f.loc[f.year == 2013, "iso3"])
    assert f.loc[(f.iso3 == "ZAF") & (f.year == 2013)].shape[0] == 1  # COW 'SAF' is South Africa
    can = f.set_index(["iso3", "year"]).loc[("CAN", 2001)]
    assert (can["prosecution"], can["protection"], can["prevention"], can["score_3p"]) == (5, 3, 5, 13)
    assert can["tier_kh"] == "1"
    assert (f["tier_status"] == "not rated").sum() == 873 and (f["tier_status"] == "special case").sum() == 59


def test_oc_index_keeps_193_countries_per_edition(parsed):
    f = parsed("oc-index")
    assert f.groupby("edition")["iso3"].nunique().to_dict() == {2021: 193, 2023: 193}
    fin = f.loc[(f.iso3 == "FIN") & (f.edition == 2023)].set_index("indicator")["score"]
    assert fin["Resilience"] == pytest.approx(8.63) and fin["Victim and witness support"] == 8.0
    assert fin["Human trafficking"] == 3.5
    assert f.loc[(f.indicator == "Victim and witness support"), "pillar"].unique().tolist() == ["resilience"]
    assert f.loc[(f.indicator == "Human trafficking"), "pillar"].unique().tolist() == ["criminal markets"]


def test_a_damaged_stata_file_is_refused_naming_the_file(tmp_path):
    bad = tmp_path / FILES["3p-index"]
    bad.write_bytes(b"not stata")
    with pytest.raises(DataError, match="criminalization-cho-tiers_jk_2015-08-10.dta: not a readable Stata file"):
        parse_upstream("3p-index", bad)


def test_a_workbook_without_the_sheet_is_refused_naming_it(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "something else"
    path = tmp_path / "global_oc_index.xlsx"
    wb.save(path)
    with pytest.raises(DataError, match="no sheet '2021_dataset'"):
        parse_upstream("oc-index", path)
