"""Charts of the claims register (notebook 60): one function a chart, a Figure out, nothing saved.

Each function takes the ``data`` frame of a :class:`critique.methods.claims.verdict.ClaimCheck` (or the
register's summary table) and draws it; ``charts.finalise`` adds title, source, caveats and N.
"""
from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from critique.figures.charts import integer_years, num
from critique.core.i18n import N_, _
from critique.figures.fonts import wrap
from critique.methods.claims.rules import VERDICTS

#: one colour a verdict word, in vocabulary order (against the claim -> no reading at all)
VERDICT_COLOURS = dict(zip(VERDICTS, ("#b22222", "#e08a1e", "#d4a017", "#6a5acd", "#1f4e79", "#2e7d32", "#7f7f7f")))
FORM_COLOURS = {N_("Sexual exploitation"): "#b22222", N_("Forced labour"): "#1f4e79",
                N_("Other forms of exploitation"): "#7f7f7f"}
#: labels of the cited figures each cited-figure chart shows, by check id
CITED_LABELS = {
    "worldcup-2006-followup": {"wc2006-claimed": N_("forecast: women trafficked for the event"),
                               "wc2006-known-victims-per-year": N_("known victims of sexual exploitation, Germany, a year"),
                               "wc2006-cases-found": N_("cases linked to the event (news report)")},
    "superbowl-2011-outcome": {"sb2011-predicted-high": N_("predicted by a police sergeant (high), Dallas 2011"),
                               "sb2011-predicted-low": N_("predicted by a police sergeant (low)"),
                               "sb2011-task-force-arrests": N_("task-force arrests, any charge"),
                               "sb2011-prostitution-arrests": N_("prostitution-related arrests"),
                               "sb2011-trafficking-charges": N_("human-trafficking charges")},
    "gao-fosta": {"gao-platform-cases": N_("federal criminal cases against platform controllers, 2014-2020 (at least)"),
                  "gao-backpage-cases": N_("of which against backpage.com (before FOSTA)"),
                  "gao-fosta-cases": N_("cases under FOSTA's new provision"),
                  "gao-restitution": N_("restitution sought under it"),
                  "gao-civil-damages": N_("civil damages awarded under it")},
    "spotlight-vs-federal": {"thorn-cloudera-investigations": N_("investigations using Spotlight (Sep 2015-Sep 2016)"),
                             "thorn-cloudera-adults": N_("adults identified with Spotlight"),
                             "thorn-cloudera-minors": N_("minors identified with Spotlight"),
                             "ice-investigations-fy2015": N_("ICE trafficking investigations opened, FY2015"),
                             "fbi-investigations-fy2015": N_("FBI trafficking investigations opened, FY2015"),
                             "fbi-victims-fy2015": N_("victims identified by the FBI, FY2015"),
                             "fbi-minors-per-year": N_("minors identified by FBI-led task forces, a year")},
}

#: fixed captions (title, description, caveat) of the charts whose text needs no number from the run
CAPTIONS = {
    "ncmec-reports": dict(title=N_("CyberTipline reports per year and 'child sex trafficking' reports"),
                          description=N_("Left: all reports to NCMEC's CyberTipline per year, log scale (dotted line: start of the "
                                       "pandemic year). Right: reports NCMEC classed as child sex trafficking, published only from 2020."),
                          caveat=N_("Reports follow platforms' detection; they are not victims.")),
    "worldcup-2006-followup": dict(title=N_("2006 World Cup: the forecast and the follow-up"),
                                   description=N_("Each bar is a cited figure (log scale); a forecast and counts of known victims "
                                                "count different things."),
                                   caveat=N_("Known victims measure detection, not trafficking.")),
    "superbowl-2011-outcome": dict(title=N_("Super Bowl 2011: a police sergeant's prediction and counts afterwards"),
                                   description=N_("Each bar is a cited figure (log scale); predictions and arrests count different things."),
                                   caveat=N_("Arrests measure policing, not trafficking.")),
    "gao-fosta": dict(title=N_("Federal criminal cases against online commercial-sex platforms (GAO-21-385)"),
                      description=N_("Counts reported by the US Government Accountability Office in June 2021."),
                      caveat=N_("Civil suits and state prosecutions opened by the law are outside these counts.")),
    "spotlight-vs-federal": dict(title=N_("Spotlight's reported identifications beside federal counts"),
                                 description=N_("Cited figures on a log scale: Spotlight's (via Cloudera) and federal agencies' "
                                              "(Attorney General's 2015 report)."),
                                 caveat=N_("No official count measures the same thing; the comparison shows scale, not error.")),
    "sweden-street-counts": dict(title=N_("Stockholm street counts before and after the Sex Purchase Act"),
                                 description=N_("People counted in street prostitution in Stockholm, 1998 and 2008, and the level a "
                                              "fall by half would mean."),
                                 caveat=[N_("Stockholm only: the claim is national."), N_("A street count misses indoor and online selling.")]),
    "share-applied-to-stock": dict(title=N_("A share applied to a stock estimate, beside the estimate's own split"),
                                   description=N_("The claimed share, ILO's 2005 split of trafficked forced labourers (as quoted by "
                                                "the OSCE), and UNODC edition shares of detected victims."),
                                   caveat=N_("Shares of detected victims are not shares of an estimated stock.")),
    "estimates-chain": dict(title=N_("Global stock figures strung together as a trend"),
                            description=N_("Each figure in the sequence; orange: forced marriage, counted in the 2017 and 2022 "
                                         "global estimates."),
                            caveat=N_("Each estimate is a model with wide uncertainty; the first has no component breakdown.")),
}



def caption(key: str) -> dict[str, Any]:
    """The fixed caption :data:`CAPTIONS` ``[key]`` (title, description, caveat) in the reader's language."""
    return {k: [_(c) for c in v] if isinstance(v, list) else _(v) for k, v in CAPTIONS[key].items()}


def cited_caption(check: Any) -> dict[str, Any]:
    """Keywords of ``charts.finalise`` for a check drawn with :func:`cited_bars`: its fixed caption
    (:data:`CAPTIONS`), the evidence it read as the chart's data, and N = the cited figures drawn."""
    drawn = int(check.data["evidence_id"].isin(CITED_LABELS[check.test_id]).sum())
    return dict(**caption(check.test_id), datasets=["claim-evidence"], n=_("{n} cited figures", n=drawn),
                data=check.data)


def panel_caption(check: Any, *, before: int, after: int, datasets: list[str]) -> dict[str, Any]:
    """Keywords of ``charts.finalise`` for a fixed-panel check drawn with ``panel_change(..., forms=False)``:
    the panel's detected victims beside all reporters, ``before`` to ``after``."""
    countries = check.numbers["panel_countries"]
    return dict(title=_("Detected victims {before}-{after}: fixed panel and all reporters", before=before, after=after),
                description=_("Detected victims summed over the {countries}-country fixed panel (solid) and over all "
                              "countries reporting each year (dashed); band: the panel's low and high bounds from cells "
                              "published as '<5', lines: the high bound.", countries=countries),
                datasets=datasets, n=_("{n} countries in the panel", n=countries), data=check.data)

#: what each check set the claim against, in a reader's words (the row labels of the verdict chart)
CHECK_LABELS = {
    "unodc-covid-fixed-panel": N_("UNODC detected victims, same countries each year"),
    "ncmec-covid-reports": N_("CyberTipline reports to NCMEC"),
    "worldcup-2006-followup": N_("counts found after the event (IOM follow-up)"),
    "superbowl-2011-outcome": N_("arrests and charges after the 2011 game"),
    "host-country-detections": N_("host country's detected victims (UNODC)"),
    "sweden-street-counts": N_("Stockholm street counts, 1998 and 2008"),
    "sweden-unodc-series": N_("Sweden's detected victims (UNODC)"),
    "gao-fosta": N_("federal cases counted by the GAO (2021)"),
    "spotlight-vs-federal": N_("federal counts of investigations and victims"),
    "share-2006-recount": N_("recount from UNODC country data"),
    "share-applied-to-stock": N_("ILO's 2005 estimate and its split by form"),
    "estimates-definitions": N_("what each estimate counts"),
    "unodc-2019-2020-fixed-panel": N_("UNODC detected victims, same countries each year"),
    "unodc-2019-2022-fixed-panel": N_("UNODC detected victims, same countries each year"),
    "detections-as-prevalence": N_("what a count of detected victims measures"),
    "untestable": N_("no count of the same definition exists"),
}


def row_label(label: str, test: str) -> str:
    """A row of the verdict chart: the claim's short label and what checked it, no ids
    (a check without a reader's label is a KeyError naming it)."""
    try:
        checked = CHECK_LABELS[test]
    except KeyError:
        raise KeyError(f"figures.claims.CHECK_LABELS has no reader's label for check {test!r}") from None
    return wrap(label, 90) + "\n" + _("checked against: {what}", what=_(checked))


def verdict_overview(summary: pd.DataFrame) -> plt.Figure:
    """One row per check, a marker in the column of its verdict word (``claims.summary_table``:
    columns ``label``, ``test``, ``word``, ``verdict``); squares: capped, diamonds: a partial test.
    Rows are labelled with the register's short claim label and what checked it (:data:`CHECK_LABELS`)."""
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(summary) + 1.6))
    for i, rec in enumerate(summary.itertuples()):
        x = VERDICTS.index(rec.word)
        marker = "s" if bool(getattr(rec, "capped", "capped" in rec.verdict)) else "D" if rec.word == VERDICTS[3] else "o"
        ax.scatter([x], [i], s=120, color=VERDICT_COLOURS[rec.word], zorder=3, marker=marker)
    ax.set_yticks(range(len(summary)), [row_label(r.label, r.test) for r in summary.itertuples()], fontsize=7)
    ax.set_xticks(range(len(VERDICTS)), [wrap(_(v), 16) for v in VERDICTS], fontsize=7)  # reader's language
    ax.set_xlim(-0.5, len(VERDICTS) - 0.5)
    ax.invert_yaxis()
    ax.grid(axis="x", color="#dddddd")
    return fig


def verdict_count_table(summary: pd.DataFrame) -> pd.DataFrame:
    """How many checks end in each verdict word, every word of the vocabulary in its order (zeros
    kept, so the reader sees the words no check reached): columns ``verdict``, ``checks``, ``claims``."""
    rows = [{"verdict": w, "checks": int((summary["word"] == w).sum()),
             "claims": int(summary.loc[summary["word"] == w, "claim_id"].nunique())} for w in VERDICTS]
    return pd.DataFrame(rows)



def verdict_counts_caption(summary: pd.DataFrame) -> dict[str, str]:
    """Title and description of :func:`verdict_counts`: bars count checks (a claim may have several), and how
    many verdicts were capped because an input was unverified (``summary``: ``claim_id``, ``verdict``)."""
    capped = int(summary["capped"].sum()) if "capped" in summary else \
        int(summary["verdict"].astype(str).str.contains("capped").sum())
    return dict(title=_("What the data can show about circulating claims: checks per verdict"),
                description=_("Bars count checks, not claims: {checks} checks of {claims} claims, a claim may have "
                              "several. A verdict says what the published data can show, not whether the claim is true. "
                              "{capped} verdict(s) capped because an input was unverified; which checks covered only part "
                              "of a claim is in the per-claim chart.", checks=len(summary),
                              claims=summary["claim_id"].nunique(), capped=capped))

def verdict_counts(summary: pd.DataFrame) -> plt.Figure:
    """A bar a verdict word, its length the number of checks ending there (:func:`verdict_count_table`):
    the register at a glance, readable at slide and brief size (the row chart is :func:`verdict_overview`)."""
    table = verdict_count_table(summary)
    fig, ax = plt.subplots(figsize=(8, 4.6))
    y = range(len(table))
    ax.barh(y, table["checks"], color=[VERDICT_COLOURS[w] for w in table["verdict"]])
    for i, n in enumerate(table["checks"]):
        ax.text(n + 0.15, i, str(n), va="center", fontsize=10)
    ax.set_yticks(list(y), [wrap(_(w), 44) for w in table["verdict"]], fontsize=10)
    ax.grid(axis="y", visible=False)
    ax.invert_yaxis()
    ax.set_xlim(0, max(table["checks"].max(), 1) * 1.15 + 0.5)
    ax.set_xlabel(_("checks"))
    ax.xaxis.get_major_locator().set_params(integer=True)
    return fig

def panel_change(data: pd.DataFrame, *, before: int, after: int, forms: bool = True) -> plt.Figure:
    """Fixed-panel detected victims by year (bounds), all reporters beside it when given, forms indexed.

    ``data``: index year; ``panel_low``/``panel_high``; optional ``all_low``/``all_high``; optional
    ``<form>_low``/``<form>_high`` columns.
    """
    has_forms = forms and any(c.endswith("_low") and c.split("_")[0] in FORM_COLOURS for c in data.columns)
    fig, axes = plt.subplots(1, 2 if has_forms else 1, figsize=(10 if has_forms else 6.5, 4), squeeze=False)
    ax = axes[0][0]
    years = data.index.astype(int)
    ax.fill_between(years, data["panel_low"], data["panel_high"], color="#1f4e79", alpha=0.3)
    ax.plot(years, data["panel_high"], color="#1f4e79", marker="o", label=_("fixed panel"))
    if "all_high" in data:
        ax.plot(years, data["all_high"], color="#999999", marker="o", ls="--", label=_("all reporting countries"))
    for y in (before, after):
        ax.axvline(y, color="#b22222", lw=0.8, ls=":")
    ax.set_ylabel(_("detected victims (sum)"))
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, loc="lower left")
    integer_years(ax)
    if has_forms:
        ax2 = axes[0][1]
        for form, colour in FORM_COLOURS.items():
            col = f"{form}_high"
            if col in data and data[col].notna().any() and before in data.index and data.at[before, col] > 0:
                ax2.plot(years, 100 * data[col] / data.at[before, col], marker="o", color=colour, label=_(form))
        ax2.axhline(100, color="#444444", lw=0.6)
        ax2.set_ylabel(_("index, {year} = 100 (form panel)", year=before))
        ax2.legend(fontsize=7)
        integer_years(ax2)
    return fig


def ncmec_reports(data: pd.DataFrame, *, event_year: int) -> plt.Figure:
    """CyberTipline reports per year (log scale) and the 'child sex trafficking' type where published."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [2, 1]})
    ax.plot(data.index, data["reports"], marker="o", color="#1f4e79")
    ax.set_yscale("log")
    ax.axvline(event_year - 0.5, color="#b22222", lw=0.8, ls=":")
    ax.set_ylabel(_("reports to the CyberTipline (log scale)"))
    integer_years(ax)
    cst = data["child_sex_trafficking_reports"].dropna()
    ax2.bar(cst.index, cst.values, color="#e08a1e")
    if len(cst):
        first = int(cst.index.min())
        ax2.set_xlim(first - 3, int(data.index.max()) + 0.6)
        ax2.set_xticks(list(range(first - 2, int(data.index.max()) + 1, 2)))
        ax2.text(0.02, 0.95, _("not published\nbefore {year}", year=first), transform=ax2.transAxes, va="top", fontsize=7)
    ax2.set_ylabel(_("'child sex trafficking' reports"))
    return fig


def host_countries(data: pd.DataFrame, events: list[dict]) -> plt.Figure:
    """Each host's detected-victim totals around its event year (gaps where nothing was published).

    ``events``: dicts with ``iso3`` and ``event_year`` (every event, also those without data). An
    event with no published figure in the years the check read gets a panel without axes that says so
    (never an empty pair of axes that looks like zero).
    """
    events = pd.DataFrame(events)
    fig, axes = plt.subplots(1, max(len(events), 1), figsize=(2.6 * max(len(events), 1) + 1, 3.2), squeeze=False)
    first_with_data = None
    for ax, ev in zip(axes[0], events.itertuples()):
        d = data[(data["iso3"] == ev.iso3) & (data["event_year"] == ev.event_year)]
        ax.set_title(_("{country}, event {year}", country=ev.iso3, year=ev.event_year), fontsize=8)
        if d.empty or not d["high"].notna().any():
            ax.set_xticks([])
            ax.set_yticks([])
            ax.axis("off")
            ax.text(0.5, 0.5, _("No UNODC figure\npublished for the\nyears around {year}", year=ev.event_year),
                    ha="center", va="center", transform=ax.transAxes, fontsize=8, color="#555555")
            continue
        ax.bar(d["year"], d["high"], color=np.where(d["year"] == ev.event_year, "#b22222", "#1f4e79"))
        ax.set_xlim(ev.event_year - 3, ev.event_year + 3)
        ax.set_xticks([ev.event_year - 2, ev.event_year, ev.event_year + 2])
        first_with_data = ax if first_with_data is None else first_with_data
    if first_with_data is not None:
        first_with_data.set_ylabel(_("detected victims"))
    return fig


def cited_bars(data: pd.DataFrame, labels: dict[str, str] | str, *, log: bool = True) -> plt.Figure:
    """Cited figures as horizontal bars (log scale by default), unverified ones hatched.

    ``data``: columns evidence_id, value, verification; ``labels`` maps the ids to show to labels,
    or names a check whose labels are in :data:`CITED_LABELS`.
    """
    labels = CITED_LABELS[labels] if isinstance(labels, str) else labels
    d = data[data["evidence_id"].isin(labels)].set_index("evidence_id").loc[list(labels)]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(d) + 1.5))
    vals = d["value"].clip(lower=0.5 if log else 0)
    bars = ax.barh(range(len(d)), vals, color="#1f4e79")
    for bar, ver, v in zip(bars, d["verification"], d["value"]):
        if ver == "unverified":
            bar.set_hatch("//")
        ax.text(bar.get_width() * (1.1 if log else 1.01), bar.get_y() + bar.get_height() / 2, num(v),
                va="center", fontsize=7)
    ax.set_yticks(range(len(d)), [_(labels[i]) for i in d.index], fontsize=8)
    if log:
        ax.set_xscale("log")
        ax.set_xlim(right=vals.max() * 8)
    ax.invert_yaxis()
    return fig


def street_counts(before: float, after: float, claimed_fall: float) -> plt.Figure:
    """Stockholm street counts 1998 and 2008 beside the level 'halved' would mean."""
    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.bar(["1998", "2008"], [before, after], color=["#7f7f7f", "#1f4e79"])
    ax.axhline(before * (1 - claimed_fall / 100), color="#b22222", ls="--", label=_("a fall of {fall:.0f}%", fall=claimed_fall))
    for x, v in enumerate((before, after)):
        ax.text(x, v, num(v, ".0f"), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel(_("people counted in street prostitution, Stockholm"))
    ax.legend(fontsize=7)
    return fig


def share_comparison(data: pd.DataFrame) -> plt.Figure:
    """A claimed share beside estimate shares and detected-victim shares (columns measure, percent, kind)."""
    colours = {"claim": "#b22222", "estimate": "#1f4e79", "detections": "#7f7f7f"}
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(data) + 1.4))
    ax.barh(range(len(data)), data["percent"], color=[colours[k] for k in data["kind"]])
    for i, v in enumerate(data["percent"]):
        ax.text(v + 1, i, _("{value:.0f}%", value=v), va="center", fontsize=7)
    ax.set_yticks(range(len(data)), [_(str(m)) for m in data["measure"]], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_("percent"))
    ax.invert_yaxis()
    return fig


def share_series(shares: pd.DataFrame, *, claimed: float, year: int) -> plt.Figure:
    """Sexual-exploitation share of detected victims by year (bounds) with the claimed share at ``year``."""
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.fill_between(shares.index, shares["share_low"], shares["share_high"], color="#b22222", alpha=0.3)
    ax.plot(shares.index, shares["share_high"], color="#b22222", marker="o", ms=3, label=_("recount, all reporting countries"))
    ax.scatter([year], [claimed], marker="*", s=160, color="#222222", zorder=4,
               label=_("claimed ({share:.0f}%)", share=claimed))
    ax2 = ax.twinx()
    ax2.bar(shares.index, shares["units"], color="#cccccc", alpha=0.5, zorder=0)
    ax2.set_ylabel(_("countries reporting forms"), fontsize=8)
    ax.set_zorder(ax2.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_ylim(0, 100)
    ax.set_ylabel(_("sexual exploitation, % of detected victims"))
    ax.legend(fontsize=7, loc="lower left")
    integer_years(ax)
    return fig


def estimates_chain(data: pd.DataFrame) -> plt.Figure:
    """Global stock figures in sequence; estimates with components shown stacked, others as one bar."""
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar(range(len(data)), data["total"] / 1e6, color=["#7f7f7f" if not c else "#1f4e79" for c in data["components"]])
    for i, rec in enumerate(data.itertuples()):
        ax.text(i, rec.total / 1e6, num(rec.total / 1e6, ".1f"), ha="center", va="bottom", fontsize=8)
        if rec.forced_marriage is not None and not pd.isna(rec.forced_marriage):
            ax.bar(i, rec.forced_marriage / 1e6, color="#e08a1e", label=_("of which forced marriage") if i == len(data) - 1 else None)
    ax.set_xticks(range(len(data)), [f"{r.label}\n" + (_("(no breakdown)") if not r.components else
                                                         _("(forced labour + marriage)"))
                                     for r in data.itertuples()], fontsize=7)
    ax.set_ylabel(_("people (millions)"))
    ax.legend(fontsize=7)
    return fig


def country_series(data: pd.DataFrame, *, law_year: int, label: str) -> plt.Figure:
    """One country's detected victims by year, with the law's year marked (no bars where no data)."""
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.bar(data["year"], data["high"], color="#1f4e79")
    ax.axvline(law_year, color="#b22222", lw=1.5)
    ax.text(law_year + 0.3, ax.get_ylim()[1] * 0.9, label, color="#b22222", fontsize=8)
    ax.set_xlim(law_year - 2, int(data["year"].max()) + 1)
    ax.set_ylabel(_("detected victims"))
    integer_years(ax)
    return fig
