"""Speed of the Bayesian MSE methods (``make bench``): the suite's times, and ratios to R only when
R ran in this same run (the R packages dga and LCMCR installed: ``make r-packages``; ``make bench RLIB=dir`` or
``R_LIBS`` for a private library).

- dga on the UK five-list table, grid of 1..60,000 missing, delta 1/32 (R: ``dga::bma.cr`` with
  ``graphs5``);
- LCMCR, one chain of 110,000 iterations on the UK five-list table (R: ``LCMCR::lcmCR`` then
  ``lcmCR_PostSampl(burnin = 10000, samples = 1000, thinning = 100)``), and four chains of the
  same length on two processes (the issue's target: four chains within R's one chain's wall time
  on two cores, printed when R ran).
Each side is run alternately (bench_mse.alternate); ratios are the median over the pairs of
suite / R (below 1: faster than R), CPU and wall, with the load average before and after.
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
    lines = [f"load average at start {_h._load()} (1 min), {os.cpu_count()} cores; {_h.r_versions(['dga', 'LCMCR'])}"]
    why_dga = _h.r_available("dga")
    r_dga = None if why_dga else (
        "dga", f"data(graphs5); Y <- array({_counts_r(uk5)}, dim = rep(2, 5))",
        "{w <- bma.cr(Y, Nmissing = 1:60000, delta = 1/32, graphs = graphs5); "
        f"p <- colSums(w); {uk5.n_observed} + (1:60000)[which(cumsum(p) >= 0.5)[1]]}}")
    runs = _h.alternate(lambda: dga(uk5, n_missing=np.arange(1, 60_001), delta=1 / 32), r_dga, _h.PAIRS)
    lines.append(_h.side_by_side(f"dga, UK 5 lists, 822 graphs x 60,000 grid (median {runs[0].estimate:,.0f})",
                                 runs, why_dga))
    lcmcr(kosovo, chains=1, burnin=10, samples=10, thinning=1, jobs=1)  # compile (or load the cache)
    why_lc = _h.r_available("LCMCR")
    setup = ("d <- data.frame(" + ", ".join(f"L{j} = factor(c(" + ", ".join(str(int(v)) for v in uk5.histories[:, j])
                                             + "))" for j in range(uk5.k)) + f", Freq = c({', '.join(str(int(c)) for c in uk5.counts)}))")
    r_lc = None if why_lc else (
        "LCMCR", setup + "; d <- d[d$Freq > 0, ]",
        "{s <- lcmCR(captures = d, tabular = TRUE, in_list_label = '1', not_in_list_label = '0', K = 10, "
        "a_alpha = 0.25, b_alpha = 0.25, seed = 1, verbose = FALSE); "
        "median(lcmCR_PostSampl(s, burnin = 10000, samples = 1000, thinning = 100, output = FALSE))}")
    runs = _h.alternate(lambda: lcmcr(uk5, chains=1, jobs=1, thinning=100), r_lc, max(1, _h.PAIRS - 1))
    lines.append(_h.side_by_side(f"LCMCR, UK 5 lists, one chain of 110,000 iterations (median {runs[0].estimate:,.0f})",
                                 runs, why_lc))
    four = _h.timed(lambda: lcmcr(uk5, chains=4, jobs=2, thinning=100))
    text = (f"LCMCR, UK 5 lists, four chains of 110,000 iterations on 2 processes: {four[1]:.2f} s wall, "
            f"{four[2]:.2f} s CPU; R-hat {four[0].rhat:.3f}, ESS {four[0].ess:,.0f}")
    import statistics

    r_wall = statistics.median(r[0] for r in runs[2]) if runs[2] else None
    lines.append(text if r_wall is None else text + f"; R's one chain of the same length: {r_wall:.2f} s wall "
                 f"(target: four chains within it: {'met' if four[1] <= r_wall else 'NOT met'})")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
