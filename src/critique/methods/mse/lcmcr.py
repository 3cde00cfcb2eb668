"""Latent-class multiple systems estimation (Manrique-Vallier 2016), by Gibbs sampling.

Capture probabilities may differ between people: each person belongs to one of (at most) ``K``
latent classes, and within a class the lists are independent Bernoulli draws. The class weights have
a truncated stick-breaking (Dirichlet-process) prior, so the data choose how many classes matter.
This is the model of the R package ``LCMCR`` (Manrique-Vallier, function ``lcmCR``), used by HRDAG.

Model and priors (Manrique-Vallier, D. (2016) "Bayesian population size estimation using Dirichlet
process mixtures", *Biometrics* 72(4):1246-1254; ``LCMCR``'s priors; K = 10 is the value of the
package's example, its default being 5):

- ``x_ij | z_i = k ~ Bernoulli(lambda_jk)`` for list ``j``; ``lambda_jk ~ Beta(1, 1)``;
- ``z_i ~ Categorical(pi)``, ``pi`` from sticks ``V_k ~ Beta(1, alpha)``, ``k < K``, ``V_K = 1``;
- ``alpha ~ Gamma(a_alpha, b_alpha)`` (shape, rate), both 0.25 by default;
- ``p(N) proportional to 1/N``, so that ``n0 | rest ~ NegativeBinomial(n, 1 - pi0)`` with
  ``pi0 = sum_k pi_k prod_j (1 - lambda_jk)`` the probability of appearing on no list.

The sampler works on the counts of each capture history rather than on individuals (the same
conditional distributions, summed): class counts per history are multinomial. It is compiled with
numba; several seeded chains run in parallel, and R-hat and effective sample size (ArviZ) are
reported with a warning when chains disagree. The R package runs one chain, so its users cannot see
that on the UK five-list table the posterior median moves from about 12,900 to 22,400 with the seed.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.methods.mse.table import CaptureTable, CaptureTableError

#: R-hat at or above which chains are taken to disagree (Vehtari et al. 2021 recommend < 1.01)
RHAT_MAX = 1.01
#: effective sample size (the smaller of bulk and tail ESS) below which the result is flagged
#: (Vehtari et al. 2021: at least 100 per chain, 400 for four chains)
ESS_MIN = 400


def _chain(args):
    x, counts, K, a_alpha, b_alpha, burnin, samples, thinning, seed = args
    from critique.methods.mse._lcmcr_kernel import gibbs

    return gibbs(x, counts, K, a_alpha, b_alpha, burnin, samples, thinning, seed)


@dataclass
class LCMCRResult:
    """Posterior draws of the population size from several chains, with convergence diagnostics.

    ``draws`` has shape ``(chains, samples)`` (totals ``N``); ``rhat`` and ``ess`` come from ArviZ
    (rank-normalised split R-hat; the smaller of bulk and tail effective sample size, Vehtari et al.
    2021, "Rank-normalization, folding, and localization", Bayesian Analysis 16(2):667-718).
    """

    table: str
    lists: tuple[str, ...]
    n_observed: int
    draws: np.ndarray
    alpha: np.ndarray
    classes_used: np.ndarray
    settings: dict
    rhat: float
    ess: float
    level: float = 0.95
    warnings: list[str] = field(default_factory=list)
    method: str = "lcmcr"

    @property
    def estimate(self) -> float:
        """Posterior median of the total, all chains pooled."""
        return float(np.median(self.draws))

    @property
    def mean(self) -> float:
        return float(self.draws.mean())

    @property
    def interval(self) -> tuple[float, float]:
        """Equal-tailed posterior interval at ``level``, all chains pooled."""
        tail = (1 - self.level) / 2
        lo, hi = np.quantile(self.draws, [tail, 1 - tail])
        return float(lo), float(hi)

    @property
    def converged(self) -> bool:
        return bool(self.rhat < RHAT_MAX and self.ess >= ESS_MIN)

    @property
    def interval_mc_se(self) -> tuple[float, float]:
        """Monte Carlo standard error of the two interval ends (ArviZ ``mcse`` for quantiles,
        Vehtari et al. 2021); it accounts for autocorrelation but means little when the chains
        have not converged."""
        tail = (1 - self.level) / 2
        if self.draws.ndim != 2 or self.draws.shape[1] < 4:
            return float("nan"), float("nan")
        az = _arviz()
        return tuple(float(az.mcse(self.draws, method="quantile", prob=p)) for p in (tail, 1 - tail))

    def per_chain(self) -> pd.DataFrame:
        """Median and interval of each chain: how far a single-chain answer (R's) could move."""
        tail = (1 - self.level) / 2
        rows = []
        for c, d in enumerate(self.draws):
            lo, med, hi = np.quantile(d, [tail, 0.5, 1 - tail])
            rows.append({"chain": c + 1, "seed": self.settings["seeds"][c], "median": med,
                         "lo": lo, "hi": hi})
        return pd.DataFrame(rows)

    def summary(self) -> dict:
        lo, hi = self.interval
        return {"method": self.method, "table": self.table, "estimate": self.estimate,
                "mean": self.mean, "lo": lo, "hi": hi, "level": self.level,
                "n_observed": self.n_observed, "rhat": self.rhat, "ess": self.ess,
                "chains": int(self.draws.shape[0]), "converged": self.converged,
                "lo_mc_se": self.interval_mc_se[0], "hi_mc_se": self.interval_mc_se[1],
                "warnings": list(self.warnings)}


def lcmcr(table: CaptureTable | pd.DataFrame, *, K: int = 10, a_alpha: float = 0.25,
          b_alpha: float = 0.25, burnin: int = 10_000, samples: int = 1_000, thinning: int = 100,
          chains: int = 4, seed: int = 123, jobs: int = 2, level: float = 0.95,
          isolated_lists: str = "refuse") -> LCMCRResult:
    """Posterior of the population size under the latent-class model (``LCMCR::lcmCR``).

    Parameters
    ----------
    table: a :class:`CaptureTable` or a DataFrame of 0/1 list columns and a ``count`` column.
    K: truncation of the stick-breaking prior (number of latent classes at most); LCMCR's examples
        use 10. a_alpha, b_alpha: Gamma(shape, rate) prior on the concentration ``alpha``.
    burnin, samples, thinning: iterations discarded, draws kept per chain, and iterations between
        kept draws (each chain runs ``burnin + samples * thinning`` iterations).
    chains: independent chains, seeded ``seed, seed + 1, ...``; ``jobs`` processes run them.
    isolated_lists: "refuse" (default) or "report" a list that overlaps no other (see
        :func:`critique.methods.mse.dga.dga`).

    Returns :class:`LCMCRResult`; its ``warnings`` say when R-hat is 1.01 or more (chains disagree)
    or the effective sample size is below 400; ``converged`` is False in either case, and the
    number should not be quoted. Raises
    :class:`CaptureTableError` for a table a DataFrame cannot become and ``ValueError`` for
    non-positive settings.
    """
    t = table if isinstance(table, CaptureTable) else _from_frame(table)
    for name, value in (("K", K), ("samples", samples), ("thinning", thinning), ("chains", chains)):
        if int(value) < 1:
            raise ValueError(f"lcmcr: {name} must be at least 1, got {value}")
    if burnin < 0:
        raise ValueError(f"lcmcr: burnin must be >= 0, got {burnin}")
    if not (a_alpha > 0 and b_alpha > 0):
        raise ValueError(f"lcmcr: a_alpha and b_alpha must be positive, got {a_alpha}, {b_alpha}")
    from critique.methods.mse.dga import check_isolated

    lonely = check_isolated(t, isolated_lists, "lcmcr")
    x = t.histories.astype(np.int64)
    counts = t.counts.astype(np.int64)
    seeds = [int(seed) + c for c in range(chains)]
    args = [(x, counts, int(K), float(a_alpha), float(b_alpha), int(burnin), int(samples),
             int(thinning), s) for s in seeds]
    if jobs > 1 and chains > 1:
        from critique.methods.mse.select import _pool

        with _pool(min(jobs, chains)) as pool:
            outs = list(pool.map(_chain, args))
    else:
        outs = [_chain(a) for a in args]
    n_obs = int(counts.sum())
    draws = np.vstack([o[0] for o in outs]).astype(np.float64) + n_obs
    alpha = np.vstack([o[1] for o in outs])
    used = np.vstack([o[2] for o in outs])
    rhat, ess = diagnostics(draws)
    warnings = []
    if chains > 1 and not rhat < RHAT_MAX:  # nan (too few draws) counts as not converged
        meds = ", ".join(f"{np.median(d):,.0f}" for d in draws)
        warnings.append(f"chains disagree (R-hat {rhat:.3f} >= {RHAT_MAX}; chain medians {meds}): "
                        "run longer chains before quoting a number")
    if ess < ESS_MIN:
        warnings.append(f"effective sample size {ess:,.0f} < {ESS_MIN} (smaller of bulk and tail): "
                        "too few independent draws for a stable interval; run longer chains")
    warnings += [f"list '{name}' overlaps no other list: the estimate rests on the prior"
                 for name in lonely]
    if chains == 1:
        warnings.append("one chain: convergence cannot be checked across chains")
    settings = {"K": K, "a_alpha": a_alpha, "b_alpha": b_alpha, "burnin": burnin,
                "samples": samples, "thinning": thinning, "chains": chains, "seeds": seeds}
    return LCMCRResult(t.name, t.lists, n_obs, draws, alpha, used, settings, rhat, ess, level,
                       warnings)


def diagnostics(draws: np.ndarray) -> tuple[float, float]:
    """Rank-normalised split R-hat and the smaller of bulk and tail ESS of ``draws`` (chains x
    samples), from ArviZ; R-hat is nan for a single chain (ESS still accounts for autocorrelation)."""
    d = np.asarray(draws, dtype=float)
    if d.ndim != 2 or d.shape[1] < 4:
        return float("nan"), 0.0
    az = _arviz()
    ess = min(float(az.ess(d, method="bulk")), float(az.ess(d, method="tail")))
    rhat = float(az.rhat(d)) if d.shape[0] >= 2 else float("nan")
    return rhat, ess


def _arviz():
    """ArviZ, imported on first use (it costs seconds), its notices silenced."""
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # ArviZ's notice of its coming refactor
        import arviz as az

    logging.getLogger("arviz").setLevel(logging.ERROR)
    return az


def _from_frame(frame) -> CaptureTable:
    if not isinstance(frame, pd.DataFrame):
        raise CaptureTableError(f"lcmcr: expected a CaptureTable or a DataFrame of 0/1 list columns and "
                                f"a 'count' column, got {type(frame).__name__}")
    return CaptureTable.from_frame(frame)
