"""The TIP global law-enforcement table read figure by figure: cells, series, changes, ratios, shares,
the funnel (the rules every function keeps are in the package docstring, :mod:`critique.methods.tip.enforcement`)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from critique.methods.tip.sources import KH_ORIGIN, TYPED_ORIGIN
from critique.core.i18n import N_, _

#: the measures as a reader reads them (gap notes)
MEASURE_WORDS = {"prosecutions": N_("prosecutions"), "convictions": N_("convictions"),
                 "victims_identified": N_("victims identified")}

TABLE_ID = "tip-law-enforcement"
CHANGES_TABLE_ID = "tip-law-enforcement-changes"
MEASURES: tuple[str, ...] = ("prosecutions", "convictions", "victims_identified")
LABOUR: dict[str, str] = {"prosecutions": "labor_prosecutions", "convictions": "labor_convictions",
                          "victims_identified": "labor_victims_identified"}
ALL_MEASURES: tuple[str, ...] = MEASURES + tuple(LABOUR.values()) + ("new_or_amended_legislation",)
_RANK = {"primary": 0, "secondary": 1, "unverified": 2, "missing": 3}
STATE_CAVEAT = ("The above statistics are estimates only, given the lack of uniformity in national "
                "reporting structures.")
STATE_CAVEAT_CITATION = ("US Department of State, Trafficking in Persons Report 2015, Global Law Enforcement "
                         "Data, p. 48 (the State Department's own report: https://2009-2017.state.gov/j/tip/rls/tiprpt/2015/index.htm; "
                         "wording read in a copy of the report's text)")


def combined_origin(origins: Sequence[str]) -> str:
    """The tabulations several inputs come from, in a fixed order joined by " + " (one name if one)."""
    names = [str(o) for o in origins if isinstance(o, str) and o]
    order = [TYPED_ORIGIN, KH_ORIGIN]
    names = sorted(set(names), key=lambda o: (order.index(o) if o in order else len(order), o))
    return " + ".join(names)


def filled(origin: pd.Series) -> pd.Series:
    """True where a figure (or a derived number) uses a figure filled from Kelley & Heiss."""
    return origin.fillna("").astype(str).str.contains(KH_ORIGIN, regex=False)


def weakest(statuses: Sequence[str]) -> str:
    """The weakest verification status of several inputs (primary > secondary > unverified > missing)."""
    return max(statuses, key=lambda s: _RANK.get(str(s), 3)) if len(statuses) else "missing"


def cells(table: pd.DataFrame, *, include_unverified: bool = False) -> pd.DataFrame:
    """One row per published figure: data_year, measure, value, verification, report_edition,
    citation, source_url, origin (the table's ``origin`` column, else the typed table).

    Raises ValueError if one figure appears in two rows of the table (the table's contract is that
    a year split by status holds each figure in one row only).
    """
    present = [m for m in ALL_MEASURES if m in table.columns]
    if "origin" not in table.columns:
        table = table.assign(origin=TYPED_ORIGIN)
    long = table.melt(id_vars=["data_year", "report_edition", "verification", "citation",
                               "source_url", "origin"], value_vars=present, var_name="measure",
                      value_name="value")
    long = long.loc[long["value"].notna()].copy()
    dup = long.duplicated(["data_year", "measure"], keep=False)
    if dup.any():
        bad = long.loc[dup, ["data_year", "measure", "verification"]].to_dict("records")[:6]
        raise ValueError(f"{TABLE_ID}: one figure given in two rows: {bad}")
    if not include_unverified:
        long = long.loc[long["verification"] != "unverified"]
    long["value"] = long["value"].astype(float)
    long["data_year"] = long["data_year"].astype(int)
    return long.sort_values(["measure", "data_year"], ignore_index=True)


def series(table: pd.DataFrame, measures: Sequence[str] = MEASURES,
           years: tuple[int, int] | None = None, *, include_unverified: bool = False) -> pd.DataFrame:
    """Wide frame indexed by every data year in ``years`` (inclusive): one value column per
    measure, a ``<measure>_verification`` column (``missing`` where no figure is published) and a
    ``<measure>_origin`` column (the tabulation the figure comes from; empty where there is none).

    Years without a figure are rows of NaN, so a line chart breaks there instead of bridging a gap.
    """
    unknown = [m for m in measures if m not in ALL_MEASURES]
    if unknown:
        raise ValueError(f"series: unknown measure(s) {unknown}; choose from {list(ALL_MEASURES)}")
    c = cells(table, include_unverified=include_unverified)
    lo, hi = years if years else (int(table["data_year"].min()), int(table["data_year"].max()))
    idx = pd.Index(range(lo, hi + 1), name="data_year")
    out = pd.DataFrame(index=idx)
    for m in measures:
        sub = c.loc[c["measure"] == m].set_index("data_year")
        out[m] = sub["value"].reindex(idx)
        out[f"{m}_verification"] = sub["verification"].reindex(idx).fillna("missing").astype(str)
        out[f"{m}_origin"] = sub["origin"].reindex(idx).fillna("").astype(str)
    return out


def _ratio(s: pd.DataFrame, num: str, den: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    value = s[num] / s[den].where(s[den] > 0)
    status = [weakest([a, b]) if not np.isnan(v) else "missing"
              for a, b, v in zip(s[f"{num}_verification"], s[f"{den}_verification"], value)]
    origin = [combined_origin([a, b]) if not np.isnan(v) else ""
              for a, b, v in zip(s[f"{num}_origin"], s[f"{den}_origin"], value)]
    return value, pd.Series(status, index=s.index), pd.Series(origin, index=s.index)


def ratios(table: pd.DataFrame, years: tuple[int, int] | None = None, *,
           include_unverified: bool = False) -> pd.DataFrame:
    """Per data year: convictions per prosecution, convictions per identified victim, prosecutions
    per identified victim, each with the weakest status of its two inputs (``*_verification``) and
    the tabulations they come from (``*_origin``).

    These are ratios of annual totals reported by different governments in different years of a
    case's life, not case-level conversion rates.
    """
    s = series(table, MEASURES, years, include_unverified=include_unverified)
    out = pd.DataFrame(index=s.index)
    for name, num, den in (("convictions_per_prosecution", "convictions", "prosecutions"),
                           ("convictions_per_victim", "convictions", "victims_identified"),
                           ("prosecutions_per_victim", "prosecutions", "victims_identified")):
        out[name], out[f"{name}_verification"], out[f"{name}_origin"] = _ratio(s, num, den)
    return out


def labour_shares(table: pd.DataFrame, years: tuple[int, int] | None = None, *,
                  include_unverified: bool = False) -> pd.DataFrame:
    """Per data year: labour-trafficking share of prosecutions, convictions and identified victims
    (the figures the report prints in parentheses, from data year 2007), with their status and
    origin."""
    measures = list(MEASURES) + [LABOUR[m] for m in MEASURES]
    s = series(table, measures, years, include_unverified=include_unverified)
    out = pd.DataFrame(index=s.index)
    for m in MEASURES:
        (out[f"{m}_labour_share"], out[f"{m}_labour_share_verification"],
         out[f"{m}_labour_share_origin"]) = _ratio(s, LABOUR[m], m)
    return out


def identified_share(table: pd.DataFrame, estimate: float, *,
                     years: tuple[int, int] | None = None,
                     include_unverified: bool = False) -> pd.DataFrame:
    """Identified victims per year as a share of one global prevalence ``estimate``.

    A prevalence estimate is a stock (people in the situation on a given day or period), identified
    victims an annual flow; the share is an order of magnitude, not a detection rate.
    """
    if not estimate or estimate <= 0:
        raise ValueError(f"identified_share: estimate must be positive, got {estimate!r}")
    s = series(table, ["victims_identified"], years, include_unverified=include_unverified)
    return pd.DataFrame({"victims_identified": s["victims_identified"],
                         "share_of_estimate": s["victims_identified"] / estimate,
                         "verification": s["victims_identified_verification"]})


def jump_notes(table: pd.DataFrame) -> pd.DataFrame:
    """The recorded explanations of jumps, one row per (data_year, measure) they are about.

    Each table row's ``jump_note`` (with ``jump_note_citation``) is attached to the measures listed,
    semicolon-separated, in the same row's ``jump_measures`` column, and to no other: a note about
    prosecutions is not shown as the reason for a change in convictions. Columns: data_year,
    measure, explanation, explanation_citation.

    Raises ValueError (naming the data year) when a note lists no measure, when measures are listed
    without a note, when a listed name is not a measure column, or when two rows explain the same
    measure and year (the table holds one explanation per measure and year).
    """
    cols = ["data_year", "measure", "explanation", "explanation_citation"]
    if "jump_note" not in table.columns:
        return pd.DataFrame(columns=cols)
    if "jump_measures" not in table.columns:
        raise ValueError(f"{TABLE_ID}: column 'jump_measures' is missing; it names the measures each "
                         "jump_note is about (e.g. 'prosecutions;convictions')")
    rows = []
    for r in table.itertuples(index=False):
        note = r.jump_note if isinstance(r.jump_note, str) and r.jump_note.strip() else None
        listed = r.jump_measures if isinstance(r.jump_measures, str) else ""
        names = [m.strip() for m in listed.split(";") if m.strip()]
        year = int(r.data_year)
        if note is None and names:
            raise ValueError(f"{TABLE_ID}: data year {year} lists jump_measures {names} but has no jump_note")
        if note is None:
            continue
        if not names:
            raise ValueError(f"{TABLE_ID}: data year {year} has a jump_note but empty jump_measures; "
                             f"name the measure(s) it is about from {list(ALL_MEASURES)}")
        unknown = [m for m in names if m not in ALL_MEASURES]
        if unknown:
            raise ValueError(f"{TABLE_ID}: data year {year}: jump_measures {unknown} are not measures; "
                             f"choose from {list(ALL_MEASURES)}")
        citation = getattr(r, "jump_note_citation", None)
        for m in names:
            rows.append({"data_year": year, "measure": m, "explanation": note,
                         "explanation_citation": citation if isinstance(citation, str) else pd.NA})
    out = pd.DataFrame(rows, columns=cols)
    dup = out.duplicated(["data_year", "measure"], keep=False)
    if dup.any():
        raise ValueError(f"{TABLE_ID}: more than one jump_note for "
                         f"{out.loc[dup, ['data_year', 'measure']].drop_duplicates().to_dict('records')}")
    return out


def yoy_flags(table: pd.DataFrame, measures: Sequence[str] = MEASURES, threshold: float = 0.25,
              *, include_unverified: bool = False) -> pd.DataFrame:
    """Year-on-year relative changes, flagged when ``|change| >= threshold``, with the recorded
    explanation (``jump_note`` and its citation) attached to the measures the table lists for it in
    ``jump_measures`` (see :func:`jump_notes`).

    A change is only computed between consecutive data years that both have a figure: a gap is
    reported as such (``change`` missing, ``note`` says why), never bridged. Changes a source states
    directly are not computed here: see :func:`stated_changes` and :func:`flags_with_stated`.
    Columns: measure, data_year, previous, value, change, flagged, verification, origin (the
    tabulations of the two figures compared, see :func:`combined_origin`), filled (True where one of
    them is filled from Kelley & Heiss), explanation, explanation_citation, note.
    """
    if not 0 < threshold < 10:
        raise ValueError(f"yoy_flags: threshold is a relative change (0.25 = 25%), got {threshold}")
    c = cells(table, include_unverified=include_unverified)
    expl = jump_notes(table).set_index(["data_year", "measure"])
    rows = []
    for m in measures:
        sub = c.loc[c["measure"] == m].set_index("data_year")
        for year in sub.index:
            if year - 1 not in sub.index:
                if year == sub.index.min():
                    continue
                prev, change = np.nan, np.nan
                note = _("no {measure} figure for {year}: no comparison across a gap",
                         measure=_(MEASURE_WORDS.get(m, m)), year=year - 1)
            else:
                prev = sub.at[year - 1, "value"]
                change = sub.at[year, "value"] / prev - 1 if prev > 0 else np.nan
                note = ""
            key = (int(year), m)
            origin = combined_origin([sub.at[year, "origin"]]
                                     + ([sub.at[year - 1, "origin"]] if not np.isnan(prev) else []))
            rows.append({
                "measure": m, "data_year": int(year), "previous": prev,
                "value": sub.at[year, "value"], "change": change,
                "flagged": bool(not np.isnan(change) and abs(change) >= threshold),
                "verification": (weakest([sub.at[year, "verification"],
                                          sub.at[year - 1, "verification"]])
                                 if not np.isnan(prev) else sub.at[year, "verification"]),
                "origin": origin, "filled": KH_ORIGIN in origin,
                "explanation": expl.at[key, "explanation"] if key in expl.index else pd.NA,
                "explanation_citation": (expl.at[key, "explanation_citation"] if key in expl.index
                                         else pd.NA),
                "note": note,
            })
    return pd.DataFrame(rows, columns=["measure", "data_year", "previous", "value", "change",
                                       "flagged", "verification", "origin", "filled", "explanation",
                                       "explanation_citation", "note"])


STATED_COLUMNS = ["measure", "data_year", "compared_with_year", "change_pct", "stated_change",
                  "note", "citation", "source_url", "verification"]


def stated_changes(changes: pd.DataFrame, measures: Sequence[str] = MEASURES,
                   years: tuple[int, int] | None = None, *,
                   include_unverified: bool = False) -> pd.DataFrame:
    """Changes that a source states directly (table ``tip-law-enforcement-changes``), for the
    chosen ``measures`` and data years (inclusive), sorted by measure and year.

    The percentage is the source's own, not recomputed from levels: e.g. Human Rights First on the
    TIP 2016 report, "global prosecutions rose in 2015 by 88 percent, convictions rose by 49
    percent, and victims identified by law enforcement increased by 75 percent over the previous
    reporting period" (https://humanrightsfirst.org/library/tip-report-highlights-increase-in-
    prosecution-of-human-trafficking-worldwide/, a secondary source). It can therefore be shown
    where the levels it compares are missing or unverified in ``tip-law-enforcement``.
    Columns: measure, data_year, compared_with_year, change_pct (88 = +88%), stated_change
    (relative, 0.88), note, citation, source_url, verification. Unverified rows are left out unless
    ``include_unverified``.
    """
    unknown = [m for m in measures if m not in ALL_MEASURES]
    if unknown:
        raise ValueError(f"stated_changes: unknown measure(s) {unknown}; choose from {list(ALL_MEASURES)}")
    bad = changes.loc[~changes["measure"].isin(ALL_MEASURES), "measure"].tolist()
    if bad:
        raise ValueError(f"{CHANGES_TABLE_ID}: measure {bad} is not a measure of {TABLE_ID}; "
                         f"choose from {list(ALL_MEASURES)}")
    order = changes["compared_with_year"] >= changes["data_year"]
    if order.any():
        raise ValueError(f"{CHANGES_TABLE_ID}: compared_with_year must be before data_year, got "
                         f"{changes.loc[order, ['data_year', 'compared_with_year']].to_dict('records')}")
    out = changes.loc[changes["measure"].isin(list(measures))].copy()
    if years is not None:
        out = out.loc[out["data_year"].between(years[0], years[1])]
    if not include_unverified:
        out = out.loc[out["verification"] != "unverified"]
    out["data_year"] = out["data_year"].astype(int)
    out["compared_with_year"] = out["compared_with_year"].astype(int)
    out["change_pct"] = out["change_pct"].astype(float)
    out["stated_change"] = out["change_pct"] / 100
    return out[STATED_COLUMNS].sort_values(["measure", "data_year"], ignore_index=True)


def flags_with_stated(flags: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """The flagged computed changes of :func:`yoy_flags` beside the changes a source states
    (:func:`stated_changes`), one row per (measure, data_year).

    Keeps every flagged row of ``flags`` and every row of ``stated``; a stated change without a
    computed one (levels missing or unverified) keeps ``change`` missing and ``verification``
    ``missing``, so the computed and the stated change are never mixed up. Adds
    ``stated_change``, ``stated_compared_with_year``, ``stated_verification``,
    ``stated_citation`` and ``basis`` ("computed", "stated" or "computed and stated").
    """
    fl = flags.loc[flags["flagged"]]
    st = stated.rename(columns={"compared_with_year": "stated_compared_with_year",
                                "verification": "stated_verification",
                                "citation": "stated_citation"})
    st = st[["measure", "data_year", "stated_change", "stated_compared_with_year",
             "stated_verification", "stated_citation"]]
    out = fl.merge(st, on=["measure", "data_year"], how="outer", indicator=True)
    out["basis"] = out["_merge"].map({"left_only": "computed", "right_only": "stated",
                                      "both": "computed and stated"}).astype(str)
    out = out.drop(columns="_merge")
    # the outer merge turns the year into float where a computed row has no stated change
    out["stated_compared_with_year"] = out["stated_compared_with_year"].astype("Int64")
    out["flagged"] = out["flagged"].astype("boolean").fillna(False).astype(bool)
    if "filled" in out.columns:
        out["filled"] = out["filled"].astype("boolean").fillna(False).astype(bool)
        out["origin"] = out["origin"].astype(object).where(out["origin"].notna(), "")
    out["verification"] = out["verification"].astype(object).where(out["verification"].notna(),
                                                                   "missing")
    return out.sort_values(["measure", "data_year"], ignore_index=True)


def funnel(table: pd.DataFrame, data_year: int, estimate: float, estimate_label: str, *,
           include_unverified: bool = False) -> pd.DataFrame:
    """From an estimated prevalence to identified victims, prosecutions and convictions.

    Stages: estimate, victims_identified, prosecutions, convictions for one data year, with
    share_of_previous, share_of_estimate and each stage's verification and origin. A stage without a figure
    stays missing (and so do the shares that need it). The estimate is a stock of people, the
    other stages are annual counts of people or cases reported by governments: the funnel shows
    orders of magnitude, not a pipeline through which the same people pass.
    """
    s = series(table, MEASURES, (data_year, data_year), include_unverified=include_unverified)
    values = [float(estimate)] + [float(s.at[data_year, m]) for m in
                                  ("victims_identified", "prosecutions", "convictions")]
    status = ["estimate"] + [s.at[data_year, f"{m}_verification"] for m in
                             ("victims_identified", "prosecutions", "convictions")]
    origin = [estimate_label] + [s.at[data_year, f"{m}_origin"] for m in
                                 ("victims_identified", "prosecutions", "convictions")]
    out = pd.DataFrame({"stage": [estimate_label, "victims identified", "prosecutions",
                                  "convictions"], "value": values, "verification": status,
                        "origin": origin})
    out["share_of_previous"] = out["value"] / out["value"].shift(1)
    out["share_of_estimate"] = out["value"] / float(estimate)
    out["data_year"] = data_year
    return out
