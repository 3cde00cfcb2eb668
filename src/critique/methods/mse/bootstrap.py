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
replicate is averaged over the same models with BIC weights instead of choosing one. Stepwise
runs the authors' procedure in every replicate and in every jackknife deletion
(:mod:`critique.methods.mse.stepwise`: a pair sharing nobody is admitted when its extended MLE exists), as
``estimate_population_stepwise`` does; the tests hold 40 replicates of each UK table to that
function's values. Each interval end comes with its Monte Carlo standard error
(:func:`interval_mc_error`).

**Degenerate BCa.** BCa reads the replicates at shifted levels; with a strong bias correction
(most replicates on one side of the estimate, as when they are bimodal) those levels can fall
outside what ``B`` replicates resolve, so an end is just the most extreme replicate. Then the
reported interval falls back to the percentile interval, with a warning
(:mod:`critique.methods.mse.intervals` states the rule); both are kept in the result, and the replicates
themselves are returned to be drawn.

Replicates run in ``jobs`` processes; all resampled tables are drawn in the parent from one
seeded generator, so the result does not depend on ``jobs``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.methods.mse.bootsearch import (_reduce, _search_batch, irls_batch,  # noqa: F401
                                     NEGLIGIBLE_WEIGHT)
from critique.methods.mse.intervals import (Z0_LIMIT, bca_caution, bca_degenerate,  # noqa: F401
                                    bca_interval, bca_levels, bias_correction,
                                    disagreement, percentile_interval)
from critique.methods.mse.procedure import Procedure, default_ntop  # noqa: F401 (re-exported)
from critique.methods.mse.select import (Selection, _Design, _existence_map, _fit_light,  # noqa: F401
                                 _model_terms, _pool, criterion_value, estimate)
from critique.methods.mse.stepwise import stepwise_path
from critique.methods.mse.table import CaptureTable, as_table

#: resamples of the replicates used for the Monte Carlo error of the interval ends
MC_RESAMPLES = 200


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
    mc_se: tuple[float, float] = (float("nan"), float("nan"))  # Monte Carlo error of the ends
    mc_se_percentile: tuple[float, float] = (float("nan"), float("nan"))
    mc_se_bca: tuple[float, float] = (float("nan"), float("nan"))

    @property
    def disagreement(self) -> str:
        """Why BCa and percentile disagree ('' when they do not; :func:`intervals.disagreement`)."""
        return disagreement(self.bias_correction, self.bca, self.percentile)

    def summary(self) -> dict:
        """Key numbers (for findings)."""
        return {"estimate": self.estimate, "low": self.interval[0], "high": self.interval[1],
                "interval_kind": self.interval_kind, "percentile_low": self.percentile[0],
                "percentile_high": self.percentile[1], "bca_low": self.bca[0],
                "bca_high": self.bca[1], "bca_degenerate": self.degenerate,
                "z0": self.bias_correction, "acceleration": self.acceleration,
                "share_below_estimate": self.share_below,
                "n_replicates": int(len(self.estimates)), "n_failed": self.n_failed,
                "n_models_chosen": int(self.models.nunique()),
                "low_mc_se": self.mc_se[0], "high_mc_se": self.mc_se[1],
                "percentile_low_mc_se": self.mc_se_percentile[0],
                "percentile_high_mc_se": self.mc_se_percentile[1],
                "bca_low_mc_se": self.mc_se_bca[0], "bca_high_mc_se": self.mc_se_bca[1],
                "intervals_disagree": self.disagreement}

    @property
    def share_below(self) -> float:
        """Share of usable replicates below the original estimate."""
        good = self.estimates[np.isfinite(self.estimates)]
        return float(np.mean(good < self.estimate)) if good.size else float("nan")


def _select_light(table_lists, k, y, plan):
    """Total and label of the chosen model on counts ``y`` (nan, reason when none exists).

    One replicate at a time, through the exact existence check: the stepwise path, and for a
    search the reference that the batched path (:func:`critique.methods.mse.bootsearch._search_batch`) is
    tested against.
    """
    table = CaptureTable(table_lists, y.astype(np.int64))
    if plan["kind"] == "stepwise":
        path, _, _ = stepwise_path(table, plan["pthresh"], plan["empty_overlaps"],
                                   plan.setdefault("_step_cache", {}))
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


def _chunk(args):
    lists, k, draws, plan = args
    if plan["kind"] == "stepwise":  # the authors' procedure, replicate by replicate
        return [_select_light(lists, k, d, plan) for d in draws]
    plan = dict(plan, design=_Design(k, plan["terms"]))
    vals, tots = _search_batch(lists, draws, plan)
    return _reduce(vals, tots, plan)


def _plan(table: CaptureTable, procedure: Procedure, sel: Selection):
    method = procedure.resolved(table.k)
    if method == "stepwise":
        return {"kind": "stepwise", "pthresh": procedure.pthresh,
                "empty_overlaps": procedure.empty_overlaps}
    if method not in ("bic", "aic", "average"):
        raise ValueError(f"bootstrap with selection needs method bic, aic, average or stepwise "
                         f"(got {method!r}); for a fixed model use critique.methods.mse.bootstrap_fixed")
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
        from critique.methods.mse.average import average

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
        why = bca_degenerate(levels, good.size)
        if bca_caution(z0) and not why:
            warn.append(bca_caution(z0))
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
    mc_pct = interval_mc_error(good, est, None, level, seed)
    mc_bca = (interval_mc_error(good, est, accel, level, seed) if np.isfinite(accel)
              else (float("nan"), float("nan")))
    mc = mc_pct if why else mc_bca
    return BootstrapResult(est, label or sel.best.label, totals, pd.Series(labels), level, pct,
                           bca, levels, accel, z0, bool(why), interval, kind,
                           int(n - good.size), procedure.describe(table.k), seed, warn, mc,
                           mc_pct, mc_bca)


def interval_mc_error(replicates: np.ndarray, estimate_: float, acceleration: float | None,
                      level: float = 0.95, seed: int = 1) -> tuple[float, float]:
    """Monte Carlo standard error of the reported interval's two ends.

    The ends are recomputed on ``MC_RESAMPLES`` resamples (with replacement) of the ``B`` finite
    replicates, and their standard deviations returned: the error that comes from running ``B``
    replicates rather than infinitely many, not the sampling error of the interval (Koehler,
    Brown & Haneuse 2009, "On the assessment of Monte Carlo error in simulation-based statistical
    analyses", The American Statistician 63:155). ``acceleration`` None: the percentile
    interval's ends; otherwise BCa's (its bias correction recomputed on each resample). nan for
    fewer than 10 replicates. No model is refitted, so this costs milliseconds.
    """
    good = np.asarray(replicates, dtype=float)
    good = good[np.isfinite(good)]
    if good.size < 10:
        return float("nan"), float("nan")
    rng = np.random.default_rng([seed, 20240813])
    idx = rng.integers(0, good.size, size=(MC_RESAMPLES, good.size))
    ends = np.array([percentile_interval(good[i], level) if acceleration is None
                     else bca_interval(good[i], estimate_, acceleration, level) for i in idx])
    return float(np.std(ends[:, 0], ddof=1)), float(np.std(ends[:, 1], ddof=1))
