"""The Bayesian methods as :class:`~critique.methods.mse.procedure.Procedure` choices: ``dga`` and ``lcmcr``.

Registering them makes them runnable by name (``Procedure(method="dga")``) wherever the log-linear
procedures run: :func:`critique.methods.mse.estimators.run`, :func:`~critique.methods.mse.estimators.compare` and
the notebook's "one table, many methods". Their settings ride in ``Procedure.options``:

- ``dga``: ``delta`` (default ``2**-k``), ``grid_max`` (largest number missing on the grid; default
  ``max(1000, 25 * observed)``);
- ``lcmcr``: ``K`` (10), ``a_alpha``/``b_alpha`` (0.25), ``burnin`` (10,000), ``samples`` (1,000),
  ``thinning`` (100), ``chains`` (4); the run's ``seed`` seeds the chains.

A table these methods cannot estimate (more than five lists for dga; a list that overlaps no other)
gives a result with no total and the reason, as a log-linear model without a finite estimate does.
"""
from __future__ import annotations

import numpy as np

from critique.methods.mse.dga import MAX_LISTS, dga
from critique.methods.mse.lcmcr import lcmcr
from critique.core.i18n import N_
from critique.methods.mse.procedure import Procedure, register
from critique.methods.mse.result import PopulationEstimate
from critique.methods.mse.table import CaptureTable, CaptureTableError, as_table

POSTERIOR = "posterior (equal-tailed)"

#: LCMCR's default thinning (chains of 10,000 + 1,000 x 400 = 410,000 iterations). Chosen against
#: the convergence rule of :mod:`critique.methods.mse.lcmcr` (R-hat < 1.01 and effective sample size >= 400,
#: four chains) on Kosovo, seed 20131231: the package example's thinning of 100 fails it (R-hat
#: 1.036, ESS 97), 200 fails it (1.012, 435), 400 meets it (1.004, 953; seed 1: 1.006, 406, a
#: narrow pass); Korea at 400, seed 1: 1.000, 3,456. On the UK five-list table no length tried
#: meets it (thinning 1,000, 4.04 million iterations in all: R-hat 1.017, ESS 111; at thinning 100
#: the four chains' medians ran from about 13,100 to 22,600), and the suite reports it as not
#: converged. Cost: about 17 microseconds per iteration (numba), so four chains take about 28
#: CPU seconds.
LCMCR_THINNING = 400
#: thinning for a table whose chains met the rule at no length tried (the UK five lists): the
#: package example's 100 (110,000 iterations a chain), long enough to show the chains disagreeing;
#: the result is listed as not converged, never quoted, so a longer chain would buy nothing.
LCMCR_SHORT_THINNING = 100

DGA_TEXT = ("average over every decomposable graphical model, hyper-Dirichlet prior, prior 1/N on "
            "the total (Madigan & York 1997; R package dga)")
LCMCR_TEXT = ("latent-class model with a Dirichlet-process prior on the classes, prior 1/N on the "
              "total (Manrique-Vallier 2016; R package LCMCR), several chains")


def _refused(table: CaptureTable, procedure: Procedure, method: str, text: str,
             reason: str) -> PopulationEstimate:
    return PopulationEstimate(procedure.name or method, method, text, table.name, table.k,
                              table.n_observed, float("nan"), "no estimate", {}, "", 0.95,
                              [reason])


def run_dga(table, procedure: Procedure, *, intervals: bool = True, n_boot: int = 0,
            seed: int = 1, jobs: int = 2) -> PopulationEstimate:
    """Runner for ``Procedure(method="dga")`` (``n_boot``, ``seed`` and ``jobs`` do not apply)."""
    table = as_table(table)
    if not 3 <= table.k <= MAX_LISTS:
        return _refused(table, procedure, "dga", DGA_TEXT,
                        f"dga is available for 3 to {MAX_LISTS} lists; this table has {table.k}")
    delta = procedure.option("delta")
    grid_max = procedure.option("grid_max")
    grid = None if grid_max is None else np.arange(0, int(grid_max) + 1)
    try:
        r = dga(table, n_missing=grid, delta=delta)
    except CaptureTableError as exc:
        return _refused(table, procedure, "dga", DGA_TEXT, str(exc))
    text = f"{DGA_TEXT}; delta = {r.delta:g}, grid up to {int(r.n_missing.max()):,} missing"
    return PopulationEstimate(procedure.name or "dga", "dga", text, table.name, table.k,
                              table.n_observed, r.estimate,
                              f"posterior median over {len(r.graphs)} decomposable graphs",
                              {POSTERIOR: r.interval}, POSTERIOR, r.level, list(r.warnings),
                              details={"posterior": r, "mean": r.mean})


def run_lcmcr(table, procedure: Procedure, *, intervals: bool = True, n_boot: int = 0,
              seed: int = 1, jobs: int = 2) -> PopulationEstimate:
    """Runner for ``Procedure(method="lcmcr")``: chains seeded ``seed, seed + 1, ...``."""
    table = as_table(table)
    settings = {name: procedure.option(name, default) for name, default in (
        ("K", 10), ("a_alpha", 0.25), ("b_alpha", 0.25), ("burnin", 10_000), ("samples", 1_000),
        ("thinning", LCMCR_THINNING), ("chains", 4))}
    try:
        r = lcmcr(table, seed=seed, jobs=jobs, **settings)
    except CaptureTableError as exc:
        return _refused(table, procedure, "lcmcr", LCMCR_TEXT, str(exc))
    text = (f"{LCMCR_TEXT}: {r.draws.shape[0]} chains, K = {settings['K']}, "
            f"{settings['burnin']:,} burn-in, {settings['samples']:,} draws thinned by "
            f"{settings['thinning']}; R-hat {r.rhat:.3f}, effective sample size {r.ess:,.0f}")
    return PopulationEstimate(procedure.name or "lcmcr", "lcmcr", text, table.name, table.k,
                              table.n_observed, r.estimate, "posterior median (latent classes)",
                              {POSTERIOR: r.interval}, POSTERIOR, r.level, list(r.warnings),
                              details={"posterior": r, "rhat": r.rhat, "ess": r.ess,
                                       "converged": r.converged})


register("dga", run_dga, N_("decomposable-graph model averaging (dga)"))
register("lcmcr", run_lcmcr, N_("latent-class model (LCMCR)"))


def many_methods(*, chains: int = 4, samples: int = 1_000, thinning: int = LCMCR_THINNING,
                 burnin: int = 10_000) -> dict[str, Procedure]:
    """"One table, many methods": the same authors' log-linear procedures, then dga and LCMCR.

    LCMCR runs four chains of 10,000 burn-in and 1,000 draws thinned by ``LCMCR_THINNING`` (400;
    the package example thins by 100); smaller values make a quick run (say so when quoting it).
    """
    from critique.methods.mse.estimators import author_procedures

    out = dict(author_procedures())
    out["dga"] = Procedure(method="dga", name="dga: decomposable-graph averaging (Madigan & York)")
    out["lcmcr"] = Procedure(method="lcmcr", name="LCMCR: latent classes (Manrique-Vallier)",
                             options=(("chains", chains), ("samples", samples),
                                      ("thinning", thinning), ("burnin", burnin)))
    return out


def _interval_mc_se(r: PopulationEstimate) -> tuple[float, float]:
    """Monte Carlo standard error of a result's reported interval ends: the bootstrap's (resampling
    the replicates), LCMCR's (ArviZ quantile MCSE), 0 for dga (exact on its grid), else nan."""
    if r.bootstrap is not None:
        return tuple(r.bootstrap.mc_se)
    post = (r.details or {}).get("posterior")
    if r.method == "lcmcr" and post is not None:
        return post.interval_mc_se
    if r.method == "dga" and np.isfinite(r.total):
        return 0.0, 0.0
    return float("nan"), float("nan")


def one_table_many_methods(tables, procedures: dict[str, Procedure] | None = None, *,
                           n_boot: int = 0, seed: int = 1, jobs: int = 2):
    """Run every procedure of ``procedures`` (default :func:`many_methods`) on every table.

    tables: CaptureTables, dataset ids, frames or CSV paths. n_boot: bootstrap resamples for the
    log-linear procedures (their interval then repeats the model choice); the Bayesian methods give
    posterior intervals and ignore it. Returns ``(frame, results)``: one row per (table, method)
    with the columns of :func:`critique.methods.mse.compare` plus ``key`` (the procedure's key), ``rhat``,
    ``ess`` and ``converged`` (LCMCR's chains; None for the other methods), and ``low_mc_se``,
    ``high_mc_se`` (Monte Carlo standard error of the interval ends; 0 for dga, which is exact).
    """
    import pandas as pd

    from critique.methods.mse.estimators import run

    procedures = procedures or many_methods()
    rows, results = [], []
    for table in tables:
        t = as_table(table)
        for key, proc in procedures.items():
            r = run(t, proc, n_boot=n_boot, seed=seed, jobs=jobs)
            row = r.row()
            row["key"] = key
            row["rhat"] = r.details.get("rhat") if r.details else None
            row["ess"] = r.details.get("ess") if r.details else None
            row["converged"] = r.details.get("converged") if r.details else None
            row["low_mc_se"], row["high_mc_se"] = _interval_mc_se(r)
            rows.append(row)
            results.append(r)
    return pd.DataFrame(rows), results
