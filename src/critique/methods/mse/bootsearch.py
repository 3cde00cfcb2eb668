"""The batched bootstrap search: every candidate model fitted on many resampled tables at once.

The numerical core of :func:`critique.methods.mse.bootstrap.bootstrap` for search procedures (BIC, AIC,
averaging): ``replicates x models`` matrices of criterion values and totals, like ``bootbic`` and
``bootabund`` of ``bootstrapcal`` in the R package MultipleSystemsEstimation, with the exact
Fienberg-Rinaldo linear program only where a fit does not settle existence. The one-replicate
path (:func:`critique.methods.mse.bootstrap._select_light`) is the reference the tests hold it to.
"""
from __future__ import annotations

import numpy as np
from scipy.special import gammaln, xlogy

from critique.methods.mse.average import weights as bic_weights
from critique.methods.mse.batchfit import BOUNDARY_MU, criterion_value
from critique.methods.mse.existence import check
from critique.methods.mse.model import closure
from critique.methods.mse.table import CaptureTable


def _reduce(vals: np.ndarray, tots: np.ndarray, plan) -> list[tuple[float, str]]:
    """Per replicate: the lowest-criterion model (first in original-data order on ties, as the
    package's cumulative selection), or the weighted average with ``plan["average"]``."""
    out = []
    finite = np.isfinite(vals)
    if plan.get("average"):
        w = bic_weights(vals)
        avg = np.nansum(np.where(finite, w * np.nan_to_num(tots), 0.0), axis=1)
        for b in range(len(vals)):
            out.append((float(avg[b]), "BIC-weighted average") if finite[b].any()
                       else (np.nan, "no model with a finite estimate"))
        return out
    for b in range(len(vals)):
        if not finite[b].any():
            out.append((np.nan, "no model with a finite estimate"))
            continue
        i = int(np.argmin(np.where(finite[b], vals[b], np.inf)))
        out.append((float(tots[b, i]), plan["labels"][i]))
    return out


def irls_batch(X: np.ndarray, Y: np.ndarray, mu0: np.ndarray | None = None, *,
               tol: float = 1e-9, maxit: int = 60):
    """IRLS for one design ``X`` and many count vectors ``Y`` (rows) at once.

    The same iteration as :func:`critique.methods.mse.fit.irls`, vectorised over replicates: one stacked
    solve of the ``p x p`` normal equations per iteration. Returns ``(beta, mu, deviance,
    converged)`` with one row per replicate.
    """
    B = Y.shape[0]
    mu = np.maximum(np.broadcast_to(Y + 0.1 if mu0 is None else mu0, Y.shape), 1e-8).copy()
    eta = np.log(mu)
    dev = np.full(B, np.inf)
    converged = np.zeros(B, dtype=bool)
    beta = np.zeros((B, X.shape[1]))
    yy = xlogy(Y, Y)
    active = np.arange(B)  # replicates still iterating: a converged one is left as it is
    for _ in range(maxit):
        m, e, y = mu[active], eta[active], Y[active]
        z = e + (y - m) / m
        xtw = X.T[None, :, :] * m[:, None, :]
        try:
            b = np.linalg.solve(xtw @ X, (xtw @ z[:, :, None]))[:, :, 0]
        except np.linalg.LinAlgError:
            b = (np.linalg.pinv(xtw @ X) @ (xtw @ z[:, :, None]))[:, :, 0]
        e = np.clip(b @ X.T, -700, 700)
        m = np.exp(e)
        d = 2.0 * np.sum(yy[active] - xlogy(y, m) - (y - m), axis=1)
        done = np.abs(d - dev[active]) / (np.abs(d) + 0.1) < tol
        beta[active], eta[active], mu[active], dev[active] = b, e, m, d
        converged[active[done]] = True
        active = active[~done]
        if not active.size:
            break
    return beta, mu, dev, converged


def _exists_for_zeros(lists, plan, model, zeros: np.ndarray) -> bool:
    """Existence of ``model``'s (extended) MLE given which histories are zero.

    It depends on the zero pattern only: a positive table with the observed margins exists iff
    some direction ``d`` with ``M' d = 0`` is positive on every zero cell, and which interactions
    have a zero margin is read from the pattern too. So the LP is run once per (pattern, model)
    and cached; and under ``"refuse"``, when the largest model built from the candidates'
    non-empty terms exists, every candidate does (monotonicity, as in SparseMSE's
    ``checkallmodels``).
    """
    cache = plan.setdefault("_cache", {})
    key = zeros.tobytes()
    policy = plan["empty_overlaps"]
    if (model, key) in cache:
        return cache[(model, key)]
    # More zeros can only break existence: a zero set inside one known to work works too.
    mask = int.from_bytes(np.packbits(zeros).tobytes(), "big")
    known = plan.setdefault("_exists", {}).setdefault(model, [])
    if any(mask & ~k == 0 for k in known):
        return True
    pattern = CaptureTable(lists, (~zeros).astype(np.int64))
    ok = None
    if policy == "refuse":
        if ("top", key) not in cache:
            D = plan["design"]
            live = [t for t in D.terms if (~zeros & D.hist[:, list(t)].all(axis=1)).any()]
            cache[("top", key)] = check(pattern, closure(live), "refuse").ok
        ok = True if cache[("top", key)] else None
    if ok is None:
        ok = check(pattern, model, policy).ok
    cache[(model, key)] = ok
    if ok:
        known.append(mask)
    return ok




def _search_batch(lists, draws, plan) -> tuple[np.ndarray, np.ndarray]:
    """Criterion values and totals of every candidate model on many resampled tables at once.

    Returns two ``replicates x models`` matrices (``inf`` / nan where a model has no finite
    estimate), like ``bootbic`` and ``bootabund`` of the package's ``bootstrapcal``.

    Per model, replicates are grouped by which of its interactions have a zero margin. Under
    ``"refuse"`` such replicates have no finite estimate (Fienberg & Rinaldo 2012); under
    ``"extended"`` those interactions go to minus infinity and the histories containing them are
    dropped (Chan, Silverman & Vincent 2021), the parameter still counted in the penalty. Each
    group is fitted together by :func:`irls_batch`. A fit that has not converged, or has a zero
    cell fitted near zero (where a non-existent MLE drives it), is decided by the exact linear
    program of :func:`critique.methods.mse.existence.check`.
    """
    D, models, mu0s, crit = plan["design"], plan["models"], plan["mu0"], plan["criterion"]
    Y = np.asarray(draws, dtype=float)
    B, n_cells = Y.shape
    n_obs = Y.sum(axis=1)
    lgam = gammaln(Y + 1).sum(axis=1)
    vals = np.full((B, len(models)), np.inf)
    tots = np.full((B, len(models)), np.nan)
    suspect_all = np.zeros((B, len(models)), dtype=bool)
    rank_cache = plan.setdefault("_rank", {})
    for i, m in enumerate(models):
        cols = D.columns(m)
        p = len(cols)
        term_cols = [D.pos[t] for t in m]
        empty = (Y @ D.X[:, term_cols] == 0) if m else np.zeros((B, 0), dtype=bool)
        if plan["empty_overlaps"] == "refuse":
            groups = {(): np.flatnonzero(~empty.any(axis=1))}
        else:
            groups: dict = {}
            for b, row in enumerate(map(tuple, empty)):
                groups.setdefault(tuple(j for j, e in enumerate(row) if e), []).append(b)
        for gone, rows in groups.items():
            rows = np.asarray(rows, dtype=int)
            if not rows.size:
                continue
            keep = np.ones(n_cells, dtype=bool)
            for j in gone:
                keep &= D.X[:, term_cols[j]] == 0
            use = [c for c in cols if c not in {term_cols[j] for j in gone}]
            X = D.X[np.ix_(keep, use)]
            if (i, gone) not in rank_cache:
                rank_cache[(i, gone)] = np.linalg.matrix_rank(X) == X.shape[1]
            if not rank_cache[(i, gone)]:
                continue  # not identifiable
            Yk = Y[np.ix_(rows, np.flatnonzero(keep))]
            beta, mu, dev, conv = irls_batch(X, Yk, mu0s[i][keep][None, :])
            llf = np.sum(xlogy(Yk, mu) - mu, axis=1) - lgam[rows]
            val = criterion_value(crit, llf, p, n_obs[rows], n_cells)
            suspect = ~conv | (np.where(Yk == 0, mu, np.inf).min(axis=1) < BOUNDARY_MU)
            ok = np.isfinite(val)
            vals[rows[ok], i] = val[ok]
            tots[rows[ok], i] = n_obs[rows[ok]] + np.exp(beta[ok, 0])
            suspect_all[rows[ok & suspect], i] = True
    _resolve_suspects(lists, plan, Y == 0, vals, tots, suspect_all)
    return vals, tots


NEGLIGIBLE_WEIGHT = 1e-6  # a model below this share of the weight moves an average by < 1e-6 of the spread


def _resolve_suspects(lists, plan, zeros, vals, tots, suspect) -> None:
    """Run the exact existence check only where a suspect fit could change the answer: the
    lowest-criterion model of a replicate (repeated until it is a sure one), or, when averaging,
    any suspect model with a weight above ``NEGLIGIBLE_WEIGHT``. Edits ``vals``/``tots`` in place."""
    models = plan["models"]

    def verify(b: int, i: int) -> None:
        suspect[b, i] = False
        if not _exists_for_zeros(lists, plan, models[i], zeros[b]):
            vals[b, i], tots[b, i] = np.inf, np.nan

    if plan.get("average"):
        for b, i in np.argwhere(suspect & (bic_weights(vals) > NEGLIGIBLE_WEIGHT)):
            verify(int(b), int(i))
        return
    for b in np.flatnonzero(suspect.any(axis=1)):
        while True:
            row = vals[b]
            if not np.isfinite(row).any():
                break
            i = int(np.argmin(row))
            if not suspect[b, i]:
                break
            verify(int(b), i)
