"""Recounts from the sources other than UNODC's releases: TIP tables, NCMEC counts, printed parts.

Same contract as :mod:`critique.methods.reconcile.recount`: ``(frame, args) -> Recount``. A TIP "recount"
is either the sum of the regional figures the State Department printed (``tip_regional_sum``, from
the published table ``tip-law-enforcement-regional``; ``sum_of_parts`` for parts printed beside the
figure and typed into the ledger row) or the same year's figure in another edition's table
(``tip_table``, verified rows of ``tip-law-enforcement``). Those are the publisher's own figures:
the result's ``label`` names the edition, so that the classifier can tell a revision between
editions from a recount.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from critique.core.errors import DataError
from critique.methods.reconcile.recount import Recount, _empty
from critique.core.i18n import N_, _

TIP_MEASURES = ("prosecutions", "convictions", "victims_identified")
MEASURE_WORDS = {"prosecutions": N_("prosecutions"), "convictions": N_("convictions"),
                 "victims_identified": N_("victims identified")}


def _measure(args: dict[str, str]) -> str:
    measure = args.get("measure", "")
    if measure not in TIP_MEASURES:
        raise DataError(f"reconciliation: measure={measure!r} is not one of {', '.join(TIP_MEASURES)}")
    return measure


def tip_regional_sum(regional: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Sum of the regional figures of ``measure`` for ``year`` printed in TIP edition ``edition``.

    Every region of that edition must give the measure; otherwise there is nothing to sum (no data).
    ``regional``: the published table ``tip-law-enforcement-regional``.
    """
    measure = _measure(args)
    rows = regional.loc[(regional["data_year"] == int(args["year"]))
                        & (regional["report_edition"] == int(args["edition"]))]
    rows = rows.loc[~rows["region"].isin(without)]
    if rows.empty or rows[measure].isna().any():
        return _empty(_("no complete set of regional {measure} for {year} in the {edition} edition",
                        measure=_(MEASURE_WORDS.get(measure, measure)), year=args['year'], edition=args['edition']))
    value = float(rows[measure].astype(float).sum())
    weights = {str(r): float(v) for r, v in zip(rows["region"], rows[measure].astype(float))}
    return Recount(value, value, len(rows), weights, _("TIP {edition} regional tables", edition=args['edition']),
                   int(args["edition"]))


def tip_table(table: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """The figure of ``measure`` for ``year`` in the typed TIP table (rows read in a stored source).

    ``table``: the published table ``tip-law-enforcement``; unverified rows are not used.
    """
    measure = _measure(args)
    rows = table.loc[(table["data_year"] == int(args["year"])) & (table["verification"] != "unverified")]
    rows = rows.loc[rows[measure].notna()]
    if rows.empty:
        return _empty(_("no verified {measure} for {year} in the typed TIP table",
                        measure=_(MEASURE_WORDS.get(measure, measure)), year=args['year']))
    row = rows.iloc[0]
    value = float(row[measure])
    return Recount(value, value, 1, {}, _("TIP {edition} edition table", edition=int(row['report_edition'])),
                   int(row["report_edition"]))


def sum_of_parts(_frame: object, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Sum of the parts printed beside the figure (``parts=a|b|c``), e.g. a report's regional rows."""
    try:
        parts = [float(p) for p in args["parts"].split("|") if p.strip()]
    except (KeyError, ValueError):
        raise DataError(f"reconciliation: parts={args.get('parts')!r} must be numbers separated by '|'") from None
    value = float(np.sum(parts))
    return Recount(value, value, len(parts), {f"part {i + 1}": p for i, p in enumerate(parts)},
                   _("parts printed beside it"))


def ncmec_reports(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """CyberTipline reports in ``year`` (``ncmec-reports``)."""
    rows = frame.loc[frame["year"] == int(args["year"])]
    if rows.empty:
        return _empty(_("no reports for {year}", year=args['year']))
    value = float(rows["reports"].sum())
    return Recount(value, value, 1, {}, "")


def ncmec_contents(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """CyberTipline reports of one ``category``/``label`` in ``year`` (``ncmec-report-contents``)."""
    rows = frame.loc[(frame["year"] == int(args["year"])) & (frame["category"] == args["category"])
                     & (frame["label"] == args["label"])]
    if rows.empty:
        return _empty(_("no {label} reports for {year}", label=repr(args['label']), year=args['year']))
    value = float(rows["quantity"].sum())
    return Recount(value, value, 1, {}, "")


METHODS = {
    "tip_regional_sum": tip_regional_sum,
    "tip_table": tip_table,
    "sum_of_parts": sum_of_parts,
    "ncmec_reports": ncmec_reports,
    "ncmec_contents": ncmec_contents,
}
