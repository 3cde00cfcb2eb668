"""Charts of notebook 30 (TIP law-enforcement figures): one function a chart, data in, figure out."""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
import numpy as np
import pandas as pd

from critique.core.i18n import N_, _
from critique.figures.charts import integer_years, num, number_formatter, word
from critique.methods.tip.enforcement import filled


BLUE, RED, BROWN = "#1f4e79", "#b22222", "#7a4f01"
STATUS_STYLE = {"primary": {"marker": "o"}, "secondary": {"marker": "o"},
                "unverified": {"marker": "o", "mfc": "white"}}
FILLED_STYLE = {"marker": "s", "mfc": "white", "ms": 6.5, "mew": 1.4}
FILLED_LABEL = N_("filled from Kelley & Heiss (secondary tabulation)")


RATIO_LABELS = {"convictions_per_prosecution": N_("convictions per prosecution"),
                "convictions_per_victim": N_("convictions per victim"),
                "prosecutions_per_victim": N_("prosecutions per victim")}


def _filled(frame: pd.DataFrame, column: str) -> pd.Series:
    """Rows whose ``column`` uses a figure filled from Kelley & Heiss (False without an origin column)."""
    origin = f"{column}_origin"
    return filled(frame[origin]) if origin in frame.columns else pd.Series(False, index=frame.index)


def _line_legend(ax: plt.Axes, top: float) -> None:
    """Two-column legend at the top left with headroom above ``top`` so it covers no data; the
    filled-figure marker is shown in a neutral colour (it applies to every line)."""
    filled_label = _(FILLED_LABEL)
    pairs = [(h, lab) for h, lab in zip(*ax.get_legend_handles_labels()) if lab != filled_label]
    if filled_label in ax.get_legend_handles_labels()[1]:
        pairs.append((Line2D([], [], ls="none", color="#333333", **FILLED_STYLE), filled_label))
    handles, labels = [h for h, _ in pairs], [lab for _, lab in pairs]
    if np.isfinite(top) and top > 0:
        ax.set_ylim(0, 1.5 * top)
    ax.legend(handles, labels, loc="upper left", fontsize=8, ncol=2)


def _mark_filled(ax: plt.Axes, x: pd.Index, y: pd.Series, mask: pd.Series, colour: str) -> None:
    """Hollow squares over the points that use a filled figure (labelled once per axes)."""
    pts = y.where(mask)
    if pts.notna().any():
        labels = ax.get_legend_handles_labels()[1]
        ax.plot(x, pts, ls="none", color=colour, label=None if _(FILLED_LABEL) in labels else _(FILLED_LABEL),
                **FILLED_STYLE)


def series_panels(S: pd.DataFrame, measures: Sequence[str], flagged: pd.DataFrame,
                  stated: pd.DataFrame) -> plt.Figure:
    """One panel per measure: the annual global total, gaps left open, large changes labelled.

    S: ``enforcement.series`` (index data year; ``<measure>``, ``<measure>_verification`` and, when
    years are filled from Kelley & Heiss, ``<measure>_origin``: those points are hollow squares).
    flagged: flagged year-on-year changes (``measure, data_year, value, change, explanation``).
    stated: changes a source states (``measure, data_year, stated_change, compared_with_year,
    verification``), drawn as triangles at the top of the panel (their levels may be missing).
    """
    fig, axes = plt.subplots(len(measures), 1, figsize=(10, 2.9 * len(measures) + 0.6), sharex=True,
                             squeeze=False)
    for ax, m in zip(axes[:, 0], measures):
        ax.plot(S.index, S[m], color=BLUE, lw=1.5)  # NaN breaks the line: no bridge over a gap
        fill = _filled(S, m)
        for status, style in STATUS_STYLE.items():
            pts = S[m].where((S[f"{m}_verification"] == status) & ~fill)
            if pts.notna().any():
                ax.plot(S.index, pts, ls="none", color=BLUE, label=_("typed-in TIP table, {status}", status=word(status)), **style)
        _mark_filled(ax, S.index, S[m], fill, BLUE)
        for r in flagged.loc[flagged["measure"] == m].itertuples():
            ax.annotate(num(r.change, "+.0%") + (" *" if isinstance(r.explanation, str) else ""),
                        (r.data_year, r.value), textcoords="offset points",
                        xytext=(0, 7) if r.change >= 0 else (0, -9), va="bottom" if r.change >= 0 else "top",
                        ha="center", fontsize=7.5, color=RED)  # a fall labelled below its point
        for k, r in enumerate(stated.loc[stated["measure"] == m].itertuples()):
            ax.plot(r.data_year, 0.97, marker="v", color=BROWN, transform=ax.get_xaxis_transform(),
                    clip_on=False)
            ax.annotate(_("stated {change:+.0%} vs {year} ({status})", change=r.stated_change,
                          year=r.compared_with_year, status=word(r.verification)),
                        (r.data_year, 0.97), xycoords=ax.get_xaxis_transform(), textcoords="offset points",
                        xytext=(6, -3 - 9 * k), fontsize=7, color=BROWN, va="top", ha="left")
        ax.set_ylabel(word(m))
        ax.yaxis.set_major_formatter(number_formatter())
        top = S[m].max()
        # headroom so the change labels and the stated changes at the top do not cover the data
        ax.set_ylim(0, 1.45 * top if np.isfinite(top) and top > 0 else None)
    legend = {}
    for ax in axes[:, 0]:  # one legend for all panels: a status seen in any panel is listed
        for handle, label in zip(*ax.get_legend_handles_labels()):
            legend.setdefault(label, handle)
    axes[0, 0].legend(legend.values(), legend.keys(), fontsize=7, title=_("source and verification"),
                      title_fontsize=7, loc="lower right")
    integer_years(axes[-1, 0])  # data years, not 2002.5
    axes[-1, 0].set_xlabel(_("data year (gaps: no figure found in a stored source)"))
    return fig


def series_table(S: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """The numbers behind :func:`series_panels` (one row per data year)."""
    cols = [c for m in measures for c in (m, f"{m}_verification", f"{m}_origin") if c in S.columns]
    return S[cols].rename_axis("data_year").reset_index()


def ratios(R: pd.DataFrame, columns: Sequence[str] = ("convictions_per_prosecution", "convictions_per_victim",
                                                     "prosecutions_per_victim")) -> plt.Figure:
    """Ratios of annual totals by data year, one line each (``R`` from ``enforcement.ratios``); a
    ratio using a figure filled from Kelley & Heiss (``<column>_origin``) gets a hollow square."""
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for col in columns:
        line, = ax.plot(R.index, R[col], marker="o", label=_(RATIO_LABELS[col]) if col in RATIO_LABELS
                        else col.replace("_", " "))
        _mark_filled(ax, R.index, R[col], _filled(R, col), line.get_color())
    ax.set_xlabel(_("data year"))
    ax.set_ylabel(_("ratio of annual totals"))
    _line_legend(ax, float(R[list(columns)].max().max()))
    integer_years(ax)
    return fig


def labour_share(L: pd.DataFrame, measures: Sequence[str]) -> plt.Figure:
    """Labour trafficking's share of each total, per cent (``L`` from ``enforcement.labour_shares``);
    a share using a figure filled from Kelley & Heiss gets a hollow square."""
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for m in measures:
        col = f"{m}_labour_share"
        line, = ax.plot(L.index, 100 * L[col], marker="o", label=word(m))
        _mark_filled(ax, L.index, 100 * L[col], _filled(L, col), line.get_color())
    ax.set_xlabel(_("data year"))
    ax.set_ylabel(_("% labour trafficking"))
    _line_legend(ax, float(100 * L[[f"{m}_labour_share" for m in measures]].max().max()))
    integer_years(ax)
    return fig


def funnel(F: pd.DataFrame) -> plt.Figure:
    """A global estimate beside the annual counts, log scale (``F`` from ``enforcement.funnel``)."""
    fig, ax = plt.subplots(figsize=(9, 4))
    values = F["value"][::-1].to_numpy(dtype=float)
    ax.barh(F["stage"][::-1], np.where(np.isfinite(values), values, np.nan), color=BLUE)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(number_formatter())  # 1,000 and 10,000,000, not 10^3 and 10^7
    ax.set_xlabel(_("people or cases (log scale)"))
    finite = values[np.isfinite(values)]
    if len(finite):
        ax.set_xlim(right=finite.max() * 8)  # room for the value labels
    fill = _filled(F.rename(columns={"origin": "value_origin"}), "value")[::-1]
    for i, (v, st, f) in enumerate(zip(values, F["verification"][::-1], fill)):
        st = _("{status}, Kelley & Heiss", status=word(st)) if f else word(st)
        ax.text(v if np.isfinite(v) else 1, i, " " + _("{value:,.0f} ({status})", value=v, status=st)
                if np.isfinite(v) else " " + _("no figure"),
                va="center", fontsize=8)
    return fig


def source_disagreements(D: pd.DataFrame) -> plt.Figure:
    """Where the typed-in table and Kelley & Heiss give different figures for the same year and
    measure: one bar per figure, the relative difference (Kelley & Heiss minus typed, per cent of
    the typed figure), labelled with both figures and the typed figure's edition and status.

    D: ``tip_sources.disagreements`` (``data_year, measure, typed, typed_edition,
    typed_verification, kh, difference, relative``), one row per differing figure.
    """
    fig, ax = plt.subplots(figsize=(10, 3.2 + 0.5 * max(len(D), 1)))
    if not len(D):
        ax.text(0.5, 0.5, _("the two tabulations agree on every figure both give"), ha="center",
                va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    D = D.iloc[::-1]
    y = np.arange(len(D))
    rel = 100 * D["relative"].astype(float).to_numpy()
    ax.barh(y, rel, color=[BROWN if v >= 0 else BLUE for v in rel], height=0.55)
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_yticks(y, [f"{r.data_year} {word(r.measure)}" for r in D.itertuples()], fontsize=8)
    ax.set_ylim(-0.7, len(D) - 0.3)
    span = max(float(np.nanmax(np.abs(rel))), 0.5)
    ax.set_xlim(-1.35 * span, 1.35 * span)
    for yi, v, r in zip(y, rel, D.itertuples()):
        ax.annotate(num(float(r.relative), "+.1%" if abs(v) >= 0.1 else "+.2%"), (v, yi),
                    xytext=(3 if v >= 0 else -3, 0), textcoords="offset points",
                    ha="left" if v >= 0 else "right", va="center", fontsize=7.5)
        # both figures, on the other side of zero from the bar (where there is room)
        edition = _("edition not given") if pd.isna(r.typed_edition) else f"TIP {int(r.typed_edition)}"
        ax.annotate(_("typed {typed:,} ({edition}, {status}); Kelley & Heiss {kh:,}", typed=r.typed,
                      edition=edition, status=word(r.typed_verification), kh=r.kh),
                    (0, yi), xytext=(-5 if v >= 0 else 5, 0), textcoords="offset points",
                    ha="right" if v >= 0 else "left", va="center", fontsize=7.5, color="#333333")
    ax.set_xlabel(_("Kelley & Heiss minus typed-in figure (% of the typed-in figure)"))
    return fig
