"""Minimum detectable effects: how large a change a series of that length and noise could see.

``MDE = (z_{1-alpha/2} + z_{power}) * SE(level change)`` (Bloom 1995, "Minimum detectable effects",
*Evaluation Review* 19(5):547-556).
"""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from critique.policy.design import design_matrix
from critique.policy.refusals import PolicyError


def minimum_detectable_effect(se: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """``MDE = (z_{1-alpha/2} + z_{power}) * SE`` (Bloom 1995, *Evaluation Review* 19(5):547-556).

    The smallest true effect that a two-sided test at level ``alpha`` detects with probability
    ``power``, given the standard error of its estimator. Example: SE 0.1, alpha 0.05, power 0.8:
    (1.959964 + 0.841621) * 0.1 = 0.280159 on the log scale, a 32% change in the count.
    """
    if se < 0 or not np.isfinite(se):
        raise PolicyError(f"minimum_detectable_effect: se={se} must be a finite non-negative number")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise PolicyError(f"minimum_detectable_effect: alpha={alpha}, power={power} must lie in (0, 1)")
    return float((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se)


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
