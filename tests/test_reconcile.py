"""critique.methods.reconcile: the classification rules on both sides of each boundary (hand computations),
the recounts on a hand-made frame, the FBI file against its annual tables (recounted here from the
raw CSV with the csv module), and the whole ledger run on the mirror's releases, with the Pakistan
figures recounted independently in the test with plain pandas."""
from __future__ import annotations

import csv
import math
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from critique import datasets
from critique.methods import reconcile
from critique.datasets import catalog
from critique.core.errors import DataError
from critique.methods.reconcile import classify as cl
from critique.methods.reconcile import fbi, reading, recount
from critique.methods.reconcile.recount import Recount

R25, R23 = "glotip@2025-04-14", "glotip@2023-05-30"


def rc(lo: float, hi: float | None = None, **kw) -> Recount:
    return Recount(lo, lo if hi is None else hi, 1, **kw)


# ------------------------------------------------------------------ intervals and rules


@pytest.mark.parametrize("value, precision, qualifier, expected", [
    (42, 1, "exact", (41.5, 42.5)),
    (50000, 10000, "about", (45000, 55000)),
    (47000, 1000, "just under", (46000, 47000)),
    (223000, 1000, "more than", (223000, 224000)),
    (32e6, 1e6, "at least", (32e6, 33e6)),
])
def test_printed_interval(value, precision, qualifier, expected):
    assert cl.interval(value, precision, qualifier) == expected


def test_interval_refuses_unknown_qualifier_and_bad_precision():
    with pytest.raises(DataError, match="qualifier 'roughly'"):
        cl.interval(1, 1, "roughly")
    with pytest.raises(DataError, match="precision"):
        cl.interval(1, 0, "exact")


def _classify(recount_, **kw):
    base = dict(bounds=cl.interval(42, 1, "exact"), unit="percent", recount=recount_, recount_label="r")
    base.update(kw)
    return cl.classify(**base)


def test_equal_on_both_sides_of_the_rounding_boundary():
    assert _classify(rc(42.5)).verdict == cl.EQUAL
    assert _classify(rc(42.6)).verdict == cl.UNEXPLAINED
    assert _classify(rc(40.0, 41.5)).verdict == cl.EQUAL  # bounds from '<5' cells meet the interval
    assert _classify(rc(40.0, 41.4)).verdict == cl.UNEXPLAINED


def test_gap_is_signed_and_zero_inside():
    assert cl.gap((41.5, 42.5), 45.0, 46.0) == pytest.approx(2.5)
    assert cl.gap((41.5, 42.5), 30.0, 40.0) == pytest.approx(-1.5)
    assert cl.gap((41.5, 42.5), 42.0, 50.0) == 0


def test_revised_when_another_edition_prints_another_figure():
    v = cl.classify(bounds=cl.interval(6178, 1, "exact"), unit="count", recount=rc(6618, edition=2006),
                    recount_label="tip", edition=2008)
    assert v.verdict == cl.REVISED
    same = cl.classify(bounds=cl.interval(14894, 1, "exact"), unit="count", recount=rc(14897, edition=2017),
                       recount_label="tip", edition=2017)
    assert same.verdict == cl.UNEXPLAINED


def test_revised_when_the_other_release_meets_the_interval():
    assert _classify(rc(30), other=rc(42.2), other_label="old").verdict == cl.REVISED
    assert _classify(rc(30), other=rc(43.0), other_label="old").verdict == cl.UNEXPLAINED


def test_definition_when_the_publishers_definition_meets_the_interval():
    assert _classify(rc(30), alt=rc(41.6), alt_label="pool_from=2020").verdict == cl.DEFINITION
    assert _classify(rc(30), alt=rc(41.4), alt_label="pool_from=2020").verdict == cl.UNEXPLAINED


def test_one_country_needs_both_the_share_and_half_the_gap():
    # printed 42% (41.5-42.5); recount 26.5: gap -15.0; without X 34.0: gap -7.5, exactly half closed
    kw = dict(mover="X", without=rc(34.0))
    assert _classify(rc(26.5), mover_share=0.20, **kw).verdict == cl.ONE_COUNTRY
    assert _classify(rc(26.5), mover_share=0.19, **kw).verdict == cl.UNEXPLAINED
    assert _classify(rc(26.5), mover_share=0.5, mover="X", without=rc(33.9)).verdict == cl.UNEXPLAINED
    # an overshoot past the interval counts as closing only what is left
    assert _classify(rc(26.5), mover_share=0.5, mover="X", without=rc(57.0)).verdict == cl.UNEXPLAINED


def test_thresholds_are_parameters_and_checked():
    kw = dict(mover="X", without=rc(34.0), mover_share=0.1)
    assert _classify(rc(26.5), min_share=0.1, **kw).verdict == cl.ONE_COUNTRY
    with pytest.raises(DataError, match="min_closed"):
        _classify(rc(26.5), min_closed=0, **kw)


def test_agreement_across_definitions_is_marked_and_not_a_reproduction():
    v = _classify(rc(42.2), declared="registered vs detected")
    assert (v.verdict, v.across_definitions) == (cl.EQUAL, True) and "not a reproduction" in v.reason
    plain = _classify(rc(42.2))
    assert (plain.verdict, plain.across_definitions) == (cl.EQUAL, False) and "across" not in plain.reason
    assert _classify(rc(42.2), declared="x", alt=rc(42.0), alt_label="m").across_definitions is False


def test_revision_of_a_figure_read_in_a_copy_says_a_copying_error_looks_the_same():
    kw = dict(bounds=cl.interval(111932, 1, "exact"), unit="count", recount=rc(118932, edition=2024),
              recount_label="tip", edition=2025)
    assert "copying error" in cl.classify(read_in="secondary", **kw).reason
    assert "copying error" not in cl.classify(read_in="primary", **kw).reason
    assert cl.classify(read_in="secondary", **kw).verdict == cl.REVISED


def test_one_country_reason_states_the_gap_left_without_the_country():
    v = _classify(rc(26.5), mover_share=0.5, mover="X", without=rc(34.0))
    assert v.verdict == cl.ONE_COUNTRY and "7.5 points of the gap remain without it" in v.reason
    closed = _classify(rc(26.5), mover_share=0.5, mover="X", without=rc(42.0))
    assert closed.verdict == cl.ONE_COUNTRY and "remain" not in closed.reason


def test_declared_difference_only_when_nothing_was_recomputed_under_the_definition():
    v = _classify(rc(30), declared="registered vs detected")
    assert (v.verdict, v.across_definitions) == (cl.DEFINITION, True)
    assert "compared across definitions" in v.reason
    assert _classify(rc(30), declared="x", alt=rc(35), alt_label="members=...").verdict == cl.UNEXPLAINED


def test_no_recount_is_not_recomputed_and_unknown_unit_refused():
    assert _classify(rc(math.nan)).verdict == cl.NOT_RECOMPUTED
    with pytest.raises(DataError, match="unit 'people'"):
        _classify(rc(1), unit="people")


# ------------------------------------------------------------------ recounts on a hand-made frame


def _frame() -> pd.DataFrame:
    rows = []

    def add(iso3, year, dim, cat, sex, age, value, sup=False, ind="Detected trafficking victims"):
        rows.append(dict(iso3=iso3, country=iso3, region="Europe", subregion="Western Europe", indicator=ind,
                         dimension=dim, category=cat, sex=sex, age=age, year=year,
                         value=np.nan if sup else float(value), value_low=0.0 if sup else float(value),
                         value_high=4.0 if sup else float(value), suppressed=sup, exclude_reason=pd.NA))

    T = "Total"
    for iso3, y, v in (("AAA", 2019, 100), ("AAA", 2020, 150), ("BBB", 2019, 50), ("CCC", 2020, 0)):
        add(iso3, y, T, T, T, T, v, sup=(v == 0))
    for iso3, y, se, fl, ot in (("AAA", 2020, 60, 30, 10), ("BBB", 2019, 20, 20, 0)):
        add(iso3, y, "by form of exploitation", "Sexual exploitation", T, T, se)
        add(iso3, y, "by form of exploitation", "Forced labour", T, T, fl)
        add(iso3, y, "by form of exploitation", "Other forms of exploitation", T, T, ot, sup=(ot == 0))
    add("AAA", 2020, T, T, "Female", "18 years or over", 70)
    add("AAA", 2020, T, T, "Female", "0 to 17 years", 10)
    add("AAA", 2020, T, T, "Male", "18 years or over", 20)
    add("AAA", 2020, T, T, "Male", "0 to 17 years", 0, sup=True)
    return pd.DataFrame(rows)


def test_total_change_and_panel_by_hand():
    f = _frame()
    t = recount.total(f, {"year": "2020"})
    assert (t.low, t.high, t.units) == (150, 154, 2)  # CCC's '<5' adds 0 to 4
    c = recount.change(f, {"from": "2019", "to": "2020"})
    assert (c.low, c.high) == pytest.approx((100 * (150 / 150 - 1), 100 * (154 / 150 - 1)))
    p = recount.change(f, {"from": "2019", "to": "2020", "panel": "both"})  # AAA only: 100 -> 150
    assert (p.low, p.high) == pytest.approx((50.0, 50.0))
    w = recount.total(f, {"year": "2020"}, without=("AAA",))
    assert (w.low, w.high) == (0, 4)


def test_shares_with_bounds_and_pooling_by_hand():
    f = _frame()
    s = recount.form_share(f, {"year": "2020", "form": "Forced labour"})
    assert (s.low, s.high) == pytest.approx((30.0, 30.0))
    b = recount.form_share(f, {"year": "2019", "form": "Sexual exploitation"})  # 20 of 40 + (0..4)
    assert (b.low, b.high) == pytest.approx((100 * 20 / 44, 50.0))
    pooled = recount.form_share(f, {"year": "2020", "form": "Forced labour", "pool_from": "2019"})
    assert (pooled.low, pooled.high) == pytest.approx((100 * 50 / 144, 100 * 50 / 140))  # AAA 2020 + BBB 2019
    g = recount.group_share(f, {"year": "2020", "groups": "Female/18 years or over"})
    assert (g.low, g.high) == pytest.approx((100 * 70 / 104, 70.0))  # the boys' "<5" cell is 0 to 4
    with pytest.raises(DataError, match="sex/age"):
        recount.group_share(f, {"year": "2020", "groups": "women"})


def test_area_members_and_unknown_list():
    f = _frame()
    assert recount.total(f, {"year": "2020", "iso3": "CCC"}).high == 4
    with pytest.raises(DataError, match="members='NATO'"):
        recount.total(f, {"year": "2020", "members": "NATO"})


# ------------------------------------------------------------------ FBI: file against the annual tables


@pytest.fixture(scope="module")
def fbi_raw(mirror_dir):
    """Offences and clearances per year and state, recounted from the raw CSV with the csv module."""
    sums: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    with open(mirror_dir / "HT_2013-2020.csv", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            for key in ((int(row["DATA_YEAR"]), "US"), (int(row["DATA_YEAR"]), row["STATE_ABBR"])):
                sums[key][0] += int(float(row["ACTUAL_COUNT"]))
                sums[key][1] += int(float(row["CLEARED_COUNT"]))
    return sums


@pytest.fixture(scope="module")
def fbi_comparison():
    return fbi.compare(datasets.load("fbi-ucr-ht"), datasets.load("fbi-annual-tables"))


def test_fbi_file_against_the_tables_in_every_year_with_a_printed_figure(fbi_raw, fbi_comparison):
    us = fbi_comparison.set_index(["data_year", "area", "measure"])
    # printed: 2016 1,196 offences / 654 cleared; 2017 1,220; 2018 1,392 / 548 (the tables as summarised)
    for year, offences, cleared in ((2016, 1196, 654), (2017, 1220, None), (2018, 1392, 548)):
        assert us.loc[(year, "US", "offences"), "published"] == offences
        assert us.loc[(year, "US", "offences"), "file"] == fbi_raw[(year, "US")][0]
        if cleared is not None:
            assert us.loc[(year, "US", "cleared"), "file"] == fbi_raw[(year, "US")][1]
    assert (fbi_raw[(2016, "US")], fbi_raw[(2018, "US")]) == ([1280, 593], [1457, 486])
    sentences = fbi.year_sentences(fbi_comparison)
    assert sentences[0] == ("2016: offences 1,280 in the file against 1,196 in the FBI's table (+84, +7.0%); "
                            "cleared 593 against 654 (-61, -9.3%).")
    assert len(sentences) == 3


def test_fbi_offences_in_states_the_tables_list_as_reporting_none(fbi_raw, fbi_comparison):
    got = {(int(r.data_year), r.area): int(r.file) for r in fbi.states_reported_none(fbi_comparison).itertuples()}
    expected = {k: v for k in ((2016, s) for s in ("DE", "MS", "OR", "SD", "UT"))
                for v in [fbi_raw.get(k, [0])[0]] if v > 0}
    expected |= {k: v for k in ((2018, s) for s in ("AL", "CA", "GA", "ID", "KS", "NB", "NH", "NY", "NC", "OH", "WV"))
                 for v in [fbi_raw.get(k, [0])[0]] if v > 0}
    assert got == expected == {(2016, "DE"): 13, (2016, "OR"): 12, (2018, "GA"): 2, (2018, "OH"): 4, (2018, "WV"): 4}


def test_catalogue_caveat_states_direction_and_size_for_every_year(fbi_comparison):
    text = fbi.caveat_text(fbi_comparison)
    assert text in catalog.get("fbi-ucr-ht").caveats
    for year in (2016, 2017, 2018):
        assert f"{year}: " in text
    assert "more offences (2016: 1,280 vs 1,196, +7.0%;" in text and "fewer cleared (2016: 593 vs 654, -9.3%;" in text


# ------------------------------------------------------------------ the whole ledger


@pytest.fixture(scope="module")
def result():
    reconciliation = datasets.load("reconciliation")
    tables = datasets.load("fbi-annual-tables")
    ledger = reconcile.assemble(reconciliation, tables)
    frames = {i: datasets.load(i) for i in reconcile.source_ids(ledger)}
    return reconcile.analyse(reconciliation, frames, fbi_tables=tables), frames


def test_whole_ledger_runs_and_meets_the_bar(result):
    r, _ = result
    est = reading.established(r.table)
    assert len(est) >= 30 and est["publisher"].nunique() >= 5
    assert set(r.table["verdict"]) <= set(cl.VERDICTS)
    assert not (r.table["verdict"] == cl.NOT_RECOMPUTED).any()  # the newest edition reads every source
    assert r.table["id"].is_unique


def _independent_shares(frame: pd.DataFrame, year: int, drop: str | None = None) -> dict[str, float]:
    f = frame[frame["exclude_reason"].isna() & frame["region"].notna() & frame["iso3"].notna()
              & (frame["indicator"] == "Detected trafficking victims") & (frame["dimension"] == "by form of exploitation")
              & (frame["sex"] == "Total") & (frame["age"] == "Total") & (frame["year"] == year)]
    if drop:
        f = f[f["iso3"] != drop]
    lo, hi = f.groupby("category")["value_low"].sum(), f.groupby("category")["value_high"].sum()
    # a form's low bound: its low sum over itself plus the other forms' high sums (and the reverse)
    return {c: (100 * lo[c] / (lo[c] + hi.drop(c).sum()), 100 * hi[c] / (hi[c] + lo.drop(c).sum())) for c in lo.index}


def test_pakistan_drives_the_2022_shares_of_the_2025_release(result):
    r, frames = result
    t = r.table.set_index("id")
    with_pak = _independent_shares(frames[R25], 2022)
    without = _independent_shares(frames[R25], 2022, drop="PAK")
    # the figures: 49% sexual exploitation and 26% forced labour with Pakistan, 33% and 34% without
    assert (round(with_pak["Sexual exploitation"][0]), round(with_pak["Forced labour"][0])) == (49, 26)
    assert (round(without["Sexual exploitation"][0]), round(without["Forced labour"][0])) == (33, 34)
    for rid, form in (("unodc-2024-share-fl-2022", "Forced labour"), ("unodc-2024-share-se-2022", "Sexual exploitation")):
        row = t.loc[rid]
        assert row["verdict"] == cl.ONE_COUNTRY and row["mover"] == "Pakistan"
        assert (row["recount_low"], row["recount_high"]) == pytest.approx(with_pak[form])
        assert (row["without_low"], row["without_high"]) == pytest.approx(without[form])
    assert "Pakistan" in r.sentences["one_country"] and R25 in r.sentences["one_country"]


def test_known_verdicts(result):
    r, frames = result
    t = r.table.set_index("id")
    regional = datasets.load("tip-law-enforcement-regional")
    s2016 = int(regional.loc[(regional["data_year"] == 2016), "prosecutions"].sum())
    assert s2016 == 14897 and t.loc["tip-2017-prosecutions-2016", "verdict"] == cl.UNEXPLAINED
    assert t.loc["tip-2008-prosecutions-2005", "verdict"] == cl.REVISED  # 2006 regional 6,618 vs 2008 table 6,178
    assert t.loc["tip-2008-prosecutions-2003", "verdict"] == cl.EQUAL
    ncmec = r.table[r.table["publisher"] == "NCMEC"]
    assert (ncmec["verdict"] == cl.EQUAL).all()
    assert t.loc["eurostat-2022-victims", "verdict"] == cl.DEFINITION
    assert bool(t.loc["eurostat-2022-victims", "across_definitions"])
    # 'just under 50,000' in 2019: 49,572 summed national totals in the 2023 release (issue 22's recount)
    assert t.loc["unodc-2022-victims-2019", "recount_low"] == 49572
    assert t.loc["unodc-2024-change-2019-2022", "recount_low"] == pytest.approx(-8.8, abs=0.05)


def test_unexplained_sentence_names_each_publisher_with_unexplained_rows(result):
    r, _ = result
    est = reading.established(r.table)
    for pub in est.loc[est["verdict"] == cl.UNEXPLAINED, "publisher"].unique():
        assert pub in r.sentences["unexplained"]
    assert r.findings["verdict_unexplained"] == int((est["verdict"] == cl.UNEXPLAINED).sum())


def test_unknown_method_and_duplicate_id_refused():
    base = datasets.load("reconciliation")
    bad = base.head(2).copy()
    bad.loc[bad.index[1], "id"] = bad["id"].iloc[0]
    with pytest.raises(DataError, match="used twice"):
        reconcile.assemble(bad)
    bad = base.head(1).copy()
    bad["recount_method"] = "guess"
    with pytest.raises(DataError, match="recount_method 'guess'"):
        reconcile.assemble(bad)


@pytest.mark.notebook
def test_notebook_runs_records_its_keys_and_fills_its_key_findings(smoke_run, result):
    import json
    from pathlib import Path

    from critique.publish import keyfindings

    found = smoke_run("13-reconciliation")
    f = found["findings"]
    r, _ = result
    assert (f["ledger_figures"], f["ledger_publishers"]) == (r.findings["ledger_figures"], r.findings["ledger_publishers"])
    assert f["ledger_figures"] >= 30 and f["ledger_publishers"] >= 5
    assert f["questionnaire_code_rows"] == 120 and "Pakistan" in f["one_country_sentence"]
    out = Path(found["_out_dir"])
    figs = {json.loads(p.read_text())["name"]: json.loads(p.read_text()) for p in (out / "figures").glob("*.json")}
    assert all(not fig.get("layout_problems") for fig in figs.values())
    rendered = keyfindings.for_notebook("13-reconciliation", f, figs)
    assert rendered.errors == [] and len(rendered.findings) == 4
    assert any("Pakistan" in k.sentence for k in rendered.findings)


# ------------------------------------------------------------------ reading sentences on a hand-made table


def _table(rows: list[dict]) -> pd.DataFrame:
    base = dict(publisher="P", document="D", figure="f", data_year="2022", unit="percent", published_text="42%",
                published_value=42.0, recount="26.5%", recount_source="rel", verification="secondary",
                mover=None, without_low=np.nan, without_high=np.nan, gap=0.0, across_definitions=False)
    return pd.DataFrame([{**base, **r} for r in rows])


def test_summary_sentence_counts_only_established_rows_and_splits_definitions():
    t = _table([{"verdict": cl.EQUAL}, {"verdict": cl.DEFINITION, "across_definitions": True},
                {"verdict": cl.DEFINITION}, {"verdict": cl.UNEXPLAINED, "verification": "unverified"},
                {"verdict": cl.UNEXPLAINED, "publisher": "Q"}])
    s = reading.summary_sentence(t)
    assert s.startswith("Of 4 printed figures from 2 publishers")
    assert "1 agree within" in s and "2 differ by definition (1 recomputed under the publisher's definition, 1 compared across definitions)" in s
    assert "1 are unexplained" in s and "(1 further figure not yet verified" in s


def test_one_country_sentence_names_the_most_frequent_country_and_a_share_example():
    assert reading.one_country_sentence(_table([{"verdict": cl.EQUAL}])).startswith("No printed figure")
    t = _table([
        {"verdict": cl.ONE_COUNTRY, "mover": "A", "unit": "percent change", "gap": -40.0, "figure": "change"},
        {"verdict": cl.ONE_COUNTRY, "mover": "A", "gap": -15.0, "figure": "share x", "without_low": 34.0, "without_high": 34.0},
        {"verdict": cl.ONE_COUNTRY, "mover": "B", "gap": -30.0},
        {"verdict": cl.ONE_COUNTRY, "mover": "A", "gap": -15.0, "verification": "unverified"},
    ])
    s = reading.one_country_sentence(t)
    assert "leaving out A" in s and "for 2 of the 3 figures recounted on that release" in s
    assert "share x (2022) is 26.5% with A and 34.0% without" in s and "even without it" not in s
    assert reading.top_mover(t) == ("A", "rel")
    # with the printed interval known, the gap left without the country is stated (and only when there is one)
    t2 = t.assign(printed_low=41.5, printed_high=42.5)
    assert "even without it the recount is 7.5 points from the printed figure" in reading.one_country_sentence(t2)
    t3 = t2.assign(without_low=41.5, without_high=41.5)
    assert "even without it" not in reading.one_country_sentence(t3)


def test_summary_sentence_qualifies_agreements_revisions_and_one_country_verdicts():
    t = _table([{"verdict": cl.EQUAL}, {"verdict": cl.EQUAL, "across_definitions": True},
                {"verdict": cl.REVISED, "verification": "primary"}, {"verdict": cl.REVISED},
                {"verdict": cl.ONE_COUNTRY, "mover": "A"}, {"verdict": cl.ONE_COUNTRY, "mover": "A"}])
    s = reading.summary_sentence(t)
    assert "2 agree within the printed rounding (1 of them only when compared across definitions)" in s
    assert "2 match another edition or data release of the publisher, not the one printed (1 of them read in a copy" in s
    assert "2 differ mostly because of one country (leaving it out closes at least half of the gap, not necessarily all: A in rel, 2)" in s
    plain = reading.summary_sentence(_table([{"verdict": cl.EQUAL}, {"verdict": cl.REVISED, "verification": "primary"}]))
    assert "only when compared across definitions" not in plain and "read in a copy" not in plain
    assert "0 differ mostly because of one country and" in plain


def test_unexplained_sentence_ranks_points_and_relative_size_and_ignores_printed_zero():
    assert reading.unexplained_sentence(_table([{"verdict": cl.EQUAL}])).startswith("No difference")
    t = _table([
        {"verdict": cl.UNEXPLAINED, "unit": "count", "published_value": 0.0, "gap": 13.0, "figure": "zero"},
        {"verdict": cl.UNEXPLAINED, "unit": "count", "published_value": 1000.0, "gap": 70.0, "figure": "seven pct"},
        {"verdict": cl.UNEXPLAINED, "unit": "count", "published_value": 100.0, "gap": 6.0, "figure": "six pct"},
        {"verdict": cl.UNEXPLAINED, "publisher": "Q", "gap": 2.0, "figure": "two points"},
    ])
    s = reading.unexplained_sentence(t)
    assert s.startswith("4 differences are unexplained: P 3 (largest: seven pct")
    assert "Q 1 (largest: two points" in s


def test_correction_note_points_to_a_register_entry_for_the_named_country_and_release_only():
    t = _table([{"verdict": cl.ONE_COUNTRY, "mover": "Pakistan", "mover_code": "PAK", "recount_source": "glotip@2025-04-14"}])
    reg = pd.DataFrame([{"id": "glotip-2025-pakistan-year", "dataset": "glotip@2025-04-14", "iso3": "PAK",
                         "status": "suspected", "action": "show-both"},
                        {"id": "other", "dataset": "glotip", "iso3": "PAK|SLE", "status": "confirmed", "action": "show-both"},
                        {"id": "elsewhere", "dataset": "fbi-ucr-ht", "iso3": "PAK", "status": "confirmed", "action": "show-both"},
                        {"id": "excluded", "dataset": "glotip", "iso3": "PAK", "status": "confirmed", "action": "exclude"}])
    s = reading.correction_note(t, reg)
    assert "lists 2 entries for Pakistan in glotip@2025-04-14" in s
    assert "suspected (glotip-2025-pakistan-year)" in s and "confirmed (other)" in s and "elsewhere" not in s
    assert "excluded" not in s  # an excluded entry is already out of every recount
    assert reading.correction_note(t, reg.iloc[[2]]) == ""  # another dataset
    assert reading.correction_note(t.assign(mover_code="IND"), reg) == ""  # another country
    assert reading.correction_note(t, None) == "" and reading.correction_note(_table([{"verdict": cl.EQUAL}]), reg) == ""


def test_the_whole_ledger_points_the_pakistan_verdicts_to_the_register(result):
    from critique.datasets import corrections

    r, frames = result
    rr = reconcile.analyse(datasets.load("reconciliation"), frames, fbi_tables=datasets.load("fbi-annual-tables"),
                           register=corrections.register())
    assert "glotip-2025-pakistan-year" in rr.sentences["one_country"]
    assert "glotip-2025-pakistan-year" in rr.findings["one_country_sentence"]
    assert "glotip-questionnaire-codes" not in rr.sentences["one_country"]  # excluded rows, not in any recount
