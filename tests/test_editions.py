"""Releases in the catalogue: the bare id is the newest release, old releases stay loadable, every
catalogued release loads, and the year range comes from the release.

Independent recounts read the raw workbooks with openpyxl (after resetting the stored dimension,
which the 2025 release sets to A1:A1), not with the suite's calamine reader or its parser.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from critique import datasets
from critique.datasets import catalog
from critique.datasets import countries
from critique.datasets import DataError, parse_upstream
from critique.core.errors import ParameterError

NEWEST, OLDER = "glotip@2025-04-14", "glotip@2023-05-30"
# Rows of each catalogued release: glotip from the mirror MANIFEST (2025: "58,769 data rows") and
# the 2023 loader tests (46,556); CTDC synthetic counted below with the csv module.
GLOTIP_ROWS = {NEWEST: 58_769, OLDER: 46_556}


def _raw_glotip(path: Path) -> list[tuple]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # the 2025 file stores A1:A1
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    header = next(i for i, r in enumerate(rows) if r and "txtVALUE" in r)
    names = rows[header]
    return [dict(zip(names, r)) for r in rows[header + 1:] if any(c is not None for c in r)]


@pytest.fixture(scope="session")
def raw(mirror_dir):
    cache: dict[str, list[dict]] = {}

    def get(release_id: str) -> list[dict]:
        if release_id not in cache:
            cache[release_id] = _raw_glotip(mirror_dir / catalog.get(release_id).filename)
        return cache[release_id]

    return get


def test_bare_id_is_the_newest_release_with_years_2003_2022(mirror_dir):
    ds = catalog.get("glotip")
    assert ds.id == NEWEST and ds.latest and ds.published == "2025-04-14"
    assert ds.filename == "data_glotip_2025-04-14.xlsx" and ds.years == (2003, 2022)
    g = datasets.load("glotip")
    assert g.attrs["release"] == NEWEST
    assert (int(g["year"].min()), int(g["year"].max())) == (2003, 2022)
    assert len(g) == GLOTIP_ROWS[NEWEST]


def test_older_release_still_loads_by_its_id(mirror_dir):
    g = datasets.load(OLDER)
    assert g.attrs["release"] == OLDER
    assert (int(g["year"].min()), int(g["year"].max())) == (2003, 2021)
    assert len(g) == GLOTIP_ROWS[OLDER]
    assert datasets.load("glotip", edition="2024-12-31").attrs["release"] == OLDER


def test_newest_release_keeps_every_row_with_bounds_and_thousands(raw, mirror_dir):
    rows = raw(NEWEST)
    g = datasets.load("glotip")
    assert len(g) == len(rows)
    text = [str(r["txtVALUE"]).strip() for r in rows]
    suppressed = [t == "<5" for t in text]
    assert int(g["suppressed"].sum()) == sum(suppressed)
    assert (g.loc[g["suppressed"], ["value_low", "value_high"]].drop_duplicates().values.tolist() == [[0.0, 4.0]])  # "<5" read as 0-4 (glotip_rules, branch sources)
    assert g.loc[g["suppressed"], "value"].isna().all()
    # "2,315" (a thousands separator) is the number 2315, at the same row as in the raw file
    at = [i for i, t in enumerate(text) if t == "2,315"]
    assert at, "the 2025 release writes at least one count as '2,315'"
    assert g["value"].iloc[at].tolist() == [2315.0] * len(at)
    # every other cell: the raw number, separators removed
    known = [i for i, s in enumerate(suppressed) if not s]
    assert g["value"].iloc[known].tolist() == [float(text[i].replace(",", "")) for i in known]


def test_schema_year_range_comes_from_the_release(mirror_dir):
    path = mirror_dir / "data_glotip_2025-04-14.xlsx"
    with pytest.raises(DataError, match=r"data_glotip_2025-04-14\.xlsx: column 'year' value 2022 .*2003\.\.2021"):
        parse_upstream(OLDER, path)  # the 2023 release's range refuses the 2025 file's 2022 rows


@pytest.mark.parametrize("release_id", list(catalog.load_catalog()))
def test_every_catalogued_release_loads(release_id, mirror_dir):
    frame = datasets.load(release_id, use_cache=False)
    assert len(frame) > 0
    ds = catalog.get(release_id)
    if release_id in GLOTIP_ROWS:
        assert len(frame) == GLOTIP_ROWS[release_id]
    year_cols = [c for c in ("year", "report_year", "data_year", "year_first", "year_last") if c in frame]
    for col in year_cols:
        years = frame[col].dropna()
        if len(years) and ds.years:
            assert ds.years[0] <= int(years.min()) and int(years.max()) <= ds.years[1], (release_id, col)


def test_ctdc_synthetic_counts_match_the_raw_file_and_codebook(mirror_dir):
    with open(mirror_dir / "CTDC_VPsynthetic_condensed.csv", encoding="utf-8-sig", newline="") as handle:
        raw = list(csv.DictReader(handle))
    s = datasets.load("ctdc-synthetic")
    assert len(s) == len(raw) == 21_195  # the codebook's TabStat sheet: Total 21195
    bands = Counter(r["yearRegister"] for r in raw)
    got = s["year_band"].fillna("").value_counts().to_dict()
    assert got == dict(bands)
    # the codebook's own frequency table (sheet TabStat): 2005-2013 2531, 2014-2018 6274, 2019 2398,
    # 2020 2002, 2021-2022 4335, missing 3655
    assert got == {"2005-2013": 2531, "2014-2018": 6274, "2019": 2398, "2020": 2002, "2021-2022": 4335, "": 3655}
    assert s.attrs["synthetic"] is True and "SYNTHETIC" in s.attrs["label"]
    assert "SYNTHETIC" in datasets.source_line("ctdc-synthetic").upper()
    book = datasets.load("ctdc-synthetic-codebook")
    assert book["name"].tolist() == list(raw[0].keys())


def test_kelley_heiss_table_matches_the_raw_csv(mirror_dir):
    with open(mirror_dir / "data_figure3_2.csv", encoding="utf-8", newline="") as handle:
        raw = list(csv.DictReader(handle))
    kh = datasets.load("tip-law-enforcement-kh").set_index("data_year")
    assert kh.index.tolist() == [int(r["Year"]) for r in raw] == list(range(2003, 2016))
    for r in raw:
        y = int(r["Year"])
        for src, dst in (("Prosecutions", "prosecutions"), ("Victims identified", "victims_identified")):
            want = int(r[src]) if r[src] else None
            got = kh.loc[y, dst]
            assert (None if pd.isna(got) else int(got)) == want


def test_flat_entry_is_a_single_release_and_releases_inherit_shared_fields(tmp_path):
    text = """datasets:
  flat:
    title: T
    publisher: P
    citation: C
    licence: L
    url: https://example.org/f.csv
    page: https://example.org/
    filename: f.csv
    sha256: %s
    caveats: [c]
  multi:
    publisher: P
    licence: L
    page: https://example.org/
    caveats: [shared]
    releases:
      2024-01-02:
        title: T 2024
        citation: C 2024
        url: https://example.org/m24.csv
        filename: m24.csv
        sha256: %s
        published: 2024-01-02
        years: [2000, 2022]
      2025-03-04:
        title: T 2025
        citation: C 2025
        url: https://example.org/m25.csv
        filename: m25.csv
        sha256: %s
        published: 2025-03-04
        years: [2000, 2023]
        caveats: [own]
""" % ("a" * 64, "b" * 64, "c" * 64)
    path = tmp_path / "catalog.yml"
    path.write_text(text)
    cat = catalog.load_catalog(path)
    assert list(cat) == ["flat", "multi@2024-01-02", "multi@2025-03-04"]
    assert cat["flat"].release is None and cat["flat"].latest
    assert cat["multi"].id == "multi@2025-03-04" and "multi" in cat
    assert cat["multi"].caveats == ("shared", "own") and cat["multi@2024-01-02"].caveats == ("shared",)
    assert [d.id for d in cat.releases("multi")] == ["multi@2025-03-04", "multi@2024-01-02"]
    assert not cat["multi@2024-01-02"].latest


def test_release_errors_name_the_known_releases():
    with pytest.raises(catalog.CatalogError, match=r"no release '2024-01-01'.*glotip@2025-04-14, glotip@2023-05-30"):
        catalog.get("glotip@2024-01-01")
    with pytest.raises(ParameterError, match=r"edition='2023-13-01'"):
        datasets.edition_id("glotip", "2023-13-01")
    with pytest.raises(ParameterError, match=r"no release published on or before"):
        datasets.edition_id("glotip", "2020-01-01")


def test_source_line_names_the_release():
    assert datasets.source_line("glotip").endswith("[glotip@2025-04-14]")
    assert "release of 30 May 2023" in datasets.source_line(OLDER)


def test_runner_refuses_a_malformed_edition_before_any_cell(tmp_path):
    from critique.datasets import paths
    from critique.publish import runner

    nb = paths.notebooks_dir() / "12-revisions.ipynb"
    with pytest.raises(ParameterError, match=r"edition='2023/05/30'"):
        runner.run_notebook(nb, {"edition": "2023/05/30"}, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_edition_written_as_a_bare_date_is_read_as_text():
    from critique.datasets import paths
    from critique.publish import runner

    nb = paths.notebooks_dir() / "12-revisions.ipynb"
    value = runner.parse_cli_value("2023-05-30")  # YAML reads a bare date as a date
    assert runner.validate_parameters(nb, {"edition": value}) == {"edition": "2023-05-30"}


# Switches that turn off, in briefing-2023, what the suite added after the previous briefing (the
# previous findings are reproduced exactly; the source of the added part was published before then).
ADDED_AFTER_PREVIOUS_BRIEFING = {"30-tip-law-enforcement": {"fill_from_kh": False}}


def test_briefing_2023_is_the_briefing_on_the_2023_edition():
    """briefing-2023 = the briefing's parameters, every analysis notebook on the edition of 30 May 2023.

    (Checked by hand on this branch: notebooks 00, 10, 20, 31 and 50 run with edition 2023-05-30
    give findings identical to the code before releases existed, on the smoke parameters.)
    """
    from critique.datasets import paths
    from critique.publish import reports
    from critique.publish import runner

    _, now = runner.load_param_set(paths.params_dir() / "briefing.yml")
    name, then = runner.load_param_set(paths.params_dir() / "briefing-2023.yml")
    assert name == "briefing-2023"
    previous = {"00-data-catalogue", "10-coverage-composition", "11-detection-bias", "20-raids-misidentification",
                "30-tip-law-enforcement", "31-tip-tiers", "40-multiple-systems-estimation", "50-policy-claims"}
    assert previous <= set(then), "every notebook of the previous briefing is in the set"
    for nb in reports.analysis_notebooks():
        if nb.stem not in then:
            continue  # a notebook added after the previous briefing runs on its defaults
        assert then[nb.stem]["edition"] == "2023-05-30", nb.stem
        added = ADDED_AFTER_PREVIOUS_BRIEFING.get(nb.stem, {})
        assert {k: then[nb.stem].get(k) for k in added} == added, nb.stem
        same = {k: v for k, v in then[nb.stem].items() if k != "edition" and k not in added}
        assert same == {k: v for k, v in now.get(nb.stem, {}).items() if k != "edition"}, nb.stem
        checked = runner.validate_parameters(nb, then[nb.stem])
        assert checked["edition"] == "2023-05-30"
    assert datasets.edition_id("glotip", "2023-05-30") == OLDER


def test_chart_source_names_the_release_the_run_read(tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path / "run"))
    datasets.load("glotip", edition="2023-05-30")
    assert datasets.source_line("glotip").endswith("[glotip@2023-05-30]")
    assert "release of 30 May 2023" in datasets.source_line("glotip")
    datasets.load("glotip")  # a second release in the same run: the bare id is ambiguous
    assert datasets.source_line("glotip").endswith("[glotip@2025-04-14]")
    assert datasets.source_line(OLDER).endswith("[glotip@2023-05-30]")
