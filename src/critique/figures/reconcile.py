"""Charts of the reconciliation notebook (13-reconciliation): does the recount match the publisher?

One function a chart; each takes a frame of :class:`critique.methods.reconcile.ReconcileResult` and returns
a matplotlib Figure (no saving, no caption: the notebook calls ``critique.figures.charts.finalise``).
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from critique.core.i18n import N_, _
from critique.figures.charts import num, number_formatter
from critique.methods.reconcile.classify import VERDICTS

MEASURE_WORDS = (N_("offences"), N_("cleared"))
VERDICT_COLOURS = {  # the verdict words are marked here and translated where drawn
    N_("equal within rounding"): "#009E73", N_("revised in a later release"): "#56B4E9", N_("definition"): "#F0E442",
    N_("driven by one country"): "#E69F00", N_("unexplained"): "#D55E00", N_("not recomputed"): "#BBBBBB",
}


def verdicts_by_publisher(by_publisher: pd.DataFrame) -> plt.Figure:
    """Horizontal stacked bars: for each publisher, its printed figures by verdict.

    ``by_publisher``: publishers as index, verdicts as columns (counts), as ``ReconcileResult.by_publisher``.
    """
    data = by_publisher.reindex(columns=list(VERDICTS), fill_value=0)
    data = data.loc[data.sum(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(data) + 2.2))
    left = np.zeros(len(data))
    for verdict in VERDICTS:
        values = data[verdict].to_numpy(dtype=float)
        if values.sum() == 0:
            continue
        ax.barh(data.index, values, left=left, color=VERDICT_COLOURS[verdict], label=_(verdict), edgecolor="white")
        for y, (x0, v) in enumerate(zip(left, values)):
            if v >= 3:
                ax.text(x0 + v / 2, y, f"{int(v)}", ha="center", va="center", fontsize=8)
        left += values
    ax.set_xlabel(_("printed figures compared"))
    ax.legend(loc="center right", fontsize=8, frameon=False)  # room kept right of the longest bar
    ax.set_xlim(0, left.max() * 1.7)
    return fig


def with_and_without(rows: pd.DataFrame) -> plt.Figure:
    """Printed share, recount and recount without the country that moves it most, one line a figure.

    ``rows``: ``figure``, ``printed_low``, ``printed_high``, ``recount_low``, ``recount_high``,
    ``without_low``, ``without_high``, ``mover`` (one mover for all rows), in percent.
    """
    rows = rows.reset_index(drop=True)
    mover = str(rows["mover"].iloc[0]) if len(rows) else ""
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.8))
    y = np.arange(len(rows))[::-1]
    ax.hlines(y, rows["printed_low"], rows["printed_high"], color="black", lw=6, label=_("printed (rounding interval)"))
    ax.plot((rows["recount_low"] + rows["recount_high"]) / 2, y, "o", color="#0072B2", label=_("recount, all countries"))
    ax.plot((rows["without_low"] + rows["without_high"]) / 2, y, "s", mfc="white", color="#E69F00",
            label=_("recount without {country}", country=mover))
    ax.set_yticks(y)
    ax.set_yticklabels(rows["figure"].str.replace("share of detected victims: ", "", regex=False))
    ax.set_xlabel(_("share of detected victims (%)"))
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


def fbi_file_vs_tables(comparison: pd.DataFrame) -> plt.Figure:
    """The FBI's printed US figures (offences, cleared) beside the file's, per data year.

    ``comparison``: :func:`critique.methods.reconcile.fbi.compare`; rows of area ``US`` with a printed value.
    """
    us = comparison.loc[(comparison["area"] == "US") & comparison["published"].notna()
                        & comparison["measure"].isin(["offences", "cleared"])]
    keys = [(int(r.data_year), r.measure) for r in us.itertuples()]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    x = np.arange(len(keys))
    ax.bar(x - 0.2, us["published"].astype(float), 0.4, color="#999999", label=_("FBI annual table"))
    ax.bar(x + 0.2, us["file"].astype(float), 0.4, color="#0072B2", label=_("Crime Data Explorer file"))
    for xi, r in zip(x, us.itertuples()):
        ax.text(xi + 0.2, float(r.file), num(int(r.difference), "+,"), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x)
    ax.set_xticklabels([f"{y}\n{_(m)}" for y, m in keys])
    ax.set_ylabel(_("offences (count)"))
    ax.set_ylim(0, float(us[["published", "file"]].astype(float).max().max()) * 1.35)
    ax.yaxis.set_major_formatter(number_formatter())
    ax.legend(loc="upper center", ncol=2, fontsize=8, frameon=False)
    return fig
