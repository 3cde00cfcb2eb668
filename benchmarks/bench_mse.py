"""Speed of multiple systems estimation (``make bench``): the suite's times, and ratios to R only
when R ran in this same run.

Each job runs here and, when ``Rscript`` and the R package MultipleSystemsEstimation are
installed (``make bench RLIB=dir`` or ``R_LIBS`` for a private library; ``make r-packages``
installs them), in R on the same table, alternating: suite, R, suite, R, ... (``pairs`` of each,
fewer for the jobs that take minutes in R). Both sides' CPU time (the suite's including its worker
processes; R's from ``proc.time()`` around the call, after the package and data are loaded) and
wall time are printed as medians over the pairs, with the load average before and after the job;
the ratio is the median over pairs of suite / R (below 1: faster than R). Without R the line says
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
import statistics
import subprocess
import sys
import time

import numpy as np

R_PACKAGE = "MultipleSystemsEstimation"
os.environ["CRITIQUE_MSE_CACHE"] = "0"  # never time a result read from the suite's disk cache (R has none)
PAIRS = int(os.environ.get("BENCH_PAIRS", "3"))  # alternating pairs for jobs of seconds (one for minutes)


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
    return "" if done.returncode == 0 else (f"R package {package} not installed (make r-packages; "
                                            "make bench RLIB=dir or R_LIBS for a private library)")


def r_versions(packages: list[str]) -> str:
    """R's version and each installed package's version and library, in one line."""
    if not shutil.which("Rscript"):
        return "R: Rscript not found"
    code = ("cat(R.version.string); for (p in commandArgs(TRUE)) if (requireNamespace(p, quietly = TRUE)) "
            "cat(';', p, format(packageVersion(p)), 'in', dirname(find.package(p))) else cat(';', p, 'not installed')")
    done = subprocess.run(["Rscript", "-e", code, *packages], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()


def r_timed(package: str, setup: str, expr: str) -> tuple[float, float, str]:
    """Run ``expr`` in a fresh Rscript after ``setup``; (wall s, CPU s, printed value), timed in R."""
    code = (f"suppressMessages(library({package})); {setup}; t0 <- proc.time(); "
            f"v <- {expr}; t <- proc.time() - t0; "
            "cat(t[['elapsed']], t[['user.self']] + t[['sys.self']] + t[['user.child']] + "
            "t[['sys.child']], format(v, digits = 10), '\\n')")
    out = subprocess.run(["Rscript", "-e", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), " ".join(out[2:])


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def alternate(suite, r_job: tuple[str, str, str] | None, pairs: int):
    """Run the suite's job and R's alternately ``pairs`` times (R skipped when ``r_job`` is None).

    Returns (last suite result, suite [(wall, cpu)], R [(wall, cpu, value)], load before, load after).
    """
    before, ours, theirs, result = _load(), [], [], None
    for _ in range(pairs):
        result, wall, cpu_s = timed(suite)
        ours.append((wall, cpu_s))
        if r_job is not None:
            theirs.append(r_timed(*r_job))
    return result, ours, theirs, before, _load()


def side_by_side(label: str, runs, why_not: str) -> str:
    """One line: medians of each side over the alternating pairs and the median per-pair ratio."""
    _, ours, theirs, before, after = runs
    med = statistics.median
    text = (f"{label}: suite {med(w for w, _ in ours):.2f} s wall, {med(c for _, c in ours):.2f} s CPU")
    if not theirs:
        return text + f" (load {before}->{after}); R not run ({why_not})"
    cpu_ratio = med(c / r[1] for (_, c), r in zip(ours, theirs))
    wall_ratio = med(w / r[0] for (w, _), r in zip(ours, theirs))
    first = (f"; the suite's first run, with this process's one-time set-up, {ours[0][1]:.2f} s CPU, "
             f"{ours[0][1] / theirs[0][1]:.3f} of R's" if len(ours) > 1 else "")
    return (text + f"; R {med(r[0] for r in theirs):.2f} s wall, {med(r[1] for r in theirs):.2f} s CPU "
            f"(R's value {theirs[-1][2]}); suite/R CPU {cpu_ratio:.3f}, wall {wall_ratio:.3f} "
            f"(median of {len(theirs)} alternating pair{'s' if len(theirs) > 1 else ''}; "
            f"load {before}->{after}){first}")


def run() -> list[str]:
    """Measure and return the lines to print."""
    import critique.methods.mse as mse
    import statsmodels.api as sm

    from critique.methods.mse.model import design

    uk5, uk6 = mse.CaptureTable.from_dataset("mse-uk-2013-5"), mse.CaptureTable.from_dataset("mse-uk-2013")
    why = r_available(R_PACKAGE)
    r = (lambda setup, expr: None if why else (R_PACKAGE, setup, expr))
    lines = [f"load average at start {_load()} (1 min), {os.cpu_count()} cores; {r_versions([R_PACKAGE])}"]
    ours = timed(lambda: mse.bootstrap(uk5, mse.Procedure(), n=1000, seed=1, jobs=2))
    b = ours[0]
    lines.append(f"UK 5 lists, default procedure (links of up to 3 lists) + 1,000-replicate bootstrap "
                 f"(2 processes): suite {ours[1]:.2f} s wall, {ours[2]:.2f} s CPU ({b.interval_kind} "
                 f"{b.interval[0]:,.0f}-{b.interval[1]:,.0f}); R not run for this job (minutes in R)")
    runs = alternate(lambda: mse.search_all(uk5, max_order=2, jobs=2, ci=()),
                     r("data(UKdat_5)", "estimate_population_bic(UKdat_5, maxorder = 2)$popest"), PAIRS)
    lines.append(side_by_side(f"UK 5 lists, all 1,024 pairwise models, BIC (2 processes; best "
                              f"{runs[0].best.total:,.2f})", runs, why))
    runs = alternate(lambda: mse.bootstrap(uk5, mse.Procedure(max_order=2), n=1000, seed=1, jobs=2),
                     r("data(UKdat_5)", "estimate_population_bic(UKdat_5, maxorder = 2, nboot = 1000)$popest"), 1)
    lines.append(side_by_side(f"UK 5 lists, pairwise BIC + 1,000-replicate bootstrap (2 processes; estimate "
                              f"{runs[0].estimate:,.2f})", runs, why))
    runs = alternate(lambda: mse.bootstrap(uk6, mse.author_procedures()["stepwise"], n=200, seed=1, jobs=2),
                     r("data(UKdat)", "estimate_population_stepwise(UKdat, nboot = 200)$popest"), 1)
    lines.append(side_by_side(f"UK 6 lists, the authors' stepwise + 200-replicate bootstrap (2 processes; "
                              f"estimate {runs[0].estimate:,.2f})", runs, why))
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
