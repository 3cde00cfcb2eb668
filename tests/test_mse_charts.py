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
