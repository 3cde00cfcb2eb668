"""Multiple systems estimation (MSE): hidden-population estimates from overlapping lists, and how
fragile they are.

Poisson log-linear models on capture-history tables (Silverman 2020, JRSS-A 183(3)); existence and
identifiability by linear programming (Fienberg & Rinaldo 2012; Chan, Silverman & Vincent 2021,
JASA 116:1297); model selection by exhaustive AIC/BIC search or forward stepwise; bootstrap with the
selection repeated in every replicate (Silverman, Chan & Vincent 2024); sensitivity to false
positives and to list choices. A model without a finite estimate is refused or reported as such,
never shown as a number.

Modules: ``table`` (CaptureTable), ``model`` (terms, enumeration), ``existence`` (LP check),
``fit`` (one model), ``select`` (search, stepwise, Procedure), ``bootstrap``, ``sensitivity``.
"""
from critique.mse.bootstrap import BootstrapResult, bootstrap
from critique.mse.existence import Existence, check
from critique.mse.fit import MSEResult, NoFiniteEstimate, bootstrap_fixed, fit, irls
from critique.mse.model import enumerate_models, label, parse_model
from critique.mse.select import Procedure, Selection, estimate, search_all, stepwise
from critique.mse.sensitivity import false_positives, list_choices, per_false_positive
from critique.mse.table import CaptureTable, CaptureTableError

__all__ = [
    "BootstrapResult", "CaptureTable", "CaptureTableError", "Existence", "MSEResult",
    "NoFiniteEstimate", "Procedure", "Selection", "bootstrap", "bootstrap_fixed", "check",
    "enumerate_models", "estimate", "false_positives", "fit", "irls", "label", "list_choices",
    "parse_model", "per_false_positive", "search_all", "stepwise",
]
