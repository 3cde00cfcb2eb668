"""Speed of multiple systems estimation (``make bench``): times and ratios measured in one run.

- exhaustive search of all 1,024 pairwise models on the UK five-list table (two processes);
- 1,000-replicate bootstrap with BIC model selection in every replicate (two processes);
- exhaustive search of all 32,768 pairwise models on the UK six-list table;
- the lean IRLS against statsmodels' GLM on the same fits (speed ratio, same answers).
"""
from __future__ import annotations

import time

import numpy as np
import statsmodels.api as sm

import critique.mse as mse
from critique.mse.model import design


def _uk(dataset_id: str) -> mse.CaptureTable:
    return mse.CaptureTable.from_dataset(dataset_id)


def _timed(func):
    start = time.perf_counter()
    out = func()
    return out, time.perf_counter() - start


def run() -> list[str]:
    """Measure and return the lines to print."""
    uk5, uk6 = _uk("mse-uk-2013-5"), _uk("mse-uk-2013")
    lines = []
    sel5, t5 = _timed(lambda: mse.search_all(uk5, jobs=2, ci=()))
    lines.append(f"UK 5 lists: all {len(sel5.models):,} pairwise models (BIC, 2 processes): {t5:.2f} s "
                 f"({sel5.spread()['n_existing']} with a finite estimate; best {sel5.best.total:,.0f})")
    boot, tb = _timed(lambda: mse.bootstrap(uk5, n=1000, seed=1, jobs=2, selection=sel5))
    lines.append(f"UK 5 lists: 1,000-replicate bootstrap with BIC selection among the top 100 models "
                 f"(2 processes): {tb:.2f} s (BCa {boot.bca[0]:,.0f}-{boot.bca[1]:,.0f})")
    sel6, t6 = _timed(lambda: mse.search_all(uk6, jobs=2, ci=()))
    lines.append(f"UK 6 lists: all {len(sel6.models):,} pairwise models (2 processes): {t6:.2f} s")
    ext6, te6 = _timed(lambda: mse.search_all(uk6, jobs=2, ci=(), empty_overlaps="extended"))
    lines.append(f"UK 6 lists, extended MLE (all {ext6.spread()['n_existing']:,} fitted): {te6:.2f} s")
    _, ts = _timed(lambda: mse.stepwise(uk6, ci=()))
    lines.append(f"UK 6 lists: stepwise selection: {ts:.3f} s")
    # Fast path vs statsmodels on the same 200 existing models of the five-list table.
    models = list(sel5.existing["_models"])[:200]
    y = uk5.counts.astype(float)
    Xs = [design(uk5.k, m) for m in models]
    fast, tf = _timed(lambda: [mse.irls(X, y).beta[0] for X in Xs])
    ref, tsm = _timed(lambda: [sm.GLM(y, X, family=sm.families.Poisson()).fit().params[0] for X in Xs])
    diff = float(np.max(np.abs(np.array(fast) - np.array(ref))))
    lines.append(f"lean IRLS vs statsmodels GLM, {len(Xs)} fits: {tf:.3f} s vs {tsm:.3f} s "
                 f"(statsmodels/IRLS = {tsm / tf:.1f}x; max intercept difference {diff:.1e})")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
