"""Model averaging: every model's estimate, weighted by how well BIC says it fits.

Weights ``w_i = exp(-BIC_i / 2) / sum_j exp(-BIC_j / 2)`` approximate posterior model
probabilities under equal prior weights (Raftery 1995, "Bayesian model selection in social
research", Sociological Methodology 25:111-163; Hoeting, Madigan, Raftery & Volinsky 1999,
Statistical Science 14:382). The averaged total is ``sum_i w_i N_i``; its between-model spread is
the weighted standard deviation of the ``N_i``. Uncertainty within each model is not in that
spread: the bootstrap (:func:`critique.methods.mse.bootstrap.bootstrap` with ``method="average"``) repeats
the averaging in every resample and gives the interval.

Which models are averaged: all models with a finite estimate (``ntop=0``) or, as the bootstrap of
MultipleSystemsEstimation restricts its selection, the ``ntop`` best on the original data (all for up
to three lists, 20 for four, 100 for five or six). The restriction is not free: on the UK
five-list table under the package's default model set (6,084 models with a finite estimate) the
101st model has 9.7e-4 of the best model's weight, the models outside the top 100 carry 0.95% of
the weight together, and the average over all of them is 22,285 against 22,326 over the top 100
(the test ``test_average_top_100_against_all`` recomputes these numbers).

The averaging is this suite's addition; the package reports the single lowest-BIC model.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.methods.mse.select import Selection


@dataclass
class AveragedEstimate:
    """A BIC-weighted average over models: total, between-model spread and the weights."""

    total: float
    sd_between: float
    n_models: int
    effective_models: float  # 1 / sum(w^2): how many models carry the weight
    criterion: str
    weights: pd.DataFrame = field(repr=False)  # model, total, criterion, delta, weight

    def summary(self) -> dict:
        """Key numbers (for findings)."""
        top = self.weights.iloc[0]
        return {"total": self.total, "sd_between": self.sd_between, "n_models": self.n_models,
                "effective_models": self.effective_models, "top_model": top["model"],
                "top_weight": float(top["weight"])}


def weights(values: np.ndarray) -> np.ndarray:
    """``exp(-v/2)`` normalised, computed from differences to the minimum (no overflow).

    Non-finite values (models without an estimate) get weight 0. Works on the last axis, so a
    ``replicates x models`` matrix gives one weight vector per replicate.
    """
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    low = np.min(np.where(finite, v, np.inf), axis=-1, keepdims=True)
    raw = np.where(finite, np.exp(-(np.where(finite, v, 0.0) - low) / 2), 0.0)
    total = raw.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return raw / total


def average(selection: Selection, top: int | None = None) -> AveragedEstimate:
    """BIC-weighted average of the totals in a search (``selection`` from
    :func:`critique.methods.mse.select.search_all`), over the ``top`` best models (None = all existing).

    Raises ValueError when the selection has no criterion (stepwise or a fixed model).
    """
    if not isinstance(selection, Selection):
        raise TypeError(f"average: expected the Selection of a model search "
                        f"(critique.methods.mse.search_all), got {type(selection).__name__}")
    crit = selection.criterion
    if not crit:
        raise ValueError("model averaging needs a search ranked by a criterion (bic, bic_cells "
                         f"or aic); this selection is '{selection.method}'")
    ex = selection.existing.sort_values(crit)
    if top is not None:
        ex = ex.head(top)
    w = weights(ex[crit].to_numpy())
    tot = ex["total"].to_numpy(float)
    mean = float(np.sum(w * tot))
    sd = float(np.sqrt(np.sum(w * (tot - mean) ** 2)))
    frame = pd.DataFrame({"model": ex["model"].to_numpy(), "total": tot,
                          crit: ex[crit].to_numpy(), "delta": ex[crit].to_numpy() - ex[crit].min(),
                          "weight": w})
    return AveragedEstimate(mean, sd, int(len(ex)), float(1 / np.sum(w**2)), crit, frame)
