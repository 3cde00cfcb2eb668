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


def test_decomposition_marks_a_partial_year_only_when_the_caller_kept_it():
    dec = pd.DataFrame({"change": [4.0, -9.0], "entering": [7.0, 0.0], "leaving": [0.0, -9.0],
                        "continuing": [-3.0, 0.0]}, index=pd.Index([2020, 2021], name="year"))
    fig = figures.change_decomposition(dec, partial=[2021])
    assert [t.get_text() for t in fig.axes[0].texts] == [figures.PARTIAL_LABEL]
    plt.close(fig)
    fig = figures.change_decomposition(dec.loc[[2020]], partial=[2021])
    assert not fig.axes[0].texts
    plt.close(fig)


def test_coverage_by_year_draws_the_partial_year_hollow_unjoined_and_marked():
    from critique.figures import overview as ofig

    series = {"glotip": pd.Series([116, 125, 55], index=[2019, 2020, 2021]),
              "fbi-ucr-ht": pd.Series([10, 104], index=[2013, 2015])}  # 2014 missing: a gap
    partial = {"glotip": [2021]}
    fig = ofig.coverage_by_year(series, {"glotip": "countries", "fbi-ucr-ht": "agencies"}, 2001, partial)
    ax = fig.axes[0]
    glotip, hollow, fbi = _lines(ax)
    assert list(np.asarray(glotip.get_ydata(), dtype=float)[:2]) == [116, 125]
    assert np.isnan(glotip.get_ydata()[2])                   # 2021 not joined to 2020
    assert list(hollow.get_xdata()) == [2021] and list(hollow.get_ydata()) == [55]
    assert hollow.get_markerfacecolor() == "white" and hollow.get_color() == glotip.get_color()
    assert list(fbi.get_xdata()) == [2013, 2014, 2015] and np.isnan(fbi.get_ydata()[1])  # gap, not zero
    assert any(t.get_text() == figures.PARTIAL_LABEL for t in ax.texts)
    plt.close(fig)
    table = ofig.coverage_table(series, 2001, partial)
    assert table.loc[table["partial"], ["source", "year", "units"]].values.tolist() == [["glotip", 2021, 55]]
    assert int(table["partial"].sum()) == 1


def test_fbi_chart_legend_sits_over_the_bars_and_clear_of_the_data():
    idx = pd.Index(range(2013, 2021))
    offences = pd.Series([20, 470, 830, 1280, 1300, 1460, 2080, 2160], index=idx)
    panel = pd.Series([NaN, NaN, NaN, 580, 610, 570, 650, 600], index=idx)
    agencies = pd.Series([10, 104, 135, 225, 271, 323, 463, 503], index=idx)
    fig = figures.fbi_offences_vs_agencies(offences, panel, agencies, offences / agencies,
                                           panel_label="offences, 39 agencies with a record every year 2016-2020")
    ax, ax2 = fig.axes[0], fig.axes[2]
    assert ax.get_zorder() > ax2.get_zorder()
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "agencies with a record (bars, right axis)"
    assert ax.get_ylim()[1] == 1.6 * 2160 and ax2.get_ylim()[1] == 1.6 * 503
    plt.close(fig)


def test_share_chart_draws_the_series_without_the_flagged_country_and_names_it():
    share = pd.DataFrame({"share_low": [0.5, 0.6, 0.55], "share_high": [0.52, 0.61, 0.56]}, index=[2019, 2020, 2021])
    without = pd.DataFrame({"share_low": [0.3, 0.4, 0.35], "share_high": [0.32, 0.42, 0.37]}, index=[2019, 2020, 2021])
    fig = figures.share_all_vs_panel(share, share.iloc[:0], panel_size=0, window=(2019, 2020), partial=[2021],
                                     without=without, without_name="Pakistan")
    ax = fig.axes[0]
    dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    assert list(dashed[0].get_xdata()) == [2019, 2020]                       # the partial year is not joined
    assert np.allclose(dashed[0].get_ydata(), [31.0, 41.0])                  # middle of the bounds, in %
    assert "all reporting countries without Pakistan" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)


def test_latest_split_draws_one_pair_of_bars_per_way_of_counting():
    data = pd.DataFrame({"pooling": ["single year", "single year", "UNODC 2024 report (secondary)"],
                         "excluded": ["", "PAK", ""], "Sexual exploitation": [49.2, 33.0, 38.0],
                         "Forced labour": [26.4, 34.0, 42.0]})
    fig = figures.latest_split(data)
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 1) for p in ax.patches)
    assert widths == sorted([49.2, 33.0, 38.0, 26.4, 34.0, 42.0])
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[1] == "single year, without PAK" and labels[2].startswith("UNODC 2024 report")
    plt.close(fig)
