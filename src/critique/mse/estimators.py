"""Run a named procedure on a table and get the common result; compare many side by side.

The built-in methods register here (``bic``, ``aic``, ``stepwise``, ``fixed``, ``average``; ``auto``
resolves to one of them). Each returns a :class:`critique.mse.result.PopulationEstimate` whose
reported interval is the bootstrap with the model choice repeated in every resample (Silverman,
Chan & Vincent 2024; BCa, or percentile when BCa is degenerate) when ``n_boot > 0``, and otherwise
the profile-likelihood interval of the chosen model treated as known in advance (the interval the
2014 UK estimate reported).

A new method plugs in with ``procedure.register(name, runner, description)``, ``runner`` having
the signature of :func:`run_selection`.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from critique.mse.average import average
from critique.mse.bootstrap import bootstrap
from critique.mse.procedure import Procedure, register, runner
from critique.mse.result import PopulationEstimate
from critique.mse.select import estimate
from critique.mse.table import CaptureTable, as_table

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


for _name, _text in (("bic", "lowest BIC"), ("aic", "lowest AIC"), ("stepwise", "stepwise"),
                     ("fixed", "fixed model"), ("average", "BIC-weighted model average")):
    register(_name, run_selection, _text)


def run(table, procedure: Procedure = Procedure(), *, intervals: bool = True, n_boot: int = 0,
        seed: int = 1, jobs: int = 2) -> PopulationEstimate:
    """Run ``procedure`` (its method resolved for the table's number of lists) on ``table``."""
    table = as_table(table)
    return runner(procedure.resolved(table.k))(table, procedure, intervals=intervals,
                                                n_boot=n_boot, seed=seed, jobs=jobs)


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
    2021; Silverman, Chan & Vincent 2024, and their package), named for tables."""
    return {
        "stepwise": Procedure(method="stepwise", empty_overlaps="refuse",
                              name="stepwise, p < 0.02 (Chan, Silverman & Vincent 2021)"),
        "bic_default": Procedure(method="bic", name="BIC, package defaults (order 3 for 4-5 lists)"),
        "bic_pairwise": Procedure(method="bic", max_order=2, name="BIC, pairwise interactions"),
        "average": Procedure(method="average", name="BIC-weighted average, package model set"),
    }
