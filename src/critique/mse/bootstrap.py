"""Bootstrap intervals that repeat the model selection inside every replicate.

Silverman, Chan & Vincent (2024), "Bootstrapping multiple systems estimates to account for model
selection", Statistics and Computing 34:44 (arXiv 2303.17856): an interval computed as if the
chosen model had been fixed in advance "provid[es] an over-optimistic impression of estimation
accuracy". Each replicate resamples the observed people (multinomial on the observed counts),
re-runs the selection, and keeps the chosen model's total. The bias-corrected and accelerated
(BCa) interval (Efron 1987, JASA 82:171) takes its acceleration from a delete-one jackknife over
people, as ``estimate_population`` of the R package MultipleSystemsEstimation does.

As in that package, exhaustive selection inside the bootstrap is restricted to the ``ntop`` models
best on the original data (all models for up to three lists, 20 for four, 100 for five or more);
the original-data estimate always comes from the full search. Replicates run in ``jobs`` processes;
all resampled tables are drawn in the parent from one seeded generator, so the result does not
depend on ``jobs``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln, xlogy

from critique.mse.existence import check
from critique.mse.select import (CRITERIA, Procedure, Selection, _Design, _existence_map,
                                 _fit_light, _model_terms, _pool, _stepwise_path, estimate)
from critique.mse.model import closure
from critique.mse.table import CaptureTable


def default_ntop(k: int) -> int | None:
    """Models kept for the bootstrap (MultipleSystemsEstimation defaults); None = all."""
    return None if k <= 3 else (20 if k == 4 else 100)


@dataclass
class BootstrapResult:
    """Bootstrap with model selection: the original estimate and the replicate totals."""

    estimate: float
    model: str
    estimates: np.ndarray = field(repr=False)
    models: pd.Series = field(repr=False)  # model chosen in each replicate
    level: float
    percentile: tuple[float, float]
    bca: tuple[float, float]
    acceleration: float
    bias_correction: float
    n_failed: int
    procedure: str
    seed: int
    warnings: list = field(default_factory=list)

    def summary(self) -> dict:
        """Key numbers (for findings)."""
        return {"estimate": self.estimate, "percentile_low": self.percentile[0],
                "percentile_high": self.percentile[1], "bca_low": self.bca[0],
                "bca_high": self.bca[1], "acceleration": self.acceleration,
                "n_replicates": int(len(self.estimates)), "n_failed": self.n_failed,
                "n_models_chosen": int(self.models.nunique())}


def _select_light(table_lists, k, y, plan):
    """Total and label of the chosen model on counts ``y`` (nan, reason when none exists)."""
    table = CaptureTable(table_lists, y.astype(np.int64))
    kind = plan["kind"]
    if kind == "stepwise":
        path, model, mu = _stepwise_path(table, plan["pthresh"], plan["empty_overlaps"])
        return path[-1]["total"], path[-1]["model"]
    D, models, mu0s, crit = plan["design"], plan["models"], plan["mu0"], plan["criterion"]
    exist = _existence_map(table, models, plan["empty_overlaps"], D)
    best, best_val = None, np.inf
    yf = y.astype(float)
    for i, (ok, empty, _) in enumerate(exist):
        if not ok:
            continue
        dark, dev, aic, bic, mu, conv, df = _fit_light(D, yf, models[i], empty, mu0s[i])
        val = aic if crit == "aic" else bic
        if val < best_val - 1e-9:
            best, best_val = (table.n_observed + dark, plan["labels"][i]), val
    return best if best else (np.nan, "no model with a finite estimate")


def _chunk(args):
    lists, k, draws, plan = args
    if plan["kind"] == "stepwise":
        return [_select_light(lists, k, d, plan) for d in draws]
    plan = dict(plan, design=_Design(k, plan["terms"]))
    if plan["empty_overlaps"] == "refuse":
        return _search_batch(lists, draws, plan)
    return [_select_light(lists, k, d, plan) for d in draws]


def irls_batch(X: np.ndarray, Y: np.ndarray, mu0: np.ndarray | None = None, *,
               tol: float = 1e-9, maxit: int = 60):
    """IRLS for one design ``X`` and many count vectors ``Y`` (rows) at once.

    The same iteration as :func:`critique.mse.fit.irls`, vectorised over replicates: one stacked
    solve of the ``p x p`` normal equations per iteration. Returns ``(beta, mu, deviance,
    converged)`` with one row per replicate.
    """
    B = Y.shape[0]
    mu = np.maximum(np.broadcast_to(Y + 0.1 if mu0 is None else mu0, Y.shape), 1e-8).copy()
    eta = np.log(mu)
    dev_old = np.full(B, np.inf)
    converged = np.zeros(B, dtype=bool)
    beta = np.zeros((B, X.shape[1]))
    dev = dev_old
    for _ in range(maxit):
        z = eta + (Y - mu) / mu
        xtw = X.T[None, :, :] * mu[:, None, :]
        try:
            beta = np.linalg.solve(xtw @ X, (xtw @ z[:, :, None]))[:, :, 0]
        except np.linalg.LinAlgError:
            beta = (np.linalg.pinv(xtw @ X) @ (xtw @ z[:, :, None]))[:, :, 0]
        eta = np.clip(beta @ X.T, -700, 700)
        mu = np.exp(eta)
        dev = 2.0 * np.sum(xlogy(Y, Y) - xlogy(Y, mu) - (Y - mu), axis=1)
        converged = np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < tol
        if converged.all():
            break
        dev_old = dev
    return beta, mu, dev, converged


def _exists_for_zeros(lists, plan, model, zeros: np.ndarray) -> bool:
    """Existence of ``model``'s MLE given which histories are zero.

    It depends on the zero pattern only: a positive table with the observed margins exists iff
    some direction ``d`` with ``M' d = 0`` is positive on every zero cell. So the LP is run once per
    (pattern, model) and cached; and when the largest model built from the candidates' non-empty
    terms exists, every candidate does (monotonicity, as in SparseMSE's ``checkallmodels``).
    """
    cache = plan.setdefault("_cache", {})
    key = zeros.tobytes()
    pattern = CaptureTable(lists, (~zeros).astype(np.int64))
    if ("top", key) not in cache:
        D = plan["design"]
        live = [t for t in D.terms if (~zeros & D.hist[:, list(t)].all(axis=1)).any()]
        cache[("top", key)] = check(pattern, closure(live), "refuse").ok
    if cache[("top", key)]:
        return True
    if (model, key) not in cache:
        cache[(model, key)] = check(pattern, model, "refuse").ok
    return cache[(model, key)]


BOUNDARY_MU = 1e-4  # a fitted zero cell below this sends the replicate to the exact LP check


def _search_batch(lists, draws, plan):
    """Exhaustive selection on many resampled tables at once (``empty_overlaps="refuse"``).

    Per model: replicates where one of its interactions has a zero margin have no finite estimate
    (Fienberg & Rinaldo 2012); the others are fitted together by :func:`irls_batch`. A fit that
    has not converged or has a zero cell fitted near zero (where a non-existent MLE drives it) is
    decided by the exact linear program of :func:`critique.mse.existence.check`.
    """
    D, models, mu0s, crit = plan["design"], plan["models"], plan["mu0"], plan["criterion"]
    Y = np.asarray(draws, dtype=float)
    B, n_cells = Y.shape
    lgam = gammaln(Y + 1).sum(axis=1)
    best_val = np.full(B, np.inf)
    best_tot = np.full(B, np.nan)
    best_lab = np.full(B, -1)
    for i, m in enumerate(models):
        cols = D.columns(m)
        X = D.X[:, cols]
        margins = Y @ X[:, D.k + 1:] if m else np.ones((B, 1))
        ok = (margins > 0).all(axis=1)
        if not ok.any():
            continue
        beta, mu, dev, conv = irls_batch(X, Y[ok], mu0s[i][None, :])
        llf = np.sum(xlogy(Y[ok], mu) - mu, axis=1) - lgam[ok]
        p = len(cols)
        val = -2 * llf + (2 * p if crit == "aic" else p * np.log(n_cells))
        suspect = ~conv | (np.where(Y[ok] == 0, mu, np.inf).min(axis=1) < BOUNDARY_MU)
        idx = np.flatnonzero(ok)
        for j in np.flatnonzero(suspect):
            if not _exists_for_zeros(lists, plan, m, Y[idx[j]] == 0):
                val[j] = np.inf
        better = val < best_val[idx] - 1e-9
        sel = idx[better]
        best_val[sel] = val[better]
        best_tot[sel] = Y[sel].sum(axis=1) + np.exp(beta[better, 0])
        best_lab[sel] = i
    return [(t, plan["labels"][l] if l >= 0 else "no model with a finite estimate")
            for t, l in zip(best_tot, best_lab)]


def _plan(table: CaptureTable, procedure: Procedure, sel: Selection, ntop: int | None):
    method = procedure.resolved(table.k)
    if method == "stepwise":
        return {"kind": "stepwise", "pthresh": procedure.pthresh,
                "empty_overlaps": procedure.empty_overlaps}
    if method not in CRITERIA:
        raise ValueError("bootstrap with selection needs method auto, bic, aic or stepwise; for a "
                         "fixed model use critique.mse.fit.bootstrap_fixed")
    ok = sel.models[sel.models["status"] == "ok"]
    ntop = default_ntop(table.k) if ntop is None else ntop
    ok = ok if ntop is None else ok.head(ntop)
    models = list(ok["_models"])
    terms = _model_terms(models)
    D = _Design(table.k, terms)
    exist = _existence_map(table, models, procedure.empty_overlaps, D)
    y = table.counts.astype(float)
    mu0 = [_fit_light(D, y, m, e, None)[4] for m, (_, e, _) in zip(models, exist)]
    return {"kind": "search", "criterion": method, "models": models, "terms": terms,
            "labels": list(ok["model"]), "mu0": mu0, "empty_overlaps": procedure.empty_overlaps}


def _run(table, draws, plan, jobs):
    chunks = [c for c in np.array_split(draws, max(1, jobs)) if len(c)]
    tasks = [(table.lists, table.k, c, plan) for c in chunks]
    if jobs > 1 and len(tasks) > 1:
        with _pool(len(tasks)) as pool:
            parts = list(pool.map(_chunk, tasks))
    else:
        parts = [_chunk(t) for t in tasks]
    out = [r for p in parts for r in p]
    return np.array([r[0] for r in out], dtype=float), [r[1] for r in out]


def bca_levels(boot: np.ndarray, estimate: float, acceleration: float,
               level: float = 0.95) -> tuple[float, float]:
    """The percentile levels the BCa method reads (Efron 1987) instead of the nominal ends."""
    boot = boot[np.isfinite(boot)]
    share = (np.sum(boot < estimate) + 0.5 * np.sum(boot == estimate)) / len(boot)
    z0 = stats.norm.ppf(np.clip(share, 1e-6, 1 - 1e-6))
    out = []
    for alpha in ((1 - level) / 2, (1 + level) / 2):
        za = stats.norm.ppf(alpha)
        out.append(float(stats.norm.cdf(z0 + (z0 + za) / (1 - acceleration * (z0 + za)))))
    return out[0], out[1]


def bca_interval(boot: np.ndarray, estimate: float, acceleration: float,
                 level: float = 0.95) -> tuple[float, float]:
    """BCa limits (Efron 1987): percentiles shifted by the bias correction ``z0`` (share of
    replicates below the estimate) and the acceleration."""
    boot = boot[np.isfinite(boot)]
    low, high = bca_levels(boot, estimate, acceleration, level)
    return float(np.quantile(boot, low)), float(np.quantile(boot, high))


def bootstrap(table: CaptureTable, procedure: Procedure = Procedure(), *, n: int = 1000,
              seed: int = 1, jobs: int = 2, ntop: int | None = None,
              level: float = 0.95, selection: Selection | None = None) -> BootstrapResult:
    """Non-parametric bootstrap of the total with ``procedure``'s model selection in every replicate.

    Returns percentile and BCa intervals; replicates without any finite estimate are counted in
    ``n_failed`` and left out (never replaced by a number).
    """
    if n < 1:
        raise ValueError(f"bootstrap: n={n}; need at least one replicate")
    sel = selection or estimate(table, procedure, jobs=jobs, ci=())
    plan = _plan(table, procedure, sel, ntop)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(table.n_observed, table.counts / table.n_observed, size=n)
    totals, labels = _run(table, draws, plan, jobs)
    # Delete-one jackknife over people: one run per non-empty history, weighted by its count.
    cells = np.flatnonzero(table.counts > 0)
    jdraws = np.repeat(table.counts[None, :], len(cells), axis=0)
    jdraws[np.arange(len(cells)), cells] -= 1
    jtot, _ = _run(table, jdraws, plan, jobs if len(cells) > 8 else 1)
    w = table.counts[cells].astype(float)
    accel = 0.0
    if np.isfinite(jtot).all():
        d = np.sum(w * jtot) / w.sum() - jtot
        denom = np.sum(w * d**2)
        accel = float(np.sum(w * d**3) / (6 * denom**1.5)) if denom > 0 else 0.0
    good = totals[np.isfinite(totals)]
    alpha = (1 - level) / 2
    pct = tuple(float(v) for v in np.quantile(good, [alpha, 1 - alpha])) if good.size else (
        np.nan, np.nan)
    est = sel.best.total
    bca = bca_interval(good, est, accel, level) if good.size else (np.nan, np.nan)
    share = np.mean(good < est) if good.size else np.nan
    warn = []
    if good.size:
        lo_lv, hi_lv = bca_levels(good, est, accel, level)
        edge = 1.0 / good.size
        if lo_lv < edge or hi_lv > 1 - edge:
            warn.append(f"BCa reads the bootstrap distribution at levels {lo_lv:.2g} and "
                        f"{hi_lv:.3g}: an end sits at the most extreme replicate, so it is unstable "
                        "(strong bias correction or acceleration); compare the percentile interval")
    if n - good.size:
        warn.append(f"{n - good.size} of {n} replicates had no model with a finite estimate")
    return BootstrapResult(est, sel.best.label, totals, pd.Series(labels), level, pct, bca, accel,
                           float(stats.norm.ppf(np.clip(share, 1e-6, 1 - 1e-6))),
                           int(n - good.size), procedure.describe(table.k), seed, warn)
