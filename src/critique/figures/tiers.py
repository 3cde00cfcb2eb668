"""Charts of notebook 31 (TIP tier placements): one function a chart, data in, figure out."""
from __future__ import annotations

import re
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd

from critique.core.i18n import N_, _
from critique.figures.charts import integer_years, num, number_formatter

TIER_TITLES = {"1": N_("Tier 1"), "2": N_("Tier 2"), "2WL": N_("Tier 2 Watch List"), "3": N_("Tier 3")}


def tier_title(tier: object) -> str:
    """A tier's name in the reader's language (``"2WL"`` -> ``Tier 2 Watch List``); others as given."""
    return _(TIER_TITLES[str(tier)]) if str(tier) in TIER_TITLES else str(tier)


def _shown(label: object) -> str:
    """A view or axis name the tier analysis builds (``all rated``, ``panel since 2005 (n=120)``,
    ``tier 2013``) in the reader's language; anything else as given."""
    text = str(label)
    if text == "all rated":
        return _("all rated")
    if m := re.fullmatch(r"panel since (\d{4}) \(n=(\d+)\)", text):
        return _("panel since {year} (n={n})", year=m[1], n=int(m[2]))
    if m := re.fullmatch(r"tier (\d{4})", text):
        return _("tier {year}", year=m[1])
    return text
PARTIAL_GREY = "#dddddd"


def shares_vs_panels(views: Mapping[str, pd.DataFrame], years: Sequence[int], partial: Sequence[int],
                     tier_order: Sequence[str] = ("1", "2", "2WL", "3")) -> plt.Figure:
    """Tier shares by report year, one panel a tier, one line per view (all rated, fixed panels).

    views: label -> ``tiers.distribution`` frame (``report_year, tier, share``). Partial years are
    shaded and not drawn (their transcribed rows are a selection).
    """
    fig, axes = plt.subplots(1, len(tier_order), figsize=(13, 4.6), sharey=True)
    for ax, tier in zip(axes, tier_order):
        for label, d in views.items():
            s = d.loc[d["tier"] == tier].set_index("report_year")["share"].reindex(years)
            ax.plot(s.index, 100 * s.values, marker="o", ms=3, label=_shown(label))
        for y in partial:
            ax.axvspan(y - 0.5, y + 0.5, color=PARTIAL_GREY, lw=0)
        ax.set_title(tier_title(tier), fontsize=10)
        ax.set_xlabel(_("report year"))
        integer_years(ax)
        ax.xaxis.set_major_locator(plt.MaxNLocator(4, integer=True))
    axes[0].set_ylabel(_("% of countries in the view"))
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, title=_("view"), title_fontsize=8)
    return fig


def shares_table(views: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The numbers behind :func:`shares_vs_panels`."""
    frames = [d.assign(view=label)[["view", "report_year", "tier", "share"]] for label, d in views.items()]
    return pd.concat(frames, ignore_index=True)


def transitions(mat: pd.DataFrame) -> plt.Figure:
    """A tier-to-tier transition matrix as a shaded grid with counts (``tiers.transition_matrix``)."""
    fig, ax = plt.subplots(figsize=(6, 5.2))
    ax.imshow(mat.values, cmap="Blues")
    vmax = mat.values.max() if mat.values.size else 0
    for i in range(mat.shape[0]):
        for j in range(mat.shape[1]):
            v = int(mat.values[i, j])
            ax.text(j, i, v, ha="center", va="center", fontsize=9, color="white" if v > 0.6 * vmax else "black")
    ax.set_xticks(range(mat.shape[1]), [tier_title(c) for c in mat.columns], fontsize=8)
    ax.set_yticks(range(mat.shape[0]), [tier_title(c) for c in mat.index], fontsize=8)
    ax.set_xlabel(_shown(mat.columns.name) if mat.columns.name else mat.columns.name)
    ax.set_ylabel(_shown(mat.index.name) if mat.index.name else mat.index.name)
    ax.grid(False)
    return fig


def volatility(vol: pd.DataFrame, years: Sequence[int]) -> plt.Figure:
    """Share of countries changing tier, and Watch List entries and exits (``tiers.volatility``)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6))
    s = vol.set_index("report_year")["share_changed"].reindex(years)
    ax1.plot(s.index, 100 * s.values, marker="o")
    ax1.set_ylabel(_("% of countries changing tier"))
    ax1.set_xlabel(_("report year"))
    ax1.set_ylim(bottom=0)
    w = vol.set_index("report_year")[["wl_entries", "wl_exits"]].reindex(years)
    ax2.plot(w.index, w["wl_entries"], marker="o", label=_("Watch List entries"))
    ax2.plot(w.index, w["wl_exits"], marker="s", label=_("Watch List exits"))
    ax2.set_ylabel(_("countries"))
    ax2.set_xlabel(_("report year"))
    ax2.set_ylim(bottom=0)
    # above the panel, in one row: the two lines cross the whole panel, so no corner inside is free
    ax2.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=2, borderaxespad=0, fontsize=8, frameon=False)
    for ax in (ax1, ax2):
        integer_years(ax)
    return fig


def reporting_by_tier(byt: pd.DataFrame) -> plt.Figure:
    """Share of country-years reporting detected victims to UNODC, by tier (``tiers.reporting_by_tier``)."""
    fig, ax = plt.subplots(figsize=(7, 4.8))
    labels = [tier_title(t) for t in byt["tier"]]
    ax.bar(labels, 100 * byt["share_reporting"], color="#0072B2")
    ax.set_ylabel(_("% reporting victims to UNODC"))
    ax.set_xlabel(_("TIP tier"))
    ax.set_ylim(0, 100)
    return fig


def highlighted(histories: Mapping[str, pd.DataFrame], year_start: int, year_end: int) -> plt.Figure:
    """Tier by report year for a few countries, one band each, Tier 1 at the bottom of its band.

    histories: ISO3 -> ``tiers.country_tiers`` frame (``report_year``, categorical ``tier``).
    Gaps: partial years where the tier is unknown, or years not rated.
    """
    n = len(histories)
    fig, ax = plt.subplots(figsize=(10, 1.8 + 1.2 * n))
    for k, (iso, ct) in enumerate(histories.items()):
        codes = ct["tier"].cat.codes.where(ct["tier"].notna())
        ax.plot(ct["report_year"], codes + 4 * k, marker="o", ms=4)
        ax.text(year_end + 0.8, 4 * k + 1.5, iso, ha="left", va="center", fontsize=9, fontweight="bold")
    ax.set_yticks([4 * k + i for k in range(n) for i in range(4)],
                  [_(t) for _k in range(n) for t in (N_("Tier 1"), N_("Tier 2"), N_("Watch List"), N_("Tier 3"))],
                  fontsize=7)
    ax.set_xlim(year_start - 0.5, year_end + 3)
    ax.set_xlabel(_("report year (gaps: partial years where the tier is unknown, or not rated)"))
    integer_years(ax)
    return fig


def country_detections_and_tier(view: pd.DataFrame) -> plt.Figure:
    """Workshop 3: detected victims a country reported to UNODC by data year (bars; a year without a
    figure is labelled 'not reported', never drawn as zero), with the tier of the report assessing
    each year under its tick (``view``: ``data_year``, ``detected_victims``, ``tier``, ``report_year``)."""
    fig, ax = plt.subplots(figsize=(8, 4))
    values = view["detected_victims"].astype(float)
    ax.bar(view["data_year"], values, color="#777777")
    top = max(float(values.max()) * 1.2 if values.notna().any() else 0.0, 100.0)
    for year, v in zip(view["data_year"], values):
        ax.text(year, (0 if pd.isna(v) else v) + top * 0.01, _("not reported") if pd.isna(v) else num(v),
                ha="center", va="bottom", fontsize=8)
    ax.set_xticks(view["data_year"], [_("{year}\nTier {tier}\n({report_year})", year=y, tier=t, report_year=r) for y, t, r in
                                      zip(view["data_year"], view["tier"], view["report_year"])])
    ax.set_ylim(0, top)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.set_ylabel(_("detected victims reported to UNODC"))
    ax.set_xlabel(_("data year; under it, the tier in the TIP report assessing it (report year in brackets)"))
    return fig
