"""Notebook 12's analysis object (critique.methods.revisions.analysis) on the two UNODC releases: the
country that drives the focus year's change and the newer headline, recounted by hand."""
from __future__ import annotations

import pytest

from critique import datasets
from critique.methods import revisions
from critique.methods.revisions import analysis


@pytest.fixture(scope="module")
def pair():
    A = revisions.national_totals(datasets.load("glotip@2023-05-30"))
    B = revisions.national_totals(datasets.load("glotip@2025-04-14"))
    labels = {"glotip@2023-05-30": "release of 2023-05-30", "glotip@2025-04-14": "release of 2025-04-14"}
    return A, B, analysis.analyse(A, B, "glotip@2023-05-30", "glotip@2025-04-14", labels, focus_year=2019,
                                  headline_from=2017, headline_to=2019)


def test_pakistan_drives_the_2019_change_between_releases(pair):
    A, B, r = pair
    a, b = A[A["year"] == 2019].set_index("iso3")["high"], B[B["year"] == 2019].set_index("iso3")["high"]
    assert (a["PAK"], b["PAK"]) == (4.0, 32022.0)  # "<5" at its high bound
    f = r.findings()
    assert f["focus_influence_top_unit"] == "PAK"
    assert f["focus_influence_value"] == pytest.approx(round(100 * (b.sum() / a.sum() - 1), 4))
    assert f["focus_influence_without_top"] == pytest.approx(round(100 * ((b.sum() - b["PAK"]) / (a.sum() - a["PAK"]) - 1), 4))
    assert r.errors == 0
    # 2021, the older release's latest year: 55 countries with a total there, 125 in the newer release
    assert (len(a), len(b)) == (116, 134)
    assert r.reading()["years"].endswith("2021, the older release's latest year, was still being reported there: "
                                         "55 countries in it against 125 in the newer release.")
    assert r.largest_sentence() == ("The largest single revision is Pakistan 2019: '<5' (0 to 4) detected victims in "
                                    "glotip@2023-05-30, 32,022 in glotip@2025-04-14.")


def test_the_newer_headline_without_pakistan(pair):
    _, B, r = pair
    t17, t19 = B[B["year"] == 2017].set_index("iso3")["high"], B[B["year"] == 2019].set_index("iso3")["high"]
    f = r.findings()
    assert f["headline_influence_top_name"] == "Pakistan"
    assert f["headline_influence_without_top"] == pytest.approx(
        round(100 * ((t19.sum() - t19["PAK"]) / (t17.sum() - t17.get("PAK", 0)) - 1), 4))
    assert "without Pakistan" in r.caption("headline-by-release")["caveat"][-1]
    # the chart's third group: the newer release's headline without Pakistan, by hand
    third = r.headline_table().iloc[2]
    rest17, rest19 = t17.drop("PAK", errors="ignore"), t19.drop("PAK")
    assert third["release"] == "glotip@2025-04-14 without Pakistan"
    assert third["change_pct_high"] == pytest.approx(100 * (rest19.sum() / B[(B["year"] == 2017) & (B["iso3"] != "PAK")]["low"].sum() - 1))
