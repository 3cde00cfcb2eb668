"""Charts of notebook 11 (detection bias): one function a chart, result in, Figure out, no saving."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from critique.core.i18n import _
from critique.figures.charts import num
from critique.methods.detection import FL, SE, BiasAnalysis

_DENOM_COLOURS = {"se_fl": "#1f4e79", "all": "#c55a11"}


def editions_vs_estimates(editions: pd.DataFrame, estimate_share: pd.Series) -> plt.Figure:
    """UNODC detected shares by edition (columns SE, FL, percent; index = edition) beside the SE share
    of each global estimate (``estimate_share``: percent, index = release year)."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.plot(editions.index, editions[SE], marker="o", color="#1f4e79",
            label=_("UNODC: sexual exploitation, % of detected victims"))
    ax.plot(editions.index, editions[FL], marker="s", color="#7f7f7f",
            label=_("UNODC: forced labour, % of detected victims"))
    ax.scatter(estimate_share.index, estimate_share.to_numpy(), marker="D", color="#c55a11", zorder=3,
               label=_("ILO (/Walk Free/IOM) estimate: forced commercial sexual exploitation, "
                       "% of it + private forced labour"))
    ax.set_ylim(0, 100)
    ax.set_ylabel("%")
    ax.set_xlabel(_("edition (release year)"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    if any("\n" in label for label in ax.get_legend_handles_labels()[1]):  # a translation on two lines: below
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(0.0, -0.2), frameon=False)
    else:
        ax.legend(fontsize=7, loc="upper right")
    return fig


def true_share_by_edition(span: pd.DataFrame, at: pd.DataFrame, breakeven: pd.Series,
                          derived: pd.Series, ratio_min: float, ratio_max: float) -> plt.Figure:
    """For each edition (rows of ``span``/``at``: true SE share as fractions, columns = ratios), a bar
    over every ratio in [ratio_min, ratio_max], dots at the marked ratios (``at``'s columns), and the
    break-even ratio as text. ``derived``: per edition, True if "other" was derived (starred)."""
    editions = list(span.index)
    marks = list(at.columns)
    fig, ax = plt.subplots(figsize=(8, 0.7 * len(editions) + 2.2))
    ys = np.arange(len(editions))[::-1]
    cmap = plt.get_cmap("viridis")
    for y, e in zip(ys, editions):
        lo, hi = 100 * span.loc[e, ratio_max], 100 * span.loc[e, ratio_min]
        ax.plot([lo, hi], [y, y], color="#bbbbbb", linewidth=8, solid_capstyle="butt", zorder=1,
                label=_("every ratio {low}-{high}", low=num(ratio_min, "g"), high=num(ratio_max, "g"))
                if y == ys[0] else None)
        for i, r in enumerate(marks):
            ax.scatter(100 * at.loc[e, r], y, color=cmap(i / max(1, len(marks) - 1)), s=60, zorder=3,
                       label=(_("{r}x as readily (= detected share)", r=num(r, "g")) if r == 1 else
                              _("{r}x as readily", r=num(r, "g"))) if y == ys[0] else None)
        ax.text(101, y, _("majority only if r < {ratio:.2f}", ratio=breakeven[e]), va="center", fontsize=8)
    ax.axvline(50, color="black", linestyle="--", linewidth=1)
    ax.set_yticks(ys, [f"{e}{' *' if derived.get(e, False) else ''}" for e in editions])
    ax.set_xlim(0, 130)
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlabel(_("true share of sexual exploitation, % (scenario)"))
    ax.set_ylim(-0.6, len(editions) + 0.4)
    ax.legend(fontsize=7, loc="upper left", ncol=3, title=_("sexual exploitation detected ..."),
              title_fontsize=7)
    return fig


def share_surface(surface: pd.DataFrame) -> plt.Figure:
    """One line per edition (rows of ``surface``; columns = ratios, values = true SE share, fractions)."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for e, row in surface.iterrows():
        ax.plot(row.index, 100 * row.to_numpy(), label=str(e))
    ax.axhline(50, color="black", linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_ylim(0, 100)
    ax.set_xlabel(_("relative detection rate of sexual exploitation (log scale)"))
    ax.set_ylabel(_("true share of sexual exploitation, %"))
    ax.legend(title=_("edition"), fontsize=8)
    return fig


def implied_ratio_range(table: pd.DataFrame, low: float, high: float) -> plt.Figure:
    """Every pairing of :func:`critique.methods.detection.pairing_table` as a point (ratio at the midpoint
    split) with a whisker over the suppressed-cell bounds, coloured by denominator; partial data
    years drawn hollow and marked; the range over the non-partial pairings shaded."""
    from matplotlib.ticker import FixedLocator, NullLocator

    t = table.reset_index(drop=True)
    labels = []
    for _i, r in t.iterrows():
        extra = ", " + _("{n} countries", n=int(r["countries"])) if pd.notna(r["countries"]) else ""
        excl = ", " + _("without {country}", country=r["excluded"]) if r["excluded"] else ""
        part = " " + _("[PARTIAL YEAR]") if r["partial"] else ""
        labels.append(f"{r['estimate']} vs {r['detected']}{extra}{excl}, {r['denominator']}{part}")
    fig, ax = plt.subplots(figsize=(10, 0.3 * len(t) + 2.8))
    ys = np.arange(len(t))[::-1]
    ax.axvspan(low, high, color="#e3e3e3", zorder=0,
               label=_("range without partial years: {low:.2f} to {high:.2f}", low=low, high=high))
    for y, (_i, r) in zip(ys, t.iterrows()):
        c = _DENOM_COLOURS.get(r["denominator"], "#444444")
        ax.plot([r["ratio_low"], r["ratio_high"]], [y, y], color=c, linewidth=1.5, zorder=2)
        ax.scatter(r["ratio"], y, s=36, zorder=3, color="white" if r["partial"] else c, edgecolors=c,
                   linewidths=1.5)
    for d, c in _DENOM_COLOURS.items():
        ax.scatter([], [], color=c, label=_("denominator {d}", d=d))
    ax.scatter([], [], color="white", edgecolors="#444444", label=_("partial data year (left out of the range)"))
    ax.axvline(1, color="black", linewidth=1)
    ax.set_yticks(ys, labels, fontsize=7)
    ax.set_xscale("log")
    hi = max(float(t["ratio_high"].max()), high) * 1.15
    ax.set_xlim(0.8, hi)
    ticks = [t_ for t_ in (1, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50) if t_ <= hi]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{t_:g}" for t_ in ticks])
    ax.set_xlabel(_("implied relative detection rate (log scale; 1 = equal detection)"))
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.4, -0.1), ncol=2, frameon=False)
    return fig


def bias_analysis(result: BiasAnalysis, *, grid: Sequence[float] | None = None) -> plt.Figure:
    """Left: the prior on the relative detection rate (density, log axis). Right: per split, the
    detected SE share and the median and central interval of the true share under that prior."""
    fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 0.45 * len(result.summary) + 3.4),
                                   gridspec_kw={"width_ratios": [1, 1.6]})
    lo, hi = result.prior.low, result.prior.high
    xs = np.geomspace(min(0.5, lo / 2), hi * 2, 400) if grid is None else np.asarray(grid, float)
    ax0.plot(xs, result.prior.dist.pdf(xs) * xs, color="#1f4e79")  # density per unit of log r
    ax0.axvline(1, color="black", linewidth=1)
    ax0.set_xscale("log")
    from matplotlib.ticker import FixedLocator, NullLocator
    ticks = [t for t in (0.25, 0.5, 1, 2, 4, 8, 16, 32, 64) if xs.min() <= t <= xs.max()]
    ax0.xaxis.set_major_locator(FixedLocator(ticks))
    ax0.xaxis.set_minor_locator(NullLocator())
    ax0.set_xticklabels([f"{t:g}" for t in ticks])
    ax0.set_xlabel(_("relative detection rate r (log scale)"))
    ax0.set_ylabel(_("prior density (per unit of log r)"))
    ax0.set_title(result.prior.describe(), fontsize=8, loc="left")
    s = result.summary
    ys = np.arange(len(s))[::-1]
    ax1.hlines(ys, 100 * s["low"], 100 * s["high"], color="#c55a11", linewidth=4,
               label=_("true share, {level:.0%} interval under the prior", level=result.level))
    ax1.scatter(100 * s["median"], ys, color="#c55a11", edgecolors="black", zorder=3, label=_("median"))
    ax1.scatter(100 * s["detected"], ys, marker="|", s=200, color="black", zorder=3,
                label=_("detected share"))
    for y, (_i, r) in zip(ys, s.iterrows()):
        ax1.text(101, y, _("P(majority) {p:.0%}", p=r["p_majority"]), va="center", fontsize=8)
    ax1.axvline(50, color="black", linestyle="--", linewidth=1)
    ax1.set_yticks(ys, [str(i) for i in s.index])
    ax1.set_xlim(0, 125)
    ax1.set_xticks(range(0, 101, 20))
    ax1.set_xlabel(_("share of sexual exploitation, %"))
    ax1.set_ylim(-0.6, len(s) - 0.4)
    ax1.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.45, -0.16), ncol=3, frameon=False)
    return fig


def shares_by_edition(editions: pd.DataFrame) -> plt.Figure:
    """Workshop 1: sexual exploitation and forced labour, % of detected victims, by UNODC edition.

    ``editions``: rows of the ``glotip-editions`` table (columns ``edition``,
    ``share_sexual_exploitation_pct``, ``share_forced_labour_pct``); each sexual-exploitation point
    is labelled with its value."""
    fig, ax = plt.subplots(figsize=(8, 4))
    e = editions.sort_values("edition")
    ax.plot(e["edition"], e["share_sexual_exploitation_pct"], marker="o", color="#b2182b", label=_("sexual exploitation"))
    ax.plot(e["edition"], e["share_forced_labour_pct"], marker="o", color="#2166ac", label=_("forced labour"))
    for x, y in zip(e["edition"], e["share_sexual_exploitation_pct"]):
        ax.annotate(_("{value:.0f}%", value=y), (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    ax.set_ylabel(_("% of detected victims"))
    ax.set_xlabel(_("edition of the UNODC Global Report"))
    ax.set_ylim(0, 100)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend()
    return fig
