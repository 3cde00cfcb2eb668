"""Speed of the Bayesian MSE methods (``make bench``), against the R packages' times on this machine.

R 4.2.2 times quoted in issue 18 (measured on this kind of machine): dga 2.0.2 ``bma.cr`` on the UK
five-list table with a 1..60,000 grid, 1.8 s; LCMCR 0.4.14, 110,000 iterations (one chain) on the
UK five-list table, 1.1 s. Ratios are ours / R's (below 1: faster than R).
"""
from __future__ import annotations

import time

import numpy as np

import critique.mse as mse
from critique.mse.dga import dga
from critique.mse.lcmcr import lcmcr

R_DGA_UK5_S = 1.8
R_LCMCR_CHAIN_UK5_S = 1.1


def _timed(func):
    start = time.perf_counter()
    out = func()
    return out, time.perf_counter() - start


def run() -> list[str]:
    uk5 = mse.CaptureTable.from_dataset("mse-uk-2013-5")
    kosovo = mse.CaptureTable.from_dataset("mse-kosovo")
    lines = []
    r, t = _timed(lambda: dga(uk5, n_missing=np.arange(1, 60_001), delta=1 / 32))
    lines.append(f"dga, UK 5 lists, 822 graphs x 60,000 grid: {t:.2f} s (R 1.8 s; ratio "
                 f"{t / R_DGA_UK5_S:.2f}); median {r.estimate:,.0f}")
    lcmcr(kosovo, chains=1, burnin=10, samples=10, thinning=1, jobs=1)  # compile (or load the cache)
    one, t1 = _timed(lambda: lcmcr(uk5, chains=1, jobs=1))
    lines.append(f"LCMCR, UK 5 lists, one chain of 110,000 iterations: {t1:.2f} s (R 1.1 s; ratio "
                 f"{t1 / R_LCMCR_CHAIN_UK5_S:.2f}); median {one.estimate:,.0f}")
    four, t4 = _timed(lambda: lcmcr(kosovo, chains=4, jobs=2))
    lines.append(f"LCMCR, Kosovo, four chains of 110,000 iterations on 2 processes: {t4:.2f} s "
                 f"(= {t4 / R_LCMCR_CHAIN_UK5_S:.1f}x R's one chain on UK5); median {four.estimate:,.0f}, "
                 f"R-hat {four.rhat:.3f}")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
