"""Coverage of the upstream sources, checked against counts computed independently from the raw files."""
from __future__ import annotations

import csv

import pytest

from critique.methods.coverage import overview


@pytest.fixture(scope="module")
def table(mirror_dir):
    # pinned to the release the expectations were counted on
    ids = ["glotip@2023-05-30", "tip-tiers", "gsi-2023", "ctdc-2020", "fbi-ucr-ht"]
    return overview.source_coverage(ids).set_index("id")


def test_overview_counts_match_raw_files(table, mirror_dir):
    tiers = list(csv.DictReader(open(mirror_dir / "map_tiers.csv")))
    rated = {r["iso"] for r in tiers if r["tier"] != "NA"}
    assert table.loc["tip-tiers", "units"] == len(rated)
    assert (table.loc["tip-tiers", "first_year"], table.loc["tip-tiers", "last_year"]) == (2001, 2015)
    fbi = list(csv.DictReader(open(mirror_dir / "HT_2013-2020.csv")))
    assert table.loc["fbi-ucr-ht", "units"] == len({r["ORI"] for r in fbi})
    assert table.loc["fbi-ucr-ht", "rows"] == len(fbi)
    assert table.loc["glotip@2023-05-30", "rows"] == 46556
    assert (table.loc["glotip@2023-05-30", "first_year"], table.loc["glotip@2023-05-30", "last_year"]) == (2003, 2021)
    assert table.loc["gsi-2023", "units"] == 160  # MANIFEST: 180 countries, 160 with estimates


def test_units_by_year_grows_for_fbi(mirror_dir):
    fbi = list(csv.DictReader(open(mirror_dir / "HT_2013-2020.csv")))
    per_year = overview.units_by_year("fbi-ucr-ht")
    assert per_year[2013] == len({r["ORI"] for r in fbi if r["DATA_YEAR"] == "2013"})
    assert per_year[2020] > 10 * per_year[2013]


def test_units_by_year_refuses_a_single_year_source():
    with pytest.raises(ValueError, match="gsi-2023"):
        overview.units_by_year("gsi-2023")


@pytest.mark.notebook
def test_catalogue_notebook_smoke(smoke_run):
    found = smoke_run("00-data-catalogue")
    f = found["findings"]
    # rows of the release the run read: 46,556 (2023, counted by the loader tests), 58,769 (2025, MANIFEST)
    release = next(i["release"] for i in found["inputs"] if i["id"] == "glotip")
    assert f["glotip_rows"] == {"2023-05-30": 46556, "2025-04-14": 58769}[release]
    assert f["glotip_suppressed_cells"] > 0
    assert f["fbi_agencies_first_year"] < f["fbi_agencies_last_year"]
    assert {i["id"] for i in found["inputs"]} >= {"glotip", "tip-tiers", "gsi-2023", "ctdc-2020", "fbi-ucr-ht"}


def _raw_countries_by_year(mirror_dir) -> dict[int, int]:
    """Countries with any usable cell per year, recounted from the raw 2025 sheet: rows with a region
    (no UNODC aggregates), no part of a country (codes with an underscore), and no placeholder
    country-year of an indicator (every by-form cell "<5" with no total in a year that has totals,
    or a total the forms cannot reach)."""
    import pandas as pd

    pytest.importorskip("python_calamine")
    s = pd.read_excel(mirror_dir / "data_glotip_2025-04-14.xlsx", header=None, dtype=str, engine="calamine")
    s.columns = s.iloc[2]
    s = s.iloc[3:]
    s = s[s["Region"].notna() & ~s["Iso3_code"].str.contains("_", na=False)].copy()
    s["Year"] = s["Year"].astype(float).astype(int)
    v = s[(s["Sex"] == "Total") & (s["Age"] == "Total")]
    forms = v[v["Dimension"] == "by form of exploitation"]
    totals = v[(v["Dimension"] == "Total") & (v["Category"] == "Total")].set_index(["Indicator", "Iso3_code", "Year"])["txtVALUE"]
    total_years = {(i, y) for i, _, y in totals.index}
    placeholder = set()
    for (ind, code, year), grp in forms.groupby(["Indicator", "Iso3_code", "Year"]):  # the rule holds for every indicator
        if not (grp["txtVALUE"] == "<5").all():
            continue
        total = totals.get((ind, code, year))
        if (total is None and (ind, year) in total_years) or (
                total is not None and total != "<5" and float(total.replace(",", "")) > 4 * len(grp)):
            placeholder.update(grp.index)
    kept = s.drop(index=list(placeholder))
    return kept.groupby("Year")["Iso3_code"].nunique().to_dict()


def test_countries_with_any_figure_on_usable_rows(mirror_dir):
    raw = _raw_countries_by_year(mirror_dir)
    # issue 22: on usable rows the peak is 162 (2012), and 2017-2022 falls from 147 to 119
    assert (raw[2003], raw[2012], raw[2017], raw[2022]) == (115, 162, 147, 119)
    assert max(raw.values()) == 162
    per_year = overview.units_by_year("glotip@2025-04-14")
    assert per_year.to_dict() == raw


def test_catalogue_findings_name_the_release_and_the_minimal_first_year():
    c = overview.catalogue(["glotip", "fbi-ucr-ht"], edition="newest")
    f = c.findings()
    assert f["glotip_release"] == "glotip@2025-04-14"
    assert (f["glotip_countries_first_year"], f["glotip_countries_peak"], f["glotip_countries_peak_year"]) == (115, 162, 2012)
    assert (f["glotip_last_complete_year"], f["glotip_countries_last_complete"]) == (2021, 133)
    assert f["glotip_partial_years"] == [2022]
    # of 2003's 115, those whose only cells are "<5" or counts by citizenship (reporting_kinds' "minimal")
    kinds = c.minimal
    assert f["glotip_countries_first_year_minimal"] == int(kinds[2003]) and 0 < kinds[2003] < 115
    assert c.caption(2001)["datasets"][0] == "glotip@2025-04-14"
