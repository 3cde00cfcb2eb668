"""Upstream loaders: real values from the mirror, the output contract, and bad input refused clearly.

Expected numbers marked "independent" are recomputed here from the raw file with the csv module;
the others were counted once from the raw file by other means (noted) or are published figures.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

_DEFAULT_MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mirror"
if not os.environ.get("CRITIQUE_DATA_MIRROR"):
    os.environ["CRITIQUE_DATA_MIRROR"] = str(_DEFAULT_MIRROR)

from critique import datasets  # noqa: E402
from critique.datasets import countries
from critique.datasets import DataError, parse_upstream  # noqa: E402

FILES = {
    "glotip": "data_glotip.xlsx",
    "tip-tiers": "map_tiers.csv",
    "gsi-2023": "Global_Slavery_Index_2023.csv",
    "ctdc-2020": "dados_app.csv",
    "fbi-ucr-ht": "HT_2013-2020.csv",
}


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = Path(os.environ["CRITIQUE_DATA_MIRROR"])
    if not path.is_dir():
        pytest.fail(f"CRITIQUE_DATA_MIRROR={path} is not a folder of upstream files")
    return path


# The release whose file FILES names (the expectations below were counted on it).
RELEASES = {"glotip": "glotip@2023-05-30"}


@pytest.fixture(scope="session")
def parsed(mirror):
    """Each source parsed once per session, straight from the mirror (no cache: the parser is tested)."""
    cache: dict[str, pd.DataFrame] = {}

    def get(dataset_id: str) -> pd.DataFrame:
        if dataset_id not in cache:
            cache[dataset_id] = parse_upstream(RELEASES.get(dataset_id, dataset_id), mirror / FILES[dataset_id])
        return cache[dataset_id]

    return get


def _raw_rows(mirror: Path, name: str) -> list[dict[str, str]]:
    with open(mirror / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------ contract


CONTRACT = {
    "glotip": ["iso3", "iso3_unodc", "country", "region", "subregion", "indicator", "dimension", "category",
               "sex", "age", "year", "value", "suppressed", "value_low", "value_high", "source", "exclude_reason"],
    "tip-tiers": ["iso3", "country", "report_year", "tier", "ccode"],
    "gsi-2023": ["iso3", "country", "region", "population", "prevalence_per_1000", "estimated_number"],
    "ctdc-2020": ["year", "gender", "age_broad", "citizenship_iso3", "exploitation_iso3", "is_forced_labour",
                  "is_sexual_exploit", "exploitation_type"],
    "fbi-ucr-ht": ["year", "ori", "agency", "agency_type", "state", "offence", "actual", "unfounded", "cleared",
                   "juvenile_cleared", "population_group"],
}
ROWS = {"glotip": 46_556, "tip-tiers": 2_833, "gsi-2023": 180, "ctdc-2020": 48_773, "fbi-ucr-ht": 4_417}


@pytest.mark.parametrize("dataset_id", list(FILES))
def test_columns_and_row_counts_follow_the_contract(parsed, dataset_id):
    frame = parsed(dataset_id)
    assert list(frame.columns) == CONTRACT[dataset_id]
    assert len(frame) == ROWS[dataset_id]


def test_every_loader_is_registered():
    assert set(FILES) <= set(datasets.ids())


def test_split_loader_modules_keep_ids_parsers_and_size():
    """upstream.py was split into parsing / upstream (GLOTIP) / upstream_csv: the registered ids, the
    parser functions reachable from ``upstream`` and the shared helpers are the same objects."""
    from critique.datasets import _REGISTRY, parsing, upstream, upstream_csv

    expected = {"glotip": upstream.parse_glotip, "tip-tiers": upstream_csv.parse_tip_tiers,
                "gsi-2023": upstream_csv.parse_gsi_2023, "ctdc-2020": upstream_csv.parse_ctdc_2020,
                "fbi-ucr-ht": upstream_csv.parse_fbi_ucr_ht}
    for dataset_id, func in expected.items():
        assert _REGISTRY[dataset_id].func is func
        assert getattr(upstream, func.__name__) is func
    assert upstream._numbers is parsing._numbers and upstream._read_csv is parsing._read_csv
    for module in (parsing, upstream, upstream_csv):
        n_lines = len(Path(module.__file__).read_text(encoding="utf-8").splitlines())
        assert n_lines < 400, f"{module.__name__} has {n_lines} lines"


# ------------------------------------------------------------------ glotip


def test_glotip_keeps_all_46556_rows_and_reports_23076_suppressed_cells(parsed):
    g = parsed("glotip")
    # 46,559 sheet rows - 2 note rows - 1 column row = 46,556 data rows (schemas.md, 2023 release).
    assert len(g) == 46_556
    # counted from the raw sheet with pandas.read_excel(header=None): (txtVALUE == "<5").sum() == 23,076
    assert g.attrs["suppressed_cells"] == 23_076 == int(g["suppressed"].sum())
    assert g.attrs["header_row"] == 3


def test_glotip_suppressed_cells_are_rows_with_bounds_not_zeros(parsed):
    g = parsed("glotip")
    sup = g[g["suppressed"]]
    assert sup["value"].isna().all()
    # "<5" is 0 to 4: UNODC publishes no number below 5, zero included (glotip_rules docstring);
    # the old low bound 1 was wrong
    assert (sup["value_low"] == 0).all() and (sup["value_high"] == 4).all()
    shown = g[~g["suppressed"]]
    assert shown["value"].notna().all()
    assert (shown["value"] == shown["value_low"]).all() and (shown["value"] == shown["value_high"]).all()


def test_glotip_known_cells(parsed):
    g = parsed("glotip")

    def cell(iso3, indicator, dimension, category, year, sex="Total", age="Total"):
        hit = g[(g.iso3 == iso3) & (g.indicator == indicator) & (g.dimension == dimension)
                & (g.category == category) & (g.sex == sex) & (g.age == age) & (g.year == year)]
        assert len(hit) == 1, (iso3, indicator, category, year, len(hit))
        return hit.iloc[0]

    # sheet row 36845: USA, detected victims, Total, 2021, txtVALUE "10,070" (thousands separator)
    assert cell("USA", "Detected trafficking victims", "Total", "Total", 2021)["value"] == 10_070
    # sheet row 36465: USA 2013 "2,315"
    assert cell("USA", "Detected trafficking victims", "Total", "Total", 2013)["value"] == 2_315
    # sheet rows 26778-26779, 45326: Netherlands 2019 by form: 210 forced labour, 716 sexual, 198 other
    nld = {c: cell("NLD", "Detected trafficking victims", "by form of exploitation", c, 2019)["value"]
           for c in ("Forced labour", "Sexual exploitation", "Other forms of exploitation")}
    assert nld == {"Forced labour": 210, "Sexual exploitation": 716, "Other forms of exploitation": 198}
    # sheet row 4: Aruba, repatriated to Ukraine, 2010: "<5"
    aruba = cell("ABW", "Detected trafficking victims", "by country of repatriation", "Ukraine", 2010)
    assert aruba["suppressed"] and np.isnan(aruba["value"]) and (aruba["value_low"], aruba["value_high"]) == (0, 4)


def test_glotip_rows_without_iso3_are_documented_aggregates_and_sark(parsed):
    g = parsed("glotip")
    no_iso = g[g["iso3"].isna()]
    # 957 rows with a UNODC code that is not ISO3 (counted in the raw sheet: the rows with no
    # country name) + 26 Sark rows with no code at all = 983
    assert len(no_iso) == 983 == g.attrs["rows_without_iso3"]
    assert Counter(no_iso["iso3_unodc"].dropna()) == {
        "SAM": 205, "SAF": 204, "CAR": 161, "CAS": 129, "EEU": 129, "MCA": 88, "MCN": 40, "Aruba/Curacao": 1}
    assert set(no_iso.loc[no_iso["iso3_unodc"].isna(), "country"]) == {"Sark"}
    assert g.loc[g["iso3"].notna(), "iso3_unodc"].isna().all()


def test_glotip_names_and_codes_agree(parsed):
    g = parsed("glotip")
    pairs = g.loc[g["iso3"].notna() & g["country"].notna(), ["iso3", "country"]].drop_duplicates()
    from_names = countries.to_iso3(pairs["country"], src="name")
    assert (from_names.to_numpy() == pairs["iso3"].to_numpy()).all()
    assert pairs["iso3"].nunique() == 199  # 200 names - Sark


def test_glotip_category_gaps_are_kept_as_published(parsed):
    g = parsed("glotip")
    # raw sheet: 75 empty Category cells and 12 written "N/A" (pandas' default NA parsing would merge them)
    assert int(g["category"].isna().sum()) == 75
    assert int((g["category"] == "N/A").sum()) == 12


# ------------------------------------------------------------------ tip-tiers


def test_tiers_rated_counts_match_the_raw_csv(parsed, mirror):
    t = parsed("tip-tiers")
    raw = _raw_rows(mirror, "map_tiers.csv")
    rated = Counter(r["year"] for r in raw if r["tier"] != "NA")  # independent
    for year in (2001, 2015):
        assert int(t.loc[t.report_year == year, "tier"].notna().sum()) == rated[str(year)]
    assert (rated["2001"], rated["2015"]) == (79, 186)
    # 1999-2000: 186 + 189 rows, none rated, dropped
    assert t.attrs["dropped_rows"] == 375 and t["report_year"].min() == 2001


def test_tier_codes_map_to_tiers(parsed, mirror):
    t = parsed("tip-tiers").set_index(["iso3", "report_year"])["tier"]
    # Kelley & Heiss codes: Malaysia 2014 = 4 (Tier 3), 2015 = 3 (Watch List); Afghanistan 2001 = NA
    assert t[("MYS", 2014)] == "3" and t[("MYS", 2015)] == "2WL"
    assert pd.isna(t[("AFG", 2001)]) and t[("AFG", 2002)] == "3"
    assert t[("XKX", 2015)] == "2"  # Kelley & Heiss write Kosovo "KOS"
    raw = _raw_rows(mirror, "map_tiers.csv")
    codes = Counter(r["tier"] for r in raw if int(r["year"]) >= 2001)  # independent
    counts = parsed("tip-tiers")["tier"].value_counts()
    assert counts["1"] == codes["1"] and counts["2"] == codes["2"]
    assert counts["2WL"] == codes["3"] and counts["3"] == codes["4"]
    assert list(parsed("tip-tiers")["tier"].cat.categories) == ["1", "2", "2WL", "3"]
    assert parsed("tip-tiers")["tier"].cat.ordered


# ------------------------------------------------------------------ gsi-2023


def test_gsi_estimates_sum_to_the_published_total(parsed):
    gsi = parsed("gsi-2023")
    assert int(gsi["estimated_number"].sum()) == 49_630_000  # MANIFEST and Walk Free (2023)
    assert int(gsi["estimated_number"].notna().sum()) == 160
    row = gsi.set_index("iso3").loc["TUR"]  # "Türkiye","  84,339,000 ",...,15.6,"1,320,000"
    assert (row["population"], row["prevalence_per_1000"], row["estimated_number"]) == (84_339_000, 15.6, 1_320_000)
    kosovo = gsi.set_index("iso3").loc["XKX"]  # population written "  -   "
    assert pd.isna(kosovo["population"]) and kosovo["estimated_number"] == 14_000
    assert gsi.attrs["population_missing"] == 4


# ------------------------------------------------------------------ ctdc-2020


def test_ctdc_values_and_exploitation_types(parsed, mirror):
    c = parsed("ctdc-2020")
    raw = _raw_rows(mirror, "dados_app.csv")
    assert len(c) == len(raw) == 48_773
    pairs = Counter((r["isForcedLabour"], r["isSexualExploit"]) for r in raw)  # independent
    expected = {
        "Both": pairs[("1.0", "1.0")],
        "Sexual exploitation": pairs[("0.0", "1.0")] + pairs[("", "1.0")],
        "Forced labour": pairs[("1.0", "0.0")] + pairs[("1.0", "")],
        "Neither": pairs[("0.0", "0.0")],
        "Not recorded": pairs[("", "")] + pairs[("0.0", "")] + pairs[("", "0.0")],
    }
    assert c["exploitation_type"].value_counts().to_dict() == expected
    assert expected == {"Both": 308, "Sexual exploitation": 15_731, "Forced labour": 9_464, "Neither": 976,
                        "Not recorded": 22_294}
    assert c["is_forced_labour"].isna().sum() == sum(1 for r in raw if r["isForcedLabour"] == "")
    assert (int(c["year"].min()), int(c["year"].max())) == (2002, 2018)


def test_ctdc_iso2_sentinels_and_conversion(parsed, mirror):
    c = parsed("ctdc-2020")
    raw = _raw_rows(mirror, "dados_app.csv")
    assert c.attrs["citizenship_sentinels"] == sum(1 for r in raw if r["citizenship"] == "0") == 8_858
    missing = sum(1 for r in raw if r["citizenship"] in ("", "0"))
    assert int(c["citizenship_iso3"].isna().sum()) == missing
    # where the third party added an ISO3, it agrees with ours
    theirs = pd.Series([r["nacionalidade_alpha3"] for r in raw])
    has = (theirs != "").to_numpy()
    assert (c["citizenship_iso3"].to_numpy()[has] == theirs.to_numpy()[has]).all()


# ------------------------------------------------------------------ fbi-ucr-ht


def test_fbi_reporting_agencies_grow_from_9_to_503(parsed, mirror):
    f = parsed("fbi-ucr-ht")
    raw = _raw_rows(mirror, "HT_2013-2020.csv")
    agencies = {y: len({r["ORI"] for r in raw if r["DATA_YEAR"] == str(y)}) for y in (2013, 2020)}  # independent
    assert f.groupby("year")["ori"].nunique()[[2013, 2020]].tolist() == [agencies[2013], agencies[2020]] == [9, 503]
    actual = {y: sum(int(r["ACTUAL_COUNT"]) for r in raw if r["DATA_YEAR"] == str(y)) for y in (2013, 2020)}
    assert f.groupby("year")["actual"].sum()[[2013, 2020]].tolist() == [actual[2013], actual[2020]]


def test_fbi_negative_actual_is_a_kept_ucr_adjustment(parsed):
    f = parsed("fbi-ucr-ht")
    neg = f[f["actual"] < 0]
    # raw row 1952: Harford, MD, 2020, Commercial Sex Acts, ACTUAL_COUNT -1, UNFOUNDED_COUNT 1
    assert len(neg) == 1 == f.attrs["negative_actual_rows"]
    assert (neg.iloc[0]["ori"], neg.iloc[0]["actual"], neg.iloc[0]["unfounded"]) == ("MD0130000", -1, 1)
    assert f.attrs["repeated_keys"] == 2_142


# ------------------------------------------------------------------ cache


def test_load_caches_parquet_keyed_by_sha_and_keeps_attrs(tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_DATA_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("CRITIQUE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path / "out"))
    cold = datasets.load("gsi-2023")
    files = list((tmp_path / "cache").glob("gsi-2023-*.parquet"))
    assert len(files) == 1 and files[0].name.startswith("gsi-2023-23c21e6d08e3d961-v")
    warm = datasets.load("gsi-2023")
    pd.testing.assert_frame_equal(cold, warm)
    assert warm.attrs["countries_without_estimate"] == 20


# ------------------------------------------------------------------ bad input


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _edit_csv(src: Path, dst: Path, edit) -> Path:
    with open(src, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = edit(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return _write(dst, buf.getvalue())


def _glotip_book(path: Path, rows: list[list[object]], notes: bool = True) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    if notes:
        sheet.append(["UNODC", "unodc_ddds@un.org"])
        sheet.append(["30/05/2023"])
    sheet.append(["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension", "Category", "Sex",
                  "Age", "Year", "Unit of measurement", "txtVALUE", "Source"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


GOOD_ROW = ["FRA", "France", "Europe", "Western Europe", "Detected trafficking victims", "Total", "Total",
            "Total", "Total", 2019, "Counts", "1,234", "GLOTIP"]


def test_small_workbook_parses_and_header_is_found_by_content(tmp_path):
    path = _glotip_book(tmp_path / "g.xlsx", [GOOD_ROW, [*GOOD_ROW[:9], 2020, "Counts", "<5", "GLOTIP"]])
    g = parse_upstream("glotip", path)
    assert g["value"].tolist()[0] == 1234 and g["suppressed"].tolist() == [False, True]
    no_notes = parse_upstream("glotip", _glotip_book(tmp_path / "h.xlsx", [GOOD_ROW], notes=False))
    assert no_notes.attrs["header_row"] == 1


def test_truncated_xlsx_is_a_clear_error(tmp_path, mirror):
    path = tmp_path / "data_glotip.xlsx"
    path.write_bytes((mirror / "data_glotip.xlsx").read_bytes()[:200_000])
    with pytest.raises(DataError, match=r"data_glotip\.xlsx: not a readable xlsx workbook .*truncated"):
        parse_upstream("glotip", path)


def test_workbook_without_column_row_is_a_clear_error(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Iso3_code", "Country", "Year"])
    book.save(tmp_path / "g.xlsx")
    with pytest.raises(DataError, match=r"g\.xlsx: no column row .*lacking .*txtvalue"):
        parse_upstream("glotip", tmp_path / "g.xlsx")


def test_negative_glotip_value_names_column_value_and_row(tmp_path):
    bad = [*GOOD_ROW[:11], "-3", "GLOTIP"]
    path = _glotip_book(tmp_path / "g.xlsx", [GOOD_ROW, bad])
    # header on sheet row 3, so the second data row is sheet row 5
    with pytest.raises(DataError, match=r"g\.xlsx: column 'value' value -3 at row 5 must be >= 0"):
        parse_upstream("glotip", path)


def test_csv_missing_a_column_is_a_clear_error(tmp_path, mirror):
    path = _edit_csv(mirror / FILES["gsi-2023"], tmp_path / "gsi.csv", lambda rows: [r[:2] + r[3:] for r in rows])
    with pytest.raises(DataError, match=r"gsi\.csv: column\(s\) 'Region' missing"):
        parse_upstream("gsi-2023", path)


def test_negative_fbi_count_names_file_column_value_and_row(tmp_path, mirror):
    def edit(rows):
        col = rows[0].index("UNFOUNDED_COUNT")
        rows[10][col] = "-3"  # file line 11
        return rows

    path = _edit_csv(mirror / FILES["fbi-ucr-ht"], tmp_path / "ht.csv", edit)
    with pytest.raises(DataError, match=r"ht\.csv: column 'unfounded' value -3 at row 11 must be >= 0"):
        parse_upstream("fbi-ucr-ht", path)


def test_negative_actual_without_unfounded_is_refused(tmp_path, mirror):
    def edit(rows):
        head = rows[0]
        rows[5][head.index("ACTUAL_COUNT")], rows[5][head.index("UNFOUNDED_COUNT")] = "-2", "0"
        return rows

    path = _edit_csv(mirror / FILES["fbi-ucr-ht"], tmp_path / "ht.csv", edit)
    with pytest.raises(DataError, match=r"ht\.csv: row 6 fails 'actual \+ unfounded .* must be >= 0'"):
        parse_upstream("fbi-ucr-ht", path)


def test_unknown_country_name_is_a_clear_error(tmp_path, mirror):
    def edit(rows):
        rows[3][0] = "Atlantis"  # Angola's row
        return rows

    path = _edit_csv(mirror / FILES["gsi-2023"], tmp_path / "gsi.csv", edit)
    with pytest.raises(DataError, match=r"gsi\.csv: column 'Country': .*'Atlantis'"):
        parse_upstream("gsi-2023", path)


def test_text_that_is_not_a_number_is_a_clear_error(tmp_path, mirror):
    def edit(rows):
        rows[2][1] = " 2,87 8,000 x"
        return rows

    path = _edit_csv(mirror / FILES["gsi-2023"], tmp_path / "gsi.csv", edit)
    with pytest.raises(DataError, match=r"gsi\.csv: column 'Population' value ' 2,87 8,000 x' at row 3 is not a number"):
        parse_upstream("gsi-2023", path)


def test_unknown_tier_code_is_a_clear_error(tmp_path, mirror):
    def edit(rows):
        rows[4][4] = "5"
        return rows

    path = _edit_csv(mirror / FILES["tip-tiers"], tmp_path / "tiers.csv", edit)
    with pytest.raises(DataError, match=r"tiers\.csv: column 'tier' value '5' at row 5 is not a tier code"):
        parse_upstream("tip-tiers", path)


def test_ctdc_flag_that_is_not_0_or_1_is_a_clear_error(tmp_path, mirror):
    def edit(rows):
        rows[1][rows[0].index("isSexualExploit")] = "2.0"
        return rows

    path = _edit_csv(mirror / FILES["ctdc-2020"], tmp_path / "ctdc.csv", edit)
    with pytest.raises(DataError, match=r"ctdc\.csv: column 'isSexualExploit' value '2\.0' at row 2 is not a 0/1 flag"):
        parse_upstream("ctdc-2020", path)


def test_sentinel_minus_99_becomes_missing_not_a_number(tmp_path, mirror):
    def edit(rows):
        rows[1][rows[0].index("isForcedLabour")] = "-99"
        rows[1][rows[0].index("citizenship")] = "-99"
        return rows

    c = parse_upstream("ctdc-2020", _edit_csv(mirror / FILES["ctdc-2020"], tmp_path / "ctdc.csv", edit))
    assert pd.isna(c.loc[0, "is_forced_labour"]) and pd.isna(c.loc[0, "citizenship_iso3"])
