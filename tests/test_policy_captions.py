"""Notebook 50's chart captions come from the result object (methods.policy.captions)."""
from types import SimpleNamespace

import pandas as pd
import pytest

from critique.methods.policy.captions import DETECTION_CAVEAT, chart_caption
from critique.methods.policy.result import PolicySettings


def _result(**kw):
    return SimpleNamespace(settings=PolicySettings(year_start=2005, year_end=2020, min_points=4, min_resid_df=5,
                                                   break_ratio=2.5, ucr_year_start=2014, ucr_panel_start=2015), **kw)


def test_captions_take_their_numbers_from_the_settings_and_the_result():
    a = pd.DataFrame({"policy_id": ["x", "y"], "first_post_year": [2010, 2012], "years_before": [3, 4],
                      "years_after": [5, 6], "span": ["", ""], "status": ["fitted", "refused"], "extra": [1, 2]})
    cap = chart_caption(_result(availability=a), "policy-data-availability")
    assert "(2005-2020)" in cap["description"] and "at least 4 years on each side" in cap["description"]
    assert cap["n"] == "2 policy changes" and list(cap["data"].columns)[-1] == "status"
    assert cap["caveat"][0] == DETECTION_CAVEAT
    ranges = chart_caption(_result(range_data=pd.DataFrame({"a": range(7)}), ranges={"p": 1, "q": 2}), "specification-ranges")
    assert ranges["n"] == "7 specifications of 2 series" and "fewer than 5 residual" in ranges["description"]
    assert "factor of 2.5 or more" in ranges["caveat"][1]
    ucr = chart_caption(_result(ucr={"panel": [1, 2, 3], "agencies": 40}, ucr_chart_data=None), "fbi-ucr-fosta")
    assert ucr["n"] == "40 agencies, 7 years" and "fixed panel of 3 agencies" in ucr["description"]


def test_an_unknown_chart_is_named():
    with pytest.raises(KeyError, match="no chart 'nope'"):
        chart_caption(_result(), "nope")
