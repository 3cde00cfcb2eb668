"""What client-criminalisation laws produced in enforcement: arrests, summonses, convictions, recorded offences.

Input is the published table ``client-law-enforcement`` (``data/published/client_law_enforcement.csv``):
one row per published enforcement output around a law that criminalises buying sex, with its
citation and verification level. Nothing here is a measure of prevalence. A count of arrests,
summonses or recorded offences is what the police and courts did: it rises when police are told or
paid to look (Sweden's extra police funding of 2008-2010, Ireland's 2019 Garda "days of action")
whether or not more sex is bought. The reading rules below say so in every sentence, and each is
tested on both sides of its boundary (``tests/test_enforcement_outputs.py``):

- :func:`read_change`: a change in a recorded or reported count between two periods, with or without a
  named policing or funding change before the later one;
- :func:`read_percent_change`: a change published only as a percentage;
- :func:`read_outputs`: arrests and convictions over a period;
- :func:`read_extractions`: two extractions of the same police count that cover overlapping periods.

A cell published as "<N" stays missing (``suppressed_below`` = N); in :func:`read_extractions` it
counts as 0 for the lower bound and N - 1 for the upper bound, never as a midpoint. Rows marked
``unverified`` are kept in the reader table with their value marked "unverified" and left out of
the chart, the sentences and the findings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from critique.core.errors import DataError
from critique.core.i18n import N_, _

COUNT_KINDS = ("arrests", "charges", "summonses", "prosecutions", "convictions", "persons stopped",
               "recorded offences", "reported offences")
RECORD_KINDS = ("recorded offences", "reported offences")
NOT_PREVALENCE = N_("a count of police and court activity, not of buying, selling or trafficking")
#: not "what the laws produced": some rows are other offences counted beside the law (trafficking arrests,
#: all recorded prostitution offences), and a count after a law is not caused by it alone
TITLE = N_("Police and court counts around client-criminalisation laws: enforcement activity, not prevalence")
DESCRIPTION = N_("Each published count of arrests, charges, summonses, prosecutions, convictions, people stopped, and "
               "recorded or reported offences around the laws of Northern Ireland (2015), Ireland (2017) and Sweden "
               "(1999); one panel per jurisdiction, each on its own scale; periods differ by row. Hatched bars: cells "
               "published as '<10' (a bound). Colour: read in the publisher's own document or in a copy.")
REQUIRED = ("row_id", "jurisdiction", "measure", "short", "measure_kind", "period", "year", "value", "suppressed_below",
            "unit", "after_change", "quote", "citation", "source_url", "verification")


def _n(x: float) -> str:
    """A count as a reader's language writes it (``12,214``; ``12 214`` in French)."""
    return _("{n:,.0f}", n=x)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_change(measure: str, before: tuple[str, float], after: tuple[str, float], after_change: str | None) -> str:
    """One sentence on a recorded or reported count between two periods.

    ``before``/``after``: ``(period label, count)``; ``after_change``: the policing or funding change
    the source names before the later period (``None``: none named). A rise after a named change is
    read as enforcement activity; a rise without one as a change in recording or policing that the
    figures cannot separate from buying; a fall as a fall in what police recorded.
    """
    (p0, v0), (p1, v1) = before, after
    if v0 < 0 or v1 < 0:
        raise DataError(f"client-law-enforcement: {measure}: a count cannot be negative ({v0}, {v1})")
    head = _("{measure} went from {before:,.0f} ({p0}) to {after:,.0f} ({p1})", measure=_cap(measure), before=v0,
             p0=p0, after=v1, p1=p1)
    if v1 > v0 and after_change:
        return _("{head}, after {change}: read as a rise in enforcement activity (what police looked for and recorded); "
                 "with policing changed at the same time, these figures cannot show whether more or less sex was bought; "
                 "it is {not_prevalence}.", head=head, change=after_change, not_prevalence=_(NOT_PREVALENCE))
    if v1 > v0:
        return _("{head}: the rise reflects recording and policing as well as any change in buying, and these figures "
                 "cannot separate them; it is {not_prevalence}.", head=head, not_prevalence=_(NOT_PREVALENCE))
    if v1 < v0:
        return _("{head}: a fall in what police recorded, not evidence that less sex was bought; it is "
                 "{not_prevalence}.", head=head, not_prevalence=_(NOT_PREVALENCE))
    return _("{head}: unchanged; it is {not_prevalence}.", head=head, not_prevalence=_(NOT_PREVALENCE))


def read_percent_change(measure: str, pct: float, period: str, after_change: str | None) -> str:
    """One sentence on a change published only as a percentage (the counts themselves not read)."""
    if pct > 0 and after_change:
        return _("{measure} rose by {pct:,.0f}% ({period}), following {change}: read as a rise in enforcement activity; "
                 "with policing changed at the same time, these figures cannot show whether more or less sex was "
                 "bought.", measure=_cap(measure), pct=pct, period=period, change=after_change)
    values = dict(measure=_cap(measure), pct=abs(pct), period=period, not_prevalence=_(NOT_PREVALENCE))
    if pct > 0:
        return _("{measure} rose by {pct:,.0f}% ({period}); it is {not_prevalence}, and the source names no policing "
                 "change that would separate the two.", **values)
    if pct < 0:
        return _("{measure} fell by {pct:,.0f}% ({period}); it is {not_prevalence}, and the source names no policing "
                 "change that would separate the two.", **values)
    return _("{measure} did not change ({period}); it is {not_prevalence}, and the source names no policing change "
             "that would separate the two.", **values)


def read_outputs(jurisdiction: str, period: str, arrests: float, convictions: float, offence: str) -> str:
    """One sentence on arrests and convictions for an offence over a period."""
    if convictions > arrests:
        raise DataError(f"client-law-enforcement: {jurisdiction} {period}: more convictions ({convictions}) "
                        f"than arrests ({arrests}) for {offence}; the rows do not describe the same offence")
    return _("{jurisdiction}, {period}: {arrests:,.0f} arrests and {convictions:,.0f} convictions for {offence}. That is "
             "what the law produced in enforcement, not a count of buyers.", jurisdiction=jurisdiction, period=period,
             arrests=arrests, convictions=convictions, offence=offence)


def read_extractions(measure: str, earlier: tuple[str, float], later_period: str,
                     later: list[tuple[float | None, int | None]]) -> str:
    """Compare two extractions of the same police count.

    ``earlier``: ``(period, count)`` of the earlier extraction. ``later``: the later extraction's
    yearly cells inside the earlier period as ``(value, suppressed_below)``; a suppressed cell counts
    0 to the lower bound and ``suppressed_below - 1`` to the upper bound.
    """
    lo = sum(v if v is not None else 0 for v, _cut in later)
    hi = sum(v if v is not None else (s or 1) - 1 for v, s in later)
    period, n = earlier
    why = _("the periods are not identical and the answers do not say how a proceeding is dated, so the gap is not "
            "explained here; the police say their counts are liable to change, and neither is a fixed count")
    values = dict(lo=lo, hi=hi, n=n, measure=measure, later=later_period, period=period, why=why)
    if lo > n:
        return _("The later Garda extraction counts at least {lo:,.0f} {measure} for {later}, {more:,.0f} more than the "
                 "{n:,.0f} the earlier extraction counted for {period}: {why}.", more=lo - n, **values)
    if hi < n:
        return _("The later Garda extraction counts at most {hi:,.0f} {measure} for {later}, {fewer:,.0f} fewer than the "
                 "{n:,.0f} the earlier extraction counted for {period}: {why}.", fewer=n - hi, **values)
    return _("The later extraction ({lo:,.0f} to {hi:,.0f} {measure} for {later}) is consistent with the earlier "
             "{n:,.0f} for {period}.", **values)


def graded(sentence: str, grades: list[str]) -> str:
    """``sentence`` with where its figures were read: all primary, or naming the secondary copies.

    ``grades``: the verification of every row the sentence uses (never ``unverified``: such rows make no
    sentence). Raises DataError for an empty list or an unverified grade.
    """
    if not grades or "unverified" in grades or not set(grades) <= {"primary", "secondary"}:
        raise DataError(f"client-law-enforcement: a sentence needs primary or secondary rows, got {grades}")
    if set(grades) == {"primary"}:
        return _("{sentence} (Read on the publisher's own page.)", sentence=sentence)
    return _("{sentence} (Read in a secondary copy: news report or parliamentary-record copy, cited in the table.)",
             sentence=sentence)


def _shown(row: pd.Series) -> str:
    """The value as a reader sees it: a count, '<N', a signed percent, or the value marked unverified."""
    if row["measure_kind"] == "statement":
        return f"\u201c{row['quote']}\u201d"
    if pd.isna(row["value"]):
        text = f"<{int(row['suppressed_below'])}" if pd.notna(row["suppressed_below"]) else _("not published")
    elif row["unit"] == "percent change":
        text = _("{value:+,.0f}%", value=row["value"])
    else:
        text = _n(row["value"])
    return _("{value} (unverified: not established)", value=text) if row["verification"] == "unverified" else text


@dataclass
class EnforcementOutputs:
    """Notebook 50's enforcement section: reader table, chart data, sentences and findings."""

    table: pd.DataFrame
    chart_data: pd.DataFrame
    sentences: list[str]
    flat: dict[str, Any] = field(default_factory=dict)

    @property
    def caveat(self) -> str:
        """What the chart leaves out: changes published only as percentages (from the table), and the statements."""
        pct = self.table[self.table["value"].str.endswith("%") & ~self.table["value"].str.startswith("\u201c")]
        left = "; ".join(f"{r.jurisdiction}: {r.measure} {r.value} ({r.period})" for r in pct.itertuples())
        if left:
            return _("Not drawn (not counts): {rows}. Publishers' statements are in the table, not the chart.", rows=left)
        return _("Publishers' statements are in the table, not the chart.")

    @property
    def text(self) -> str:
        return "\n".join(f"- {s}" for s in self.sentences)

    @property
    def n(self) -> str:
        counts = self.table["grade"].value_counts()
        grades = _(", ").join(_("{n} {grade}", n=int(counts[g]), grade=_(g))
                              for g in ("primary", "secondary", "unverified") if g in counts)
        return _("{n} counts from {jurisdictions} jurisdictions; {grades} rows in the table", n=len(self.chart_data),
                 jurisdictions=self.chart_data["jurisdiction"].nunique(), grades=grades)

    def findings(self) -> dict[str, Any]:
        return {f"enforcement_{k}": v for k, v in self.flat.items()}


def _one(frame: pd.DataFrame, row_id: str) -> pd.Series | None:
    hit = frame[frame["row_id"] == row_id]
    return None if hit.empty else hit.iloc[0]


def analyse(frame: pd.DataFrame) -> EnforcementOutputs:
    """The reader table, chart data, rule-made sentences and findings of ``client-law-enforcement``.

    ``frame``: the loaded published table (columns :data:`REQUIRED` at least). Raises DataError naming
    the missing column. Sentences are written only from rows that are not ``unverified``.
    """
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise DataError(f"client-law-enforcement: missing column(s) {', '.join(missing)}")
    f = frame.copy()
    table = pd.DataFrame({"jurisdiction": f["jurisdiction"], "measure": f["measure"], "period": f["period"],
                          "value": f.apply(_shown, axis=1), "after": f["after_change"].fillna(""),
                          "grade": f["verification"], "citation": f["citation"], "source_url": f["source_url"]})
    ok = f[f["verification"] != "unverified"]
    counts = ok[ok["measure_kind"].isin(COUNT_KINDS)]
    chart = counts[["row_id", "jurisdiction", "measure", "short", "measure_kind", "period", "year", "value", "suppressed_below",
                    "after_change", "verification"]].reset_index(drop=True)
    sentences: list[str] = []
    flat: dict[str, Any] = {"n_rows": int(len(f)), **{f"n_{g}": int((f["verification"] == g).sum())
                                                      for g in ("primary", "secondary", "unverified")}}
    a, c = _one(ok, "nir-arrests-purchase"), _one(ok, "nir-convictions-purchase")
    if a is not None and c is not None:
        sentences.append(graded(read_outputs(_("Northern Ireland"), a["period"], a["value"], c["value"],
                                             _("purchasing sexual services")), [a["verification"], c["verification"]]))
        flat |= {"sentence_nir": sentences[-1], "nir_arrests_2015_2018": int(a["value"]), "nir_convictions_2015_2018": int(c["value"])}
    r0, r1 = _one(ok, "irl-cso-prostitution-2018"), _one(ok, "irl-cso-prostitution-2019")
    if r0 is not None and r1 is not None:
        sentences.append(graded(read_change(_("recorded prostitution offences in Ireland (CSO)"), (r0["period"], r0["value"]),
                                            (r1["period"], r1["value"]),
                                            r1["after_change"] if pd.notna(r1["after_change"]) else None),
                                [r0["verification"], r1["verification"]]))
        flat |= {"sentence_irl_recorded": sentences[-1], "irl_recorded_2018": int(r0["value"]), "irl_recorded_2019": int(r1["value"])}
    summ = ok[ok["row_id"].str.startswith("irl-summons-")].sort_values("year")
    if not summ.empty:
        flat["irl_summonses"] = {str(int(r.year)): (int(r.value) if pd.notna(r.value) else f"<{int(r.suppressed_below)}")
                                 for r in summ.itertuples()}
    early = _one(ok, "irl-proceedings-2017-2021-extract-2021")
    inside = summ[summ["year"].between(2017, 2021)]
    if early is not None and len(inside) == 5:
        cells = [(None if pd.isna(r.value) else float(r.value), None if pd.isna(r.suppressed_below) else int(r.suppressed_below))
                 for r in inside.itertuples()]
        sentences.append(graded(read_extractions(_("summonses"), (early["period"], early["value"]), "2017-2021", cells),
                                [early["verification"], *inside["verification"]]))
        flat["sentence_irl_extractions"] = sentences[-1]
        flat["irl_summonses_2017_2021_low"] = int(sum(v or 0 for v, _cut in cells))
        flat["irl_summonses_extract_2021"] = int(early["value"])
    s = _one(ok, "swe-reports-change-2008-2010")
    if s is not None:
        sentences.append(graded(read_percent_change(_("reports and opened investigations for buying sex in Sweden"),
                                                    s["value"], s["period"],
                                                    s["after_change"] if pd.notna(s["after_change"]) else None),
                                [s["verification"]]))
        flat |= {"sentence_swe": sentences[-1], "swe_reports_change_2008_2010_pct": float(s["value"])}
    flat["sentences"] = sentences
    return EnforcementOutputs(table.reset_index(drop=True), chart, sentences, flat)
