"""Tests of critique.mse: closed forms, published figures, statsmodels agreement, refusals."""
from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize

import critique.mse as mse
from critique.mse.bootstrap import _Design, _search_batch, _select_light, _plan, irls_batch
from critique.mse.select import poisson_pvalue
from critique.paths import root

SHARED = root().parent / "shared" / "data" / "reference" / "published" / "mse"


@pytest.fixture(scope="session")
def mse_csv(tmp_path_factory):
    """The shared published MSE tables copied into a tmp fixture folder (never into the repo)."""
    if not SHARED.exists():
        pytest.skip(f"shared MSE tables not found at {SHARED}")
    dest = tmp_path_factory.mktemp("mse")
    for f in SHARED.glob("*.csv"):
        shutil.copy(f, dest / f.name)
    return dest


def _table(mse_csv, name):
    return mse.CaptureTable.from_frame(pd.read_csv(mse_csv / f"{name}.csv"), name=name)


def _frame(rows, lists="ABC"):
    return pd.DataFrame(rows, columns=list(lists) + ["count"])


# ------------------------------------------------------------------------------- table type
def test_table_fills_zeros_and_sums_duplicates():
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 0, 5], [1, 0, 0, 2], [0, 1, 1, 3]]))
    assert t.k == 3 and len(t.counts) == 7  # 2**3 - 1 observable histories
    assert t.counts[t.cell(["A"])] == 7  # 5 + 2 summed
    assert t.counts[t.cell("011")] == 3  # B and C
    assert t.n_observed == 10 and t.counts.sum() == 10
    assert (t.counts == 0).sum() == 5


def test_metadata_columns_are_not_lists():
    f = _frame([[1, 0, 0, 5], [0, 1, 0, 4], [1, 1, 0, 1]])
    f["citation"] = "x"
    f["verification"] = "primary"
    assert mse.CaptureTable.from_frame(f).lists == ("A", "B", "C")


@pytest.mark.parametrize("rows, lists, match", [
    ([[1, 0, -3]], "AB", r"column 'count' row 0 value -3 is negative"),
    ([[1, 0, 2.5]], "AB", r"column 'count' row 0 value 2.5 is not a whole number"),
    ([[1, 2, 4]], "AB", r"list column 'B' row 0 has value 2; list columns must be 0 or 1"),
    ([[1, 4]], "A", r"1 list column\(s\) \(A\); multiple systems estimation needs at least two"),
    ([[0, 0, 4]], "AB", r"row 0 has a count of 4 on no list"),
])
def test_bad_input_names_the_problem(rows, lists, match):
    with pytest.raises(mse.CaptureTableError, match=match):
        mse.CaptureTable.from_frame(_frame(rows, lists))


def test_bad_input_is_a_data_error_and_missing_count_named():
    from critique.datasets import DataError

    with pytest.raises(DataError, match="no count column 'count'"):
        mse.CaptureTable.from_frame(pd.DataFrame({"A": [1], "B": [0], "n": [3]}))


# ------------------------------------------------------------------------------- closed forms
def test_two_lists_is_lincoln_petersen():
    # 60 only on list 1, 40 only on list 2, 20 on both: n1 = 80, n2 = 60, m = 20.
    # Lincoln-Petersen N = n1 n2 / m = 80 * 60 / 20 = 240; observed 60 + 40 + 20 = 120, dark 120.
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 60], [0, 1, 40], [1, 1, 20]], "AB"))
    r = mse.fit(t)
    assert r.total == pytest.approx(240.0, rel=1e-9)
    assert r.dark == pytest.approx(120.0, rel=1e-9)
    assert r.df == 0 and r.deviance == pytest.approx(0.0, abs=1e-8)
    lo, hi = r.ci["profile"]
    assert lo < 240 < hi


def test_independence_model_matches_closed_form_on_an_independent_table():
    # N = 400 people, capture probabilities 1/2, 1/4, 1/5, independent lists:
    # cell(w) = 400 * prod p_j^w_j (1 - p_j)^(1 - w_j), all integers; dark = 400 * 1/2 * 3/4 * 4/5
    # = 120. The table fits independence exactly, so the MLE is the truth.
    p = np.array([0.5, 0.25, 0.2])
    h = mse.CaptureTable.from_frame(_frame([[1, 0, 0, 1]])).histories
    counts = 400 * np.prod(np.where(h == 1, p, 1 - p), axis=1)
    assert np.allclose(counts, np.round(counts))
    t = mse.CaptureTable.from_frame(pd.DataFrame(np.column_stack([h, counts.round()]).astype(int),
                                                 columns=["A", "B", "C", "count"]))
    r = mse.fit(t, None)
    assert r.dark == pytest.approx(120.0, rel=1e-8)
    assert r.total == pytest.approx(400.0, rel=1e-8)


def test_independence_model_satisfies_darroch_equation():
    # Independence MLE (Darroch 1958): 1 - n/N = prod_j (1 - n_j/N). Table: A only 30, B only 20,
    # C only 10, AB 5, AC 4, BC 3, ABC 1 -> n = 73, n_A = 40, n_B = 29, n_C = 18.
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 0, 30], [0, 1, 0, 20], [0, 0, 1, 10],
                                            [1, 1, 0, 5], [1, 0, 1, 4], [0, 1, 1, 3],
                                            [1, 1, 1, 1]]))
    assert list(t.list_totals()) == [40, 29, 18]
    root_N = optimize.brentq(lambda N: (1 - 73 / N) - (1 - 40 / N) * (1 - 29 / N) * (1 - 18 / N),
                             74, 1e6)
    assert mse.fit(t).total == pytest.approx(root_N, rel=1e-7)


def test_fast_irls_matches_statsmodels(mse_csv):
    t = _table(mse_csv, "UKdat_5")
    r = mse.fit(t, ["LA:NG", "LA:PFNCA", "NG:GO", "NG:GP", "PFNCA:GP", "GO:GP"])
    X = mse.model.design(t.k, r.model)
    g = sm.GLM(t.counts, X, family=sm.families.Poisson()).fit()
    assert np.allclose(r.coefficients.to_numpy(), g.params, atol=1e-6)
    assert r.deviance == pytest.approx(g.deviance, rel=1e-8)
    assert r.aic == pytest.approx(g.aic, rel=1e-10)
    assert r.bic == pytest.approx(g.bic_llf, rel=1e-10)
    assert r.dark == pytest.approx(math.exp(g.params[0]), rel=1e-7)
    # Wald interval on the log dark figure uses the same standard error as statsmodels.
    lo = t.n_observed + math.exp(g.params[0] - 1.959963984540054 * g.bse[0])
    assert r.ci["wald"][0] == pytest.approx(lo, rel=1e-5)


def test_batched_irls_matches_single(mse_csv):
    t = _table(mse_csv, "UKdat_5")
    X = mse.model.design(t.k, mse.parse_model(t, ["LA:NG", "NG:GO"]))
    rng = np.random.default_rng(3)
    Y = rng.multinomial(t.n_observed, t.counts / t.n_observed, size=4).astype(float)
    beta, mu, dev, conv = irls_batch(X, Y)
    for b in range(4):
        single = mse.irls(X, Y[b])
        assert np.allclose(beta[b], single.beta, atol=1e-6)
        assert dev[b] == pytest.approx(single.deviance, rel=1e-8)
    assert conv.all()


# ------------------------------------------------------------------------------- existence
def test_non_overlapping_pair_is_detected_and_model_refused():
    # A and B never overlap: the A:B interaction's MLE is minus infinity.
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 0, 30], [0, 1, 0, 20], [0, 0, 1, 10],
                                            [1, 0, 1, 4], [0, 1, 1, 3]]))
    assert t.empty_pairs() == [("A", "B")]
    with pytest.raises(mse.NoFiniteEstimate, match=r"A:B never overlap"):
        mse.fit(t, ["A:B"])
    r = mse.fit(t, ["A:B"], on_failure="report")
    assert r.status == "no finite estimate" and not r.ok and math.isnan(r.total)
    assert r.summary()["total"] != r.summary()["total"]  # nan, never a number
    ok = mse.fit(t, ["A:C"])  # a model without the empty pair exists
    assert ok.ok and np.isfinite(ok.total)


def test_artificial_3_matches_sparsemse_documentation():
    # SparseMSE/MultipleSystemsEstimation example Artificial_3 (A 40, B 30, C 20, AB 6): the model
    # with all pairs is not identifiable, with A:B the MLE does not exist, A:C + B:C passes
    # (under the package's extended MLE).
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 0, 40], [0, 1, 0, 30], [0, 0, 1, 20],
                                            [1, 1, 0, 6]]))
    full = mse.check(t, mse.parse_model(t, "pairs"), "extended")
    assert full.exists and not full.identifiable
    ab = mse.check(t, mse.parse_model(t, ["A:B"]), "extended")
    assert not ab.exists and ab.empty_terms == ()  # boundary without any zero pair margin
    assert mse.check(t, mse.parse_model(t, ["A:C", "B:C"]), "extended").ok
    assert not mse.check(t, mse.parse_model(t, ["A:C", "B:C"]), "refuse").exists
    with pytest.raises(mse.NoFiniteEstimate, match="boundary of the marginal cone"):
        mse.fit(t, ["A:B"], empty_overlaps="extended")


# ------------------------------------------------------------------------------- published UK
def test_uk_default_procedure_in_published_range(mse_csv):
    # Published: "between 10,000 and 13,000" potential victims in the UK in 2013 (Silverman 2014).
    uk6 = mse.estimate(_table(mse_csv, "UKdat"), jobs=1)  # six lists -> stepwise, pthresh 0.02
    assert uk6.method == "stepwise"
    assert 10_000 <= uk6.best.total <= 13_000
    uk5 = mse.estimate(_table(mse_csv, "UKdat_5"), jobs=1)  # five lists -> BIC search
    assert uk5.method == "bic"
    assert 10_000 <= uk5.best.total <= 13_000
    assert uk5.best.total == pytest.approx(11_313, abs=1)  # regression value of this implementation
    lo, hi = uk5.best.ci["profile"]
    assert 9_500 < lo < 10_500 and 12_500 < hi < 13_500


def test_uk_five_list_search_spread(mse_csv):
    t = _table(mse_csv, "UKdat_5")
    s = mse.search_all(t, jobs=1, ci=())
    sp = s.spread()
    # 10 pairs -> 1,024 models; LA and GP never overlap, so the 512 containing LA:GP are refused.
    assert sp["n_models"] == 1024 and sp["n_no_finite_estimate"] == 512
    assert s.models.loc[s.models["status"] != "ok", "model"].str.contains("LA:GP").all()
    assert sp["min"] < s.best.total < sp["max"]
    assert sp["max"] / sp["min"] > 2  # model choice alone moves the estimate by over a factor of 2
    ext = mse.search_all(t, jobs=1, ci=(), empty_overlaps="extended")
    assert ext.spread()["n_existing"] == 1024


def test_merge_and_drop_reproduce_published_tables(mse_csv):
    uk6, uk5, uk4 = (_table(mse_csv, n) for n in ("UKdat", "UKdat_5", "UKdat_4"))
    merged = uk6.merge_lists("PF", "NCA", "PFNCA")
    assert merged.lists == uk5.lists and (merged.counts == uk5.counts).all()
    dropped = uk5.drop_list("GP")
    assert dropped.lists == uk4.lists and (dropped.counts == uk4.counts).all()
    assert dropped.n_observed == 2744 - 316  # the 316 people only on GP vanish


def test_enumeration_counts():
    assert len(mse.enumerate_models(5)) == 1024
    assert len(set(mse.enumerate_models(4))) == 64
    # three lists with three-way terms: 8 pair sets, plus ABC only with all three pairs -> 9
    assert len(mse.enumerate_models(3, 3)) == 9
    m = mse.enumerate_models(4)
    # Gray-code order: consecutive models differ by exactly one pair
    assert all(len(set(a) ^ set(b)) == 1 for a, b in zip(m, m[1:]))


def test_poisson_pvalue():
    assert poisson_pvalue(0, 3.0) == pytest.approx(math.exp(-3.0))
    assert poisson_pvalue(10, 3.0) == pytest.approx(1 - sum(math.exp(-3) * 3**i / math.factorial(i)
                                                            for i in range(10)))


# ------------------------------------------------------------------------------- sensitivity
def test_false_positive_two_lists_adds_inverse_capture_probability():
    # N' = (n1 + f) n2 / m: each false positive only on list 1 adds n2 / m = 60 / 20 = 3.
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 60], [0, 1, 40], [1, 1, 20]], "AB"))
    sw = mse.false_positives(t, ["A"], [-10, 10, 30], mse.Procedure(method="fixed"))
    assert list(sw["f"]) == [-10, 0, 10, 30]
    assert np.allclose(sw["change"], 3.0 * sw["f"])
    assert mse.per_false_positive(sw) == pytest.approx(3.0)


def test_false_positive_police_only_uk(mse_csv):
    t = _table(mse_csv, "UKdat_5")
    sw = mse.false_positives(t, ["PFNCA"], [0, 50, 100], reselect=False)
    slope = mse.per_false_positive(sw)
    assert 1 < slope < 20  # each false positive counts many times over
    assert (np.diff(sw["total"]) > 0).all()


def test_list_choices_rows(mse_csv):
    t = _table(mse_csv, "UKdat_4")
    lc = mse.list_choices(t, merges=[("LA", "NG")])
    assert list(lc["change"]) == ["as published", "drop LA", "drop NG", "drop PFNCA", "drop GO",
                                  "merge LA+NG"]
    assert lc.loc[0, "total"] == pytest.approx(mse.estimate(t, jobs=1, ci=()).best.total)


# ------------------------------------------------------------------------------- bootstrap
def test_bootstrap_batch_path_equals_exact_path(mse_csv):
    t = _table(mse_csv, "UKdat_4")
    proc = mse.Procedure()
    sel = mse.estimate(t, proc, jobs=1, ci=())
    plan = _plan(t, proc, sel, None)
    plan_d = dict(plan, design=_Design(t.k, plan["terms"]))
    rng = np.random.default_rng(5)
    draws = rng.multinomial(t.n_observed, t.counts / t.n_observed, size=6)
    fast = _search_batch(t.lists, draws, plan_d)
    for d, (tot, lab) in zip(draws, fast):
        ref_tot, ref_lab = _select_light(t.lists, t.k, d, plan_d)
        assert lab == ref_lab and tot == pytest.approx(ref_tot, rel=1e-6)


def test_bootstrap_seeded_and_covers_estimate(mse_csv):
    t = _table(mse_csv, "UKdat_4")
    a = mse.bootstrap(t, n=40, seed=7, jobs=1)
    b = mse.bootstrap(t, n=40, seed=7, jobs=2)
    assert np.allclose(a.estimates, b.estimates, equal_nan=True)
    assert a.percentile[0] < a.estimate < a.percentile[1]
    assert a.n_failed == 0 and len(a.estimates) == 40


def test_bootstrap_fixed_counts_failures_not_numbers():
    # B and C overlap by 1 person: resamples often lose it and the B:C model stops existing.
    t = mse.CaptureTable.from_frame(_frame([[1, 0, 0, 50], [0, 1, 0, 40], [0, 0, 1, 30],
                                            [1, 1, 0, 10], [1, 0, 1, 8], [0, 1, 1, 1]]))
    out = mse.bootstrap_fixed(t, ["B:C"], n=200, seed=2)
    assert out["n_failed"] > 0
    assert np.isnan(out["estimates"]).sum() == out["n_failed"]
    assert out["low"] < mse.fit(t, ["B:C"]).total < out["high"]


def test_from_dataset_matches_shared_table(mse_csv, tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path))  # load() notes inputs there
    t = mse.CaptureTable.from_dataset("mse-uk-2013-5")
    ref = _table(mse_csv, "UKdat_5")
    assert t.lists == ref.lists and (t.counts == ref.counts).all()
    assert t.labels["PFNCA"].startswith("police forces")


def test_bca_reduces_to_percentile_without_bias_or_acceleration():
    import numpy as np

    from critique.mse.bootstrap import bca_interval, bca_levels

    boot = np.arange(1.0, 1001.0)  # median 500.5: half the replicates below, so z0 = 0
    assert bca_levels(boot, 500.5, 0.0) == pytest.approx((0.025, 0.975))
    assert bca_interval(boot, 500.5, 0.0) == pytest.approx(
        (np.quantile(boot, 0.025), np.quantile(boot, 0.975)))
    # an estimate above most replicates shifts both ends upwards (bias correction)
    low, high = bca_interval(boot, 700.0, 0.0)
    assert low > np.quantile(boot, 0.025) and high > np.quantile(boot, 0.975)
