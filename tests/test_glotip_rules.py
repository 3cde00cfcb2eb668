"""GLOTIP row flags, form-vs-total check and the partial latest year, on both UNODC releases.

Expected counts are recounted here from the raw sheet (pandas.read_excel, every cell as text),
independently of the loader: the raw recount and the loader's flags must agree.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

_DEFAULT_MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mirror"
if not os.environ.get("CRITIQUE_DATA_MIRROR"):
    os.environ["CRITIQUE_DATA_MIRROR"] = str(_DEFAULT_MIRROR)

from critique.datasets import glotip_rules as rules, parse_upstream, upstream  # noqa: E402
from critique.core.errors import DataError  # noqa: E402

MIRROR = Path(os.environ["CRITIQUE_DATA_MIRROR"])
R2023, R2025 = "data_glotip.xlsx", "data_glotip_2025-04-14.xlsx"
VICTIMS = "Detected trafficking victims"


def _calamine_rows(path: Path) -> list[tuple]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [tuple(None if c == "" else c for c in row) for row in sheet.to_python()]


@pytest.fixture(scope="module")
def loaded():
    """Each release parsed once by the loader (the 2025 file's sheet dimension is A1:A1: it is read
    with python-calamine, as the release-aware loader does; its data years run to 2022)."""
    cache: dict[str, pd.DataFrame] = {}

    def get(name: str) -> pd.DataFrame:
        if name not in cache:
            try:
                cache[name] = parse_upstream("glotip", MIRROR / name)
            except DataError:
                if name != R2025:
                    raise
                # before the release-aware loader (branch editions): read the rows with calamine and
                # skip the schema's 2003-2021 year range here
                pytest.importorskip("python_calamine")
                mp = pytest.MonkeyPatch()
                try:
                    mp.setattr(upstream, "_xlsx_rows", _calamine_rows)
                    mp.setattr(upstream, "validate", lambda frame, *a, **k: frame)
                    cache[name] = parse_upstream("glotip", MIRROR / name)
                finally:
                    mp.undo()
        return cache[name]

    return get


@pytest.fixture(scope="module")
def raw():
    """The raw sheet as text below its column row (third row), independent of the loader."""
    cache: dict[str, pd.DataFrame] = {}

    def get(name: str) -> pd.DataFrame:
        if name not in cache:
            engine = "calamine" if name == R2025 else "openpyxl"
            if engine == "calamine":
                pytest.importorskip("python_calamine")
            sheet = pd.read_excel(MIRROR / name, header=None, dtype=str, engine=engine)
            sheet.columns = sheet.iloc[2]
            sheet = sheet.iloc[3:].reset_index(drop=True)
            sheet["Year"] = sheet["Year"].astype(float).astype(int)
            cache[name] = sheet
        return cache[name]

    return get


def _raw_form_reporters(sheet: pd.DataFrame) -> tuple[dict[int, int], dict[int, int]]:
    """Countries reporting victims by form per year, recounted from text cells: (rule, strict)."""
    v = sheet[(sheet["Indicator"] == VICTIMS) & (sheet["Sex"] == "Total") & (sheet["Age"] == "Total")
              & sheet["Region"].notna()]
    forms = v[v["Dimension"] == "by form of exploitation"]
    totals = v[v["Dimension"] == "Total"].set_index(["Iso3_code", "Year"])["txtVALUE"]
    total_years = set(totals.index.get_level_values(1))
    rule: dict[int, set] = {}
    strict: dict[int, set] = {}
    for (code, year), grp in forms.groupby(["Iso3_code", "Year"]):
        all_sup = (grp["txtVALUE"] == "<5").all()
        total = totals.get((code, year))
        if all_sup:
            if total is None and year in total_years:
                continue  # no total: placeholder
            if total is not None and total != "<5" and float(total.replace(",", "")) > 4 * len(grp):
                continue  # a total the forms cannot reach: placeholder
        rule.setdefault(year, set()).add(code)
        if not all_sup:
            strict.setdefault(year, set()).add(code)
    return ({y: len(c) for y, c in sorted(rule.items())}, {y: len(c) for y, c in sorted(strict.items())})


# ------------------------------------------------------------------ "<5" is 0 to 4


@pytest.mark.parametrize("name", [R2023, R2025])
def test_no_number_below_five_is_published_so_suppressed_includes_zero(raw, name):
    sheet = raw(name)
    numbers = pd.to_numeric(sheet["txtVALUE"].str.replace(",", ""), errors="coerce")
    assert numbers.min() == 5
    assert set(sheet.loc[numbers.isna(), "txtVALUE"]) == {"<5"}


def test_forms_adding_up_to_the_total_beside_suppressed_cells(raw):
    # 90 country-years (2023 release) where published forms equal the total exactly and further form
    # cells read "<5": those cells can only be zero
    v = raw(R2023)
    v = v[(v["Indicator"] == VICTIMS) & (v["Sex"] == "Total") & (v["Age"] == "Total") & v["Region"].notna()]
    num = pd.to_numeric(v["txtVALUE"].str.replace(",", ""), errors="coerce")
    v = v.assign(num=num, sup=v["txtVALUE"].eq("<5"))
    forms = v[v["Dimension"] == "by form of exploitation"].groupby(["Iso3_code", "Year"]).agg(
        known=("num", "sum"), sup=("sup", "sum"))
    total = v[v["Dimension"] == "Total"].set_index(["Iso3_code", "Year"])["num"].rename("total")
    both = forms.join(total, how="inner").dropna(subset=["total"])
    assert int(((both["sup"] > 0) & (both["known"] == both["total"])).sum()) == 90


def test_loader_bounds_are_zero_and_four(loaded):
    g = loaded(R2023)
    sup = g[g["suppressed"]]
    assert (sup["value_low"] == 0).all() and (sup["value_high"] == 4).all()


# ------------------------------------------------------------------ placeholders


def test_mexico_2019_is_not_reported_by_form(loaded):
    g = loaded(R2023)
    mex = g[(g["iso3"] == "MEX") & (g["year"] == 2019)]
    # the whole country-year is three "<5" form rows and nothing else
    assert len(mex) == 3 and mex["suppressed"].all()
    assert set(mex["exclude_reason"]) == {"placeholder"}
    # while its neighbouring years are published reports: 731 (2018) and 824 (2020) in total
    tot = g[(g["iso3"] == "MEX") & (g["indicator"] == VICTIMS) & (g["dimension"] == "Total")
            & (g["sex"] == "Total") & (g["age"] == "Total")].set_index("year")["value"]
    assert (tot[2018], tot[2020]) == (731, 824)
    assert rules.usable(mex).empty


@pytest.mark.parametrize("name, rule, strict", [
    (R2023, {2017: 113, 2018: 108, 2019: 102, 2020: 107}, {2017: 89, 2018: 91, 2019: 85, 2020: 82}),
    (R2025, {2017: 110, 2018: 108, 2019: 113, 2020: 123}, {2017: 90, 2018: 91, 2019: 94, 2020: 92}),
])
def test_countries_reporting_by_form_agree_with_raw_recount(loaded, raw, name, rule, strict):
    raw_rule, raw_strict = _raw_form_reporters(raw(name))
    got = rules.form_reporters(loaded(name))
    assert got["countries"].to_dict() == raw_rule
    assert got["strict"].to_dict() == raw_strict
    # the strict count reproduces the independent check of issue 13 (2023 release: 89, 91, 85, 82)
    assert {y: raw_rule[y] for y in rule} == rule
    assert {y: raw_strict[y] for y in strict} == strict


def test_placeholder_counts_per_release(loaded):
    assert loaded(R2023).attrs["excluded_placeholder"] == 973
    assert loaded(R2025).attrs["excluded_placeholder"] == 829


def test_consistent_small_reports_stay(loaded):
    # Tonga 2017-2020: every cell "<5", total "<5" too: a consistent small or zero report, kept
    g = loaded(R2023)
    ton = g[(g["iso3"] == "TON") & g["year"].between(2017, 2020)]
    assert len(ton) == 4 * 81 and ton["exclude_reason"].isna().all()


# ------------------------------------------------------------------ duplicate totals


@pytest.mark.parametrize("name, expected", [
    (R2023, {("MYS", 2016, 676.0)}),
    (R2025, {("MYS", 2016, 676.0), ("MYS", 2019, 91.0)}),
])
def test_malaysia_other_forms_row_repeating_the_total_is_excluded(loaded, name, expected):
    g = loaded(name)
    dup = g[g["exclude_reason"] == "duplicate-total"]
    assert set(zip(dup["iso3"], dup["year"], dup["value"])) == expected
    assert (dup["category"] == "Other forms of exploitation").all()
    mys = rules.usable(g)
    mys = mys[(mys["iso3"] == "MYS") & (mys["year"] == 2016) & (mys["indicator"] == VICTIMS)
              & (mys["dimension"] == "by form of exploitation") & (mys["sex"] == "Total")]
    # forced labour 160 + sexual exploitation 516 = 676 = the total
    assert sorted(mys["value"]) == [160, 516]


def test_form_consistency_reports_excess_over_total(loaded):
    check = rules.form_consistency(loaded(R2023)).set_index(["unit", "year"])
    mys = check.loc[("MYS", 2016)]
    assert (mys["forms_low"], mys["total_high"], mys["status"]) == (676, 676, "consistent")
    # Sweden 2017: forms exceed the total (noted by the country profiles before this check existed)
    both = check.loc[check["status"] != "no total"]
    assert (len(both), int((both["status"] == "forms exceed total").sum())) == (1068, 133)
    swe = check.loc[("SWE", 2017)]
    assert swe["status"] == "forms exceed total"
    assert swe["excess"] == swe["forms_low"] - swe["total_high"] > 0


# ------------------------------------------------------------------ partial latest year


def test_2021_is_partial_in_the_2023_release(loaded):
    g = loaded(R2023)
    table = rules.partial_year_table(g)
    assert (table.loc[2021, "countries"], table.loc[2021, "previous"]) == (55, 125)
    assert rules.partial_years(g) == [2021]
    # no earlier year comes near the threshold (evidence for it)
    assert table.loc[table.index < 2021, "ratio"].min() > 0.85


def test_the_later_release_fills_the_lagged_year(loaded):
    later = loaded(R2025)
    table = rules.partial_year_table(later)
    # the same data year 2021 has 125 countries with a total two years on (55 in the 2023 release)
    assert table.loc[2021, "countries"] == 125
    assert (table.loc[2022, "countries"], table.loc[2022, "previous"]) == (112, 125)
    # 90% of the year before: above the 70% rule alone; partial by the evidence across releases
    assert rules.partial_years(later, growth={}) == []
    assert rules.partial_years(later) == [2022]
    assert rules.partial_years(later, share=0.95) == [2022]


def test_partial_years_rejects_a_bad_share():
    frame = pd.DataFrame(columns=["iso3", "indicator", "dimension", "sex", "age", "year"])
    with pytest.raises(ValueError, match="share must be in"):
        rules.partial_years(frame, share=1.5)


# ------------------------------------------------------------------ hand-made frames


def _frame(rows):
    cols = ["iso3", "iso3_unodc", "country", "region", "indicator", "dimension", "category", "sex", "age",
            "year", "value", "suppressed"]
    out = pd.DataFrame([dict(zip(cols, r)) for r in rows], columns=cols)
    out["value"] = out["value"].astype(float)
    return out


def test_usable_without_the_column_keeps_every_row():
    frame = _frame([("FRA", None, "France", "Europe", VICTIMS, "Total", "Total", "Total", "Total", 2019, 5, False)])
    assert len(rules.usable(frame)) == 1


def test_duplicate_national_totals_are_an_error_naming_them():
    row = ("FRA", None, "France", "Europe", VICTIMS, "Total", "Total", "Total", "Total", 2019, 5, False)
    with pytest.raises(DataError, match=r"g\.xlsx: more than one national total row for FRA 2019"):
        rules.flag_rows(_frame([row, row]), file="g.xlsx")


def test_all_suppressed_forms_before_totals_exist_are_not_judged():
    # 2005: no country has a total in this frame, so "no total" is no evidence: kept
    rows = [("MNG", None, "Mongolia", "Asia", VICTIMS, "by form of exploitation", c, "Total", "Total", 2005,
             np.nan, True) for c in ("Sexual exploitation", "Forced labour")]
    assert rules.flag_rows(_frame(rows))["exclude_reason"].isna().all()


# ------------------------------------------------------------------ sub-national units


def _book(path: Path, rows: list[list[object]]) -> Path:
    from tests.test_upstream_loaders import _glotip_book

    return _glotip_book(path, rows)


def _row(code, name, value, year=2019):
    return [code, name, "Europe", "Northern Europe", VICTIMS, "Total", "Total", "Total", "Total", year,
            "Counts", value, "GLOTIP"]


def test_uk_parts_are_kept_apart_and_give_no_gbr_duplicates(tmp_path):
    path = _book(tmp_path / "g.xlsx", [
        _row("GBR_E_W", "United Kingdom (England and Wales)", "1,000"),
        _row("GBR_S", "United Kingdom (Scotland)", "100"),
        _row("GBR_NI", "United Kingdom (Northern Ireland)", "20"),
        _row(None, "United Kingdom (Scotland)", "90", year=2018),   # a name without a code
        _row("GBR", "United Kingdom of Great Britain and Northern Ireland", "1,200"),
    ])
    g = parse_upstream("glotip", path)
    assert g["iso3"].isna().tolist() == [True, True, True, True, False]
    assert g["iso3_unodc"].tolist()[:4] == ["GBR_E_W", "GBR_S", "GBR_NI", "GBR_S"]
    assert g["exclude_reason"].tolist()[:4] == ["subnational"] * 4 and pd.isna(g["exclude_reason"].iloc[4])
    # one GBR national total, never three or four
    assert (g["iso3"] == "GBR").sum() == 1
    # country sums leave the parts out unless asked
    assert rules.usable(g)["value"].sum() == 1200
    assert rules.usable(g, subnational=True)["value"].sum() == 1200 + 1000 + 100 + 20 + 90


def test_two_national_totals_for_one_country_year_name_it(tmp_path):
    path = _book(tmp_path / "g.xlsx", [_row("FRA", "France", "10"), _row("FRA", "France", "12")])
    with pytest.raises(DataError, match=r"g\.xlsx: more than one national total row for FRA 2019"):
        parse_upstream("glotip", path)


# ------------------------------------------------------------------ downstream: TIP tiers


def test_tier_reporting_shares_without_placeholders(loaded):
    from critique.methods.tip import tiers

    g = loaded(R2023)
    # Report year 2021's transcription has rows marked unverified (issue 14), so the established view
    # leaves the year out; this test is about the UNODC side, so it reads the transcription as is.
    tv = tiers.tier_vs_reporting(tiers.load_tiers(include_unverified=True), tiers.unodc_reporting(g), lag=1)
    by = tiers.reporting_by_tier(tv[tv["report_year"] == 2021]).set_index("tier")
    # report year 2021 (data year 2020), share reporting to UNODC by tier: 25/28, 76/95, 18/45, 6/17;
    # with the placeholders read as reports it was 0.96 / 0.97 / 0.87 / 0.88 (issue 13)
    assert by["n"].tolist() == [28, 95, 45, 17]
    assert by["share_reporting"].round(4).tolist() == [round(25 / 28, 4), round(76 / 95, 4), 0.4, round(6 / 17, 4)]
    # the partial data year 2021 (report year 2022) is left out, not read as "not reporting"
    assert 2021 not in set(tiers.unodc_reporting(g)["data_year"])


# ------------------------------------------------------------------ where a release's years end (issue 22, item 4)


def _raw_total_reporters(sheet: pd.DataFrame) -> dict[int, int]:
    """Countries with a national total of detected victims per year, from the raw text cells
    (countries with a region; parts of a country, whose codes carry an underscore, left out)."""
    v = sheet[(sheet["Indicator"] == VICTIMS) & (sheet["Dimension"] == "Total") & (sheet["Category"] == "Total")
              & (sheet["Sex"] == "Total") & (sheet["Age"] == "Total") & sheet["Region"].notna()
              & ~sheet["Iso3_code"].str.contains("_", na=False)]
    return v.groupby("Year")["Iso3_code"].nunique().to_dict()


def test_late_growth_constants_are_the_recount_of_both_raw_files(raw, loaded):
    a, b = _raw_total_reporters(raw(R2023)), _raw_total_reporters(raw(R2025))
    assert (a[2021], b[2021], a[2020], b[2020], a[2019], b[2019]) == (55, 125, 125, 143, 116, 134)
    latest = max(a)
    for lag, growth in rules.LATE_GROWTH.items():
        y = latest - lag
        assert growth == pytest.approx(b[y] / a[y] - 1, abs=1e-12), y
    measured = rules.late_growth(loaded(R2023), loaded(R2025))
    assert measured.set_index("lag")["growth"].reindex(list(rules.LATE_GROWTH)).to_dict() == pytest.approx(rules.LATE_GROWTH)


def test_year_status_on_both_releases(loaded):
    old, new = rules.year_status(loaded(R2023)), rules.year_status(loaded(R2025))
    # the latest year is partial in both (2021 also under the 70% rule); the two before it provisional
    assert old["status"].loc[2018:].to_dict() == {2018: "settled", 2019: "provisional", 2020: "provisional", 2021: "partial"}
    assert new["status"].loc[2019:].to_dict() == {2019: "settled", 2020: "provisional", 2021: "provisional", 2022: "partial"}
    assert rules.partial_years(loaded(R2025)) == [2022] and rules.last_complete_year(loaded(R2025)) == 2021
    assert rules.partial_years(loaded(R2023)) == [2021] and rules.last_complete_year(loaded(R2023)) == 2020
    note = rules.year_range_note(loaded(R2025), release="glotip@2025-04-14")
    assert note.startswith("The glotip@2025-04-14 release reaches data year 2022; trends, changes and fixed panels end in 2021.")
    assert "gained 127% more reporting countries" in note and "14% and 16%" in note
    assert ("treats 2022 as incomplete (112 countries report a total, against 125 the year before): charts mark it "
            "'incomplete: release lag'") in note
    assert "2020 and 2021 are used, but late reports may still add countries to them (provisional)." in note


def test_year_status_thresholds_on_both_sides():
    # three years, 10 countries each: ratio 1.0; statuses follow only the growth evidence given
    rows = [{"iso3": f"C{i}", "iso3_unodc": f"C{i}", "country": f"C{i}", "region": "Europe", "indicator": VICTIMS,
             "dimension": "Total", "category": "Total", "sex": "Total", "age": "Total", "year": y,
             "value": 10.0, "suppressed": False} for i in range(10) for y in (2019, 2020, 2021)]
    frame = pd.DataFrame(rows)
    at = rules.year_status(frame, growth={0: 0.25, 1: 0.05}, partial_growth=0.25, provisional_growth=0.05)
    assert at["status"].to_dict() == {2019: "settled", 2020: "settled", 2021: "provisional"}  # 0.25 is not above 0.25
    above = rules.year_status(frame, growth={0: 0.2501, 1: 0.0501})
    assert above["status"].to_dict() == {2019: "settled", 2020: "provisional", 2021: "partial"}
    with pytest.raises(ValueError, match="provisional_growth"):
        rules.year_status(frame, partial_growth=0.05, provisional_growth=0.1)


def test_a_fixed_panel_ends_in_the_last_complete_year(loaded):
    # notebook 60 (briefing-2023) built its 2017-to-latest panel with the partial 2021 inside it: 47
    # countries with a total every year 2017-2021 against 103 for 2017-2020 (recounted here by hand)
    g = loaded(R2023)
    t = g[(g["indicator"] == VICTIMS) & (g["dimension"] == "Total") & (g["category"] == "Total") & (g["sex"] == "Total")
          & (g["age"] == "Total") & g["region"].notna() & g["exclude_reason"].isna() & g["iso3"].notna()]
    years = t.groupby("iso3")["year"].apply(set)
    every = lambda a, b: int(sum(set(range(a, b + 1)) <= ys for ys in years))
    assert (every(2017, 2021), every(2017, 2020)) == (47, 103)
    assert rules.last_complete_year(g) == 2020
