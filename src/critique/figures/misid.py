"""Charts of notebook 20 (raids and misidentification): one function a chart, no saving."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from critique.core.i18n import _
from critique.figures.charts import num, number_formatter, word
from critique.methods.misid import Beta, RaidSweep


_RED, _GREY, _BLUE = "#b2182b", "#444444", "#67a9cf"


def raid_evidence(rated: pd.DataFrame, rate_rows: pd.Series) -> plt.Figure:
    """Published proportions of the evidence table with their intervals. ``rated``: columns ``id``,
    ``measures``, ``verification``, ``p``, ``lo``, ``hi``; ``rate_rows``: True where the measure can
    stand in for a false-positive rate (drawn red)."""
    fig, ax = plt.subplots(figsize=(9, 5.5))
    y = np.arange(len(rated))
    colours = np.where(rate_rows, _RED, "#888888")
    ax.errorbar(rated["p"], y, xerr=[rated["p"] - rated["lo"], rated["hi"] - rated["p"]], fmt="none",
                ecolor=colours, elinewidth=1.5)
    ax.scatter(rated["p"], y, c=colours, zorder=3)
    ax.set_yticks(y, [f"{i} ({m}, {word(v)})" for i, m, v in
                      zip(rated["id"], rated["measures"], rated["verification"])], fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_xlabel(_("published proportion (numerator / denominator), 95% Jeffreys interval"))
    ax.invert_yaxis()
    return fig


def fpr_prior(per_study: Mapping[str, Beta], draws: np.ndarray, pooling: str) -> plt.Figure:
    """The per-study Betas (lines) and the draws of the rate used (histogram)."""
    fig, ax = plt.subplots(figsize=(8, 4))
    grid = np.linspace(0, 1, 501)
    for rid, b in per_study.items():
        ax.plot(grid, b.frozen().pdf(grid), lw=1, label=f"{rid}: Beta({b.a:.1f}, {b.b:.1f})")
    ax.hist(draws, bins=200, range=(0, 1), density=True, color=_RED, alpha=0.35, label=_("used ({pooling})", pooling=pooling))
    ax.set_xlabel(_("fraction of raid identifications who are not trafficking victims"))
    ax.set_ylabel(_("density"))
    ax.legend(fontsize=7)
    return fig


def tip_adjusted(tip_out: pd.DataFrame, level: float) -> plt.Figure:
    """Published TIP "victims identified" and the scenario count with its interval (``tip_out``:
    index data year, columns ``identified``, ``point``, ``low``, ``high``, ``verification``)."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    # a year without a (verified) figure is drawn as a gap, never bridged
    tip_out = tip_out.reindex(range(int(tip_out.index.min()), int(tip_out.index.max()) + 1))
    x = tip_out.index.to_numpy()
    ax.plot(x, tip_out["identified"], marker="o", color=_GREY, label=_("published 'victims identified'"))
    ax.plot(x, tip_out["point"], marker="o", color=_RED, label=_("scenario: without misidentified people"))
    ax.fill_between(x, tip_out["low"], tip_out["high"], color=_RED, alpha=0.2,
                    label=_("{level:.0%} interval from the studies' sampling error only", level=level))
    marked = tip_out["verification"].eq("unverified").fillna(False).to_numpy(dtype=bool)
    if marked.any():
        ax.scatter(x[marked], tip_out.loc[marked, "identified"], s=80, facecolors="none", edgecolors="k",
                   label=_("figure unverified"))
    ax.set_ylabel(_("people"))
    ax.set_ylim(0, 1.25 * float(np.nanmax(tip_out["identified"].to_numpy(dtype=float))))  # from zero: no exaggerated gap
    ax.yaxis.set_major_formatter(number_formatter())
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, loc="upper left")
    return fig


def raid_sweep(sweep: RaidSweep, *, raid_shares: Sequence[float], evidence_fpr: tuple[float, float],
               evidence_band: Mapping[str, tuple[float, float]], evidence_raid_share: float,
               year: int) -> plt.Figure:
    """One panel per base: remaining count against the false-positive rate, a line per raid share in
    ``raid_shares`` (values on the sweep's grid), the whole grid's envelope shaded grey, and the
    evidence-based band (``evidence_fpr`` on x, ``evidence_band[base]`` on y, at
    ``evidence_raid_share``, one assumed raid share) drawn as a red box inside it."""
    bases = list(dict.fromkeys(sweep.grid["base"]))
    fig, axes = plt.subplots(1, len(bases) + 1, figsize=(4.6 * len(bases) + 2.6, 4.6), squeeze=False,
                             gridspec_kw={"width_ratios": [1] * len(bases) + [0.55]})
    legend_ax = axes[0][-1]
    legend_ax.axis("off")
    cmap = plt.get_cmap("Greys")
    for ax, base in zip(axes[0][:-1], bases):
        g = sweep.grid[sweep.grid["base"] == base]
        env = g.groupby("false_positive_rate")["remaining"].agg(["min", "max"])
        ax.fill_between(env.index, env["min"], env["max"], color="#e3e3e3", label=_("every raid share on the grid"))
        for i, rs in enumerate(raid_shares):
            line = g[np.isclose(g["raid_share"], rs)].sort_values("false_positive_rate")
            if line.empty:
                continue
            ax.plot(line["false_positive_rate"], line["remaining"], color=cmap(0.35 + 0.6 * i / max(1, len(raid_shares) - 1)),
                    lw=1, label=_("raid share {share}", share=num(rs, "g")))
        lo, hi = evidence_band[base]
        ax.add_patch(plt.Rectangle((evidence_fpr[0], lo), evidence_fpr[1] - evidence_fpr[0], hi - lo,
                                   facecolor=_RED, alpha=0.35, edgecolor=_RED, zorder=3,
                                   label=_("band from the studies' sampling error\nat one assumed raid share, {share}",
                                           share=num(evidence_raid_share, "g"))))
        ax.axhline(sweep.identified, color=_GREY, ls="--", lw=1, label=_("published, data year {year}", year=year))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, sweep.identified * 1.08)
        ax.yaxis.set_major_formatter(number_formatter())
        ax.set_xlabel(_("raid false-positive rate"))
        ax.set_title(_("base: {base}", base=base), fontsize=9, loc="left")
    axes[0][0].set_ylabel(_("people who would remain"))
    handles, labels = axes[0][0].get_legend_handles_labels()
    legend_ax.legend(handles, labels, fontsize=7, loc="center left", frameon=False)
    return fig


def se_share_adjusted(values: Sequence[float], interval: tuple[float, float]) -> plt.Figure:
    """Bars: detected SE share, minus misidentified, detection bias removed, both (with interval)."""
    fig, ax = plt.subplots(figsize=(8, 5))  # room for the plot under a two-line title and a long footer
    labels = [_("detected"), _("minus misidentified"), _("detection bias removed"), _("both")]
    ax.bar(labels, values, color=[_GREY, "#ef8a62", _BLUE, _RED])
    ax.errorbar([3], [values[3]], yerr=[[values[3] - interval[0]], [interval[1] - values[3]]], fmt="none", ecolor="k")
    ax.set_ylim(0, 1)
    ax.set_ylabel(_("sexual-exploitation share of victims"))
    return fig


def feedback_drift(detected: pd.Series, no_misid: pd.Series, true_share: float, fixed_point: float) -> plt.Figure:
    """Simulated detected share by year of the loop, beside the unchanged true share and the fixed point."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.plot(detected.index, detected.to_numpy(), color=_RED, marker=".", label=_("detected share (scenario)"))
    ax.axhline(true_share, color=_GREY, ls="--", label=_("true share (unchanged)"))
    ax.axhline(fixed_point, color=_RED, ls=":", lw=1, label=_("fixed point"))
    ax.plot(no_misid.index, no_misid.to_numpy(), color=_BLUE,
            label=_("detected share, detection bias only (no misidentification)"))
    ax.set_ylim(0, 1)
    ax.set_xlabel(_("year of the feedback loop"))
    ax.set_ylabel(_("sexual-exploitation share"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, loc="center right", bbox_to_anchor=(1.0, 0.43))  # clear of every line
    return fig


def raid_follow_ups(table: pd.DataFrame) -> plt.Figure:
    """Workshop 2: for each raid study a follow-up count as a share of what the raid counted, one bar
    a row, labelled with its numerator, denominator and what it measures (``table``: columns ``id``,
    ``numerator``, ``denominator``, ``measures``, ``share``)."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    ax.barh(table["id"], 100 * table["share"], color="#555555")
    labels = [" " + _("{k:,} of {n:,} ({measure})", k=int(k), n=int(n), measure=m) for k, n, m in zip(table["numerator"], table["denominator"],
                                                                 table["measures"])]
    for i, (x, text) in enumerate(zip(100 * table["share"], labels)):
        ax.text(x, i, text, va="center", fontsize=7)
    ax.set_xlim(0, 160)
    ax.set_xlabel(_("% (numerator / denominator; see the measure named on each bar)"))
    ax.invert_yaxis()
    return fig
