"""An effect estimate with comparison units: countries not listed in the policy table (which holds only the
changes cited as having worked, so a comparison country may have changed its law too).

Two designs, both Poisson pseudo-maximum-likelihood with unit and year fixed effects (PPML; Santos
Silva & Tenreyro 2006, *REStat* 88(4):641-658), fitted with pyfixest's ``fepois`` (the Python port
of R's fixest, Bergé 2018):

- ``"did"``: difference in differences, ``count ~ treated x post | unit + year``. The estimate is the
  average post-period log ratio of the treated unit to what the comparison units' year effects and
  its own pre-period level predict; it assumes parallel trends.
- ``"comparative-its"``: the treated unit also gets its own linear trend and slope change
  (``treated x t``, ``treated x post x t``), so the estimate is the level change at the first post
  year against the treated unit's own projected trend, net of the shocks common to all units in each
  year (a comparative interrupted time series; St. Clair, Cook & Hallberg 2014, *Am J Eval*
  35(3):311-327). Year effects absorb what hit every country at once, such as 2020.

**Inference.** With one treated unit, cluster-robust standard errors and the wild cluster bootstrap
are not valid (Conley & Taber 2011, *REStat* 93(1):113-125; MacKinnon & Webb 2017, *J Appl Econ*
32(2):233-254). The interval here follows Conley & Taber: each comparison unit in turn is treated
as if it had made the change (the real treated unit left out), and the spread of those placebo
estimates stands for the estimator's error: interval ``[b - q_{1-a/2}, b - q_{a/2}]``. It needs at
least ``2 / alpha - 1`` placebos (39 at 95%); with fewer, no interval is given. Small comparison
countries have noisier log changes than a large treated one, which makes this interval wider
(conservative) rather than narrower (Ferman & Pinto 2019, *REStat* 101(3):452-467). The placebo rank
is reported beside it.

**Why PPML with fixed effects rather than synthetic control** (pysyncon): a synthetic control needs
every donor observed in every pre-period year and matches the treated unit's pre-period path with a
convex combination of donors. UNODC country series have gaps (and, once "<5" placeholders are gaps,
more of them); the largest treated counts (the United States: thousands a year) lie far outside the
range of any convex combination of other countries' counts; and the pre-period contains recording
jumps that a synthetic control would try to reproduce. Fixed-effect PPML takes unbalanced panels and
zero counts, works on the same log scale as the segmented regression, and its year effects carry
exactly the common shocks the comparison is for.
"""
from __future__ import annotations

import math
import warnings as _warnings
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from critique.core.i18n import _
from critique.methods.policy.placebo import rank_among
from critique.methods.policy.refusals import PolicyError

DESIGNS = ("did", "comparative-its")


@dataclass(frozen=True)
class ComparisonResult:
    """A comparison-unit estimate, its placebo interval (or why there is none) and placebo rank."""

    series: str
    design: str
    first_post_year: int
    years: tuple[int, int]  # first and last year of the window
    estimate: float  # log scale
    interval: tuple[float, float] | None  # log scale; None with too few placebos
    interval_note: str
    units: tuple[str, ...]  # comparison units used
    placebos: pd.DataFrame  # label, estimate (log scale), status
    rank: int
    p_value: float
    alpha: float

    @property
    def n_placebos(self) -> int:
        return int(self.placebos["estimate"].notna().sum())

    def summary(self) -> dict[str, Any]:
        """Flat numbers for ``findings.record`` (percent changes are ``100 (exp(b) - 1)``)."""
        pct = (lambda v: 100 * (math.exp(v) - 1))
        out: dict[str, Any] = {
            "series": self.series, "design": self.design, "first_post_year": self.first_post_year,
            "years": list(self.years), "n_units": len(self.units), "estimate_log": self.estimate,
            "estimate_pct": pct(self.estimate), "placebo_rank": self.rank,
            "placebo_n": self.n_placebos, "placebo_p": self.p_value, "interval_note": self.interval_note}
        if self.interval is not None:
            out["interval_log"] = list(self.interval)
            out["interval_pct"] = [pct(self.interval[0]), pct(self.interval[1])]
            out["interval_includes_zero"] = bool(self.interval[0] <= 0 <= self.interval[1])
        return out


def comparison_panel(treated: pd.DataFrame, controls: Mapping[str, pd.DataFrame], first_post: int, *,
                     treated_label: str = "treated", start: int | None = None, end: int | None = None,
                     min_points: int = 3) -> pd.DataFrame:
    """Long frame ``unit``, ``year``, ``count``, ``treated`` for the window ``start..end``.

    A comparison unit enters only with at least ``min_points`` published years on each side of
    ``first_post`` inside the window (the same rule as the treated series). Raises
    :class:`PolicyError` when the treated series itself is too short.
    """
    def window(d: pd.DataFrame) -> pd.DataFrame:
        d = d.dropna(subset=["count"])[["year", "count"]]
        if start is not None:
            d = d[d["year"] >= start]
        if end is not None:
            d = d[d["year"] <= end]
        return d

    def enough(d: pd.DataFrame) -> bool:
        return (d["year"] < first_post).sum() >= min_points and (d["year"] >= first_post).sum() >= min_points

    t = window(treated)
    if not enough(t):
        raise PolicyError(f"{treated_label}: fewer than {min_points} published years on a side of "
                          f"{first_post} in the window; no comparison estimate")
    parts = [t.assign(unit=treated_label, treated=True)]
    for label, d in controls.items():
        w = window(d)
        if str(label) != treated_label and enough(w):
            parts.append(w.assign(unit=str(label), treated=False))
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype(int)
    out["count"] = out["count"].astype(float)
    return out[["unit", "year", "count", "treated"]]


def _fit(panel: pd.DataFrame, treated_unit: str, first_post: int, design: str) -> float:
    import pyfixest as pf

    d = panel.copy()
    tr = (d["unit"] == treated_unit).astype(float)
    t = d["year"] - first_post
    d["tp"] = tr * (t >= 0)
    formula = "count ~ tp | unit + year"
    if design == "comparative-its":
        d["tt"] = tr * t
        d["tpt"] = tr * (t >= 0) * t
        formula = "count ~ tp + tt + tpt | unit + year"
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        # lean: only the coefficient is read; skipping the stored data and copies saves a sixth of each fit
        m = pf.fepois(formula, data=d, vcov="iid", copy_data=False, store_data=False, lean=True)
    return float(m.coef()["tp"])


def difference_in_differences(treated: pd.DataFrame, controls: Mapping[str, pd.DataFrame],
                              first_post: int, *, series: str, design: str = "did",
                              treated_label: str = "treated", start: int | None = None,
                              end: int | None = None, min_points: int = 3,
                              alpha: float = 0.05) -> ComparisonResult:
    """Estimate the change in ``treated`` at ``first_post`` against comparison units (see the module
    docstring for the designs and the placebo interval).

    ``treated`` and each ``controls`` frame have ``year`` and ``count``; ``start``/``end`` bound the
    window (the pre-period start of a specification). Raises :class:`PolicyError` for an unknown
    design, a treated series too short, or no comparison unit with enough years.
    """
    if design not in DESIGNS:
        raise PolicyError(f"design={design!r}; choose one of {', '.join(DESIGNS)}")
    if not 0 < alpha < 1:
        raise PolicyError(f"alpha={alpha} must lie strictly between 0 and 1")
    panel = comparison_panel(treated, controls, first_post, treated_label=treated_label, start=start,
                             end=end, min_points=min_points)
    units = tuple(sorted(set(panel["unit"]) - {treated_label}))
    if not units:
        raise PolicyError(f"{series}: no comparison unit has {min_points} published years on each side "
                          f"of {first_post}; no comparison estimate")
    try:
        estimate = _fit(panel, treated_label, first_post, design)
    except Exception as err:  # pyfixest raises several types (separation, singular design)  # noqa: BLE001
        raise PolicyError(f"{series}: the {design} model could not be fitted ({err})") from err
    rest = panel[panel["unit"] != treated_label]
    rows = []
    for u in units:
        try:
            rows.append({"label": u, "estimate": _fit(rest, u, first_post, design), "status": "fitted"})
        except Exception as err:  # pyfixest raises several types for a unit it cannot fit  # noqa: BLE001
            rows.append({"label": u, "estimate": float("nan"), "status": f"not fitted: {err}"})
    placebos = pd.DataFrame(rows, columns=["label", "estimate", "status"])
    est = placebos["estimate"].dropna().to_numpy()
    rank, p, _placebos = rank_among(estimate, est)
    need = math.ceil(2 / alpha) - 1
    if len(est) >= need:
        q_lo, q_hi = np.quantile(est, [alpha / 2, 1 - alpha / 2])
        interval: tuple[float, float] | None = (float(estimate - q_hi), float(estimate - q_lo))
        note = _("placebo interval (Conley & Taber 2011) from {n} comparison units treated in turn as if they had "
                 "made the change", n=len(est))
    else:
        interval = None
        note = _("no interval: {n} placebo estimates, at least {need} are needed for a {level:.0f}% placebo interval",
                 n=len(est), need=need, level=100 * (1 - alpha))
    return ComparisonResult(series, design, int(first_post),
                            (int(panel["year"].min()), int(panel["year"].max())), estimate, interval,
                            note, units, placebos, rank, p, alpha)
