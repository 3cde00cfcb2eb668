"""Coverage of the upstream sources, checked against counts computed independently from the raw files."""
from __future__ import annotations

import csv

import pytest

from critique.coverage import overview


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
