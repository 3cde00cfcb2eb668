"""Speed of the Bayesian MSE methods (``make bench``): the suite's times, and ratios to R only when
R ran in this same run (the R packages dga and LCMCR installed; ``R_LIBS`` may point at them).

- dga on the UK five-list table, grid of 1..60,000 missing, delta 1/32 (R: ``dga::bma.cr`` with
  ``graphs5``);
- LCMCR, one chain of 110,000 iterations on the UK five-list table (R: ``LCMCR::lcmCR`` then
  ``lcmCR_PostSampl(burnin = 10000, samples = 1000, thinning = 100)``), and four chains of the
  suite's default length on two processes (the issue's target: four chains within R's one chain's
  wall time on two cores, printed when R ran).
Ratios are suite / R (below 1: faster than R), CPU and wall, with the load average.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np

_spec = importlib.util.spec_from_file_location("bench_mse_helpers", Path(__file__).with_name("bench_mse.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)


def _counts_r(table) -> str:
    return "c(0, " + ", ".join(str(int(c)) for c in table.counts) + ")"


def run() -> list[str]:
    import critique.methods.mse as mse
    from critique.methods.mse.dga import dga
    from critique.methods.mse.lcmcr import lcmcr

    uk5 = mse.CaptureTable.from_dataset("mse-uk-2013-5")
    kosovo = mse.CaptureTable.from_dataset("mse-kosovo")
    lines = [f"load average at start {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores"]
    why_dga = _h.r_available("dga")
    ours = _h.timed(lambda: dga(uk5, n_missing=np.arange(1, 60_001), delta=1 / 32))
    r = None if why_dga else _h.r_timed(
        "dga", f"data(graphs5); Y <- array({_counts_r(uk5)}, dim = rep(2, 5))",
        "{w <- bma.cr(Y, Nmissing = 1:60000, delta = 1/32, graphs = graphs5); "
        f"p <- colSums(w); {uk5.n_observed} + (1:60000)[which(cumsum(p) >= 0.5)[1]]}}")
    lines.append(_h.side_by_side(f"dga, UK 5 lists, 822 graphs x 60,000 grid (median {ours[0].estimate:,.0f})",
                                 ours, r, why_dga))
    lcmcr(kosovo, chains=1, burnin=10, samples=10, thinning=1, jobs=1)  # compile (or load the cache)
    why_lc = _h.r_available("LCMCR")
    ours = _h.timed(lambda: lcmcr(uk5, chains=1, jobs=1, thinning=100))
    setup = ("d <- data.frame(" + ", ".join(f"L{j} = factor(c(" + ", ".join(str(int(v)) for v in uk5.histories[:, j])
                                             + "))" for j in range(uk5.k)) + f", Freq = c({', '.join(str(int(c)) for c in uk5.counts)}))")
    r = None if why_lc else _h.r_timed(
        "LCMCR", setup + "; d <- d[d$Freq > 0, ]",
        "{s <- lcmCR(captures = d, tabular = TRUE, in_list_label = '1', not_in_list_label = '0', K = 10, "
        "a_alpha = 0.25, b_alpha = 0.25, seed = 1, verbose = FALSE); "
        "median(lcmCR_PostSampl(s, burnin = 10000, samples = 1000, thinning = 100, output = FALSE))}")
    lines.append(_h.side_by_side(f"LCMCR, UK 5 lists, one chain of 110,000 iterations (median {ours[0].estimate:,.0f})",
                                 ours, r, why_lc))
    four = _h.timed(lambda: lcmcr(kosovo, chains=4, jobs=2, thinning=mse.bayesian.LCMCR_THINNING))
    text = (f"LCMCR, Kosovo, four chains of {10_000 + 1000 * mse.bayesian.LCMCR_THINNING:,} iterations on 2 "
            f"processes: {four[1]:.2f} s wall, {four[2]:.2f} s CPU; R-hat {four[0].rhat:.3f}, ESS {four[0].ess:,.0f}")
    lines.append(text if r is None else text + f" (R's one chain of 110,000 on UK5 took {r[0]:.2f} s wall)")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
