"""Notebook 11's analysis object (critique.methods.detection.analysis): the like-with-like reading and the
country left out of a year's pairing, against hand-made tables and the 2025 release."""
from __future__ import annotations

import pandas as pd
import pytest

from critique import datasets
from critique.methods.detection import analysis
from critique.methods.detection.shares import FL, SE


def _like():
    rows = [{"pooling": "single year", "excluded": "", SE: 49.2, FL: 26.4},
            {"pooling": "single year", "excluded": "PAK", SE: 33.0, FL: 34.0},
            {"pooling": "2022 or most recent (back to 2019)", "excluded": "", SE: 46.0, FL: 30.4},
            {"pooling": "2022 or most recent (back to 2019)", "excluded": "PAK", SE: 31.4, FL: 38.5}]
    return pd.DataFrame(rows).assign(edition=2024, year=2022, printed_se=38.0, printed_fl=42.0, verification="secondary")


def test_like_reading_sets_printed_single_and_pooled_side_by_side():
    text = analysis.like_reading(_like())
    assert text.startswith("Edition 2024 printed sexual exploitation 38% and forced labour 42% [secondary] for data year "
                           "2022; a recount of 2022 alone gives 49% and 26%, pooled on each country's 2022-or-most-recent "
                           "year 46% and 30% (without PAK: 31% and 38%).")
    assert "differ in definition" in text and "not verified here" in text
    assert analysis.like_reading(pd.DataFrame()).startswith("No edition's data year is in the country data read")


def test_pairings_leave_out_the_country_that_drives_each_year():
    a = analysis.analyse(datasets.load("glotip-editions"), datasets.load("global-estimates"),
                         {"glotip": datasets.load("glotip@2025-04-14")},
                         analysis.Settings(editions=(2009, 2024), n_ratios=5, n_draws=2000))
    f = a.findings()
    assert a.largest[2022][0] == "PAK" and a.largest[2022][1] == pytest.approx(0.5042, abs=1e-4)
    assert "GEMS 2022 / country data 2022 without PAK / se_fl" in f["implied_ratios"]
    # 2022 is the release's partial year: hollow, out of the range
    assert list(a.partial["glotip"]) == [2022]
    like = a.like.set_index(["edition", "pooling", "excluded"])
    assert like.loc[(2024, "single year", ""), SE] == pytest.approx(49.2189, abs=1e-3)
    assert like.loc[(2024, "single year", "PAK"), FL] == pytest.approx(34.0029, abs=1e-3)
