"""Charts of notebook 00 (what each source covers): one function a chart, data in, figure out."""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from critique.core.i18n import _
from critique.figures.charts import integer_years, number_formatter
from critique.methods.coverage.overview import coverage_table  # noqa: F401  (the data behind the chart; re-exported)
from critique.figures.coverage import mark_partial


def coverage_by_year(series: Mapping[str, pd.Series], labels: Mapping[str, str],
                     first_year: int, partial: Mapping[str, Sequence[int]] | None = None) -> plt.Figure:
    """Units covered per year, one line per source.

    series: source id -> units (countries or agencies) indexed by year. labels: source id -> unit
    label ("countries", "agencies"). Years before ``first_year`` are left out. partial: source id ->
    its release's incomplete data years (release lag, e.g.
    :func:`critique.datasets.glotip_rules.partial_years`): drawn as hollow markers not joined to the
    line, the year hatched and labelled "incomplete: release lag" (as in notebook 10), so the drop
    does not read as a fall in coverage. Missing years are gaps, never zeros.
    """
    partial = {k: [int(y) for y in v] for k, v in (partial or {}).items()}
    fig, ax = plt.subplots(figsize=(9, 5))
    marked: set[int] = set()
    for ds_id, s in series.items():
        s = s[s.index >= first_year].astype(float)
        if len(s):  # no data is a gap: reindex to every year so a missing year breaks the line
            s = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
        part = s.index.isin(partial.get(ds_id, []))
        line, = ax.plot(s.index, s.where(~part).values, marker="o", ms=3, label=f"{ds_id} ({_(labels[ds_id])})")
        if part.any():
            ax.plot(s.index[part], s[part].values, linestyle="none", marker="o", ms=5,
                    markerfacecolor="white", markeredgecolor=line.get_color(), color=line.get_color())
            marked.update(int(y) for y in s.index[part])
    if marked:
        mark_partial(ax, sorted(marked))
    ax.set_xlabel(_("year (report year for TIP tiers)"))
    ax.set_ylabel(_("units covered"))
    ax.yaxis.set_major_formatter(number_formatter())
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    integer_years(ax)
    return fig
