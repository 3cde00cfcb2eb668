"""Bayesian multiple systems estimation against the R packages' results (issue 18).

Reference values: R 4.2.2 with dga 2.0.2 (``bma.cr``) and LCMCR 0.4.14 (``lcmCR``), run on the
tables of ``shared/data/reference/published/mse`` (quoted in issue 18). dga is exact, so it must agree
to the person; LCMCR is a Markov chain, so its median must agree within 5% and the chains must agree
with each other (R-hat < 1.05).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from critique.methods.mse import CaptureTable, CaptureTableError
from critique.methods.mse.dga import dga, decomposable_graphs, isolated
from critique.methods.mse.lcmcr import diagnostics, lcmcr

IDS = {"UKdat_5.csv": "mse-uk-2013-5", "UKdat.csv": "mse-uk-2013", "Kosovo.csv": "mse-kosovo"}


def _table(name: str) -> CaptureTable:
    return CaptureTable.from_dataset(IDS[name])


def test_decomposable_graph_counts_are_the_known_ones():
    # Labelled chordal graphs on 3, 4, 5 vertices: 8, 61, 822 (OEIS A058862; dga's graphs3/4/5).
    assert [len(decomposable_graphs(k)) for k in (3, 4, 5)] == [8, 61, 822]


def test_separators_of_a_chain_graph():
    # 0-1-2 path: cliques {0,1}, {1,2}, separator {1}.
    g = [g for g in decomposable_graphs(3) if g.edges == ((0, 1), (1, 2))][0]
    assert sorted(g.cliques) == [0b011, 0b110] and g.separators == (0b010,)


def test_dga_uk_five_lists_matches_r():
    r = dga(_table("UKdat_5.csv"), n_missing=np.arange(1, 60_001), delta=1 / 32)
    assert r.estimate == 22_990
    assert r.interval == (10_387, 33_509)
    assert r.mean == pytest.approx(21_282, abs=0.5)
    assert r.posterior.sum() == pytest.approx(1.0)
    assert r.graph_weights.sum() == pytest.approx(1.0)
    assert not r.warnings


def test_dga_kosovo_matches_r():
    r = dga(_table("Kosovo.csv"), n_missing=np.arange(1, 60_001), delta=1 / 16)
    assert (r.estimate, r.interval) == (12_595, (9_827, 16_544))


def test_dga_default_delta_is_two_to_minus_k():
    t = _table("Kosovo.csv")
    grid = np.arange(1, 30_001)
    assert dga(t, n_missing=grid).estimate == dga(t, n_missing=grid, delta=1 / 16).estimate


def test_dga_flags_a_truncating_grid():
    r = dga(_table("UKdat_5.csv"), n_missing=np.arange(0, 12_001), delta=1 / 32)
    assert any("beyond the grid" in w for w in r.warnings)


def test_dga_sees_a_heavy_tail_beyond_the_grid():
    # A review's counterexample: on 0..25 x observed only 0.1% of the mass sits in the grid's top 1%,
    # yet about 9% lies beyond it (the saturated graph's tail decays like a power of N). A grid the
    # caller fixes is flagged; the default grid is widened until the estimated mass beyond is < 0.1%.
    hist = (np.arange(1, 8)[:, None] >> np.arange(3)) & 1
    frame = pd.DataFrame(hist, columns=list("ABC")).assign(count=[184, 398, 22, 338, 14, 3, 7])
    fixed = dga(frame, n_missing=np.arange(0, 25 * 966 + 1))
    assert any("beyond the grid" in w for w in fixed.warnings)
    wide = dga(frame)
    assert wide.n_missing[-1] > 25 * 966 and not wide.warnings
    assert wide.interval[1] > 3 * fixed.interval[1]


def test_dga_accepts_a_dataframe_and_refuses_wrong_input():
    frame = _table("Kosovo.csv").to_frame() if hasattr(CaptureTable, "to_frame") else \
        pd.DataFrame(_table("Kosovo.csv").histories, columns=_table("Kosovo.csv").lists).assign(
            count=_table("Kosovo.csv").counts)
    assert dga(frame, n_missing=np.arange(1, 30_001)).estimate == \
        dga(_table("Kosovo.csv"), n_missing=np.arange(1, 30_001)).estimate
    with pytest.raises(CaptureTableError, match="3 to 5 lists"):
        dga(_table("UKdat.csv"))
    with pytest.raises(ValueError, match="whole numbers"):
        dga(frame, n_missing=np.array([0.5, 1.5]))


def _isolated_table() -> CaptureTable:
    frame = pd.DataFrame({"A": [1, 0, 0, 1], "B": [0, 1, 0, 1], "C": [0, 0, 1, 0],
                          "count": [100, 80, 50, 20]})
    return CaptureTable.from_frame(frame, name="isolated")


def test_a_list_that_overlaps_no_other_is_refused_or_reported():
    t = _isolated_table()
    assert isolated(t) == ["C"]
    with pytest.raises(CaptureTableError, match="C overlap no other list"):
        dga(t)
    with pytest.raises(CaptureTableError, match="C overlap no other list"):
        lcmcr(t, chains=2, burnin=10, samples=10, thinning=1, jobs=1)
    reported = dga(t, isolated_lists="report", n_missing=np.arange(0, 50_001))
    assert any("overlaps no other list" in w for w in reported.warnings)


def test_lcmcr_kosovo_matches_r_with_converged_chains():
    # R: lcmCR(K=10, a_alpha=b_alpha=0.25), burnin 10,000, 1,000 samples thinned by 100, seed 123:
    # median 10,403, 95% 9,061-13,943.
    r = lcmcr(_table("Kosovo.csv"), chains=4, seed=123, jobs=2)
    assert r.estimate == pytest.approx(10_403, rel=0.05)
    assert r.rhat < 1.05  # the issue's bar; the suite's own rule is Vehtari et al.'s 1.01
    assert r.draws.shape == (4, 1_000)
    # converged means R-hat < 1.01 and at least 400 effective draws (bulk and tail); with the
    # package example's chain length the tail ESS on Kosovo falls short, and the result says so
    assert r.converged == (r.rhat < 1.01 and r.ess >= 400)
    assert all("effective sample size" in w for w in r.warnings) or not r.warnings
    lo, hi = r.interval
    assert lo == pytest.approx(9_061, rel=0.10) and hi == pytest.approx(13_943, rel=0.10)


def test_lcmcr_is_reproducible_per_seed():
    t = _table("Kosovo.csv")
    a = lcmcr(t, chains=2, burnin=200, samples=50, thinning=2, seed=7, jobs=1)
    b = lcmcr(t, chains=2, burnin=200, samples=50, thinning=2, seed=7, jobs=1)
    assert np.array_equal(a.draws, b.draws)
    assert a.settings["seeds"] == [7, 8]
    assert (a.draws >= t.counts.sum()).all()


def test_diagnostics_see_disagreeing_chains():
    rng = np.random.default_rng(0)
    same = rng.normal(0, 1, size=(4, 500))
    apart = same + np.array([[0], [0], [5], [5]])
    assert diagnostics(same)[0] < 1.01
    assert diagnostics(apart)[0] > 1.5
    # one chain: no R-hat, but the ESS still sees autocorrelation (an AR(1) chain, rho 0.9)
    ar = np.zeros(2_000)
    for i in range(1, ar.size):
        ar[i] = 0.9 * ar[i - 1] + rng.normal()
    rhat, ess = diagnostics(ar[None, :])
    assert np.isnan(rhat) and ess < 400


def test_lcmcr_refuses_bad_settings():
    with pytest.raises(ValueError, match="K must be at least 1"):
        lcmcr(_table("Kosovo.csv"), K=0)


def test_bayesian_methods_are_procedures():
    import critique.methods.mse as mse

    kosovo = _table("Kosovo.csv")
    p = mse.Procedure(method="dga", options=(("delta", 1 / 16), ("grid_max", 60_000)))
    r = mse.run(kosovo, p)
    assert (r.total, r.interval) == (12_595, (9_827, 16_544))
    six = mse.run(_table("UKdat.csv"), mse.Procedure(method="dga"))
    assert not six.ok and "3 to 5 lists" in six.warnings[0]
    assert {"dga", "lcmcr"} <= set(mse.many_methods())
    quick = mse.run(kosovo, mse.Procedure(method="lcmcr", options=(
        ("chains", 2), ("samples", 50), ("thinning", 2), ("burnin", 100))), seed=5, jobs=1)
    assert quick.details["posterior"].settings["seeds"] == [5, 6]
    assert quick.n_observed == 4_400 and quick.total >= 4_400
