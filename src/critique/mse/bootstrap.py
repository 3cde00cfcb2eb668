"""Bootstrap intervals that repeat the model selection inside every replicate.

Silverman, Chan & Vincent (2024), "Bootstrapping multiple systems estimates to account for model
selection", Statistics and Computing 34:44 (arXiv 2303.17856): an interval computed as if the
chosen model had been fixed in advance "provid[es] an over-optimistic impression of estimation
accuracy". Each replicate resamples the observed people (multinomial on the observed counts),
re-runs the selection, and keeps the chosen model's total. The bias-corrected and accelerated
(BCa) interval (Efron 1987, JASA 82:171) takes its acceleration from a delete-one jackknife over
people, with the bias correction ``z0 = qnorm(share of replicates below the estimate)`` and
quantiles of type 8, as ``bcaconfvalues`` of the R package MultipleSystemsEstimation.

As in that package, selection inside the bootstrap is restricted to the ``ntop`` models best on
the original data (all for up to three lists, 20 for four, 100 for five or six); the
original-data estimate always comes from the full search. With ``method="average"`` every
replicate is averaged over the same models with BIC weights instead of choosing one.

**Degenerate BCa.** BCa reads the replicates at shifted levels; with a strong bias correction
(|z0| large: most replicates on one side of the estimate, as when they are bimodal) those levels
can fall outside what ``B`` replicates resolve, so an end is just the most extreme replicate. The
suite's rule (:func:`bca_degenerate`): BCa is degenerate when an adjusted level is below ``1/B`` or
above ``1 - 1/B``, or when ``|z0| > 0.5`` (fewer than 31% or more than 69% of replicates below
the estimate). The reported interval then falls back to the percentile interval, with a warning;
both are kept in the result, and the replicates themselves are returned to be drawn.

Replicates run in ``jobs`` processes; all resampled tables are drawn in the parent from one
seeded generator, so the result does not depend on ``jobs``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln, xlogy

from critique.mse.average import weights as bic_weights
from critique.mse.existence import check
from critique.mse.model import closure
from critique.mse.procedure import Procedure, default_ntop
from critique.mse.select import (Selection, _Design, _existence_map, _fit_light, _model_terms,
                                 _pool, _stepwise_path, criterion_value, estimate)
from critique.mse.table import CaptureTable, as_table

Z0_LIMIT = 0.5  # |z0| above this: BCa's bias correction is beyond its first-order theory
QUANTILE_METHOD = "median_unbiased"  # R's quantile type 8, as bcaconfvalues


@dataclass
class BootstrapResult:
    """Bootstrap with model selection: the original estimate, the replicates and the intervals.

    ``interval`` is the one to report: BCa, or the percentile interval when BCa is degenerate
    (``interval_kind`` says which, ``warnings`` why).
    """

    estimate: float
    model: str
    estimates: np.ndarray = field(repr=False)
    models: pd.Series = field(repr=False)  # model chosen in each replicate
    level: float
    percentile: tuple[float, float]
    bca: tuple[float, float]
    bca_levels: tuple[float, float]
    acceleration: float
    bias_correction: float
    degenerate: bool
    interval: tuple[float, float]
    interval_kind: str
    n_failed: int
    procedure: str
    seed: int
    warnings: list = field(default_factory=list)

    def summary(self) -> dict:
        """Key numbers (for findings)."""
        return {"estimate": self.estimate, "low": self.interval[0], "high": self.interval[1],
                "interval_kind": self.interval_kind, "percentile_low": self.percentile[0],
                "percentile_high": self.percentile[1], "bca_low": self.bca[0],
                "bca_high": self.bca[1], "bca_degenerate": self.degenerate,
                "z0": self.bias_correction, "acceleration": self.acceleration,
                "share_below_estimate": self.share_below,
                "n_replicates": int(len(self.estimates)), "n_failed": self.n_failed,
                "n_models_chosen": int(self.models.nunique())}

    @property
    def share_below(self) -> float:
        """Share of usable replicates below the original estimate."""
        good = self.estimates[np.isfinite(self.estimates)]
        return float(np.mean(good < self.estimate)) if good.size else float("nan")


def _select_light(table_lists, k, y, plan):
    """Total and label of the chosen model on counts ``y`` (nan, reason when none exists).

    One replicate at a time, through the exact existence check: the reference that the batched
    path (:func:`_search_batch`) is tested against.
    """
    table = CaptureTable(table_lists, y.astype(np.int64))
    if plan["kind"] == "stepwise":
        path, model, mu = _stepwise_path(table, plan["pthresh"], plan["empty_overlaps"])
        return path[-1]["total"], path[-1]["model"]
    D, models, mu0s, crit = plan["design"], plan["models"], plan["mu0"], plan["criterion"]
    exist = _existence_map(table, models, plan["empty_overlaps"], D)
    yf = y.astype(float)
    vals = np.full(len(models), np.inf)
    tots = np.full(len(models), np.nan)
    for i, (ok, empty, _) in enumerate(exist):
        if not ok:
            continue
        dark, dev, llf, p, mu, conv, df = _fit_light(D, yf, models[i], empty, mu0s[i])
        vals[i] = criterion_value(crit, llf, p, yf.sum(), len(yf))
        tots[i] = yf.sum() + dark
    return _reduce(vals[None, :], tots[None, :], plan)[0]


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


def _chunk(args):
    lists, k, draws, plan = args
    if plan["kind"] == "stepwise":
        return [_select_light(lists, k, d, plan) for d in draws]
    plan = dict(plan, design=_Design(k, plan["terms"]))
    vals, tots = _search_batch(lists, draws, plan)
    return _reduce(vals, tots, plan)


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


BOUNDARY_MU = 1e-4  # a fitted zero cell below this sends the replicate to the exact LP check


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
    program of :func:`critique.mse.existence.check`.
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


def _plan(table: CaptureTable, procedure: Procedure, sel: Selection):
    method = procedure.resolved(table.k)
    if method == "stepwise":
        return {"kind": "stepwise", "pthresh": procedure.pthresh,
                "empty_overlaps": procedure.empty_overlaps}
    if method not in ("bic", "aic", "average"):
        raise ValueError(f"bootstrap with selection needs method bic, aic, average or stepwise "
                         f"(got {method!r}); for a fixed model use critique.mse.bootstrap_fixed")
    crit = procedure.criterion(table.k)
    if sel.criterion != crit:
        raise ValueError(f"bootstrap: the selection was ranked by {sel.criterion!r} but the "
                         f"procedure ranks by {crit!r}; pass a selection from the same procedure")
    ok = sel.existing.sort_values([crit, "n_terms"])
    top = procedure.top(table.k)
    ok = ok if top is None else ok.head(top)
    models = list(ok["_models"])
    terms = _model_terms(models)
    D = _Design(table.k, terms)
    exist = _existence_map(table, models, procedure.empty_overlaps, D)
    y = table.counts.astype(float)
    mu0 = [_fit_light(D, y, m, e, None)[4] for m, (_, e, _) in zip(models, exist)]
    return {"kind": "search", "criterion": crit, "average": method == "average",
            "models": models, "terms": terms, "labels": list(ok["model"]), "mu0": mu0,
            "empty_overlaps": procedure.empty_overlaps}


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


def bias_correction(boot: np.ndarray, estimate: float) -> float:
    """``z0 = qnorm(share of replicates below the estimate)`` (Efron 1987; ``bcaconfvalues``),
    the share clipped to ``[1e-6, 1 - 1e-6]``."""
    boot = boot[np.isfinite(boot)]
    return float(stats.norm.ppf(np.clip(np.mean(boot < estimate), 1e-6, 1 - 1e-6)))


def bca_levels(boot: np.ndarray, estimate: float, acceleration: float,
               level: float = 0.95) -> tuple[float, float]:
    """The percentile levels the BCa method reads (Efron 1987) instead of the nominal ends."""
    z0 = bias_correction(boot, estimate)
    out = []
    for alpha in ((1 - level) / 2, (1 + level) / 2):
        za = stats.norm.ppf(alpha)
        out.append(float(stats.norm.cdf(z0 + (z0 + za) / (1 - acceleration * (z0 + za)))))
    return out[0], out[1]


def bca_interval(boot: np.ndarray, estimate: float, acceleration: float,
                 level: float = 0.95) -> tuple[float, float]:
    """BCa limits (Efron 1987): quantiles (type 8) at the levels of :func:`bca_levels`."""
    boot = boot[np.isfinite(boot)]
    low, high = bca_levels(boot, estimate, acceleration, level)
    lo, hi = np.quantile(boot, [low, high], method=QUANTILE_METHOD)
    return float(lo), float(hi)


def bca_degenerate(levels: tuple[float, float], z0: float, n: int) -> str:
    """Why BCa is degenerate ('' when it is not): an adjusted level outside ``[1/n, 1 - 1/n]``
    (the end is the most extreme replicate or beyond what ``n`` replicates resolve) or
    ``|z0| > Z0_LIMIT``. The rule is this suite's; see the module notes."""
    why = []
    edge = 1.0 / max(n, 1)
    if levels[0] < edge or levels[1] > 1 - edge:
        why.append(f"BCa reads the {n} replicates at levels {levels[0]:.2g} and {levels[1]:.3g}, "
                   f"outside what they resolve (1/{n}): an end is just the most extreme replicate")
    if abs(z0) > Z0_LIMIT:
        why.append(f"bias correction z0 = {z0:.2f}: only {stats.norm.cdf(z0):.0%} of replicates "
                   "fall below the estimate, beyond what BCa's correction is built for")
    return "; ".join(why)


def percentile_interval(boot: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Equal-tailed percentile interval of the finite replicates (type 8 quantiles)."""
    good = boot[np.isfinite(boot)]
    if not good.size:
        return (np.nan, np.nan)
    lo, hi = np.quantile(good, [(1 - level) / 2, (1 + level) / 2], method=QUANTILE_METHOD)
    return float(lo), float(hi)


def jackknife_acceleration(table: CaptureTable, plan, jobs: int) -> float:
    """Acceleration from the delete-one-person jackknife, one run per non-empty history weighted
    by its count (``.jackknife_ahat`` of the package); nan when a deletion has no estimate."""
    cells = np.flatnonzero(table.counts > 0)
    jdraws = np.repeat(table.counts[None, :], len(cells), axis=0)
    jdraws[np.arange(len(cells)), cells] -= 1
    jtot, _ = _run(table, jdraws, plan, jobs if len(cells) > 8 else 1)
    if not np.isfinite(jtot).all():
        return float("nan")
    w = table.counts[cells].astype(float)
    d = np.sum(w * jtot) / w.sum() - jtot
    denom = np.sum(w * d**2)
    return float(np.sum(w * d**3) / (6 * denom**1.5)) if denom > 0 else 0.0


def bootstrap(table: CaptureTable, procedure: Procedure = Procedure(), *, n: int = 1000,
              seed: int = 1, jobs: int = 2, level: float = 0.95,
              selection: Selection | None = None, estimate_: float | None = None,
              label: str | None = None) -> BootstrapResult:
    """Non-parametric bootstrap of the total with ``procedure``'s model choice in every replicate.

    table: a :class:`CaptureTable` or a frame of 0/1 list columns plus ``count``.
    selection: the procedure's search on ``table`` if already run (saves a search).
    estimate_, label: the original-data estimate and its name when it is not the selection's best
        (the averaged total for ``method="average"``).

    Returns percentile and BCa intervals and the interval to report (BCa, or percentile when BCa
    is degenerate); replicates without any finite estimate are counted in ``n_failed`` and left
    out (never replaced by a number).
    """
    table = as_table(table)
    if n < 1:
        raise ValueError(f"bootstrap: n={n}; need at least one replicate")
    sel = selection or estimate(table, procedure, jobs=jobs, ci=())
    plan = _plan(table, procedure, sel)
    if plan.get("average") and estimate_ is None:
        from critique.mse.average import average

        avg = average(sel, procedure.top(table.k))
        estimate_, label = avg.total, f"BIC-weighted average of {avg.n_models} models"
    est = sel.best.total if estimate_ is None else estimate_
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(table.n_observed, table.counts / table.n_observed, size=n)
    totals, labels = _run(table, draws, plan, jobs)
    accel = jackknife_acceleration(table, plan, jobs)
    good = totals[np.isfinite(totals)]
    pct = percentile_interval(totals, level)
    warn = []
    if good.size and np.isfinite(accel):
        levels = bca_levels(good, est, accel, level)
        bca = bca_interval(good, est, accel, level)
        z0 = bias_correction(good, est)
        why = bca_degenerate(levels, z0, good.size)
    else:
        levels, bca, z0 = (np.nan, np.nan), (np.nan, np.nan), float("nan")
        why = "the jackknife has a deletion without a finite estimate, so BCa is unavailable"
    if why:
        warn.append(f"BCa interval degenerate ({why}); the percentile interval is reported")
        interval, kind = pct, "percentile (BCa degenerate)"
    else:
        interval, kind = bca, "BCa"
    if n - good.size:
        warn.append(f"{n - good.size} of {n} replicates had no model with a finite estimate")
    return BootstrapResult(est, label or sel.best.label, totals, pd.Series(labels), level, pct,
                           bca, levels, accel, z0, bool(why), interval, kind,
                           int(n - good.size), procedure.describe(table.k), seed, warn)
