"""An estimation procedure, named completely: which method, which models, which conventions.

The defaults are those of ``estimate_population`` in the R package MultipleSystemsEstimation
(Silverman; public repository bernardsilverman/MultipleSystemsEstimation, functions
``estimate_population`` and ``estimate_population_bic``), the package that accompanies
Silverman, Chan & Vincent (2024), Statistics and Computing 34:44:

- ``method="auto"``: BIC model selection for up to five lists, forward stepwise (Chan, Silverman &
  Vincent 2021) for six or more;
- largest interaction order: 1 for two lists, 2 for three, 3 for four or five, 2 for six
  (:func:`default_max_order`);
- BIC sample size: the number of people observed (the Rcapture convention; ``fit_hier_model``
  with ``bicRcap=TRUE``); the number of cells is available as ``bic_sample_size="cells"``;
- non-overlapping lists: the extended maximum-likelihood estimate (interaction at minus infinity,
  checked by the Fienberg-Rinaldo linear program), ``empty_overlaps="extended"``;
- bootstrap selection among the ``ntop`` models best on the original data: all for up to three
  lists, 20 for four, 100 for five or six (:func:`default_ntop`).

A method is a name and a callable returning the common result object
(:class:`critique.methods.mse.result.PopulationEstimate`): :func:`register` adds one (the Bayesian methods
plug in here), :func:`methods` lists them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from critique.core.errors import ParameterError
from critique.core.i18n import _

BIC_SAMPLE_SIZES = ("people", "cells")
EMPTY_POLICIES = ("refuse", "extended")
SEARCH_METHODS = ("bic", "aic")  # exhaustive search by a criterion
BUILTIN_METHODS = ("auto", "bic", "aic", "stepwise", "fixed", "average")

_REGISTRY: dict[str, Callable] = {}
_DESCRIPTIONS: dict[str, str] = {}


def register(name: str, runner: Callable, description: str = "") -> None:
    """Add an estimation method: ``runner(table, procedure, *, intervals, n_boot, seed, jobs)``
    returns a :class:`critique.methods.mse.result.PopulationEstimate`. ``description`` is a caption phrase."""
    if not name or not name.replace("_", "").isalnum():
        raise ParameterError(f"register: method name {name!r} must be a word (letters, digits, _)")
    _REGISTRY[name] = runner
    _DESCRIPTIONS[name] = description or name


def methods() -> list[str]:
    """Every method name a :class:`Procedure` accepts."""
    return sorted(set(BUILTIN_METHODS) | set(_REGISTRY))


def runner(name: str) -> Callable:
    """The callable registered for ``name`` (built-ins register on import of critique.methods.mse)."""
    if name not in _REGISTRY:
        raise ParameterError(f"method {name!r} has no registered runner; known: {', '.join(methods())}")
    return _REGISTRY[name]


def default_max_order(k: int) -> int:
    """Largest interaction order searched by default (``estimate_population_bic``, maxorder=NULL)."""
    return {2: 1, 3: 2, 4: 3, 5: 3}.get(k, 2)


def default_ntop(k: int) -> int | None:
    """Models kept for bootstrap selection by default (``ntopmodels=NULL``); None = all."""
    return None if k <= 3 else (20 if k == 4 else 100)


@dataclass(frozen=True)
class Procedure:
    """An estimation procedure: the model-choice rule and every convention it depends on.

    method: "auto" (BIC up to ``exhaustive_max_lists`` lists, stepwise beyond), "bic" / "aic"
        (exhaustive search by that criterion), "stepwise" (Chan, Silverman & Vincent 2021),
        "fixed" (``interactions``), "average" (BIC-weighted average over the models), or a
        registered name.
    max_order: largest interaction order in a search; None = the package default for the table.
    bic_sample_size: "people" (people observed; package and Rcapture) or "cells" (2**k - 1).
    ntop: models kept for bootstrap selection and for averaging; None = the package default,
        0 = all models.
    empty_overlaps: "extended" (package default: non-overlapping pairs at minus infinity) or
        "refuse" (such models have no finite estimate).
    """

    method: str = "auto"
    max_order: int | None = None
    bic_sample_size: str = "people"
    ntop: int | None = None
    pthresh: float = 0.02
    exhaustive_max_lists: int = 5
    empty_overlaps: str = "extended"
    interactions: object = None
    name: str = ""  # a short label for tables ("BIC, package defaults")
    options: tuple = ()  # method-specific settings as (name, value) pairs, e.g. (("chains", 4),)

    def __post_init__(self):
        if self.method not in methods():
            raise ParameterError(f"Procedure.method={self.method!r}; choose one of {methods()}")
        if not 0 <= self.pthresh <= 1:
            raise ParameterError(f"Procedure.pthresh={self.pthresh}; must be in 0..1")
        if self.bic_sample_size not in BIC_SAMPLE_SIZES:
            raise ParameterError(f"Procedure.bic_sample_size={self.bic_sample_size!r}; choose one "
                                 f"of {BIC_SAMPLE_SIZES}")
        if self.empty_overlaps not in EMPTY_POLICIES:
            raise ParameterError(f"Procedure.empty_overlaps={self.empty_overlaps!r}; choose one of "
                                 f"{EMPTY_POLICIES}")
        if self.max_order is not None and self.max_order not in (1, 2, 3):
            raise ParameterError(f"Procedure.max_order={self.max_order}; choose 1, 2, 3 or None "
                                 "(package default)")
        if self.ntop is not None and self.ntop < 0:
            raise ParameterError(f"Procedure.ntop={self.ntop}; must be 0 (all) or more, or None")

    def option(self, name: str, default=None):
        """A method-specific setting from ``options`` (for registered methods such as dga)."""
        return dict(self.options).get(name, default)

    def with_(self, **changes) -> "Procedure":
        """A copy with some settings changed."""
        return replace(self, **changes)

    def resolved(self, k: int) -> str:
        """The concrete method for a table of ``k`` lists."""
        if self.method == "auto":
            return "bic" if k <= self.exhaustive_max_lists else "stepwise"
        return self.method

    def order(self, k: int) -> int:
        """The largest interaction order searched on ``k`` lists (never above ``k - 1``)."""
        order = default_max_order(k) if self.max_order is None else self.max_order
        return max(1, min(order, k - 1))

    def top(self, k: int) -> int | None:
        """Models kept for the bootstrap and for averaging on ``k`` lists; None = all."""
        if self.ntop is None:
            return default_ntop(k)
        return None if self.ntop == 0 else self.ntop

    def criterion(self, k: int) -> str:
        """Column of the model table that ranks models: "bic", "bic_cells" or "aic"."""
        method = self.resolved(k)
        if method == "aic":
            return "aic"
        return "bic" if self.bic_sample_size == "people" else "bic_cells"

    def describe(self, k: int) -> str:
        """Plain words for a caption, naming every convention the estimate depends on."""
        m = self.resolved(k)
        bic = (_("BIC with the people observed as sample size") if self.bic_sample_size == "people"
               else _("BIC with the number of cells as sample size"))
        empty = (_("non-overlapping lists at minus infinity (extended MLE)")
                 if self.empty_overlaps == "extended" else _("models linking non-overlapping lists refused"))
        top = self.top(k)
        top_s = _("all models") if top is None else _("the {n} best models", n=top)
        if m in SEARCH_METHODS:
            crit = "AIC" if m == "aic" else bic
            return _("lowest {criterion} among all hierarchical models with interactions of up to {order} lists; "
                     "{empty}; bootstrap selection among {top}", criterion=crit, order=self.order(k), empty=empty,
                     top=top_s)
        if m == "average":
            return _("average of the models with interactions of up to {order} lists, weighted by exp(-BIC/2) ({bic}) "
                     "over {top}; {empty}", order=self.order(k), bic=bic, top=top_s, empty=empty)
        if m == "stepwise":
            pairs = (_("a pair sharing nobody admitted when its extended MLE exists")
                     if self.empty_overlaps == "extended" else _("pairs sharing nobody refused"))
            return _("forward stepwise over pairwise interactions (Chan, Silverman & Vincent 2021), p < {p}; {pairs}",
                     p=self.pthresh, pairs=pairs)
        if m == "fixed":
            return _("one fixed model chosen in advance")
        return _(_DESCRIPTIONS[m]) if m in _DESCRIPTIONS else m
