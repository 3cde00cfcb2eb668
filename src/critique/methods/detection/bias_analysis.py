"""Probabilistic bias analysis: the true sexual-exploitation share when the relative detection rate
is drawn from a stated prior rather than fixed.

Method: probabilistic (Monte Carlo) bias analysis in the sense of Lash, Fox & Fink, *Applying
Quantitative Bias Analysis to Epidemiologic Data* (Springer, 2009; 2nd ed. 2021), ch. 8: the bias
parameter (here the relative detection rate ``r``) is drawn from a distribution that states what is
believed about it, the bias model is applied to each draw, and the distribution of the corrected
quantity is reported. The bias model is ``critique.methods.detection``'s reweighting:
``pi = (s / r) / (s / r + 1 - s)``. The detected shares are taken as exact (no sampling error: the
counts are tens of thousands), so every bit of the spread comes from the prior on ``r``; the result
says what the prior implies, not what the data show.

Because ``pi`` falls as ``r`` rises, each quantile of ``pi`` is ``pi`` at the opposite quantile of
``r`` and ``P(pi > 1/2) = P(r < r*)`` with ``r*`` the break-even ratio: both are checked in tests.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from critique.methods.detection.shares import SE, DetectionError, _as_share_frame
from critique.core.i18n import _

PRIOR_KINDS = ("lognormal", "loguniform")


@dataclass(frozen=True)
class RatioPrior:
    """A stated prior for the relative detection rate: ``kind``, the interval it was built from, and
    the scipy frozen distribution (``dist``) that draws are taken from."""

    kind: str
    low: float
    high: float
    level: float
    dist: Any

    def describe(self) -> str:
        if self.kind == "lognormal":
            return _("log-normal prior on r: median {median:.2f}, {level:.0%} of its mass between {low:g} and {high:g}",
                     median=math.sqrt(self.low * self.high), level=self.level, low=self.low, high=self.high)
        return _("log-uniform prior on r between {low:g} and {high:g}", low=self.low, high=self.high)


def ratio_prior(kind: str = "lognormal", low: float = 1.0, high: float = 8.0, *,
                level: float = 0.9) -> RatioPrior:
    """A prior for ``r`` from a plain statement about it.

    - ``"lognormal"``: ``log r`` normal with median ``sqrt(low * high)`` and a central ``level``
      interval ``[low, high]`` (so ``sigma = ln(high / low) / (2 z)`` with ``z`` the normal
      quantile at ``(1 + level) / 2``); some mass lies outside the interval, below 1 included.
    - ``"loguniform"``: every order of magnitude in ``[low, high]`` equally likely, nothing outside
      (``level`` is not used).

    Raises :class:`DetectionError` naming the argument when ``low``/``high``/``level`` are invalid.
    """
    if kind not in PRIOR_KINDS:
        raise DetectionError(f"ratio_prior: kind must be one of {PRIOR_KINDS}, got {kind!r}")
    lo, hi = float(low), float(high)
    if not (lo > 0 and hi > lo and math.isfinite(hi)):
        raise DetectionError(f"ratio_prior: need 0 < low < high, got low={low}, high={high}")
    if not 0 < level < 1:
        raise DetectionError(f"ratio_prior: level must lie strictly between 0 and 1, got {level}")
    if kind == "lognormal":
        z = stats.norm.ppf((1 + level) / 2)
        sigma = math.log(hi / lo) / (2 * z)
        dist = stats.lognorm(s=sigma, scale=math.sqrt(lo * hi))
    else:
        dist = stats.loguniform(lo, hi)
    return RatioPrior(kind, lo, hi, float(level), dist)


@dataclass(frozen=True)
class BiasAnalysis:
    """Result of :func:`bias_analysis`.

    ``summary``: one row per split (index as the input shares) with ``detected`` (SE share, fraction),
    ``median``, ``low``, ``high`` (central ``level`` interval), ``mean`` of the true SE share, and
    ``p_majority`` (share of draws in which SE is more than half of all victims).
    ``ratio_quantiles``: the drawn ``r`` at low / median / high. ``draws``: the true-share draws
    (draws x splits) when kept.
    """

    summary: pd.DataFrame
    prior: RatioPrior
    n_draws: int
    seed: int | None
    level: float
    ratio_quantiles: tuple[float, float, float]
    draws: np.ndarray | None
    assumptions: str


def bias_analysis(
    shares: Mapping[str, float] | pd.Series | pd.DataFrame,
    prior: RatioPrior,
    *,
    n_draws: int = 200_000,
    seed: int | None = 0,
    level: float = 0.9,
    se: str = SE,
    keep_draws: bool = False,
) -> BiasAnalysis:
    """Distribution of the true SE share when ``r`` is drawn from ``prior`` (module docstring).

    ``shares``: detected shares as for ``reweight_shares`` (a mapping/Series for one split or a
    DataFrame of splits x forms; each row normalised). One set of ``r`` draws is shared by every
    split (the same belief about detection applied to each). ``seed`` seeds
    ``np.random.default_rng``.
    """
    frame = _as_share_frame(shares, se)
    if int(n_draws) < 100:
        raise DetectionError(f"bias_analysis: n_draws must be at least 100, got {n_draws}")
    if not 0 < level < 1:
        raise DetectionError(f"bias_analysis: level must lie strictly between 0 and 1, got {level}")
    rng = np.random.default_rng(seed)
    r = np.asarray(prior.dist.rvs(size=int(n_draws), random_state=rng), dtype=float)
    s = frame[se].to_numpy()  # (splits,)
    w = s[None, :] / r[:, None]
    pi = w / (w + (1 - s)[None, :])  # (draws, splits)
    a = (1 - level) / 2
    q = np.quantile(pi, [a, 0.5, 1 - a], axis=0)
    index = frame.index if isinstance(shares, pd.DataFrame) else pd.Index([0], name="split")
    summary = pd.DataFrame({"detected": s, "median": q[1], "low": q[0], "high": q[2],
                            "mean": pi.mean(axis=0), "p_majority": (pi > 0.5).mean(axis=0)},
                           index=index)
    rq = np.quantile(r, [a, 0.5, 1 - a])
    text = _("Probabilistic bias analysis: {prior}; {draws:,} draws (seed {seed}), one draw of r applied to every "
             "split; detected shares taken as exact. The spread is the prior's, not the data's: a different prior "
             "gives a different answer.", prior=prior.describe(), draws=int(n_draws), seed=seed)
    return BiasAnalysis(summary, prior, int(n_draws), seed, float(level),
                        (float(rq[0]), float(rq[1]), float(rq[2])), pi if keep_draws else None, text)
