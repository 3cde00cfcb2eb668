"""Fitting many log-linear models, or many resampled tables, quickly: the shared numerical core
of model search (:mod:`critique.methods.mse.select`) and the bootstrap (:mod:`critique.methods.mse.bootstrap`).

- :class:`_Design`: one design matrix holding every candidate term's column, so every model's
  design is a column subset;
- :func:`irls_models`: IRLS for many models and one table at once (stacked normal equations), the
  same iteration as :func:`critique.methods.mse.fit.irls` (tests compare them);
- existence of each model's (extended) MLE: one Fienberg-Rinaldo LP per group of models that
  share their zero-margin terms, and, where a group's largest model has none, fits first and the
  exact LP only where a fit does not settle it (:func:`_settle_deferred`).
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import gammaln, xlogy

from critique.methods.mse.existence import check
from critique.methods.mse.fit import irls
from critique.methods.mse.model import Model, Term, closure
from critique.methods.mse.table import CaptureTable


class _Design:
    """Shared design columns: intercept, main effects, then every candidate interaction term."""

    def __init__(self, k: int, terms: list[Term]):
        self.k = k
        hist = ((np.arange(1, 2**k)[:, None] >> np.arange(k)[None, :]) & 1).astype(bool)
        self.hist = hist
        self.terms = list(terms)
        self.pos = {t: k + 1 + i for i, t in enumerate(self.terms)}
        cols = [np.ones(len(hist)), *hist.T.astype(float)]
        cols += [hist[:, list(t)].all(axis=1).astype(float) for t in self.terms]
        self.X = np.column_stack(cols)

    def columns(self, model: Model) -> list[int]:
        return list(range(self.k + 1)) + [self.pos[t] for t in model]


def _model_terms(models: list[Model]) -> list[Term]:
    return sorted({t for m in models for t in m}, key=lambda t: (len(t), t))


def _fit_light(D: _Design, y: np.ndarray, model: Model, empty: tuple, mu0):
    """Fit ``model`` (existence already settled): (dark, deviance, llf, p, mu_all, converged, df)."""
    cols = D.columns(tuple(t for t in model if t not in empty))
    keep = np.ones(len(y), dtype=bool)
    for t in empty:
        keep &= ~D.hist[:, list(t)].all(axis=1)
    M = D.X[np.ix_(keep, cols)]
    yk = y[keep]
    f = irls(M, yk, mu0=None if mu0 is None else mu0[keep], tol=1e-9)
    llf = float(np.sum(xlogy(yk, f.mu) - f.mu - gammaln(yk + 1)))
    p = len(cols) + len(empty)
    mu_all = np.zeros(len(y))
    mu_all[keep] = f.mu
    return (math.exp(f.beta[0]), f.deviance, llf, p, mu_all, f.converged,
            int(M.shape[0] - M.shape[1]))


def criterion_value(criterion: str, llf, p, n_observed, n_cells):
    """AIC, BIC (people observed) or BIC (cells) from log-likelihood(s) and parameter count(s)."""
    if criterion == "aic":
        return -2 * llf + 2 * p
    n = n_observed if criterion == "bic" else n_cells
    return -2 * llf + p * np.log(np.maximum(n, 1))


def _existence_map(table: CaptureTable, models: list[Model], empty_overlaps: str,
                   D: _Design, defer: bool = False) -> list[tuple[bool | None, tuple, str]]:
    """(ok, empty terms, reason) for every model, one LP per group where possible.

    Models sharing the same zero-margin terms form a group; when the group's largest model has a
    finite, identifiable MLE, all do. Otherwise, with ``defer=True`` their ``ok`` is left None for
    the caller to settle after fitting (:func:`search_all`); without it, by the monotone LP search
    below.
    """
    hist = D.hist
    margin = {t: int(table.counts[hist[:, list(t)].all(axis=1)].sum()) for t in D.terms}
    empties = [tuple(t for t in m if margin[t] == 0) for m in models]
    out: list = [None] * len(models)
    groups: dict[tuple, list[int]] = {}
    bad_reason: dict[frozenset, str] = {}
    for i, (m, e) in enumerate(zip(models, empties)):
        if e and empty_overlaps == "refuse":
            names = ", ".join(":".join(table.lists[j] for j in t) for t in e)
            out[i] = (False, e, f"no finite estimate: lists {names} never overlap")
        else:
            groups.setdefault(e, []).append(i)
    for e, idx in groups.items():
        top = closure({t for i in idx for t in models[i]})
        ex = check(table, top, empty_overlaps)
        if ex.ok or defer:
            for i in idx:
                out[i] = (True if ex.ok else None, e, "")
            continue
        # Within a group (same cells dropped) "has a finite, identifiable MLE" is monotone: a
        # sub-model of a model that has one has one too, and a super-model of one that has none
        # has none. Largest models first; an LP only where neither rule decides.
        good: list[frozenset] = []
        bad: list[frozenset] = []
        for i in sorted(idx, key=lambda i: -len(models[i])):
            terms = frozenset(models[i])
            if any(terms <= g for g in good):
                out[i] = (True, e, "")
                continue
            known_bad = next((b for b in bad if b <= terms), None)
            if known_bad is not None:
                out[i] = (False, e, bad_reason[known_bad])
                continue
            exi = check(table, models[i], empty_overlaps)
            out[i] = (exi.ok, e, exi.reason)
            if exi.ok:
                good.append(terms)
            else:
                bad.append(terms)
                bad_reason[terms] = exi.reason
    return out


def irls_models(X: np.ndarray, y: np.ndarray, w: np.ndarray, *, tol: float = 1e-9,
                maxit: int = 60):
    """IRLS for many models (designs ``X[m]``, all ``n x p``) and one count vector ``y`` at once.

    ``w[m]`` is 1 on the cells model ``m`` fits and 0 on cells it drops (histories under an
    interaction fixed at minus infinity). The same iteration as :func:`critique.methods.mse.fit.irls`,
    stacked: one batched solve of the ``p x p`` normal equations per iteration. Returns
    ``(beta, mu, deviance, converged)``, one row per model.
    """
    M = X.shape[0]
    mu = np.broadcast_to(y + 0.1, (M, len(y))).copy()
    eta = np.log(mu)
    Xt = X.transpose(0, 2, 1)
    dev_old = np.full(M, np.inf)
    converged = np.zeros(M, dtype=bool)
    beta = np.zeros((M, X.shape[2]))
    dev = dev_old
    yy = xlogy(y, y)
    # A model whose MLE does not exist runs off toward the boundary (nan or huge values): it is
    # left unconverged or flagged, and the exact LP decides it, so numpy's warnings are noise.
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        for _ in range(maxit):
            z = eta + (y - mu) / mu
            xtw = Xt * (w * mu)[:, None, :]
            try:
                beta = np.linalg.solve(xtw @ X, (xtw @ z[:, :, None]))[:, :, 0]
            except np.linalg.LinAlgError:
                beta = (np.linalg.pinv(xtw @ X) @ (xtw @ z[:, :, None]))[:, :, 0]
            eta = np.clip((X @ beta[:, :, None])[:, :, 0], -700, 700)
            mu = np.exp(eta)
            dev = 2.0 * np.sum(w * (yy - xlogy(y, mu) - (y - mu)), axis=1)
            converged = np.abs(dev - dev_old) / (np.abs(dev) + 0.1) < tol
            if converged.all():
                break
            dev_old = dev
    return beta, mu * w, dev, converged


MODEL_BATCH = 512  # models fitted together (memory: batch x cells x parameters)
BOUNDARY_MU = 1e-4  # a zero cell fitted below this (or no convergence): the exact LP decides


def _fit_chunk(args):
    """Fit the models of one task together, grouped by number of fitted columns: rows of
    (dark, deviance, llf, p, converged, df, suspect, full_rank). ``suspect``: not converged, or a
    zero cell fitted below ``BOUNDARY_MU``, as when the MLE does not exist (the fit then runs off
    toward the boundary, where a zero cell's fitted value goes to 0)."""
    k, terms, y, models, empties, deferred = args
    D = _Design(k, terms)
    lgam = float(gammaln(y + 1).sum())
    groups: dict[int, list] = {}
    for i, (m, e) in enumerate(zip(models, empties)):
        cols = D.columns(tuple(t for t in m if t not in e))
        w = np.ones(len(y))
        for t in e:
            w[D.hist[:, list(t)].all(axis=1)] = 0.0
        groups.setdefault(len(cols), []).append((i, cols, w, len(cols) + len(e)))
    rows: list = [None] * len(models)
    for items in groups.values():
        for start in range(0, len(items), MODEL_BATCH):
            part = items[start:start + MODEL_BATCH]
            X = np.stack([D.X[:, cols] * w[:, None] for _, cols, w, _ in part])
            W = np.stack([w for _, _, w, _ in part])
            beta, mu, dev, conv = irls_models(X, y, W)
            llf = np.sum(W * xlogy(y, np.where(W > 0, mu, 1.0)) - mu, axis=1) - lgam
            low = np.where((W > 0) & (y == 0), mu, np.inf).min(axis=1)
            need = [j for j, (i, *_) in enumerate(part) if deferred[i]]
            rank = np.full(len(part), X.shape[2])
            if need:  # identifiability is settled already for models of an existing group
                rank[need] = np.linalg.matrix_rank(X[need])
            for j, (i, cols, w, p) in enumerate(part):
                rows[i] = (math.exp(beta[j, 0]), float(dev[j]), float(llf[j]), p, bool(conv[j]),
                           int(w.sum() - len(cols)), bool(~conv[j] | (low[j] < BOUNDARY_MU)),
                           bool(rank[j] == len(cols)))
    return rows


def _settle_deferred(table, models, exist, rows, empty_overlaps) -> None:
    """Decide the models :func:`_existence_map` deferred, in place.

    A converged fit with every zero cell fitted above ``BOUNDARY_MU`` and a full-rank design has a
    finite MLE: were it not to exist, the likelihood would still be rising as some zero cell's
    fitted value fell toward 0, and the deviance would not have settled. Such models, and (by
    monotonicity within a group) their sub-models, exist; the others get the exact LP, largest
    first, and a super-model of one without an MLE has none.
    """
    groups: dict[tuple, list[int]] = {}
    for i, (ok, empty, _) in enumerate(exist):
        if ok is None:
            groups.setdefault(empty, []).append(i)
    for empty, idx in groups.items():
        good = [frozenset(models[i]) for i in idx if not rows[i][6] and rows[i][7]]
        bad: dict[frozenset, str] = {}
        for i in sorted(idx, key=lambda i: -len(models[i])):
            terms = frozenset(models[i])
            if any(terms <= g for g in good):
                exist[i] = (True, empty, "")
                continue
            known = next((b for b in bad if b <= terms), None)
            if known is not None:
                exist[i] = (False, empty, bad[known])
                continue
            ex = check(table, models[i], empty_overlaps)
            exist[i] = (ex.ok, empty, ex.reason)
            if ex.ok:
                good.append(terms)
            else:
                bad[terms] = ex.reason


