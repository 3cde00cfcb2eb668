"""Does the suite's recount match the publisher? A ledger of printed figures, recounted and classified.

The published table ``reconciliation`` lists aggregates that publishers printed (UNODC Global
Report headline totals, shares, changes and regional figures; the TIP report's global
law-enforcement rows; Eurostat headlines; NCMEC totals) and ``fbi-annual-tables`` the FBI's annual
human-trafficking tables, each row with its citation, verification status and the publisher's
stated definition. :func:`analyse` recounts every figure from the matching release or source
(:mod:`critique.methods.reconcile.recount`, :mod:`critique.methods.reconcile.others`, :mod:`critique.methods.reconcile.fbi`),
classifies each difference by the rules of :mod:`critique.methods.reconcile.classify` (equal within
rounding; revised in a later release; definition; driven by one country, named; unexplained) and
returns the table, the chart data, the reading sentences (:mod:`critique.methods.reconcile.reading`) and the
findings. No I/O: the caller loads the frames (``ledger.source_ids`` says which).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import pandas as pd

from critique.core.i18n import N_, _

from critique.methods.reconcile import classify, fbi, ledger, reading
from critique.methods.reconcile.classify import VERDICTS
from critique.methods.reconcile.ledger import assemble, evaluate, source_ids

__all__ = ["ReconcileResult", "VERDICTS", "analyse", "assemble", "evaluate", "source_ids"]

_CAVEATS = (
    N_("Printed figures count what authorities detected, reported or registered, not victims of trafficking."),
    N_("Most printed figures were read in secondary summaries; a recount may read a later release than the publisher "
       "used."),
)


def __getattr__(name: str) -> object:
    """``CAVEATS``: the page's caveats in the reader's language, read when used (PEP 562)."""
    if name == "CAVEATS":
        return [_(c) for c in _CAVEATS]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
READER_COLUMNS = {"publisher": N_("publisher"), "document": N_("document"), "figure": N_("figure"),
                  "data_year": N_("year"), "published_text": N_("printed"), "recount": N_("recount"),
                  "recount_source": N_("recounted from"), "verdict": N_("verdict"), "reason": N_("why"),
                  "verification": N_("status")}
#: the verification grades as a reader reads them in the reader table
GRADES = (N_("primary"), N_("secondary"), N_("unverified"))


def reader_table(table: pd.DataFrame) -> pd.DataFrame:
    """The ledger for readers: the columns of :data:`READER_COLUMNS` under their reader names, verdicts and
    grades in the reader's language (the internal values stay English in ``table``)."""
    out = table[list(READER_COLUMNS)].copy()
    for col in ("verdict", "verification"):
        out[col] = out[col].map(lambda v: _(v) if isinstance(v, str) and v in VERDICTS + GRADES else v)
    return out.rename(columns={k: _(v) for k, v in READER_COLUMNS.items()})


@dataclass
class ReconcileResult:
    """Everything the reconciliation page shows.

    ``table``: one row per figure (:func:`ledger.evaluate`); ``reader``: the same for readers;
    ``by_publisher``: established rows per publisher and verdict; ``influence``: the UNODC rows with
    the country that moves each recount most, the recount with and without it; ``chart_influence``:
    the shares the most frequent driving country moves (:func:`reading.influence_chart_rows`); ``fbi``: the FBI file
    beside the FBI's tables (:func:`fbi.compare`); ``sentences``; ``findings`` (keys of the notebook).
    """

    table: pd.DataFrame
    reader: pd.DataFrame
    by_publisher: pd.DataFrame
    influence: pd.DataFrame
    fbi: pd.DataFrame
    chart_influence: pd.DataFrame = field(default_factory=pd.DataFrame)
    sentences: dict[str, str] = field(default_factory=dict)
    findings: dict[str, object] = field(default_factory=dict)


def analyse(reconciliation: pd.DataFrame, frames: Mapping[str, object], *, fbi_tables: pd.DataFrame | None = None,
            names: Mapping[str, str] | None = None, min_share: float = classify.MIN_SHARE,
            min_closed: float = classify.MIN_CLOSED, register: pd.DataFrame | None = None) -> ReconcileResult:
    """Run the whole ledger.

    ``reconciliation``: the published table ``reconciliation``; ``frames``: source id -> frame for
    every id of :func:`source_ids` the edition reads (a missing one leaves its rows "not
    recomputed"); ``fbi_tables``: the published table ``fbi-annual-tables`` (its figures join the
    ledger and the FBI comparison needs ``frames["fbi-ucr-ht"]``); ``names``: unit code -> name;
    ``register``: the corrections register (``critique.datasets.corrections.register``), whose
    entries for the country named by the one-country sentence are pointed to in that sentence.
    """
    whole = assemble(reconciliation, fbi_tables)
    table = evaluate(whole, frames, names=names, min_share=min_share, min_closed=min_closed)
    est = reading.established(table)
    by_pub = (est.groupby(["publisher", "verdict"]).size().unstack(fill_value=0)
              .reindex(columns=list(VERDICTS), fill_value=0))
    infl = table.loc[table["mover"].notna(), ["id", "figure", "data_year", "recount_source", "published_text",
                                              "published_value", "recount_low", "recount_high", "mover",
                                              "mover_share", "without_low", "without_high", "verdict"]]
    comparison = (fbi.compare(frames["fbi-ucr-ht"], fbi_tables)
                  if fbi_tables is not None and "fbi-ucr-ht" in frames else pd.DataFrame())
    one = reading.one_country_sentence(table)
    note = reading.correction_note(table, register)
    sentences = {"summary": reading.summary_sentence(table), "one_country": f"{one} {note}" if note else one,
                 "unexplained": reading.unexplained_sentence(table)}
    if len(comparison):
        sentences["fbi"] = _("The FBI's file differs from its annual tables in every year with a printed figure: "
                             "{years}", years=" ".join(fbi.year_sentences(comparison)))
    counts = reading.verdict_counts(table)
    findings: dict[str, object] = {
        "ledger_figures": int(len(est)), "ledger_publishers": int(est["publisher"].nunique()),
        "ledger_unverified": int((table["verification"] == "unverified").sum()),
        **{f"verdict_{k.replace(' ', '_')}": v for k, v in counts.items()},
        "summary_sentence": sentences["summary"], "one_country_sentence": sentences["one_country"],
        "unexplained_sentence": sentences["unexplained"],
        "unexplained_ids": sorted(est.loc[est["verdict"] == classify.UNEXPLAINED, "id"]),
    }
    if "fbi" in sentences:
        findings["fbi_sentence"] = sentences["fbi"]
        findings["fbi_states_reported_none_with_offences"] = int(len(fbi.states_reported_none(comparison)))
    reader = reader_table(table)
    return ReconcileResult(table, reader, by_pub, infl.reset_index(drop=True), comparison,
                           reading.influence_chart_rows(table), sentences, findings)
