"""Speed of multiple systems estimation (``make bench``): times and ratios measured in one run.

- the default procedure on the UK five-list table (the package's: BIC with people observed, links of
  up to three lists, 6,212 models; extended MLE) with a 1,000-replicate bootstrap that repeats the
  selection among the top 100 models, two processes. Target: under 10 s on two cores (R's
  ``estimate_population_bic(UKdat_5, maxorder = 2, nboot = 1000)``, a smaller job, takes about 65 s);
  printed as a ratio to that 65 s;
- exhaustive search of all 1,024 pairwise models on the UK five-list table (two processes);
- 1,000-replicate bootstrap with pairwise BIC model selection in every replicate (two processes);
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
    default, td = _timed(lambda: mse.run(uk5, mse.Procedure(), n_boot=1000, seed=1, jobs=2))
    lo, hi = default.interval
    lines.append(f"UK 5 lists, default procedure ({len(default.selection.models):,} models) + 1,000-replicate "
                 f"bootstrap (2 processes): {td:.2f} s, {td / 10:.2f} of the 10 s target, {td / 65:.2f} of R's "
                 f"65 s for the smaller pairwise job (estimate {default.total:,.0f}; {default.interval_kind} "
                 f"{lo:,.0f}-{hi:,.0f}) {'OK' if td < 10 else 'ABOVE TARGET'}")
    pairwise = mse.Procedure(max_order=2)
    sel5, t5 = _timed(lambda: mse.search_all(uk5, max_order=2, jobs=2, ci=()))
    lines.append(f"UK 5 lists: all {len(sel5.models):,} pairwise models (BIC, 2 processes): {t5:.2f} s "
                 f"({sel5.spread()['n_existing']} with a finite estimate; best {sel5.best.total:,.0f})")
    boot, tb = _timed(lambda: mse.bootstrap(uk5, pairwise, n=1000, seed=1, jobs=2, selection=sel5))
    lines.append(f"UK 5 lists: 1,000-replicate bootstrap with pairwise BIC selection among the top 100 "
                 f"models (2 processes): {tb:.2f} s ({boot.interval_kind} {boot.interval[0]:,.0f}-"
                 f"{boot.interval[1]:,.0f})")
    sel6, t6 = _timed(lambda: mse.search_all(uk6, max_order=2, empty_overlaps="refuse", jobs=2, ci=()))
    lines.append(f"UK 6 lists: all {len(sel6.models):,} pairwise models (2 processes): {t6:.2f} s")
    ext6, te6 = _timed(lambda: mse.search_all(uk6, max_order=2, jobs=2, ci=(), empty_overlaps="extended"))
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
