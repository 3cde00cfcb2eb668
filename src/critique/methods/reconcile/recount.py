"""Recounts of UNODC GLOTIP aggregates from a release: totals, shares, changes, countries.

Each function takes the tidy glotip frame of ONE release (``critique.datasets.load("glotip@...")``)
and the arguments of a ledger row, and returns a :class:`Recount`: low and high bounds (cells
published as ``"<5"`` count 0 to 4, so every sum has two bounds), the number of countries counted,
and each country's weight in the figure (the high-bound size of the rows it contributes), which the
one-country rule uses to pick the countries to leave out.

Rows are used as the loader marks them usable (``exclude_reason`` missing: no placeholders,
repeated totals, questionnaire codes or parts of countries) and only for national units (a
region; UNODC's aggregate rows are left out). The choices follow UNODC's printed definitions where
the release allows:

- a *total* sums national totals (dimension, category, sex and age all "Total");
- a *form share* is one form's victims among the victims of the three forms the release has
  (sex = age = "Total"); a *group share* is one or more sex-and-age groups among the four
  (female/male, under 18/18 or over) of the dimension "Total";
- a *change* is ``T_to / T_from - 1`` in percent; ``panel=both`` keeps only the countries with the
  figure in both years (a fixed panel), otherwise every reporter of each year counts;
- ``pool_from=Y`` recounts "the year or the most recent": a country without the figure in the
  year uses its latest year from ``Y`` on (UNODC's "2022 (or most recent)").

Areas: ``subregion=`` / ``region=`` (the release's UN M49 columns, ``|``-separated), ``iso3=``
(``|``-separated codes) or ``members=`` a named list in :data:`MEMBERS`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.core.errors import DataError
from critique.core.i18n import _

VICTIMS = "Detected trafficking victims"
TOTAL = "Total"
FORMS_DIMENSION = "by form of exploitation"
GROUPS = (("Female", "18 years or over"), ("Female", "0 to 17 years"),
          ("Male", "18 years or over"), ("Male", "0 to 17 years"))

# Member lists for areas that are not columns of the release. EU membership by date (EU27_2007:
# 2007-2013, before Croatia; EU28: July 2013 - January 2020; EU27_2020: after the United Kingdom
# left). UNODC_EECA: the Global Report's region "Eastern Europe and Central Asia" as the suite
# reads the report's regional classification (not checked against a stored copy of its annex; used
# only as the alternative, publisher-definition recount).
_EU27_2020 = ("AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU "
              "SVK SVN ESP SWE").split()
MEMBERS: dict[str, tuple[str, ...]] = {
    "EU27_2020": tuple(_EU27_2020),
    "EU28": tuple(_EU27_2020 + ["GBR"]),
    "EU27_2007": tuple([c for c in _EU27_2020 if c != "HRV"] + ["GBR"]),
    "UNODC_EECA": tuple("ARM AZE BLR GEO KAZ KGZ MDA RUS TJK TKM UKR UZB".split()),
}


@dataclass(frozen=True)
class Recount:
    """A recomputed figure: bounds, countries counted and each country's weight in it.

    ``low``/``high`` are in the unit of the ledger row (count, percent, percent change);
    ``weights`` maps a unit (ISO3, state, region) to the high-bound size of what it contributes;
    ``edition`` is set when the result is a figure the publisher printed (another edition's table).
    """

    low: float
    high: float
    units: int
    weights: dict[str, float] = field(default_factory=dict)
    label: str = ""
    edition: int | None = None  # the publisher's edition, when the result is a figure it printed

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


def parse_args(text: object) -> dict[str, str]:
    """``"year=2022;form=Forced labour"`` -> ``{"year": "2022", "form": "Forced labour"}``.

    Raises DataError naming the text for a part without ``=``. Empty or missing text: ``{}``.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or pd.isna(text) or not str(text).strip():
        return {}
    out = {}
    for part in str(text).split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise DataError(f"reconciliation: argument {part!r} in {text!r} is not name=value")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def _list(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _years(value: str) -> list[int]:
    return [int(v) for v in _list(value)]


# ---------------------------------------------------------------- selecting rows


_PARTS: dict[int, tuple[pd.DataFrame, dict[str, pd.DataFrame]]] = {}
_COLUMNS = ["unit", "region", "subregion", "indicator", "dimension", "category", "sex", "age", "year",
            "value_low", "value_high"]


def _parts(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Usable rows of national units, split once per frame into national totals, by-form rows
    (sex = age = "Total") and the four sex-and-age groups, with a ``unit`` (ISO3) column and plain
    string columns (the one-country rule recounts each figure several times, so the split is kept
    for the frame's lifetime in this process)."""
    hit = _PARTS.get(id(frame))
    if hit is not None and hit[0] is frame:
        return hit[1]
    data = frame
    if "exclude_reason" in data.columns:
        data = data.loc[data["exclude_reason"].isna()]
    if "region" in data.columns:
        data = data.loc[data["region"].notna()]
    data = data.loc[data["iso3"].notna()].assign(unit=lambda d: d["iso3"])
    data = pd.DataFrame({c: (data[c].astype(object) if c not in ("year", "value_low", "value_high") else data[c])
                         for c in _COLUMNS if c in data.columns})
    data["year"] = data["year"].astype(int)
    t = data["sex"].eq(TOTAL) & data["age"].eq(TOTAL)
    groups = data.loc[data["dimension"].eq(TOTAL)
                      & pd.Series(list(zip(data["sex"], data["age"])), index=data.index).isin(GROUPS)]
    parts = {
        "totals": data.loc[t & data["dimension"].eq(TOTAL) & data["category"].eq(TOTAL)],
        "forms": data.loc[t & data["dimension"].eq(FORMS_DIMENSION)],
        "groups": groups.assign(group=groups["sex"] + "/" + groups["age"]),
    }
    if len(_PARTS) > 8:
        _PARTS.clear()
    _PARTS[id(frame)] = (frame, parts)
    return parts


def area(frame: pd.DataFrame, args: dict[str, str], part: str = "totals",
         without: tuple[str, ...] = ()) -> pd.DataFrame:
    """Rows of ``part`` (totals, forms, groups) for ``indicator`` (default detected victims) in the
    area the arguments name (``subregion``, ``region``, ``iso3`` or ``members``), ``without`` units."""
    data = _parts(frame)[part]
    data = data.loc[data["indicator"] == args.get("indicator", VICTIMS)]
    if "members" in args:
        if args["members"] not in MEMBERS:
            raise DataError(f"reconciliation: members={args['members']!r} is not a known list "
                            f"(known: {', '.join(MEMBERS)})")
        data = data.loc[data["unit"].isin(MEMBERS[args["members"]])]
    if "iso3" in args:
        data = data.loc[data["unit"].isin(_list(args["iso3"]))]
    for col in ("region", "subregion"):
        if col in args:
            data = data.loc[data[col].isin(_list(args[col]))]
    return data.loc[~data["unit"].isin(without)] if without else data


def _group_mask(rows: pd.DataFrame, groups: list[str]) -> pd.Series:
    for g in groups:
        if "/" not in g:
            raise DataError(f"reconciliation: group {g!r} is not sex/age (e.g. Female/0 to 17 years)")
    return rows["group"].isin([g.strip() for g in groups])


def _pool(rows: pd.DataFrame, year: int, pool_from: int | None) -> pd.DataFrame:
    """Rows of ``year``, or with ``pool_from`` each country's latest year in [pool_from, year]."""
    if pool_from is None:
        return rows.loc[rows["year"] == year]
    window = rows.loc[(rows["year"] >= pool_from) & (rows["year"] <= year)]
    latest = window.groupby("unit")["year"].transform("max")
    return window.loc[window["year"] == latest]


def _weights(rows: pd.DataFrame) -> dict[str, float]:
    return {str(k): float(v) for k, v in rows.groupby("unit")["value_high"].sum().items()}


def _share(num: pd.DataFrame, den: pd.DataFrame) -> tuple[float, float]:
    """Bounds of sum(num) / sum(den), where num's rows are part of den's: the other rows' bounds
    move the share the opposite way."""
    n_lo, n_hi = num["value_low"].sum(), num["value_high"].sum()
    rest = den.drop(index=num.index)
    r_lo, r_hi = rest["value_low"].sum(), rest["value_high"].sum()
    lo = 100 * n_lo / (n_lo + r_hi) if n_lo + r_hi > 0 else np.nan
    hi = 100 * n_hi / (n_hi + r_lo) if n_hi + r_lo > 0 else np.nan
    return lo, hi


def _empty(what: str) -> Recount:
    return Recount(np.nan, np.nan, 0, {}, _("no data: {what}", what=what))


# ---------------------------------------------------------------- recounts


def total(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Sum of national totals of ``indicator`` (default detected victims) in ``year`` (``|`` sums years)."""
    rows = area(frame, args, "totals", without)
    rows = rows.loc[rows["year"].isin(_years(args["year"]))]
    if rows.empty:
        return _empty(_("no national total in {year}", year=args['year']))
    return Recount(float(rows["value_low"].sum()), float(rows["value_high"].sum()), rows["unit"].nunique(),
                   _weights(rows))


def form_total(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Sum of one form's by-form rows in ``year``."""
    rows = area(frame, args, "forms", without)
    rows = rows.loc[(rows["year"] == int(args["year"])) & (rows["category"] == args["form"])]
    if rows.empty:
        return _empty(_("no {form} rows in {year}", form=args['form'], year=args['year']))
    return Recount(float(rows["value_low"].sum()), float(rows["value_high"].sum()), rows["unit"].nunique(),
                   _weights(rows))


def form_share(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Percent of ``form`` among the three forms, in ``year`` (or pooled from ``pool_from``)."""
    pool = int(args["pool_from"]) if "pool_from" in args else None
    den = _pool(area(frame, args, "forms", without), int(args["year"]), pool)
    if den.empty:
        return _empty(_("no by-form rows in {year}", year=args['year']))
    num = den.loc[den["category"] == args["form"]]
    lo, hi = _share(num, den)
    return Recount(lo, hi, den["unit"].nunique(), _weights(den))


def group_share(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Percent of the sex/age ``groups`` (``|``-separated) among the four groups, in ``year``."""
    pool = int(args["pool_from"]) if "pool_from" in args else None
    den = _pool(area(frame, args, "groups", without), int(args["year"]), pool)
    if den.empty:
        return _empty(_("no sex-and-age rows in {year}", year=args['year']))
    num = den.loc[_group_mask(den, _list(args["groups"]))]
    lo, hi = _share(num, den)
    return Recount(lo, hi, den["unit"].nunique(), _weights(den))


def _change(rows: pd.DataFrame, y0: int, y1: int, panel: bool) -> Recount:
    a, b = rows.loc[rows["year"] == y0], rows.loc[rows["year"] == y1]
    if panel:
        both = set(a["unit"]) & set(b["unit"])
        a, b = a.loc[a["unit"].isin(both)], b.loc[b["unit"].isin(both)]
    if a.empty or b.empty or a["value_high"].sum() == 0:
        return _empty(_("no figure in {start} or {end}", start=y0, end=y1))
    lo = 100 * (b["value_low"].sum() / a["value_high"].sum() - 1)
    hi = 100 * (b["value_high"].sum() / a["value_low"].sum() - 1) if a["value_low"].sum() > 0 else np.inf
    units = len(set(a["unit"]) | set(b["unit"]))
    return Recount(float(lo), float(hi), units, _weights(pd.concat([a, b])))


def change(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Percent change of the summed national totals from ``from`` to ``to`` (``panel=both``: fixed panel)."""
    rows = area(frame, args, "totals", without)
    return _change(rows, int(args["from"]), int(args["to"]), args.get("panel") == "both")


def form_change(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Percent change of one form's by-form rows from ``from`` to ``to``."""
    rows = area(frame, args, "forms", without)
    rows = rows.loc[rows["category"] == args["form"]]
    return _change(rows, int(args["from"]), int(args["to"]), args.get("panel") == "both")


def group_change(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Percent change of the sex/age ``groups`` from ``from`` to ``to``."""
    rows = area(frame, args, "groups", without)
    rows = rows.loc[_group_mask(rows, _list(args["groups"]))]
    return _change(rows, int(args["from"]), int(args["to"]), args.get("panel") == "both")


def countries(frame: pd.DataFrame, args: dict[str, str], without: tuple[str, ...] = ()) -> Recount:
    """Countries with a national total of ``indicator`` in any year from ``from`` to ``to``."""
    rows = area(frame, args, "totals", without)
    rows = rows.loc[(rows["year"] >= int(args["from"])) & (rows["year"] <= int(args["to"]))]
    n = float(rows["unit"].nunique())
    return Recount(n, n, int(n), {})


METHODS = {
    "glotip_total": total,
    "glotip_form_total": form_total,
    "glotip_form_share": form_share,
    "glotip_group_share": group_share,
    "glotip_change": change,
    "glotip_form_change": form_change,
    "glotip_group_change": group_change,
    "glotip_countries": countries,
}
