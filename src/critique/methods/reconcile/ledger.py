"""Run the reconciliation ledger: recount every printed figure and classify the difference.

The ledger is the published table ``reconciliation`` (one printed figure a row; format in its
sidecar) plus the FBI's printed figures from ``fbi-annual-tables`` (:func:`assemble`). Each row
names the source its recount reads (``recount_source``: a release id such as ``glotip@2025-04-14``,
a published table, or ``reconciliation`` for parts typed into the row) and a method of
:data:`METHODS` with its arguments. :func:`evaluate` needs the frames of those sources, keyed by id;
a source not given (not in the edition a notebook reads) leaves its rows "not recomputed".
"""
from __future__ import annotations

import math
from typing import Callable, Mapping

import pandas as pd

from critique.datasets import countries
from critique.core.errors import DataError
from critique.methods.reconcile import classify as cl
from critique.methods.reconcile import fbi, others, recount
from critique.methods.reconcile.recount import Recount, parse_args
from critique.core.i18n import N_, _

METHODS: dict[str, Callable[..., Recount]] = {**recount.METHODS, **others.METHODS, "fbi_file": fbi.file_recount}
COUNTRY_METHODS = set(recount.METHODS) - {"glotip_countries"}
TOP_K = 3  # candidate countries tried by the one-country rule (largest by weight)
PARTS_LABEL = N_("the parts printed with it (typed into the ledger row)")  # recount_source 'reconciliation' in words
COLUMNS = ("id", "publisher", "document", "edition", "figure", "area", "data_year", "unit", "published_text",
           "published_value", "precision", "qualifier", "definition", "recount_source", "recount_method",
           "recount_args", "other_source", "definition_args", "declared_difference", "citation", "source_url",
           "verification", "note")


def assemble(reconciliation: pd.DataFrame, fbi_tables: pd.DataFrame | None = None) -> pd.DataFrame:
    """The whole ledger: the ``reconciliation`` table and the FBI's printed figures as rows.

    Raises DataError naming the id when two rows share an id or a row names an unknown method.
    """
    parts = [reconciliation]
    if fbi_tables is not None and len(fbi_tables):
        parts.append(fbi.ledger_rows(fbi_tables))
    out = pd.concat([p.astype(object) for p in parts], ignore_index=True)
    for col in COLUMNS:
        if col not in out.columns:
            out[col] = None
    out = out[list(COLUMNS)]
    dup = out["id"][out["id"].duplicated()]
    if len(dup):
        raise DataError(f"reconciliation: id {dup.iloc[0]!r} is used twice")
    unknown = sorted(set(out["recount_method"]) - set(METHODS))
    if unknown:
        raise DataError(f"reconciliation: recount_method {unknown[0]!r} is not one of {', '.join(sorted(METHODS))}")
    return out


def source_ids(ledger: pd.DataFrame, newest: Mapping[str, str] | None = None) -> list[str]:
    """Every dataset id the ledger's recounts read (``reconciliation`` itself excluded).

    ``newest`` maps a source to the newest release an edition reads (``{"glotip":
    "glotip@2023-05-30"}``): releases of that source published after it are left out, so that
    their rows are "not recomputed" in that edition.
    """
    ids = set(ledger["recount_source"].dropna()) | set(ledger["other_source"].dropna())
    keep = []
    for i in sorted(i for i in ids if i and i != "reconciliation"):
        source, _, release = i.partition("@")
        limit = (newest or {}).get(source, "").partition("@")[2]
        if release and limit and release > limit:
            continue
        keep.append(i)
    return keep


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or str(value).strip() == ""


def _run(method: str, frame: object, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    try:
        return METHODS[method](frame, args, without)
    except KeyError as exc:
        raise DataError(f"reconciliation: method {method!r} needs argument {exc.args[0]!r}") from None


def _mover(method: str, frame: object, args: dict[str, str], base: Recount) -> tuple[str | None, float, Recount | None]:
    """The unit among the :data:`TOP_K` heaviest whose removal moves the recount most."""
    total = sum(base.weights.values())
    if not base.weights or total <= 0:
        return None, math.nan, None
    best: tuple[str | None, float, Recount | None, float] = (None, math.nan, None, -1.0)
    for unit in sorted(base.weights, key=base.weights.get, reverse=True)[:TOP_K]:
        wo = _run(method, frame, args, (unit,))
        if math.isnan(wo.mid):
            continue
        move = abs(wo.mid - base.mid)
        if move > best[3]:
            best = (unit, base.weights[unit] / total, wo, move)
    return best[0], best[1], best[2]


def evaluate(ledger: pd.DataFrame, frames: Mapping[str, object], *, names: Mapping[str, str] | None = None,
             min_share: float = cl.MIN_SHARE, min_closed: float = cl.MIN_CLOSED) -> pd.DataFrame:
    """Recount and classify every ledger row.

    ``frames`` maps a source id to its frame; ``names`` maps a unit code (ISO3) to a readable name.
    Output: the ledger's identifying columns plus ``recount_low``, ``recount_high``, ``recount``
    (text), ``units``, ``other_low``/``other_high``, ``alt_low``/``alt_high``, ``mover``,
    ``mover_share``, ``without_low``/``without_high``, ``verdict``, ``reason``, ``gap``,
    ``across_definitions``. Thresholds: see :mod:`critique.methods.reconcile.classify`.
    """
    names = dict(names or {})
    out = []

    def name(code: str | None) -> str | None:
        if code is None:
            return None
        if code not in names:
            try:
                names[code] = countries.name_of(code)
            except Exception:  # a code that is not a country (a US state, a region): shown as is
                names[code] = code
        return names[code]

    for row in ledger.itertuples(index=False):
        args = parse_args(row.recount_args)
        unit = str(row.unit)
        bounds = cl.interval(float(row.published_value), float(row.precision), str(row.qualifier))
        src = str(row.recount_source)
        frame = frames.get(src) if src != "reconciliation" else None
        if frame is None and src != "reconciliation":
            rec = Recount(math.nan, math.nan, 0, {}, _("{source} is not read in this edition", source=src))
        else:
            rec = _run(row.recount_method, frame, args)
        other = alt = without = None
        mover, share = None, math.nan
        if not _blank(row.other_source) and str(row.other_source) in frames:
            other = _run(row.recount_method, frames[str(row.other_source)], args)
        if not _blank(row.definition_args) and frame is not None:
            alt = _run(row.recount_method, frame, {**args, **parse_args(row.definition_args)})
        if row.recount_method in COUNTRY_METHODS and frame is not None and not math.isnan(rec.mid):
            mover, share, without = _mover(row.recount_method, frame, args, rec)
        mover_name = name(mover)
        label = _(PARTS_LABEL) if src == "reconciliation" else src
        v = cl.classify(bounds=bounds, unit=unit, recount=rec, recount_label=label,
                        edition=None if _blank(row.edition) else int(row.edition), other=other,
                        other_label="" if _blank(row.other_source) else str(row.other_source),
                        alt=alt, alt_label="" if _blank(row.definition_args) else str(row.definition_args),
                        mover=mover_name, mover_share=share, without=without,
                        declared=None if _blank(row.declared_difference) else str(row.declared_difference),
                        min_share=min_share, min_closed=min_closed, read_in=str(row.verification))
        out.append({
            "id": row.id, "publisher": row.publisher, "document": row.document, "figure": row.figure,
            "area": row.area, "data_year": row.data_year, "unit": unit, "published_text": row.published_text,
            "published_value": float(row.published_value), "printed_low": bounds[0], "printed_high": bounds[1],
            "recount_source": src, "recount_low": rec.low, "recount_high": rec.high,
            "recount": cl.fmt_bounds(rec, unit), "units": rec.units,
            "other_source": None if _blank(row.other_source) else row.other_source,
            "other_low": math.nan if other is None else other.low, "other_high": math.nan if other is None else other.high,
            "alt_low": math.nan if alt is None else alt.low, "alt_high": math.nan if alt is None else alt.high,
            "mover": mover_name, "mover_code": mover, "mover_share": share,
            "without_low": math.nan if without is None else without.low,
            "without_high": math.nan if without is None else without.high,
            "verdict": v.verdict, "reason": v.reason, "gap": v.gap, "across_definitions": v.across_definitions,
            "verification": row.verification, "citation": row.citation, "source_url": row.source_url,
        })
    return pd.DataFrame(out)
