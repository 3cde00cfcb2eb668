"""Chart of notebook 50's enforcement section: what client-criminalisation laws produced in enforcement."""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import pandas as pd

from critique.core.i18n import N_, _
from critique.figures.charts import num

GRADE_COLOUR = {"primary": "#1f4e79", "secondary": "#7fa7cf"}
GRADE_LABELS = {"primary": N_("primary source"), "secondary": N_("secondary source")}
SUPPRESSED = {"facecolor": "white", "edgecolor": "#555555", "hatch": "///"}


def enforcement_outputs(data: pd.DataFrame) -> plt.Figure:
    """One panel per jurisdiction: each published count as a horizontal bar, its own scale per panel.

    data: ``EnforcementOutputs.chart_data`` (``jurisdiction, short, period, value, suppressed_below,
    verification``; no unverified rows). A cell published as "<N" is an outlined, hatched bar up to N
    labelled "<N" (an upper bound, not a value). Bar colour gives the verification level.
    """
    if data.empty:
        raise ValueError("enforcement_outputs: no rows to draw")
    groups = list(dict.fromkeys(data["jurisdiction"]))
    sizes = [int((data["jurisdiction"] == g).sum()) for g in groups]
    fig, axes = plt.subplots(len(groups), 1, figsize=(10, 1.6 + 0.34 * sum(sizes)),
                             gridspec_kw={"height_ratios": sizes}, squeeze=False)
    for ax, g in zip(axes[:, 0], groups):
        d = data[data["jurisdiction"] == g].reset_index(drop=True)
        labels = [f"{m}, {p}" for m, p in zip(d["short"], d["period"])]
        top = float(pd.concat([d["value"], d["suppressed_below"].astype("Float64")]).max())
        for i, r in d.iterrows():
            if pd.isna(r["value"]):
                ax.barh(i, float(r["suppressed_below"]), **SUPPRESSED)
                ax.text(float(r["suppressed_below"]) + 0.01 * top, i, f"<{int(r['suppressed_below'])}", va="center", fontsize=8)
            else:
                ax.barh(i, float(r["value"]), color=GRADE_COLOUR[r["verification"]])
                ax.text(float(r["value"]) + 0.01 * top, i, num(float(r["value"])), va="center", fontsize=8)
        ax.set_yticks(range(len(d)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.15 * top)
        ax.set_title(g, loc="left", fontsize=10)
        ax.grid(axis="y", visible=False)
    handles = [Patch(color=c, label=_(GRADE_LABELS[k])) for k, c in GRADE_COLOUR.items()]
    handles.append(Patch(label=_('published as "<N" (bound)'), **SUPPRESSED))
    # in the tallest panel's lower right, clear of short bars (the footer finalise adds goes below the figure)
    axes[sizes.index(max(sizes)), 0].legend(handles=handles, loc="lower right", fontsize=8, frameon=True)
    fig.tight_layout()
    return fig
