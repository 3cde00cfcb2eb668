"""The FBI's human-trafficking file against the FBI's own annual tables, year by year.

Inputs: the ``fbi-ucr-ht`` frame (Crime Data Explorer file 2013-2020, one row per agency, year and
offence) and the published table ``fbi-annual-tables`` (figures of *Crime in the United States*,
one row per data year and area: ``US`` or a state's postal code, with the table's status for that
state: ``reported``, ``reported none`` or ``no data``). The file's figures are sums over its rows:
``offences`` = actual offences, ``cleared`` = cleared offences, and the two offence subcategories.
The file writes Nebraska as ``NB`` (the FBI's own code); it is read as ``NE``.
"""
from __future__ import annotations

import pandas as pd

from critique.core.errors import DataError
from critique.core.i18n import N_, _
from critique.methods.reconcile.recount import Recount, _empty

MEASURES = {"offences": "actual", "cleared": "cleared"}
OFFENCES = {"commercial_sex_acts": "Commercial Sex Acts", "involuntary_servitude": "Involuntary Servitude"}
STATE_ALIASES = {"NB": "NE"}
US = "US"
#: the measures as a reader reads them
MEASURE_WORDS = {"offences": N_("offences"), "cleared": N_("cleared")}


def file_figures(fbi: pd.DataFrame) -> pd.DataFrame:
    """Per data year and area (``US`` and each state): offences, cleared and both subcategories.

    Input: the ``fbi-ucr-ht`` frame (``year, state, offence, actual, cleared``). Output columns:
    ``data_year, area, offences, cleared, commercial_sex_acts, involuntary_servitude`` (int).
    """
    missing = {"year", "state", "offence", "actual", "cleared"} - set(fbi.columns)
    if missing:
        raise DataError(f"fbi-ucr-ht: column(s) {', '.join(sorted(missing))} missing")
    data = fbi.assign(area=fbi["state"].astype(str).replace(STATE_ALIASES))
    parts = []
    for area_of in (lambda d: pd.Series(US, index=d.index), lambda d: d["area"]):
        d = data.assign(area=area_of(data))
        g = d.groupby(["year", "area"])
        out = g[["actual", "cleared"]].sum().rename(columns={"actual": "offences"})
        for col, name in OFFENCES.items():
            out[col] = d.loc[d["offence"] == name].groupby(["year", "area"])["actual"].sum()
        parts.append(out.fillna(0).astype("int64"))
    return pd.concat(parts).reset_index().rename(columns={"year": "data_year"})


def compare(fbi: pd.DataFrame, tables: pd.DataFrame) -> pd.DataFrame:
    """Every printed figure of ``tables`` beside the file's figure for the same year, area and measure.

    One row per (data_year, area, measure) with a printed value or a table status of
    ``no data``: ``published``, ``file``, ``difference`` (file minus published), ``difference_pct``
    (of the published figure; missing when it is 0 or absent), ``table_status``, ``citation``,
    ``source_url``, ``verification``. An area absent from the file in that year counts 0 there.
    """
    files = file_figures(fbi).set_index(["data_year", "area"])
    rows = []
    for rec in tables.itertuples(index=False):
        key = (int(rec.data_year), str(rec.area))
        for measure in ("offences", "cleared", *OFFENCES):
            published = getattr(rec, measure)
            if pd.isna(published) and not (measure == "offences" and rec.table_status == "no data"):
                continue
            file_value = int(files.loc[key, measure]) if key in files.index else 0
            pub = None if pd.isna(published) else int(published)
            rows.append({
                "data_year": key[0], "area": key[1], "measure": measure, "table_status": rec.table_status,
                "published": pub, "file": file_value,
                "difference": None if pub is None else file_value - pub,
                "difference_pct": None if not pub else round(100 * (file_value - pub) / pub, 1),
                "citation": rec.citation, "source_url": rec.source_url, "verification": rec.verification,
            })
    out = pd.DataFrame(rows)
    for col in ("published", "difference"):
        out[col] = out[col].astype("Int64")
    out["difference_pct"] = out["difference_pct"].astype("Float64")
    return out


_FIGURES: dict[int, tuple[pd.DataFrame, pd.DataFrame]] = {}


def file_recount(fbi: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """The file's figure for ``year``, ``measure`` and ``area`` (``US`` or a state) as a Recount."""
    hit = _FIGURES.get(id(fbi))
    if hit is None or hit[0] is not fbi:
        _FIGURES.clear()
        _FIGURES[id(fbi)] = hit = (fbi, file_figures(fbi))
    figures = hit[1]
    measure, area = args.get("measure", "offences"), args.get("area", US)
    if measure not in ("offences", "cleared", *OFFENCES):
        raise DataError(f"reconciliation: FBI measure {measure!r} is not offences, cleared or an offence subcategory")
    year = int(args["year"])
    if year not in set(figures["data_year"]):
        return _empty(_("no {year} in the file", year=year))
    hit = figures.loc[(figures["data_year"] == year) & (figures["area"] == area), measure]
    value = float(hit.iloc[0]) if len(hit) else 0.0
    states = figures.loc[(figures["data_year"] == year) & (figures["area"] != US)]
    weights = {str(a): float(v) for a, v in zip(states["area"], states[measure])} if area == US else {}
    return Recount(value, value, 1 if area != US else len(states), weights)


def ledger_rows(tables: pd.DataFrame) -> pd.DataFrame:
    """The printed figures of ``tables`` as rows of the reconciliation ledger (``fbi_file`` recounts).

    Rows with no printed figure (``no data``) are left out: there is nothing printed to compare.
    """
    rows = []
    for rec in tables.itertuples(index=False):
        for measure in ("offences", "cleared", *OFFENCES):
            value = getattr(rec, measure)
            if pd.isna(value):
                continue
            label = measure.replace("_", " ")
            where = "the United States" if rec.area == US else f"state {rec.area}"
            rows.append({
                "id": f"fbi-{int(rec.data_year)}-{rec.area.lower()}-{measure.replace('_', '-')}",
                "publisher": "FBI", "document": f"Crime in the United States {int(rec.data_year)}, Human Trafficking",
                "edition": int(rec.data_year) + 1, "figure": f"human-trafficking {label}, {where}",
                "area": rec.area, "data_year": str(int(rec.data_year)), "unit": "count",
                "published_text": f"{int(value):,}", "published_value": float(value), "precision": 1.0,
                "qualifier": "exact",
                "definition": "offences known to agencies that reported human-trafficking data for at least one month "
                              "and whose collection the FBI found compliant with UCR guidelines",
                "recount_source": "fbi-ucr-ht", "recount_method": "fbi_file",
                "recount_args": f"year={int(rec.data_year)};measure={measure};area={rec.area}",
                "citation": rec.citation, "source_url": rec.source_url, "verification": rec.verification,
                "note": None if pd.isna(rec.note) else rec.note,
            })
    return pd.DataFrame(rows)


def year_sentences(comparison: pd.DataFrame) -> list[str]:
    """One sentence a year with a printed US figure: the file beside the table, direction and size.

    e.g. "2016: offences 1,280 in the file against 1,196 in the FBI's table (+84, +7.0%); cleared
    593 against 654 (-61, -9.3%)." Only measures the table prints are named.
    """
    us = comparison.loc[(comparison["area"] == US) & comparison["published"].notna()
                        & comparison["measure"].isin(["offences", "cleared"])]
    out = []
    for year, g in us.groupby("data_year"):
        parts = []
        for i, r in enumerate(g.sort_values("measure", key=lambda m: m.map({"offences": 0, "cleared": 1})).itertuples()):
            values = dict(measure=_(MEASURE_WORDS.get(r.measure, r.measure)), file=int(r.file),
                          published=int(r.published), difference=int(r.difference), pct=float(r.difference_pct))
            parts.append(_("{measure} {file:,} in the file against {published:,} in the FBI's table ({difference:+,}, "
                           "{pct:+.1f}%)", **values) if i == 0 else
                         _("{measure} {file:,} against {published:,} ({difference:+,}, {pct:+.1f}%)", **values))
        out.append(_("{year}: {parts}.", year=int(year), parts="; ".join(parts)))
    return out


def states_reported_none(comparison: pd.DataFrame) -> pd.DataFrame:
    """States the table lists as reporting no offences that have offences in the file."""
    c = comparison.loc[(comparison["table_status"] == "reported none") & (comparison["measure"] == "offences")
                       & (comparison["file"] > 0)]
    return c[["data_year", "area", "file"]].reset_index(drop=True)


def caveat_text(comparison: pd.DataFrame) -> str:
    """The catalogue caveat of ``fbi-ucr-ht``: direction and size of the file's difference, every year.

    Generated from :func:`compare` so that the catalogue's text can be checked against the data
    (a test does): "... more offences (2016: 1,280 vs 1,196, +7.0%; ...) and fewer cleared (...)".
    Directions are read from the data: a measure whose differences change sign is called "other".
    """
    us = comparison.loc[(comparison["area"] == US) & comparison["published"].notna()]
    parts = []
    for measure, more, fewer in (("offences", "more offences", "fewer offences"),
                                 ("cleared", "more cleared", "fewer cleared")):
        m = us.loc[us["measure"] == measure].sort_values("data_year")
        if m.empty:
            continue
        signs = set((m["difference"] > 0).astype(bool))
        word = more if signs == {True} else fewer if signs == {False} else f"other {measure}"
        years = "; ".join(f"{int(r.data_year)}: {int(r.file):,} vs {int(r.published):,}, {float(r.difference_pct):+.1f}%"
                          for r in m.itertuples())
        parts.append(f"{word} ({years})")
    none = states_reported_none(comparison)
    tail = (", and offences in states the tables list as reporting none" if len(none) else "")
    return ("The file differs from the FBI's annual tables (Crime in the United States) in each year for which a "
            "printed figure was found: " + " and ".join(parts) + tail + " (notebook 13).")
