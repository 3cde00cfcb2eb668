"""Bootstrap confidence intervals for a population total: percentile, BCa, and when BCa fails.

BCa (Efron 1987, "Better bootstrap confidence intervals", JASA 82:171-185) reads the replicates at
levels shifted by the bias correction ``z0`` and the acceleration ``a``. The conventions are those
of ``bcaconfvalues`` in the R package MultipleSystemsEstimation: ``z0 = qnorm(mean(boot <
estimate))`` and quantiles of type 8 (numpy's ``median_unbiased``).

**Degenerate BCa** (:func:`bca_degenerate`, this suite's rule): an adjusted level below ``1/B`` or
above ``1 - 1/B`` (the end is the most extreme of ``B`` replicates or beyond what they resolve), or
``|z0| > 0.5`` (fewer than 31% or more than 69% of replicates below the estimate: a bias correction
far outside the small-``z0`` regime BCa's accuracy argument assumes, DiCiccio & Efron 1996,
Statistical Science 11:189). The caller then reports the percentile interval, with a warning.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

Z0_LIMIT = 0.5  # |z0| above this: BCa's bias correction is beyond its first-order theory
QUANTILE_METHOD = "median_unbiased"  # R's quantile type 8, as bcaconfvalues


def bias_correction(boot: np.ndarray, estimate: float) -> float:
    """``z0 = qnorm(share of replicates below the estimate)`` (Efron 1987; ``bcaconfvalues``),
    the share clipped to ``[1e-6, 1 - 1e-6]``."""
    boot = boot[np.isfinite(boot)]
    return float(stats.norm.ppf(np.clip(np.mean(boot < estimate), 1e-6, 1 - 1e-6)))


def bca_levels(boot: np.ndarray, estimate: float, acceleration: float,
               level: float = 0.95) -> tuple[float, float]:
    """The percentile levels the BCa method reads (Efron 1987) instead of the nominal ends."""
    z0 = bias_correction(boot, estimate)
    out = []
    for alpha in ((1 - level) / 2, (1 + level) / 2):
        za = stats.norm.ppf(alpha)
        out.append(float(stats.norm.cdf(z0 + (z0 + za) / (1 - acceleration * (z0 + za)))))
    return out[0], out[1]


def bca_interval(boot: np.ndarray, estimate: float, acceleration: float,
                 level: float = 0.95) -> tuple[float, float]:
    """BCa limits (Efron 1987): quantiles (type 8) at the levels of :func:`bca_levels`."""
    boot = boot[np.isfinite(boot)]
    low, high = bca_levels(boot, estimate, acceleration, level)
    lo, hi = np.quantile(boot, [low, high], method=QUANTILE_METHOD)
    return float(lo), float(hi)


def bca_degenerate(levels: tuple[float, float], z0: float, n: int) -> str:
    """Why BCa is degenerate ('' when it is not): an adjusted level outside ``[1/n, 1 - 1/n]``
    (the end is the most extreme replicate or beyond what ``n`` replicates resolve) or
    ``|z0| > Z0_LIMIT``. The rule is this suite's; see the module notes."""
    why = []
    edge = 1.0 / max(n, 1)
    if levels[0] < edge or levels[1] > 1 - edge:
        why.append(f"BCa reads the {n} replicates at levels {levels[0]:.2g} and {levels[1]:.3g}, "
                   f"outside what they resolve (1/{n}): an end is just the most extreme replicate")
    if abs(z0) > Z0_LIMIT:
        why.append(f"bias correction z0 = {z0:.2f}: only {stats.norm.cdf(z0):.0%} of replicates "
                   "fall below the estimate, beyond what BCa's correction is built for")
    return "; ".join(why)


def percentile_interval(boot: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Equal-tailed percentile interval of the finite replicates (type 8 quantiles)."""
    good = boot[np.isfinite(boot)]
    if not good.size:
        return (np.nan, np.nan)
    lo, hi = np.quantile(good, [(1 - level) / 2, (1 + level) / 2], method=QUANTILE_METHOD)
    return float(lo), float(hi)
