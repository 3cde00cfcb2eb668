"""Model selection for multiple systems estimation, and how much the estimate depends on it.

- **Exhaustive search** (:func:`search_all`): every hierarchical model with interactions up to
  ``max_order`` lists (pairwise: ``2**(k choose 2)`` models, 1,024 for five lists, 32,768 for six),
  ranked by BIC or AIC, as ``estimate_population_bic`` of the R package
  MultipleSystemsEstimation (Silverman, Chan & Vincent 2024, Statistics and Computing 34:44). The
  BIC's sample size is the number of people observed, as in that package and in Rcapture
  (criterion "bic"); the number of cells is available as criterion "bic_cells". The two rank the
  models differently: on the UK five-list table they choose different models.
  Existence is checked once per group of models: if the largest model of a group has a finite,
  identifiable MLE, so has every model with a subset of its columns (a strictly positive table
  with the larger model's margins has the smaller model's too), as in SparseMSE's
  ``checkallmodels`` (Chan, Silverman & Vincent 2021).
- **Stepwise** (:mod:`critique.methods.mse.stepwise`): the forward procedure of Chan, Silverman & Vincent
  (2021), JASA 116:1297, admitting a non-overlapping pair when its extended MLE exists, as the
  authors' packages do.
- :func:`estimate` runs a whole :class:`critique.methods.mse.procedure.Procedure` (so the bootstrap and
  the sensitivity analyses can repeat it).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.methods.mse.batchfit import (BOUNDARY_MU, _Design, _existence_map, _fit_chunk,  # noqa: F401
                                   _fit_light, _model_terms, _settle_deferred,
                                   criterion_value, irls_models)
from critique.methods.mse.fit import MSEResult, fit, information
from critique.methods.mse.model import Model, enumerate_models, label
from critique.methods.mse.procedure import Procedure
from critique.methods.mse.selection import OCCAM_DELTA, Selection  # noqa: F401 (re-exported)
from critique.methods.mse.stepwise import poisson_pvalue, stepwise, stepwise_path  # noqa: F401 (re-exported)
from critique.methods.mse.table import CaptureTable, as_table

CRITERIA = ("bic", "bic_cells", "aic")


def _pool(jobs: int):
    """The process pool of searches and bootstraps (one place to change how workers start).

    Workers, and what they start, end on Ctrl-C/SIGTERM (:func:`critique.core.parallel.process_pool`)."""
    from critique.core.parallel import process_pool

    return process_pool(jobs)


POOL_MIN_MODELS = 8192  # a search splits over processes only above this many models per process


def search_all(table: CaptureTable, *, criterion: str = "bic", max_order: int | None = None,
               empty_overlaps: str = "extended", jobs: int = 2, models: list[Model] | None = None,
               ci: tuple[str, ...] = ("profile", "wald")) -> Selection:
    """Fit every hierarchical model (or ``models``) and choose the lowest ``criterion``.

    table: a :class:`CaptureTable` or a frame of 0/1 list columns plus ``count``.
    criterion: "bic" (sample size = people observed; MultipleSystemsEstimation and Rcapture),
        "bic_cells" (sample size = number of cells) or "aic".
    max_order: largest interaction order; None = the package default (1 for two lists, 2 for three,
        3 for four or five, 2 for six).
    empty_overlaps: "extended" (package: non-overlapping pairs at minus infinity) or "refuse".

    Models without a finite estimate are listed with status "no finite estimate" and nan
    estimates; they are never chosen. Ties go to the model with fewer terms. ``jobs`` processes
    share the fits (1: no subprocess).
    """
    from critique.methods.mse.procedure import default_max_order

    table = as_table(table)
    if criterion not in CRITERIA:
        raise ValueError(f"criterion={criterion!r}; choose one of {CRITERIA}")
    if max_order is None:
        max_order = min(default_max_order(table.k), table.k - 1)
    models = enumerate_models(table.k, max_order) if models is None else list(models)
    terms = _model_terms(models)
    D = _Design(table.k, terms)
    exist = _existence_map(table, models, empty_overlaps, D, defer=True)
    todo = [i for i, (ok, _, _) in enumerate(exist) if ok is not False]
    y = table.counts.astype(float)
    # Stacked fits are quick: extra processes pay only for the largest searches.
    n_tasks = max(1, min(jobs, len(todo) // POOL_MIN_MODELS))
    chunks = np.array_split(np.array(todo, dtype=int), n_tasks)
    tasks = [(table.k, terms, y, [models[i] for i in c], [exist[i][1] for i in c],
              [exist[i][0] is None for i in c]) for c in chunks if len(c)]
    if len(tasks) > 1:
        with _pool(len(tasks)) as pool:
            results = list(pool.map(_fit_chunk, tasks))
    else:
        results = [_fit_chunk(t) for t in tasks]
    rows = [None] * len(models)
    for c, res in zip([c for c in chunks if len(c)], results):
        for i, r in zip(c, res):
            rows[i] = r
    _settle_deferred(table, models, exist, rows, empty_overlaps)
    n_obs, n_cells = table.n_observed, len(table.counts)
    records = []
    for i, m in enumerate(models):
        ok, empty, reason = exist[i]
        rec = {"model": label(m, table.lists), "n_terms": len(m),
               "order": max([len(t) for t in m], default=1), "status": "ok" if ok else
               "no finite estimate", "total": np.nan, "dark": np.nan, "deviance": np.nan,
               "df": np.nan, "aic": np.nan, "bic": np.nan, "bic_cells": np.nan,
               "boundary": bool(empty), "reason": reason}
        if ok:
            dark, dev, llf, p, conv, df = rows[i][:6]
            rec.update(total=n_obs + dark, dark=dark, deviance=dev, df=df,
                       **information(llf, p, n_obs, n_cells))
            if not conv:
                rec["reason"] = "IRLS did not converge"
        records.append(rec)
    frame = pd.DataFrame(records)
    frame["_i"] = np.arange(len(frame))
    ok_frame = frame[frame["status"] == "ok"]
    if ok_frame.empty:
        raise ValueError(f"table '{table.name}': no model has a finite estimate")
    best_i = int(ok_frame.sort_values([criterion, "n_terms"]).iloc[0]["_i"])
    frame["delta"] = frame[criterion] - frame.loc[best_i, criterion]
    frame["_models"] = pd.Series(models, dtype=object)
    best = fit(table, models[best_i], empty_overlaps=empty_overlaps, ci=ci)
    frame = frame.sort_values([criterion, "n_terms"], na_position="last").reset_index(drop=True)
    return Selection(best, frame, criterion, criterion,
                     [f"criterion={criterion}", f"max_order={max_order}",
                      f"empty_overlaps={empty_overlaps}"])


# ---------------------------------------------------------------------------------- dispatch
def estimate(table: CaptureTable, procedure: Procedure = Procedure(), *, jobs: int = 2,
             ci: tuple[str, ...] = ("profile", "wald")) -> Selection:
    """Run the model choice of a :class:`Procedure` on ``table`` (a CaptureTable or a frame).

    Search methods ("bic", "aic", and "average", whose weights come from the same search) return
    the full model table; "stepwise" its path; "fixed" the one model.
    """
    table = as_table(table)
    method = procedure.resolved(table.k)
    if method in ("bic", "aic", "average"):
        return search_all(table, criterion=procedure.criterion(table.k),
                          max_order=procedure.order(table.k),
                          empty_overlaps=procedure.empty_overlaps, jobs=jobs, ci=ci)
    if method == "stepwise":
        return stepwise(table, pthresh=procedure.pthresh,
                        empty_overlaps=procedure.empty_overlaps, ci=ci)
    if method == "fixed":
        res = fit(table, procedure.interactions, empty_overlaps=procedure.empty_overlaps, ci=ci)
        return Selection(res, pd.DataFrame([res.summary()]), "fixed")
    raise ValueError(f"method {method!r} is not a model-selection method; run it with "
                     "critique.methods.mse.run")


def quick_total(table: CaptureTable, procedure: Procedure, jobs: int = 1) -> tuple[float, str]:
    """(total, model) of a procedure without intervals: nan and the reason if nothing exists."""
    from critique.methods.mse.procedure import runner

    try:
        res = runner(procedure.resolved(as_table(table).k))(
            table, procedure, intervals=False, n_boot=0, seed=1, jobs=jobs)
    except ValueError as err:  # includes NoFiniteEstimate
        return float("nan"), str(err)
    return res.total, res.model
