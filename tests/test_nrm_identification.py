"""critique.methods.identification (issue 23): methods against hand computations, reading rules on both sides."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from critique.core.errors import ParameterError
from critique.methods.identification import composition, decisions, nationality, referrals, sentences


def _q(text: str) -> pd.Period:
    return pd.Period(text, freq="Q-DEC")


def _referrals(values: dict[str, int]) -> pd.DataFrame:
    rows = []
    for q, n in values.items():
        rows += [{"quarter": _q(q), "age": "adult", "location": "uk", "potential_victims": n - n // 3},
                 {"quarter": _q(q), "age": "child", "location": "overseas", "potential_victims": n // 3}]
    return pd.DataFrame(rows)


def test_change_between_quarters_is_hand_computed():
    quarterly = referrals.quarterly_totals(_referrals({"2013Q4": 558, "2020Q1": 2857, "2020Q2": 2198}))
    assert quarterly["potential_victims"].tolist() == [558, 2857, 2198]
    assert quarterly["reliable"].tolist() == [False, True, True]  # the Home Office's cut: 2014
    c = referrals.change(quarterly, "2020Q1", "2020Q2")
    assert (c.n_before, c.n_after) == (2857, 2198)
    assert c.pct == pytest.approx(100 * (2198 - 2857) / 2857)  # -23.07%
    with pytest.raises(ParameterError, match="after='2021Q1': no such quarter"):
        referrals.change(quarterly, "2020Q1", "2021Q1")
    with pytest.raises(ParameterError, match="before='Q9': expected a quarter"):
        referrals.change(quarterly, "Q9", "2020Q2")


def test_change_sentence_says_what_the_counts_show_and_not_why():
    fell = sentences.change_sentence(referrals.Change(_q("2020Q1"), _q("2020Q2"), 2857, 2198), "lockdown")
    assert fell.startswith("Referrals of potential victims fell by 23% from 2,857 in 2020 Q1 to 2,198 in 2020 Q2, lockdown.")
    assert "The counts show that fewer referrals were made, not why" in fell
    assert "cannot tell these apart" in fell and "met fewer people" not in fell
    rose = sentences.change_sentence(referrals.Change(_q("2021Q1"), _q("2021Q2"), 100, 150), "")
    assert rose.startswith("Referrals of potential victims rose by 50% from 100 in 2021 Q1 to 150 in 2021 Q2.")
    assert "that more referrals were made, not why" in rose
    flat = sentences.change_sentence(referrals.Change(_q("2021Q1"), _q("2021Q2"), 100, 100), "")
    assert "did not change from 100" in flat and "does not show that exploitation was unchanged" in flat


PUBLISHED = pd.DataFrame({
    "period": ["2023Q1", "2023Q1", "2023Q2", "2023", "2023"],
    "period_type": ["quarter", "quarter", "quarter", "year", "year"],
    "potential_victims": [4746, 4739, 3998, 17004, 16990],
    "release_date": pd.to_datetime(["2023-05-04", "2023-08-10", "2023-08-10", "2024-03-07", "2025-03-06"]),
    "first_publication": [True, False, True, True, False],
    "citation": ["c"] * 5, "source_url": ["u"] * 5, "verification": ["primary"] * 5,
})


def test_restatements_line_up_published_figures_with_the_recounts():
    first = pd.DataFrame({"quarter": [_q("2023Q1"), _q("2023Q2")], "potential_victims": [4746, 3998]})
    quarterly = pd.DataFrame({"quarter": [_q("2023Q1"), _q("2023Q2")], "potential_victims": [4738, 3993]})
    table = referrals.restatements(PUBLISHED, quarterly, first)
    assert table["published"].tolist() == [4746, 4739, 3998]
    assert table["first_release_tables"].tolist() == [4746, 4746, 3998]
    assert table["release_2024_03_07"].tolist() == [4738, 4738, 3993]
    text = sentences.quarterly_restatement_sentence(table)
    assert text == ("For 2 of the 2 quarters 2023 Q1-2023 Q2, the four first-responder tables of the quarter's first "
                    "release add up to the total that release first published; later releases printed 1 restated "
                    "figures for these quarters, from -7 to -7 referrals against the first.")
    short = table.assign(first_release_tables=[4745, 4745, 3998])
    assert "(in the others they differ by -1)" in sentences.quarterly_restatement_sentence(short)
    annual = referrals.annual_restatement(PUBLISHED, 2023)
    assert annual["potential_victims"].tolist() == [17004, 16990]
    assert sentences.restatement_sentence(annual, 2023).startswith(
        "The 2023 total was published as 17,004 referrals of potential victims (7 March 2024) and as 16,990 in the release of "
        "6 March 2025 (14 fewer)")
    with pytest.raises(Exception, match="1 published total.*2022"):
        referrals.annual_restatement(PUBLISHED.assign(period=["a", "b", "c", "2022", "x"]), 2022)


def _decisions(rows):
    return pd.DataFrame([{"quarter": _q(q), "age": a, "outcome": o, "decisions": n} for q, a, o, n in rows])


def test_positive_shares_by_year_and_age_are_hand_computed():
    d = _decisions([("2022Q1", "adult", "positive", 90), ("2022Q1", "adult", "negative", 10),
                    ("2022Q2", "adult", "positive", 80), ("2022Q2", "adult", "negative", 20),
                    ("2022Q1", "child", "positive", 9), ("2022Q1", "child", "negative", 1),
                    ("2023Q1", "adult", "positive", 41), ("2023Q1", "adult", "negative", 59),
                    ("2023Q1", "child", "positive", 0), ("2023Q1", "child", "negative", 0)])
    s = decisions.positive_shares(d, by="year")
    adult = s[s["age"].eq("adult")].set_index("period")
    assert float(adult.loc[2022, "positive_share"]) == pytest.approx(170 / 200)
    assert float(adult.loc[2023, "positive_share"]) == pytest.approx(0.41)
    every = s[s["age"].eq("all")].set_index("period")
    assert int(every.loc[2022, "decisions"]) == 210 and float(every.loc[2022, "positive_share"]) == pytest.approx(179 / 210)
    child = s[s["age"].eq("child")].set_index("period")
    assert pd.isna(child.loc[2023, "positive_share"])  # no decisions: missing, never 0
    assert decisions.share_range(s, "adult", 2022, 2022) == pytest.approx((0.85, 0.85))
    with pytest.raises(ParameterError, match="no child decisions in year"):
        decisions.share_range(s, "child", 2022, 2023)
    q = decisions.positive_shares(d, by="quarter")
    assert float(q[(q["age"] == "adult") & (q["period"] == _q("2022Q2"))]["positive_share"].iloc[0]) == pytest.approx(0.8)
    with pytest.raises(ParameterError, match="by='month'"):
        decisions.positive_shares(d, by="month")


HOME_OFFICE = ("the proportion of positive reasonable grounds decisions has decreased from the previous quarter; this is "
               "likely to be a result of the change in the test for reasonable grounds decisions")


def test_decisions_sentence_on_both_sides_of_the_earlier_range():
    below = sentences.decisions_sentence((0.83, 0.91), 2014, 2022, 0.41, 2023, 0.90, 0.74, publisher_quote=HOME_OFFICE)
    assert below.startswith("Adults' positive share of reasonable-grounds decisions was between 83% and 91% every year "
                            "2014-2022 and 41% in 2023 (below every earlier year)")
    assert "children's fell from 90% in 2022 to 74%" in below
    # the Home Office's own "likely", quoted whole, and what the counts cannot do; never "the test's effect"
    assert f'The Home Office wrote of the quarter in which the test changed: "{HOME_OFFICE}"' in below
    assert "cannot separate the test from changes in whose cases were decided" in below
    assert "do not measure how many people were exploited" in below and "effect" not in below
    bare = sentences.decisions_sentence((0.83, 0.91), 2014, 2022, 0.41, 2023, 0.90, 0.74)
    assert "The fall coincides with the new test; these counts cannot separate" in bare and "Home Office" not in bare
    within = sentences.decisions_sentence((0.83, 0.91), 2014, 2022, 0.88, 2023, 0.70, 0.74, publisher_quote=HOME_OFFICE)
    assert "(within the range of earlier years)" in within and "children's rose from 70%" in within
    assert "no fall to attribute to the test" in within and "Home Office" not in within  # the quote is about a fall
    above = sentences.decisions_sentence((0.5, 0.6), 2014, 2022, 0.7, 2023, 0.5, 0.5)
    assert "(above every earlier year)" in above and "The share is above every earlier year" in above
    # the boundary: equal to the lowest earlier year is within the range, not a fall
    assert sentences.decisions_reading(0.83, (0.83, 0.91), HOME_OFFICE).startswith("the share is within the range")
    assert sentences.decisions_reading(0.8299, (0.83, 0.91), HOME_OFFICE).startswith("the Home Office wrote")


def _detail(counts):
    """counts: {(quarter, type): (sexual, sexual_and_labour, labour, unknown)} -> detail rows."""
    rows = []
    for (q, t), values in counts.items():
        for label, n in zip(("Sexual", "Sexual & Labour", "Labour", "Not specified or unknown"), values):
            if n:
                rows.append({"quarter": _q(q), "responder_type": t, "responder": "x", "exploitation": label,
                             "age": "adult", "gender": "female", "nationality": "UK", "potential_victims": n})
    return pd.DataFrame(rows)


def _wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_any_sexual_counts_combined_labels_once_with_wilson_intervals():
    detail = _detail({("2023Q1", "police"): (5, 5, 80, 10), ("2023Q1", "ngo"): (20, 5, 70, 5)})
    s = composition.form_shares(detail).set_index(["quarter", "responder_type"])
    police = s.loc[(_q("2023Q1"), "police")]
    assert (police["with_form"], police["potential_victims"]) == (10, 100)
    assert (police["low"], police["high"]) == pytest.approx(_wilson(10, 100))
    every = s.loc[(_q("2023Q1"), "all")]
    assert (every["with_form"], every["potential_victims"]) == (35, 200)
    labour = composition.form_shares(detail, form="Labour").set_index(["quarter", "responder_type"])
    assert labour.loc[(_q("2023Q1"), "ngo"), "with_form"] == 75  # "Sexual & Labour" counts for labour too
    with pytest.raises(ParameterError, match="age='elderly'"):
        composition.form_shares(detail, age="elderly")


def test_pooled_comparison_matches_the_mantel_haenszel_formula():
    counts = {("2023Q1", "police"): (5, 5, 80, 10), ("2023Q1", "ngo"): (20, 5, 70, 5),
              ("2023Q2", "police"): (8, 4, 100, 8), ("2023Q2", "ngo"): (15, 10, 60, 15)}
    c = composition.compare(composition.form_shares(_detail(counts)), "police", "ngo")
    # strata (a = ngo with, b = ngo without, c = police with, d = police without)
    strata = [(25, 75, 10, 90), (25, 75, 12, 108)]
    mh = sum(a * d / (a + b + cc + d) for a, b, cc, d in strata) / sum(b * cc / (a + b + cc + d) for a, b, cc, d in strata)
    assert c.pooled_odds_ratio == pytest.approx(mh)
    assert c.per_quarter["odds_ratio"].tolist() == pytest.approx([25 * 90 / (75 * 10), 25 * 108 / (75 * 12)])
    assert c.per_quarter["difference_pp"].tolist() == pytest.approx([15.0, 100 * (25 / 100 - 12 / 120)])
    assert c.same_direction == 2 and c.cmh_p_value < 0.05
    with pytest.raises(ParameterError, match="'army'"):
        composition.compare(composition.form_shares(_detail(counts)), "army", "ngo")


def test_composition_sentence_follows_the_reading_the_test_and_the_direction():
    shares = composition.form_shares(_detail({("2023Q1", "police"): (5, 5, 80, 10), ("2023Q1", "ngo"): (20, 5, 70, 5),
                                              ("2023Q2", "police"): (8, 4, 100, 8), ("2023Q2", "ngo"): (15, 10, 60, 15)}))
    c = composition.compare(shares, "police", "ngo")
    text = sentences.composition_sentence(c)
    assert text.startswith("In every one of the 2 quarters 2023 Q1-2023 Q2, a larger share of NGOs' referrals than of "
                           "police forces' involved any sexual exploitation (NGOs 25% of their referrals, police forces 10%).")
    # the interval and the test are read as variation of the referral process, never as sampling error
    assert "read as chance variation of a referral process" in text and "not as sampling error" in text
    assert "these are all the referrals, not a sample" in text and f"interval {c.pooled_low:.2f}-{c.pooled_high:.2f}" in text
    assert "does not say which mix is nearer the truth" in text
    plain = sentences.composition_sentence(c, reading="descriptive")
    assert plain.startswith("In every one of the 2 quarters 2023 Q1-2023 Q2, a larger share of NGOs' referrals")
    assert f"odds ratio is {c.pooled_odds_ratio:.2f}: a description of all the referrals" in plain
    assert "interval" not in plain.replace("without an interval", "") and "Cochran" not in plain
    with pytest.raises(ParameterError, match="reading='sample'"):
        sentences.composition_sentence(c, reading="sample")
    assert sentences.odds_ratio_phrase(c, "process").endswith("not sampling error: these are all the referrals, not a sample")
    assert "interval" in sentences.odds_ratio_phrase(c, "process")
    assert sentences.odds_ratio_phrase(c, "descriptive").endswith("no interval is given, since they are not a sample")
    same = composition.form_shares(_detail({("2023Q1", "police"): (10, 0, 90, 0), ("2023Q1", "ngo"): (11, 0, 89, 0)}))
    flat = sentences.composition_sentence(composition.compare(same, "police", "ngo"))
    assert "differed between NGOs and police forces by no more than chance variation of the referral process" in flat
    # read descriptively, the same small difference is described, not tested
    assert sentences.composition_sentence(composition.compare(same, "police", "ngo"), reading="descriptive").startswith(
        "In the one quarter 2023 Q1, a larger share of NGOs' referrals")
    mixed = composition.form_shares(_detail({("2023Q1", "police"): (10, 0, 90, 0), ("2023Q1", "ngo"): (40, 0, 60, 0),
                                             ("2023Q2", "police"): (12, 0, 88, 0), ("2023Q2", "ngo"): (10, 0, 90, 0)}))
    assert sentences.composition_sentence(composition.compare(mixed, "police", "ngo")).startswith("In 1 of the 2 quarters")
    assert sentences.interval_caption("process", 0.9).startswith("with 90% Wilson intervals read as chance variation")
    assert sentences.interval_caption("descriptive", 0.9).startswith("without intervals")


def test_nationality_table_suppresses_small_cells_and_pools_the_rest():
    rows = [("UK", "police", 50), ("UK", "ngo", 3), ("UK", "government", 20), ("Albanian", "police", 30),
            ("Albanian", "ngo", 12), ("Albanian", "government", 40), ("Kosovan", "police", 4), ("Kosovan", "ngo", 2)]
    fr = pd.DataFrame([{"quarter": _q("2023Q1"), "responder_type": t, "nationality": n, "potential_victims": v}
                       for n, t, v in rows])
    table = nationality.nationality_table(fr, threshold=10, top=1)
    assert list(dict.fromkeys(table["nationality"])) == ["Albanian", nationality.OTHER]
    other = table[table["nationality"].eq(nationality.OTHER)].set_index("responder_type")
    # UK (73) pooled with Kosovan (6): police 54, ngo 5 (suppressed), government 20 (second cell blanked)
    assert int(other["nationality_total"].iloc[0]) == 79
    assert other["potential_victims_suppressed"].to_dict() == {"government": True, "ngo": True, "police": False}
    assert int(other.loc["police", "potential_victims"]) == 54
    shown = table["potential_victims"].dropna()
    assert (shown >= 10).all()
    assert table.attrs["suppressed_cells"] == 2
    with pytest.raises(ParameterError, match="threshold=0"):
        nationality.nationality_table(fr, threshold=0)


def test_result_records_each_finding_with_its_note():
    from dataclasses import fields

    from critique.methods.identification import IdentificationResult

    blank = {f.name: None for f in fields(IdentificationResult) if f.name not in {"reading", "publisher", "sentences", "findings"}}
    res = IdentificationResult(**blank, findings={"a": (1, "note a"), "b": ([2, 3], "note b")})
    got = []
    res.record(lambda k, v, n=None: got.append((k, v, n)))
    assert got == [("a", 1, "note a"), ("b", [2, 3], "note b")]
