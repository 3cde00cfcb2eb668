"""Coverage, fixed panels, change decomposition and suppressed-cell bounds, on small hand-made
frames shaped like the tidy glotip (iso3 x year) and FBI (ori x year) tables."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from critique.methods import coverage as cov

NaN = float("nan")


def cells(rows):
    """(unit, year, category, value, suppressed) -> a glotip-shaped frame with bounds 1..4 for <5."""
    out = []
    for unit, year, cat, value, sup in rows:
        out.append({"iso3": unit, "year": year, "category": cat,
                    "value": NaN if sup else value, "suppressed": sup,
                    "value_low": 1.0 if sup else value, "value_high": 4.0 if sup else value})
    return pd.DataFrame(out)


# A: reports 2019-2021; B: 2019-2020 (leaves); C: 2020-2021 (enters 2020); D: enters 2021
TOTALS = cells([
    ("A", 2019, "Total", 10, False), ("A", 2020, "Total", 12, False), ("A", 2021, "Total", 15, False),
    ("B", 2019, "Total", 5, False), ("B", 2020, "Total", 0, False),
    ("C", 2020, "Total", 7, False), ("C", 2021, "Total", NaN, True),
    ("D", 2021, "Total", 20, False),
    ("E", 2019, "Total", NaN, False),  # a row with no value at all is not a report
])


def test_units_reporting_counts_suppressed_and_zero_but_not_missing():
    n = cov.units_reporting(TOTALS)
    # 2019: A, B (E has no value); 2020: A, B (a zero is a report), C; 2021: A, C (<5), D
    assert n.to_dict() == {2019: 2, 2020: 3, 2021: 3}


def test_fixed_panel():
    assert cov.fixed_panel(TOTALS, 2019, 2021) == ["A"]
    assert cov.fixed_panel(TOTALS, 2020, 2021) == ["A", "C"]   # C's <5 in 2021 is a report
    assert cov.fixed_panel(TOTALS, 2019, 2020) == ["A", "B"]
    assert cov.fixed_panel(TOTALS, 2018, 2019) == []            # nobody reports in 2018
    with pytest.raises(cov.CoverageError, match="after end"):
        cov.fixed_panel(TOTALS, 2021, 2019)


def test_decompose_change_hand_computed_and_exact():
    d = cov.decompose_change(TOTALS, value="value_low")
    # 2020 vs 2019: totals 15 -> 19. entering C +7; leaving none; continuing A +2, B -5 -> -3
    r = d.loc[2020]
    assert (r.previous_total, r.total, r.change) == (15, 19, 4)
    assert (r.entering, r.leaving, r.continuing) == (7, 0, -3)
    # 2021 vs 2020 (low bound, C's <5 = 1): totals 19 -> 36. entering D +20; leaving B -0;
    # continuing A +3, C 1-7 = -6 -> -3
    r = d.loc[2021]
    assert (r.previous_total, r.total, r.change) == (19, 36, 17)
    assert (r.entering, r.leaving, r.continuing) == (20, 0, -3)
    assert (r.n_entering, r.n_leaving, r.n_continuing) == (1, 1, 2)
    # the three parts always sum to the change
    np.testing.assert_allclose(d.entering + d.leaving + d.continuing, d.change)


def test_decompose_change_exact_on_random_panel():
    rng = np.random.default_rng(7)
    units = [f"U{i}" for i in range(40)]
    rows = [(u, y, "Total", float(rng.integers(0, 500)), False)
            for u in units for y in range(2010, 2020) if rng.random() < 0.6]
    d = cov.decompose_change(cells(rows))
    np.testing.assert_allclose(d.entering + d.leaving + d.continuing, d.change, atol=1e-9)
    np.testing.assert_allclose(d.total.diff().dropna(), d.change.iloc[1:])


def test_bounded_sum_uses_one_and_four_for_suppressed():
    b = cov.bounded_sum(TOTALS, "year")
    # 2021: A 15 + C <5 + D 20 -> [36, 39]; one suppressed cell of three
    assert b.loc[2021].to_dict() == {"low": 36, "high": 39, "cells": 3, "suppressed": 1}
    assert b.loc[2019].to_dict() == {"low": 15, "high": 15, "cells": 2, "suppressed": 0}


def test_bounded_sum_rejects_inverted_bounds():
    bad = TOTALS.copy()
    bad.loc[0, "value_low"] = 99
    with pytest.raises(cov.CoverageError, match="value_low > value_high"):
        cov.bounded_sum(bad, "year")


def test_share_bounds_exact():
    # part in [1, 4], rest in [6, 6]: low 1/7, high 4/10
    assert cov.share_bounds(1, 4, 6, 6) == pytest.approx((1 / 7, 0.4))


FORMS = cells([
    ("A", 2020, "Sexual exploitation", 30, False), ("A", 2020, "Forced labour", 10, False),
    ("A", 2020, "Other forms of exploitation", NaN, True),
    ("A", 2020, "Other forms of exploitation", 6, False),  # UNODC's unlabeled other sub-rows add up
    ("B", 2020, "Sexual exploitation", NaN, True), ("B", 2020, "Forced labour", 50, False),
    ("A", 2021, "Sexual exploitation", 20, False), ("A", 2021, "Forced labour", 20, False),
])


def test_form_share_by_year_bounds_and_panel():
    s = cov.form_share_by_year(FORMS)
    # 2020: SE in [30+1, 30+4] = [31, 34]; rest in [10+1+6+50, 10+4+6+50] = [67, 70]
    assert s.loc[2020, "share_low"] == pytest.approx(31 / (31 + 70))
    assert s.loc[2020, "share_high"] == pytest.approx(34 / (34 + 67))
    assert s.loc[2020, "suppressed_cells"] == 2
    assert s.loc[2020, "units"] == 2
    assert s.loc[2021, "share_low"] == s.loc[2021, "share_high"] == pytest.approx(0.5)
    on_a = cov.form_share_by_year(FORMS, units=["A"])
    # 2020 panel {A}: SE 30; rest [10+1+6, 10+4+6] = [17, 20]
    assert on_a.loc[2020, "share_low"] == pytest.approx(30 / 50)
    assert on_a.loc[2020, "share_high"] == pytest.approx(30 / 47)


def test_top_share_bounds():
    t = cov.top_share(TOTALS, k=1)
    # 2021: D = 20 largest; rest A 15 + C [1, 4]: share in [20/39, 20/36]
    assert t.loc[2021, "top_units"] == "D"
    assert (t.loc[2021, "share_low"], t.loc[2021, "share_high"]) == pytest.approx((20 / 39, 20 / 36))
    assert t.loc[2019, "share_low"] == pytest.approx(10 / 15)


def test_generic_on_agency_frames():
    # FBI-shaped: ori x year, 'actual' counts
    fbi = pd.DataFrame({"ori": ["X", "X", "Y", "Y", "Z"], "year": [2013, 2014, 2013, 2014, 2014],
                        "actual": [4, 6, 0, 2, 10]})
    n = cov.units_reporting(fbi, unit="ori", present="actual")
    assert n.to_dict() == {2013: 2, 2014: 3}
    assert cov.fixed_panel(fbi, 2013, 2014, unit="ori", present="actual") == ["X", "Y"]
    totals = fbi.groupby("year")["actual"].sum()
    assert cov.per_unit(totals, n).to_dict() == {2013: 2.0, 2014: 6.0}
    d = cov.decompose_change(fbi, unit="ori", value="actual")
    # 4 -> 18: entering Z +10, continuing X +2, Y +2
    assert d.loc[2014, ["change", "entering", "leaving", "continuing"]].tolist() == [14, 10, 0, 4]


def test_select_glotip_errors_name_the_problem():
    frame = pd.DataFrame({"indicator": ["Detected trafficking victims"], "dimension": ["Total"],
                          "category": ["Total"], "sex": ["Total"], "age": ["Total"],
                          "region": ["Europe"]})
    assert len(cov.select_glotip(frame)) == 1
    with pytest.raises(cov.CoverageError, match="unknown region"):
        cov.select_glotip(frame, regions=["Atlantis"])
    with pytest.raises(cov.CoverageError, match="no column"):
        cov.units_reporting(frame)


def test_select_glotip_drops_aggregate_rows_and_builds_unit():
    base = {"indicator": "Detected trafficking victims", "dimension": "Total", "category": "Total",
            "sex": "Total", "age": "Total"}
    frame = pd.DataFrame([
        {**base, "iso3": "ALB", "iso3_unodc": "ALB", "country": "Albania", "region": "Europe"},
        {**base, "iso3": None, "iso3_unodc": "XKX", "country": "Kosovo", "region": "Europe"},
        {**base, "iso3": None, "iso3_unodc": "SAM", "country": None, "region": None},  # aggregate
    ])
    out = cov.select_glotip(frame)
    assert out["unit"].tolist() == ["ALB", "XKX"]
    assert len(cov.select_glotip(frame, countries_only=False)) == 3


def test_select_glotip_leaves_out_flagged_rows_and_keeps_parts_only_when_asked():
    base = {"indicator": "Detected trafficking victims", "dimension": "Total", "category": "Total",
            "sex": "Total", "age": "Total", "region": "Europe"}
    frame = pd.DataFrame([
        {**base, "iso3": "GBR", "iso3_unodc": None, "exclude_reason": None},
        {**base, "iso3": None, "iso3_unodc": "GBR_S", "exclude_reason": "subnational"},
        {**base, "iso3": "MEX", "iso3_unodc": None, "exclude_reason": "placeholder"},
    ])
    frame["exclude_reason"] = frame["exclude_reason"].astype("string")
    assert cov.select_glotip(frame)["unit"].tolist() == ["GBR"]
    assert cov.select_glotip(frame, subnational=True)["unit"].tolist() == ["GBR", "GBR_S"]
    # without the column (an older cache or a hand-made frame) every row is used
    assert len(cov.select_glotip(frame.drop(columns="exclude_reason"))) == 3


def test_complete_only_drops_the_partial_year_before_a_change():
    d = cov.decompose_change(cov.complete_only(TOTALS, [2021]), value="value_low")
    assert d.index.tolist() == [2020]   # no 2021 "change" from a year still being reported
    with pytest.raises(cov.CoverageError, match="no column"):
        cov.complete_only(TOTALS.drop(columns="year"), [2021])
