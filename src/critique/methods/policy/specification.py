"""The level change in a count around a policy change as a specification range, not one number.

The same series can give -29% or -17% depending on defensible choices that the data cannot settle.
:func:`specification_range` fits every combination of

- **pre-period start**: the first year of the series, and each year at or just after a recording
  break (see below);
- **recording-break handling**: ``"none"`` (the jump is read as part of the trend) or ``"dummy"``
  (a level-shift indicator from the break year on, part of the baseline);
- **Covid year**: ``"include"`` 2020 as any year, an ``"indicator"`` for 2020 alone (its count is
  then fitted exactly and does not move the trend or the level change), or ``"exclude"`` it (the
  same point estimates as the indicator for Poisson and OLS; offered for readers who expect it);
- **model family**: quasi-Poisson, negative binomial, OLS on logs with Newey-West errors;

and reports every fit or its refusal (:mod:`critique.methods.policy.refusals`) in one table, with the range
of estimates and intervals and a reading that counts how many specifications exclude no change and
on which side (:meth:`SpecificationRange.reading`, :func:`critique.methods.policy.reading.range_reading`). The idea is the
"multiverse" or specification-curve analysis of Steegen, Tuerlinckx, Gelman & Vanpaemel (2016),
*Perspectives on Psychological Science* 11(5):702-712, and Simonsohn, Simmons & Nelson (2020),
*Nature Human Behaviour* 4:1208-1214, applied to an interrupted time series.

**Recording-break rule** (:func:`recording_breaks`): in the pre-period, a change between two
consecutive published years by a factor of at least ``ratio`` (default 3) in either direction is
treated as a possible change in recording rather than an event, because a national count of detected
victims rarely triples in a year except when what is counted changes. Example: UNODC's count for the
United States went from 469 (2012) to 2,315 (2013), a factor of 4.9. The threshold is a convention,
not a test; the range always shows the results with and without the break treated as one.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from critique.methods.policy.design import single_year, step
from critique.methods.policy.reading import interval_sides, range_reading
from critique.methods.policy.refusals import MIN_RESID_DF, PolicyError
from critique.methods.policy.segmented import MODELS, ITSResult, segmented_regression

BREAK_RATIO = 3.0
COVID_YEAR = 2020
BREAK_RULES = ("none", "dummy")
COVID_RULES = ("include", "indicator", "exclude")


def recording_breaks(data: pd.DataFrame, first_post: int, *, ratio: float = BREAK_RATIO) -> list[int]:
    """Pre-period years ``b`` whose count differs from year ``b - 1`` by a factor >= ``ratio``.

    ``data`` has ``year`` and ``count`` (one row a year; missing counts skipped). Only consecutive
    published years are compared, and only before ``first_post`` (a jump after it cannot be told
    from the effect). Example: counts 303, 317, 380, 541, 564, 469, 2315, ... for 2007-2013 give
    [2013] (2315 / 469 = 4.94). Raises :class:`PolicyError` when ``ratio`` is not above 1.
    """
    if not ratio > 1:
        raise PolicyError(f"recording_breaks: ratio={ratio} must be above 1")
    d = data.dropna(subset=["count"]).sort_values("year")
    ys, cs = d["year"].to_numpy(dtype=int), d["count"].to_numpy(dtype=float)
    out = []
    for i in range(1, len(ys)):
        if ys[i] != ys[i - 1] + 1 or ys[i] >= first_post:
            continue
        a, b = cs[i - 1], cs[i]
        if a > 0 and b > 0 and max(a, b) / min(a, b) >= ratio:
            out.append(int(ys[i]))
    return out


@dataclass(frozen=True)
class Specification:
    """One analysis choice set; ``label`` is how tables and charts name it."""

    pre_start: int
    breaks: str  # "none" | "dummy"
    covid: str  # "include" | "indicator" | "exclude"
    model: str

    @property
    def label(self) -> str:
        return f"from {self.pre_start}; break: {self.breaks}; 2020: {self.covid}; {self.model}"


def specification_grid(data: pd.DataFrame, first_post: int, *, pre_starts: Sequence[int] | None = None,
                       break_rules: Sequence[str] = BREAK_RULES,
                       covid_rules: Sequence[str] = ("include", "indicator"),
                       models: Sequence[str] = MODELS, break_ratio: float = BREAK_RATIO,
                       covid_year: int = COVID_YEAR) -> list[Specification]:
    """Every applicable specification for ``data`` around ``first_post``.

    Default pre-period starts: the first published year, then each detected break year and the
    year after it. A ``"dummy"`` is applicable only when a detected break lies strictly after the
    start (otherwise it equals ``"none"`` and is left out); a Covid rule other than ``"include"``
    only when ``covid_year`` is in the data. Raises :class:`PolicyError` for an unknown rule or model.
    """
    for name, values, allowed in (("break_rules", break_rules, BREAK_RULES),
                                  ("covid_rules", covid_rules, COVID_RULES), ("models", models, MODELS)):
        bad = [v for v in values if v not in allowed]
        if bad:
            raise PolicyError(f"{name}: {bad[0]!r} is not one of {', '.join(allowed)}")
    d = data.dropna(subset=["count"])
    years = sorted(int(y) for y in d["year"])
    if not years:
        return []
    breaks = recording_breaks(d, first_post, ratio=break_ratio)
    if pre_starts is None:
        starts = sorted({years[0]} | {b for b in breaks} | {b + 1 for b in breaks})
    else:
        starts = sorted({int(s) for s in pre_starts})
    starts = [s for s in starts if s < first_post]
    out = []
    for s in starts:
        for br in break_rules:
            if br == "dummy" and not any(b > s and b in years for b in breaks):
                continue
            for cv in covid_rules:
                if cv != "include" and covid_year not in [y for y in years if y >= s]:
                    continue
                for m in models:
                    out.append(Specification(s, br, cv, m))
    return out


def fit_specification(data: pd.DataFrame, first_post: int, spec: Specification, *,
                      breaks: Sequence[int] = (), covid_year: int = COVID_YEAR, series: str = "series",
                      alpha: float = 0.05, min_points: int = 3, min_resid_df: int = MIN_RESID_DF,
                      ) -> ITSResult:
    """Fit one specification (see the module docstring); raises :class:`PolicyError` when refused.

    ``data`` has ``year``, ``count`` and optionally ``exposure``; ``breaks`` are the recording-break
    years (a step indicator each, for ``spec.breaks == "dummy"``, when it falls inside the window).
    """
    d = data.dropna(subset=["count"])
    d = d[d["year"] >= spec.pre_start]
    if spec.covid == "exclude":
        d = d[d["year"] != covid_year]
    years = d["year"].to_numpy(dtype=int)
    ind: dict[str, np.ndarray] = {}
    if spec.breaks == "dummy":
        for b in breaks:
            if years.min() < b <= years.max() and b < first_post:
                ind[f"break {b}"] = step(years, b)
    if spec.covid == "indicator" and covid_year in years:
        ind[f"year {covid_year}"] = single_year(years, covid_year)
    return segmented_regression(years, d["count"].to_numpy(dtype=float), first_post, model=spec.model,
                                exposure=d["exposure"].to_numpy(dtype=float) if "exposure" in d else None,
                                indicators=ind, alpha=alpha, min_points=min_points,
                                min_resid_df=min_resid_df, series=f"{series} [{spec.label}]")


@dataclass(frozen=True)
class SpecificationRange:
    """Every specification's estimate or refusal for one series, and the range they span.

    ``table`` has one row a specification: ``pre_start``, ``breaks``, ``covid``, ``model``,
    ``label``, ``status`` (``fitted``/``refused``), ``n``, ``df_resid``, ``level_change_pct``,
    ``ci_low_pct``, ``ci_high_pct``, ``includes_zero``, ``reason`` (refusals).
    """

    series: str
    first_post_year: int
    breaks: tuple[int, ...]
    alpha: float
    table: pd.DataFrame

    @property
    def fitted(self) -> pd.DataFrame:
        return self.table[self.table["status"] == "fitted"]

    def sides(self) -> tuple[int, int, int]:
        """``(n_fall, n_rise, n_zero)`` over the fitted specifications
        (:func:`critique.methods.policy.reading.interval_sides`)."""
        f = self.fitted
        return interval_sides(f["ci_low_pct"].tolist(), f["ci_high_pct"].tolist())

    def reading(self) -> str:
        """How many fitted specifications exclude no change, and on which side
        (:func:`critique.methods.policy.reading.range_reading`); never an any-one-interval rule."""
        return range_reading(*self.sides())

    def summary(self) -> dict[str, Any]:
        """Flat numbers for ``findings.record``: counts, the estimate and interval range, reading."""
        f = self.fitted
        n_fall, n_rise, n_zero = self.sides()
        out: dict[str, Any] = {
            "series": self.series, "first_post_year": self.first_post_year,
            "recording_breaks": list(self.breaks), "n_specifications": int(len(self.table)),
            "n_fitted": int(len(f)), "n_refused": int((self.table["status"] == "refused").sum()),
            "n_intervals_with_zero": n_zero, "n_exclude_fall": n_fall, "n_exclude_rise": n_rise,
            # which model families the exclusions come from: OLS with Newey-West errors on a handful of
            # years tends to give too narrow intervals, so a reader needs to see how many are its
            "n_exclude_by_model": {str(m): int(((g["ci_high_pct"] < 0) | (g["ci_low_pct"] > 0)).sum())
                                   for m, g in f.groupby("model")} if "model" in f.columns else {},
            "reading": self.reading()}
        if len(f):
            out.update(estimate_min_pct=float(f["level_change_pct"].min()),
                       estimate_max_pct=float(f["level_change_pct"].max()),
                       ci_low_min_pct=float(f["ci_low_pct"].min()),
                       ci_high_max_pct=float(f["ci_high_pct"].max()))
        return out

    def row(self, **choice: Any) -> dict[str, Any]:
        """The table row for one specification, e.g. ``row(pre_start=2013, breaks="none",
        covid="include", model="poisson")``; raises :class:`PolicyError` when it is not in the grid."""
        m = np.ones(len(self.table), dtype=bool)
        for k, v in choice.items():
            m &= (self.table[k] == v).to_numpy()
        if m.sum() != 1:
            raise PolicyError(f"{self.series}: {choice} matches {int(m.sum())} specifications, not 1")
        return self.table[m].iloc[0].to_dict()


def specification_range(data: pd.DataFrame, first_post: int, *, series: str, alpha: float = 0.05,
                        min_points: int = 3, min_resid_df: int = MIN_RESID_DF,
                        break_ratio: float = BREAK_RATIO, covid_year: int = COVID_YEAR,
                        **grid: Any) -> SpecificationRange:
    """Fit every specification of :func:`specification_grid` (``grid`` passes ``pre_starts``,
    ``break_rules``, ``covid_rules``, ``models``) and collect estimates and refusals."""
    breaks = recording_breaks(data, first_post, ratio=break_ratio)
    specs = specification_grid(data, first_post, break_ratio=break_ratio, covid_year=covid_year, **grid)
    rows = []
    for spec in specs:
        row: dict[str, Any] = {"pre_start": spec.pre_start, "breaks": spec.breaks, "covid": spec.covid,
                               "model": spec.model, "label": spec.label}
        try:
            r = fit_specification(data, first_post, spec, breaks=breaks, covid_year=covid_year,
                                  series=series, alpha=alpha, min_points=min_points,
                                  min_resid_df=min_resid_df)
            lo, hi = r.level.ci_low, r.level.ci_high
            row.update(status="fitted", n=len(r.years), df_resid=int(r.diagnostics["df_resid"]),
                       level_change_pct=100 * (math.exp(r.level.estimate) - 1),
                       ci_low_pct=100 * (math.exp(lo) - 1), ci_high_pct=100 * (math.exp(hi) - 1),
                       includes_zero=bool(lo <= 0 <= hi), reason="")
        except (PolicyError, np.linalg.LinAlgError) as err:
            row.update(status="refused", n=np.nan, df_resid=np.nan, level_change_pct=np.nan,
                       ci_low_pct=np.nan, ci_high_pct=np.nan, includes_zero=False,
                       reason=str(err).split("]: ", 1)[-1])
        rows.append(row)
    cols = ["pre_start", "breaks", "covid", "model", "label", "status", "n", "df_resid",
            "level_change_pct", "ci_low_pct", "ci_high_pct", "includes_zero", "reason"]
    return SpecificationRange(series, int(first_post), tuple(breaks), alpha,
                              pd.DataFrame(rows, columns=cols))
