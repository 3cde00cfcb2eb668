"""A composite scorecard whose indicators and weights are the user's, never shown without how
fragile its ranks are.

Method. Each chosen indicator is turned into a percentile rank (0-1, average ranks for ties) among
the countries that have every indicator with a positive weight (no imputation: a country missing
one is listed as left out). The composite is the weighted mean of those percentile ranks. To show
how much a rank depends on the weights, weights are drawn from a Dirichlet distribution centred on
the stated weights (alpha = concentration x normalised weights; each weight's standard deviation is
sqrt(w (1 - w) / (concentration + 1))), the composite recomputed for every draw in one matrix
product, and each country's rank interval read from the draws. This is the uncertainty analysis of
composite indicators in the OECD/JRC *Handbook on Constructing Composite Indicators* (2008), step 7,
restricted to the weights; the indicators' own errors are not included, so the intervals are a
floor on the fragility, not its full size.

Weights are checked before anything is computed: an empty list, a negative, missing or infinite
weight, weights summing to zero, a length that does not match the indicators, or an indicator that
is not an assessment of government action are refused with one line naming the parameter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from critique.core.errors import ParameterError
from critique.methods.scorecards.align import check_measures


def check_weights(indicators: Sequence[str], weights: Sequence[float]) -> np.ndarray:
    """The weights as a float array normalised to sum 1, or ParameterError naming what is wrong."""
    indicators = list(indicators)
    weights = list(weights) if weights is not None else []
    if not weights:
        raise ParameterError("parameter 'weights': empty; give one weight of 0 or more per indicator, "
                             "with a sum above 0")
    if not indicators:
        raise ParameterError("parameter 'indicators': empty; give at least one assessment")
    if len(weights) != len(indicators):
        raise ParameterError(f"parameter 'weights': {len(weights)} weight(s) for {len(indicators)} "
                             f"indicator(s) {indicators}; give one weight per indicator")
    check_measures(indicators, assessments_only=True)
    if len(set(indicators)) != len(indicators):
        raise ParameterError(f"parameter 'indicators': repeated name in {indicators}")
    w = np.empty(len(weights))
    for i, v in enumerate(weights):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ParameterError(f"parameter 'weights': element {i} ({v!r}) is not a number")
        if not np.isfinite(v):
            raise ParameterError(f"parameter 'weights': element {i} ({v!r}) is not finite")
        if v < 0:
            raise ParameterError(f"parameter 'weights': element {i} ({v!r}, for {indicators[i]}) is negative; "
                                 "weights must be 0 or more")
        w[i] = float(v)
    if not w.sum() > 0:
        raise ParameterError(f"parameter 'weights': {list(weights)} sum to zero; at least one weight must be above 0")
    return w / w.sum()


@dataclass
class CompositeResult:
    """The composite at the stated weights and its rank intervals under weight draws.

    ``table``: one row per country (index iso3): score (0-1), rank (1 = highest, ties share the
    best rank), rank_low, rank_high (the central ``level`` interval of ranks over the draws),
    rank_median, p_top (share of draws in the top ``top_k``), and each indicator's percentile rank.
    """

    table: pd.DataFrame
    indicators: list[str]
    weights: np.ndarray
    n_draws: int
    concentration: float
    level: float
    top_k: int
    left_out: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return int(len(self.table))

    def median_interval_width(self) -> float:
        """Median over countries of rank_high - rank_low (places)."""
        return float((self.table["rank_high"] - self.table["rank_low"]).median())


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score, ties share the best (lowest) rank; along the last axis."""
    return stats.rankdata(-scores, method="min", axis=-1)


def composite(aligned: pd.DataFrame, indicators: Sequence[str], weights: Sequence[float], *,
              n_draws: int = 2000, concentration: float = 20.0, level: float = 0.9, top_k: int = 10,
              seed: int = 20230601) -> CompositeResult:
    """The weighted composite of ``indicators`` (columns of an :func:`align` frame, higher = better)
    with rank intervals from ``n_draws`` Dirichlet weight draws around ``weights``.

    An indicator with weight 0 is not used (and not required); with a single positive weight every
    draw equals it, so the composite reproduces that indicator's own ranking with no interval.
    """
    w = check_weights(indicators, weights)
    if n_draws < 1:
        raise ParameterError(f"parameter 'n_draws': {n_draws}; must be at least 1")
    if not concentration > 0:
        raise ParameterError(f"parameter 'concentration': {concentration}; must be above 0")
    if not 0 < level < 1:
        raise ParameterError(f"parameter 'level': {level}; must be between 0 and 1")
    indicators = list(indicators)
    missing = [c for c in indicators if c not in aligned.columns]
    if missing:
        raise ParameterError(f"composite: indicator(s) {missing} not in the aligned frame (columns: "
                             f"{list(aligned.columns)}; left out: {aligned.attrs.get('left_out', {})})")
    used = [c for c, wi in zip(indicators, w) if wi > 0]
    wu = np.array([wi for wi in w if wi > 0])
    complete = aligned[used].notna().all(axis=1)
    left_out = sorted(aligned.index[~complete].astype(str))
    pr = aligned.loc[complete, used].rank(method="average", pct=True)
    if len(pr) < 2:
        raise ParameterError(f"composite: {len(pr)} country has every indicator {used}; need at least 2")
    x = pr.to_numpy()
    score = x @ wu
    rng = np.random.default_rng(seed)
    draws = np.tile(wu, (n_draws, 1)) if len(wu) == 1 else rng.dirichlet(concentration * wu, size=n_draws)
    ranks = _ranks(draws @ x.T)  # (n_draws, countries)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    table = pd.DataFrame({
        "score": score,
        "rank": _ranks(score),
        "rank_low": np.quantile(ranks, lo_q, axis=0, method="inverted_cdf").astype(int),
        "rank_high": np.quantile(ranks, hi_q, axis=0, method="inverted_cdf").astype(int),
        "rank_median": np.median(ranks, axis=0),
        "p_top": (ranks <= top_k).mean(axis=0),
    }, index=pr.index)
    for c in used:
        table[f"{c}_pct"] = pr[c]
    table = table.sort_values(["rank", "rank_median"], kind="stable")
    return CompositeResult(table, indicators, w, n_draws, concentration, level, top_k, left_out)
