"""Charts of the country profile: one function a chart, data in, figure out."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.patches import Patch
from critique.core.i18n import N_, _
from critique.figures.charts import integer_years, num, number_formatter

# the keys are words of the data (forms, reporting statuses), marked here and translated where drawn
FORM_COLORS = {N_("Total"): "#222222", N_("Sexual exploitation"): "#b2182b", N_("Forced labour"): "#2166ac",
               N_("Other forms of exploitation"): "#1b7837"}
STATUS_COLORS = {N_("total and forms"): "#4d4d4d", N_("total and forms (forms all <5)"): "#7a7a7a",
                 N_("total only"): "#999999", N_("forms only"): "#c7c7c7", N_("forms only (forms all <5)"): "#dedede",
                 N_("not reported"): "#ffffff", N_("not yet reported (release lag)"): "#f3e2c7"}
TIER_RANK = {"1": 1, "2": 2, "2WL": 3, "3": 4}


def unodc_series(S: pd.DataFrame, cov: pd.DataFrame, years: Sequence[int]) -> plt.Figure:
    """Detected victims by form (top) and what each data year reported (strip below).

    S: ``profiles.form_series`` (``year, form, value, suppressed, low, high``); a suppressed cell
    is drawn as a bar from 0 to 4, an unreported year as a gap. cov: ``profiles.coverage``
    (``year, status``).
    """
    fig, (ax, strip) = plt.subplots(2, 1, figsize=(9, 5.8), sharex=True,
                                    gridspec_kw={"height_ratios": [4, 0.6]})
    for form, color in FORM_COLORS.items():
        d = S.loc[S["form"] == form]
        if d.empty:
            continue
        line = d.set_index("year")["value"].reindex(years)  # unreported years break the line
        ax.plot(line.index, line.values, marker="o", ms=4, color=color,
                lw=2 if form == "Total" else 1.2, label=_(form))
        sup = d.loc[d["suppressed"] & d["value"].isna()]
        if len(sup):
            ax.vlines(sup["year"], sup["low"], sup["high"], color=color, lw=4, alpha=0.5)
    ax.plot([], [], color="#888888", lw=4, alpha=0.5, label=_('suppressed "<5" cell (0 to 4)'))
    ax.set_ylabel(_("detected victims"))
    ax.yaxis.set_major_formatter(number_formatter())
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    for _i, row in cov.iterrows():
        strip.bar(row["year"], 1, width=1, color=STATUS_COLORS[row["status"]], edgecolor="#dddddd")
    strip.set_yticks([])
    strip.grid(False)
    strip.set_xlabel(_("data year; strip: what was reported"))
    integer_years(strip)
    strip.legend(handles=[Patch(facecolor=c, edgecolor="#999999", label=_(s)) for s, c in STATUS_COLORS.items()],
                 fontsize=7, ncol=1, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return fig


def unodc_table(S: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind :func:`unodc_series`."""
    return S[[c for c in ("year", "form", "value", "suppressed", "low", "high") if c in S.columns]]


def tier_history(history: pd.DataFrame) -> plt.Figure:
    """A country's TIP tier by report year; unknown (partial) years shaded, not-rated years marked x.

    history: ``profiles.tier_history`` (``report_year, tier, status``).
    """
    known = history.loc[history["tier"].notna()]
    fig, ax = plt.subplots(figsize=(9, 3.4))
    ax.plot(known["report_year"], known["tier"].astype(str).map(TIER_RANK), marker="o",
            drawstyle="steps-mid", color="#333333")
    for y in history.loc[history["status"].astype(str).str.startswith("unknown"), "report_year"]:
        ax.axvspan(y - 0.5, y + 0.5, color="#dddddd", lw=0)
    for y in history.loc[history["status"] == "not rated", "report_year"]:
        ax.plot(y, 0.6, marker="x", color="#999999")
    ax.set_yticks([1, 2, 3, 4], [_("Tier 1"), _("Tier 2"), _("Tier 2 WL"), _("Tier 3")])
    ax.set_ylim(4.5, 0.4)
    ax.set_xlabel(_("TIP report year (grey: unknown, partial transcription; x: not rated)"))
    integer_years(ax)
    return fig


def gsi_vs_detected(gsi: Mapping[str, Any]) -> plt.Figure:
    """The GSI 2023 estimate beside the latest national total of detected victims, log scale.

    gsi: ``profiles.gsi_vs_detected`` (``gsi_estimate, latest_detected, latest_year, latest_suppressed``).
    """
    fig, ax = plt.subplots(figsize=(8, 2.8))
    labels = [_("GSI 2023 estimate (2021)"), _("UNODC detected ({year})", year=gsi["latest_year"])]
    vals = [gsi["gsi_estimate"], gsi["latest_detected"]]
    ax.barh(labels, vals, color=["#bbbbbb", "#333333"])
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(number_formatter())  # 1,000, not 10^3
    ax.set_xlim(right=max(vals) * 30)  # room for the value labels
    for i, v in enumerate(vals):
        ax.text(v, i, " " + num(v) + (" " + _("(<5: at most 4)") if i == 1 and gsi["latest_suppressed"] else ""),
                va="center", fontsize=8)
    ax.set_xlabel(_("people (log scale)"))
    return fig
