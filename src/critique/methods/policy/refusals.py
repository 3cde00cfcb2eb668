"""When a yearly series is refused a fit, and the one-line reason given instead of an estimate.

Two rules, each checked before any fitting:

- :func:`check_sides`: at least ``min_points`` observed years on each side of the first post year
  (a level and a slope need at least two points a side; three is the default).
- :func:`check_residual_df`: at least :data:`MIN_RESID_DF` residual degrees of freedom, counting
  every mean parameter (intercept, pre-trend, level change, slope change, any break or Covid
  indicator) and the negative-binomial dispersion. Below 3 the t reference distribution used for
  the intervals has no finite variance (Student's t with nu degrees of freedom has variance
  nu / (nu - 2), defined only for nu > 2), and the scale or dispersion that sets the interval
  width rests on one or two numbers. Example: negative binomial on the seven FBI years 2014-2020
  has 4 + 1 parameters and 2 residual df and is refused; quasi-Poisson on the same years has 3.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from critique.core.errors import ParameterError

MIN_RESID_DF = 3


class PolicyError(ParameterError):
    """A series that cannot honestly be fitted (too few points on a side or too few residual
    degrees of freedom), or a bad argument; the message says which and why."""


def _span(ys: np.ndarray) -> str:
    return "none" if len(ys) == 0 else ", ".join(str(int(v)) for v in ys)


def check_sides(years: Sequence[int], first_post: int, *, min_points: int = 3,
                series: str = "series") -> tuple[int, int]:
    """Points before and after ``first_post``; :class:`PolicyError` when either side is short.

    The message names the series, the intervention year and the years on each side, so a notebook
    can print it as the honest answer ("cannot be fitted") instead of a fragile estimate.
    """
    if min_points < 2:
        raise PolicyError(f"min_points={min_points}: a level and a slope need at least 2 points a side")
    ys = np.asarray(years, dtype=int)
    pre, post = ys[ys < first_post], ys[ys >= first_post]
    if len(pre) < min_points or len(post) < min_points:
        raise PolicyError(
            f"{series}: intervention {first_post} (first post year) leaves {len(pre)} point(s) before "
            f"({_span(pre)}) and {len(post)} after ({_span(post)}); at least {min_points} on each "
            "side are needed to fit a level and slope change")
    return len(pre), len(post)


def check_residual_df(n: int, n_params: int, *, model: str, min_resid_df: int = MIN_RESID_DF,
                      series: str = "series") -> int:
    """Residual degrees of freedom ``n - n_params``; :class:`PolicyError` below ``min_resid_df``.

    ``n_params`` counts every estimated parameter, the negative-binomial dispersion included.
    ``min_resid_df`` below 1 is itself refused (no residual is left to estimate any noise).
    """
    if min_resid_df < 1:
        raise PolicyError(f"min_resid_df={min_resid_df}: at least 1 residual degree of freedom is needed")
    df = int(n) - int(n_params)
    if df < min_resid_df:
        raise PolicyError(
            f"{series}: {model} with {n_params} parameters on {n} yearly points leaves {df} residual "
            f"degree(s) of freedom; at least {min_resid_df} are needed (with fewer, the interval's "
            "reference distribution has no finite variance and the noise level rests on "
            f"{max(df, 0)} number(s)), so no estimate is given")
    return df
