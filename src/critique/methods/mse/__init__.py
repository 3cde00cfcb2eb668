"""Multiple systems estimation (MSE): hidden-population estimates from overlapping lists, and how
fragile they are.

Poisson log-linear models on capture-history tables (Silverman 2020, JRSS-A 183(3)); existence and
identifiability by linear programming (Fienberg & Rinaldo 2012; Chan, Silverman & Vincent 2021,
JASA 116:1297); model selection by exhaustive BIC/AIC search (BIC sample size = people observed, as
the authors' R package MultipleSystemsEstimation and Rcapture) or forward stepwise; BIC-weighted
model averaging; bootstrap with the selection repeated in every replicate (Silverman, Chan &
Vincent 2024) and a percentile fallback when BCa is degenerate; sensitivity to false positives and
to list choices. Defaults follow the package (:mod:`critique.methods.mse.procedure`). A model without a
finite estimate is refused or reported as such, never shown as a number.

Modules: ``table`` (CaptureTable), ``model`` (terms, enumeration), ``existence`` (LP check),
``fit`` (one model), ``procedure`` (Procedure, method registry), ``batchfit`` (many fits at
once), ``select`` (search), ``stepwise`` (the authors' stepwise), ``average``, ``bootstrap`` and
``bootsearch`` (its batched search), ``intervals`` (BCa, percentile), ``result`` (PopulationEstimate), ``estimators`` (run, compare), ``sensitivity``;
the Bayesian methods ``dga`` (decomposable-graph averaging, Madigan & York 1997) and ``lcmcr``
(latent classes, Manrique-Vallier 2016), registered as procedures in ``bayesian``; ``analysis``,
``sections`` and ``reading`` (notebook 40 as one object, its sections and its sentences).
"""
from critique.methods.mse.average import AveragedEstimate, average
from critique.methods.mse.bootstrap import BootstrapResult, bootstrap
from critique.methods.mse.existence import Existence, check
from critique.methods.mse.fit import MSEResult, NoFiniteEstimate, bootstrap_fixed, fit, irls
from critique.methods.mse.model import enumerate_models, label, parse_model
from critique.methods.mse.procedure import (Procedure, default_max_order, default_ntop, methods,
                                    register)
from critique.methods.mse.result import PopulationEstimate
from critique.methods.mse.select import Selection, estimate, search_all
from critique.methods.mse.stepwise import stepwise
from critique.methods.mse.estimators import author_procedures, compare, run
from critique.methods.mse.bayesian import many_methods, one_table_many_methods  # registers dga, lcmcr
from critique.methods.mse.dga import DGAResult, dga
from critique.methods.mse.lcmcr import LCMCRResult, lcmcr
from critique.methods.mse.sensitivity import false_positives, list_choices, per_false_positive
from critique.methods.mse.table import CaptureTable, CaptureTableError, OnlyListWarning, as_table
from critique.methods.mse.analysis import MSEAnalysis, Section, analyse
from critique.methods.mse import exercise  # noqa: E402 (workshop exercise 4)

__all__ = [
    "MSEAnalysis", "Section", "analyse", "DGAResult", "LCMCRResult", "dga", "lcmcr", "many_methods", "one_table_many_methods",
    "AveragedEstimate", "BootstrapResult", "CaptureTable", "CaptureTableError", "Existence",
    "MSEResult", "NoFiniteEstimate", "OnlyListWarning", "PopulationEstimate", "Procedure",
    "Selection", "as_table", "author_procedures", "average", "bootstrap", "bootstrap_fixed",
    "check", "compare", "default_max_order", "default_ntop", "enumerate_models", "estimate",
    "false_positives", "fit", "irls", "label", "list_choices", "methods", "parse_model",
    "per_false_positive", "register", "run", "search_all", "stepwise",
]
