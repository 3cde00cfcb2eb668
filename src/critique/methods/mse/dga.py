"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997).

The number of people on no list is estimated by averaging over *every* decomposable graphical model
of list dependence, each weighted by its posterior probability, instead of resting on one selected
log-linear model. This is the method of HRDAG's R package ``dga`` (Johndrow, Lum & Ball; function
``bma.cr``), used in human-rights casualty estimation.

Method (Madigan, D. & York, J. C. (1997) "Bayesian methods for estimation of the size of a closed
population", *Biometrika* 84(1):19-31), as ``dga`` computes it:

- A decomposable graph on the ``k`` lists has cliques ``C`` and separators ``S``; the cell
  probabilities get a hyper-Dirichlet prior whose marginal on a clique is Dirichlet with every cell
  parameter ``delta * 2**(k - |C|)`` (``delta`` per full-table cell; ``dga`` suggests ``2**-k``).
- For a missing count ``n0`` on a grid, the marginal likelihood of a graph is the product over
  cliques of the Dirichlet-multinomial likelihood of the clique margin (with ``n0`` added to the
  margin's all-absent cell) divided by the same over separators.
- Posterior ``p(graph, n0 | data)`` is proportional to that marginal likelihood times the
  multinomial coefficient ``N! / (n0! prod y!)`` times the prior on ``N = n0 + n`` (default ``1/N``)
  times a uniform prior over graphs. The computation is exact: every graph and every grid value.

The computation is exact on the stated grid of missing counts. The grid's upper end matters through
truncation: the mass beyond it is estimated from the decay of the posterior's tail, the default grid is
widened until that mass is below 0.1%, and a grid the caller fixes is flagged when it cuts more.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy.special import gammaln, logsumexp

from critique.methods.mse.table import CaptureTable, CaptureTableError

#: the graphs ``dga`` ships (``graphs3``, ``graphs4``, ``graphs5``): this module enumerates them itself.
MAX_LISTS = 5
#: estimated posterior mass beyond the grid above which the default grid is widened (or, for a grid
#: the caller gave, the result is flagged as truncated)
TRUNCATION_MASS = 1e-3
#: the default grid is widened (doubled) at most up to this many times the people observed
GRID_CAP = 400
#: grid columns computed at once (bounds memory: graphs x chunk doubles)
CHUNK = 8192


@dataclass(frozen=True)
class DecomposableGraph:
    """A decomposable (chordal) graph on lists ``0..k-1``: its maximal cliques and separators.

    Cliques and separators are bit masks over the lists (bit ``j`` for list ``j``); separators are
    the non-empty intersections along a junction tree (empty ones contribute nothing to the
    likelihood and are left out, as in ``dga``).
    """

    k: int
    edges: tuple[tuple[int, int], ...]
    cliques: tuple[int, ...]
    separators: tuple[int, ...]

    def label(self, lists: tuple[str, ...] | None = None) -> str:
        """Cliques as ``[A,B][C]``-style text (list names or 1-based numbers)."""
        names = lists or tuple(str(j + 1) for j in range(self.k))
        parts = []
        for c in sorted(self.cliques, key=lambda m: [j for j in range(self.k) if m >> j & 1]):
            parts.append("[" + ",".join(names[j] for j in range(self.k) if c >> j & 1) + "]")
        return "".join(parts)


@lru_cache(maxsize=None)
def decomposable_graphs(k: int) -> tuple[DecomposableGraph, ...]:
    """Every decomposable graph on ``k`` labelled lists (8 for 3 lists, 61 for 4, 822 for 5).

    Chordality, maximal cliques and the junction tree come from networkx; a maximum-weight spanning
    tree of the clique graph (weights = intersection sizes) is a junction tree of a chordal graph
    (Jensen & Jensen 1994), whose edges give the separators.
    """
    import networkx as nx

    if not 2 <= k <= MAX_LISTS:
        raise ValueError(f"decomposable_graphs: k={k}; dga is defined here for 2 to {MAX_LISTS} lists")
    pairs = list(itertools.combinations(range(k), 2))
    out = []
    for mask in range(2 ** len(pairs)):
        edges = tuple(p for i, p in enumerate(pairs) if mask >> i & 1)
        g = nx.Graph()
        g.add_nodes_from(range(k))
        g.add_edges_from(edges)
        if not nx.is_chordal(g):
            continue
        cliques = [sum(1 << j for j in c) for c in nx.find_cliques(g)]
        tree = nx.Graph()
        tree.add_nodes_from(range(len(cliques)))
        for a, b in itertools.combinations(range(len(cliques)), 2):
            tree.add_edge(a, b, weight=bin(cliques[a] & cliques[b]).count("1"))
        span = nx.maximum_spanning_tree(tree) if len(cliques) > 1 else tree
        seps = [cliques[a] & cliques[b] for a, b in span.edges()]
        out.append(DecomposableGraph(k, edges, tuple(sorted(cliques)),
                                     tuple(sorted(s for s in seps if s))))
    return tuple(out)


def _margin_log_ml(counts_full: np.ndarray, k: int, subset: int, n_missing: np.ndarray,
                   delta: float) -> np.ndarray:
    """``dga``'s ``CompLogML`` for one margin: Dirichlet-multinomial terms that depend on the cells.

    ``counts_full`` has the ``2**k`` history counts with cell 0 (no list) set to 0; the grid value
    ``n0`` is added to the margin's all-absent cell. The parameter per margin cell is
    ``delta * 2**(k - |subset|)``; the total-dependent part is added once per clique by the caller.
    """
    bits = [j for j in range(k) if subset >> j & 1]
    codes = np.arange(2 ** k)
    sub = np.zeros(2 ** k, dtype=np.int64)
    for i, j in enumerate(bits):
        sub |= ((codes >> j) & 1) << i
    margin = np.bincount(sub, weights=counts_full, minlength=2 ** len(bits))
    a = delta * 2 ** (k - len(bits))
    return (gammaln(n_missing + margin[0] + a) + gammaln(margin[1:] + a).sum()
            - margin.size * gammaln(a))


@dataclass
class DGAResult:
    """Posterior of the population size averaged over decomposable graphs.

    ``posterior`` is the probability of each total ``N = n_observed + n_missing[i]``;
    ``graph_weights`` the posterior probability of each graph (summed over the grid).
    """

    table: str
    lists: tuple[str, ...]
    n_observed: int
    n_missing: np.ndarray
    posterior: np.ndarray
    graphs: tuple[DecomposableGraph, ...]
    graph_weights: np.ndarray
    delta: float
    level: float = 0.95
    warnings: list[str] = field(default_factory=list)
    method: str = "dga"

    @property
    def totals(self) -> np.ndarray:
        """Grid of population totals, ``n_observed + n_missing``."""
        return self.n_observed + self.n_missing

    def quantile(self, q: float) -> float:
        """Smallest total whose posterior cumulative probability reaches ``q`` (R's type-1 rule)."""
        cdf = np.cumsum(self.posterior)
        return float(self.totals[min(np.searchsorted(cdf, q - 1e-12), len(cdf) - 1)])

    @property
    def estimate(self) -> float:
        """Posterior median of the total."""
        return self.quantile(0.5)

    @property
    def mean(self) -> float:
        """Posterior mean of the total."""
        return float(np.dot(self.totals, self.posterior))

    @property
    def interval(self) -> tuple[float, float]:
        """Equal-tailed posterior interval at ``level``."""
        tail = (1 - self.level) / 2
        return self.quantile(tail), self.quantile(1 - tail)

    def top_graphs(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` graphs with the largest posterior weight (summed over the grid)."""
        order = np.argsort(-self.graph_weights)[:n]
        return pd.DataFrame({
            "graph": [self.graphs[i].label(self.lists) for i in order],
            "weight": self.graph_weights[order],
        })

    def summary(self) -> dict:
        """Headline numbers: median, mean, interval, grid, delta, warnings."""
        lo, hi = self.interval
        return {"method": self.method, "table": self.table, "estimate": self.estimate,
                "mean": self.mean, "lo": lo, "hi": hi, "level": self.level,
                "n_observed": self.n_observed, "grid_max": int(self.n_missing.max()),
                "delta": self.delta, "warnings": list(self.warnings)}


def isolated(table: CaptureTable) -> list[str]:
    """Lists whose people appear on no other list (no overlap at all: dependence unidentifiable)."""
    hist = table.histories
    out = []
    for j, name in enumerate(table.lists):
        others = hist[:, np.arange(table.k) != j].any(axis=1)
        if table.counts[(hist[:, j] == 1) & others].sum() == 0:
            out.append(name)
    return out


def check_isolated(table: CaptureTable, policy: str, method: str) -> list[str]:
    """Refuse (``policy="refuse"``) or return the isolated lists of ``table`` (``"report"``)."""
    if policy not in ("refuse", "report"):
        raise ValueError(f"{method}: isolated_lists must be 'refuse' or 'report', got {policy!r}")
    found = isolated(table)
    if found and policy == "refuse":
        raise CaptureTableError(
            f"{method}: in table '{table.name or 'table'}' list(s) {', '.join(found)} overlap no "
            "other list, so the data cannot say how many people they miss; refused (pass "
            "isolated_lists='report' to see the prior-driven estimate, or drop or merge the list)")
    return found


def _posterior(t: CaptureTable, n_missing: np.ndarray, delta: float, log_prior):
    """(posterior over the grid, posterior weight of each graph), computed in grid chunks."""
    k = t.k
    n_obs = float(t.counts.sum())
    full = np.concatenate([[0.0], t.counts.astype(np.float64)])
    subsets = np.arange(1, 2 ** k)
    graphs = decomposable_graphs(k)
    # one row per margin, plus a last row for the total-dependent Dirichlet term that every clique
    # adds and every separator takes away (dga's "denominator"), so one product gives every graph
    incidence = np.zeros((len(graphs), subsets.size + 1))
    for g, graph in enumerate(graphs):
        for c in graph.cliques:
            incidence[g, c - 1] += 1
        for sep in graph.separators:
            incidence[g, sep - 1] -= 1
        incidence[g, -1] = len(graph.cliques) - len(graph.separators)
    total_a = 2 ** k * delta
    totals = n_missing + n_obs
    multinomial = gammaln(totals + 1) - gammaln(t.counts + 1.0).sum() - gammaln(n_missing + 1)
    if log_prior is None:
        prior = -np.log(totals)
    elif callable(log_prior):
        prior = np.asarray(log_prior(totals), dtype=float)
    else:
        prior = np.asarray(log_prior, dtype=float)
        if prior.shape != totals.shape:
            raise ValueError(f"dga: log_prior has {prior.size} values; the grid has {totals.size}")
    base = multinomial + prior
    post_log = np.empty(n_missing.size)
    graph_log = np.full(len(graphs), -np.inf)
    for a in range(0, n_missing.size, CHUNK):
        grid = n_missing[a:a + CHUNK]
        comp = np.vstack([_margin_log_ml(full, k, int(sub), grid, delta) for sub in subsets]
                         + [gammaln(total_a) - gammaln(grid + n_obs + total_a)])
        lw = incidence @ comp
        lw += base[a:a + CHUNK]
        m = lw.max()
        np.exp(lw - m, out=lw)
        with np.errstate(divide="ignore"):
            post_log[a:a + CHUNK] = np.log(lw.sum(axis=0)) + m
            graph_log = np.logaddexp(graph_log, np.log(lw.sum(axis=1)) + m)
    log_z = logsumexp(post_log)
    return np.exp(post_log - log_z), np.exp(graph_log - log_z)


def tail_beyond(posterior: np.ndarray, n_missing: np.ndarray, n_observed: int) -> float:
    """Posterior mass beyond the grid's end, extrapolated from the top 10% of the grid.

    The tail of a graph's posterior decays like a power of N (the saturated graph's like
    ``N**(delta - 2)``), so a small mass at the end of the grid can hide a large mass beyond it. A
    power law is fitted to the top tenth and integrated to infinity; ``inf`` when it does not decay
    fast enough to integrate.
    """
    n = posterior.size
    top = slice(max(0, n - max(10, n // 10)), n)
    x, y = np.log(n_missing[top] + n_observed), posterior[top]
    keep = y > 0
    if keep.sum() < 3:
        return 0.0
    slope = np.polyfit(x[keep], np.log(y[keep]), 1)[0]
    if slope >= -1:
        return float("inf")
    step = float(n_missing[-1] - n_missing[-2]) if n > 1 else 1.0
    end = float(n_missing[-1] + n_observed)
    return float(posterior[-1] / step * end / (-slope - 1))


def _as_table(table) -> CaptureTable:
    if isinstance(table, CaptureTable):
        return table
    if isinstance(table, pd.DataFrame):
        return CaptureTable.from_frame(table)
    raise CaptureTableError(f"dga: expected a CaptureTable or a DataFrame of 0/1 list columns and a "
                            f"'count' column, got {type(table).__name__}")


def dga(table: CaptureTable | pd.DataFrame, *, n_missing: np.ndarray | None = None,
        delta: float | None = None, log_prior=None, level: float = 0.95,
        isolated_lists: str = "refuse") -> DGAResult:
    """Posterior of the population size, averaged over all decomposable graphs (``dga::bma.cr``).

    Parameters
    ----------
    table: a :class:`CaptureTable` (3 to 5 lists) or a DataFrame ``CaptureTable.from_frame`` accepts.
    n_missing: grid of candidate numbers of people on no list (integers >= 0). Default
        ``0 .. max(1000, 25 * n_observed)``, doubled while more than 0.1% of the posterior is
        estimated to lie beyond it (up to 400 times the people observed); for a grid you give, that
        case is flagged in ``warnings`` (:func:`tail_beyond`), as is a grid that starts too high.
    delta: hyper-Dirichlet parameter per full-table cell; default ``2**-k`` (``dga``'s suggestion).
    log_prior: callable ``N -> log prior`` of the total, or an array on the grid; default ``-log N``
        (``bma.cr``'s default).
    level: posterior interval level.
    isolated_lists: what to do with a list that overlaps no other: "refuse" (default, as the
        log-linear code refuses a model without a finite estimate) or "report" (estimate with a
        warning: the data then say nothing about that list's dependence and the prior decides).

    Raises :class:`CaptureTableError` for fewer than 3 or more than 5 lists or a refused isolated
    list, and ``ValueError`` for a grid that is empty, negative or not integers.
    """
    t = _as_table(table)
    k = t.k
    if not 3 <= k <= MAX_LISTS:
        raise CaptureTableError(f"dga: table '{t.name or 'table'}' has {k} lists; decomposable-graph "
                                f"averaging is available for 3 to {MAX_LISTS} lists (as in dga)")
    lonely = check_isolated(t, isolated_lists, "dga")
    n_obs = int(t.counts.sum())
    n_missing_given = n_missing
    if n_missing is None:
        n_missing = np.arange(0, max(1000, 25 * n_obs) + 1)
    n_missing = np.asarray(n_missing)
    if n_missing.ndim != 1 or n_missing.size == 0 or (n_missing < 0).any() \
            or not np.all(np.equal(np.mod(n_missing, 1), 0)):
        raise ValueError("dga: n_missing must be a non-empty 1-d grid of whole numbers >= 0")
    n_missing = n_missing.astype(np.float64)
    delta = 2.0 ** -k if delta is None else float(delta)
    if not delta > 0 or not np.isfinite(delta):
        raise ValueError(f"dga: delta must be a positive number, got {delta}")

    widen = n_missing_given is None
    while True:
        posterior, graph_weights = _posterior(t, n_missing, delta, log_prior)
        beyond = tail_beyond(posterior, n_missing, n_obs)
        if not (widen and beyond > TRUNCATION_MASS and n_missing[-1] < GRID_CAP * max(n_obs, 40)):
            break
        n_missing = np.arange(0, 2 * int(n_missing[-1]) + 1, dtype=np.float64)  # default grid: widen it
    graphs = decomposable_graphs(k)

    warnings = []
    if beyond > TRUNCATION_MASS:
        share = "an unbounded share" if not np.isfinite(beyond) else f"about {beyond:.1%}"
        warnings.append(f"{share} of the posterior lies beyond the grid (up to {int(n_missing[-1]):,} "
                        "missing; estimated from the decay of its top 10%): the upper quantiles are cut; "
                        "widen n_missing")
    if n_missing[0] > 0 and posterior[0] > TRUNCATION_MASS:
        warnings.append(f"the grid starts at {int(n_missing[0]):,} missing and the posterior is still "
                        f"{posterior[0]:.2%} there: the lower quantiles may be cut; start the grid lower")
    for name in lonely:
        warnings.append(f"list '{name}' overlaps no other list: the data carry no information on "
                        "its dependence, and the estimate rests on the prior")
    return DGAResult(t.name, t.lists, n_obs, n_missing.astype(np.int64), posterior, graphs,
                     graph_weights, delta, level, warnings)
