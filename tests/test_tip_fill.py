"""Filling the typed TIP table's missing years from Kelley & Heiss (issue 15, item 2).

Every expected value is read independently from the raw files with the csv module: the mirror's
``data_figure3_2.csv`` (Kelley & Heiss, Scorecard Diplomacy figure 3.2) and the suite's typed table
``data/published/tip_law_enforcement.csv``; none goes through the loaders under test.
"""
from __future__ import annotations

import csv

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from critique import datasets
from critique.methods.tip import enforcement
from critique.datasets import paths
from critique.methods.tip import sources as tip_sources
from critique.figures import enforcement as efig

KH_COLUMNS = {"Prosecutions": "prosecutions", "Prosecutions (Labor)": "labor_prosecutions",
              "Convictions": "convictions", "Convictions (Labor)": "labor_convictions",
              "Victims identified": "victims_identified", "Victims (Labor)": "labor_victims_identified",
              "New or amended legislation": "new_or_amended_legislation"}
MEASURES = list(KH_COLUMNS.values())


@pytest.fixture(scope="module")
def raw_kh(mirror_dir) -> dict[tuple[int, str], int]:
    """(data year, measure) -> figure, straight from the mirror CSV (empty cells left out)."""
    with open(mirror_dir / "data_figure3_2.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(int(r["Year"]), m): int(r[c]) for r in rows for c, m in KH_COLUMNS.items() if r[c].strip()}


@pytest.fixture(scope="module")
def raw_typed() -> dict[tuple[int, str], tuple[int, str]]:
    """(data year, measure) -> (figure, verification), straight from the typed table's CSV."""
    path = paths.root() / "data" / "published" / "tip_law_enforcement.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {(int(r["data_year"]), m): (int(r[m]), r["verification"]) for r in rows for m in MEASURES if r[m].strip()}


@pytest.fixture(scope="module")
def frames(mirror_dir):
    typed = datasets.load("tip-law-enforcement")
    kh = datasets.load("tip-law-enforcement-kh")
    return typed, kh


@pytest.fixture(scope="module")
def filled(frames):
    typed, kh = frames
    return enforcement.cells(tip_sources.filled_table(typed, kh), include_unverified=True).set_index(
        ["data_year", "measure"])


def test_filled_figures_are_the_raw_kelley_heiss_values(filled, raw_kh, raw_typed):
    verified = {k for k, (_, status) in raw_typed.items() if status in ("primary", "secondary")}
    from_kh = filled[filled["origin"] == tip_sources.KH_ORIGIN]
    # filled exactly where Kelley & Heiss give a figure and the typed table has no verified one
    assert set(from_kh.index) == set(raw_kh) - verified
    for key, row in from_kh.iterrows():
        assert row["value"] == raw_kh[key], key
    # the years issue 15 names, read off the raw file: 2008 5212, 2010 6017, 2011 7907, 2014 10051, 2015 18930
    pros = {y: int(from_kh.loc[(y, "prosecutions"), "value"]) for y in (2008, 2010, 2011, 2014, 2015)}
    assert pros == {y: raw_kh[(y, "prosecutions")] for y in pros} == \
        {2008: 5212, 2010: 6017, 2011: 7907, 2014: 10051, 2015: 18930}


def test_typed_verified_figures_are_never_overwritten(frames, filled, raw_typed):
    typed, kh = frames
    before = typed.copy()
    tip_sources.filled_table(typed, kh)
    pd.testing.assert_frame_equal(typed, before)  # the input is not modified
    for key, (value, status) in raw_typed.items():
        if status == "unverified":
            continue
        row = filled.loc[key]
        assert (row["value"], row["verification"], row["origin"]) == (value, status, tip_sources.TYPED_ORIGIN), key
    # 2005: the typed row (TIP 2008, primary) stays although Kelley & Heiss give 6,618 prosecutions
    assert filled.loc[(2005, "prosecutions"), "value"] == 6178


def test_origin_citation_and_status_of_each_figure(filled, raw_typed):
    kh = filled[filled["origin"] == tip_sources.KH_ORIGIN]
    assert (kh["citation"] == tip_sources.KH_CITATION).all()
    assert (kh["verification"] == "secondary").all() and kh["report_edition"].isna().all()
    assert "Kelley & Heiss" in tip_sources.KH_CITATION and "data_figure3_2.csv" in tip_sources.KH_CITATION
    typed = filled[filled["origin"] == tip_sources.TYPED_ORIGIN]
    assert set(typed.index) <= set(raw_typed)
    assert typed["citation"].notna().all() and typed["report_edition"].notna().all()
    assert set(filled["origin"]) == {tip_sources.KH_ORIGIN, tip_sources.TYPED_ORIGIN}


def test_unverified_typed_figures_give_way_and_are_listed(frames, raw_typed, raw_kh):
    typed, kh = frames
    f = tip_sources.filled_figures(typed, kh).set_index(["data_year", "measure"])
    # 2015 prosecutions: typed 19,127 recalled (unverified), Kelley & Heiss 18,930
    assert raw_typed[(2015, "prosecutions")] == (19127, "unverified")
    assert (f.loc[(2015, "prosecutions"), "value"], f.loc[(2015, "prosecutions"), "typed_unverified"]) == (18930, 19127)
    # 2009 labour prosecutions: no typed figure at all, so nothing replaced
    assert pd.isna(f.loc[(2009, "labor_prosecutions"), "typed_unverified"])
    assert f.loc[(2009, "labor_prosecutions"), "value"] == raw_kh[(2009, "labor_prosecutions")] == 432
    # 2015 victims: in neither established source, so the unverified typed figure is all there is
    s = enforcement.series(tip_sources.filled_table(typed, kh), ["victims_identified"], (2014, 2015),
                           include_unverified=True)
    assert (s.at[2015, "victims_identified"], s.at[2015, "victims_identified_verification"]) == (77823, "unverified")
    assert enforcement.series(tip_sources.filled_table(typed, kh), ["victims_identified"],
                              (2015, 2015)).at[2015, "victims_identified_verification"] == "missing"


def test_changes_and_ratios_say_which_years_are_filled(frames):
    typed, kh = frames
    table = tip_sources.filled_table(typed, kh)
    fl = enforcement.yoy_flags(table, enforcement.MEASURES, 0.25).set_index(["measure", "data_year"])
    p15, c15 = fl.loc[("prosecutions", 2015)], fl.loc[("convictions", 2015)]
    # Human Rights First on the TIP 2016 report: prosecutions +88%, convictions +49% in 2015 on 2014
    # (table tip-law-enforcement-changes); the filled 2014 and 2015 figures reproduce both
    assert p15["change"] == pytest.approx(18930 / 10051 - 1) and round(100 * p15["change"]) == 88
    assert c15["change"] == pytest.approx(6609 / 4443 - 1) and round(100 * c15["change"]) == 49
    assert p15["filled"] and p15["origin"] == tip_sources.KH_ORIGIN
    assert c15["filled"] and c15["origin"] == f"{tip_sources.TYPED_ORIGIN} + {tip_sources.KH_ORIGIN}"
    assert not fl.loc[("prosecutions", 2018), "filled"]  # 2017 and 2018 both typed (2024 edition)
    r = enforcement.ratios(table, (2013, 2016))
    assert r.at[2015, "convictions_per_prosecution"] == pytest.approx(6609 / 18930)
    assert r.at[2015, "convictions_per_prosecution_origin"] == f"{tip_sources.TYPED_ORIGIN} + {tip_sources.KH_ORIGIN}"
    assert r.at[2013, "convictions_per_prosecution_origin"] == tip_sources.TYPED_ORIGIN
    assert enforcement.filled(r["convictions_per_prosecution_origin"]).tolist() == [False, True, True, False]
    shares = enforcement.labour_shares(table, (2012, 2012))
    assert shares.at[2012, "prosecutions_labour_share"] == pytest.approx(1153 / 7705)
    assert shares.at[2012, "prosecutions_labour_share_origin"] == f"{tip_sources.TYPED_ORIGIN} + {tip_sources.KH_ORIGIN}"


def test_without_filling_the_typed_table_is_read_alone(frames):
    typed, _ = frames
    s = enforcement.series(typed, ["prosecutions"], (2012, 2016))
    assert s["prosecutions"].isna().tolist() == [False, False, True, True, False]
    assert not enforcement.filled(s["prosecutions_origin"]).any()
    assert set(s["prosecutions_origin"]) == {tip_sources.TYPED_ORIGIN, ""}


def test_disagreements_match_a_recount_of_the_two_raw_files(frames, raw_kh, raw_typed):
    typed, kh = frames
    shared = set(raw_kh) & set(raw_typed)
    differ = {k for k in shared if raw_kh[k] != raw_typed[k][0]}
    assert (len(shared), len(differ)) == (57, 5)
    assert tip_sources.agreement_summary(typed, kh) == {"compared": 57, "agree": 52, "differ": 5}
    d = tip_sources.disagreements(typed, kh)
    assert {(int(y), m) for y, m in zip(d["data_year"], d["measure"])} == differ
    for r in d.itertuples():
        assert (r.typed, r.typed_verification, r.kh) == (*raw_typed[(r.data_year, r.measure)], raw_kh[(r.data_year, r.measure)])
    fig = efig.source_disagreements(d)
    assert len(fig.axes[0].patches) == 5
    matplotlib.pyplot.close(fig)


def test_catalogue_caveat_says_secondary_tabulation_from_different_editions(raw_kh, raw_typed):
    caveat = datasets.caveats("tip-law-enforcement-kh")[0]
    assert "secondary tabulation" in caveat and "different TIP editions" in caveat
    # the evidence the caveat gives: 2003-2004 and 2006-2007 equal the typed rows from the 2008 edition,
    # 2005 does not (prosecutions, convictions and legislation all differ)
    typed_2008 = datasets.load("tip-law-enforcement")
    assert set(typed_2008.loc[typed_2008["data_year"] <= 2007, "report_edition"]) == {2008}
    for year in (2003, 2004, 2006, 2007):
        keys = [k for k in raw_kh if k[0] == year]
        assert keys and all(raw_kh[k] == raw_typed[k][0] for k in keys), year
    assert all(raw_kh[(2005, m)] != raw_typed[(2005, m)][0]
               for m in ("prosecutions", "convictions", "new_or_amended_legislation"))


def test_series_chart_marks_filled_years(frames):
    typed, kh = frames
    S = enforcement.series(tip_sources.filled_table(typed, kh), ["prosecutions"], (2012, 2016))
    empty = pd.DataFrame(columns=["measure", "data_year", "value", "change", "explanation"])
    stated = pd.DataFrame(columns=["measure", "data_year", "stated_change", "compared_with_year", "verification"])
    fig = efig.series_panels(S, ["prosecutions"], empty, stated)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert efig.FILLED_LABEL in labels
    squares = [ln for ln in fig.axes[0].lines if ln.get_label() == efig.FILLED_LABEL]
    assert [int(x) for x, y in zip(*squares[0].get_data()) if pd.notna(y)] == [2014, 2015]
    matplotlib.pyplot.close(fig)


def test_edition_columns_print_as_labels(frames):
    from critique.figures import tables

    typed, kh = frames
    html = tables.reader_table(tip_sources.disagreements(typed, kh)).to_html()
    assert ">2008<" in html and "2,008" not in html  # the typed 2005 row's TIP edition
