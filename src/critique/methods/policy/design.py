"""The segmented-regression design matrix and the Newey-West lag rule shared by the fits.

With ``t = year - first_post_year`` the mean model is::

    g(E[y_t]) = b0 + b1 t + b2 post_t + b3 t post_t + sum_j c_j z_jt (+ log exposure_t)

``b2`` is the level change at the first post year and ``b3`` the slope change (Wagner et al. 2002;
Bernal, Cummins & Gasparrini 2017). The ``z_j`` are extra indicators that are part of the baseline,
not of the policy: a step for a recording break (1 from the break year on) or a single-year
indicator (1 in 2020 only, the Covid year).
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

#: columns of the design, in order; extra indicators follow
BASE_TERMS = ("intercept", "pre_trend", "level", "slope")


def design_matrix(years: np.ndarray, first_post: int,
                  extra: Mapping[str, Sequence[float]] | None = None) -> np.ndarray:
    """``n x (4 + len(extra))`` design: intercept, ``t``, ``post``, ``t * post``, then ``extra``."""
    t = np.asarray(years, dtype=float) - first_post
    post = (t >= 0).astype(float)
    cols = [np.ones_like(t), t, post, t * post]
    for name, values in (extra or {}).items():
        v = np.asarray(values, dtype=float)
        if v.shape != t.shape:
            raise ValueError(f"indicator {name!r} has {len(v)} values for {len(t)} years")
        cols.append(v)
    return np.column_stack(cols)


def step(years: Sequence[int], from_year: int) -> np.ndarray:
    """1 from ``from_year`` on, else 0: a level shift (a recording break)."""
    return (np.asarray(years, dtype=int) >= from_year).astype(float)


def single_year(years: Sequence[int], year: int) -> np.ndarray:
    """1 in ``year`` only (e.g. 2020, the first Covid year)."""
    return (np.asarray(years, dtype=int) == year).astype(float)


def newey_west_lags(n: int) -> int:
    """Default HAC truncation lag, ``floor(4 (n/100)^(2/9))`` (Newey & West 1994, *Rev Econ Stud*
    61(4):631-653), at least 1."""
    return max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))
