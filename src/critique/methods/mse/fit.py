"""Fit one Poisson log-linear model to a capture-history table and estimate the hidden population.

Model (Silverman 2020, JRSS-A 183(3):691-736, section 2): the count of observable history ``w`` is
Poisson with ``log mu_w = sum_{t subset of w} alpha_t``; the unobserved all-zero history has
expected count ``exp(alpha_0)`` (the intercept), so the dark figure is ``exp(alpha_0_hat)`` and the
estimated total is ``n_observed + exp(alpha_0_hat)``. With two lists and main effects this is the
Lincoln-Petersen estimate ``n1 n2 / m``.

Fitting is a lean iteratively reweighted least squares (IRLS, McCullagh & Nelder 1989, section 2.5)
on the design matrix, the same algorithm as R's ``glm`` and statsmodels' ``GLM.fit`` (tests check
it against statsmodels), written to be fast for the thousands of small fits model selection needs:
it can start from a neighbouring model's fitted values.

Before fitting, :func:`critique.methods.mse.existence.check` decides whether the MLE exists and is
identifiable; a model without a finite estimate is refused (``NoFiniteEstimate``) or, with
``on_failure="report"``, returned with ``status`` saying so and ``total = nan`` -- never as a huge
number.

Intervals: profile likelihood for the intercept (Cormack 1992, Biometrics 48:567, for log-linear
capture-recapture), a Wald interval on the log dark figure as SparseMSE reports it, and parametric
or non-parametric bootstrap (:func:`bootstrap_fixed`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import chdtri, gammaln, ndtri, xlogy

from critique.methods.mse.existence import Existence, check
from critique.methods.mse.model import Model, column_names, design, label, parse_model
from critique.methods.mse.table import CaptureTable, as_table

DARK_WARN_RATIO = 10.0  # warn when the dark figure exceeds 10x the people observed
TINY_MU = 1e-6


class NoFiniteEstimate(ValueError):
    """A model whose maximum-likelihood estimate is not finite or not identifiable on this table."""


@dataclass
class IRLSFit:
    """Raw output of :func:`irls`."""

    beta: np.ndarray
    mu: np.ndarray
    deviance: float
    iterations: int
    converged: bool
    xtwx: np.ndarray


def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """``2 sum(y log(y/mu) - (y - mu))``, with ``0 log 0 = 0``."""
    return float(2.0 * np.sum(xlogy(y, y) - xlogy(y, mu) - (y - mu)))


def irls(X: np.ndarray, y: np.ndarray, *, mu0: np.ndarray | None = None,
         offset: np.ndarray | float = 0.0, tol: float = 1e-10, maxit: int = 100) -> IRLSFit:
    """Poisson GLM with log link by IRLS; ``mu0`` is a warm start (default ``y + 0.1`` as R's glm).

    Converged when the relative deviance change is below ``tol`` (R: ``|dev - dev_old| / (|dev| +
    0.1) < epsilon``).
    """
    mu = (y + 0.1) if mu0 is None else np.maximum(mu0, 1e-8)
    eta = np.log(mu)
    dev_old = math.inf
    beta = np.zeros(X.shape[1])
    converged = False
    it = 0
    for it in range(1, maxit + 1):
        z = eta - offset + (y - mu) / mu
        xtw = X.T * mu
        xtwx = xtw @ X
        try:
            beta = np.linalg.solve(xtwx, xtw @ z)
        except np.linalg.LinAlgError:
            beta = np.linalg.lstsq(xtwx, xtw @ z, rcond=None)[0]
        eta = np.clip(X @ beta + offset, -700, 700)
        mu = np.exp(eta)
        dev = poisson_deviance(y, mu)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < tol:
            converged = True
            break
        dev_old = dev
    xtwx = (X.T * mu) @ X
    return IRLSFit(beta, mu, dev, it, converged, xtwx)


@dataclass
class MSEResult:
    """One model fitted to one table: the estimate, its uncertainty and diagnostics together."""

    table: str
    lists: tuple[str, ...]
    model: Model
    label: str
    status: str  # "ok" | "no finite estimate" | "not identifiable"
    n_observed: int
    dark: float = float("nan")
    total: float = float("nan")
    ci: dict = field(default_factory=dict)  # method -> (low, high) for the total
    level: float = 0.95
    deviance: float = float("nan")
    df: int = 0
    aic: float = float("nan")
    bic: float = float("nan")  # sample size = people observed (Rcapture, MultipleSystemsEstimation)
    bic_cells: float = float("nan")  # sample size = number of observable cells (2**k - 1)
    n_params: int = 0  # including interactions fixed at minus infinity
    coefficients: pd.Series | None = None
    fitted: np.ndarray | None = field(default=None, repr=False)  # all 2**k - 1 cells
    warnings: list = field(default_factory=list)
    empty_terms: tuple = ()
    existence: Existence | None = field(default=None, repr=False)
    converged: bool = True
    iterations: int = 0

    @property
    def ok(self) -> bool:
        """True when the estimate is finite and identifiable."""
        return self.status == "ok"

    def summary(self) -> pd.Series:
        """The headline numbers as a Series (nan where there is no finite estimate)."""
        out = {"model": self.label, "status": self.status, "n_observed": self.n_observed,
               "dark": self.dark, "total": self.total, "deviance": self.deviance, "df": self.df,
               "aic": self.aic, "bic": self.bic, "bic_cells": self.bic_cells,
               "n_params": self.n_params}
        for method, (lo, hi) in self.ci.items():
            out[f"{method}_low"], out[f"{method}_high"] = lo, hi
        out["warnings"] = "; ".join(self.warnings)
        return pd.Series(out)

    def __str__(self) -> str:
        if not self.ok:
            return f"{self.label}: {self.status} ({self.existence.reason if self.existence else ''})"
        cis = ", ".join(f"{m} {lo:,.0f}-{hi:,.0f}" for m, (lo, hi) in self.ci.items())
        return (f"{self.label}: total {self.total:,.0f} (observed {self.n_observed:,}, dark "
                f"{self.dark:,.0f}); {cis}; deviance {self.deviance:.2f} on {self.df} df")


def information(llf: float, p: int, n_observed: int, n_cells: int) -> dict[str, float]:
    """AIC and the two BIC conventions of a fit with log-likelihood ``llf`` and ``p`` parameters.

    ``p`` counts every parameter of the hierarchical model, including interactions fixed at minus
    infinity (as ``fit_hier_model`` of MultipleSystemsEstimation). ``bic`` takes the number of
    people observed as the sample size (the Rcapture convention, ``bicRcap=TRUE``, the package's
    default at every call site); ``bic_cells`` takes the number of observable cells ``2**k - 1``
    (the Poisson-regression view; statsmodels' ``bic_llf``).
    """
    return {"aic": -2 * llf + 2 * p,
            "bic": -2 * llf + p * math.log(max(n_observed, 1)),
            "bic_cells": -2 * llf + p * math.log(n_cells)}


def _information(table: CaptureTable, model: Model, ex: Existence, fit_: IRLSFit):
    y = table.counts[ex.keep].astype(float)
    llf = float(np.sum(xlogy(y, fit_.mu) - fit_.mu - gammaln(y + 1)))
    n_inf = int(len(model) + 1 + table.k - ex.columns.sum())  # terms fixed at minus infinity
    p = int(ex.columns.sum()) + n_inf
    return llf, p, information(llf, p, table.n_observed, len(table.counts))


def fit(table: CaptureTable, interactions=None, *, empty_overlaps: str = "refuse",
        ci: tuple[str, ...] = ("profile", "wald"), level: float = 0.95,
        on_failure: str = "raise", mu0: np.ndarray | None = None,
        X: np.ndarray | None = None) -> MSEResult:
    """Fit the hierarchical model ``interactions`` (see :func:`critique.methods.mse.model.parse_model`).

    Parameters
    ----------
    table: a :class:`CaptureTable`, or a frame of 0/1 list columns plus ``count``.
    interactions: None / "main" (independence), "pairs" (all pairwise), or terms like
        ``["LA:NG", ("PF", "GO")]``; closed hierarchically.
    empty_overlaps: "refuse" (a model with an interaction between lists that never overlap has no
        finite MLE) or "extended" (SparseMSE's extended MLE; the result carries a warning).
    ci: any of "profile", "wald" (bootstrap intervals: :func:`bootstrap_fixed`).
    on_failure: "raise" (:class:`NoFiniteEstimate`) or "report" (status set, estimates nan).
    mu0, X: warm start (fitted values on all cells) and a precomputed design (speed only).
    """
    table = as_table(table)
    model = interactions if _is_model(interactions) else parse_model(table, interactions)
    if on_failure not in ("raise", "report"):
        raise ValueError(f"on_failure={on_failure!r}; choose 'raise' or 'report'")
    if X is None:
        X = design(table.k, model)
    ex = check(table, model, empty_overlaps, X)
    name = label(model, table.lists)
    res = MSEResult(table.name, table.lists, model, name, "ok", table.n_observed,
                    level=level, empty_terms=ex.empty_terms, existence=ex)
    if not ex.ok:
        res.status = "no finite estimate" if not ex.exists else "not identifiable"
        res.warnings.append(ex.reason)
        if on_failure == "raise":
            where = f" on table '{table.name}'" if table.name else ""
            raise NoFiniteEstimate(f"model '{name}'{where}: {ex.reason}")
        return res
    return _finish(table, model, ex, X, res, ci, level, mu0)


def _is_model(x) -> bool:
    return isinstance(x, tuple) and all(isinstance(t, tuple) for t in x)


def _finish(table, model, ex, X, res, ci, level, mu0) -> MSEResult:
    M = X[np.ix_(ex.keep, ex.columns)]
    y = table.counts[ex.keep].astype(float)
    f = irls(M, y, mu0=None if mu0 is None else mu0[ex.keep])
    llf, p, crit = _information(table, model, ex, f)
    names = np.array(column_names(model, table.lists))
    coef = pd.Series(-np.inf, index=names)
    coef[names[ex.columns]] = f.beta
    fitted = np.zeros(len(table.counts))
    fitted[ex.keep] = f.mu
    res.coefficients, res.fitted = coef, fitted
    res.dark = float(math.exp(f.beta[0]))
    res.total = res.n_observed + res.dark
    res.deviance, res.df = f.deviance, int(M.shape[0] - M.shape[1])
    res.aic, res.bic, res.bic_cells, res.n_params = crit["aic"], crit["bic"], crit["bic_cells"], p
    res.converged, res.iterations = f.converged, f.iterations
    if not f.converged:
        res.warnings.append(f"IRLS did not converge in {f.iterations} iterations")
    if ex.empty_terms:
        names_e = ", ".join(":".join(table.lists[i] for i in t) for t in ex.empty_terms)
        res.warnings.append(f"extended MLE: interaction(s) {names_e} set to minus infinity "
                            "(lists never overlap); the estimate rests on that boundary value")
    if (f.mu < TINY_MU).any():
        res.warnings.append("some fitted cells are near zero: the estimate is close to the "
                            "boundary where it stops existing")
    if res.dark > DARK_WARN_RATIO * max(res.n_observed, 1):
        res.warnings.append(f"dark figure is {res.dark / res.n_observed:.0f} times the people "
                            "observed: the estimate is driven by the model, not the data")
    for method in ci:
        if method == "profile":
            res.ci["profile"] = profile_interval(M, y, f, res.n_observed, level, res.warnings)
        elif method == "wald":
            se = math.sqrt(max(np.linalg.pinv(f.xtwx)[0, 0], 0.0))
            zq = ndtri(0.5 + level / 2)
            res.ci["wald"] = (res.n_observed + math.exp(f.beta[0] - zq * se),
                              res.n_observed + math.exp(f.beta[0] + zq * se))
        else:
            raise ValueError(f"ci method {method!r}: choose 'profile' or 'wald' (bootstrap: "
                             "bootstrap_fixed)")
    return res


def profile_interval(M: np.ndarray, y: np.ndarray, f: IRLSFit, n_observed: int,
                     level: float = 0.95, warnings: list | None = None,
                     max_log_step: float = 25.0) -> tuple[float, float]:
    """Profile-likelihood interval for the total: the values of the intercept ``a`` whose profile
    deviance ``D(a) - D(a_hat)`` is at most the ``level`` quantile of chi-squared(1).

    The intercept is fixed through an offset and the other parameters refitted (IRLS, warm-started).
    An end that is never reached within ``exp(max_log_step)`` of the estimate is returned as 0
    (lower dark figure) or ``inf`` (upper) with a warning: the data do not bound it.
    """
    q = chdtri(1, 1 - level)  # chi-squared(1) quantile
    a_hat = f.beta[0]
    R = M[:, 1:]
    state = {"mu": f.mu}

    def g(a: float) -> float:
        if R.shape[1] == 0:
            mu = np.full_like(y, math.exp(a))
            return poisson_deviance(y, mu) - f.deviance - q
        r = irls(R, y, mu0=state["mu"], offset=a)
        state["mu"] = r.mu
        return r.deviance - f.deviance - q

    ends = []
    for direction in (-1.0, 1.0):
        state["mu"] = f.mu
        step, prev = 0.05, a_hat
        found = None
        while step <= max_log_step:
            a = a_hat + direction * step
            if g(a) > 0:
                from scipy.optimize import brentq

                found = brentq(g, min(prev, a), max(prev, a), xtol=1e-8)
                break
            prev, step = a, step * 2
        if found is None:
            if warnings is not None:
                warnings.append(f"profile likelihood: {'upper' if direction > 0 else 'lower'} "
                                "limit not reached; the data do not bound it")
            ends.append(math.inf if direction > 0 else 0.0)
        else:
            ends.append(math.exp(found))
    return (n_observed + ends[0], n_observed + ends[1])


def bootstrap_fixed(table: CaptureTable, interactions=None, *, n: int = 1000,
                    kind: str = "nonparametric", seed: int = 1, level: float = 0.95,
                    empty_overlaps: str = "refuse") -> dict:
    """Bootstrap interval for the total under one fixed model (no model selection).

    ``kind="parametric"``: every history's count redrawn as Poisson from the fitted values;
    ``"nonparametric"``: the observed people resampled (multinomial on the observed counts), as in
    Silverman, Chan & Vincent (2024), Statistics and Computing 34:44. Replicates in which the model
    has no finite estimate are counted, not replaced by a number. Returns ``{"low", "high",
    "estimates", "n_failed", "kind"}`` (percentile interval of the total).
    """
    table = as_table(table)
    base = fit(table, interactions, empty_overlaps=empty_overlaps, ci=())
    rng = np.random.default_rng(seed)
    X = design(table.k, base.model)
    if kind == "parametric":
        draws = rng.poisson(base.fitted, size=(n, len(table.counts)))
    elif kind == "nonparametric":
        draws = rng.multinomial(table.n_observed, table.counts / table.n_observed, size=n)
    else:
        raise ValueError(f"kind={kind!r}: choose 'parametric' or 'nonparametric'")
    est = np.full(n, np.nan)
    for b in range(n):
        r = fit(table.with_counts(draws[b]), base.model, empty_overlaps=empty_overlaps, ci=(),
                on_failure="report", mu0=base.fitted, X=X)
        if r.ok:
            est[b] = r.total
    good = est[np.isfinite(est)]
    alpha = (1 - level) / 2
    lo, hi = (np.quantile(good, [alpha, 1 - alpha]) if good.size else (np.nan, np.nan))
    return {"low": float(lo), "high": float(hi), "estimates": est,
            "n_failed": int(n - good.size), "kind": kind}
