"""critique.methods.claims: the register, the NCMEC loaders and every check on its real inputs.

Expected values are recomputed here independently (plain pandas or the csv module on the raw files,
or hand arithmetic on the cited figures), never taken from the code under test.
"""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from critique.methods import claims
from critique import datasets
from critique.methods.claims import cited, detected, reports, rules, shares
from critique.methods.claims.verdict import (CANNOT_TEST, CONSISTENT, CONTRADICT, LARGER, NOT_SUPPORTED, PARTIAL, SMALLER,
                                     ClaimCheck, cap_unverified, figure)
from critique.core.errors import DataError, ParameterError


@pytest.fixture(scope="module")
def register():
    return datasets.load("claims")


@pytest.fixture(scope="module")
def evidence():
    return datasets.load("claim-evidence")


@pytest.fixture(scope="module")
def glotip():
    return datasets.load("glotip")


@pytest.fixture(scope="module")
def editions():
    return datasets.load("glotip-editions")


# ------------------------------------------------------------------ the register

def test_every_claim_has_citation_verification_and_known_tests(register):
    assert len(register) >= 10
    assert register["citation"].str.strip().str.len().gt(0).all()
    assert register["verification"].isin(["primary", "secondary", "unverified"]).all()
    verified = register["verification"] != "unverified"
    assert register.loc[verified, "source_url"].notna().all()
    pairs = claims.claim_tests(register)
    # every coded check is used, none is unknown; 'untestable' rows need no code
    assert set(pairs["test_id"]) - {claims.UNTESTABLE} == set(claims.CHECK_IDS)


def test_composition_claims_are_declared_untestable_with_a_reason(register):
    """Issue 23 item 5: the global estimate's sexual-exploitation share and its re-analysis have no count of
    the same definition to be tested against; each row says why, and the finalised check says 'cannot test'."""
    pairs = claims.claim_tests(register)
    for cid in ("gems-2022-cse-share", "walby-francis-improved-estimate"):
        assert pairs.loc[pairs["claim_id"].eq(cid), "test_id"].tolist() == [claims.UNTESTABLE]
        row = register.set_index("claim_id").loc[cid]
        check = claims.untestable_check(row.to_dict() | {"claim_id": cid})
        assert check.verdict == claims.CANNOT_TEST and "detected" in check.reason


def test_issue_claims_are_covered(register):
    # the eight claims of issue 17 (8: at least one more; here several)
    need = {"covid-online", "worldcup-2006", "superbowl-2011", "sweden-halved", "sweden-trafficking", "fosta-needed",
            "spotlight-victims", "unodc-79", "un-80-percent", "global-stock-trend", "unodc-2022-rise"}
    assert need <= set(register["claim_id"])


def test_every_evidence_row_belongs_to_a_claim(register, evidence):
    assert set(evidence["claim_id"]) <= set(register["claim_id"])
    assert evidence["citation"].str.strip().str.len().gt(0).all()


def test_register_refuses_an_unknown_test(register):
    bad = register.copy()
    bad.loc[0, "tests"] = "no-such-test"
    with pytest.raises(DataError, match="no-such-test"):
        claims.claim_tests(bad)


# ------------------------------------------------------------------ NCMEC loaders

def test_ncmec_reports_real_values(mirror_dir):
    frame = datasets.load("ncmec-reports")
    with open(mirror_dir / "ocse-reports-per-year.csv", newline="") as handle:
        raw = {int(r["year"]): int(r["reports"]) for r in csv.DictReader(handle)}
    assert len(frame) == 26 == len(raw)
    assert dict(zip(frame["year"], frame["reports"])) == raw
    assert raw[2020] == 21751085 and raw[1998] == 4560


def test_ncmec_contents_quantities_with_separators(mirror_dir):
    frame = datasets.load("ncmec-report-contents")
    assert len(frame) == 84
    cst = frame[(frame["category"] == "kind of exploitation") & (frame["label"] == "child sex trafficking")]
    assert dict(zip(cst["year"], cst["quantity"])) == {2020: 15879, 2021: 16032, 2022: 18336, 2023: 17353}
    # the contents file's total reports agree with the per-year file (two transcriptions, one source)
    totals = frame[(frame["category"] == "reports") & (frame["label"] == "total")].set_index("year")["quantity"]
    per_year = datasets.load("ncmec-reports").set_index("year")["reports"]
    assert (totals == per_year.loc[totals.index]).all()


def test_ncmec_bad_quantity_names_file_column_value(tmp_path):
    bad = tmp_path / "ocse-report-contents.csv"
    bad.write_text('category,label,year,quantity\nreports,total,2020,"21,751,08x"\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"ocse-report-contents.csv: column 'quantity' value '21,751,08x'"):
        datasets.parse_upstream("ncmec-report-contents", bad)


def test_ncmec_repeated_year_refused(tmp_path):
    bad = tmp_path / "ocse-reports-per-year.csv"
    bad.write_text("year,reports\n2020,5\n2020,6\n", encoding="utf-8")
    with pytest.raises(DataError, match="ocse-reports-per-year.csv"):
        datasets.parse_upstream("ncmec-reports", bad)


# ------------------------------------------------------------------ UNODC checks, recomputed independently

def _independent_panel_sums(glotip: pd.DataFrame, start: int, end: int) -> tuple[int, pd.DataFrame]:
    """Plain-pandas fixed panel: country totals (sex = age = Total) reported in every year start..end."""
    g = glotip
    if "exclude_reason" in g.columns:
        g = g[g["exclude_reason"].isna()]
    g = g[(g["indicator"] == "Detected trafficking victims") & (g["dimension"] == "Total") & (g["sex"] == "Total")
          & (g["age"] == "Total") & g["region"].notna() & g["value_high"].notna() & g["year"].between(start, end)]
    unit = g["iso3"].astype(object).where(g["iso3"].notna(), g["iso3_unodc"].astype(object))
    g = g.assign(unit=unit.where(unit.notna(), g["country"].astype(object)))
    years_per_unit = g.groupby("unit")["year"].nunique()
    panel = years_per_unit[years_per_unit == end - start + 1].index
    sums = g[g["unit"].isin(panel)].groupby("year")[["value_low", "value_high"]].sum()
    return len(panel), sums


def test_fixed_panel_change_2019_2020_recomputed(glotip, evidence):
    # the newest release (14 April 2025, data years to 2022), rows flagged by the loader left out
    assert glotip.attrs.get("release") == "glotip@2025-04-14"
    end = int(glotip["year"].max())
    assert end == 2022
    n, sums = _independent_panel_sums(glotip, 2017, end)
    low = 100 * (sums.at[2020, "value_low"] / sums.at[2019, "value_high"] - 1)
    high = 100 * (sums.at[2020, "value_high"] / sums.at[2019, "value_low"] - 1)
    c = detected.check_fixed_panel_change(glotip, evidence, test_id="unodc-2019-2020-fixed-panel", claim_id="unodc-2020-fall",
                                          claimed_id="unodc2022-claimed-change", before=2019, after=2020, start=2017, end=end)
    assert c.numbers["panel_countries"] == n
    assert c.numbers["panel_change_pct"] == pytest.approx([low, high])
    claimed = figure(evidence, "unodc2022-claimed-change").value
    assert claimed == -11
    lo_, hi_ = min(low, high), max(low, high)
    assert c.numbers["distance_pp"] == pytest.approx(0 if lo_ <= claimed <= hi_ else min(abs(lo_ - claimed), abs(hi_ - claimed)))
    def expected(tol):  # the rules written out for a claimed fall: larger fall, within, smaller fall, or a rise
        if max(low, high) >= claimed - tol and min(low, high) <= claimed + tol:
            return CONSISTENT
        if max(low, high) < claimed - tol:
            return LARGER
        return CONTRADICT if min(low, high) > 0 else SMALLER
    # the claimed figure is UNODC's global one; the panel is part of its scope (rule 3)
    assert c.numbers["panel_countries"] < c.numbers["reporters_after"]
    assert (c.verdict, c.on_part) == (PARTIAL, expected(5))
    assert c.reason.startswith("The claimed change is UNODC's global one, over every reporting country; tested on part of it")
    # a tolerance of 0 needs the bounds to straddle the claim exactly
    c0 = detected.check_fixed_panel_change(glotip, evidence, test_id="unodc-2019-2020-fixed-panel", claim_id="unodc-2020-fall",
                                           claimed_id="unodc2022-claimed-change", before=2019, after=2020, start=2017, end=end,
                                           tolerance_pp=0)
    assert (c0.verdict, c0.on_part) == (PARTIAL, expected(0))


def test_fixed_panel_change_2019_2022_recomputed(glotip, evidence):
    n, sums = _independent_panel_sums(glotip, 2017, 2022)
    low = 100 * (sums.at[2022, "value_low"] / sums.at[2019, "value_high"] - 1)
    high = 100 * (sums.at[2022, "value_high"] / sums.at[2019, "value_low"] - 1)
    c = detected.check_fixed_panel_change(glotip, evidence, test_id="unodc-2019-2022-fixed-panel", claim_id="unodc-2022-rise",
                                          claimed_id="unodc2024-claimed-change", before=2019, after=2022, start=2017, end=2022)
    assert c.numbers["panel_countries"] == n
    assert c.numbers["panel_change_pct"] == pytest.approx([low, high])
    # a claimed rise of 25: consistent within 5 points, a larger change above 30, a smaller one below 20
    assert c.verdict == PARTIAL  # 82 of the reporting countries: part of the claim's scope
    assert c.on_part == (CONSISTENT if high >= 20 and low <= 30 else LARGER if low > 30 else
                         CONTRADICT if high < 0 else SMALLER)


def test_fixed_panel_is_part_of_the_scope_only_when_fewer_countries_than_reported(glotip, evidence):
    # the boundary of rule 3 for a fixed-panel change: the same release cut to the panel's own
    # countries (every reporter reports every year) covers the claim's countries, so the rules' word
    # stands alone; the whole release has more reporters than the panel, so the test is partial
    kw = dict(test_id="unodc-2019-2022-fixed-panel", claim_id="unodc-2022-rise", claimed_id="unodc2024-claimed-change",
              before=2019, after=2022, start=2017, end=2022)
    whole = detected.check_fixed_panel_change(glotip, evidence, **kw)
    panel = set(detected.panel_series(glotip, 2017, 2022).panel)
    unit = glotip["iso3"].astype(object).where(glotip["iso3"].notna(), glotip["iso3_unodc"].astype(object))
    unit = unit.where(unit.notna(), glotip["country"].astype(object))
    cut = glotip[unit.isin(panel)]
    cut.attrs = dict(glotip.attrs)
    only = detected.check_fixed_panel_change(cut, evidence, **kw)
    assert only.numbers["panel_countries"] == only.numbers["reporters_after"] == whole.numbers["panel_countries"]
    assert (only.verdict, only.on_part) == (whole.on_part, None)
    assert not only.reason.startswith("The claimed change is UNODC's global one")
    assert whole.numbers["panel_countries"] < whole.numbers["reporters_after"] and whole.verdict == PARTIAL


def test_covid_check_cannot_test_and_reports_panel(glotip):
    end = int(glotip["year"].max())
    n, sums = _independent_panel_sums(glotip, 2017, end)
    c = detected.check_covid_fixed_panel(glotip, start=2017, end=end)
    assert c.verdict == CANNOT_TEST
    assert c.numbers["online_breakdowns"] == []
    assert c.numbers["panel_countries"] == n
    assert f"{n} countries reporting every year 2017-{end}" in c.reason


def test_panel_refuses_years_outside_the_data(glotip):
    with pytest.raises(ParameterError, match="no data for"):
        detected.panel_series(glotip, 2017, 2040)


def test_share_recount_matches_plain_pandas(glotip, editions):
    g = glotip
    if "exclude_reason" in g.columns:
        g = g[g["exclude_reason"].isna()]
    f = g[(g["indicator"] == "Detected trafficking victims") & (g["dimension"] == "by form of exploitation")
          & (g["sex"] == "Total") & (g["age"] == "Total") & g["region"].notna() & (g["year"] == 2006)
          & g["value_high"].notna()]
    sex = f["category"] == "Sexual exploitation"
    lo = f.loc[sex, "value_low"].sum() / (f.loc[sex, "value_low"].sum() + f.loc[~sex, "value_high"].sum())
    hi = f.loc[sex, "value_high"].sum() / (f.loc[sex, "value_high"].sum() + f.loc[~sex, "value_low"].sum())
    c = shares.check_share_recount(glotip, editions, edition=2009, year=2006)
    assert c.numbers["claimed_pct"] == 79  # glotip-editions, 2009 row
    assert c.numbers["recount_pct"] == pytest.approx([100 * lo, 100 * hi])
    # the recount covers fewer countries than the 155 the edition covered: a test on part of its scope
    assert c.verdict == PARTIAL and c.numbers["edition_countries"] == 155
    # the claimed share is read in the glotip-editions table: the reason names it with its grade
    assert "(read: glotip-editions, 2009 edition [" in c.reason
    assert c.on_part == (CONSISTENT if 100 * hi >= 74 and 100 * lo <= 84 else CONTRADICT)


def test_sweden_series_starts_after_the_law(glotip, evidence):
    swe = glotip[(glotip["iso3"] == "SWE") & (glotip["indicator"] == "Detected trafficking victims")
                 & (glotip["dimension"] == "Total") & (glotip["sex"] == "Total") & (glotip["age"] == "Total")
                 & glotip["value_high"].notna()]
    c = detected.check_sweden_series(glotip, evidence)
    assert c.numbers["first_year"] == int(swe["year"].min())
    assert c.numbers["law_year"] == 1999 and c.numbers["years_before_law"] == 0
    assert c.verdict == CANNOT_TEST


def test_host_countries_against_the_raw_series(glotip, evidence):
    c = detected.check_host_countries(glotip, evidence, event_ids=["event-grc-2004", "event-deu-2006", "event-zaf-2010",
                                                                   "event-can-2010"], window=2)
    can = glotip[(glotip["iso3"] == "CAN") & (glotip["indicator"] == "Detected trafficking victims")
                 & (glotip["dimension"] == "Total") & (glotip["sex"] == "Total") & (glotip["age"] == "Total")
                 & glotip["year"].between(2008, 2012) & glotip["value_high"].notna()].set_index("year")["value_high"]
    # Canada has 2008-2012 in both releases; is 2010 above every neighbouring year?
    can_above = can[2010] > can.drop(2010).max()
    assert c.numbers["events"] == 4 and c.numbers["testable"] >= 1
    assert c.verdict == CANNOT_TEST  # detections around an event are not a count of trafficking
    if c.numbers["testable"] == 1:
        assert c.numbers["event_year_highest"] == int(can_above)
    with pytest.raises(ParameterError, match="window"):
        detected.check_host_countries(glotip, evidence, event_ids=["event-can-2010"], window=0)


# ------------------------------------------------------------------ cited-figure checks (hand arithmetic)

def test_sweden_street_counts(evidence):
    c = cited.check_sweden_street_counts(evidence, tolerance_pp=5)
    assert c.numbers["fall_pct"] == pytest.approx(100 * (1 - 180 / 280))  # 35.7%, not a half
    # a national claim tested on Stockholm alone: part of its scope, where the fall is smaller than a half
    assert (c.verdict, c.on_part) == (PARTIAL, SMALLER)
    assert "280 people in street prostitution (1998) to 180 (2008), a change of -36%, 14.3 points from the -50%" in c.reason
    wide = cited.check_sweden_street_counts(evidence, tolerance_pp=15)
    assert (wide.verdict, wide.on_part) == (PARTIAL, CONSISTENT)
    with pytest.raises(ParameterError, match="tolerance_pp"):
        cited.check_sweden_street_counts(evidence, tolerance_pp=90)


def test_worldcup_followup(evidence):
    c = cited.check_worldcup_followup(evidence)
    assert c.numbers["bound_per_year"] == pytest.approx(1000 / 0.1)
    assert c.numbers["claimed_over_bound"] == pytest.approx(4.0)
    assert c.verdict == CANNOT_TEST  # no count of people trafficked for the event exists


def test_superbowl_outcome(evidence):
    c = cited.check_superbowl_outcome(evidence)
    assert (c.numbers["prostitution_arrests"], c.numbers["trafficking_charges"], c.numbers["task_force_arrests"]) == (59, 1, 133)
    assert c.verdict == CANNOT_TEST and "a police sergeant's forecast, not the claimant's figure" in c.reason


def test_gao_fosta(evidence):
    c = cited.check_gao_fosta(evidence)
    assert (c.numbers["platform_cases"], c.numbers["fosta_cases"], c.numbers["other_law_cases"]) == (11, 1, 10)
    # criminal cases only: the civil liability the claim speaks of is outside the count
    assert (c.verdict, c.on_part) == (PARTIAL, CONTRADICT)
    assert "federal criminal cases only" in c.reason and "GAO-21-385 [secondary]" in c.reason


def test_spotlight_against_federal_and_ucr(evidence, mirror_dir):
    with open(mirror_dir / "HT_2013-2020.csv", newline="", encoding="utf-8-sig") as handle:
        ucr_2016 = sum(int(r["ACTUAL_COUNT"]) for r in csv.DictReader(handle)
                       if r["DATA_YEAR"] == "2016" and r["OFFENSE_SUBCAT_NAME"] == "Commercial Sex Acts")
    c = cited.check_spotlight_federal(evidence, datasets.load("fbi-ucr-ht"), ucr_year=2016)
    assert c.numbers["minors_ratio"] == pytest.approx(2025 / 175)
    assert c.numbers["federal_investigations_fy2015"] == 802 + 1034
    assert c.numbers["ucr_offences"] == ucr_2016
    assert c.verdict == CANNOT_TEST and "No published count of the same definition exists" in c.reason


def test_share_applied_to_stock_contradicts_and_unverified_caps(evidence, editions, register):
    c = shares.check_share_applied_to_stock(evidence, editions)
    assert c.numbers["ilo_upper_pct"] == 43 + 25
    assert "glotip-editions, 2009 and 2012 editions [" in c.reason
    assert c.verdict == CONTRADICT
    # the same check resting on an unverified figure, or for an unverified claim row, never contradicts
    ev = evidence.copy()
    ev.loc[ev["evidence_id"] == "ilo2005-share-cse", "verification"] = "unverified"
    capped = claims.verdict.cap_unverified(shares.check_share_applied_to_stock(ev, editions), "secondary")
    assert capped.verdict == NOT_SUPPORTED and capped.capped and "ilo2005-share-cse" in capped.reason
    reg = register.copy()
    reg.loc[reg["claim_id"] == "un-80-percent", "verification"] = "unverified"
    sub = reg[reg["claim_id"] == "un-80-percent"]
    out = claims.finalise([c], sub)
    assert out[0].verdict == NOT_SUPPORTED and out[0].capped
    table = claims.summary_table(out, sub)
    assert table["claim"].iloc[0].startswith("UNVERIFIED: ")


def test_estimates_definitions(evidence):
    c = shares.check_estimates_definitions(evidence, datasets.load("global-estimates"))
    like = [s for s in c.numbers["steps"] if s["like_for_like"]]
    assert c.numbers["unlike_steps"] == 1 and len(like) == 1
    assert like[0]["rise"] == pytest.approx(49_600_000 - 40_300_000)
    assert like[0]["forced_marriage_rise"] == pytest.approx(22_000_000 - 15_400_000)
    assert (c.verdict, c.on_part) == (PARTIAL, CONSISTENT) and "71% of it forced marriage" in c.reason
    # the claim's figures are the estimates: 'consistent' checks the quotation, and the reason says so
    assert "says only that they are quoted as published" in c.reason and "is not tested" in c.reason
    gems_only = shares.check_estimates_definitions(evidence, datasets.load("global-estimates"),
                                                   sequence=("GEMS 2017", "GEMS 2022"))
    assert gems_only.verdict == CONSISTENT


def test_ncmec_covid_reports():
    c = reports.check_ncmec_covid(datasets.load("ncmec-reports"), datasets.load("ncmec-report-contents"))
    assert c.numbers["event_change_pct"] == pytest.approx(100 * (21751085 / 16987361 - 1))
    assert c.numbers["baseline_min_pct"] == pytest.approx(100 * (16987361 / 18462422 - 1))  # 2019
    assert c.numbers["baseline_max_pct"] == pytest.approx(100 * (4403657 / 1106071 - 1))  # 2015
    assert c.numbers["child_sex_trafficking_first_year"] == 2020
    assert c.verdict == CANNOT_TEST


# ------------------------------------------------------------------ verdict rules

def _synthetic(verdict: str, evidence: dict[str, str] | None = None) -> ClaimCheck:
    # SYNTHETIC result, to test the capping rule alone
    return ClaimCheck("gao-fosta", "fosta-needed", verdict, "Synthetic reason (read: x).", {}, evidence=evidence or {},
                      read=("x",))


def test_cap_only_touches_contradict_resting_on_unverified():
    assert cap_unverified(_synthetic(CONTRADICT, {"a": "secondary"}), "secondary").verdict == CONTRADICT
    assert cap_unverified(_synthetic(CONTRADICT, {"a": "unverified"}), "secondary").verdict == NOT_SUPPORTED
    assert cap_unverified(_synthetic(CONTRADICT), "unverified").verdict == NOT_SUPPORTED
    assert cap_unverified(_synthetic(CONSISTENT), "unverified").verdict == CONSISTENT


def test_unknown_verdict_and_multiline_reason_refused():
    with pytest.raises(ValueError, match="not one of"):
        ClaimCheck("x", "y", "probably true", "Reason.")
    with pytest.raises(ValueError, match="one non-empty line"):
        ClaimCheck("x", "y", CONSISTENT, "two\nlines")


def test_finalise_needs_every_result(register):
    sub = register[register["claim_id"] == "fosta-needed"]
    with pytest.raises(DataError, match="results missing"):
        claims.finalise([], sub)


def test_evidence_lookup_names_the_missing_id(evidence):
    with pytest.raises(DataError, match="no-such-figure"):
        figure(evidence, "no-such-figure")


def test_release_ending_before_the_claim_year_cannot_test(evidence):
    older = datasets.load("glotip", edition="2023-05-30")  # data to 2021; the +25% claim is about 2022
    c = detected.check_fixed_panel_change(older, evidence, test_id="unodc-2019-2022-fixed-panel", claim_id="unodc-2022-rise",
                                          claimed_id="unodc2024-claimed-change", before=2019, after=2022, start=2017, end=2021)
    assert c.verdict == CANNOT_TEST and "end in 2021, before 2022" in c.reason


def test_incident_series_names_the_labels_it_has():
    from critique.datasets.ncmec import incident_series

    with pytest.raises(DataError, match="child sex trafficking"):
        incident_series(datasets.load("ncmec-report-contents"), "kind of exploitation", "no such label")


# ------------------------------------------------------------------ reading rules: each word on both sides of its boundary

@pytest.mark.parametrize("claimed, observed, tol, kind, word", [
    # consistent up to the tolerance, larger just beyond it (a claimed rise)
    (25, (30, 30), 5, "change", CONSISTENT), (25, (30.01, 31), 5, "change", LARGER),
    # consistent down to the tolerance, smaller just below it
    (25, (20, 20), 5, "change", CONSISTENT), (25, (19.99, 19.99), 5, "change", SMALLER),
    # a change in the opposite direction only when the whole interval lies past zero
    (25, (-3, -0.01), 5, "change", CONTRADICT), (25, (-3, 0), 5, "change", SMALLER),
    # a claimed fall is the mirror image
    (-11, (-16, -16), 5, "change", CONSISTENT), (-11, (-16.01, -20), 5, "change", LARGER),
    (-11, (-6, -6), 5, "change", CONSISTENT), (-11, (-5.99, -5.99), 5, "change", SMALLER),
    (-11, (0, 2), 5, "change", SMALLER), (-11, (0.01, 2), 5, "change", CONTRADICT),
    # an interval that straddles the claim is consistent even at tolerance 0
    (25, (24, 26), 0, "change", CONSISTENT), (25, (25.01, 26), 0, "change", LARGER),
    # a level is read on both sides alike
    (80, (43, 75), 5, "level", CONSISTENT), (80, (43, 74.99), 5, "level", CONTRADICT),
    (40, (45, 68), 5, "level", CONSISTENT), (39.99, (45, 68), 5, "level", CONTRADICT),
    # a claimed change of 0 ("no change", or GAO's "no case under earlier laws") has no direction: read as a level
    (0, (-2, 2), 0, "change", CONSISTENT), (0, (0, 0), 0, "level", CONSISTENT),
    (0, (0.01, 2), 0, "change", CONTRADICT), (0, (-2, -0.01), 0, "change", CONTRADICT),
    (0, (10, 10), 0, "level", CONTRADICT),
])
def test_compare_on_both_sides_of_each_boundary(claimed, observed, tol, kind, word):
    assert rules.compare(claimed, observed, tolerance=tol, kind=kind) == word


def test_compare_refuses_bad_arguments():
    with pytest.raises(ParameterError, match="kind"):
        rules.compare(1, (1, 1), kind="trend")
    with pytest.raises(ParameterError, match="tolerance"):
        rules.compare(1, (1, 1), tolerance=-1)
    with pytest.raises(ParameterError, match="finite"):
        rules.compare(1, (float("nan"), 1))


def test_no_count_of_the_same_definition_cannot_test_whatever_the_numbers():
    # the same numbers with and without a count of the same definition
    assert rules.verdict(rules.Basis(True, claimed=25, observed=(-9, -2), tolerance=5)).word == CONTRADICT
    assert rules.verdict(rules.Basis(False, claimed=25, observed=(-9, -2), tolerance=5)).word == CANNOT_TEST
    with pytest.raises(ParameterError, match="claimed and observed"):
        rules.verdict(rules.Basis(True))


def test_part_of_the_scope_keeps_what_the_part_shows():
    full = rules.verdict(rules.Basis(True, claimed=-50, observed=(-35.7, -35.7), tolerance=5))
    part = rules.verdict(rules.Basis(True, claimed=-50, observed=(-35.7, -35.7), tolerance=5, part="Stockholm only"))
    assert (full.word, full.on_part) == (SMALLER, None)
    assert (part.word, part.on_part) == (PARTIAL, SMALLER)
    assert rules.phrase(part) == "tested on part of the claim's scope; on that part, a smaller change than claimed"
    assert rules.phrase(full) == SMALLER
    # what a part at odds with the claim shows is worded so that it cannot be read as "outside the
    # claim's scope" or as a refutation of the whole
    odd = rules.verdict(rules.Basis(True, claimed=0, observed=(10, 10), kind="level", part="criminal cases only"))
    assert rules.phrase(odd) == ("tested on part of the claim's scope; on that part, figures at odds with the claim "
                                 "beyond its tolerance (for that part only)")


def test_cap_only_turns_contradict_on_unverified_inputs():
    assert rules.cap(CONTRADICT, ["x"]) == NOT_SUPPORTED
    assert rules.cap(CONTRADICT, []) == CONTRADICT
    assert rules.cap(SMALLER, ["x"]) == SMALLER


def test_counts_sentence_lists_words_in_vocabulary_order_and_must_add_up():
    counts = {CANNOT_TEST: 2, CONTRADICT: 1, LARGER: 0}
    assert (rules.counts_sentence(counts, n_checks=3, n_claims=2)
            == "Of 3 checks of 2 circulating claims, 1 'the data contradict it', 2 'the data cannot test it'.")
    with pytest.raises(ParameterError, match="add up"):
        rules.counts_sentence(counts, n_checks=4, n_claims=2)
    with pytest.raises(ParameterError, match="not a verdict"):
        rules.counts_sentence({"probably true": 1}, n_checks=1, n_claims=1)


def test_the_unodc_plus_25_is_no_longer_not_supported(glotip, evidence):
    # the 2024 edition's +25% against the fixed panel's larger rise (issue 24): a larger change than
    # claimed, which is not a refutation; recomputed independently in the test above
    n, sums = _independent_panel_sums(glotip, 2017, 2022)
    low = 100 * (sums.at[2022, "value_low"] / sums.at[2019, "value_high"] - 1)
    c = detected.check_fixed_panel_change(glotip, evidence, test_id="unodc-2019-2022-fixed-panel", claim_id="unodc-2022-rise",
                                          claimed_id="unodc2024-claimed-change", before=2019, after=2022, start=2017, end=2022)
    assert low > 25 + 5  # the panel's rise exceeds the claim by more than the tolerance
    assert (c.verdict, c.on_part) == (PARTIAL, LARGER) and NOT_SUPPORTED not in c.shown
    assert c.shown == "tested on part of the claim's scope; on that part, a larger change than claimed"


def test_a_register_row_never_inherits_another_claims_verdict(register, evidence):
    # a new claim naming the GAO check: results are matched by (claim, check), so it is refused
    new = register[register["claim_id"] == "fosta-needed"].assign(claim_id="fosta-worked", claim="FOSTA worked.")
    reg = pd.concat([register[register["claim_id"] == "fosta-needed"], new], ignore_index=True)
    with pytest.raises(DataError, match="claim 'fosta-worked' names test 'gao-fosta', which answers claim 'fosta-needed'"):
        claims.finalise([cited.check_gao_fosta(evidence)], reg)


def test_a_claim_declared_untestable_needs_no_code(register, evidence):
    row = register[register["claim_id"] == "fosta-needed"].assign(
        claim_id="new-untestable", tests=claims.UNTESTABLE, verification="secondary",
        note="No count of people helped by the programme exists.")
    reg = pd.concat([register[register["claim_id"] == "fosta-needed"], row], ignore_index=True)
    out = claims.finalise([cited.check_gao_fosta(evidence)], reg)
    declared = [c for c in out if c.claim_id == "new-untestable"]
    assert len(declared) == 1 and declared[0].verdict == CANNOT_TEST
    assert "No count of people helped by the programme exists" in declared[0].reason
    assert "claims register row new-untestable [secondary]" in declared[0].reason
    with pytest.raises(DataError, match="its note must say why"):
        claims.claim_tests(row.assign(note=None))
    with pytest.raises(DataError, match="only test"):
        claims.claim_tests(row.assign(tests="untestable;gao-fosta"))


def test_a_check_must_name_what_it_read():
    with pytest.raises(ValueError, match="must name the releases"):
        ClaimCheck("x", "y", CONSISTENT, "Reason.")
    with pytest.raises(ValueError, match="does not name 'glotip@2025-04-14'"):
        ClaimCheck("x", "y", CONSISTENT, "Reason.", read=("glotip@2025-04-14",))
    assert ClaimCheck("x", "y", CONSISTENT, "Reason (read: glotip@2025-04-14).", read=("glotip@2025-04-14",))


def test_read_of_names_each_document_once_with_its_weakest_grade(evidence):
    # the GAO figures are cited as "GAO-21-385, ..." and "GAO-21-385 (June 2021), ...": one document
    ids = ["gao-platform-cases", "gao-backpage-cases", "gao-fosta-cases"]
    names = [str(c).split(",")[0] for c in evidence.set_index("evidence_id").loc[ids, "citation"]]
    assert all(n.startswith("GAO-21-385") for n in names)
    worst = evidence.set_index("evidence_id").loc[ids, "verification"]
    expected = "secondary" if "secondary" in set(worst) else "primary"
    assert claims.verdict.read_of(evidence, ids) == (f"GAO-21-385 [{expected}]",)


def test_the_2023_release_panel_ends_before_its_partial_latest_year(evidence):
    # issue 22: briefing-2023 built notebook 60's panel with data year 2021 (55 reporters) inside it.
    # The claims analysis now ends the panel in the release's last complete year, so the Covid checks
    # run on the countries reporting every year 2017-2020, recounted here in plain pandas.
    from critique.methods import coverage

    old = datasets.load("glotip@2023-05-30")
    end = coverage.panel_end(old, 0)
    assert end == 2020
    n, _ = _independent_panel_sums(old, 2017, 2020)
    n_with_2021, _ = _independent_panel_sums(old, 2017, 2021)
    assert n_with_2021 < n  # the partial year would have shrunk the panel
    c = detected.check_covid_fixed_panel(old, before=2019, after=2020, start=2017, end=end)
    assert c.numbers["panel_countries"] == n
