"""Hierarchical log-linear models for capture histories: terms, design columns, enumeration.

The model for an observable history ``w`` is ``log mu_w = sum_{t subset of w} alpha_t`` (intercept,
one main effect per list, and the chosen interactions); the intercept is the log expected count of
the unobserved all-zero history (Silverman 2020, JRSS-A 183(3), eq. 1; user guide of the R package
MultipleSystemsEstimation). A model is *hierarchical*: with an interaction it contains every
lower-order interaction of the same lists.

A model is a sorted tuple of interaction terms; a term is a sorted tuple of list indices (length >= 2).
"""
from __future__ import annotations

from itertools import combinations
from typing import Iterable, Sequence

import numpy as np

from critique.methods.mse.table import CaptureTable, CaptureTableError, histories

Term = tuple[int, ...]
Model = tuple[Term, ...]


def all_pairs(k: int) -> list[Term]:
    """Every pair of ``k`` lists, in lexicographic order."""
    return list(combinations(range(k), 2))


def closure(terms: Iterable[Sequence[int]]) -> Model:
    """The smallest hierarchical model containing ``terms`` (adds every sub-interaction)."""
    out: set[Term] = set()
    for t in terms:
        t = tuple(sorted(set(int(i) for i in t)))
        for r in range(2, len(t) + 1):
            out.update(combinations(t, r))
    return tuple(sorted(out, key=lambda t: (len(t), t)))


def parse_model(table: CaptureTable, interactions) -> Model:
    """A model from user input: None/"main"/[] = main effects; "pairs" = all pairwise interactions;
    or an iterable of terms, each names ("LA:NG", ("LA", "NG")) or indices ((0, 1)).

    The result is closed hierarchically (a three-list term brings its pairs).
    """
    if interactions is None or (isinstance(interactions, str) and interactions == "main"):
        return ()
    if isinstance(interactions, str) and interactions == "pairs":
        return tuple(all_pairs(table.k))
    if isinstance(interactions, str):
        interactions = [interactions]
    terms = []
    for t in interactions:
        names = t.split(":") if isinstance(t, str) else list(t)
        idx = table.index(names)
        if len(set(idx)) < 2:
            raise CaptureTableError(f"interaction {t!r}: needs at least two different lists")
        terms.append(idx)
    return closure(terms)


def label(model: Model, lists: Sequence[str]) -> str:
    """Readable model name: 'main effects' or 'LA:NG + PF:GO'."""
    if not model:
        return "main effects"
    return " + ".join(":".join(lists[i] for i in t) for t in model)


def term_column(hist: np.ndarray, term: Term) -> np.ndarray:
    """Design column of a term: 1 on histories that include every list of the term."""
    return hist[:, list(term)].all(axis=1).astype(float)


def design(k: int, model: Model) -> np.ndarray:
    """Design matrix over all ``2**k - 1`` observable histories: intercept, main effects, terms."""
    hist = histories(k)
    cols = [np.ones(len(hist)), *hist.T.astype(float)] + [term_column(hist, t) for t in model]
    return np.column_stack(cols)


def column_names(model: Model, lists: Sequence[str]) -> list[str]:
    """Names of the design columns (intercept first)."""
    return ["(intercept)", *lists] + [":".join(lists[i] for i in t) for t in model]


def enumerate_models(k: int, max_order: int = 2, *, max_models: int = 200_000) -> list[Model]:
    """Every hierarchical model of ``k`` lists with interactions up to ``max_order`` lists.

    Order 2: the ``2**(k choose 2)`` subsets of pairs (1,024 for five lists, 32,768 for six).
    Order 3: every pair set, then every subset of the triples whose three pairs it contains.
    Models are listed so that consecutive pair sets differ by one pair (a Gray code), which lets a
    fit start from its neighbour's fitted values. Refuses (ValueError) above ``max_models``.
    """
    if max_order not in (1, 2, 3):
        raise ValueError(f"max_order={max_order}: only 1 (main effects), 2 or 3 are supported")
    pairs = all_pairs(k)
    if max_order == 1:
        return [()]
    n_pair_sets = 2 ** len(pairs)
    if n_pair_sets > max_models:
        raise ValueError(f"{k} lists give {n_pair_sets:,} pairwise models, above max_models="
                         f"{max_models:,}; use the stepwise method")
    out: list[Model] = []
    for i in range(n_pair_sets):
        gray = i ^ (i >> 1)
        chosen = [p for b, p in enumerate(pairs) if gray >> b & 1]
        if max_order == 2:
            out.append(tuple(chosen))
            continue
        chosen_set = set(chosen)
        triples = [t for t in combinations(range(k), 3)
                   if all(p in chosen_set for p in combinations(t, 2))]
        for mask in range(2 ** len(triples)):
            extra = [t for b, t in enumerate(triples) if mask >> b & 1]
            out.append(tuple(sorted(chosen + extra, key=lambda t: (len(t), t))))
            if len(out) > max_models:
                raise ValueError(f"{k} lists with order-3 interactions give more than "
                                 f"{max_models:,} models; lower max_order or use stepwise")
    return out
