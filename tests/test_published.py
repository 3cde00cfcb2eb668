"""Published tables (data/published): the sidecar framework and the figures typed in."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from critique import datasets
from critique.datasets import paths
from critique.datasets import DataError, published

MY_TABLES = ["tip-law-enforcement", "tip-law-enforcement-regional", "glotip-editions",
             "global-estimates", "eurostat-headlines", "mse-uk-2013", "mse-uk-2013-5",
             "mse-uk-2013-4", "mse-netherlands", "mse-netherlands-5", "mse-new-orleans",
             "mse-new-orleans-5", "mse-us-western", "mse-australia"]


@pytest.fixture(autouse=True)
def _output_dir(tmp_path, monkeypatch):
    # load() notes inputs in the run's findings: keep them out of reports/scratch
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path / "out"))


def _copy(tmp_path: Path, dataset_id: str) -> tuple[Path, Path]:
    """Copy a table and its sidecar into tmp_path; return (sidecar, csv)."""
    table = published.discover()[dataset_id]
    shutil.copy(table.sidecar, tmp_path / table.sidecar.name)
    shutil.copy(table.csv, tmp_path / table.csv.name)
    return tmp_path / table.sidecar.name, tmp_path / table.csv.name


def _edit_csv(csv: Path, func) -> None:
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    result = func(frame)
    (frame if result is None else result).to_csv(csv, index=False)


# ---------------------------------------------------------------------------- framework

def test_every_table_is_registered_with_kind_published():
    for table_id in MY_TABLES:
        assert table_id in datasets.ids()
        assert datasets._loader(table_id).kind == "published"


def test_unchanged_copy_reads_like_the_original(tmp_path):
    sidecar, _ = _copy(tmp_path, "tip-law-enforcement")
    pd.testing.assert_frame_equal(published.read_table(sidecar),
                                  datasets.load("tip-law-enforcement"))


def test_missing_citation_column_names_file_and_column(tmp_path):
    sidecar, csv = _copy(tmp_path, "tip-law-enforcement")
    _edit_csv(csv, lambda f: f.drop(columns="citation"))
    with pytest.raises(DataError, match=r"tip_law_enforcement\.csv.*'citation'"):
        published.read_table(sidecar)


def test_empty_citation_names_the_line(tmp_path):
    sidecar, csv = _copy(tmp_path, "tip-law-enforcement")
    _edit_csv(csv, lambda f: f.loc.__setitem__((3, "citation"), ""))  # data row 3 = CSV line 5
    with pytest.raises(DataError, match=r"tip_law_enforcement\.csv.*'citation'.*line 5"):
        published.read_table(sidecar)


def test_bad_verification_value_names_column_line_and_value(tmp_path):
    sidecar, csv = _copy(tmp_path, "glotip-editions")
    _edit_csv(csv, lambda f: f.loc.__setitem__((0, "verification"), "verified"))
    with pytest.raises(DataError, match=r"glotip_editions\.csv.*'verification'.*line 2.*'verified'"):
        published.read_table(sidecar)


def test_negative_count_fails_min_0(tmp_path):
    sidecar, csv = _copy(tmp_path, "mse-uk-2013")
    _edit_csv(csv, lambda f: f.loc.__setitem__((1, "count"), "-463"))
    with pytest.raises(DataError, match=r"mse_uk_2013\.csv.*'count'.*line 3.*-463"):
        published.read_table(sidecar)


def test_list_column_outside_0_1_fails(tmp_path):
    sidecar, csv = _copy(tmp_path, "mse-australia")
    _edit_csv(csv, lambda f: f.loc.__setitem__((0, "A"), "2"))
    with pytest.raises(DataError, match=r"mse_australia\.csv.*'A'.*line 2"):
        published.read_table(sidecar)


def test_number_with_thousands_separator_is_refused(tmp_path):
    sidecar, csv = _copy(tmp_path, "tip-law-enforcement")
    _edit_csv(csv, lambda f: f.loc.__setitem__((0, "prosecutions"), "7,992"))
    with pytest.raises(DataError, match=r"'prosecutions', line 2: value '7,992' is not a plain int"):
        published.read_table(sidecar)


def test_secondary_row_without_source_url_fails(tmp_path):
    sidecar, csv = _copy(tmp_path, "eurostat-headlines")
    _edit_csv(csv, lambda f: f.loc.__setitem__((0, "source_url"), ""))
    with pytest.raises(DataError, match=r"'source_url', line 2: empty on a 'secondary' row"):
        published.read_table(sidecar)


def test_undeclared_column_and_duplicate_key_fail(tmp_path):
    sidecar, csv = _copy(tmp_path, "global-estimates")
    _edit_csv(csv, lambda f: f.insert(0, "extra", "x"))
    with pytest.raises(DataError, match="extra"):
        published.read_table(sidecar)
    sidecar, csv = _copy(tmp_path, "eurostat-headlines")
    _edit_csv(csv, lambda f: f.loc.__setitem__((1, "period"), f.loc[0, "period"]))
    with pytest.raises(DataError, match="period"):
        published.read_table(sidecar)


def test_unknown_id_is_a_data_error_with_a_suggestion():
    with pytest.raises(DataError, match="unknown dataset id 'tip-law-enforcment'.*tip-law-enforcement"):
        datasets.load("tip-law-enforcment")
    with pytest.raises(DataError, match="unknown published table 'nope'"):
        published.meta("nope")


def test_duplicate_ids_are_refused(tmp_path):
    sidecar, _ = _copy(tmp_path, "global-estimates")
    shutil.copy(sidecar, tmp_path / "copy.yml")
    with pytest.raises(DataError, match="id 'global-estimates' is already used"):
        published.discover(tmp_path)


def test_missing_values_stay_missing_never_zero():
    tip = datasets.load("tip-law-enforcement")
    year_2003 = tip[tip["data_year"] == 2003].iloc[0]
    assert pd.isna(year_2003["victims_identified"])  # not reported before 2007: missing, not 0
    assert tip["prosecutions"].dtype == "Int64"
    assert 2008 not in set(published.established(tip)["data_year"])  # 2008 is only [U]


def test_sha256_meta_source_line_and_findings_input(tmp_path):
    csv = published.discover()["mse-uk-2013"].csv
    assert published.sha256_of_table("mse-uk-2013") == hashlib.sha256(csv.read_bytes()).hexdigest()
    meta = published.meta("mse-uk-2013")
    meta["title"] = "changed"  # a copy: does not leak into the next call
    assert published.meta("mse-uk-2013")["title"] != "changed"
    line = datasets.source_line("tip-law-enforcement")
    assert line.startswith("US Department of State")
    assert "5 unverified" in line
    assert any("lack of uniformity in national reporting structures" in c
               for c in datasets.caveats("tip-law-enforcement"))
    datasets.load("mse-uk-2013")
    partial = (tmp_path / "out" / ".findings.partial.json").read_text()
    assert published.sha256_of_table("mse-uk-2013") in partial


def test_verification_summary_counts_rows_by_status():
    tip = datasets.load("tip-law-enforcement")
    # primary: 2003-2007 (5); unverified: 2008, 2010, 2011, 2014, 2015 (5);
    # secondary: 2009, 2012, 2013, 2015, 2016, 2017-2023 (5 + 7 = 12); 22 rows in all
    assert published.verification_summary(tip) == {"primary": 5, "secondary": 12, "unverified": 5}
    with pytest.raises(DataError, match="no 'verification' column"):
        published.verification_summary(tip.drop(columns="verification"))


# ---------------------------------------------------------------------------- every table

def test_every_row_of_every_table_is_cited_with_a_valid_status():
    counts = published.check_all()
    assert set(MY_TABLES) <= set(counts)
    for table_id in published.ids():
        frame = datasets.load(table_id)
        assert len(frame) > 0, table_id
        assert frame["citation"].str.strip().str.len().gt(0).all(), table_id
        assert frame["verification"].isin(published.VERIFICATION).all(), table_id
        verified = frame["verification"] != "unverified"
        assert frame.loc[verified, "source_url"].notna().all(), table_id


def test_no_table_cites_the_shared_folder_as_its_source():
    for table_id in MY_TABLES:
        frame = datasets.load(table_id)
        assert not frame["source_url"].str.contains("shared/data", na=False).any(), table_id
        assert "shared/data" not in published.meta(table_id)["source"], table_id


# ---------------------------------------------------------------------------- published values

def test_tip_global_values():
    tip = published.established(datasets.load("tip-law-enforcement")).set_index("data_year")
    assert tip.loc[2023, "victims_identified"] == 133943  # TIP 2024 table via Greenlight Operation
    assert tip.loc[2023, "convictions"] == 7115
    assert tip.loc[2003, "prosecutions"] == 7992  # TIP 2008 table
    assert tip.loc[2007, "labor_prosecutions"] == 490
    assert tip.loc[2015, "convictions"] == 6609  # Human Rights First
    assert pd.isna(tip.loc[2015, "prosecutions"])  # only the [U] row holds 19,127
    # 2016 victims are the sum of six regional figures: 18296+9989+11416+3292+14706+8821 = 66520
    assert tip.loc[2016, "victims_identified"] == 66520
    assert tip.loc[2005, "jump_note"].startswith("Partly a reporting gap")


def test_tip_regional_2003_sums_reproduce_the_global_figures():
    reg = datasets.load("tip-law-enforcement-regional")
    y2003 = reg[reg["data_year"] == 2003]
    # 50+1727+2437+1004+2599+175 = 7992; 10+583+1561+279+355+27 = 2815
    assert int(y2003["prosecutions"].sum()) == 7992
    assert int(y2003["convictions"].sum()) == 2815
    y2016 = reg[reg["data_year"] == 2016]
    assert int(y2016["victims_identified"].sum()) == 66520


def test_glotip_edition_values():
    g = datasets.load("glotip-editions")
    est = published.established(g).set_index("edition")
    assert est.loc[2009, "share_sexual_exploitation_pct"] == 79
    assert est.loc[2009, "share_forced_labour_pct"] == 18
    assert est.loc[2018, "share_sexual_exploitation_pct"] == 59
    assert est.loc[2020, "countries_covered"] == 148
    assert est.loc[2022, "share_forced_criminality_pct"] == 10
    assert pd.isna(est.loc[2014, "share_sexual_exploitation_pct"])  # 53% is [U] only
    unverified = g[g["verification"] == "unverified"]
    assert list(unverified["edition"]) == [2014]


def test_global_estimates_values_and_arithmetic():
    ge = datasets.load("global-estimates").set_index("edition")
    assert ge.loc["GEMS 2022", "total_modern_slavery"] == 49_600_000
    assert ge.loc["GEMS 2017", "total_modern_slavery"] == 40_300_000
    for edition in ("GEMS 2017", "GEMS 2022"):
        row = ge.loc[edition]
        # total = forced labour + forced marriage: 24.9+15.4 = 40.3; 27.6+22.0 = 49.6 (million)
        assert row["forced_labour_total"] + row["forced_marriage"] == row["total_modern_slavery"]
        parts = (row["forced_labour_private_excl_cse"] + row["forced_commercial_sexual_exploitation"]
                 + row["state_imposed_forced_labour"])
        # 16.0+4.8+4.0 = 24.8 vs 24.9; 17.3+6.3+3.9 = 27.5 vs 27.6: published rounding only
        assert abs(parts - row["forced_labour_total"]) <= 100_000
    ilo = ge.loc["ILO 2012"]
    assert ilo["forced_labour_total"] == 14_200_000 + 4_500_000 + 2_200_000  # = 20.9 million


def test_eurostat_2022_counts_leave_390_without_a_form():
    eu = datasets.load("eurostat-headlines").set_index("period")
    row = eu.loc["2022"]
    # 10093 - 4014 - 3990 - 1699 = 390 victims with the form not given
    rest = (row["registered_victims"] - row["victims_sexual_exploitation"]
            - row["victims_forced_labour"] - row["victims_other_forms"])
    assert rest == 390
    assert eu.loc["2013-2014", "share_sexual_exploitation_pct"] == 67


@pytest.mark.parametrize("table_id, total", [
    ("mse-uk-2013", 2744), ("mse-uk-2013-5", 2744), ("mse-uk-2013-4", 2428),
    ("mse-netherlands", 8234), ("mse-netherlands-5", 8234), ("mse-new-orleans", 185),
    ("mse-new-orleans-5", 185), ("mse-us-western", 345), ("mse-australia", 414),
])
def test_mse_observed_totals_match_sources(table_id, total):
    frame = datasets.load(table_id)
    meta = published.meta(table_id)
    assert int(frame["count"].sum()) == total  # totals stated in reference/published/mse/SOURCES.md
    assert meta["observed_total"] == total
    lists = meta["lists"]
    assert set(meta["list_labels"]) == set(lists)
    assert frame[lists].isin([0, 1]).all().all()
    assert (frame[lists].sum(axis=1) > 0).all()  # the unobserved history is never a row


def test_mse_published_estimates():
    uk = published.meta("mse-uk-2013")["published_estimate"]
    assert (uk["low"], uk["high"]) == (10000, 13000)
    assert uk["verification"] in published.VERIFICATION and uk["citation"]
    assert published.meta("mse-netherlands")["published_estimate"]["value"] == 6250
    assert published.meta("mse-uk-2013")["list_labels"]["LA"] == "local authorities"
    # UK-4 drops the general-public list: 2744 - 316 people seen only by the public = 2428
    uk6 = datasets.load("mse-uk-2013")
    gp_only = uk6[(uk6["GP"] == 1) & (uk6[["LA", "NG", "PF", "GO", "NCA"]].sum(axis=1) == 0)]
    assert 2744 - int(gp_only["count"].sum()) == 2428
