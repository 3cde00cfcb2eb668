"""Charts of notebook 32 (an alternative to the tiers): one function a chart, a Figure out.

Inputs are the results of :mod:`critique.methods.scorecards`; no function saves or titles the figure
(``critique.figures.charts.finalise`` does). Labels come from ``critique.methods.scorecards.align.MEASURES``.
"""
from __future__ import annotations

import textwrap
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from critique.core.i18n import N_, _
from critique.methods.scorecards.align import MEASURES
from critique.methods.scorecards.composite import CompositeResult


_SHORT = {"unodc_years_reporting": N_("with years reporting to UNODC"), "gsi_vulnerability": N_("with GSI vulnerability")}


def _label(name: str) -> str:
    """An assessment's label (``align.MEASURES``), translated where the catalogue has it."""
    return _(MEASURES[name].label) if name in MEASURES else name


def agreement_matrix(table: pd.DataFrame, measures: Sequence[str]) -> plt.Figure:
    """Heatmap of pairwise rank correlations (``agreement.correlation_table``): each cell shows the
    estimate, its interval and n; the diagonal and pairs without an estimate are left blank."""
    k = len(measures)
    mat = np.full((k, k), np.nan)
    text = [["" for _ in range(k)] for _ in range(k)]
    pos = {m: i for i, m in enumerate(measures)}
    for r in table.itertuples():
        if r.a in pos and r.b in pos and not np.isnan(r.estimate):
            i, j = pos[r.a], pos[r.b]
            mat[i, j] = mat[j, i] = r.estimate
            text[i][j] = text[j][i] = _("{estimate:.2f}\n[{low:.2f}, {high:.2f}]\nn={n}", estimate=r.estimate,
                                        low=r.low, high=r.high, n=r.n)
    fig, ax = plt.subplots(figsize=(1.6 * k + 3, 1.3 * k + 1.5))
    im = ax.imshow(np.ma.masked_invalid(mat), cmap="RdBu", vmin=-1, vmax=1)
    for i in range(k):
        for j in range(k):
            if text[i][j]:
                ax.text(j, i, text[i][j], ha="center", va="center", fontsize=7,
                        color="white" if abs(mat[i, j]) > 0.6 else "black")
    labels = [_label(m) for m in measures]
    # wrapped and level: slanted labels' boxes run into each other's
    ax.set_xticks(range(k), [textwrap.fill(lab, 14) for lab in labels], fontsize=7.5)
    ax.set_yticks(range(k), labels, fontsize=8)
    ax.grid(False)
    fig.colorbar(im, ax=ax, shrink=0.7, label=_("Spearman rank correlation"))
    return fig


def tier_distribution(aligned: pd.DataFrame, measures: Sequence[str]) -> plt.Figure:
    """For each assessment, its percentile rank among countries by TIP tier (one panel each):
    points are countries, bars the median. Where a tier's countries spread over the whole range,
    the tier says little about how the other assessment sees them."""
    tiers = [(4.0, _("Tier 1")), (3.0, _("Tier 2")), (2.0, _("Watch\nList")), (1.0, _("Tier 3"))]
    ncols = min(3, len(measures))
    nrows = -(-len(measures) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols + 0.8, 3.4 * nrows + 1.6), sharey=True, squeeze=False)
    for ax in axes.flat[len(measures):]:
        ax.set_visible(False)
    rng = np.random.default_rng(0)
    for ax, m in zip(axes.flat, measures):
        d = aligned[["tip_tier", m]].dropna()
        pr = d[m].rank(pct=True)
        for x, (t, name) in enumerate(tiers):
            y = pr[d["tip_tier"] == t].to_numpy()
            ax.scatter(x + rng.uniform(-0.18, 0.18, len(y)), 100 * y, s=9, alpha=0.6, color="#1f77b4")
            if len(y):
                ax.hlines(100 * np.median(y), x - 0.3, x + 0.3, color="black", lw=2)
            ax.text(x, -12, f"n={len(y)}", ha="center", fontsize=7)
        ax.set_xticks(range(4), [n for _, n in tiers], fontsize=8)
        ax.set_ylim(-18, 104)
        ax.set_title(_label(m), fontsize=9)
    for row in axes:
        row[0].set_ylabel(_("percentile rank\n(higher = better)"))
    return fig


def tier_against_consensus(table: pd.DataFrame) -> plt.Figure:
    """Dot plot of ``agreement.tier_against_consensus``: TIP's percentile rank (circle) against the
    others' mean (square) and their range (line), for the countries where they differ most."""
    t = table.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.35 * len(t) + 1.6))
    y = np.arange(len(t))
    ax.hlines(y, 100 * t["others_min_pct"], 100 * t["others_max_pct"], color="#999999", lw=3,
              label=_("range of the other assessments"))
    ax.scatter(100 * t["others_mean_pct"], y, marker="s", color="#555555", label=_("mean of the others"), zorder=3)
    ax.scatter(100 * t["tip_pct"], y, marker="o", color="#d62728", label=_("TIP tier"), zorder=4)
    ax.set_yticks(y, t.index)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("percentile rank among countries with every assessment (higher = better)"))
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
    return fig


def context_relation(table: pd.DataFrame) -> plt.Figure:
    """Forest plot of ``agreement.relation_to_context``: each assessment's rank correlation (with
    interval) with UNODC reporting years and with vulnerability."""
    contexts = list(dict.fromkeys(table["context"]))
    fig, axes = plt.subplots(1, len(contexts), figsize=(4.2 * len(contexts) + 1, 0.45 * table["assessment"].nunique() + 1.8),
                             sharey=True, squeeze=False)
    order = list(dict.fromkeys(table["assessment"]))
    for ax, c in zip(axes[0], contexts):
        d = table.loc[table["context"] == c].set_index("assessment").reindex(order)
        y = np.arange(len(order))[::-1]
        ax.errorbar(d["estimate"], y, xerr=[d["estimate"] - d["low"], d["high"] - d["estimate"]],
                    fmt="o", color="#1f77b4", ecolor="#777777", capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlim(-1, 1)
        ax.set_title(_(_SHORT[c]) if c in _SHORT else _label(c), fontsize=9)
        ax.set_xlabel(_("Spearman rank correlation (95% interval)"))
        ax.set_yticks(y, [_label(a) for a in order], fontsize=8)
    return fig


def composite_ranks(result: CompositeResult, *, top: int = 25, highlight: Sequence[str] = ()) -> plt.Figure:
    """Rank at the stated weights (dot) with the interval over weight draws (line), for the top
    ``top`` countries and any highlighted ones (highlighted in red, placed after the top)."""
    t = result.table
    show = list(t.index[:top]) + [h for h in highlight if h in t.index and h not in list(t.index[:top])]
    d = t.loc[show].iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.3 * len(d) + 1.8))
    y = np.arange(len(d))
    colours = ["#d62728" if i in highlight else "#1f77b4" for i in d.index]
    ax.hlines(y, d["rank_low"], d["rank_high"], color=colours, lw=3, alpha=0.5)
    ax.scatter(d["rank"], y, color=colours, zorder=3, s=18)
    ax.set_yticks(y, d.index, fontsize=8)
    ax.invert_xaxis()
    ax.set_xlabel(_("rank (1 = best) at the stated weights; line: {level:.0%} interval over {draws:,} weight draws",
                    level=result.level, draws=result.n_draws))
    ax.set_xlim(max(result.n, int(d["rank_high"].max())) + 1, 0)
    return fig


def rights_vs_response(aligned: pd.DataFrame, *, highlight: Sequence[str] = ()) -> plt.Figure:
    """Scatter of the rights-based sub-index against the GSI government-response total, with the
    highlighted countries labelled (other points jittered vertically by up to 0.8 so ties show)."""
    d = aligned[["gsi_response", "gsi_rights"]].dropna()
    fig, ax = plt.subplots(figsize=(7.5, 6))
    rng = np.random.default_rng(1)
    ax.scatter(d["gsi_response"], d["gsi_rights"] + rng.uniform(-0.8, 0.8, len(d)), s=12, alpha=0.6)
    for iso in highlight:
        if iso in d.index:
            ax.scatter(d.loc[iso, "gsi_response"], d.loc[iso, "gsi_rights"], color="#d62728", s=30, zorder=3)
            ax.annotate(iso, (d.loc[iso, "gsi_response"], d.loc[iso, "gsi_rights"]), xytext=(4, 4),
                        textcoords="offset points", fontsize=8, color="#d62728")
    ax.set_xlabel(_("GSI government response total (% of points)"))
    ax.set_ylabel(_("rights-based sub-index (%)"))
    return fig
