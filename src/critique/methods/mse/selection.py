"""The outcome of a model search (:class:`Selection`) and the near-best rule, shared by every search.

Kept apart from :mod:`critique.methods.mse.select` so that the stepwise search (:mod:`critique.methods.mse.stepwise`)
and the criterion searches can both return it without importing each other.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from critique.methods.mse.fit import MSEResult

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
