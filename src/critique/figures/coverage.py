"""Charts of the coverage notebook (10): who reports, shares on all reporters and a fixed panel,
the change decomposition, the largest reporters, CTDC composition and FBI agencies.

Conventions: a year without data is a gap (NaN breaks the line), never zero; the release's
incomplete latest year is drawn marked ``"incomplete: release lag"`` (hollow markers, a hatched
band) and is not joined to the years before it, so no line or bar reads it as a change.
"""
from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from critique.core.i18n import N_, _
from critique.figures.charts import integer_years, word

PARTIAL_LABEL = N_("incomplete: release lag")
_BLUE, _ORANGE, _GREY, _RED = "#1f4e79", "#c55a11", "#7f7f7f", "#c00000"


def mark_partial(ax: plt.Axes, partial: Sequence[int]) -> None:
    """Hatch each partial year and label it just above the axes (no overlap with data or legend)."""
    for i, y in enumerate(sorted(int(v) for v in partial)):
        ax.axvspan(y - 0.45, y + 0.45, facecolor="none", edgecolor="#999999", hatch="///", linewidth=0,
                   zorder=0, label=_(PARTIAL_LABEL) if i == 0 else None)
        # above the plotting area, right-aligned on the band: clear of every line, marker and legend
        ax.annotate(_(PARTIAL_LABEL), xy=(y + 0.45, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3),
                    textcoords="offset points", ha="right", va="bottom", fontsize=7, color="#555555")


def _line(ax: plt.Axes, series: pd.Series, partial: Sequence[int], **style) -> None:
    """A year line with gaps for missing years; partial years as hollow markers, not joined."""
    part = series.index.isin([int(y) for y in partial])
    solid = series.where(~part)
    ax.plot(solid.index, solid.to_numpy(dtype=float), **style)
    if part.any():
        color = ax.lines[-1].get_color()
        ax.plot(series.index[part], series[part].to_numpy(dtype=float), linestyle="none",
                marker=style.get("marker", "o"), markerfacecolor="white", markeredgecolor=color, color=color)


def countries_reporting(counts: pd.DataFrame, partial: Sequence[int] = ()) -> plt.Figure:
    """Countries reporting a total and by form, by year.

    ``counts``: index year, columns ``total``, ``forms`` and optionally ``forms_strict`` (the lower
    count leaving out country-years whose forms are all "<5"); NaN = no data (drawn as a gap).
    """
    fig, ax = plt.subplots(figsize=(10, 4.2))
    _line(ax, counts["total"], partial, marker="o", color=_BLUE, label=_("countries reporting\na total"))
    _line(ax, counts["forms"], partial, marker="s", color=_ORANGE,
          label=_("countries reporting by\nform of exploitation"))
    if "forms_strict" in counts:
        _line(ax, counts["forms_strict"], partial, marker="^", color=_GREY, linestyle="--",
              label=_('by form, leaving out\nforms all "<5"'))
    mark_partial(ax, partial)
    integer_years(ax)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(_("countries"))
    ax.set_xlabel(_("data year (gap: no rows of that kind in the release)"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, fontsize=8)  # outside: never over a line
    return fig


def share_all_vs_panel(share_all: pd.DataFrame, share_panel: pd.DataFrame, *, panel_size: int,
                       window: tuple[int, int], partial: Sequence[int] = (),
                       without: pd.DataFrame | None = None, without_name: str = "") -> plt.Figure:
    """Sexual-exploitation share (bounds, %) on all reporters and on a fixed panel.

    Each frame: index year, columns ``share_low``, ``share_high``. A partial year is drawn as a
    hollow bar of its bounds, not joined to the band. ``without`` (same columns): all reporters
    without the country ``without_name`` that drives the share
    (``critique.methods.coverage.influence``), drawn as a dashed line at the middle of its bounds.
    """
    fig, ax = plt.subplots(figsize=(8, 4.5))
    part = [int(y) for y in partial]
    series = [(share_all, _("all reporting countries"), _BLUE),
              (share_panel, _("fixed panel: {n} countries reporting every year {start}-{end}", n=panel_size,
                              start=window[0], end=window[1]), _ORANGE)]
    for frame, label, color in series:
        ok = frame["share_low"].notna() & ~frame.index.isin(part)
        if ok.any():
            ax.fill_between(frame.index[ok], 100 * frame.loc[ok, "share_low"], 100 * frame.loc[ok, "share_high"],
                            color=color, alpha=0.35, linewidth=1.5, edgecolor=color, label=label)
        late = frame.loc[frame.index.isin(part) & frame["share_low"].notna()]
        for y, r in late.iterrows():
            ax.vlines(y, 100 * r["share_low"], 100 * r["share_high"], color=color, linewidth=3, alpha=0.5)
            ax.plot([y, y], [100 * r["share_low"], 100 * r["share_high"]], "o", color=color,
                    markerfacecolor="white")
    if without is not None and len(without) and without_name:
        w = without.loc[~without.index.isin(part)]
        mid = 50 * (w["share_low"].astype(float) + w["share_high"].astype(float))
        ax.plot(w.index, mid.to_numpy(dtype=float), linestyle="--", color=_RED, linewidth=1.5,
                label=_("all reporting countries without {country}", country=without_name))
    ax.axvspan(window[0], window[1], color="#dddddd", alpha=0.4, zorder=0)
    mark_partial(ax, partial)
    ax.set_ylim(0, 100)
    ax.set_ylabel(_("sexual exploitation, %"))
    integer_years(ax)
    ax.set_xlabel(_("data year"))
    ax.legend(loc="lower left", fontsize=8)
    return fig


def change_decomposition(dec: pd.DataFrame, partial: Sequence[int] = ()) -> plt.Figure:
    """Stacked bars of entering, leaving and continuing reporters with the net change (a tick).

    ``dec``: :func:`critique.methods.coverage.decompose_change` (index year). Partial years are left out by
    the caller by default (a release lag is not a change); any year of ``partial`` still in ``dec``
    (the caller asked for it) is hatched and labelled.
    """
    fig, ax = plt.subplots(figsize=(9.5, 4.5))
    x = dec.index.to_numpy()
    colors = {"continuing": _GREY, "entering": "#2e75b6", "leaving": _RED}
    names = {"continuing": N_("continuing reporters"), "entering": N_("entering reporters"),
             "leaving": N_("leaving reporters")}
    bottom_p = np.zeros(len(dec))
    bottom_n = np.zeros(len(dec))
    for k, c in colors.items():
        pos, neg = dec[k].clip(lower=0).to_numpy(), dec[k].clip(upper=0).to_numpy()
        ax.bar(x, pos, bottom=bottom_p, color=c, label=_(names[k]))
        ax.bar(x, neg, bottom=bottom_n, color=c)
        bottom_p += pos
        bottom_n += neg
    ax.plot(x, dec["change"], "k_", markersize=14, markeredgewidth=2, label=_("net change"))
    ax.axhline(0, color="black", linewidth=0.8)
    mark_partial(ax, [y for y in partial if y in set(dec.index)])
    integer_years(ax)
    ax.set_ylabel(_("change in summed detected victims"))
    ax.set_xlabel(_("data year (change from the year before)"))
    # outside the plotting area: bars can fill any corner of it
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return fig


def top_reporters_share(top: pd.DataFrame, k: int, partial: Sequence[int] = ()) -> plt.Figure:
    """Share (bounds, %) of each year's summed total from the ``k`` largest reporters."""
    fig, ax = plt.subplots(figsize=(8, 4))
    part = [int(y) for y in partial]
    ok = top["share_low"].notna() & ~top.index.isin(part)
    ax.fill_between(top.index[ok], 100 * top.loc[ok, "share_low"], 100 * top.loc[ok, "share_high"],
                    color=_BLUE, alpha=0.5, edgecolor=_BLUE, linewidth=1.5)
    late = top.loc[top.index.isin(part) & top["share_low"].notna()]
    for y, r in late.iterrows():
        ax.plot([y, y], [100 * r["share_low"], 100 * r["share_high"]], "o-", color=_BLUE, markerfacecolor="white")
    mark_partial(ax, partial)
    ax.set_ylim(0, 100)
    integer_years(ax)
    ax.set_ylabel(_("% of the summed total from the {k} largest", k=k))
    ax.set_xlabel(_("data year"))
    return fig


def ctdc_composition(top_by_year: pd.DataFrame, shares: pd.DataFrame, top_country: str) -> plt.Figure:
    """Left: share of records exploited in ``top_country`` by year (``top_by_year``: columns ``sum``,
    ``size``); right: records by exploitation type, % (``shares``: year x type, suppressed cells NaN,
    drawn as blank)."""
    fig, axes = plt.subplots(1, 2, figsize=(11.5, 4))
    axes[0].bar(top_by_year.index, 100 * top_by_year["sum"] / top_by_year["size"], color=_BLUE)
    axes[0].set_ylim(0, 100)
    axes[0].set_ylabel(_("% of records exploited in {country}", country=top_country))
    bottom = pd.Series(0.0, index=shares.index)
    for col in shares.columns:
        vals = shares[col].fillna(0)
        axes[1].bar(shares.index, vals, bottom=bottom, label=word(col))
        bottom += vals
    axes[1].set_ylabel(_("% of records"))
    # outside the stack, on the right: a legend inside a 100% stack always covers a bar
    handles, labels = axes[1].get_legend_handles_labels()
    axes[1].legend(handles[::-1], labels[::-1], fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    for ax in axes:
        ax.set_xlabel(_("year of registration"))
        integer_years(ax)
    return fig


def fbi_offences_vs_agencies(offences: pd.Series, panel_offences: pd.Series, agencies: pd.Series,
                             per_agency: pd.Series, *, panel_label: str) -> plt.Figure:
    """Left: offences on all agencies with a record and on a fixed panel (lines) with the number of
    agencies with a record (bars, right axis); right: offences per agency with a record."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
    ax = axes[0]
    ax2 = ax.twinx()
    bars = ax2.bar(agencies.index, agencies.values, alpha=0.2, color="grey",
                   label=_("agencies with a record (bars, right axis)"))
    ax2.set_ylabel(_("agencies with at least one record (bars)"))
    ax2.grid(False)
    ax.set_zorder(ax2.get_zorder() + 1)  # lines and legend over the bars, not under them
    ax.patch.set_visible(False)
    ax.plot(offences.index, offences.values, marker="o", label=_("offences, all agencies with a record"))
    ax.plot(panel_offences.index, panel_offences.values, marker="s", label=textwrap.fill(panel_label, 36))
    ax.set_ylabel(_("offences (actual)"))
    # head-room above the tallest line and bar so the legend sits clear of the data
    top = np.nanmax(np.r_[offences.to_numpy(dtype=float), panel_offences.to_numpy(dtype=float)])
    ax.set_ylim(0, 1.6 * top)
    ax2.set_ylim(0, 1.6 * np.nanmax(agencies.to_numpy(dtype=float)))
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles + [bars], labels + [bars.get_label()], fontsize=7, loc="upper left",
              frameon=True, facecolor="white", edgecolor="none", framealpha=1)
    axes[1].plot(per_agency.index, per_agency.values, marker="o", color=_ORANGE)
    axes[1].set_ylabel(_("offences per agency with a record"))
    axes[1].set_ylim(bottom=0)
    for a in axes:
        a.set_xlabel(_("data year"))
        integer_years(a)
    return fig


def latest_split(data: pd.DataFrame, *, parts: Sequence[str] = ("Sexual exploitation", "Forced labour")) -> plt.Figure:
    """Grouped horizontal bars: the two forms' shares (%) in each recount and as printed.

    ``data``: one row per way of counting, columns ``pooling``, ``excluded`` (a unit left out, or
    empty) and one column per form of ``parts`` (percent) -- ``critique.methods.coverage.captions.split_data``.
    """
    labels = [_("{pooling}, without {country}", pooling=_(str(r.pooling)), country=r.excluded) if r.excluded
              else _(str(r.pooling)) for r in data.itertuples()]
    fig, ax = plt.subplots(figsize=(8, 0.75 * len(data) + 1.4))
    y = np.arange(len(data))
    for k, (form, color) in enumerate(zip(parts, (_RED, _BLUE))):
        vals = data[form].astype(float).to_numpy()
        ax.barh(y + (k - 0.5) * 0.38, vals, height=0.36, color=color, label=word(form.lower()))
        for yi, v in zip(y, vals):
            ax.annotate(_("{value:.0f}%", value=v), (v, yi + (k - 0.5) * 0.38), xytext=(3, 0), textcoords="offset points",
                        va="center", fontsize=8)
    ax.set_yticks(y, [textwrap.fill(t, 34) for t in labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("% of detected victims with a form"))
    ax.legend(loc="lower right", fontsize=8)
    return fig
