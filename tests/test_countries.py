"""Country harmonisation: every name and code of every source maps to ISO3, or is a documented exception."""
from __future__ import annotations

import csv
import logging
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from critique.datasets import countries
from critique.core.errors import DataError

_DEFAULT_MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mirror"
MIRROR = Path(os.environ.get("CRITIQUE_DATA_MIRROR") or _DEFAULT_MIRROR)
TIERS_2016 = MIRROR.parent / "reference" / "published" / "tip_tiers_2016_2025" / "tiers.csv"


def _column(path: Path, column: str) -> set[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        key = next(k for k in reader.fieldnames or [] if k.strip() == column)
        return {row[key].strip() for row in reader}


# (file, column, src): every distinct value must map (glotip's codes and names are checked through
# its loader in test_upstream_loaders.py, which reads the workbook once per session)
SOURCES = [
    (MIRROR / "map_tiers.csv", "countryname", "name"),
    (MIRROR / "map_tiers.csv", "iso", "ISO3"),
    (MIRROR / "Global_Slavery_Index_2023.csv", "Country", "name"),
    (MIRROR / "dados_app.csv", "citizenship", "ISO2"),
    (MIRROR / "dados_app.csv", "CountryOfExploitation", "ISO2"),
    (TIERS_2016, "country", "name"),
]


@pytest.mark.parametrize("path,column,src", SOURCES, ids=lambda v: getattr(v, "name", str(v)))
def test_every_value_of_every_source_maps(path, column, src):
    values = sorted(_column(path, column) - {"", "0"})  # CTDC's "0" is a sentinel (missing)
    codes = countries.to_iso3(values, src=src)  # raises DataError naming any unmapped value
    assert all(code in countries.valid_iso3() for code in codes)
    assert len(values) > 40  # a real list, not an empty read


def test_tiers_names_and_codes_agree():
    with open(MIRROR / "map_tiers.csv", encoding="utf-8", newline="") as handle:
        pairs = {(r["countryname"], r["iso"]) for r in csv.DictReader(handle)}
    names, codes = zip(*sorted(pairs))
    assert countries.to_iso3(list(names)) == countries.to_iso3(list(codes), src="ISO3")


@pytest.mark.parametrize("name,iso3", [
    ("Netherlands (Kingdom of the)", "NLD"), ("Korea, South", "KOR"), ("Korea, North", "PRK"),
    ("Republic of Korea", "KOR"), ("Côte d'Ivoire", "CIV"), ("Côte d’Ivoire", "CIV"), ("Cote d'Ivoire", "CIV"),
    ("Türkiye", "TUR"), ("Turkey", "TUR"), ("Kosovo", "XKX"), ("KOS", "XKX"), ("Burma", "MMR"),
    ("Congo, Democratic Republic of the", "COD"), ("Republic of the Congo", "COG"), ("Niger", "NER"),
    ("Nigeria", "NGA"), ("Dominica", "DMA"), ("Dominican Republic", "DOM"), ("Guinea", "GIN"),
    ("Swaziland", "SWZ"), ("Cape Verde", "CPV"), ("Lao PDR", "LAO"), ("Viet Nam", "VNM"),
    ("China, Hong Kong Special Administrative Region", "HKG"), ("Curaçao", "CUW"),
    ("NA", "NAM"), ("GB", "GBR"), ("UK", "GBR"), ("EL", "GRC"), ("fra", "FRA"),
])
def test_named_variants(name, iso3):
    assert countries.to_iso3(name) == iso3


def test_documented_non_countries_map_to_missing():
    assert countries.to_iso3(["CAR", "SAM", "Aruba/Curacao", "Sark"]) == [None] * 4


def test_missing_stays_missing_and_series_keep_their_index():
    s = pd.Series(["FR", None, "DE", float("nan")], index=[10, 11, 12, 13])
    out = countries.to_iso3(s, src="ISO2")
    assert list(out.index) == [10, 11, 12, 13]
    assert out[10] == "FRA" and out[12] == "DEU" and out[[11, 13]].isna().all()
    assert countries.to_iso3(["Chile", None]) == ["CHL", None]


def test_unmapped_names_are_all_named_in_one_error_with_suggestions():
    with pytest.raises(DataError) as err:
        countries.to_iso3(["France", "Atlantis", "Frnace"])
    msg = str(err.value)
    assert "'Atlantis'" in msg and "'Frnace' (did you mean FRA" in msg and "country_exceptions.csv" in msg


def test_src_restricts_the_kind_of_input():
    with pytest.raises(DataError, match="'France'"):
        countries.to_iso3(["France"], src="ISO3")
    with pytest.raises(DataError, match="as ISO3: 'FRX'"):
        countries.to_iso3(["FRX"], src="ISO3")
    with pytest.raises(ValueError, match="src='iso'"):
        countries.to_iso3(["FR"], src="iso")  # type: ignore[arg-type]


def test_country_converter_warnings_are_silenced(caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DataError):
        countries.to_iso3(["Nowhereland"])
    assert not [r for r in caplog.records if r.name.startswith("country_converter")]


def test_name_of_and_closest():
    assert countries.name_of("CIV") == "Côte d'Ivoire"
    assert countries.name_of("xkx") == "Kosovo"
    with pytest.raises(DataError, match="unknown ISO3 code 'FRN'; did you mean"):
        countries.name_of("FRN")
    assert countries.closest_iso3("Frnace")[0] == "FRA"
    assert "FRA" in countries.closest_iso3("FRN")
    assert countries.closest_iso3("Republic of Moldova (the)")[0] == "MDA"
    assert countries.closest_iso3("zzzzzzzzzz") == []


def test_exceptions_table_has_a_reason_for_every_row_and_valid_codes():
    with open(countries.exceptions_file(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(len(r["reason"]) > 20 for r in rows)
    names = [r["name"] for r in rows]
    assert len(names) == len(set(names))
    assert all(r["iso3"] == "" or len(r["iso3"]) == 3 for r in rows)


# ------------------------------------------------------------------ parts of a country


@pytest.mark.parametrize("value, code, parent", [
    ("GBR_E_W", "GBR_E_W", "GBR"), ("GBR_S", "GBR_S", "GBR"), ("GBR_NI", "GBR_NI", "GBR"),
    ("United Kingdom (Scotland)", "GBR_S", "GBR"), ("United Kingdom (England and Wales)", "GBR_E_W", "GBR"),
    ("IRQ_C", "IRQ_C", "IRQ"), ("Iraq (Central Iraq)", "IRQ_C", "IRQ"), ("Iraq (Kurdistan Region)", "IRQ_KRI", "IRQ"),
])
def test_subnational_units_are_never_mapped_silently(value, code, parent):
    # before: GBR_S and "United Kingdom (Scotland)" became GBR with no warning
    with pytest.raises(DataError, match=rf"sub-national unit\(s\), not countries: '{re.escape(value)}' \({code}, part of {parent}\)"):
        countries.to_iso3(value)
    assert countries.to_iso3(value, subnational="keep") == code
    assert countries.to_iso3(value, subnational="parent") == parent
    assert countries.subnational_of(value) == (code, parent)


def test_uk_parts_kept_apart_in_a_series():
    s = pd.Series(["GBR_E_W", "GBR_S", "GBR_NI", "GBR"], index=[3, 4, 5, 6])
    assert countries.to_iso3(s, subnational="keep").tolist() == ["GBR_E_W", "GBR_S", "GBR_NI", "GBR"]
    assert countries.subnational_of("GBR") is None and countries.subnational_of(None) is None


def test_kosovo_keeps_its_own_code_never_serbia():
    assert countries.to_iso3("Kosovo under UNSCR 1244") == "XKX"
    assert countries.to_iso3("Kosovo") == "XKX"


def test_subnational_table_has_a_reason_for_every_row_and_known_parents():
    with open(countries.subnational_file(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(r["reason"].strip() for r in rows)
    assert {r["parent_iso3"] for r in rows} <= countries.valid_iso3()
    assert not {r["code"] for r in rows} & countries.valid_iso3()


def test_bad_subnational_option_is_refused():
    with pytest.raises(ValueError, match="subnational='merge' is not one of"):
        countries.to_iso3("FRA", subnational="merge")


# ------------------------------------------------------------------ UK nations whatever the spelling
@pytest.mark.parametrize("value, code", [
    ("England and Wales", "GBR_E_W"), ("England & Wales", "GBR_E_W"), ("england, wales", "GBR_E_W"),
    ("UK (England and Wales)", "GBR_E_W"), ("GB-EAW", "GBR_E_W"),
    ("England", "GBR_ENG"), ("GB-ENG", "GBR_ENG"), ("Wales", "GBR_WLS"), ("Wales, UK", "GBR_WLS"),
    ("Scotland", "GBR_S"), ("Scotland (UK)", "GBR_S"), ("United Kingdom - Scotland", "GBR_S"), ("GB-SCT", "GBR_S"),
    ("gbr_s", "GBR_S"), ("Northern Ireland", "GBR_NI"), ("N. Ireland", "GBR_NI"), ("GBR-NI", "GBR_NI"),
    ("Kurdistan Region of Iraq", "IRQ_KRI"), ("Iraqi Kurdistan", "IRQ_KRI"), ("Central Iraq", "IRQ_C"),
])
def test_uk_nations_and_iraqi_regions_are_parts_whatever_the_spelling(value, code):
    # before: "England and Wales" and "England" became GBR silently, "N. Ireland" became IRL (Ireland)
    parent = code.split("_")[0]
    with pytest.raises(DataError, match=r"sub-national unit\(s\), not countries"):
        countries.to_iso3(value)
    assert countries.to_iso3(value, subnational="keep") == code
    assert countries.to_iso3(value, subnational="parent") == parent


@pytest.mark.parametrize("value, iso3", [
    ("United Kingdom", "GBR"), ("United Kingdom of Great Britain and Northern Ireland", "GBR"), ("UK", "GBR"),
    ("Great Britain", "GBR"), ("Ireland", "IRL"), ("Iraq", "IRQ"), ("Trinidad and Tobago", "TTO"),
    ("Bosnia & Herzegovina", "BIH"),
])
def test_whole_countries_stay_whole(value, iso3):
    assert countries.to_iso3(value) == iso3


def test_a_name_speaking_of_a_part_is_never_given_the_whole_country():
    # country_converter's patterns map both to GBR; neither is the United Kingdom
    with pytest.raises(DataError, match=r"not recognised: 'New England'"):
        countries.to_iso3("New England")
    assert countries.subnational_of("United Kingdom") is None
