"""Intervals and averaging in critique.methods.mse: degenerate BCa, the percentile fallback, BIC weights."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

import critique.methods.mse as mse
from critique.methods.mse.average import weights
from critique.methods.mse.bootstrap import (bca_caution, bca_degenerate, bca_interval, bca_levels,
                                    bias_correction, percentile_interval)


@pytest.fixture(autouse=True)
def _output_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path / "out"))  # load() notes inputs there


def test_bca_levels_by_hand():
    # 180 of 1,000 replicates below the estimate: z0 = qnorm(0.18) = -0.91537;
    # acceleration -0.166. Lower level: Phi(z0 + (z0 - 1.95996) / (1 + 0.166 (z0 - 1.95996))).
    boot = np.concatenate([np.linspace(7000, 11000, 180), np.linspace(12000, 40000, 820)])
    z0 = bias_correction(boot, 11313.0)
    assert z0 == pytest.approx(stats.norm.ppf(0.18), abs=1e-12)
    za = stats.norm.ppf(0.025)
    lo_expected = stats.norm.cdf(z0 + (z0 + za) / (1 - (-0.166) * (z0 + za)))
    lo, hi = bca_levels(boot, 11313.0, -0.166)
    assert lo == pytest.approx(lo_expected, rel=1e-12)
    assert lo < 1 / 1000  # below what 1,000 replicates resolve
    assert "outside what they resolve" in bca_degenerate((lo, hi), 1000)
    assert "z0 = -0.92" in bca_caution(z0)
    # a large z0 alone is flagged, not replaced: levels inside the resolution keep BCa
    assert bca_degenerate((0.002, 0.9), 1000) == "" and bca_caution(0.3) == ""


def test_bca_not_degenerate_when_centred():
    boot = np.arange(1.0, 1001.0)
    assert bca_degenerate(bca_levels(boot, 500.5, 0.0), 1000) == ""
    assert bca_interval(boot, 500.5, 0.0) == pytest.approx(percentile_interval(boot))


def test_degenerate_bca_on_uk5_falls_back_to_percentile_which_brackets_the_estimate():
    # The old convention (BIC on cells, pairwise, non-overlapping pairs refused) picks 11,313 on
    # UK5, but most resamples pick bigger models: BCa is degenerate there (issue 12).
    t = mse.CaptureTable.from_dataset("mse-uk-2013-5")
    proc = mse.Procedure(bic_sample_size="cells", max_order=2, empty_overlaps="refuse")
    b = mse.bootstrap(t, proc, n=200, seed=1, jobs=1)
    assert b.estimate == pytest.approx(11_313.0, abs=0.5)
    assert b.degenerate and b.interval_kind == "percentile (BCa degenerate)"
    assert b.interval == b.percentile
    assert b.percentile[0] < b.estimate < b.percentile[1]
    assert b.share_below < 0.31 and any("percentile interval is reported" in w for w in b.warnings)


def test_bic_weights_by_hand():
    # Two models 2 BIC apart: weights 1 / (1 + e^-1) and e^-1 / (1 + e^-1).
    w = weights(np.array([100.0, 102.0, np.inf]))
    assert w == pytest.approx([1 / (1 + math.e**-1), math.e**-1 / (1 + math.e**-1), 0.0])
    assert np.allclose(weights(np.array([[5.0, 5.0], [1.0, np.inf]])), [[0.5, 0.5], [1.0, 0.0]])


def test_average_on_korea_by_hand():
    # Korea, package model set: the six BIC values and totals of the user guide.
    t = mse.CaptureTable.from_dataset("mse-korea")
    sel = mse.search_all(t, jobs=1, ci=())
    avg = mse.average(sel)
    bic = np.array([57.14081, 58.96860, 91.89711, 138.06368, 155.16018, 184.14431])
    tot = np.array([157.1667, 268.7778, 123.4630, 126.1944, 126.9394, 141.9926])
    w = np.exp(-(bic - bic.min()) / 2)
    w /= w.sum()
    assert avg.total == pytest.approx(float(w @ tot), abs=1e-3)
    assert avg.n_models == 6 and avg.weights["weight"].sum() == pytest.approx(1.0)
    res = mse.run(t, mse.Procedure(method="average"), intervals=False)
    assert res.total == pytest.approx(avg.total) and res.method == "average"


def test_near_best_rule_is_stated_and_keeps_several_models():
    t = mse.CaptureTable.from_dataset("mse-uk-2013-5")
    sel = mse.search_all(t, max_order=2, jobs=1, ci=())
    near = sel.near_best()
    assert (near["delta"] <= 2 * math.log(20)).all()
    assert len(near) >= 4 and near.iloc[0]["total"] == pytest.approx(22_991.3, abs=0.05)


def test_registry_plugs_in_a_method():
    def constant(table, procedure, *, intervals, n_boot, seed, jobs):
        return mse.PopulationEstimate("constant", "constant_test", "always 2x observed",
                                      table.name, table.k, table.n_observed,
                                      2.0 * table.n_observed, "none")

    mse.register("constant_test", constant, "always twice the people observed")
    t = mse.CaptureTable.from_dataset("mse-korea")
    res = mse.run(t, mse.Procedure(method="constant_test"))
    assert res.total == 246.0
    frame, _ = mse.compare([(t, mse.Procedure(method="constant_test", name="x")),
                            (t, mse.Procedure(name="package"))])
    assert list(frame["total"].round(4)) == [246.0, 157.1667]
    with pytest.raises(ValueError, match="Procedure.method='nope'"):
        mse.Procedure(method="nope")
