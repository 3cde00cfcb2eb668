"""Run a named procedure on a table and get the common result; compare many side by side.

The built-in methods register here (``bic``, ``aic``, ``stepwise``, ``fixed``, ``average``; ``auto``
resolves to one of them). Each returns a :class:`critique.methods.mse.result.PopulationEstimate` whose
reported interval is the bootstrap with the model choice repeated in every resample (Silverman,
Chan & Vincent 2024; BCa, or percentile when BCa is degenerate) when ``n_boot > 0``, and otherwise
the profile-likelihood interval of the chosen model treated as known in advance (the interval the
2014 UK estimate reported).

A new method plugs in with ``procedure.register(name, runner, description)``, ``runner`` having
the signature of :func:`run_selection`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

import numpy as np
import pandas as pd

from critique.methods.mse import cache
from critique.methods.mse.average import average
from critique.methods.mse.bootstrap import bootstrap
from critique.core.i18n import N_
from critique.methods.mse.procedure import BUILTIN_METHODS as BUILTIN, Procedure, register, runner
from critique.methods.mse.result import PopulationEstimate
from critique.methods.mse.select import estimate
from critique.methods.mse.table import CaptureTable, as_table

PROFILE = "profile (model known)"


def run_selection(table: CaptureTable, procedure: Procedure, *, intervals: bool = True,
                  n_boot: int = 0, seed: int = 1, jobs: int = 2) -> PopulationEstimate:
    """The built-in runner: model choice (or averaging), then the intervals asked for.

    table: a CaptureTable, a frame of 0/1 list columns plus ``count``, a dataset id or a CSV path.
    intervals: False for the point estimate only (sensitivity sweeps).
    n_boot: bootstrap resamples with the model choice repeated (0: no bootstrap).
    """
    table = as_table(table)
    k = table.k
    method = procedure.resolved(k)
    sel = estimate(table, procedure, jobs=jobs, ci=("profile",) if intervals else ())
    total, model = sel.best.total, sel.best.label
    ints, kind, details, warns = {}, "", {}, list(sel.best.warnings)
    if "profile" in sel.best.ci:
        ints[PROFILE], kind = sel.best.ci["profile"], PROFILE
    if method == "average":
        avg = average(sel, procedure.top(k))
        total, model = avg.total, f"BIC-weighted average of {avg.n_models} models"
        details["average"] = avg
        ints.pop(PROFILE, None)  # the best model's interval is not the average's
        kind = ""
        warns = []
    boot = None
    if intervals and n_boot > 0 and method != "fixed":
        boot = bootstrap(table, procedure, n=n_boot, seed=seed, jobs=jobs, selection=sel,
                         estimate_=total, label=model)
        ints["bootstrap percentile"] = boot.percentile
        ints["bootstrap BCa"] = boot.bca
        kind = "bootstrap BCa" if not boot.degenerate else "bootstrap percentile"
        warns += boot.warnings
    return PopulationEstimate(procedure.name or procedure.describe(k), method,
                              procedure.describe(k), table.name, k, table.n_observed, total,
                              model, ints, kind, 0.95, warns, sel, boot, details)


for _name, _text in (("bic", N_("lowest BIC")), ("aic", N_("lowest AIC")), ("stepwise", N_("stepwise")),
                     ("fixed", N_("fixed model")), ("average", N_("BIC-weighted model average"))):
    register(_name, run_selection, _text)


#: runs kept in this process, by content (see :func:`run`); oldest dropped beyond MEMO_SIZE
_MEMO: dict = {}
MEMO_SIZE = 48


def _memo_key(table: CaptureTable, procedure: Procedure, intervals: bool, n_boot: int, seed: int):
    """What a run's result depends on: the table's lists and counts, every setting of the
    procedure except its display name (the method resolved for the table), and the resampling.
    ``jobs`` is not in it: results do not depend on the number of processes."""
    settings = replace(procedure, name="", method=procedure.resolved(table.k))
    return (table.lists, table.counts.tobytes(), repr(settings), bool(intervals), int(n_boot),
            int(seed))


def run(table, procedure: Procedure = Procedure(), *, intervals: bool = True, n_boot: int = 0,
        seed: int = 1, jobs: int = 2) -> PopulationEstimate:
    """Run ``procedure`` (its method resolved for the table's number of lists) on ``table``.

    table: a CaptureTable, a frame of 0/1 list columns plus ``count``, a dataset id or a CSV path.
    The same run (same table content, settings, ``n_boot`` and ``seed``) is computed once per
    process and returned again under the procedure's own name, so a notebook section can reuse
    another section's bootstrap without recomputing it; runs that cost seconds (a bootstrap, dga,
    LCMCR) are also kept on disk by content and code (:mod:`critique.methods.mse.cache`).
    """
    table = as_table(table)
    key = _memo_key(table, procedure, intervals, n_boot, seed)
    if key not in _MEMO:
        method = procedure.resolved(table.k)
        heavy = (intervals and n_boot > 0 and method != "fixed") or method in ("dga", "lcmcr")
        res = cache.load(key) if heavy else None
        if res is None:
            res = runner(method)(table, procedure, intervals=intervals, n_boot=n_boot, seed=seed,
                                 jobs=jobs)
            if heavy:
                cache.save(key, res)
        _MEMO[key] = res
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.pop(next(iter(_MEMO)))
    res = _MEMO[key]
    name = procedure.name or (procedure.describe(table.k) if res.method in BUILTIN else res.method)
    return res if res.name == name else replace(res, name=name)


def compare(runs: Iterable[tuple[object, Procedure]], *, n_boot: int = 0, seed: int = 1,
            jobs: int = 2) -> tuple[pd.DataFrame, list[PopulationEstimate]]:
    """One row per (table, procedure) run: procedure, table, lists, observed, total, low, high,
    interval kind, model, description, warnings. Returns the frame and the results."""
    results = [run(t, p, n_boot=n_boot, seed=seed, jobs=jobs) for t, p in runs]
    frame = pd.DataFrame([r.row() for r in results])
    return frame, results


def within(frame: pd.DataFrame, low: float, high: float) -> pd.Series:
    """Whether each row's point estimate lies in ``[low, high]`` (a published range)."""
    return frame["total"].between(low, high) & np.isfinite(frame["total"])


def author_procedures() -> dict[str, Procedure]:
    """The defensible procedures of the same authors (Silverman 2014; Chan, Silverman & Vincent
    2021; Silverman, Chan & Vincent 2024, and their package), named for tables.

    Each is run as the authors' code runs it, in the point estimate and in every bootstrap
    replicate: stepwise and BIC admit a pair of lists that share nobody when its extended MLE
    exists (SparseMSE ``stepwisefit``; MultipleSystemsEstimation ``estimate_population_stepwise``
    and ``estimate_population_bic``)."""
    return {
        "stepwise": Procedure(method="stepwise", empty_overlaps="extended",
                              name="stepwise, p < 0.02 (Chan, Silverman & Vincent 2021)"),
        "bic_default": Procedure(method="bic", name="BIC, package defaults (order 3 for 4-5 lists)"),
        "bic_pairwise": Procedure(method="bic", max_order=2, name="BIC, pairwise interactions"),
        "average": Procedure(method="average", name="BIC-weighted average, package model set"),
    }
