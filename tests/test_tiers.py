"""critique.methods.tip.tiers: distributions, panels, transitions and volatility against counts computed here,
independently, from the raw tier files with the csv module (Kelley & Heiss map_tiers.csv for
2001-2015; data/published/tip-tiers-2016-2025.csv for 2016-2025)."""
from __future__ import annotations

import csv
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from critique.datasets import catalog
from critique.datasets import paths
from critique.methods.tip import tiers

# Kelley & Heiss code Tier 2 Watch List as 3 and Tier 3 as 4.
KH = {"1": "1", "2": "2", "3": "2WL", "4": "3"}


@pytest.fixture(scope="module")
def merged() -> pd.DataFrame:
    return tiers.load_tiers()


@pytest.fixture(scope="module")
def merged_all() -> pd.DataFrame:
    """With the unverified placements of 2021 and 2025 counted (the raw lists as transcribed)."""
    return tiers.load_tiers(include_unverified=True)


@pytest.fixture(scope="module")
def kh_rows(mirror_dir) -> list[dict]:
    path = catalog.fetch("tip-tiers")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["tier"] in KH]
    return [{"iso": r["iso"], "year": int(r["year"]), "tier": KH[r["tier"]]} for r in rows]


@pytest.fixture(scope="module")
def late_rows() -> list[dict]:
    with open(paths.published_dir() / "tip-tiers-2016-2025.csv", newline="", encoding="utf-8") as h:
        return [{"country": r["country"], "year": int(r["report_year"]), "tier": r["tier"]}
                for r in csv.DictReader(h)]


def _counts(dist: pd.DataFrame) -> dict[tuple[int, str], int]:
    return {(int(y), str(t)): int(c) for y, t, c in dist[["report_year", "tier", "count"]].itertuples(index=False)}


def test_all_rated_distribution_2001_2015_matches_raw_counts(merged, kh_rows):
    expected = Counter((r["year"], r["tier"]) for r in kh_rows if 2001 <= r["year"] <= 2015)
    got = _counts(tiers.distribution(merged, range(2001, 2016)))
    assert got == {(y, t): expected.get((y, t), 0) for y in range(2001, 2016) for t in tiers.TIER_ORDER}
    # 2001: 11 Tier 1 of 79 rated (11 + 47 + 21 in the raw file) -> share 11/79 = 0.13924
    d = tiers.distribution(merged, [2001]).set_index("tier")
    assert d.loc["1", "n"] == 79
    assert d.loc["1", "share"] == pytest.approx(11 / 79)


def test_complete_late_years_match_raw_counts_and_exclude_special_cases(merged_all, late_rows):
    expected = Counter((r["year"], r["tier"]) for r in late_rows)
    dist = tiers.distribution(merged_all, [2021, 2023, 2025])
    got = _counts(dist)
    assert got == {(y, t): expected[(y, t)] for y in (2021, 2023, 2025) for t in tiers.TIER_ORDER}
    n = dist.groupby("report_year")["n"].first().to_dict()
    # 188 placements minus special cases: 3 (2021, 2023), 4 (2025, Haiti added)
    assert n == {2021: 185, 2023: 185, 2025: 184}
    assert dist["share"].notna().all()


def test_partial_year_is_refused_or_flagged_never_shared(merged, late_rows):
    with pytest.raises(tiers.IncompleteYearError, match="2020"):
        tiers.distribution(merged, [2020, 2021])
    flagged = tiers.distribution(merged, [2020, 2021], partial="flag")
    p2020 = flagged.loc[flagged["report_year"] == 2020]
    assert p2020["share"].isna().all() and not p2020["complete_year"].any()
    expected = Counter(r["tier"] for r in late_rows if r["year"] == 2020)
    assert dict(zip(p2020["tier"].astype(str), p2020["count"])) == {t: expected[t] for t in tiers.TIER_ORDER}
    dropped = tiers.distribution(merged, range(2015, 2026), partial="drop")
    assert sorted(dropped["report_year"].unique()) == [2015, 2023]  # 2021, 2025 hold unverified rows
    dropped_all = tiers.distribution(tiers.load_tiers(include_unverified=True), range(2015, 2026), partial="drop")
    assert sorted(dropped_all["report_year"].unique()) == [2015, 2021, 2023, 2025]


def test_years_with_unverified_placements_stay_out_of_established_views(merged):
    # 2021 (one third-party list) and 2025 (Tier 1/2 from one third-party JSON) hold unverified rows
    assert tiers.complete_years(merged)[-1] == 2023 and 2021 not in tiers.complete_years(merged)
    with pytest.raises(tiers.IncompleteYearError, match="unverified"):
        tiers.transition_matrix(merged, 2023, 2025)
    with pytest.raises(tiers.IncompleteYearError, match="2025"):
        tiers.distribution(merged, [2025])


def test_tier_transcription_sources_2021_2025():
    """Per-row source quality; the 2025 Tier 2 Watch List and Tier 3 rows agree with the CIA World
    Factbook's 2025 lists (25 and 20 names; World entry, factbook/factbook.json)."""
    with open(paths.published_dir() / "tip-tiers-2016-2025.csv", newline="", encoding="utf-8") as h:
        rows = list(csv.DictReader(h))
    assert all(r["source_quality"].strip() for r in rows)
    y25 = [r for r in rows if r["report_year"] == "2025"]
    cia = [r for r in y25 if "factbook" in r["source_url"]]
    assert Counter(r["tier"] for r in cia) == {"2WL": 25, "3": 20}
    assert all(r["verification"] == "secondary" for r in cia)
    # a placement resting only on a third-party list, with no other copy, is unverified
    for r in rows:
        weak = "HAWKEYE" in r["source_url"] or "discerning-islam" in r["source_url"]
        assert (r["verification"] == "unverified") == (weak and not r["other_supporting_sources"].strip()), r
    assert Counter((r["report_year"], r["verification"]) for r in rows if r["verification"] == "unverified") == {
        ("2021", "unverified"): 140, ("2025", "unverified"): 120}


def test_transition_matrix_2014_2015_matches_raw(merged, kh_rows):
    t14 = {r["iso"]: r["tier"] for r in kh_rows if r["year"] == 2014}
    t15 = {r["iso"]: r["tier"] for r in kh_rows if r["year"] == 2015}
    expected = Counter((t14[c], t15[c]) for c in t14.keys() & t15.keys())
    mat = tiers.transition_matrix(merged, 2014, 2015)
    for a in tiers.TIER_ORDER:
        for b in tiers.TIER_ORDER:
            assert mat.loc[a, b] == expected.get((a, b), 0), (a, b)
    assert mat.attrs["complete"] and mat.attrs["n"] == len(t14.keys() & t15.keys())
    rows = tiers.transition_matrix(merged, 2014, 2015, normalize=True).sum(axis=1)
    assert np.allclose(rows, 1.0)


def test_transition_matrix_2021_2023_matches_raw(merged_all, late_rows):
    a = {r["country"]: r["tier"] for r in late_rows if r["year"] == 2021 and r["tier"] != "special_case"}
    b = {r["country"]: r["tier"] for r in late_rows if r["year"] == 2023 and r["tier"] != "special_case"}
    expected = Counter((a[c], b[c]) for c in a.keys() & b.keys())
    mat = tiers.transition_matrix(merged_all, 2021, 2023)
    assert {(i, j): int(mat.loc[i, j]) for i in tiers.TIER_ORDER for j in tiers.TIER_ORDER} == \
        {(i, j): expected.get((i, j), 0) for i in tiers.TIER_ORDER for j in tiers.TIER_ORDER}
    with pytest.raises(tiers.IncompleteYearError):
        tiers.transition_matrix(merged_all, 2020, 2021)


def test_fixed_panel_and_its_distribution_match_raw(merged, kh_rows):
    rated = Counter(r["iso"] for r in kh_rows if 2001 <= r["year"] <= 2015)
    panel = sorted(c for c, k in rated.items() if k == 15)  # rated in all 15 reports 2001-2015
    got = tiers.fixed_panel(merged, 2001, 2015)
    assert got == panel  # sorted ISO3 codes
    expected = Counter((r["year"], r["tier"]) for r in kh_rows if r["iso"] in set(panel)
                       and 2001 <= r["year"] <= 2015)
    dist = tiers.distribution(merged, range(2001, 2016), panel=got)
    assert _counts(dist) == {(y, t): expected.get((y, t), 0) for y in range(2001, 2016)
                             for t in tiers.TIER_ORDER}
    assert (dist.groupby("report_year")["n"].first() == len(panel)).all()
    with pytest.raises(tiers.IncompleteYearError):
        tiers.fixed_panel(merged, 2016)


def test_volatility_2014_2015_matches_raw(merged, kh_rows):
    rank = {t: i for i, t in enumerate(tiers.TIER_ORDER)}
    t14 = {r["iso"]: r["tier"] for r in kh_rows if r["year"] == 2014}
    t15 = {r["iso"]: r["tier"] for r in kh_rows if r["year"] == 2015}
    both = t14.keys() & t15.keys()
    v = tiers.volatility(merged, [2014, 2015]).iloc[0]
    assert v["n_both"] == len(both)
    assert v["changed"] == sum(t14[c] != t15[c] for c in both)
    assert v["upgrades"] == sum(rank[t15[c]] < rank[t14[c]] for c in both)
    assert v["wl_entries"] == sum(t15[c] == "2WL" != t14[c] for c in both)
    assert v["wl_exits"] == sum(t14[c] == "2WL" != t15[c] for c in both)
    assert v["entered"] == len(t15.keys() - t14.keys())
    assert v["share_changed"] == pytest.approx(v["changed"] / len(both))


def test_country_tiers_marks_unknown_in_partial_years(merged):
    fra = tiers.country_tiers("FRA", merged).set_index("report_year")
    assert fra.loc[2021, "status"] == "rated" and fra.loc[2021, "tier"] == "1"
    # France is not in the partial 2016 transcription: unknown, not Tier 2 and not "not rated"
    assert fra.loc[2016, "status"] == "unknown (partial year)" and pd.isna(fra.loc[2016, "tier"])
    som = tiers.country_tiers("SOM", merged).set_index("report_year")
    assert som.loc[2021, "status"] == "special case"
    assert merged["complete_year"].dtype == bool and merged["special_case"].dtype == bool
    with pytest.raises(ValueError, match="XXX"):
        tiers.country_tiers("XXX", merged)


def _toy_reporting() -> tuple[pd.DataFrame, pd.DataFrame]:
    t = pd.DataFrame({"iso3": ["AAA", "BBB", "CCC"], "report_year": [2006, 2006, 2006],
                      "tier": pd.Categorical(["1", "2", "3"], categories=list(tiers.TIER_ORDER),
                                             ordered=True),
                      "special_case": False, "complete_year": True, "source": "toy"})
    rep = pd.DataFrame({"iso3": ["AAA", "BBB"], "data_year": [2005, 2005], "reported": [True, True],
                        "value": [99.0, np.nan], "value_low": [99.0, 1.0], "value_high": [99.0, 4.0]})
    return t, rep


def test_tier_vs_reporting_lags_and_counts_non_reporters():
    t, rep = _toy_reporting()
    out = tiers.tier_vs_reporting(t, rep, lag=1).set_index("iso3")
    assert out.loc["AAA", "data_year"] == 2005
    assert out.loc["AAA", "log_victims"] == pytest.approx(np.log(100.0))  # log1p(99)
    assert out.loc["BBB", "victims"] == 1.0  # suppressed "<5" counted at its lower bound
    assert not out.loc["CCC", "reported"] and out.loc["CCC", "log_victims"] == 0.0


def test_ordered_logit_refuses_small_samples_and_recovers_a_sign():
    t, rep = _toy_reporting()
    small = tiers.fit_tier_model(tiers.tier_vs_reporting(t, rep))
    assert not small.fitted and "min_n" in small.reason and small.n == 3
    rng = np.random.default_rng(1)
    n = 400
    x = rng.normal(size=n)
    latent = 1.5 * x + rng.logistic(size=n)  # worse tier with higher x: coefficient about +1.5
    codes = np.digitize(latent, [-1.5, 0.5, 2.0])
    frame = pd.DataFrame({"iso3": [f"C{i % 100}" for i in range(n)],
                          "report_year": 2005 + (np.arange(n) // 100),
                          "tier": pd.Categorical.from_codes(codes, categories=list(tiers.TIER_ORDER),
                                                            ordered=True),
                          "x": x})
    res = tiers.fit_tier_model(frame, predictors=["x"])
    assert res.fitted and res.converged and res.cov_type.startswith("cluster")
    assert 1.1 < res.params.loc["x", "coef"] < 1.9
    assert res.n == 400 and res.n_countries == 100 and sum(res.counts_by_tier.values()) == 400


# ---------------------------------------------------------------------------------------------
# notebook 31's analysis object and workshop 3 (issue 25): reading rules on both sides
# ---------------------------------------------------------------------------------------------
from critique.core.errors import ParameterError  # noqa: E402
from critique.methods.tip import exercise  # noqa: E402
from critique.methods.tip.tiers import analysis as tier_analysis  # noqa: E402


@pytest.mark.parametrize("all_pp, panel_pp, says", [
    (1.0, 5.0, "placed on Tier 1 less often"), (5.0, 1.0, "placed on Tier 1 more often"),
    (2.0, 2.0, "less than one placement in the panel"), (2.0, 3.0, "less than one placement in the panel"),
    (0.0, 100 / 70, "placed on Tier 1 less often"), (0.0, -100 / 70, "placed on Tier 1 more often"),
    (-5.0, -1.0, "rises more or falls less")])
def test_growth_reading_follows_the_direction_of_the_two_changes(all_pp, panel_pp, says):
    s = tier_analysis.growth_reading(all_pp, panel_pp, 70)
    assert says in s and "one country is 1.4 percentage points" in s  # 100 / 70
    clause = tier_analysis.growth_clause(all_pp, panel_pp, 70)
    if "less than one placement" in says:
        assert "not shown to move" in clause
    else:
        assert ("less often" in clause) == ("less often" in says or "rises more or falls less" in says)


def test_model_sentence_fitted_or_refused():
    from critique.methods.tip.tiers import TierModelResult

    refused = TierModelResult(False, "only 12 country-years (< min_n=60)", 12, 12, [2023], {})
    assert tier_analysis.model_sentence(refused) == "No model fitted: only 12 country-years (< min_n=60)."
    fitted = TierModelResult(True, "fitted", 300, 150, [2021, 2023], {}, pseudo_r2=0.05, lr_pvalue=0.001,
                             converged=True, cov_type="cluster (country)")
    s = tier_analysis.model_sentence(fitted)
    assert s.startswith("Ordered logit on 300 country-years (150 countries, report years 2021, 2023)")
    assert "clustered by country" in s and "the optimiser converged" in s and "not an effect" in s
    assert "did not report convergence" in tier_analysis.model_sentence(
        TierModelResult(True, "fitted", 300, 150, [2021], {}, converged=False, cov_type="nonrobust"))


def test_years_text_joins_consecutive_years():
    assert tier_analysis.years_text([2004, 2005, 2006, 2023]) == "2004-2006, 2023"
    assert tier_analysis.years_text([2023]) == "2023" and tier_analysis.years_text([]) == ""


def test_analyse_matches_the_coded_file_and_refuses_bad_parameters(merged):
    res = tier_analysis.analyse(merged, merged, None, highlight=["MYS"])
    f = {k: v for k, v, _ in res.findings()}
    assert (f["rated_2001"], f["rated_2005"]) == (79, 141)  # Kelley & Heiss coded file
    assert f["tier1_share_all_2001"] == pytest.approx(11 / 79, abs=1e-4)
    assert "unodc_n" not in f and "model" not in res.reading  # no glotip: no comparison recorded
    assert f["highlight_status"]["MYS"]["2015"] == "2WL"
    with pytest.raises(ParameterError, match="year_end"):
        tier_analysis.analyse(merged, merged, None, year_start=2010, year_end=2009)
    with pytest.raises(ParameterError, match="highlight"):
        tier_analysis.analyse(merged, merged, None, highlight=["ZZZ"])


def test_count_label_and_detection_sentences_say_not_reported_never_zero():
    assert exercise.count_label(None) == "not reported" and exercise.count_label(float("nan")) == "not reported"
    assert exercise.count_label(1156.0) == "1,156" and exercise.count_label(0.0) == "0"
    view = pd.DataFrame({"data_year": [2012, 2013, 2014], "detected_victims": [309.0, np.nan, 303.0],
                         "persons_prosecuted": [np.nan, np.nan, np.nan], "persons_convicted": [np.nan, 4.0, np.nan]})
    assert exercise.detections_sentence(view, [2012, 2013, 2014]) == \
        "Detected victims reported to UNODC: 309 for 2012; no figure for 2013; 303 for 2014."
    assert exercise.detections_sentence(view, [2012], release="glotip@2025-04-14") == \
        "Detected victims reported to UNODC (release glotip@2025-04-14): 309 for 2012."
    assert exercise.other_indicators_sentence(view, [2012, 2013, 2014]) == \
        "For data years 2012-2014 the UNODC release holds no prosecutions and convictions for 2013."


def test_comparison_sentence_refuses_to_compare_across_a_missing_year():
    assert "cannot show whether detections changed" in exercise.comparison_sentence(None, 303.0, (2013, 2014))
    s = exercise.comparison_sentence(309.0, 303.0, (2013, 2014))
    assert s.startswith("Detected victims reported to UNODC went from 309 (2013) to 303 (2014)")


def test_tier_upgrade_reads_malaysia_from_the_release(merged, mirror_dir):
    from critique import datasets

    ex = exercise.tier_upgrade(datasets.load("glotip", edition="2023-05-30"), merged, iso3="MYS")
    q, a = [], []
    ex.record(lambda k, v, n=None: q.append((k, v)))
    ex.record(lambda k, v, n=None: a.append((k, v)), answers=True)
    assert dict(q) == {"tier_2014": "3", "tier_2015": "2WL"}  # Kelley & Heiss coded tiers
    assert dict(a)["victims_assessed_2014_report"] is None  # no UNODC figure for data year 2013
    assert "no figure for 2013" in ex.detections and "cannot show" in ex.comparison
