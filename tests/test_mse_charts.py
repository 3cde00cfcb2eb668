"""critique.figures.mse: the resampled-estimates chart never shows a BCa interval alone where the
percentile interval of the same resamples disagrees with it (notebook 40, section 2's rule)."""
from __future__ import annotations

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from critique.figures import mse as mse_charts  # noqa: E402


def _result(disagreement: str, kind: str = "BCa"):
    rng = np.random.default_rng(1)
    boot = SimpleNamespace(estimates=rng.normal(12_000, 2_000, 500), interval_kind=kind,
                           percentile=(10_022.0, 24_792.0), disagreement=disagreement)
    return SimpleNamespace(bootstrap=boot, total=11_418.0, interval=(8_844.0, 14_434.0),
                           intervals={"profile (model known)": (10_001.0, 13_182.0)}, name="stepwise",
                           table="uk6", interval_kind=f"bootstrap {kind}")


def _drawn(fig):
    ax = fig.axes[1]
    lines = {tuple(np.round(line.get_xdata(), 0)): line.get_label() for line in ax.get_lines()}
    return ax.get_title(loc="left"), lines


def test_percentile_interval_is_drawn_beside_bca_only_where_they_disagree():
    title, lines = _drawn(mse_charts.bootstrap_distributions([_result("bias correction z0 = -0.52")],
                                                             (10_000, 13_000)))
    assert lines[(10_022.0, 24_792.0)] == mse_charts.PERCENTILE_DISAGREES
    assert lines[(8_844.0, 14_434.0)] == "reported 95% interval"
    assert title.endswith("bootstrap BCa and percentile disagree (both drawn)")
    plt.close("all")
    title, lines = _drawn(mse_charts.bootstrap_distributions([_result("")], (10_000, 13_000)))
    assert (10_022.0, 24_792.0) not in lines and title.endswith("; bootstrap BCa")
    plt.close("all")
    # a percentile interval reported because BCa is degenerate is the reported one: nothing beside it
    title, lines = _drawn(mse_charts.bootstrap_distributions([_result("x", kind="percentile")], (10_000, 13_000)))
    assert (10_022.0, 24_792.0) not in lines and title.endswith("; bootstrap percentile")
    plt.close("all")


def _methods_frame(disagree: str):
    import pandas as pd

    return pd.DataFrame([
        {"table": "uk5", "key": "stepwise", "procedure": "stepwise", "observed": 2_744, "total": 11_313.0,
         "low": 9_034.0, "high": 14_973.0, "interval": "bootstrap BCa", "percentile_low": 9_983.0,
         "percentile_high": 27_160.0, "disagree": disagree, "converged": None},
        {"table": "uk5", "key": "dga", "procedure": "dga", "observed": 2_744, "total": 22_990.0,
         "low": 10_387.0, "high": 33_510.0, "interval": "posterior", "percentile_low": float("nan"),
         "percentile_high": float("nan"), "disagree": "", "converged": None}])


def test_many_methods_draws_the_percentile_interval_only_where_it_disagrees_with_bca():
    fig = mse_charts.many_methods(_methods_frame("an end moves by 71%"))
    dashed = [line for line in fig.axes[0].get_lines() if line.get_label() == mse_charts.PERCENTILE_DISAGREES]
    assert len(dashed) == 1
    assert np.allclose(dashed[0].get_xdata(), [9_983.0 / 2_744, 27_160.0 / 2_744])
    plt.close("all")
    fig = mse_charts.many_methods(_methods_frame(""))
    assert not [line for line in fig.axes[0].get_lines() if line.get_label() == mse_charts.PERCENTILE_DISAGREES]
    plt.close("all")
