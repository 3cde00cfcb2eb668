"""Which country drives a cross-country aggregate: its largest contributors, the value without each,
and a flag when one country dominates or changes the reading.

A "global" total, share or change summed over reporting countries can rest on one country. In the
UNODC release of 14 April 2025, Pakistan's revised counts (32,022 detected victims in 2019 and
20,045 in 2020, where the release of 30 May 2023 had "<5" and 22; 26,539 in 2022, of which 22,575
in sexual exploitation) turn the 2022 split over all reporters into sexual exploitation 49% and
forced labour 26%; without Pakistan it is forced labour 34% and sexual exploitation 33%
(recounted from the raw file in ``tests/test_influence.py``). Every total, share and change over
countries in the suite therefore goes through :func:`influence`, and a reader sees the country when
the rules below flag it.

The measure, for units ``u`` (countries) with values ``x_u`` (the chosen bound of each cell: the
caller passes ``value_high`` or ``value_low``; a ``"<5"`` cell is 0 to 4):

- ``"total"``: ``T = sum_u x_u``; without ``u``: ``T - x_u``.
- ``"share"`` of level ``part`` of column ``group`` (e.g. the category "Sexual exploitation"):
  ``100 * P / D`` with ``P`` the part's sum and ``D`` the sum over every level; without ``u``:
  ``100 * (P - p_u) / (D - d_u)``. ``versus`` names a second level whose share is compared.
- ``"change"`` from level ``base`` to level ``part`` of ``group`` (e.g. years 2019 and 2022):
  ``100 * (B / A - 1)`` over every unit with a value in either year (the all-reporters headline);
  without ``u``: ``100 * ((B - b_u) / (A - a_u) - 1)``.

A unit is *flagged* when (thresholds are parameters; the defaults are the suite's stated choices,
not estimates):

- it holds more than ``max_share`` (default :data:`MAX_SHARE`, a quarter) of the aggregate (of the
  total; for a share, of the denominator or of the part; for a change, of either year's total);
- removing it changes the reading: the direction of a change reverses, the order of ``part`` and
  ``versus`` reverses, or the value moves by more than ``max_points`` (default
  :data:`MAX_POINTS`, 5 percentage points; not used for a total, which has no points);
- nothing is left without it (the only unit in the denominator): the value without it is missing.

Pure functions: frames in, a result object out; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import _, format_locale
from critique.methods.coverage.words import lower as _lower, term as _term

MAX_SHARE = 0.25
MAX_POINTS = 5.0
TOP = 5
MEASURES = ("total", "share", "change")
COLUMNS = ["unit", "name", "contribution", "holds", "holds_whole", "holds_part", "without", "versus_without",
           "shift", "flag"]


@dataclass(frozen=True)
class Influence:
    """An aggregate over countries and what each of its largest contributors does to it.

    ``value`` is the aggregate over every unit (a count for ``"total"``, percent for ``"share"``
    and ``"change"``); ``versus`` the compared level's share (percent) or None. ``table`` has one row
    per unit, most influential first (flagged units, then by absolute ``shift``, then by
    ``holds``), at most ``top`` rows plus every flagged unit: ``unit``, ``name``, ``contribution``
    (its sum; for a change, later minus earlier), ``holds`` (the largest fraction of the aggregate
    it holds), ``holds_whole`` and ``holds_part`` (for a share: its fraction of the denominator and
    of the part; otherwise equal to ``holds``), ``without`` (the value without it), ``versus_without``, ``shift`` (without minus
    value) and ``flag`` (empty, or the reasons joined by "; ").
    """

    measure: str
    label: str
    value: float
    versus: float | None
    units: int
    table: pd.DataFrame
    part: str = ""
    versus_level: str = ""
    max_share: float = MAX_SHARE
    max_points: float = MAX_POINTS
    release: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def flagged(self) -> bool:
        """True when any unit is flagged."""
        return bool(self.table["flag"].ne("").any())

    @property
    def flagged_units(self) -> list[str]:
        """The flagged units, most influential first."""
        return self.table.loc[self.table["flag"].ne(""), "unit"].tolist()

    @property
    def top(self) -> pd.Series:
        """The most influential unit's row (the first flagged one, else the first row)."""
        return self.table.iloc[0]

    def without(self, unit: str | None = None) -> float:
        """The value without ``unit`` (default: the most influential unit)."""
        row = self.top if unit is None else self.table.set_index("unit").loc[unit]
        return float(row["without"])

    def reading(self) -> str:
        """One sentence for a reader: which country drives the aggregate, or that none does."""
        rel = _(" ({release})", release=self.release) if self.release else ""
        if not self.flagged:
            if self.measure == "total":
                return _("{label}{rel}: no single country holds more than {max_share:.0%} of it.",
                         label=self.label, rel=rel, max_share=self.max_share)
            return _("{label}{rel}: no single country holds more than {max_share:.0%} of it or moves it by "
                     "more than {max_points:g} points when left out.", label=self.label, rel=rel,
                     max_share=self.max_share, max_points=self.max_points)
        r = self.top
        if self.measure == "total":
            return _("{label}{rel}: {name} holds {holds:.0%} of it ({contribution:,.0f} of {value:,.0f}); "
                     "without {name} it is {without:,.0f}.", label=self.label, rel=rel, name=r["name"],
                     holds=r["holds"], contribution=r["contribution"], value=self.value, without=r["without"])
        if self.measure == "change":
            return _("{label}{rel}: {value:+.0f}% over all reporters, {without:+.0f}% without {name} ({flag}).",
                     label=self.label, rel=rel, value=self.value, without=r["without"], name=r["name"],
                     flag=r["flag"])
        vs = ""
        if self.versus is not None:
            vs = _(" and {versus_level} {versus:.0f}% (without {name}: {versus_without:.0f}%)",
                   versus_level=_lower(self.versus_level), versus=self.versus, name=r["name"],
                   versus_without=r["versus_without"])
        return _("{label}{rel}: {part} {value:.0f}% over all reporters (without {name}: {without:.0f}%){vs}; "
                 "{name} is flagged: {flag}.", label=self.label, rel=rel, part=_lower(self.part), value=self.value,
                 name=r["name"], without=r["without"], vs=vs, flag=r["flag"])

    def findings(self, prefix: str) -> dict[str, object]:
        """Scalar findings under ``prefix``: value, versus, top unit and name, what it holds, the
        value (and versus) without it, whether it is flagged and why, and the reading."""
        r = self.top
        out: dict[str, object] = {
            f"{prefix}_value": round(float(self.value), 4),
            f"{prefix}_top_unit": str(r["unit"]), f"{prefix}_top_name": str(r["name"]),
            f"{prefix}_top_holds": round(float(r["holds"]), 4),
            f"{prefix}_without_top": round(float(r["without"]), 4),
            f"{prefix}_flagged": self.flagged, f"{prefix}_flag": str(r["flag"]),
            f"{prefix}_reading": self.reading(),
        }
        if self.versus is not None:
            out[f"{prefix}_versus"] = round(float(self.versus), 4)
            out[f"{prefix}_versus_without_top"] = round(float(r["versus_without"]), 4)
        return out


def _names(frame: pd.DataFrame, by: str, units: pd.Index) -> pd.Series:
    if "country" in frame.columns:
        names = frame.dropna(subset=[by]).drop_duplicates(by).set_index(by)["country"]
        return pd.Series(units, index=units).map(names).fillna(pd.Series(units, index=units)).astype(str)
    return pd.Series(units.astype(str), index=units)


def influence(
    frame: pd.DataFrame,
    value: str = "value_high",
    by: str = "iso3",
    group: str | None = None,
    *,
    measure: str = "total",
    part: object = None,
    versus: object = None,
    base: object = None,
    top: int = TOP,
    max_share: float = MAX_SHARE,
    max_points: float = MAX_POINTS,
    label: str = "",
    release: str = "",
) -> Influence:
    """The aggregate of ``value`` over the units in column ``by``, and each unit's influence on it.

    ``frame``: long rows (several per unit are summed), numeric ``value`` (missing cells add
    nothing), unit column ``by`` and, for ``"share"`` and ``"change"``, the column ``group`` whose
    levels ``part`` / ``versus`` / ``base`` name. The formulas and flag rules are in the module
    docstring. Raises ParameterError naming the parameter when a column or level is missing, the
    measure is unknown, a threshold is out of range, or the aggregate's denominator is zero.
    """
    if measure not in MEASURES:
        raise ParameterError(f"influence: measure={measure!r}; choose one of {', '.join(MEASURES)}")
    if not 0 < max_share <= 1:
        raise ParameterError(f"influence: max_share={max_share}; expected a fraction in (0, 1]")
    if max_points <= 0:
        raise ParameterError(f"influence: max_points={max_points}; expected a positive number of points")
    if top < 1:
        raise ParameterError(f"influence: top={top}; expected at least 1")
    need = [value, by] + ([group] if measure != "total" else [])
    if measure != "total" and group is None:
        raise ParameterError(f"influence: measure={measure!r} needs group= (the column of {part!r})")
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ParameterError(f"influence: frame has no column(s) {missing}; columns are {list(frame.columns)}")
    data = frame.loc[frame[by].notna() & frame[value].notna()]
    if measure == "total":
        wide = data.groupby(by)[value].sum().to_frame("x")
    else:
        wide = data.groupby([by, group])[value].sum().unstack(group, fill_value=0.0)
        levels = [part, versus] if measure == "share" else [base, part]
        for name, lvl in zip(("part", "versus" if measure == "share" else "base"), levels):
            if lvl is not None and lvl not in wide.columns:
                raise ParameterError(f"influence: {name}={lvl!r} is not a value of {group!r}; present: "
                                     f"{sorted(map(str, wide.columns))}")
        if part is None or (measure == "change" and base is None):
            raise ParameterError(f"influence: measure={measure!r} needs part="
                                 + ("" if measure == "share" else " and base=") + f" (levels of {group!r})")
    if wide.empty:
        raise ParameterError(f"influence: no rows with a value in {value!r} to aggregate")
    units = wide.index
    vs = vs_without = None
    if measure == "total":
        x = wide["x"]
        total = float(x.sum())
        if total == 0:
            raise ParameterError(f"influence: the total of {value!r} is zero; nothing to attribute")
        agg, contribution, holds, without = total, x, x / total, total - x
        shift = without - agg
        flags = [np.where(holds > max_share, _("holds {h:.0%} of the total"), "")]
    elif measure == "share":
        p, d = wide[part], wide.sum(axis=1)
        P, D = float(p.sum()), float(d.sum())
        if D == 0:
            raise ParameterError(f"influence: the {group!r} values sum to zero; no share can be computed")
        agg = 100 * P / D
        with np.errstate(divide="ignore", invalid="ignore"):
            without = (100 * (P - p) / (D - d)).replace([np.inf, -np.inf], np.nan)
        holds_all, holds_part = d / D, (p / P if P else 0 * p)
        holds = np.maximum(holds_all, holds_part)
        contribution = p
        shift = without - agg
        order_flip = pd.Series(False, index=units)
        if versus is not None:
            v = wide[versus]
            vs = 100 * float(v.sum()) / D
            with np.errstate(divide="ignore", invalid="ignore"):
                vs_without = 100 * (float(v.sum()) - v) / (D - d)
            order_flip = np.isfinite(without) & (np.sign(without - vs_without) != np.sign(agg - vs))
        names = dict(part=_lower(part), versus=_lower(versus))
        flags = [np.where(holds_all > max_share, _("holds {a:.0%} of the whole"), ""),
                 np.where(holds_part > max_share, _("holds {p:.0%} of {part}").replace("{part}", names["part"]), ""),
                 np.where(order_flip, _("without it {versus} comes before {part}").replace("{versus}", names["versus"])
                          .replace("{part}", names["part"]) if versus is not None else "", ""),
                 np.where(np.isfinite(shift) & (shift.abs() > max_points), _("moves the share by {s:+.1f} points"), ""),
                 np.where(~np.isfinite(without), _("nothing is left without it"), "")]
    else:
        a, b = wide[base], wide[part]
        A, B = float(a.sum()), float(b.sum())
        if A == 0:
            raise ParameterError(f"influence: the {base!r} total is zero; no change can be computed")
        agg = 100 * (B / A - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            without = (100 * ((B - b) / (A - a) - 1)).replace([np.inf, -np.inf], np.nan)
        holds = np.maximum(a / A, b / B if B else 0 * b)
        contribution = b - a
        shift = without - agg
        flip = np.isfinite(without) & (np.sign(without) != np.sign(agg))
        flags = [np.where(holds > max_share, _("holds {h:.0%} of the total in {base} or {part}")
                          .replace("{base}", _term(base)).replace("{part}", _term(part)), ""),
                 np.where(flip, _("without it the change reverses direction"), ""),
                 np.where(np.isfinite(shift) & (shift.abs() > max_points), _("moves the change by {s:+.1f} points"), ""),
                 np.where(~np.isfinite(without), _("nothing is left in {base} without it").replace("{base}", _term(base)),
                          "")]
    table = pd.DataFrame({
        "unit": units.astype(str), "name": _names(data, by, units).to_numpy(),
        "contribution": np.asarray(contribution, dtype=float), "holds": np.asarray(holds, dtype=float),
        "holds_whole": np.asarray(holds_all if measure == "share" else holds, dtype=float),
        "holds_part": np.asarray(holds_part if measure == "share" else holds, dtype=float),
        "without": np.asarray(without, dtype=float),
        "versus_without": np.asarray(vs_without, dtype=float) if vs_without is not None else np.nan,
        "shift": np.asarray(shift, dtype=float)})
    extra_a = np.asarray(holds_all if measure == "share" else holds, dtype=float)
    extra_p = np.asarray(holds_part if measure == "share" else holds, dtype=float)
    reasons = []
    for i in range(len(table)):
        parts = [format_locale(str(f[i]), dict(h=table["holds"].iat[i], s=table["shift"].iat[i], a=extra_a[i],
                                                p=extra_p[i])) for f in flags if f[i]]
        reasons.append("; ".join(parts))
    table["flag"] = reasons
    table["_f"] = table["flag"].ne("")
    table["_s"] = table["shift"].abs().fillna(np.inf) if measure != "total" else table["holds"]
    table = table.sort_values(["_f", "_s", "holds", "unit"], ascending=[False, False, False, True])
    keep = table["_f"] | (np.arange(len(table)) < top)
    table = table.loc[keep, COLUMNS].reset_index(drop=True)
    return Influence(measure=measure, label=label or _default_label(measure, value, part, base),
                     value=float(agg), versus=vs, units=len(units), table=table,
                     part="" if part is None else str(part),
                     versus_level="" if versus is None else str(versus),
                     max_share=max_share, max_points=max_points, release=release)


def _default_label(measure: str, value: str, part: object, base: object) -> str:
    if measure == "total":
        return _("Sum of {value}", value=value)
    if measure == "share":
        return _("Share of {part}", part=_term(part))
    return _("Change from {base} to {part}", base=_term(base), part=_term(part))


def influence_by_year(
    frame: pd.DataFrame,
    value: str = "value_high",
    by: str = "iso3",
    group: str | None = None,
    *,
    year: str = "year",
    measure: str = "share",
    part: object = None,
    versus: object = None,
    max_share: float = MAX_SHARE,
    max_points: float = MAX_POINTS,
) -> pd.DataFrame:
    """:func:`influence` of a ``"total"`` or ``"share"`` for each value of ``year``: one row a year
    with ``value``, ``versus``, ``top_unit``, ``top_name``, ``top_holds``, ``without_top``,
    ``flagged`` and ``flag`` (the most influential unit's reasons). For the "without X" series of
    a chart, recompute the series on the frame without the flagged unit."""
    if measure == "change":
        raise ParameterError("influence_by_year: a change spans two years; call influence() for it")
    rows = {}
    for y, part_frame in frame.groupby(year, sort=True):
        try:
            inf = influence(part_frame, value, by, group, measure=measure, part=part, versus=versus,
                            max_share=max_share, max_points=max_points)
        except ParameterError:
            continue  # a year without the part or without any value: no data, not zero
        r = inf.top
        rows[y] = {"value": inf.value, "versus": inf.versus, "top_unit": r["unit"], "top_name": r["name"],
                   "top_holds": r["holds"], "without_top": r["without"], "flagged": inf.flagged,
                   "flag": r["flag"], "units": inf.units}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = year
    return out
