"""Charts of notebook 50 (policy claims): one function a chart, result objects in, a Figure out.

Nothing here saves or titles a chart for publication: the notebook passes each figure to
:func:`critique.figures.charts.finalise` with its source, caveats, N and the numbers behind it.
"""
from __future__ import annotations

import textwrap
from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import transforms

from critique.core.i18n import _
from critique.figures import charts
from critique.methods.policy import ComparisonResult, SeriesAnalysis, SpecificationRange

PRE, POST, BREAK, FIT = "#777777", "#1f4e79", "#b22222", "#1f4e79"
MODEL_COLOURS = {"poisson": "#1f4e79", "negbin": "#c07000", "ols-log": "#2e7d32"}


def availability(rows: pd.DataFrame, *, year_start: int, year_end: int) -> plt.Figure:
    """Years with a published count before (grey) and after (blue) each policy's first post year.

    ``rows``: one row a policy with ``label`` (y tick), ``first_post_year``, ``pre`` and ``post``
    (lists of years) and ``status`` (text at the right, e.g. "fitted" or "refused: too few years").
    """
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.5))
    # the status column sits just right of the axes (axes fraction), whatever the span of years:
    # in data units a long status ran off the canvas when the year range was wide
    beside = transforms.blended_transform_factory(ax.transAxes, ax.transData)
    for i, rec in enumerate(rows.itertuples()):
        ax.scatter(rec.pre, [i] * len(rec.pre), color=PRE, s=18, label=_("year before") if i == 0 else None)
        ax.scatter(rec.post, [i] * len(rec.post), color=POST, s=18, label=_("year after") if i == 0 else None)
        ax.plot([rec.first_post_year - 0.5] * 2, [i - 0.4, i + 0.4], color=BREAK, lw=2)
        ax.text(1.02, i, textwrap.fill(str(rec.status), 30), transform=beside, va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), list(rows["label"]), fontsize=8)
    ax.set_xlim(min(year_start, int(rows["first_post_year"].min())) - 1, year_end + 1)
    ax.set_xlabel(_("data year (red bar: change between last pre and first post year)"))
    charts.integer_years(ax)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, fontsize=7, borderaxespad=0.2)  # above: clear of the points
    return fig


def _fit_panel(ax: plt.Axes, a: SeriesAnalysis, title: str) -> None:
    d = a.data
    sup = d["suppressed"].astype(bool) if "suppressed" in d else pd.Series(False, index=d.index)
    ax.scatter(d.loc[~sup, "year"], d.loc[~sup, "count"], color="#222222", s=16, zorder=3,
               label=_("published count"))
    if sup.any():
        ax.scatter(d.loc[sup, "year"], d.loc[sup, "count"], facecolors="none", edgecolors="#222222",
                   s=16, zorder=3, label=_('"<5" drawn at the chosen bound'))
    ax.axvline(a.first_post_year - 0.5, color=BREAK, lw=1)
    if a.fitted:
        r = a.result
        pre = r.fitted.index < r.intervention
        ax.plot(r.fitted.index[pre], r.fitted[pre], color=FIT)
        ax.plot(r.fitted.index[~pre], r.fitted[~pre], color=FIT, label=_("segmented fit"))
        ax.plot(r.counterfactual.index, r.counterfactual, color=FIT, ls="--", label=_("pre-trend projected"))
        s = a.summary()
        title += "\n" + _("level {change:+.0f}% [{low:.0f}, {high:.0f}], MDE {mde:.0f}%",
                           change=s["level_change_pct"], low=s["level_ci_pct"][0], high=s["level_ci_pct"][1],
                           mde=s["mde_pct"])
    else:
        title += "\n" + _("not fitted (refused)")
    ax.set_title(title, fontsize=8)
    ax.set_ylim(bottom=0)
    charts.integer_years(ax)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True, nbins=4))


def segmented_fits(panels: Sequence[tuple[str, SeriesAnalysis]]) -> plt.Figure:
    """One panel a series: published counts, the segmented fit and the projected pre-trend."""
    fig, axes = plt.subplots(1, len(panels), figsize=(max(8.0, 3.2 * len(panels)) + 1.6, 3.6), squeeze=False)
    for ax, (title, a) in zip(axes[0], panels):
        _fit_panel(ax, a, title)
    # one legend for every panel, right of the last one: inside a panel it lies over some series' points
    entries: dict[str, Any] = {}
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    axes[0][-1].legend(list(entries.values()), list(entries), fontsize=6, loc="upper left",
                       bbox_to_anchor=(1.03, 1.0), borderaxespad=0)
    fig.tight_layout()
    return fig


def placebo_distributions(rows: Sequence[tuple[str, SeriesAnalysis]]) -> plt.Figure:
    """For each fitted series: level changes at fake years (left) and in countries without the
    policy (right), with the real estimate in red."""
    fig, axes = plt.subplots(len(rows), 2, figsize=(9, 2.6 * len(rows) + 0.8), squeeze=False)
    for row, (pid, a) in zip(axes, rows):
        for ax, pl, label in ((row[0], a.placebo_time, _("fake years")),
                              (row[1], a.placebo_units, _("countries without a change"))):
            if pl is None or pl.n_placebos == 0:
                ax.text(0.5, 0.5, _("no placebo"), ha="center", transform=ax.transAxes, fontsize=8)
                ax.set_yticks([])
                continue
            est = 100 * (np.exp(pl.placebos["estimate"].dropna()) - 1)
            ax.hist(est.clip(-100, 400), bins=min(30, max(5, len(est) // 3)), color="#999999")
            ax.axvline(100 * (np.exp(pl.real) - 1), color=BREAK, lw=2)
            # two lines: a long series id and the rank fit a half-width panel without being cut off
            ax.set_title(f"{pid}: {label}\n" + _("rank {rank} of {of}, p={p:.2f}", rank=pl.rank,
                                                  of=pl.n_placebos + 1, p=pl.p_value), fontsize=8)
            ax.set_xlabel(_("level change % (clipped at 400)"), fontsize=7)
    fig.tight_layout()
    return fig


def specification_ranges(ranges: Mapping[str, SpecificationRange]) -> plt.Figure:
    """One panel a series: every specification's level change and interval, sorted by estimate,
    coloured by model; refused specifications listed as "refused" below the axis."""
    n = len(ranges)
    fig, axes = plt.subplots(n, 1, figsize=(9, 2.9 * n + 0.6), squeeze=False)
    for ax, (pid, rng) in zip(axes[:, 0], ranges.items()):
        f = rng.fitted.sort_values("level_change_pct").reset_index(drop=True)
        for i, rec in f.iterrows():
            c = MODEL_COLOURS.get(rec["model"], "#444444")
            ax.plot([i, i], [rec["ci_low_pct"], rec["ci_high_pct"]], color=c, lw=1.2)
            marker = "o" if rec["covid"] == "include" else "s"
            face = c if rec["breaks"] == "none" else "white"
            ax.scatter([i], [rec["level_change_pct"]], color=c, facecolors=face, marker=marker, s=22,
                       zorder=3)
        ax.axhline(0, color="#222222", lw=0.8)
        ax.set_xticks(range(len(f)), [str(s) for s in f["pre_start"]], fontsize=6)
        ax.set_xlabel(_("specification (tick: first year of the pre-period)"), fontsize=7)
        ax.set_ylabel(_("level change %"), fontsize=7)
        refused = int((rng.table["status"] == "refused").sum())
        breaks = ", ".join(str(b) for b in rng.breaks) or _("none")
        ax.set_title(_("{series}: {fitted} fitted, {refused} refused; recording break(s): {breaks}", series=pid,
                       fitted=len(f), refused=refused, breaks=breaks) + "\n"
                     + textwrap.fill(_("reading: {reading}", reading=rng.reading()), 105), fontsize=8)
        if len(f) == 0:
            ax.text(0.5, 0.5, _("no specification could be fitted"), ha="center", transform=ax.transAxes)
    handles = [plt.Line2D([], [], color=c, marker="o", ls="-", label=m) for m, c in MODEL_COLOURS.items()]
    handles += [plt.Line2D([], [], color="#444444", marker="s", ls="", label=_("2020 indicator")),
                plt.Line2D([], [], color="#444444", marker="o", mfc="white", ls="",
                           label=_("break dummy"))]
    axes[0, 0].legend(handles=handles, fontsize=6, loc="best", ncol=2)
    fig.tight_layout()
    return fig


def comparison_placebos(results: Sequence[ComparisonResult]) -> plt.Figure:
    """One row an estimate with comparison units: the placebo estimates (each comparison unit
    treated in turn; grey), the real estimate (red) and its placebo interval (red bar) when there
    are enough placebos; percent change, clipped at -100 and 400."""
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(results) + 1.6))
    labels = []
    for i, res in enumerate(results):
        est = (100 * (np.exp(res.placebos["estimate"].dropna()) - 1)).clip(-100, 400)
        ax.scatter(est, np.full(len(est), i), color="#999999", s=10, alpha=0.7,
                   label=_("comparison country as if treated") if i == 0 else None)
        s = res.summary()
        if res.interval is not None:
            ax.plot(np.clip(s["interval_pct"], -100, 400), [i + 0.22, i + 0.22], color=BREAK, lw=1.5,
                    label=_("placebo interval (just below the row)") if i == 0 else None)
        ax.scatter([min(s["estimate_pct"], 400)], [i], color=BREAK, s=40, zorder=3,
                   label=_("estimate") if i == 0 else None)
        labels.append(f"{res.series}, {res.design}, {res.years[0]}-{res.years[1]}\n"
                      + (_("{estimate:+.0f}%, rank {rank} of {of}", estimate=s["estimate_pct"], rank=res.rank,
                           of=res.n_placebos + 1) if res.interval is not None else
                         _("{estimate:+.0f}%, rank {rank} of {of}, no interval", estimate=s["estimate_pct"],
                           rank=res.rank, of=res.n_placebos + 1)))
    ax.axvline(0, color="#222222", lw=0.8)
    ax.set_yticks(range(len(results)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(_("change in the count, % (clipped at 400)"), fontsize=8)
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    fig.tight_layout()
    return fig


def fbi_series(series: Mapping[str, tuple[pd.DataFrame, pd.DataFrame]], post_year: int) -> plt.Figure:
    """FBI offences (all agencies and a fixed panel), agencies with at least one record, and
    offences per such agency; ``series`` maps an offence to ``(all_agencies, fixed_panel)``."""
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
    for (off, (every, fixed)), color in zip(series.items(), ("#1f4e79", "#c07000", "#2e7d32")):
        axes[0].plot(every["year"], every["count"], marker="o", color=color, label=_("{offence}: all agencies", offence=off))
        axes[0].plot(fixed["year"], fixed["count"], marker="s", ls=":", color=color,
                     label=_("{offence}: fixed panel", offence=off))
        axes[1].plot(every["year"], every["exposure"], marker="o", color=color, label=off)
        axes[2].plot(every["year"], every["per_agency"], marker="o", color=color, label=off)
    for ax, t in zip(axes, (_("offences recorded"), _("agencies with at least one record"),
                            _("offences per agency with a record"))):
        ax.axvline(post_year - 0.5, color=BREAK, lw=1)
        ax.set_title(t, fontsize=9)
        ax.set_ylim(bottom=0)
        charts.integer_years(ax)
    axes[0].legend(fontsize=6)
    axes[1].legend(fontsize=6)
    fig.tight_layout()
    return fig


def series_with_law(counts: pd.DataFrame, suppressed_years: Sequence[int], law_year: int, *,
                    label: str, upper: float = 4.0) -> plt.Figure:
    """A yearly count with the year a law came into force (workshop 5).

    ``counts``: ``year``, ``count`` (published numbers only). ``suppressed_years``: years published
    as "<5", drawn as a bar from 0 to ``upper`` (a range, not a value) and never joined to the line.
    """
    fig, ax = plt.subplots(figsize=(9, 4))
    full = counts.set_index("year")["count"].reindex(range(int(counts["year"].min()),
                                                            int(counts["year"].max()) + 1))
    # reindexed: a year without a count is NaN, so the line breaks there instead of bridging it
    ax.plot(full.index, full.to_numpy(dtype=float), "o-", color="#333333", lw=1, label=_("published count"))
    if len(suppressed_years):
        ax.vlines(list(suppressed_years), 0, upper, color="#333333", lw=3, alpha=0.5,
                  label=_('"<5" (somewhere from 0 to 4: a range, not a value)'))
    ax.axvline(law_year, color=BREAK)
    ax.text(law_year + 0.2, 0.92, _("{label} ({year})", label=label, year=law_year), color=BREAK, fontsize=8,
            transform=ax.get_xaxis_transform())
    years = list(counts["year"]) + list(suppressed_years)
    ax.set_xlim(min([law_year] + years) - 2, max(years) + 1)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_("detected victims (national total)"))
    ax.set_xlabel(_("data year"))
    charts.integer_years(ax)
    ax.legend(fontsize=8, loc="upper right")
    return fig
