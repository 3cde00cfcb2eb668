"""How far assessments of government action agree: rank correlations with intervals, TIP tier
against each, and the countries where two assessments disagree most.

Rank correlations (pairwise complete countries): Spearman's rho with the Fisher-z interval using
Bonett & Wright's (2000, Psychometrika 65:23-28) standard error sqrt((1 + rho^2/2)/(n - 3)), and
Kendall's tau-b with Fieller, Hartley & Pearson's (1957, Biometrika 44:470-481) standard error
sqrt(0.437/(n - 4)). Both intervals are approximate; with a few dozen countries they are wide,
which is the point: two rankings of ~150 countries can correlate at 0.6 and still place many
countries far apart. Ties (TIP has only four tiers) are handled by average ranks (rho) and tau-b.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from critique.core.errors import ParameterError
from critique.methods.scorecards.align import MEASURES

Method = Literal["spearman", "kendall"]
MIN_N = 5


@dataclass(frozen=True)
class RankCorrelation:
    """A rank correlation with its approximate interval."""

    method: str
    estimate: float
    low: float
    high: float
    n: int
    level: float


def rank_correlation(x: Sequence[float] | pd.Series, y: Sequence[float] | pd.Series, *,
                     method: Method = "spearman", level: float = 0.95) -> RankCorrelation:
    """Spearman's rho or Kendall's tau-b of ``x`` and ``y`` over pairs where both are present,
    with a Fisher-z interval (see the module docstring for the standard errors and their sources).

    Fewer than 5 complete pairs, or a constant input, gives NaN estimate and interval.
    """
    if not 0 < level < 1:
        raise ParameterError(f"rank_correlation: level={level}; must be between 0 and 1")
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~np.isnan(a) & ~np.isnan(b)
    a, b = a[ok], b[ok]
    n = int(ok.sum())
    if n < MIN_N or np.ptp(a) == 0 or np.ptp(b) == 0:
        return RankCorrelation(method, np.nan, np.nan, np.nan, n, level)
    if method == "spearman":
        r = float(stats.spearmanr(a, b).statistic)
        se = np.sqrt((1 + r * r / 2) / (n - 3))
    elif method == "kendall":
        r = float(stats.kendalltau(a, b, variant="b").statistic)
        se = np.sqrt(0.437 / (n - 4))
    else:
        raise ParameterError(f"rank_correlation: method={method!r}; allowed: 'spearman', 'kendall'")
    z = np.arctanh(np.clip(r, -0.999999, 0.999999))
    q = stats.norm.ppf(0.5 + level / 2)
    return RankCorrelation(method, r, float(np.tanh(z - q * se)), float(np.tanh(z + q * se)), n, level)


def correlation_table(aligned: pd.DataFrame, measures: Sequence[str] | None = None, *,
                      method: Method = "spearman", level: float = 0.95) -> pd.DataFrame:
    """Every pair of columns: a, b, estimate, low, high, n (pairwise complete countries)."""
    cols = list(measures) if measures is not None else list(aligned.columns)
    rows = []
    for i, a in enumerate(cols):
        for b in cols[i + 1:]:
            rc = rank_correlation(aligned[a], aligned[b], method=method, level=level)
            rows.append({"a": a, "b": b, "estimate": rc.estimate, "low": rc.low, "high": rc.high, "n": rc.n})
    return pd.DataFrame(rows, columns=["a", "b", "estimate", "low", "high", "n"])


def tier_crosstab(aligned: pd.DataFrame, measure: str, *, bands: int = 3) -> pd.DataFrame:
    """Countries by TIP tier (rows, Tier 1 first) and by band of ``measure`` (columns: equal-count
    bands of its ranks, lowest to highest). Only countries with both. ``attrs["n"]``."""
    if "tip_tier" not in aligned.columns or measure not in aligned.columns:
        raise ParameterError(f"tier_crosstab: aligned frame lacks 'tip_tier' or {measure!r}; "
                             f"columns: {list(aligned.columns)}")
    if bands < 2:
        raise ParameterError(f"tier_crosstab: bands={bands}; must be at least 2")
    d = aligned[["tip_tier", measure]].dropna()
    labels = ["lowest third", "middle third", "highest third"] if bands == 3 else [f"band {i + 1}" for i in range(bands)]
    band = pd.qcut(d[measure].rank(method="average"), bands, labels=labels)
    tier = d["tip_tier"].map({4.0: "Tier 1", 3.0: "Tier 2", 2.0: "Watch List", 1.0: "Tier 3"})
    out = pd.crosstab(pd.Categorical(tier, ["Tier 1", "Tier 2", "Watch List", "Tier 3"]), band, dropna=False)
    out.index.name, out.columns.name = "TIP tier", MEASURES[measure].label if measure in MEASURES else measure
    out.attrs["n"] = int(len(d))
    return out


def percentile_ranks(aligned: pd.DataFrame, measures: Sequence[str]) -> pd.DataFrame:
    """Each measure as a percentile rank (0-1, average ranks for ties) among countries with *all*
    the given measures, so that the ranks compare like with like."""
    d = aligned[list(measures)].dropna()
    return d.rank(method="average", pct=True)


def disagreement(aligned: pd.DataFrame, a: str, b: str, *, k: int = 10) -> pd.DataFrame:
    """The ``k`` countries whose percentile ranks on ``a`` and ``b`` differ most.

    Columns: a's and b's raw values, their percentile ranks among countries with both, ``gap``
    (rank a - rank b; positive = ``a`` places the country higher). Sorted by |gap|.
    """
    pr = percentile_ranks(aligned, [a, b])
    out = pd.DataFrame({a: aligned.loc[pr.index, a], b: aligned.loc[pr.index, b],
                        f"{a}_pct": pr[a], f"{b}_pct": pr[b], "gap": pr[a] - pr[b]})
    out = out.reindex(out["gap"].abs().sort_values(ascending=False, kind="stable").index)
    out.attrs["n"] = int(len(pr))
    return out.head(k)


def tier_against_consensus(aligned: pd.DataFrame, others: Sequence[str], *, k: int = 10) -> pd.DataFrame:
    """Where the TIP tier stands alone: TIP's percentile rank against the mean percentile rank of
    ``others`` (countries with all of them). ``gap`` > 0: TIP places the country higher than the
    others do on average; ``others_min_pct`` .. ``others_max_pct`` is the range of the others' ranks
    (their own disagreement)."""
    cols = ["tip_tier", *others]
    pr = percentile_ranks(aligned, cols)
    cons = pr[list(others)].mean(axis=1)
    out = pd.DataFrame({"tip_pct": pr["tip_tier"], "others_mean_pct": cons,
                        "others_min_pct": pr[list(others)].min(axis=1),
                        "others_max_pct": pr[list(others)].max(axis=1),
                        "gap": pr["tip_tier"] - cons})
    out = out.reindex(out["gap"].abs().sort_values(ascending=False, kind="stable").index)
    out.attrs["n"] = int(len(pr))
    return out.head(k)


def relation_to_context(aligned: pd.DataFrame, assessments: Sequence[str], context: Sequence[str], *,
                        method: Method = "spearman", level: float = 0.95) -> pd.DataFrame:
    """Rank correlation of each assessment with each context measure (UNODC reporting years,
    vulnerability): if an assessment rises with reporting capacity more than the others do, it may
    be rewarding the ability to report as much as action. Columns: assessment, context, estimate,
    low, high, n."""
    rows = []
    for a in assessments:
        for c in context:
            if a not in aligned.columns or c not in aligned.columns:
                continue
            rc = rank_correlation(aligned[a], aligned[c], method=method, level=level)
            rows.append({"assessment": a, "context": c, "estimate": rc.estimate, "low": rc.low,
                         "high": rc.high, "n": rc.n})
    return pd.DataFrame(rows, columns=["assessment", "context", "estimate", "low", "high", "n"])
