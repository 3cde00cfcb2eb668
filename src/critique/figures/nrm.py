"""Charts of the notebook "Who counts, and by which test" (21-who-counts): the UK NRM.

One function a chart; each takes frames of ``critique.methods.identification`` and returns a matplotlib
Figure (the notebook saves it with ``critique.figures.charts.finalise``). Quarters are drawn at
``year + (quarter - 1) / 4`` with ticks at whole years, so a tick is the start of a year.
"""
from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, MultipleLocator

from critique.core.i18n import N_, _
from critique.figures.charts import num, number_formatter

TYPE_COLOURS = {"police": "#0072B2", "ngo": "#D55E00", "government": "#009E73",
                "local_authority": "#CC79A7", "all": "#000000"}
TYPE_LABELS = {"police": N_("police forces"), "ngo": N_("NGOs"), "government": N_("government agencies"),
               "local_authority": N_("local authorities"), "all": N_("all first responders")}
AGE_COLOURS = {"adult": "#0072B2", "child": "#D55E00", "all": "#000000"}
AGE_LABELS = {"adult": N_("adults"), "child": N_("children"), "all": N_("all ages")}


FORM_SHARE = {"sexual": N_("share with any sexual exploitation"), "labour": N_("share with any labour exploitation"),
              "criminal": N_("share with any criminal exploitation"), "domestic": N_("share with any domestic exploitation")}
#: words of the identification analysis drawn on these charts, translated where drawn
SHOWN = (N_("Jan 2023: new legal test"), N_("Jul 2023: guidance revised"), N_("reasonable-grounds"),
         N_("conclusive-grounds"),
         # the forms of exploitation notebook 21 compares, as the adjective of "exploitation"
         N_("sexual"), N_("labour"), N_("criminal"), N_("domestic"))
_MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"), N_("Jul"), N_("Aug"), N_("Sep"),
           N_("Oct"), N_("Nov"), N_("Dec"))


def _date(d) -> str:
    """A release date as ``07 Mar 2024`` with the month's short name in the reader's language."""
    return _("{day} {month} {year}", day=f"{d:%d}", month=_(_MONTHS[d.month - 1]), year=d.year)


def _percent_formatter() -> FuncFormatter:
    """Shares 0..1 as whole per cents the reader's way (``PercentFormatter(1.0, decimals=0)`` in English)."""
    return FuncFormatter(lambda v, pos: num(v, ".0%"))


def _x(quarters: pd.Series) -> pd.Series:
    """Quarter Periods as decimal years (2020Q2 -> 2020.25)."""
    q = pd.PeriodIndex(quarters, freq="Q-DEC")
    return pd.Series(q.year + (q.quarter - 1) / 4, index=getattr(quarters, "index", None))


def _positions(quarters: pd.Series, order: Sequence[pd.Period]) -> pd.Series:
    """Quarters as positions 0, 1, ... in ``order`` (a short run of quarters, labelled by :func:`_quarter_ticks`)."""
    index = {q: i for i, q in enumerate(order)}
    return pd.Series([index[q] for q in quarters], index=getattr(quarters, "index", None), dtype=float)


def _quarter_ticks(ax: plt.Axes, order: Sequence[pd.Period]) -> None:
    ax.set_xticks(range(len(order)), [_("Q{quarter}\n{year}", quarter=q.quarter, year=q.year) for q in order])


def _year_ticks(ax: plt.Axes, step: int = 1) -> None:
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:.0f}"))  # years: never grouped


def referrals_over_time(quarterly: pd.DataFrame, dip: Sequence[pd.Period], *, dip_label: str = "") -> plt.Figure:
    """Referrals of potential victims per quarter; quarters before the reliable cut dashed; two quarters marked.

    ``quarterly``: ``identification.referrals.quarterly_totals`` (quarter, potential_victims, reliable).
    """
    q = quarterly.sort_values("quarter")
    x, y = _x(q["quarter"]), q["potential_victims"]
    fig, ax = plt.subplots(figsize=(8, 4.4))
    early = q["reliable"].eq(False).to_numpy()
    if early.any():
        cut = int(early.nonzero()[0].max()) + 1  # join the two parts
        ax.plot(x[:cut + 1], y[:cut + 1], ls="--", color="#999999",
                label=_("before 2014 (left out of Home Office charts \"due to data reliability\")"))
    ax.plot(x[early.sum():], y[early.sum():], marker="o", ms=2.5, color="#0072B2", label=_("referrals of potential victims"))
    marks = q[q["quarter"].isin(list(dip))]
    ax.plot(_x(marks["quarter"]), marks["potential_victims"], "o", ms=8, mfc="none", mec="#D55E00", mew=1.8,
            label=dip_label or _("quarters compared"))
    ax.set_ylabel(_("referrals of potential victims in the quarter"))
    ax.set_xlabel(_("quarter (ticks at the start of each year)"))
    ax.yaxis.set_major_formatter(number_formatter())
    _year_ticks(ax, 2)
    ax.set_ylim(0, float(y.max()) * 1.45)  # head-room: the legend sits above the series, clear of it
    ax.legend(loc="upper left", fontsize="small")
    return fig


def restatements(table: pd.DataFrame, annual: pd.DataFrame, year: int) -> plt.Figure:
    """Left: each quarter's published figures minus its first publication; right: one year's totals by release.

    ``table``: ``identification.referrals.restatements``; ``annual``: ``annual_restatement``.
    """
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(9, 4.2), gridspec_kw={"width_ratios": [2.2, 1]})
    order = sorted(table["quarter"].unique())
    first = table[table["first_publication"]].set_index("quarter")["published"]
    later = table[~table["first_publication"]]
    tables = table[table["first_publication"]]
    ax.axhline(0, color="#999999", lw=0.8)
    ax.plot(_positions(tables["quarter"], order), [0] * len(tables), "o", color="#000000", label=_("first publication"))
    ax.plot(_positions(later["quarter"], order), later["published"].to_numpy() - later["quarter"].map(first).to_numpy(),
            "o", mfc="none", mec="#0072B2", label=_("a later release"))
    ax.plot(_positions(tables["quarter"], order), (tables["first_release_tables"] - tables["published"]).to_numpy(), "x",
            color="#D55E00", label=_("sum of the first release's four first-responder tables"))
    ax.set_ylabel(_("published figure minus first publication"))
    ax.set_xlabel(_("quarter referred"))
    _quarter_ticks(ax, order)
    lo, hi = ax.get_ylim()
    wrapped = sum(label.count("\n") for label in ax.get_legend_handles_labels()[1])  # a translation on two lines
    ax.set_ylim(lo, hi + (hi - lo) * (0.9 + 0.3 * wrapped))  # head-room: the legend sits above the points, clear of them
    ax.legend(loc="upper left", fontsize="small")
    labels = [_date(d) for d in annual["release_date"]]
    bars = ax2.bar(range(len(annual)), annual["potential_victims"], color=["#000000"] + ["#0072B2"] * (len(annual) - 1))
    for bar, value in zip(bars, annual["potential_victims"]):
        ax2.annotate(num(value, ","), (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center",
                     va="bottom", fontsize="small")
    ax2.set_xticks(range(len(annual)), labels)
    lo = int(annual["potential_victims"].min())
    ax2.set_ylim(lo * 0.99, int(annual["potential_victims"].max()) * 1.003)
    ax2.set_ylabel(_("{year} total (axis does not start at 0)", year=year))
    ax2.set_xlabel(_("release"))
    ax2.yaxis.set_major_formatter(number_formatter())
    return fig


def decision_shares(quarterly_shares: pd.DataFrame, changes: Sequence, *, ages: Sequence[str] = ("adult", "child", "all"),
                    stage: str = "reasonable-grounds") -> plt.Figure:
    """Positive share of decisions per quarter by age, with the test changes marked.

    ``quarterly_shares``: ``identification.decisions.positive_shares(..., by="quarter")``;
    ``changes``: ``TestChange`` objects (quarter, label).
    """
    fig, ax = plt.subplots(figsize=(8, 4.4))
    for age in ages:
        rows = quarterly_shares[quarterly_shares["age"].eq(age)].dropna(subset=["positive_share"])
        ax.plot(_x(rows["period"]), rows["positive_share"].astype(float), marker="o", ms=2.5,
                color=AGE_COLOURS.get(age), label=_(AGE_LABELS[age]) if age in AGE_LABELS else age, lw=2 if age == "adult" else 1.2)
    for k, change in enumerate(changes):
        xc = float(_x(pd.Series([change.quarter])).iloc[0])
        ax.axvline(xc, color="#999999", ls=":", lw=1.2)
        ax.annotate(_(change.label), (xc, 0.05 + 0.1 * k), xytext=(-4, 0), textcoords="offset points", ha="right",
                    fontsize="small", color="#555555")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(_percent_formatter())
    ax.set_ylabel(_("positive share of {stage} decisions", stage=_(stage)))
    ax.set_xlabel(_("quarter of decision (ticks at the start of each year)"))
    _year_ticks(ax, 1)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.25))
    return fig


def form_share_by_responder(shares: pd.DataFrame, shares_adult: pd.DataFrame, *,
                            types: Sequence[str] = ("police", "ngo", "government", "local_authority", "all"),
                            form: str = "sexual") -> plt.Figure:
    """Share of referrals with any ``form`` exploitation per quarter and type, with Wilson intervals if given.

    Left: all ages; right: adults only. ``shares``: ``identification.composition.form_shares``; when it
    has no ``low``/``high`` columns (the comparison read descriptively) the shares are drawn without bars.
    """
    bars = {"low", "high"} <= set(shares.columns) and {"low", "high"} <= set(shares_adult.columns)
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 4.6), sharey=True)
    order = sorted(shares["quarter"].unique())
    offsets = {t: (i - (len(types) - 1) / 2) * 0.09 for i, t in enumerate(types)}
    for ax, frame, title in ((axes[0], shares, _("referrals, all ages")), (axes[1], shares_adult, _("referrals, adults"))):
        for t in types:
            rows = frame[frame["responder_type"].eq(t)]
            x = _positions(rows["quarter"], order) + offsets[t]
            y = rows["share"].to_numpy()
            yerr = [y - rows["low"].to_numpy(), rows["high"].to_numpy() - y] if bars else None
            ax.errorbar(x, y, yerr=yerr, marker="o", ms=3,
                        capsize=2, lw=1.6 if t in ("police", "ngo") else 0.8, color=TYPE_COLOURS.get(t),
                        label=_(TYPE_LABELS[t]) if t in TYPE_LABELS else t, alpha=1.0 if t in ("police", "ngo", "all") else 0.6)
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel(_("quarter referred"))
        _quarter_ticks(ax, order)
    axes[0].set_ylabel(_(FORM_SHARE[form]) if form in FORM_SHARE else
                       _("share with any {form} exploitation", form=form))
    axes[0].yaxis.set_major_formatter(_percent_formatter())
    column = "high" if bars else "share"
    top = max(float(shares[column].max()), float(shares_adult[column].max()))
    axes[0].set_ylim(0, top * 1.35)  # room for the legend above the intervals
    axes[0].legend(loc="upper left", fontsize="small", ncol=3, bbox_to_anchor=(0.0, 1.0))
    return fig
