"""Rates and their distributions for the misidentification scenarios: a Beta for one rate, a mixture
of Betas for studies kept apart, and the checks every rate passes (a number or array in [0, 1], or a
distribution whose mean lies there)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from scipy import stats

from critique.core.errors import ParameterError
from critique.core.i18n import _

SEX = "Sexual exploitation"


class MisidError(ParameterError):
    """A bad argument to a misidentification model: the message names it and what is allowed."""


@runtime_checkable
class Distribution(Protocol):
    """Anything with ``mean()`` and ``rvs(size=, random_state=)``: scipy frozen distributions,
    :class:`Beta`, :class:`BetaMixture`."""

    def mean(self) -> Any: ...

    def rvs(self, size: Any = ..., random_state: Any = ...) -> Any: ...


@dataclass(frozen=True)
class Beta:
    """Beta(a, b) for a rate in [0, 1]; mean a / (a + b).

    A Beta with a = k + a0 and b = n - k + b0 is the posterior of a binomial proportion k / n under a
    Beta(a0, b0) prior (Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 2.4).
    """

    a: float
    b: float
    label: str = ""

    def __post_init__(self) -> None:
        if not (self.a > 0 and self.b > 0 and math.isfinite(self.a) and math.isfinite(self.b)):
            raise MisidError(f"Beta{self.label and ' ' + repr(self.label)}: a and b must be positive "
                             f"and finite, got a={self.a}, b={self.b}")

    def mean(self) -> float:
        return self.a / (self.a + self.b)

    def var(self) -> float:
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1))

    def ppf(self, q: Any) -> Any:
        return stats.beta.ppf(q, self.a, self.b)

    def interval(self, level: float) -> tuple[float, float]:
        lo, hi = stats.beta.interval(level, self.a, self.b)
        return float(lo), float(hi)

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        rng = np.random.default_rng(random_state)
        return rng.beta(self.a, self.b, size=size)

    def frozen(self) -> Any:
        """The same distribution as a scipy frozen ``beta``."""
        return stats.beta(self.a, self.b)


@dataclass(frozen=True)
class BetaMixture:
    """An equal- (or given-) weight mixture of Betas: studies kept apart, uncertainty about which one
    applies carried into the draws (wider than pooling their counts)."""

    components: tuple[Beta, ...]
    weights: tuple[float, ...]
    label: str = ""

    def __post_init__(self) -> None:
        if not self.components or len(self.components) != len(self.weights):
            raise MisidError("BetaMixture: need one weight per component and at least one component")
        if any(w < 0 for w in self.weights) or not math.isclose(sum(self.weights), 1.0, abs_tol=1e-9):
            raise MisidError(f"BetaMixture: weights must be non-negative and sum to 1, got {self.weights}")

    def mean(self) -> float:
        return float(sum(w * c.mean() for w, c in zip(self.weights, self.components)))

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        rng = np.random.default_rng(random_state)
        n = 1 if size is None else int(np.prod(size))
        which = rng.choice(len(self.components), size=n, p=np.asarray(self.weights))
        a = np.array([c.a for c in self.components])[which]
        b = np.array([c.b for c in self.components])[which]
        out = rng.beta(a, b)
        return out[0] if size is None else out.reshape(size)


def _is_distribution(x: Any) -> bool:
    return hasattr(x, "rvs") and hasattr(x, "mean") and callable(x.rvs)


def _describe(x: Any) -> str:
    if isinstance(x, Beta):
        return _("Beta({a:g}, {b:g}) (mean {mean:.3f})", a=x.a, b=x.b, mean=x.mean())
    if isinstance(x, BetaMixture):
        parts = ", ".join(f"{w:.2f} x Beta({c.a:g}, {c.b:g})" for w, c in zip(x.weights, x.components))
        return _("mixture of {parts} (mean {mean:.3f})", parts=parts, mean=x.mean())
    if _is_distribution(x):
        args = getattr(x, "args", ())
        name = getattr(getattr(x, "dist", None), "name", type(x).__name__)
        return _("{name}{args} (mean {mean:.3f})", name=name, args=tuple(round(float(a), 4) for a in args),
                 mean=float(x.mean()))
    arr = np.asarray(x, dtype=float)
    return f"{float(arr):g}" if arr.ndim == 0 else _("array of {n} values", n=arr.size)


def _check_rate(name: str, x: Any) -> Any:
    """A fixed rate as float or array in [0, 1], or a distribution (its mean must lie in [0, 1])."""
    if _is_distribution(x):
        m = float(np.asarray(x.mean()))
        if not 0.0 <= m <= 1.0:
            raise MisidError(f"{name}: a distribution for a rate must lie in [0, 1]; its mean is {m}")
        return x
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise MisidError(f"{name}: expected a number, an array or a Beta distribution, "
                         f"got {type(x).__name__}") from exc
    if np.isnan(arr).any() or (arr < 0).any() or (arr > 1).any():
        bad = arr[np.isnan(arr) | (arr < 0) | (arr > 1)].ravel()[0]
        raise MisidError(f"{name}: a rate must lie in [0, 1], got {bad}")
    return float(arr) if arr.ndim == 0 else arr


# ----------------------------------------------------------------------------------------------


def _as_shares(shares: Mapping[str, float] | pd.Series, name: str = "shares") -> pd.Series:
    s = pd.Series(shares, dtype=float)
    if s.empty or s.isna().any() or (s < 0).any() or s.sum() <= 0:
        raise MisidError(f"{name}: need non-negative numbers with a positive total, got {dict(s)}")
    return s / s.sum()
