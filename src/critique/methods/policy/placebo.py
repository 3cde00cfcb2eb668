"""Placebo tests: the same model at fake intervention years, or in units without the policy.

Where the real estimate falls among them (Abadie, Diamond & Hainmueller 2010, *JASA*
105(490):493-505, placebo "in space"; in-time placebos as in Bernal, Cummins & Gasparrini 2017).
A rank says how unusual the real estimate is; it is not itself an estimate of the effect (for that,
with comparison units, see :mod:`critique.methods.policy.comparison`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from critique.methods.policy.refusals import PolicyError
from critique.methods.policy.segmented import ITSResult, segmented_regression


@dataclass(frozen=True)
class PlaceboResult:
    """Where a real estimate falls among placebo estimates of the same statistic.

    ``p_value`` is the two-sided permutation-style share ``(1 + #{|placebo| >= |real|}) / (1 + k)``
    (Abadie et al. 2010 use the same rank logic); with ``k`` placebos it cannot fall below
    ``1 / (k + 1)``, which is the honest resolution of a short series. ``rank`` is the real estimate's
    position by absolute size among real and placebos (1 = most extreme).
    """

    kind: str  # "time" | "units"
    statistic: str
    real: float
    placebos: pd.DataFrame  # columns: label, estimate (and status for refused units)
    rank: int
    n_placebos: int
    p_value: float
    percentile: float  # share of placebos with |estimate| strictly below |real|, in percent

    @property
    def min_p_value(self) -> float:
        """The smallest p-value this many placebos can give."""
        return 1.0 / (self.n_placebos + 1)

    def summary(self) -> dict[str, Any]:
        return {"kind": self.kind, "statistic": self.statistic, "real": self.real,
                "rank": self.rank, "n_placebos": self.n_placebos, "p_value": self.p_value,
                "percentile": self.percentile, "min_p_value": self.min_p_value}


def rank_among(real: float, placebo: Sequence[float]) -> tuple[int, float, float]:
    """``(rank, p_value, percentile)`` of ``real`` among ``placebo`` by absolute size.

    Ties count against the real estimate (conservative). Example: real 0.5 among 0.1, -0.6, 0.2:
    one placebo (|-0.6|) is at least as large, so rank 2, p = (1 + 1) / (1 + 3) = 0.5, and two of
    three placebos are smaller, percentile 66.7.
    """
    pl = np.abs(np.asarray([p for p in placebo if np.isfinite(p)], dtype=float))
    r = abs(real)
    at_least = int((pl >= r).sum())
    k = len(pl)
    if k == 0:
        return 1, float("nan"), float("nan")
    return at_least + 1, (1 + at_least) / (1 + k), 100.0 * float((pl < r).sum()) / k


def statistic_of(res: ITSResult, statistic: str) -> float:
    """``level`` or ``slope`` change (log scale), or ``z_level`` (level change / its SE)."""
    if statistic == "level":
        return res.level.estimate
    if statistic == "slope":
        return res.slope.estimate
    if statistic == "z_level":
        return res.level.estimate / res.level.se if res.level.se > 0 else float("nan")
    raise PolicyError(f"statistic={statistic!r}; choose one of level, slope, z_level")


def admissible_years(years: Sequence[int], *, min_points: int = 3) -> list[int]:
    """Every year that leaves at least ``min_points`` observed years on each side."""
    ys = np.sort(np.unique(np.asarray(years, dtype=int)))
    return [int(c) for c in range(ys.min(), ys.max() + 1)
            if (ys < c).sum() >= min_points and (ys >= c).sum() >= min_points]


def placebo_in_time(
    years: Sequence[int],
    counts: Sequence[float],
    first_post: int,
    *,
    statistic: str = "level",
    pre_only: bool = False,
    exclude_within: int = 0,
    **fit: Any,
) -> PlaceboResult:
    """Refit the model at every admissible fake intervention year and rank the real estimate.

    ``pre_only`` restricts placebos to the pre-period data (fake years whose post side ends before
    the real change), which avoids contamination by the real break but leaves fewer placebos;
    ``exclude_within`` drops fake years within that many years of the real one. ``fit`` is passed
    to :func:`segmented_regression` (model, exposure, indicators, min_points, ...); a fake year
    whose fit is refused (too few points or degrees of freedom) is left out.
    """
    series = fit.pop("series", "series")
    real = segmented_regression(years, counts, first_post, series=series, **fit)
    ys = np.asarray(years, dtype=int)
    cs = np.asarray(counts, dtype=float)
    ex = fit.pop("exposure", None)
    ex = None if ex is None else np.asarray(ex, dtype=float)
    ind = {k: np.asarray(v, dtype=float) for k, v in (fit.pop("indicators", None) or {}).items()}
    keep = ys < first_post if pre_only else np.ones_like(ys, dtype=bool)
    obs = ys[keep & np.isfinite(cs)]
    rows = []
    for fake in admissible_years(obs, min_points=fit.get("min_points", 3)):
        if fake == first_post or abs(fake - first_post) <= exclude_within:
            continue
        try:
            r = segmented_regression(ys[keep], cs[keep], fake, series=f"{series} placebo {fake}",
                                     exposure=None if ex is None else ex[keep],
                                     indicators={k: v[keep] for k, v in ind.items()}, **fit)
            rows.append({"label": str(fake), "estimate": statistic_of(r, statistic)})
        except (PolicyError, np.linalg.LinAlgError, ValueError):
            continue
    frame = pd.DataFrame(rows, columns=["label", "estimate"])
    value = statistic_of(real, statistic)
    rank, p, pct = rank_among(value, frame["estimate"].to_numpy())
    return PlaceboResult("time", statistic, value, frame, rank, len(frame), p, pct)


def placebo_across_units(
    real: ITSResult,
    controls: Mapping[str, pd.DataFrame],
    *,
    statistic: str = "level",
    **fit: Any,
) -> PlaceboResult:
    """Fit the same model, at the real first post year, in units without the policy.

    ``controls`` maps a unit label to a frame with columns ``year``, ``count`` (and ``exposure``
    when the real fit used one). Units too short on either side are listed with their refusal and
    left out of the ranking.
    """
    rows = []
    for label, frame in controls.items():
        try:
            r = segmented_regression(frame["year"], frame["count"], real.intervention,
                                     model=real.model, alpha=real.alpha, series=str(label),
                                     exposure=frame["exposure"] if "exposure" in frame else None,
                                     **fit)
            rows.append({"label": str(label), "estimate": statistic_of(r, statistic), "status": "fitted"})
        except (PolicyError, np.linalg.LinAlgError, ValueError) as err:
            rows.append({"label": str(label), "estimate": float("nan"), "status": f"refused: {err}"})
    frame = pd.DataFrame(rows, columns=["label", "estimate", "status"])
    value = statistic_of(real, statistic)
    fitted = frame.loc[frame["status"] == "fitted", "estimate"].to_numpy()
    rank, p, pct = rank_among(value, fitted)
    return PlaceboResult("units", statistic, value, frame, rank, len(fitted), p, pct)
