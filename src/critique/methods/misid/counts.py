"""Count adjustment: what a count of "victims identified" would be without the people raids mislabel
(a scenario), as a Monte Carlo interval for one set of assumptions (:func:`adjust_counts`) and as a
sweep over the assumptions themselves (:func:`raid_sweep`)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from critique.methods.misid.distributions import MisidError, _check_rate, _describe, _is_distribution
from critique.core.i18n import _

@dataclass(frozen=True)
class AdjustedCount:
    """Result of :func:`adjust_counts` (statsmodels-style: estimate, uncertainty and assumptions).

    ``point`` uses the mean of every rate; because the model is linear in each rate and the rates are
    drawn independently, it equals the analytic mean of ``remaining``. ``low``/``high`` are Monte Carlo
    quantiles at ``level``; ``mc_mean`` and ``mc_se`` the Monte Carlo mean and its standard error.
    Arrays have the broadcast shape of ``identified`` and the fixed rates.
    """

    identified: Any
    point: Any
    low: Any
    high: Any
    level: float
    mc_mean: Any
    mc_se: Any
    n_draws: int
    seed: int | None
    draws_summary: dict[str, Any]
    assumptions: str
    factor_draws: np.ndarray | None = field(default=None, repr=False)

    @property
    def removed(self) -> Any:
        """Identified minus remaining at the point value: the people the scenario treats as misidentified."""
        return np.asarray(self.identified, dtype=float) - np.asarray(self.point, dtype=float)

    def to_frame(self, index: Any = None) -> pd.DataFrame:
        """One row per element: identified, point, low, high (and removed)."""
        cols = {k: np.atleast_1d(np.asarray(getattr(self, k), dtype=float))
                for k in ("identified", "point", "low", "high")}
        n = max(v.size for v in cols.values())
        frame = pd.DataFrame({k: np.broadcast_to(v, (n,)) for k, v in cols.items()}, index=index)
        frame["removed"] = frame["identified"] - frame["point"]
        return frame


def misidentified_fraction(raid_share: Any, false_positive_rate: Any,
                          other_false_positive_rate: Any = 0.0) -> Any:
    """Fraction of identified people who are misidentified: ``raid_share*fpr + (1-raid_share)*other``.

    Fixed numbers or arrays only (means of distributions are taken by :func:`adjust_counts`).
    """
    rs = _check_rate("raid_share", raid_share)
    f = _check_rate("false_positive_rate", false_positive_rate)
    o = _check_rate("other_false_positive_rate", other_false_positive_rate)
    for name, x in (("raid_share", rs), ("false_positive_rate", f), ("other_false_positive_rate", o)):
        if _is_distribution(x):
            raise MisidError(f"misidentified_fraction: {name} must be a number or array here; "
                             "use adjust_counts for distributions")
    return rs * f + (1 - rs) * o


def adjust_counts(
    identified: Any,
    raid_share: Any,
    false_positive_rate: Any,
    other_false_positive_rate: Any = 0.0,
    *,
    n_draws: int = 1_000_000,
    seed: int | None = 0,
    level: float = 0.9,
    keep_draws: bool = False,
) -> AdjustedCount:
    """The count that remains when misidentified people are taken out (a scenario, not an estimate).

    ``remaining = identified * (1 - raid_share*fpr - (1 - raid_share)*other_fpr)``
    (literature.md 8c: a false-positive share phi leaves (1 - phi) n true detections).

    Parameters
    ----------
    identified: count(s) of people identified as victims (number or array, >= 0).
    raid_share: share of identifications that come from raids, in [0, 1].
    false_positive_rate: fraction of raid identifications who are not trafficking victims.
    other_false_positive_rate: the same fraction outside raids (default 0: all other
        identifications taken at face value, which is generous to the published figure).
        Each rate is a number, an array (broadcast with ``identified``: e.g. one value per year) or a
        distribution (:class:`Beta`, :class:`BetaMixture`, a scipy frozen ``beta``), drawn
        independently. A distribution is one uncertain rate shared by every element of
        ``identified`` (the elements' intervals are therefore perfectly correlated).
    n_draws, seed: Monte Carlo size and ``np.random.default_rng`` seed (vectorised: a million draws
        take a few tens of milliseconds; ``benchmarks/bench_misid.py``).
    level: central interval probability, in (0, 1).
    keep_draws: keep the draws of the remaining fraction (``factor_draws``) for diagnostics.
    """
    ident = np.asarray(identified, dtype=float)
    if np.isnan(ident).any() or (ident < 0).any():
        raise MisidError(f"adjust_counts: identified must be non-negative numbers, got {identified!r}")
    if not 0 < level < 1:
        raise MisidError(f"adjust_counts: level must lie strictly between 0 and 1, got {level}")
    if int(n_draws) < 2:
        raise MisidError(f"adjust_counts: n_draws must be at least 2, got {n_draws}")
    n_draws = int(n_draws)
    rates = {"raid_share": _check_rate("raid_share", raid_share),
             "false_positive_rate": _check_rate("false_positive_rate", false_positive_rate),
             "other_false_positive_rate": _check_rate("other_false_positive_rate",
                                                      other_false_positive_rate)}
    means = {k: (float(np.asarray(v.mean())) if _is_distribution(v) else v) for k, v in rates.items()}
    rs_m, f_m, o_m = means["raid_share"], means["false_positive_rate"], means["other_false_positive_rate"]
    factor_point = 1.0 - rs_m * f_m - (1.0 - rs_m) * o_m
    point = ident * factor_point

    rng = np.random.default_rng(seed)
    drawn = {}
    for k, v in rates.items():
        if _is_distribution(v):
            d = np.asarray(v.rvs(size=n_draws, random_state=rng), dtype=float)
            drawn[k] = d.reshape((n_draws,) + (1,) * max(np.ndim(factor_point), 0))
        else:
            drawn[k] = np.asarray(v, dtype=float)
    rs, f, o = drawn["raid_share"], drawn["false_positive_rate"], drawn["other_false_positive_rate"]
    # Draws of the remaining fraction; `identified` (>= 0) multiplies afterwards, so quantiles scale.
    factor = 1.0 - rs * f - (1.0 - rs) * o
    if not any(_is_distribution(v) for v in rates.values()):  # fixed rates: every draw is the same
        factor = np.asarray(factor, dtype=float)[np.newaxis, ...]
    alpha = (1.0 - level) / 2.0
    probs = [alpha, 1.0 - alpha, 0.025, 0.05, 0.5, 0.95, 0.975]
    qs = np.quantile(factor, probs, axis=0)  # one partial sort for every quantile
    q_lo, q_hi = qs[0], qs[1]
    f_mean = factor.mean(axis=0)
    f_sd = factor.std(axis=0, ddof=1) if factor.shape[0] > 1 else np.zeros_like(f_mean)
    summary = {
        "remaining_fraction_mean": f_mean,
        "remaining_fraction_sd": f_sd,
        "remaining_fraction_quantiles": dict(zip(("0.025", "0.05", "0.5", "0.95", "0.975"), qs[2:])),
    }
    assumptions = _(
        "Scenario, not a measurement. remaining = identified x (1 - raid_share x fpr - (1 - raid_share) x other_fpr) "
        "with raid_share = {raid_share}, fpr = {fpr}, other_fpr = {other_fpr}; rates drawn independently, "
        "{n_draws:,} draws, seed {seed}, {level:.0%} central interval. Assumes misidentified people are counted once "
        "and that no genuine victim is missed by the count (it removes false positives only; it adds no undetected "
        "victims).", raid_share=_describe(raid_share), fpr=_describe(false_positive_rate),
        other_fpr=_describe(other_false_positive_rate), n_draws=n_draws, seed=seed, level=level)
    return AdjustedCount(
        identified=identified if np.ndim(identified) else float(ident),
        point=_squeeze(point), low=_squeeze(ident * q_lo), high=_squeeze(ident * q_hi), level=level,
        mc_mean=_squeeze(ident * f_mean), mc_se=_squeeze(ident * f_sd / math.sqrt(factor.shape[0])),
        n_draws=n_draws, seed=seed, draws_summary=summary, assumptions=assumptions,
        factor_draws=np.array(factor) if keep_draws else None,
    )


def _squeeze(x: Any) -> Any:
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


# ----------------------------------------------------------------------------------------------
# the sweep over the assumptions

BASE_ALL = "all identified"
BASE_LABOUR_AT_FACE_VALUE = "labour victims at face value"


def remaining_fraction(raid_share: Any, false_positive_rate: Any,
                       other_false_positive_rate: Any = 0.0, labour_share: Any = 0.0) -> Any:
    """Closed form of the fraction of identified people who remain (literature.md 8c [D])::

        remaining / identified = l + (1 - l) * (1 - raid_share*fpr - (1 - raid_share)*other_fpr)

    ``labour_share`` ``l`` is the share of identified victims recorded as labour-trafficking victims
    and taken at face value (raids of the sex sector cannot have mislabelled them); ``l = 0`` puts
    every identified person, labour victims included, in the base the raid rates apply to (the
    notebook's original convention). With ``l > 0``, ``raid_share`` is the share of the *other*
    identifications that come from raids. Numbers or broadcastable arrays, each in [0, 1].
    """
    rs = _check_rate("raid_share", raid_share)
    f = _check_rate("false_positive_rate", false_positive_rate)
    o = _check_rate("other_false_positive_rate", other_false_positive_rate)
    ls = _check_rate("labour_share", labour_share)
    for name, x in (("raid_share", rs), ("false_positive_rate", f),
                    ("other_false_positive_rate", o), ("labour_share", ls)):
        if _is_distribution(x):
            raise MisidError(f"remaining_fraction: {name} must be a number or array; "
                             "use adjust_counts for distributions")
    return ls + (1 - ls) * (1 - rs * f - (1 - rs) * o)


@dataclass(frozen=True)
class RaidSweep:
    """Result of :func:`raid_sweep`: the remaining count over every combination of assumptions.

    ``grid`` has one row per (base, raid_share, false_positive_rate) with columns ``base``,
    ``raid_share``, ``false_positive_rate``, ``labour_share``, ``remaining_fraction`` and
    ``remaining``; ``identified`` and ``labour_identified`` are the inputs.
    """

    identified: float
    labour_identified: float | None
    other_false_positive_rate: float
    grid: pd.DataFrame
    assumptions: str

    def extremes(self) -> pd.DataFrame:
        """Per base: the smallest and largest remaining count on the grid and where they fall."""
        rows = []
        for base, g in self.grid.groupby("base", sort=False):
            lo, hi = g.loc[g["remaining"].idxmin()], g.loc[g["remaining"].idxmax()]
            rows.append({"base": base, "min": float(lo["remaining"]),
                         "min_raid_share": float(lo["raid_share"]),
                         "min_false_positive_rate": float(lo["false_positive_rate"]),
                         "max": float(hi["remaining"]), "max_raid_share": float(hi["raid_share"]),
                         "max_false_positive_rate": float(hi["false_positive_rate"])})
        return pd.DataFrame(rows).set_index("base")


def raid_sweep(
    identified: float,
    false_positive_rates: Any,
    raid_shares: Any,
    *,
    labour_identified: float | None = None,
    other_false_positive_rate: float = 0.0,
) -> RaidSweep:
    """The count that would remain over a grid of assumptions, not one scenario with an interval.

    Every (raid share, false-positive rate) pair on the grid, for one or two bases: ``"all
    identified"`` (the raid rates apply to every identified person, labour victims included) and,
    when ``labour_identified`` is given, ``"labour victims at face value"`` (the rates apply only to
    the identifications not recorded as labour trafficking). Each cell is the closed form
    :func:`remaining_fraction` times ``identified``; no sampling is involved, so the spread of the
    grid shows how much the assumptions decide. An interval from :func:`adjust_counts` (the
    binomial error of the studies behind one false-positive rate) can be drawn inside it.

    Parameters
    ----------
    identified: one count of people identified as victims (>= 0), e.g. a TIP data year.
    false_positive_rates, raid_shares: 1-d grids of rates in [0, 1] (any order, no duplicates).
    labour_identified: of ``identified``, those recorded as labour-trafficking victims (0 <= it
        <= identified), or None for the first base only.
    other_false_positive_rate: misidentified fraction outside raids (a number in [0, 1]).

    Raises :class:`MisidError` naming the argument when a grid is empty, not 1-d, has duplicates or
    a value outside [0, 1], or a count is negative or inconsistent.
    """
    ident = float(identified)
    if not math.isfinite(ident) or ident < 0:
        raise MisidError(f"raid_sweep: identified must be a non-negative number, got {identified!r}")
    grids = {}
    for name, g in (("false_positive_rates", false_positive_rates), ("raid_shares", raid_shares)):
        arr = np.asarray(g, dtype=float)
        if arr.ndim != 1 or arr.size == 0:
            raise MisidError(f"raid_sweep: {name} must be a non-empty 1-d grid, got shape {arr.shape}")
        if np.unique(arr).size != arr.size:
            raise MisidError(f"raid_sweep: {name} has duplicate values {arr.tolist()}")
        _check_rate(name, arr)
        grids[name] = arr
    o = float(_check_rate("other_false_positive_rate", other_false_positive_rate))
    bases = {BASE_ALL: 0.0}
    if labour_identified is not None:
        lab = float(labour_identified)
        if not math.isfinite(lab) or not 0 <= lab <= ident or ident == 0:
            raise MisidError(f"raid_sweep: labour_identified must lie between 0 and identified "
                             f"({ident:g}), got {labour_identified!r}")
        bases[BASE_LABOUR_AT_FACE_VALUE] = lab / ident
    f, rs = np.meshgrid(grids["false_positive_rates"], grids["raid_shares"], indexing="ij")
    parts = []
    for base, ls in bases.items():
        frac = remaining_fraction(rs.ravel(), f.ravel(), o, ls)
        parts.append(pd.DataFrame({"base": base, "raid_share": rs.ravel(),
                                   "false_positive_rate": f.ravel(), "labour_share": ls,
                                   "remaining_fraction": frac, "remaining": ident * frac}))
    text = _("Sweep, not an estimate: remaining = identified x (l + (1 - l) x (1 - raid_share x fpr - (1 - raid_share) "
             "x other_fpr)) for every grid cell; other_fpr = {other:g}; l = 0 when labour victims are in the base, "
             "l = labour share when they are taken at face value.", other=o)
    return RaidSweep(ident, None if labour_identified is None else float(labour_identified), o,
                     pd.concat(parts, ignore_index=True), text)
