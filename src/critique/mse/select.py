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
- **Stepwise** (:func:`stepwise`): the forward procedure of Chan, Silverman & Vincent (2021), JASA
  116:1297: from main effects, add the pairwise interaction with the smallest one-sided Poisson
  p-value of its overlap if below ``pthresh`` (default 0.02) and if the enlarged model exists.
- :func:`estimate` runs a whole :class:`critique.mse.procedure.Procedure` (so the bootstrap and
  the sensitivity analyses can repeat it).
"""
from __future__ import annotations

import math
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln, xlogy

from critique.mse.existence import check
from critique.mse.fit import MSEResult, fit, information, irls
from critique.mse.model import Model, Term, closure, enumerate_models, label, parse_model
from critique.mse.procedure import Procedure
from critique.mse.table import CaptureTable, as_table

CRITERIA = ("bic", "bic_cells", "aic")

# ---------------------------------------------------------------------------------- fast core
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
                   D: _Design) -> list[tuple[bool, tuple, str]]:
    """(ok, empty terms, reason) for every model, one LP per group where possible."""
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
        if ex.ok:
            for i in idx:
                out[i] = (True, e, "")
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


def _fit_chunk(args):
    k, terms, y, models, empties = args
    D = _Design(k, terms)
    mu = None
    rows = []
    for m, e in zip(models, empties):
        dark, dev, llf, p, mu, conv, df = _fit_light(D, y, m, e, mu)
        rows.append((dark, dev, llf, p, conv, df))
    return rows


def _pool(jobs: int) -> ProcessPoolExecutor:
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context(method))


OCCAM_DELTA = 2 * math.log(20)  # about 5.99: posterior odds of 20:1 against, under BIC


@dataclass
class Selection:
    """The outcome of a model search: the chosen fit and every model considered.

    ``models`` has one row per model: model label, n_terms, order, status, total, dark, deviance,
    df, aic, bic (people observed), bic_cells, boundary (an interaction at minus infinity), reason,
    and ``delta`` (criterion minus the best).
    """

    best: MSEResult
    models: pd.DataFrame
    method: str
    criterion: str | None = None
    notes: list = field(default_factory=list)

    @property
    def existing(self) -> pd.DataFrame:
        """Models with a finite, identifiable estimate."""
        return self.models[self.models["status"] == "ok"]

    def near_best(self, delta: float = OCCAM_DELTA) -> pd.DataFrame:
        """Models whose criterion is within ``delta`` of the best.

        Default rule (Occam's window, Madigan & Raftery 1994, JASA 89:1535; Raftery 1995,
        Sociological Methodology 25:111): keep a model unless the evidence against it, relative to
        the best, is strong, i.e. its BIC-approximated posterior odds are below 1 to 20:
        ``delta <= 2 log 20`` (about 5.99).
        """
        if not self.criterion:
            return self.existing.head(1)
        ex = self.existing
        return ex[ex[self.criterion] <= ex[self.criterion].min() + delta]

    def spread(self, near: float = OCCAM_DELTA) -> dict:
        """Min / median / max of the total across all existing models, and the near-best set
        (:meth:`near_best` with ``delta=near``): its size and range."""
        ex = self.existing
        out = {"n_models": int(len(self.models)), "n_existing": int(len(ex)),
               "n_no_finite_estimate": int((self.models["status"] != "ok").sum())}
        if len(ex):
            out.update(min=float(ex["total"].min()), median=float(ex["total"].median()),
                       max=float(ex["total"].max()))
        if self.criterion and len(ex):
            close = self.near_best(near)
            out.update(near_delta=float(near), near_n=int(len(close)),
                       near_min=float(close["total"].min()), near_max=float(close["total"].max()))
        return out


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
    from critique.mse.procedure import default_max_order

    table = as_table(table)
    if criterion not in CRITERIA:
        raise ValueError(f"criterion={criterion!r}; choose one of {CRITERIA}")
    if max_order is None:
        max_order = min(default_max_order(table.k), table.k - 1)
    models = enumerate_models(table.k, max_order) if models is None else list(models)
    terms = _model_terms(models)
    D = _Design(table.k, terms)
    exist = _existence_map(table, models, empty_overlaps, D)
    todo = [i for i, (ok, _, _) in enumerate(exist) if ok]
    y = table.counts.astype(float)
    chunks = np.array_split(np.array(todo, dtype=int), max(1, min(jobs, len(todo) // 64 or 1)))
    tasks = [(table.k, terms, y, [models[i] for i in c], [exist[i][1] for i in c])
             for c in chunks if len(c)]
    if len(tasks) > 1:
        with _pool(len(tasks)) as pool:
            results = list(pool.map(_fit_chunk, tasks))
    else:
        results = [_fit_chunk(t) for t in tasks]
    rows = [None] * len(models)
    for c, res in zip([c for c in chunks if len(c)], results):
        for i, r in zip(c, res):
            rows[i] = r
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
            dark, dev, llf, p, conv, df = rows[i]
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


# ---------------------------------------------------------------------------------- stepwise
def poisson_pvalue(observed: float, expected: float) -> float:
    """Two-sided-minimum one-tailed Poisson p-value ``min(P(X <= n), P(X >= n))`` of an overlap,
    as SparseMSE's ``stepwisefit``."""
    return float(min(stats.poisson.cdf(observed, expected), stats.poisson.sf(observed - 1, expected)))


def stepwise(table: CaptureTable, *, pthresh: float = 0.02, empty_overlaps: str = "refuse",
             ci: tuple[str, ...] = ("profile", "wald")) -> Selection:
    """Forward stepwise selection of pairwise interactions (Chan, Silverman & Vincent 2021).

    Start from main effects. At each step, for every pair not yet in the model, compare the number
    of people on both lists with its expectation under the current model (the sum of fitted values
    over the histories containing both); add the pair with the smallest Poisson p-value if it is
    below ``pthresh`` and the enlarged model has a finite, identifiable estimate; stop otherwise.
    ``table``: a :class:`CaptureTable` or a frame of 0/1 list columns plus ``count``.
    """
    table = as_table(table)
    path, model, mu = _stepwise_path(table, pthresh, empty_overlaps)
    best = fit(table, model, empty_overlaps=empty_overlaps, ci=ci)
    frame = pd.DataFrame(path)
    return Selection(best, frame, "stepwise", None, [f"pthresh={pthresh}"])


def _stepwise_path(table: CaptureTable, pthresh: float, empty_overlaps: str):
    k = table.k
    pairs = list(combinations(range(k), 2))
    D = _Design(k, pairs)
    y = table.counts.astype(float)
    nstar = {p: float(y[D.hist[:, list(p)].all(axis=1)].sum()) for p in pairs}
    model: Model = ()
    empty: tuple = ()
    dark, dev, llf, p, mu, conv, df = _fit_light(D, y, model, empty, None)
    path = [{"step": 0, "added": "", "p_value": np.nan, "model": "main effects",
             "total": table.n_observed + dark}]
    refused: set = set()
    # If the model with every overlapping pair exists, so does each of its sub-models: no LP needed.
    top_ok = check(table, closure([p for p in pairs if nstar[p] > 0]), "refuse").ok
    while True:
        cand = []
        for p in pairs:
            if p in model or p in refused:
                continue
            pstar = float(mu[D.hist[:, list(p)].all(axis=1)].sum())
            cand.append((poisson_pvalue(nstar[p], pstar), p))
        cand.sort()
        chosen = None
        for pv, p in cand:
            if pv >= pthresh:
                break
            trial = tuple(sorted(model + (p,)))
            if nstar[p] == 0 and empty_overlaps == "refuse":
                refused.add(p)
                continue
            if (nstar[p] > 0 and top_ok) or check(table, trial, empty_overlaps).ok:
                chosen = (pv, p)
                break
            refused.add(p)  # a model that does not exist now cannot exist after adding more
        if chosen is None:
            return path, model, mu
        pv, p = chosen
        model = tuple(sorted(model + (p,)))
        empty = tuple(t for t in model if nstar[t] == 0)
        dark, dev, llf, npar, mu, conv, df = _fit_light(D, y, model, empty, mu)
        path.append({"step": len(path), "added": ":".join(table.lists[i] for i in p),
                     "p_value": pv, "model": label(model, table.lists),
                     "total": table.n_observed + dark})


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
                     "critique.mse.run")


def quick_total(table: CaptureTable, procedure: Procedure, jobs: int = 1) -> tuple[float, str]:
    """(total, model) of a procedure without intervals: nan and the reason if nothing exists."""
    from critique.mse.procedure import runner

    try:
        res = runner(procedure.resolved(as_table(table).k))(
            table, procedure, intervals=False, n_boot=0, seed=1, jobs=jobs)
    except ValueError as err:  # includes NoFiniteEstimate
        return float("nan"), str(err)
    return res.total, res.model
