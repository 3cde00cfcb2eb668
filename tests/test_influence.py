"""Which country drives an aggregate (critique.methods.coverage.influence), against hand computations and
against an independent recount of UNODC's raw release of 14 April 2025 (data_glotip_2025-04-14.xlsx)
and of 30 May 2023 (data_glotip.xlsx), read here with pandas, not with the suite's loader."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from critique.methods.coverage import influence as inf
from critique.core.errors import ParameterError

MIRROR = Path(os.environ.get("CRITIQUE_DATA_MIRROR", Path(__file__).resolve().parents[2] / "shared" / "data" / "mirror"))
SE, FL, OT = "Sexual exploitation", "Forced labour", "Other forms of exploitation"
VICTIMS = "Detected trafficking victims"


# ------------------------------------------------------------------ hand-made frames


def _forms(rows):
    return pd.DataFrame(rows, columns=["iso3", "category", "value"])


def test_share_flags_a_country_that_reverses_the_order_of_two_shares():
    # A: 60 SE, 10 FL; B: 10 SE, 30 FL; C: 5 SE, 5 FL.  All: SE 75/120 = 62.5%, FL 45/120 = 37.5%.
    # Without A: SE 15/50 = 30%, FL 35/50 = 70%: the order reverses.
    f = _forms([("A", SE, 60), ("A", FL, 10), ("B", SE, 10), ("B", FL, 30), ("C", SE, 5), ("C", FL, 5)])
    r = inf.influence(f, "value", "iso3", "category", measure="share", part=SE, versus=FL)
    assert r.value == pytest.approx(62.5) and r.versus == pytest.approx(37.5)
    top = r.top
    assert top["unit"] == "A" and top["without"] == pytest.approx(30.0) and top["versus_without"] == pytest.approx(70.0)
    assert top["holds_whole"] == pytest.approx(70 / 120) and top["holds_part"] == pytest.approx(60 / 75)
    assert "forced labour comes before sexual exploitation" in top["flag"]
    assert r.flagged and r.flagged_units[0] == "A"
    assert "without A: 30%" in r.reading() and "forced labour 38%" in r.reading()


def test_share_thresholds_are_strict_on_both_sides():
    # B holds exactly 25% of the whole and of SE, and removing it moves the share by 0 points
    f = _forms([("A", SE, 30), ("A", FL, 30), ("B", SE, 10), ("B", FL, 10), ("C", SE, 20), ("C", FL, 20)])
    at = inf.influence(f, "value", "iso3", "category", measure="share", part=SE, max_share=0.5)
    assert not at.flagged  # A holds 50% = max_share: not more than it
    below = inf.influence(f, "value", "iso3", "category", measure="share", part=SE, max_share=0.49)
    assert below.flagged_units == ["A"]
    # points: A and C balanced (50/50 each), B pure SE (10, 0): all 110/210 = 52.38%; without B 50%
    # (-2.38 points), without A or C 60/110 = 54.55% (+2.16): B moves it most
    g = _forms([("A", SE, 50), ("A", FL, 50), ("C", SE, 50), ("C", FL, 50), ("B", SE, 10), ("B", FL, 0)])
    moved = 100 * 110 / 210 - 50.0
    calm = inf.influence(g, "value", "iso3", "category", measure="share", part=SE, max_share=1.0,
                         max_points=moved + 1e-9)
    assert not calm.flagged and calm.top["unit"] == "B"
    assert inf.influence(g, "value", "iso3", "category", measure="share", part=SE, max_share=1.0,
                         max_points=moved - 1e-9).flagged_units == ["B"]


def test_change_flags_a_country_whose_removal_reverses_the_direction():
    # totals 2019: A 10, B 100; 2022: A 60, B 80 -> all +27.27%; without A: -20% (reverses)
    f = pd.DataFrame({"iso3": ["A", "B", "A", "B"], "year": [2019, 2019, 2022, 2022], "v": [10, 100, 60, 80]})
    r = inf.influence(f, "v", "iso3", "year", measure="change", base=2019, part=2022, max_share=1.0, max_points=1000)
    assert r.value == pytest.approx(100 * (140 / 110 - 1))
    a = r.table.set_index("unit").loc["A"]
    assert a["without"] == pytest.approx(-20.0) and a["contribution"] == 50
    assert a["flag"] == "without it the change reverses direction"
    assert r.flagged_units == ["A"]  # B: +500% without it, same direction, under 1000 points


def test_total_and_its_reading():
    f = pd.DataFrame({"iso3": ["A", "B", "C"], "v": [60.0, 30.0, 10.0], "country": ["Aland", "Bland", "Cland"]})
    r = inf.influence(f, "v", "iso3", label="Victims")
    assert r.value == 100 and r.top["unit"] == "A" and r.top["without"] == 40 and r.top["holds"] == 0.6
    assert r.flagged_units == ["A", "B"]  # 60% and 30% > 25%
    assert r.reading() == "Victims: Aland holds 60% of it (60 of 100); without Aland it is 40."
    calm = inf.influence(f, "v", "iso3", max_share=0.7, label="Victims")
    assert calm.reading() == "Victims: no single country holds more than 70% of it."


def test_bad_input_names_the_parameter():
    f = _forms([("A", SE, 1)])
    with pytest.raises(ParameterError, match="measure="):
        inf.influence(f, "value", "iso3", measure="mean")
    with pytest.raises(ParameterError, match="part='Begging' is not a value of 'category'"):
        inf.influence(f, "value", "iso3", "category", measure="share", part="Begging")
    with pytest.raises(ParameterError, match="max_share"):
        inf.influence(f, "value", "iso3", max_share=0)
    with pytest.raises(ParameterError, match="no column"):
        inf.influence(f, "count", "iso3")


# ------------------------------------------------------------------ the real release, recounted raw


@pytest.fixture(scope="module")
def raw2025():
    pytest.importorskip("python_calamine")
    sheet = pd.read_excel(MIRROR / "data_glotip_2025-04-14.xlsx", header=None, dtype=str, engine="calamine")
    sheet.columns = sheet.iloc[2]
    sheet = sheet.iloc[3:].reset_index(drop=True)
    sheet["Year"] = sheet["Year"].astype(float).astype(int)
    return sheet


@pytest.fixture(scope="module")
def raw2023():
    sheet = pd.read_excel(MIRROR / "data_glotip.xlsx", header=None, dtype=str, engine="openpyxl")
    sheet.columns = sheet.iloc[2]
    sheet = sheet.iloc[3:].reset_index(drop=True)
    sheet["Year"] = sheet["Year"].astype(float).astype(int)
    return sheet


def _raw_cell(sheet, code, year, dimension="Total", category="Total"):
    v = sheet[(sheet["Iso3_code"] == code) & (sheet["Year"] == year) & (sheet["Indicator"] == VICTIMS)
              & (sheet["Dimension"] == dimension) & (sheet["Category"] == category) & (sheet["Sex"] == "Total")
              & (sheet["Age"] == "Total")]["txtVALUE"]
    assert len(v) == 1, (code, year, dimension, category, list(v))
    return v.iloc[0]


def _raw_forms_2022(sheet) -> pd.DataFrame:
    """2022 victims by form (sex = age = Total, countries with a region), "<5" at its high bound 4,
    placeholder country-years (every form "<5" and no total or a total the forms cannot reach) out."""
    v = sheet[(sheet["Indicator"] == VICTIMS) & (sheet["Sex"] == "Total") & (sheet["Age"] == "Total")
              & sheet["Region"].notna() & (sheet["Year"] == 2022)]
    forms = v[v["Dimension"] == "by form of exploitation"].copy()
    totals = v[v["Dimension"] == "Total"].set_index("Iso3_code")["txtVALUE"]
    keep = []
    for code, grp in forms.groupby("Iso3_code"):
        all_sup = (grp["txtVALUE"] == "<5").all()
        total = totals.get(code)
        if all_sup and (total is None or (total != "<5" and float(total.replace(",", "")) > 4 * len(grp))):
            continue
        keep.append(grp)
    out = pd.concat(keep)
    out["value"] = out["txtVALUE"].replace("<5", "4").str.replace(",", "").astype(float)
    return out.rename(columns={"Iso3_code": "iso3", "Category": "category"})


def test_pakistan_revision_recounted_from_both_raw_files(raw2023, raw2025):
    # raw text cells (thousands separated). 2023 release: Pakistan 2019 "<5", 2020 22; 2025 release: 32,022, 20,045; 2022 26,539 of which 22,575 SE
    assert (_raw_cell(raw2023, "PAK", 2019), _raw_cell(raw2023, "PAK", 2020)) == ("<5", "22")
    assert (_raw_cell(raw2025, "PAK", 2019), _raw_cell(raw2025, "PAK", 2020)) == ("32,022", "20,045")
    assert _raw_cell(raw2025, "PAK", 2022) == "26,539"
    assert _raw_cell(raw2025, "PAK", 2022, "by form of exploitation", SE) == "22,575"


def test_2022_split_with_and_without_pakistan_matches_the_raw_recount(raw2025):
    from critique.methods import coverage
    from critique import datasets

    recount = _raw_forms_2022(raw2025)
    by = recount.groupby("category")["value"].sum()
    se_all, fl_all = 100 * by[SE] / by.sum(), 100 * by[FL] / by.sum()
    rest = recount[recount["iso3"] != "PAK"].groupby("category")["value"].sum()
    se_wo, fl_wo = 100 * rest[SE] / rest.sum(), 100 * rest[FL] / rest.sum()
    # the figures: 49% against 26%; without Pakistan forced labour 34%, sexual exploitation 33%
    assert (round(se_all), round(fl_all), round(fl_wo), round(se_wo)) == (49, 26, 34, 33)
    g = datasets.load("glotip@2025-04-14")
    forms = coverage.select_glotip(g[g["year"] == 2022], dimension=coverage.FORM_DIMENSION)
    r = inf.influence(forms, "value_high", "unit", "category", measure="share", part=SE, versus=FL)
    assert r.value == pytest.approx(se_all, abs=1e-9) and r.versus == pytest.approx(fl_all, abs=1e-9)
    assert r.top["unit"] == "PAK" and r.top["name"] == "Pakistan"
    assert r.top["without"] == pytest.approx(se_wo, abs=1e-9) and r.top["versus_without"] == pytest.approx(fl_wo, abs=1e-9)
    assert r.top["holds_part"] == pytest.approx(22575 / by[SE], abs=1e-12)
    assert "forced labour comes before sexual exploitation" in r.top["flag"]


def test_a_unit_that_is_the_whole_base_leaves_nothing_without_it():
    f = pd.DataFrame({"iso3": ["A", "A", "B"], "year": [2019, 2022, 2022], "v": [10.0, 20.0, 5.0]})
    r = inf.influence(f, "v", "iso3", "year", measure="change", base=2019, part=2022)
    a = r.table.set_index("unit").loc["A"]
    assert pd.isna(a["without"]) and "nothing is left in 2019 without it" in a["flag"]
    assert "reverses" not in a["flag"]
