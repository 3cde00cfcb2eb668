"""Charts of notebook 30 (TIP law-enforcement figures): one function a chart, data in, figure out."""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from matplotlib.ticker import StrMethodFormatter

from critique.charts import integer_years

THOUSANDS = StrMethodFormatter("{x:,.0f}")

BLUE, RED, BROWN = "#1f4e79", "#b22222", "#7a4f01"
STATUS_STYLE = {"primary": {"marker": "o"}, "secondary": {"marker": "o"},
                "unverified": {"marker": "o", "mfc": "white"}}


def series_panels(S: pd.DataFrame, measures: Sequence[str], flagged: pd.DataFrame,
                  stated: pd.DataFrame) -> plt.Figure:
    """One panel per measure: the annual global total, gaps left open, large changes labelled.

    S: ``enforcement.series`` (index data year; ``<measure>`` and ``<measure>_verification``).
    flagged: flagged year-on-year changes (``measure, data_year, value, change, explanation``).
    stated: changes a source states (``measure, data_year, stated_change, compared_with_year,
    verification``), drawn as triangles at the top of the panel (their levels may be missing).
    """
    fig, axes = plt.subplots(len(measures), 1, figsize=(10, 2.9 * len(measures) + 0.6), sharex=True,
                             squeeze=False)
    for ax, m in zip(axes[:, 0], measures):
        ax.plot(S.index, S[m], color=BLUE, lw=1.5)  # NaN breaks the line: no bridge over a gap
        for status, style in STATUS_STYLE.items():
            pts = S[m].where(S[f"{m}_verification"] == status)
            if pts.notna().any():
                ax.plot(S.index, pts, ls="none", color=BLUE, label=status, **style)
        for r in flagged.loc[flagged["measure"] == m].itertuples():
            ax.annotate(f"{r.change:+.0%}" + (" *" if isinstance(r.explanation, str) else ""),
                        (r.data_year, r.value), textcoords="offset points",
                        xytext=(0, 7) if r.change >= 0 else (0, -9), va="bottom" if r.change >= 0 else "top",
                        ha="center", fontsize=7.5, color=RED)  # a fall labelled below its point
        for k, r in enumerate(stated.loc[stated["measure"] == m].itertuples()):
            ax.plot(r.data_year, 0.97, marker="v", color=BROWN, transform=ax.get_xaxis_transform(),
                    clip_on=False)
            ax.annotate(f"stated {r.stated_change:+.0%} vs {r.compared_with_year} ({r.verification})",
                        (r.data_year, 0.97), xycoords=ax.get_xaxis_transform(), textcoords="offset points",
                        xytext=(6, -3 - 9 * k), fontsize=7, color=BROWN, va="top", ha="left")
        ax.set_ylabel(m.replace("_", " "))
        ax.yaxis.set_major_formatter(THOUSANDS)
        top = S[m].max()
        # headroom so the change labels and the stated changes at the top do not cover the data
        ax.set_ylim(0, 1.45 * top if np.isfinite(top) and top > 0 else None)
    axes[0, 0].legend(fontsize=7, title="verification", title_fontsize=7, loc="lower right")
    integer_years(axes[-1, 0])  # data years, not 2002.5
    axes[-1, 0].set_xlabel("data year (gaps: no figure found in a stored source)")
    return fig


def series_table(S: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """The numbers behind :func:`series_panels` (one row per data year)."""
    cols = [c for m in measures for c in (m, f"{m}_verification") if c in S.columns]
    return S[cols].rename_axis("data_year").reset_index()


def ratios(R: pd.DataFrame, columns: Sequence[str] = ("convictions_per_prosecution", "convictions_per_victim",
                                                     "prosecutions_per_victim")) -> plt.Figure:
    """Ratios of annual totals by data year, one line each (``R`` from ``enforcement.ratios``)."""
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for col in columns:
        ax.plot(R.index, R[col], marker="o", label=col.replace("_", " "))
    ax.set_xlabel("data year")
    ax.set_ylabel("ratio of annual totals")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    integer_years(ax)
    return fig


def labour_share(L: pd.DataFrame, measures: Sequence[str]) -> plt.Figure:
    """Labour trafficking's share of each total, per cent (``L`` from ``enforcement.labour_shares``)."""
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for m in measures:
        ax.plot(L.index, 100 * L[f"{m}_labour_share"], marker="o", label=m.replace("_", " "))
    ax.set_xlabel("data year")
    ax.set_ylabel("% labour trafficking")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    integer_years(ax)
    return fig


def funnel(F: pd.DataFrame) -> plt.Figure:
    """A global estimate beside the annual counts, log scale (``F`` from ``enforcement.funnel``)."""
    fig, ax = plt.subplots(figsize=(9, 4))
    values = F["value"][::-1].to_numpy(dtype=float)
    ax.barh(F["stage"][::-1], np.where(np.isfinite(values), values, np.nan), color=BLUE)
    ax.set_xscale("log")
    ax.set_xlabel("people or cases (log scale)")
    finite = values[np.isfinite(values)]
    if len(finite):
        ax.set_xlim(right=finite.max() * 8)  # room for the value labels
    for i, (v, st) in enumerate(zip(values, F["verification"][::-1])):
        ax.text(v if np.isfinite(v) else 1, i, f" {v:,.0f} ({st})" if np.isfinite(v) else " no figure",
                va="center", fontsize=8)
    return fig
