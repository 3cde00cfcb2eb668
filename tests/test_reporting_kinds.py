"""Three kinds of "not reporting" (critique.methods.coverage.reporting) and UNODC's "year or most recent"
pooling (critique.methods.coverage.pooling), on hand-made frames and on the release of 14 April 2025."""
from __future__ import annotations

import pandas as pd
import pytest

from critique.methods.coverage import pooling, reporting
from critique.core.errors import ParameterError

V = "Detected trafficking victims"


def _row(iso3, year, dimension="Total", category="Total", value=10.0, suppressed=False, reason=None):
    return {"iso3": iso3, "iso3_unodc": iso3, "country": iso3, "region": "Europe", "indicator": V,
            "dimension": dimension, "category": category, "sex": "Total", "age": "Total", "year": year,
            "value": None if suppressed else value, "suppressed": suppressed, "exclude_reason": reason}


def test_each_kind_on_a_hand_made_release():
    rows = [_row(c, y) for c in ("AAA", "BBB", "CCC") for y in (2018, 2019, 2020)]  # 3 settled reporters
    rows += [_row("DDD", 2018),                                                     # nothing in 2019
             _row("EEE", 2019, "by citizenship", "Foreign", 12.0),                  # citizenship only
             _row("FFF", 2019, suppressed=True),                                    # a "<5" total only
             _row("GGG", 2019, "by form of exploitation", "Sexual exploitation", suppressed=True, reason="placeholder")]
    frame = pd.DataFrame(rows)
    k = reporting.reporting_kinds(frame, ["AAA", "DDD", "EEE", "FFF", "GGG", "TWN"], [2019]).set_index("iso3")
    assert k["kind"].to_dict() == {"AAA": "reports", "DDD": "nothing that year", "EEE": "minimal", "FFF": "minimal",
                                   "GGG": "nothing that year", "TWN": "not collected"}
    assert pd.isna(k.loc["TWN", "last_year"]) and k.loc["DDD", "last_year"] == 2018
    table = reporting.kinds_by_year(reporting.reporting_kinds(frame, ["AAA", "DDD", "TWN"], [2019, 2020]))
    assert table.loc[2019, ["reports", "nothing that year", "not collected"]].tolist() == [1, 1, 1]


def test_release_lag_is_flagged_only_where_the_years_are_still_filling_in():
    rows = [_row(c, y) for c in ("AAA", "BBB", "CCC") for y in range(2010, 2021)]
    rows += [_row("LAG", y) for y in range(2010, 2020)]      # last 2019: 2020 is the latest year
    rows += [_row("OLD", y) for y in range(2010, 2014)]      # last 2013: long before
    frame = pd.DataFrame(rows)
    k = reporting.reporting_kinds(frame, ["LAG", "OLD"], [2020]).set_index("iso3")
    assert bool(k.loc["LAG", "release_lag"]) and not bool(k.loc["OLD", "release_lag"])
    assert (k.loc["LAG", "kind"], k.loc["OLD", "kind"]) == ("nothing that year", "nothing that year")


def test_taiwan_is_not_collected_and_pakistan_2017_is_not_a_report():
    from critique import datasets

    g = datasets.load("glotip@2025-04-14")
    k = reporting.reporting_kinds(g, ["TWN", "PAK", "USA"], [2017, 2022]).set_index(["iso3", "year"])["kind"]
    assert k[("TWN", 2017)] == k[("TWN", 2022)] == "not collected"
    # Pakistan 2017: its only rows are "<5" form placeholders (left out) -> nothing usable that year
    assert k[("PAK", 2017)] == "nothing that year" and k[("PAK", 2022)] == "reports"
    assert k[("USA", 2022)] == "reports"


def test_most_recent_takes_each_units_latest_year_in_the_window():
    f = pd.DataFrame({"unit": ["A", "A", "B", "C", "D"], "year": [2020, 2022, 2021, 2018, 2022],
                      "category": "x", "value_high": [1.0, 2.0, 3.0, 4.0, None]})
    got = pooling.most_recent(f, 2022, lookback=3)
    assert sorted(zip(got["unit"], got["used_year"])) == [("A", 2022), ("B", 2021)]  # C too old, D no value
    assert sorted(pooling.most_recent(f, 2022, lookback=4)["unit"]) == ["A", "B", "C"]
    with pytest.raises(ParameterError, match="lookback"):
        pooling.most_recent(f, 2022, lookback=-1)


def test_split_table_single_and_pooled_with_and_without():
    f = pd.DataFrame({"unit": ["A", "A", "B", "B", "C", "C"], "year": [2022, 2022, 2022, 2022, 2020, 2020],
                      "category": ["Sexual exploitation", "Forced labour"] * 3,
                      "value_high": [80.0, 20.0, 10.0, 30.0, 0.0, 60.0]})
    t = pooling.split_table(f, 2022, lookback=3, without="A").set_index(["pooling", "excluded"])
    single = t.loc[("single year", "")]
    assert single["Sexual exploitation"] == pytest.approx(100 * 90 / 140) and single["countries"] == 2
    pooled = t.loc[("2022 or most recent (back to 2019)", "A")]
    assert pooled["Forced labour"] == pytest.approx(100 * 90 / 100) and pooled["countries"] == 2
