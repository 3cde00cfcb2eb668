"""critique.methods.tip.enforcement against hand-computed values from the published TIP law-enforcement table."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from critique import datasets
from critique.methods.tip import enforcement


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return datasets.load("tip-law-enforcement")


def test_ratios_hand_computed(table):
    r = enforcement.ratios(table)
    assert r.loc[2003, "convictions_per_prosecution"] == pytest.approx(2815 / 7992)  # 0.3522
    assert r.loc[2003, "convictions_per_prosecution_verification"] == "primary"
    assert r.loc[2009, "convictions_per_victim"] == pytest.approx(4166 / 49105)  # 0.0848
    assert r.loc[2023, "prosecutions_per_victim"] == pytest.approx(18774 / 133943)  # 0.1402
    # 2008 holds only unverified figures: missing by default, never interpolated
    assert np.isnan(r.loc[2008, "convictions_per_prosecution"])
    assert r.loc[2008, "convictions_per_prosecution_verification"] == "missing"
    with_u = enforcement.ratios(table, include_unverified=True)
    assert with_u.loc[2008, "convictions_per_prosecution"] == pytest.approx(2983 / 5212)
    assert with_u.loc[2008, "convictions_per_prosecution_verification"] == "unverified"


def test_series_keeps_gaps_and_every_year(table):
    s = enforcement.series(table, ["prosecutions"], (2003, 2023))
    assert list(s.index) == list(range(2003, 2024))
    assert s["prosecutions"].isna().sum() == 5  # 2008, 2010, 2011, 2014, 2015
    assert s.loc[2015, "prosecutions_verification"] == "missing"
    with pytest.raises(ValueError, match="unknown measure"):
        enforcement.series(table, ["arrests"])


def test_labour_shares_hand_computed(table):
    ls = enforcement.labour_shares(table)
    assert ls.loc[2007, "prosecutions_labour_share"] == pytest.approx(490 / 5682)  # 0.0862
    assert ls.loc[2023, "victims_identified_labour_share"] == pytest.approx(42098 / 133943)  # 0.3143
    assert np.isnan(ls.loc[2006, "prosecutions_labour_share"])  # no breakout before data year 2007


def test_yoy_flags_hand_computed(table):
    f = enforcement.yoy_flags(table, threshold=0.25).set_index(["measure", "data_year"])
    # prosecutions 2017 -> 2018: 11096 / 17471 - 1 = -0.3649 -> flagged at 25%
    assert f.loc[("prosecutions", 2018), "change"] == pytest.approx(11096 / 17471 - 1)
    assert f.loc[("prosecutions", 2018), "flagged"]
    # 2018 -> 2019: 11841 / 11096 - 1 = +0.0671 -> not flagged
    assert not f.loc[("prosecutions", 2019), "flagged"]
    # convictions 2015 (6,609, secondary) -> 2016 (9,071): +37.25%
    assert f.loc[("convictions", 2016), "change"] == pytest.approx(9071 / 6609 - 1)
    # no change across a gap: 2008 prosecutions are unverified, so 2009 has no comparison
    assert np.isnan(f.loc[("prosecutions", 2009), "change"]) and "gap" in f.loc[("prosecutions", 2009), "note"]
    # the 2005 note is about prosecutions: attached there, not to the +44.8% in convictions
    assert "India" in f.loc[("prosecutions", 2005), "explanation"]
    assert f.loc[("convictions", 2005), "flagged"] and pd.isna(f.loc[("convictions", 2005), "explanation"])
    assert f.loc[("convictions", 2005), "change"] == pytest.approx(4379 / 3025 - 1)
    strict = enforcement.yoy_flags(table, threshold=0.5)
    assert strict["flagged"].sum() == 0  # the largest verified change is -47.5% (convictions 2020)
    with pytest.raises(ValueError, match="threshold"):
        enforcement.yoy_flags(table, threshold=25)


def test_funnel_hand_computed(table):
    fun = enforcement.funnel(table, 2021, 27_600_000, "forced labour").set_index("stage")
    assert fun.loc["victims identified", "share_of_estimate"] == pytest.approx(90354 / 27.6e6)  # 0.33%
    assert fun.loc["convictions", "share_of_previous"] == pytest.approx(5260 / 10572)
    assert fun.loc["prosecutions", "verification"] == "secondary"
    gap = enforcement.funnel(table, 2014, 27_600_000, "forced labour").set_index("stage")
    assert gap["value"].iloc[1:].isna().all()  # 2014 holds only unverified figures


def test_cells_refuses_a_figure_given_twice():
    t = pd.DataFrame({"data_year": [2015, 2015], "report_edition": [2016, 2016],
                      "prosecutions": [100, 101], "verification": ["secondary", "unverified"],
                      "citation": ["a", "b"], "source_url": ["u", None]})
    with pytest.raises(ValueError, match="two rows"):
        enforcement.cells(t)


def test_weakest_status():
    assert enforcement.weakest(["primary", "secondary"]) == "secondary"
    assert enforcement.weakest(["primary", "unverified"]) == "unverified"


# ---------------------------------------------------------------------------- jump notes, stated changes

def _le_row(year: int, **cells) -> dict:
    row = {"data_year": year, "report_edition": year + 1, "prosecutions": None, "convictions": None,
           "victims_identified": None, "jump_note": None, "jump_measures": None,
           "jump_note_citation": None, "verification": "primary", "citation": "c", "source_url": "u"}
    row.update(cells)
    return row


def test_jump_note_goes_only_to_the_listed_measures():
    # the note's text names convictions, but jump_measures says prosecutions: the structured column
    # decides, not the wording (the old keyword matching would have attached it to convictions)
    t = pd.DataFrame([_le_row(2010, prosecutions=100, convictions=100, victims_identified=100),
                      _le_row(2011, prosecutions=200, convictions=200, victims_identified=200,
                              jump_note="convictions table changed", jump_measures="prosecutions; victims_identified",
                              jump_note_citation="cit")])
    f = enforcement.yoy_flags(t, threshold=0.25).set_index(["measure", "data_year"])
    # 200 / 100 - 1 = +100% for all three measures, all flagged
    assert f.loc[("prosecutions", 2011), "change"] == pytest.approx(1.0)
    assert f.loc[("prosecutions", 2011), "explanation"] == "convictions table changed"
    assert f.loc[("victims_identified", 2011), "explanation_citation"] == "cit"
    assert pd.isna(f.loc[("convictions", 2011), "explanation"])
    assert f.loc[("convictions", 2011), "flagged"]


@pytest.mark.parametrize("note, listed, message", [
    ("a note", None, "empty jump_measures"),
    (None, "prosecutions", "no jump_note"),
    ("a note", "prosecutions;arrests", r"\['arrests'\] are not measures"),
])
def test_jump_measures_errors_name_the_year(note, listed, message):
    t = pd.DataFrame([_le_row(2010, prosecutions=1),
                      _le_row(2011, prosecutions=2, jump_note=note, jump_measures=listed)])
    with pytest.raises(ValueError, match=f"data year 2011.*{message}"):
        enforcement.yoy_flags(t)


def test_jump_notes_in_the_published_table(table):
    j = enforcement.jump_notes(table).set_index(["data_year", "measure"])
    # 2005 (India's missing data, TIP 2006) and 2015 (better data sharing, Human Rights First):
    # both are about prosecutions only
    assert list(j.index) == [(2005, "prosecutions"), (2015, "prosecutions")]
    assert "data sharing" in j.loc[(2015, "prosecutions"), "explanation"]
    # 2015 prosecutions are only in the unverified row: the note shows up only when they are shown
    f = enforcement.yoy_flags(table, include_unverified=True).set_index(["measure", "data_year"])
    assert f.loc[("prosecutions", 2015), "change"] == pytest.approx(19127 / 10051 - 1)  # +90.3%
    assert f.loc[("prosecutions", 2015), "verification"] == "unverified"
    assert "data sharing" in f.loc[("prosecutions", 2015), "explanation"]
    assert pd.isna(f.loc[("convictions", 2015), "explanation"])


@pytest.fixture(scope="module")
def changes() -> pd.DataFrame:
    return datasets.load("tip-law-enforcement-changes")


def test_stated_changes_2015(changes):
    st = enforcement.stated_changes(changes).set_index(["measure", "data_year"])
    # Human Rights First on TIP 2016: prosecutions +88%, convictions +49%, victims identified +75%
    # in 2015 over 2014
    assert st.loc[("prosecutions", 2015), "stated_change"] == pytest.approx(0.88)
    assert st.loc[("convictions", 2015), "change_pct"] == pytest.approx(49)
    assert st.loc[("victims_identified", 2015), "stated_change"] == pytest.approx(0.75)
    assert set(st["compared_with_year"]) == {2014}
    assert set(st["verification"]) == {"secondary"}  # a summary of the report, not the report
    assert len(enforcement.stated_changes(changes, ["convictions"])) == 1
    assert enforcement.stated_changes(changes, years=(2016, 2023)).empty
    with pytest.raises(ValueError, match="unknown measure"):
        enforcement.stated_changes(changes, ["arrests"])
    bad = changes.copy()
    bad.loc[0, "compared_with_year"] = 2016
    with pytest.raises(ValueError, match="compared_with_year must be before data_year"):
        enforcement.stated_changes(bad)


def test_flags_with_stated_keeps_computed_and_stated_apart(table, changes):
    f = enforcement.yoy_flags(table, threshold=0.25)
    w = enforcement.flags_with_stated(f, enforcement.stated_changes(changes))
    # 11 computed flags at 25% (convictions 2005 2006 2016 2019 2020 2023, prosecutions 2018 2022,
    # victims 2017 2019 2022) + 3 stated changes for 2015, where no verified levels exist
    assert len(w) == 14 and (w["basis"] == "stated").sum() == 3
    w = w.set_index(["measure", "data_year"])
    s = w.loc[("prosecutions", 2015)]
    assert s["basis"] == "stated" and np.isnan(s["change"]) and s["verification"] == "missing"
    assert s["stated_change"] == pytest.approx(0.88) and s["stated_compared_with_year"] == 2014
    assert s["stated_verification"] == "secondary"
    c = w.loc[("prosecutions", 2018)]
    assert c["basis"] == "computed" and c["change"] == pytest.approx(11096 / 17471 - 1)
    assert pd.isna(c["stated_change"])


# ---------------------------------------------------------------------------------------------
# notebook 30's analysis object (issue 25): status rules and sentences on both sides
# ---------------------------------------------------------------------------------------------
from critique.core.errors import ParameterError  # noqa: E402
from critique.methods.tip.enforcement import analysis as enf_analysis  # noqa: E402


def test_estimate_label_names_the_estimate_in_words():
    assert enf_analysis.estimate_label("GEMS 2022", "forced_labour_total") == \
        "the GEMS 2022 estimate of people in forced labour"
    assert "forced marriage" in enf_analysis.estimate_label("GEMS 2017", "total_modern_slavery")
    with pytest.raises(ParameterError, match="estimate_measure"):
        enf_analysis.estimate_label("GEMS 2022", "forced_labour")


def test_flag_label_marks_a_change_that_uses_a_filled_figure():
    assert enf_analysis.flag_label("prosecutions", 2018, -0.365, False) == "prosecutions 2018 -36%"
    assert enf_analysis.flag_label("prosecutions", 2015, 0.883, True) == \
        "prosecutions 2015 +88% (uses a figure filled from Kelley & Heiss)"


def test_latest_labour_share_leaves_out_a_measure_without_any_share():
    idx = pd.Index([2021, 2022, 2023], name="data_year")
    L = pd.DataFrame({"prosecutions_labour_share": [0.1, 0.2, np.nan],
                      "convictions_labour_share": [np.nan, np.nan, np.nan]}, index=idx)
    out = enf_analysis.latest_labour_shares(L, ["prosecutions", "convictions"])
    assert out == {"prosecutions": {"year": 2022, "share": 0.2}}  # the last year with a share, never a zero


def test_fill_sentence_on_both_sides():
    assert "typed table alone" in enf_analysis.fill_sentence(False)
    s = enf_analysis.fill_sentence(True, 14, 17, 1)
    assert s.startswith("14 figures filled") and s.endswith("of the 17 figures both tabulations give, 1 differs.")
    assert enf_analysis.fill_sentence(True, 1, 17, 2).startswith("1 figure filled") and "2 differ." in \
        enf_analysis.fill_sentence(True, 1, 17, 2)


@pytest.fixture(scope="module")
def enforcement_inputs(table):
    return (table, datasets.load("tip-law-enforcement-kh"), datasets.load("tip-law-enforcement-changes"),
            datasets.load("global-estimates"))


def test_analyse_records_kelley_heiss_keys_only_when_filling(enforcement_inputs):
    typed, kh, changes, ge = enforcement_inputs
    filled = {k: v for k, v, _ in enf_analysis.analyse(typed, kh, changes, ge, year_start=2012).findings()}
    alone = {k: v for k, v, _ in enf_analysis.analyse(typed, None, changes, ge, year_start=2012,
                                                      fill_from_kh=False).findings()}
    assert {"filled_figures_n", "kh_compared", "kh_differ", "kh_disagreements"} <= set(filled)
    assert not {"filled_figures_n", "kh_compared", "kh_differ", "kh_disagreements"} & set(alone)
    # the typed table has no verified 2014 and 2015 prosecutions; Kelley & Heiss fill both
    assert alone["years_missing"]["prosecutions"] == [2014, 2015] and filled["years_filled"]["prosecutions"] == [2014, 2015]
    # 90,354 identified in 2021 / 27.6 million (GEMS 2022 forced labour)
    assert filled["funnel_identified_share_of_estimate"] == pytest.approx(90354 / 27.6e6, rel=1e-3)
    assert filled["funnel_estimate_label"] == "the GEMS 2022 estimate of people in forced labour"


def test_analyse_leaves_ratio_keys_out_when_no_year_has_a_ratio(enforcement_inputs):
    typed, kh, changes, ge = enforcement_inputs
    # data year 2008 holds only unverified figures in the typed table: no ratio, so no ratio key
    keys = [k for k, _, _ in enf_analysis.analyse(typed, None, changes, ge, year_start=2008, year_end=2008,
                                                  fill_from_kh=False, funnel_year=2021).findings()]
    assert not [k for k in keys if k.startswith("convictions_per_prosecution")]
    keys = [k for k, _, _ in enf_analysis.analyse(typed, None, changes, ge, year_start=2007, year_end=2009,
                                                  fill_from_kh=False).findings()]
    assert "convictions_per_prosecution_median" in keys


@pytest.mark.parametrize("kwargs, name", [({"year_start": 2020, "year_end": 2019}, "year_end"),
                                          ({"estimate_edition": "GEMS 1999"}, "estimate_edition")])
def test_analyse_refuses_bad_parameters_naming_them(enforcement_inputs, kwargs, name):
    typed, kh, changes, ge = enforcement_inputs
    with pytest.raises(ParameterError, match=name):
        enf_analysis.analyse(typed, kh, changes, ge, **kwargs)


def test_funnel_source_text_names_the_report_edition_or_kelley_heiss():
    import pandas as pd

    from critique.methods.tip.enforcement.analysis import funnel_source_text

    typed = pd.DataFrame({"data_year": [2021, 2014, 2015], "report_edition": [2024, 2015, 2016],
                          "verification": ["secondary", "unverified", "primary"]})
    assert funnel_source_text(typed, 2021) == "the 2024 report's table, read in a copy"
    assert funnel_source_text(typed, 2015) == "the 2016 report's table, read in the report"
    assert funnel_source_text(typed, 2014).startswith("Kelley & Heiss")  # unverified rows are not used
    assert funnel_source_text(typed, 2014, include_unverified=True) == "the 2015 report's table, unverified"
    assert funnel_source_text(typed, 2010).startswith("Kelley & Heiss")
