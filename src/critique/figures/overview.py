"""Charts of notebook 00 (what each source covers): one function a chart, data in, figure out."""
from __future__ import annotations

from typing import Mapping

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import StrMethodFormatter

from critique.charts import integer_years


def coverage_by_year(series: Mapping[str, pd.Series], labels: Mapping[str, str],
                     first_year: int) -> plt.Figure:
    """Units covered per year, one line per source.

    series: source id -> units (countries or agencies) indexed by year. labels: source id -> unit
    label ("countries", "agencies"). Years before ``first_year`` are left out.
    """
    fig, ax = plt.subplots(figsize=(9, 5))
    for ds_id, s in series.items():
        s = s[s.index >= first_year]
        ax.plot(s.index, s.values, marker="o", ms=3, label=f"{ds_id} ({labels[ds_id]})")
    ax.set_xlabel("year (report year for TIP tiers)")
    ax.set_ylabel("units covered")
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", fontsize=8)
    integer_years(ax)
    return fig


def coverage_table(series: Mapping[str, pd.Series], first_year: int) -> pd.DataFrame:
    """The numbers behind :func:`coverage_by_year`: one row per source and year."""
    rows = [pd.DataFrame({"source": ds_id, "year": s.index.astype(int), "units": s.values})
            for ds_id, s in series.items()]
    out = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["source", "year", "units"])
    return out.loc[out["year"] >= first_year].reset_index(drop=True)
