"""Coverage charts: no data is a gap (never zero) and the partial year is drawn apart and marked."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from critique.figures import coverage as figures  # noqa: E402

NaN = float("nan")
COUNTS = pd.DataFrame({"total": [NaN, NaN, 59, 74, 55], "forms": [3, 8, 47, 61, 43],
                       "forms_strict": [2, 5, 41, 53, 35]}, index=pd.Index([2005, 2006, 2007, 2008, 2009], name="year"))


def _lines(ax):
    return [line for line in ax.get_lines() if len(line.get_xdata())]


def test_no_data_is_a_gap_not_zero_and_partial_year_is_not_joined():
    fig = figures.countries_reporting(COUNTS, partial=[2009])
    ax = fig.axes[0]
    total = _lines(ax)[0]
    y = np.asarray(total.get_ydata(), dtype=float)
    assert np.isnan(y[:2]).all() and 0 not in y[:2]          # 2005-2006: gap, not zero
    assert np.isnan(y[-1])                                   # 2009 is not joined to 2008
    hollow = [line for line in _lines(ax) if line.get_markerfacecolor() == "white"]
    assert [list(line.get_xdata()) for line in hollow] == [[2009]] * 3
    assert any(t.get_text() == figures.PARTIAL_LABEL for t in ax.texts)
    assert figures.PARTIAL_LABEL in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def test_no_partial_year_no_mark():
    fig = figures.countries_reporting(COUNTS, partial=[])
    assert not fig.axes[0].texts
    plt.close(fig)


def test_share_chart_keeps_partial_year_out_of_the_band():
    share = pd.DataFrame({"share_low": [0.5, 0.6, 0.4], "share_high": [0.52, 0.61, 0.45]},
                         index=pd.Index([2019, 2020, 2021], name="year"))
    fig = figures.share_all_vs_panel(share, share.iloc[:2], panel_size=10, window=(2019, 2020), partial=[2021])
    ax = fig.axes[0]
    bands = [c for c in ax.collections if c.get_label().startswith(("all", "fixed"))]
    xs = np.concatenate([b.get_paths()[0].vertices[:, 0] for b in bands])
    assert xs.max() <= 2020
    plt.close(fig)


def test_decomposition_bars_stack_to_the_parts():
    dec = pd.DataFrame({"change": [4.0], "entering": [7.0], "leaving": [0.0], "continuing": [-3.0]},
                       index=pd.Index([2020], name="year"))
    fig = figures.change_decomposition(dec)
    heights = sorted(p.get_height() for p in fig.axes[0].patches)
    assert heights == [-3.0, 0.0, 0.0, 0.0, 0.0, 7.0]
    plt.close(fig)
