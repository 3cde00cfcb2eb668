"""Notebook 10's analysis object (critique.methods.coverage.analysis) and its reading sentences, against
independent recounts (the raw release is recounted in test_influence.py and test_glotip_rules.py;
here the loader's frame is summed by hand, without the coverage functions)."""
from __future__ import annotations

import pandas as pd
import pytest

from critique import datasets
from critique.methods.coverage import analysis, captions
from critique.core.errors import ParameterError


@pytest.fixture(scope="module")
def newest():
    g = datasets.load("glotip@2025-04-14")
    old = datasets.load("glotip@2023-05-30")
    return g, analysis.analyse(g, analysis.Settings(), older=old, older_release="glotip@2023-05-30",
                               editions=datasets.load("glotip-editions"))


def _totals(g: pd.DataFrame, year: int) -> pd.Series:
    t = g[(g["indicator"] == "Detected trafficking victims") & (g["dimension"] == "Total") & (g["category"] == "Total")
          & (g["sex"] == "Total") & (g["age"] == "Total") & g["region"].notna() & g["exclude_reason"].isna()
          & (g["year"] == year)]
    return t.groupby("iso3")["value_low"].sum()


def test_the_largest_rise_is_mostly_one_entering_country(newest):
    g, a = newest
    before, after = _totals(g, 2018), _totals(g, 2019)
    entering = after[~after.index.isin(before.index)]
    # the issue: "34,818 from 21 countries entering" is 92% Pakistan (32,022 of 34,818)
    assert (entering.sum(), len(entering), entering["PAK"]) == (34818, 21, 32022)
    f = a.findings()
    assert (f["largest_rise_year"], f["largest_rise_entering"], f["largest_rise_n_entering"]) == (2019, 34818, 21)
    assert f["largest_rise_entering_top"] == "Pakistan"
    assert f["largest_rise_entering_top_share"] == round(32022 / 34818, 4)
    # like for like: the loader's rule and the strict count, both years (issue: 91-108 -> 94-113)
    assert (f["forms_strict_before_rise"], f["forms_before_rise"], f["forms_strict_at_rise"], f["forms_at_rise"]) == (91, 108, 94, 113)


def test_the_influence_sentence_names_pakistan_the_release_and_unodc(newest):
    _, a = newest
    text = a.influence_sentence()
    assert text.startswith("In UNODC's glotip@2025-04-14 release, Pakistan holds 50% of 2022's detected victims of "
                           "sexual exploitation summed over all reporters (a year still incomplete in this release): "
                           "sexual exploitation 49% against forced labour 26%")
    assert "without Pakistan, forced labour 34% and sexual exploitation 33%" in text
    assert "'<5' (2019) and 22 (2020) in the 2023-05-30 release, 32,022 (2019) and 20,045 (2020) in this one" in text
    assert "UNODC's 2024 report printed forced labour 42% and sexual exploitation 38% [secondary]" in text
    assert "'or most recent' year [unverified]" in text
    assert a.findings()["influence_top_name"] == "Pakistan"
    cap = captions.caption(a, "latest-split")
    assert cap["datasets"] == ["glotip@2025-04-14", "glotip-editions"] and cap["caveat"][0] == text
    data = captions.split_data(a)
    assert data["pooling"].iloc[-1] == "UNODC 2024 report (secondary)" and data["Forced labour"].iloc[-1] == 42


def test_flagged_share_chart_draws_the_country_it_names(newest):
    _, a = newest
    unit, name = a.without_unit
    flagged = a.influence_years.loc[a.influence_years.index.isin(a.years) & a.influence_years["flagged"].astype(bool)]
    counts = flagged["top_unit"].value_counts()
    assert counts[unit] == counts.max()
    assert f"without {name}" in captions.caption(a, "se-share-all-vs-panel")["description"]
    gap = (a.share_all["units"] - a.share_without["units"]).dropna()
    assert set(gap.unique()) <= {0, 1} and gap.sum() > 0  # one country fewer in the years it reports


def test_every_chart_names_the_release_and_the_year_rule(newest):
    _, a = newest
    for name in captions.TITLES:
        cap = captions.caption(a, name)
        assert "glotip@2025-04-14" in cap["datasets"]
        assert a.year_note in cap["caveat"]
    with pytest.raises(KeyError, match="charts:"):
        captions.caption(a, "pie")


def test_a_panel_ending_in_a_partial_year_is_refused():
    g = datasets.load("glotip@2023-05-30")
    with pytest.raises(ParameterError, match="panel_end=2021"):
        analysis.analyse(g, analysis.Settings(panel_end=2021))
    with pytest.raises(ParameterError, match="year_start=2015 is after year_end=2010"):
        analysis.analyse(g, analysis.Settings(year_start=2015, year_end=2010))


def test_panel_end_defaults_to_the_last_complete_year():
    from critique.methods import coverage

    old, new = datasets.load("glotip@2023-05-30"), datasets.load("glotip@2025-04-14")
    assert (coverage.panel_end(old), coverage.panel_end(new)) == (2020, 2021)
    assert coverage.panel_end(new, 2019) == 2019
    with pytest.raises(coverage.CoverageError, match="2021 is the release's incomplete year"):
        coverage.panel_end(old, 2021)
    assert coverage.panel_end(old, 2021, allow_partial=True) == 2021
    with pytest.raises(coverage.CoverageError, match="not a data year"):
        coverage.panel_end(old, 2022)


def test_fbi_last_year_concentration_by_hand():
    from critique.methods.coverage import sources

    fbi = datasets.load("fbi-ucr-ht")
    F = sources.fbi_agencies(fbi, range(2013, 2021), panel_start=2016, panel_end=2020)
    by = fbi[fbi["year"] == 2020].groupby("ori")["actual"].sum()
    assert F.influence.top["unit"] == by.idxmax() and F.influence.top["holds"] == pytest.approx(by.max() / by.sum())
    assert F.influence.flagged == bool(by.max() / by.sum() > 0.25)
    assert (F.agencies[2020], F.offences[2020]) == (503, by.sum())
