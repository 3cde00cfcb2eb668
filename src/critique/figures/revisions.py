"""Charts of the revisions notebook (12-revisions): the same data year, counted again.

One function a chart; each takes the frames of ``critique.methods.revisions``, ``critique.methods.tip.sources`` or
``critique.methods.revisions.ctdc`` and returns a matplotlib Figure (no saving, no caption: the notebook
calls ``critique.figures.charts.finalise``). Bounds from suppressed cells are drawn as bands or whiskers.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from critique.core.i18n import N_, _
from critique.figures import charts

PART_COLOURS = {"added": "#009E73", "dropped": "#D55E00", "revised": "#0072B2"}
PART_LABELS = {"added": N_("countries only in the newer release"), "dropped": N_("countries only in the older release"),
               "revised": N_("revised counts of countries in both")}


ORIGINS = (N_("typed-in TIP table"), N_("Kelley & Heiss figure 3.2"))


def _release_label(label: str) -> str:
    """A release label the notebook builds (``release of 2024-07-31``) in the reader's language."""
    text = str(label)
    if text.startswith("release of "):
        return _("release of {date}", date=text[len("release of "):])
    return _(text) if text in ("older release", "newer release") else text


def totals_by_release(totals: dict[str, pd.DataFrame]) -> plt.Figure:
    """Summed detected victims per data year as each release gives them (``revisions.year_totals``).

    ``totals`` maps a release label to its ``year, countries, low, high`` frame; the band between
    low and high is the room left by suppressed cells; the lower panel shows reporting countries.
    Each release's latest data year (always incomplete: countries report late) is a hollow marker,
    not joined to the years before it (a release lag is not a change); a year without data is a gap.
    """
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(8, 6.2), sharex=True, gridspec_kw={"height_ratios": [3, 1.4]})
    for k, (label, t) in enumerate(totals.items()):
        t = t.sort_values("year").set_index("year")
        last = t.iloc[-1].copy()
        last["year"] = t.index[-1]
        years = range(int(t.index.min()), int(t.index.max()) + 1)
        t = t.iloc[:-1].reindex(years[:-1])  # every year but the latest; missing years NaN (gaps)
        line, = ax.plot(t.index, t["high"], marker="o", ms=3, label=_release_label(label))
        colour = line.get_color()
        ax.fill_between(t.index, t["low"], t["high"], color=colour, alpha=0.2, lw=0)
        ax2.plot(t.index, t["countries"], marker="o", ms=3, color=colour, label=_release_label(label))
        ax.plot([last["year"]], [last["high"]], "o", ms=8, mfc="white", mec=colour,
                label=_("latest data year of a release (incomplete)") if k == 0 else None)
        ax2.plot([last["year"]], [last["countries"]], "o", ms=7, mfc="white", mec=colour)
    ax.set_ylabel(_("detected victims, summed over countries"))
    ax.yaxis.set_major_formatter(charts.number_formatter())
    ax.legend(loc="upper left")
    ax2.set_ylabel(_("countries"))
    ax2.set_xlabel(_("data year"))
    charts.integer_years(ax2)
    return fig


def decomposition_by_year(decomp: pd.DataFrame, *, bound: str = "high", partial_year: int | None = None) -> plt.Figure:
    """Stacked bars per data year: the change between releases split into its three parts.

    ``decomp`` is ``revisions.decompose(..., by=["year"])``; ``bound`` picks the low- or high-bound
    identity (they differ by at most 3 a suppressed cell). A black dot marks the total change.
    ``partial_year`` (the older release's latest, incomplete data year) is hatched and labelled.
    """
    d = decomp.sort_values("year")
    years = d["year"].to_numpy()
    fig, ax = plt.subplots(figsize=(8, 5))
    pos = np.zeros(len(d))
    neg = np.zeros(len(d))
    for part in ("added", "dropped", "revised"):
        v = d[f"{part}_{bound}"].to_numpy(dtype=float)
        bottom = np.where(v >= 0, pos, neg)
        ax.bar(years, v, bottom=bottom, color=PART_COLOURS[part], label=_(PART_LABELS[part]), width=0.75)
        pos += np.where(v >= 0, v, 0)
        neg += np.where(v < 0, v, 0)
    ax.plot(years, d[f"change_{bound}"], "o", color="black", ms=4, label=_("change in the summed total"))
    if partial_year is not None and partial_year in set(years):
        row = d[d["year"] == partial_year].iloc[0]
        ax.bar([partial_year], [row[f"change_{bound}"]], width=0.75, fill=False, hatch="///", edgecolor="white", lw=0)
        ax.annotate(_("latest year of the older\nrelease: incomplete there"), (partial_year, row[f"change_{bound}"]),
                    xytext=(-26, -4), textcoords="offset points", ha="right", va="top", fontsize=8)
    ax.axhline(0, color="#444444", lw=0.8)
    ax.set_xlabel(_("data year"))
    ax.set_ylabel(_("newer minus older release (detected victims)"))
    ax.yaxis.set_major_formatter(charts.number_formatter())
    ax.legend(loc="upper left")
    charts.integer_years(ax)
    return fig


def decomposition_by_region(decomp: pd.DataFrame, *, bound: str = "high") -> plt.Figure:
    """Horizontal stacked bars per region for one data year (``decompose(..., by=["year", "region"])``
    filtered to that year)."""
    d = decomp.sort_values(f"change_{bound}")
    y = np.arange(len(d))
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(d) + 2))
    pos = np.zeros(len(d))
    neg = np.zeros(len(d))
    for part in ("added", "dropped", "revised"):
        v = d[f"{part}_{bound}"].to_numpy(dtype=float)
        left = np.where(v >= 0, pos, neg)
        ax.barh(y, v, left=left, color=PART_COLOURS[part], label=_(PART_LABELS[part]), height=0.6)
        pos += np.where(v >= 0, v, 0)
        neg += np.where(v < 0, v, 0)
    ax.plot(d[f"change_{bound}"], y, "o", color="black", ms=4, label=_("change in the summed total"))
    ax.set_yticks(y, [_("{region} ({a} -> {b} countries)", region=r, a=a, b=b) for r, a, b in
                      zip(d["region"], d["countries_a"], d["countries_b"])])
    ax.axvline(0, color="#444444", lw=0.8)
    ax.grid(axis="x", color="#dddddd")
    ax.xaxis.set_major_formatter(charts.number_formatter())
    ax.set_xlabel(_("newer minus older release (detected victims)"))
    ax.legend(loc="lower right")
    return fig


def largest_revisions(table: pd.DataFrame, labels: Sequence[str] = (N_("older release"), N_("newer release"))) -> plt.Figure:
    """Dumbbells: each country-year's count in the older (hollow) and newer (filled) release.

    ``table`` is ``revisions.largest_revisions``; a log scale keeps a "<5" cell (drawn at 4) and a
    count of 30,000 on one axis.
    """
    t = table.iloc[::-1].reset_index(drop=True)
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(t) + 2))
    for i, r in t.iterrows():
        ax.plot([r["count_a"], r["count_b"]], [i, i], color="#999999", lw=1.2, zorder=1)
    ax.scatter(t["count_a"], y, facecolors="white", edgecolors="#0072B2", zorder=2, label=_release_label(labels[0]))
    ax.scatter(t["count_b"], y, color="#0072B2", zorder=3, label=_release_label(labels[1]))
    ax.set_xscale("log")
    ax.set_yticks(y, [f"{c} {int(yr)}" for c, yr in zip(t["country"], t["year"])])
    ax.grid(axis="x", color="#dddddd")
    ax.xaxis.set_major_formatter(charts.number_formatter())
    ax.set_xlabel(_("detected victims (log scale; a '<5' cell drawn at 4)"))
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    return fig


def headline_by_release(table: pd.DataFrame) -> plt.Figure:
    """The headline "detected victims rose X% from A to B" in each release: all reporting countries
    and the fixed panel of countries reporting both years, with bounds as whiskers
    (``revisions.headline_table``)."""
    t = table.reset_index(drop=True)
    x = np.arange(len(t))
    width = 0.38
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for k, (col, label, colour) in enumerate((("change_pct", _("all reporting countries"), "#0072B2"),
                                              ("panel_change_pct", _("countries reporting both years"), "#E69F00"))):
        lo, hi = t[f"{col}_low"].to_numpy(float), t[f"{col}_high"].to_numpy(float)
        mid = (lo + hi) / 2
        xs = x + (k - 0.5) * width
        ax.bar(xs, mid, width=width, color=colour, label=label)
        ax.errorbar(xs, mid, yerr=[mid - lo, hi - mid], fmt="none", ecolor="black", capsize=3, lw=1)
        for xi, m in zip(xs, mid):
            ax.annotate(_("{value:+.0f}%", value=m), (xi, m), xytext=(0, 3 if m >= 0 else -11), textcoords="offset points",
                        ha="center", fontsize=8)
    ax.axhline(0, color="#444444", lw=0.8)
    ax.set_xticks(x, [_release_label(r) + "\n" + _("({a} -> {b} countries)", a=a, b=b) for r, a, b in
                      zip(t["release"], t["countries_from"], t["countries_to"])])
    y0, y1 = int(t["year_from"].iloc[0]), int(t["year_to"].iloc[0])
    ax.set_ylabel(_("change in detected victims, {start} to {end} (%)", start=y0, end=y1))
    ax.legend(loc="upper left")
    return fig


def tip_sources(filled: pd.DataFrame, disagreements: pd.DataFrame, measure: str = "prosecutions") -> plt.Figure:
    """One TIP measure by data year, each point marked by the tabulation it comes from; where the
    two tabulations disagree, the other figure is drawn as a cross (``tip_sources.fill_gaps`` and
    ``tip_sources.disagreements``)."""
    f = filled[filled["measure"] == measure].sort_values("data_year")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    ax.plot(f["data_year"], f["value"], color="#999999", lw=1, zorder=1)
    markers = {"typed-in TIP table": ("o", "#0072B2"), "Kelley & Heiss figure 3.2": ("s", "#D55E00")}
    for origin, (marker, colour) in markers.items():
        part = f[f["origin"] == origin]
        if len(part):
            ax.scatter(part["data_year"], part["value"], marker=marker, color=colour, zorder=2,
                       label=_("{origin} ({n} years)", origin=_(origin), n=len(part)))
    d = disagreements[disagreements["measure"] == measure]
    if len(d):
        ax.scatter(d["data_year"], d["typed"], marker="x", color="black", zorder=3,
                   label=_("typed-in figure where the two differ"))
        ax.scatter(d["data_year"], d["kh"], marker="+", s=70, color="black", zorder=3,
                   label=_("Kelley & Heiss figure where the two differ"))
    ax.set_xlabel(_("data year"))
    ax.set_ylabel(charts.word(measure))
    ax.yaxis.set_major_formatter(charts.number_formatter())
    ax.legend(loc="upper left")
    charts.integer_years(ax)
    return fig


def ctdc_side_by_side(table: pd.DataFrame) -> plt.Figure:
    """Shares by shared year band in CTDC's 2020 case records and 2022 SYNTHETIC records
    (``ctdc_compare.side_by_side``); synthetic bars hatched and labelled SYNTHETIC."""
    shares = (("sexual_share", _("sexual\nexploitation")), ("forced_labour_share", _("forced\nlabour")),
              ("female_share", _("female")))
    bands = list(dict.fromkeys(table["band"]))
    fig, axes = plt.subplots(1, len(bands), figsize=(9, 4.8), sharey=True)
    axes = np.atleast_1d(axes)
    x = np.arange(len(shares))
    for ax, band in zip(axes, bands):
        part = table[table["band"] == band]
        for k, (_i, r) in enumerate(part.iterrows()):
            vals = [np.nan if pd.isna(r[c]) else float(r[c]) for c, _s in shares]
            syn = bool(r["synthetic"])
            ax.bar(x + (k - 0.5) * 0.4, vals, width=0.4, color="#CC79A7" if syn else "#0072B2",
                   hatch="//" if syn else None, edgecolor="white",
                   label=(_("SYNTHETIC 2022") if syn else _("case records 2020")) if band == bands[0] else None)
        ax.set_xticks(x, [s[1] for s in shares], fontsize=8)
        ax.set_title(_("registered {band}", band=band), fontsize=10)
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, pos: charts.num(v, ".0%")))
    axes[0].set_ylabel(_("share of records with a form (female: with a gender)"))
    fig.legend(loc="upper right", bbox_to_anchor=(0.99, 0.93))
    return fig
