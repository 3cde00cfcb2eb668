"""Minimum detectable effects: how large a change a series of that length and noise could see.

``MDE = (z_{1-alpha/2} + z_{power}) * SE(level change)`` (Bloom 1995, "Minimum detectable effects",
*Evaluation Review* 19(5):547-556); with ``df`` residual degrees of freedom the multiplier uses
Student t quantiles on ``df`` instead (Bloom 1995 gives the t multiplier for small samples), so
that a fit whose interval uses t on 3 or 4 residual df is not given the normal MDE, which would be
about a third smaller than what its own test can detect.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from critique.methods.policy.design import design_matrix
from critique.methods.policy.refusals import PolicyError


def minimum_detectable_effect(se: float, *, alpha: float = 0.05, power: float = 0.8,
                              df: float | None = None) -> float:
    """``MDE = (q_{1-alpha/2} + q_{power}) * SE`` (Bloom 1995, *Evaluation Review* 19(5):547-556).

    The smallest true effect that a two-sided test at level ``alpha`` detects with probability
    ``power``, given the standard error of its estimator. ``q`` is the standard normal quantile
    when ``df`` is None, else Student t's on ``df`` degrees of freedom (the residual df of a fit
    whose interval uses t). Examples: SE 0.1, alpha 0.05, power 0.8: (1.959964 + 0.841621) * 0.1 =
    0.280159 on the log scale, a 32% change in the count; with df = 3, (3.182446 + 0.978472) * 0.1 =
    0.416092, a 52% change. Raises PolicyError for df not positive.
    """
    if se < 0 or not np.isfinite(se):
        raise PolicyError(f"minimum_detectable_effect: se={se} must be a finite non-negative number")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise PolicyError(f"minimum_detectable_effect: alpha={alpha}, power={power} must lie in (0, 1)")
    if df is None:
        return float((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se)
    if not np.isfinite(df) or df <= 0:
        raise PolicyError(f"minimum_detectable_effect: df={df} must be a positive number of residual degrees of freedom")
    return float((stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)) * se)


def design_mde(n_pre: int, n_post: int, sigma: float, *, alpha: float = 0.05,
               power: float = 0.8) -> float:
    """MDE of the level change for consecutive yearly points with independent noise ``sigma``.

    ``SE = sigma * sqrt([(X'X)^{-1}]_{level})`` for the segmented design; on log counts ``sigma`` is
    the residual SD of the log series. Example: 3 points a side, sigma 1: the pre line predicts
    year 0 from t = -3, -2, -1 with variance 1/3 + 2^2/2 = 2.333, the post intercept has
    1/3 + 1^2/2 = 0.833; SE = sqrt(3.1667) = 1.7795, MDE = 2.801585 * 1.7795 = 4.9855.
    Autocorrelated noise makes the true MDE larger.
    """
    if n_pre < 2 or n_post < 2:
        raise PolicyError(f"design_mde: n_pre={n_pre}, n_post={n_post}; need at least 2 a side")
    years = np.arange(-n_pre, n_post, dtype=float)
    X = design_matrix(years, 0)
    var = np.linalg.inv(X.T @ X)[2, 2]
    return minimum_detectable_effect(sigma * math.sqrt(var), alpha=alpha, power=power)
