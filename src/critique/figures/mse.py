"""Charts of multiple systems estimation: one function a chart, a result in, a Figure out.

Used by notebook 40 and workshop exercise 4; :func:`critique.figures.charts.finalise` adds title, source,
caveats and N. Every chart that draws an interval also draws the bootstrap replicates behind it
(:func:`bootstrap_distributions`, :func:`bootstrap_histogram`), so a bimodal or lopsided
distribution is seen, not hidden behind two numbers.
"""
from __future__ import annotations

import textwrap
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, NullFormatter

from critique.core.i18n import N_, _
from critique.figures.charts import num, number_formatter

GREY, RED, BLUE, GOLD = "#7a7a7a", "#b2182b", "#4575b4", "#f2c14e"


def _published_band(ax, published, vertical: bool = True, label: str = N_("published range")):
    if published is None:
        return
    low, high = published
    (ax.axvspan if vertical else ax.axhspan)(low, high, color=GOLD, alpha=0.3, label=_(label), lw=0)


def procedures(frame: pd.DataFrame, published: tuple[float, float] | None = None) -> plt.Figure:
    """Point estimate and interval of each procedure (rows of :func:`critique.methods.mse.compare`:
    procedure, table, total, low, high, interval), with the published range shaded. Where the
    frame's ``disagree`` column is non-empty (BCa and percentile disagree,
    :func:`critique.methods.mse.intervals.disagreement`) the percentile interval is drawn too,
    dashed, just below the BCa bar."""
    fig, ax = plt.subplots(figsize=(9, 0.8 * len(frame) + 1.6))
    y = np.arange(len(frame))[::-1]
    _published_band(ax, published)
    both = ((frame["disagree"].astype(bool) & frame["interval"].astype(str).str.endswith("BCa"))
            if "disagree" in frame else pd.Series(False, frame.index))
    for yi, (i, r) in zip(y, frame.iterrows()):
        if np.isfinite(r["low"]) and np.isfinite(r["high"]):
            ax.plot([r["low"], r["high"]], [yi, yi], color=BLUE, lw=2.5, solid_capstyle="butt")
        if both[i]:
            ax.plot([r["percentile_low"], r["percentile_high"]], [yi - 0.22] * 2, color=BLUE, lw=1.5,
                    ls="--")
        if np.isfinite(r["total"]):
            ax.plot(r["total"], yi, "o", color=RED, ms=7, zorder=3)
    ax.set_yticks(y, [textwrap.fill(str(r["procedure"]), 28) + f"\n{r['table']}\n{r['interval']}"
                      + (" " + _("(dashed: percentile)") if both[i] else "")
                      for i, r in frame.iterrows()], fontsize=7)
    ax.set_xlabel(_("estimated total (people on a list + modelled dark figure)"))
    ax.plot([], [], "o", color=RED, label=_("point estimate"))
    ax.plot([], [], color=BLUE, lw=2.5, label=_("95% interval (kind named on the left)"))
    if both.any():
        ax.plot([], [], color=BLUE, lw=1.5, ls="--", label=_("percentile interval, where it disagrees"))
    # above the axes, from their left edge: clear of the data and of the row labels at the left
    ax.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2)
    ax.xaxis.set_major_formatter(number_formatter())
    fig.tight_layout()
    return fig


def bootstrap_histogram(ax, estimates: np.ndarray, estimate: float,
                        interval: tuple[float, float] | None, interval_label: str,
                        published: tuple[float, float] | None = None,
                        model_known: tuple[float, float] | None = None, bins: int = 50) -> None:
    """Draw on ``ax``: histogram of finite bootstrap totals, the estimate, the reported interval
    (as bracket lines above the bars), an optional model-known interval and the published range."""
    good = np.asarray(estimates, dtype=float)
    good = good[np.isfinite(good)]
    _published_band(ax, published)
    ax.hist(good, bins=bins, color=GREY, label=_("{n:,} bootstrap totals", n=good.size))
    top = ax.get_ylim()[1]
    if model_known is not None and all(np.isfinite(model_known)):
        ax.plot(model_known, [top * 1.04] * 2, color=GREY, lw=2, ls=":",
                label=_("interval if the model were known"))
    if interval is not None and all(np.isfinite(interval)):
        ax.plot(interval, [top * 1.1] * 2, color=BLUE, lw=3, label=interval_label)
    ax.axvline(estimate, color=RED, lw=2, label=_("estimate {value:,.0f}", value=estimate))
    ax.set_ylim(0, top * 1.3)
    ax.xaxis.set_major_formatter(number_formatter())


PERCENTILE_DISAGREES = N_("percentile interval, where it disagrees with BCa (neither to be quoted alone)")


def _percentile_where_disagrees(ax, boot) -> bool:
    """Beside a BCa interval that disagrees with the percentile interval of the same resamples
    (``boot.disagreement`` non-empty), draw the percentile interval dashed just above it; True if drawn."""
    if boot.interval_kind != "BCa" or not boot.disagreement or not all(np.isfinite(boot.percentile)):
        return False
    top = ax.get_ylim()[1] / 1.3  # bootstrap_histogram set the limit to 1.3 x the bars' top
    ax.plot(boot.percentile, [top * 1.17] * 2, color=BLUE, lw=1.5, ls="--", label=_(PERCENTILE_DISAGREES))
    return True


def bootstrap_distributions(results: Sequence, published: tuple[float, float] | None = None
                            ) -> plt.Figure:
    """Small multiples, one panel per :class:`critique.methods.mse.PopulationEstimate` with a bootstrap:
    its replicates, estimate and reported interval, on a shared x-axis; where BCa and the percentile
    interval disagree, the percentile interval is drawn too (dashed) and the panel title says so."""
    with_boot = [r for r in results if r.bootstrap is not None]
    n = len(with_boot)
    fig, grid = plt.subplots(n + 1, 1, figsize=(9, 2.1 * n + 1.2), squeeze=False,
                             gridspec_kw={"height_ratios": [0.35] + [1] * n})
    key, axes = grid[0, 0], grid[1:, 0]
    key.axis("off")
    lo = min(np.nanmin(r.bootstrap.estimates) for r in with_boot)
    hi = max(np.nanmax(r.bootstrap.estimates) for r in with_boot)
    bins = np.linspace(lo, hi, 60)
    for ax, r in zip(axes, with_boot):
        bootstrap_histogram(ax, r.bootstrap.estimates, r.total, r.interval, _("reported 95% interval"),
                            published, r.intervals.get("profile (model known)"), bins=bins)
        both = _percentile_where_disagrees(ax, r.bootstrap)
        kind = _("{kind} and percentile disagree (both drawn)", kind=r.interval_kind) if both else r.interval_kind
        ax.set_title(_("{name} ({table}): estimate {total:,.0f}; {kind}", name=r.name, table=r.table, total=r.total,
                       kind=kind), fontsize=8.5, loc="left")
        ax.set_ylabel(_("resamples"), fontsize=8)
        ax.set_xlim(min(lo, published[0]) if published else lo, hi)
    entries: dict = {}
    for ax, r in zip(axes, with_boot):  # one legend entry for every panel's estimate and histogram
        own = {_("estimate {value:,.0f}", value=r.total): _("point estimate"),
               _("{n:,} bootstrap totals", n=int(np.isfinite(np.asarray(r.bootstrap.estimates, float)).sum())):
               _("bootstrap totals")}
        for h, lab in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(own.get(lab, lab), h)
    key.legend(list(entries.values()), list(entries), frameon=False, fontsize=8, loc="center",
               ncol=3)
    axes[-1].set_xlabel(_("estimated total in bootstrap resample"))
    fig.tight_layout()
    return fig


def single_bootstrap(boot, model_known: tuple[float, float] | None = None,
                     published: tuple[float, float] | None = None) -> plt.Figure:
    """One bootstrap (:class:`critique.methods.mse.BootstrapResult`): replicates, estimate, reported
    interval (BCa or the percentile fallback) and, if given, the model-known interval."""
    fig, ax = plt.subplots(figsize=(9, 4))
    bootstrap_histogram(ax, boot.estimates, boot.estimate, boot.interval,
                        _("reported: {kind}", kind=boot.interval_kind), published, model_known)
    if boot.interval_kind == "BCa" and all(np.isfinite(boot.percentile)):
        top = ax.get_ylim()[1] / 1.3
        ax.plot(boot.percentile, [top * 1.17] * 2, color=BLUE, lw=1.5, ls="--",
                label=_("percentile interval, same resamples (disagrees with BCa)") if boot.disagreement
                else _("percentile interval, same resamples"))
    ax.set_xlabel(_("estimated total in bootstrap resample"))
    ax.set_ylabel(_("resamples"))
    # outside the axes, to the right: the histogram fills the panel, so no corner is free of data
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    return fig


def all_models(existing: pd.DataFrame, near: pd.DataFrame, best: float,
               published: tuple[float, float] | None = None) -> plt.Figure:
    """Histogram of the totals of every model with a finite estimate, the near-best set marked
    as ticks, the chosen model as a line."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    _published_band(ax, published)
    ax.hist(existing["total"], bins=40, color=GREY, label=_("all models with a finite estimate"))
    top = ax.get_ylim()[1]
    ax.plot(near["total"], np.full(len(near), top * 1.05), "|", ms=14, mew=2, color=BLUE,
            label=_("near-best set ({n} models)", n=len(near)))
    ax.axvline(best, color=RED, lw=2, label=_("lowest BIC: {value:,.0f}", value=best))
    ax.set_ylim(0, top * 1.2)
    ax.set_xlabel(_("estimated total (people on a list + modelled dark figure)"))
    ax.set_ylabel(_("number of models"))
    ax.legend(frameon=False, fontsize=8)
    ax.xaxis.set_major_formatter(number_formatter())
    fig.tight_layout()
    return fig


def spread_across_models(rows: dict) -> plt.Figure:
    """One line per table: every model's total / people observed (grey dots, log scale) and the
    chosen model (red bar). ``rows[id]`` has observed, lists, total and ``_totals``."""
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(rows) + 1.5))
    for i, (did, r) in enumerate(rows.items()):
        ratio = np.asarray(r["_totals"], dtype=float) / r["observed"]
        jitter = np.random.default_rng(i).uniform(-0.2, 0.2, len(ratio))
        ax.scatter(ratio, np.full(len(ratio), i) + jitter, s=4, alpha=0.25, color=GREY)
        ax.scatter([r["total"] / r["observed"]], [i], marker="|", s=300, color=RED)
    ax.set_yticks(range(len(rows)), [_("{table} ({n} lists)", table=d, n=r["lists"]) for d, r in rows.items()])
    ax.set_xscale("log")
    ax.set_xlabel(_("estimated total / people on at least one list (log scale)"))
    fig.tight_layout()
    return fig


def false_positives(sweep: pd.DataFrame, fixed: pd.DataFrame, cell: str,
                    cell_count: int) -> plt.Figure:
    """Estimated total as people are added to or removed from one list-only cell: the model held
    fixed (dashed line) and re-selected on each table (points, joined only while the chosen model
    stays the same, so a change of model shows as a jump, not as a slope)."""
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ordered = sweep.sort_values("f")
    run = (ordered["model"] != ordered["model"].shift()).cumsum()
    for i, (_key, part) in enumerate(ordered.groupby(run)):
        ax.plot(part["f"], part["total"], marker="o", color=RED,
                label=_("model re-selected (a new line where the model changes)") if i == 0 else None)
    ax.plot(fixed["f"], fixed["total"], ls="--", color=BLUE, label=_("model kept fixed"))
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_xlabel(_("people added to (negative: removed from) the '{cell} only' cell ({count:,} published)",
                    cell=cell, count=cell_count))
    ax.set_ylabel(_("estimated total"))
    ax.yaxis.set_major_formatter(number_formatter())
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def list_choices(frame: pd.DataFrame) -> plt.Figure:
    """Bars of the total with each list dropped or two merged; no bar where no estimate exists."""
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(frame) + 1.5))
    finite = np.isfinite(frame["total"].to_numpy(float))
    ax.barh(np.arange(len(frame))[finite], frame["total"][finite], color=GREY)
    ax.set_yticks(range(len(frame)), [c + ("" if f else " " + _("(no finite estimate)"))
                                      for c, f in zip(frame["change"], finite)])
    ax.invert_yaxis()
    ax.set_xlabel(_("estimated total"))
    fig.tight_layout()
    return fig


def stepwise_path(path: pd.DataFrame, observed: int,
                  published: tuple[float, float] | None = None) -> plt.Figure:
    """Total of each model on a forward stepwise path against the people observed."""
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(path["step"], path["total"], marker="o", color="#333333",
            label=_("estimated total (model at each step)"))
    ax.axhline(observed, color=BLUE, ls="--", label=_("observed on at least one list: {n:,}", n=observed))
    if published is not None:
        ax.axhspan(*published, color=GOLD, alpha=0.4,
                   label=_("published range: {low:,.0f}-{high:,.0f}", low=published[0], high=published[1]))
    ax.set_xticks(path["step"], [m if len(m) < 14 else m[:12] + "…" for m in path["added"]
                                 .where(path["added"] != "", _("main effects"))],
                  rotation=30, ha="right", fontsize=7)
    ax.set_ylim(0, path["total"].max() * 1.15)
    ax.set_ylabel(_("people"))
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


METHOD_COLORS = {"stepwise": "#7f7f7f", "bic_default": "#2166ac", "bic_pairwise": "#67a9cf",
                 "average": "#1b7837", "dga": "#b2182b", "lcmcr": "#e08214"}


def many_methods(frame: pd.DataFrame, published: dict | None = None) -> plt.Figure:
    """"One table, many methods": one panel per table, one row per method, estimate and interval
    as a multiple of the people observed (so tables of 100 and 4,000 people share an axis).

    Where the optional ``disagree`` column is non-empty beside a BCa interval, the percentile interval
    (``percentile_low``, ``percentile_high``) is drawn dashed under it: neither is to be quoted alone.

    frame: rows of :func:`critique.methods.mse.compare` plus ``key`` (method key of
    :func:`critique.methods.mse.many_methods`) and ``converged`` (False draws the point hollow: the chains
    have not converged, by R-hat or effective sample size). published: optional {table: (low, high)} ranges to shade.
    """
    tables = list(dict.fromkeys(frame["table"]))
    keys = list(dict.fromkeys(frame["key"]))
    ncol = 2 if len(tables) > 1 else 1
    nrow = int(np.ceil(len(tables) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(9.5, 0.32 * len(keys) * nrow + 1.2 * nrow + 0.8),
                             squeeze=False, sharey=True)
    for ax, table in zip(axes.ravel(), tables):
        sub = frame[frame["table"] == table].set_index("key")
        observed = float(sub["observed"].iloc[0])
        if published and table in published:
            lo, hi = published[table]
            ax.axvspan(lo / observed, hi / observed, color="#eeeeee", lw=0)
        for y, key in enumerate(keys[::-1]):
            if key not in sub.index:
                continue
            r = sub.loc[key]
            color = METHOD_COLORS.get(key, "#333333")
            if np.isfinite(r["low"]) and np.isfinite(r["high"]):
                ax.plot([r["low"] / observed, r["high"] / observed], [y, y], color=color, lw=2.2,
                        solid_capstyle="butt")
            if str(r.get("disagree", "") or "") and str(r["interval"]).endswith("BCa"):
                # BCa and the percentile interval of the same resamples disagree: draw both
                ax.plot([r["percentile_low"] / observed, r["percentile_high"] / observed], [y - 0.25] * 2,
                        color=color, lw=1.2, ls="--", label=_(PERCENTILE_DISAGREES))
            if np.isfinite(r["total"]):
                hollow = r.get("converged") is False
                ax.plot(r["total"] / observed, y, "o", ms=6, zorder=3, color=color,
                        mfc="white" if hollow else color)
            else:
                ax.text(1.0, y, " " + _("no estimate"), va="center", fontsize=7, color="#555555")
        ax.set_title(_("{table} ({n:,.0f} observed)", table=table, n=observed), fontsize=9, loc="left")
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator([1, 2, 3, 5, 10, 20, 50, 100]))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, pos: _("{multiple}x", multiple=num(v, "g"))))
        ax.axvline(1, color="#999999", lw=0.8)
    for ax in axes.ravel()[len(tables):]:
        ax.set_visible(False)
    labels = [str(frame.loc[frame["key"] == k, "procedure"].iloc[0]) for k in keys[::-1]]
    for row in axes:
        row[0].set_yticks(range(len(keys)), [textwrap.fill(lab, 34) for lab in labels], fontsize=7)
    for ax in axes[-1]:
        ax.set_xlabel(_("estimated total / people observed (log scale)"), fontsize=8)
    dashed = [h for ax in axes.ravel() for h in ax.get_lines() if h.get_label() == _(PERCENTILE_DISAGREES)]
    if dashed:
        axes[0, 0].legend(dashed[:1], [_(PERCENTILE_DISAGREES)], frameon=False, fontsize=7, loc="lower left",
                          bbox_to_anchor=(0.0, 1.08))
    fig.tight_layout()
    return fig


def many_methods_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind :func:`many_methods`."""
    cols = ["table", "key", "procedure", "observed", "total", "low", "high", "interval", "rhat",
            "ess", "converged", "warnings"]
    return frame[[c for c in cols if c in frame.columns]]
