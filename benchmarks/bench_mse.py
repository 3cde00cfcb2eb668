"""Speed of multiple systems estimation (``make bench``): the suite's times, and ratios to R only
when R ran in this same run.

Each job runs here and, when ``Rscript`` and the R package MultipleSystemsEstimation are
installed (``R_LIBS`` may point at a private library), in R on the same table right after it;
both sides' CPU time (the suite's including its worker processes) and wall time are printed with
the load average, and the ratio is suite / R (below 1: faster than R). Without R the line says
"R not run" and gives the suite's own times; no ratio is ever computed against a typed-in
constant.

- the package's default procedure on the UK five-list table (BIC, people observed, links of up to
  three lists; extended MLE) with a 1,000-replicate bootstrap, two processes (the suite only);
- pairwise BIC with a 1,000-replicate bootstrap (R: ``estimate_population_bic(UKdat_5, maxorder = 2,
  nboot = 1000)``);
- all 1,024 pairwise models on the UK five-list table, BIC (R: ``estimate_population_bic(UKdat_5,
  maxorder = 2)``);
- the authors' stepwise with a 200-replicate bootstrap on the UK six-list table (R:
  ``estimate_population_stepwise(UKdat, nboot = 200)``);
- the lean IRLS against statsmodels' GLM on the same fits (speed ratio, same answers);
- ``import critique.methods.mse`` in a fresh process (CPU seconds; target under 1 s).
"""
from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time

import numpy as np

R_PACKAGE = "MultipleSystemsEstimation"


def cpu() -> float:
    """CPU seconds of this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(func):
    """(result, wall seconds, CPU seconds including worker processes), each job cold: the
    existence outcomes kept by zero pattern (:func:`critique.methods.mse.existence.check`) are
    cleared first, so no job is timed on another's work (R has no such store)."""
    from critique.methods.mse import existence

    existence._BY_SUPPORT.clear()
    c0, w0 = cpu(), time.perf_counter()
    out = func()
    return out, time.perf_counter() - w0, cpu() - c0


def r_available(package: str) -> str:
    """'' when Rscript and ``package`` load, else why R is not run."""
    if not shutil.which("Rscript"):
        return "Rscript not found (Debian: apt-get install r-base-core)"
    code = f'quit(status = as.integer(!requireNamespace("{package}", quietly = TRUE)))'
    done = subprocess.run(["Rscript", "-e", code], capture_output=True)
    return "" if done.returncode == 0 else f"R package {package} not installed (set R_LIBS to its library)"


def r_timed(package: str, setup: str, expr: str) -> tuple[float, float, str]:
    """Run ``expr`` in a fresh Rscript after ``setup``; (wall s, CPU s, printed value), timed in R."""
    code = (f"suppressMessages(library({package})); {setup}; t0 <- proc.time(); "
            f"v <- {expr}; t <- proc.time() - t0; "
            "cat(t[['elapsed']], t[['user.self']] + t[['sys.self']] + t[['user.child']] + "
            "t[['sys.child']], format(v, digits = 10), '\\n')")
    out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), " ".join(out[2:])


def side_by_side(label: str, ours, r: tuple[float, float, str] | None, why_not: str) -> str:
    _, wall, cpu_s = ours
    text = f"{label}: suite {wall:.2f} s wall, {cpu_s:.2f} s CPU"
    if r is None:
        return text + f"; R not run ({why_not})"
    return (text + f"; R {r[0]:.2f} s wall, {r[1]:.2f} s CPU (R's value {r[2]}); suite/R CPU "
            f"{cpu_s / r[1]:.2f}, wall {wall / r[0]:.2f}")


def run() -> list[str]:
    """Measure and return the lines to print."""
    import critique.methods.mse as mse
    import statsmodels.api as sm

    from critique.methods.mse.model import design

    uk5, uk6 = mse.CaptureTable.from_dataset("mse-uk-2013-5"), mse.CaptureTable.from_dataset("mse-uk-2013")
    why = r_available(R_PACKAGE)
    lines = [f"load average at start {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores"]
    ours = timed(lambda: mse.bootstrap(uk5, mse.Procedure(), n=1000, seed=1, jobs=2))
    b = ours[0]
    lines.append(f"UK 5 lists, default procedure (links of up to 3 lists) + 1,000-replicate bootstrap "
                 f"(2 processes): suite {ours[1]:.2f} s wall, {ours[2]:.2f} s CPU ({b.interval_kind} "
                 f"{b.interval[0]:,.0f}-{b.interval[1]:,.0f}); R not run for this job (minutes in R)")
    ours = timed(lambda: mse.bootstrap(uk5, mse.Procedure(max_order=2), n=1000, seed=1, jobs=2))
    lines.append(side_by_side("UK 5 lists, pairwise BIC + 1,000-replicate bootstrap (2 processes)", ours,
                              None if why else r_timed(R_PACKAGE, "data(UKdat_5)",
                                                       "estimate_population_bic(UKdat_5, maxorder = 2, "
                                                       "nboot = 1000)$popest"), why))
    ours = timed(lambda: mse.search_all(uk5, max_order=2, jobs=2, ci=()))
    lines.append(side_by_side(f"UK 5 lists, all 1,024 pairwise models, BIC (best {ours[0].best.total:,.1f})", ours,
                              None if why else r_timed(R_PACKAGE, "data(UKdat_5)",
                                                       "estimate_population_bic(UKdat_5, maxorder = 2)$popest"),
                              why))
    ours = timed(lambda: mse.bootstrap(uk6, mse.author_procedures()["stepwise"], n=200, seed=1, jobs=2))
    lines.append(side_by_side(f"UK 6 lists, the authors' stepwise + 200-replicate bootstrap (2 processes; "
                              f"estimate {ours[0].estimate:,.1f})", ours,
                              None if why else r_timed(R_PACKAGE, "data(UKdat)",
                                                       "estimate_population_stepwise(UKdat, nboot = 200)$popest"),
                              why))
    sel5 = mse.search_all(uk5, max_order=2, jobs=1, ci=())
    models = list(sel5.existing["_models"])[:200]
    y = uk5.counts.astype(float)
    Xs = [design(uk5.k, m) for m in models]
    fast = timed(lambda: [mse.irls(X, y).beta[0] for X in Xs])
    ref = timed(lambda: [sm.GLM(y, X, family=sm.families.Poisson()).fit().params[0] for X in Xs])
    diff = float(np.max(np.abs(np.array(fast[0]) - np.array(ref[0]))))
    lines.append(f"lean IRLS vs statsmodels GLM, {len(Xs)} fits: {fast[1]:.3f} s vs {ref[1]:.3f} s "
                 f"(statsmodels/IRLS = {ref[1] / fast[1]:.1f}x; max intercept difference {diff:.1e})")
    code = ("import resource, critique.methods.mse; r = resource.getrusage(resource.RUSAGE_SELF); "
            "print(r.ru_utime + r.ru_stime)")
    imp = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True).stdout)
    lines.append(f"import critique.methods.mse in a fresh process: {imp:.2f} s CPU (target under 1 s) "
                 f"{'OK' if imp < 1 else 'ABOVE TARGET'}")
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
