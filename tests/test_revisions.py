"""Revisions between releases: the decomposition adds up exactly (hand-made frames and the real
releases), and its data-year-2019 figures match an independent recount of both raw workbooks.

The recount reads each workbook with openpyxl (dimension reset: the 2025 file stores A1:A1) and
sums txtVALUE over the national-total rows by hand, with "<5" as 1 (low) or 4 (high); neither the
suite's reader nor its parser is used.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from critique import datasets
from critique.methods import revisions
from critique.datasets import countries
from critique.methods.revisions import ctdc as ctdc_compare
from critique.methods.tip import sources as tip_sources
from critique.core.errors import DataError, ParameterError
from test_editions import raw  # noqa: F401  (the independent openpyxl reading of each release, once per session)

OLDER, NEWER = "glotip@2023-05-30", "glotip@2025-04-14"


def _totals(rows):
    """(iso3, region, year, low, high) tuples -> a national_totals-shaped frame."""
    f = pd.DataFrame(rows, columns=["iso3", "region", "year", "low", "high"])
    f["country"] = f["iso3"]
    f["suppressed"] = f["low"] != f["high"]
    return f[["iso3", "country", "region", "year", "low", "high", "suppressed"]]


def test_decomposition_by_hand():
    a = _totals([("AAA", "Europe", 2019, 10, 10), ("BBB", "Europe", 2019, 1, 4), ("CCC", "Asia", 2019, 100, 100)])
    b = _totals([("AAA", "Europe", 2019, 15, 15), ("CCC", "Asia", 2019, 90, 90), ("DDD", "Asia", 2019, 7, 7)])
    d = revisions.decompose(a, b, by=["year"]).iloc[0]
    # added DDD +7; dropped BBB -1 (low) / -4 (high); revised AAA +5, CCC -10
    assert (d["added_low"], d["dropped_low"], d["revised_low"], d["change_low"]) == (7, -1, -5, 1)
    assert (d["added_high"], d["dropped_high"], d["revised_high"], d["change_high"]) == (7, -4, -5, -2)
    assert (d["countries_a"], d["countries_b"], d["both"], d["only_a"], d["only_b"], d["revised_countries"]) == (3, 3, 2, 1, 1, 2)
    r = revisions.decompose(a, b).set_index("region")
    assert r.loc["Asia", "change_low"] == 7 - 10 and r.loc["Europe", "change_high"] == 15 - 14
    assert r["change_low"].sum() == d["change_low"]


def test_headline_by_hand():
    t = _totals([("AAA", "E", 2017, 100, 100), ("BBB", "E", 2017, 1, 4), ("AAA", "E", 2019, 150, 150),
                 ("CCC", "E", 2019, 50, 50)])
    h = revisions.headline(t, 2017, 2019, release="x")
    assert h.change_pct == pytest.approx((100 * (200 / 104 - 1), 100 * (200 / 101 - 1)))
    assert h.panel_countries == 1 and h.panel_change_pct == pytest.approx((50.0, 50.0))
    with pytest.raises(ParameterError, match="no country reports data year 2030"):
        revisions.headline(t, 2017, 2030)


def test_pick_pair():
    rels = [NEWER, OLDER]
    assert revisions.pick_pair(rels, NEWER) == (OLDER, NEWER)
    assert revisions.pick_pair(rels, OLDER) is None
    assert revisions.pick_pair(rels, NEWER, "2023-05-30") == (OLDER, NEWER)
    with pytest.raises(ParameterError, match="release_from='2024-01-01'"):
        revisions.pick_pair(rels, NEWER, "2024-01-01")


def test_repeated_country_year_total_is_refused():
    g = datasets.load(OLDER)
    rows = g[(g["indicator"] == "Detected trafficking victims") & (g["dimension"] == "Total") & (g["sex"] == "Total")
             & (g["age"] == "Total") & g["iso3"].notna()].head(1)
    with pytest.raises(DataError, match="repeat a country-year total"):
        revisions.national_totals(pd.concat([g, rows]))
    flagged = pd.concat([g.assign(exclude_reason=pd.NA), rows.assign(exclude_reason="duplicate-total")])
    assert len(revisions.national_totals(flagged)) == len(revisions.national_totals(g))


@pytest.fixture(scope="module")
def real():
    a = revisions.national_totals(datasets.load(OLDER))
    b = revisions.national_totals(datasets.load(NEWER))
    return a, b


def test_decomposition_adds_up_exactly_on_the_real_releases(real):
    a, b = real
    for by in (["year"], ["year", "region"]):
        d = revisions.decompose(a, b, by=by)
        for x in ("low", "high"):
            assert (d[f"change_{x}"] == d[f"added_{x}"] + d[f"dropped_{x}"] + d[f"revised_{x}"]).all()
            assert (d[f"change_{x}"] == d[f"total_b_{x}"] - d[f"total_a_{x}"]).all()
    world = revisions.decompose(a, b, by=["year"]).set_index("year")
    regions = revisions.decompose(a, b).groupby("year").sum(numeric_only=True)
    assert (regions["change_high"] == world["change_high"]).all()


def _recount(rows: list[dict], year: int) -> tuple[int, int, int]:
    """(countries, low sum, high sum) of national totals of detected victims in ``year``."""
    valid = countries.valid_iso3()
    seen, low, high = set(), 0, 0
    for r in rows:
        if (r["Indicator"], r["Dimension"], r["Category"], r["Sex"], r["Age"]) != (
                "Detected trafficking victims", "Total", "Total", "Total", "Total"):
            continue
        if int(r["Year"]) != year or r["Iso3_code"] not in valid or not r["Region"]:
            continue
        text = str(r["txtVALUE"]).strip()
        # "<5" is 0 to 4: neither release publishes any number below 5, zero included (issue 13)
        lo, hi = (0, 4) if text == "<5" else (int(text.replace(",", "")),) * 2
        seen.add(r["Iso3_code"])
        low, high = low + lo, high + hi
    return len(seen), low, high


def test_2019_figures_match_an_independent_recount(real, raw):
    a, b = real
    d = revisions.decompose(a, b, by=["year"]).set_index("year").loc[2019]
    n_a, lo_a, hi_a = _recount(raw(OLDER), 2019)
    n_b, lo_b, hi_b = _recount(raw(NEWER), 2019)
    assert (d["countries_a"], d["total_a_low"], d["total_a_high"]) == (n_a, lo_a, hi_a)
    assert (d["countries_b"], d["total_b_low"], d["total_b_high"]) == (n_b, lo_b, hi_b)
    # the rounded figures: about 49,600 from 116 countries (2023), 82,300 from 134 (2025)
    assert (n_a, n_b) == (116, 134)
    assert round(lo_a, -2) == 49_600 and round(lo_b, -2) == 82_300  # the low bounds: 49,572 and 82,291


def test_largest_revision_is_pakistan_2019(real, raw):
    a, b = real
    top = revisions.largest_revisions(a, b, n=3).iloc[0]
    assert (top["iso3"], top["year"]) == ("PAK", 2019)
    # recount: the raw PAK 2019 national total in each release
    def cell(rows):
        return [str(r["txtVALUE"]) for r in rows if r["Iso3_code"] == "PAK" and int(r["Year"]) == 2019
                and (r["Indicator"], r["Dimension"], r["Sex"], r["Age"]) ==
                ("Detected trafficking victims", "Total", "Total", "Total")]
    assert cell(raw(OLDER)) == ["<5"]
    assert top["count_a"] == 4 and [f"{int(top['count_b']):,}"] == cell(raw(NEWER))


def test_tip_fill_gaps_cites_every_figure_and_fills_the_missing_years(mirror_dir):
    typed = datasets.load("tip-law-enforcement")
    kh = datasets.load("tip-law-enforcement-kh")
    f = tip_sources.fill_gaps(typed, kh)
    assert f["citation"].notna().all() and f["origin"].notna().all()
    assert not f.duplicated(["data_year", "measure"]).any()
    p = f[f["measure"] == "prosecutions"].set_index("data_year")
    from_kh = sorted(p.index[p["origin"] == tip_sources.KH_ORIGIN])
    assert from_kh == [2008, 2010, 2011, 2014, 2015]
    # values from data_figure3_2.csv: 2008 5212, 2011 7907, 2015 18930
    assert (p.loc[2008, "value"], p.loc[2011, "value"], p.loc[2015, "value"]) == (5212, 7907, 18930)
    # 2015 victims: in neither established source, so absent (not 0)
    v = f[f["measure"] == "victims_identified"]
    assert 2015 not in set(v["data_year"])
    d = tip_sources.disagreements(typed, kh).set_index(["data_year", "measure"])
    # the typed 2005 row (TIP 2008 edition) against Kelley & Heiss: 6,178 vs 6,618 prosecutions
    assert (d.loc[(2005, "prosecutions"), "typed"], d.loc[(2005, "prosecutions"), "kh"]) == (6178, 6618)
    assert len(d) == tip_sources.agreement_summary(typed, kh)["differ"]


def test_ctdc_side_by_side_counts_by_band(mirror_dir):
    import csv

    case = datasets.load("ctdc-2020")
    syn = datasets.load("ctdc-synthetic")
    t = ctdc_compare.side_by_side(case, syn).set_index(["release", "band"])
    with open(mirror_dir / "CTDC_VPsynthetic_condensed.csv", encoding="utf-8-sig", newline="") as handle:
        raw = [r for r in csv.DictReader(handle) if r["yearRegister"] == "2014-2018"]
    row = t.loc[("ctdc-synthetic", "2014-2018")]
    assert row["records"] == len(raw) == 6274  # codebook TabStat: 2014-2018 6274
    assert row["sexual"] == sum(r["isSexualExploit"] == "1" for r in raw)
    assert row["with_form"] == sum("1" in (r["isSexualExploit"], r["isForcedLabour"]) for r in raw)
    assert t.loc[("ctdc-2020", "2014-2018"), "records"] == int(case["year"].between(2014, 2018).sum())
    assert t["synthetic"].tolist() == [False, False, True, True]
    assert all("SYNTHETIC" in lab for lab in t.loc["ctdc-synthetic", "label"])


@pytest.mark.notebook
def test_revisions_notebook_smoke(smoke_run):
    found = smoke_run("12-revisions")
    f = found["findings"]
    assert f["decomposition_exact_max_error"] == 0
    assert (f["release_older"], f["release_newer"]) == (OLDER, NEWER)
    assert (f["focus_countries_older"], f["focus_countries_newer"]) == (116, 134)
    assert f["focus_change_high"] == f["focus_added_high"] + f["focus_dropped_high"] + f["focus_revised_high"]
    assert f["tip_filled_years"] == [2008, 2010, 2011, 2014, 2015]
    regions = f["decomposition_by_region"]["2019"]
    assert sum(r["change"] for r in regions.values()) == f["decomposition"]["2019"]["change"] == f["focus_change_high"]
    for r in regions.values():
        assert r["change"] == r["added"] + r["dropped"] + r["revised"]
    releases = {(i["id"], i.get("release")) for i in found["inputs"]}
    assert {("glotip", "2023-05-30"), ("glotip", "2025-04-14"), ("ctdc-synthetic", "2022-12-01")} <= releases
    # every key-finding sentence of the notebook fills from what it recorded
    import yaml

    from critique.datasets import paths

    entries = yaml.safe_load((paths.notebooks_dir() / "key_findings" / "12-revisions.yml").read_text(encoding="utf-8"))
    charts_made = {p.stem for p in (Path(found["_out_dir"]) / "figures").glob("*.png")}
    for entry in entries:
        assert entry["sentence"].format(**f)
        assert entry["chart"] in charts_made and entry["scenario"] is False
