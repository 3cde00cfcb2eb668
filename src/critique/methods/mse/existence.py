"""Does a model have a finite, identifiable maximum-likelihood estimate on this table?

Two checks, before any fitting, following Fienberg & Rinaldo (2012), "Maximum likelihood estimation
in log-linear models", Ann. Statist. 40:996-1023, as specialised to multiple systems estimation by
Chan, Silverman & Vincent (2021), JASA 116(535):1297-1306 (routine ``checkident`` of the R package
SparseMSE):

1. **Existence.** The MLE exists iff the observed margins ``t = M' y`` (``M`` the design matrix over
   the fitted cells) lie in the relative interior of the marginal cone, i.e. iff some strictly
   positive table ``x`` has the same margins. Linear program: maximise ``s`` subject to
   ``M' x = t``, ``x_i >= s``, ``x >= 0``; the MLE exists iff the optimum is ``s > 0``. A pair of
   lists that never overlap (a zero margin) makes that pair's interaction go to minus infinity,
   and the LP returns 0.
2. **Identifiability.** ``M`` has full column rank on the cells fitted (e.g. a saturated model
   including the top-order interaction is not identifiable: the unobserved cell is missing).

``empty_overlaps="refuse"`` (default of this suite): a model containing an interaction whose lists
never overlap has no finite MLE and is refused. ``"extended"``: the extended MLE of SparseMSE /
MultipleSystemsEstimation, which sets such interactions to minus infinity, removes the histories
containing them, and checks the remaining model with the same LP; its population estimate is
finite but rests on a boundary value, and the result says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from critique.methods.mse.model import Model, design, label
from critique.methods.mse.table import CaptureTable, as_table

LP_TOL = 1e-7
EMPTY_POLICIES = ("refuse", "extended")


@dataclass(frozen=True)
class Existence:
    """Outcome of the existence and identifiability checks for one model on one table."""

    exists: bool
    identifiable: bool
    empty_terms: tuple = ()
    lp_value: float = float("nan")
    rank_deficiency: int = 0
    reason: str = ""
    keep: np.ndarray = field(default=None, repr=False)  # cells fitted
    columns: np.ndarray = field(default=None, repr=False)  # design columns fitted

    @property
    def ok(self) -> bool:
        """True when the model can be fitted and its estimate is finite and identifiable."""
        return self.exists and self.identifiable


def reduced_design(table: CaptureTable, model: Model, empty_overlaps: str = "refuse",
                   X: np.ndarray | None = None):
    """Design, cells kept, columns kept and zero-margin terms of ``model`` under the policy.

    Under ``"extended"`` the histories containing an empty term are dropped with that term's column
    (Chan, Silverman & Vincent 2021, section 3; SparseMSE ``buildmodel``).
    """
    if empty_overlaps not in EMPTY_POLICIES:
        raise ValueError(f"empty_overlaps={empty_overlaps!r}; choose one of {EMPTY_POLICIES}")
    if X is None:
        X = design(table.k, model)
    hist = table.histories
    empty = tuple(t for t in model if table.counts[hist[:, list(t)].all(axis=1)].sum() == 0)
    keep = np.ones(len(table.counts), dtype=bool)
    cols = np.ones(X.shape[1], dtype=bool)
    if empty and empty_overlaps == "extended":
        for t in empty:
            keep &= ~hist[:, list(t)].all(axis=1)
        cols = X[keep].any(axis=0)
        cols[0] = True
    return X[np.ix_(keep, cols)], keep, cols, empty


def lp_interior(M: np.ndarray, y: np.ndarray) -> float:
    """Optimum ``s`` of the Fienberg-Rinaldo LP: the largest ``min(x)`` over tables ``x >= 0`` with
    the margins ``M' x = M' y``. Positive iff the margins are in the interior of the marginal cone."""
    from scipy.optimize import linprog  # imported on first use: keeps `import critique.methods.mse` light

    n_cells, _ = M.shape
    t = M.T @ y
    c = np.zeros(n_cells + 1)
    c[-1] = -1.0  # maximise s
    A_eq = np.hstack([M.T, np.zeros((M.shape[1], 1))])
    A_ub = np.hstack([-np.eye(n_cells), np.ones((n_cells, 1))])  # s - x_i <= 0
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n_cells), A_eq=A_eq, b_eq=t,
                  bounds=[(0, None)] * (n_cells + 1), method="highs")
    if res.status != 0:
        return 0.0 if res.status == 2 else float("nan")  # 2: infeasible
    return float(-res.fun)


#: outcomes of :func:`check` by (lists, zero pattern, model, policy); see :func:`check`
_BY_SUPPORT: dict = {}
SUPPORT_CACHE_SIZE = 100_000


def check(table: CaptureTable, model: Model, empty_overlaps: str = "refuse",
          X: np.ndarray | None = None) -> Existence:
    """Existence (LP) and identifiability (rank) of ``model`` on ``table`` (a CaptureTable or a frame
    of 0/1 list columns plus ``count``); see the module notes.

    Both depend on the table only through which cells are zero (existence of the Poisson
    log-linear MLE is a property of the support of the counts: Haberman 1974, "The Analysis of
    Frequency Data", theorem 2.2; Fienberg & Rinaldo 2012, section 3; the zero margins that decide
    the extended estimate's dropped cells are sums over the same support). So an outcome is kept
    per process by (lists, zero pattern, model, policy) and reused for every table with the same
    zero pattern: the tables of a false-positive sweep, the jackknife deletions of a cell with more
    than one person, most bootstrap resamples. The reused outcome's ``lp_value`` is the first such
    table's LP optimum (its sign, the only thing any caller reads, is shared).
    """
    table = as_table(table)
    key = (table.lists, (table.counts > 0).tobytes(), model, empty_overlaps)
    hit = _BY_SUPPORT.get(key)
    if hit is None:
        hit = _check(table, model, empty_overlaps, X)
        if len(_BY_SUPPORT) >= SUPPORT_CACHE_SIZE:
            _BY_SUPPORT.clear()
        _BY_SUPPORT[key] = hit
    return hit


def _check(table: CaptureTable, model: Model, empty_overlaps: str,
           X: np.ndarray | None) -> Existence:
    M, keep, cols, empty = reduced_design(table, model, empty_overlaps, X)
    y = table.counts[keep].astype(float)
    rankdef = int(M.shape[1] - np.linalg.matrix_rank(M))
    names = [":".join(table.lists[i] for i in t) for t in empty]
    if empty and empty_overlaps == "refuse":
        reason = (f"no finite estimate: lists {', '.join(names)} never overlap (zero margin), so the "
                  f"maximum-likelihood value of that interaction is minus infinity (Fienberg & "
                  f"Rinaldo 2012; Chan, Silverman & Vincent 2021)")
        return Existence(False, rankdef == 0, empty, 0.0, rankdef, reason, keep, cols)
    s = lp_interior(M, y) if y.sum() > 0 else 0.0
    exists = bool(s > LP_TOL)
    reasons = []
    if not exists:
        reasons.append("no finite estimate: the observed margins lie on the boundary of the "
                       f"marginal cone (LP optimum {s:.3g}; Fienberg & Rinaldo 2012)")
    if rankdef:
        reasons.append(f"not identifiable: design matrix of model '{label(model, table.lists)}' "
                       f"is rank-deficient by {rankdef} on the histories that can be observed")
    return Existence(exists, rankdef == 0, empty, s, rankdef, "; ".join(reasons), keep, cols)
