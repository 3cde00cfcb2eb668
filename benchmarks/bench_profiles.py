"""Country profiles on two cores: one kernel per country (the runner) against several per kernel.

Measured in one run, on the same countries, into throw-away folders (``--force``-like: nothing is
skipped):

- *runner*: :func:`critique.publish.profiles.build_profiles` with ``n_jobs=2`` (papermill, one kernel per
  country, via ``critique.publish.reports.run_jobs``). Its time is split into cells (sum of papermill's
  per-cell durations in the executed notebooks) and the rest (kernel start, imports happen in
  cells!, papermill, HTML export, findings); a bare kernel start-and-stop is timed separately.
- *batch*: :func:`critique.publish.profiles.run_batch` with two processes, one kept kernel each
  (papermill's ``parameterize_notebook`` + nbclient, namespace reset between countries).

``BENCH_PROFILES_N`` limits the run to the first N countries (default: all ~199).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def _kernel_start_stop(n: int = 3) -> float:
    from jupyter_client.manager import start_new_kernel

    from critique.publish import runner

    runner.ensure_kernel()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name=runner.KERNEL_NAME)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _cell_seconds(folder: Path) -> float:
    nb = json.loads((folder / "country-profile.ipynb").read_text(encoding="utf-8"))
    return sum(float(c.get("metadata", {}).get("papermill", {}).get("duration") or 0) for c in nb["cells"])


def run() -> list[str]:
    from critique.publish import profiles

    codes = profiles.available()
    n = int(os.environ.get("BENCH_PROFILES_N", "0") or 0)
    if n:
        codes = codes[:n]
    tmp = Path(tempfile.mkdtemp(prefix="bench-profiles-"))
    lines = [f"country profiles: {len(codes)} countries, 2 worker processes, cpu count {os.cpu_count()}"]
    try:
        start = _kernel_start_stop()
        lines.append(f"bare kernel start+stop: {start:.2f} s (median of 3)")

        t0 = time.perf_counter()
        res = profiles.build_profiles(codes, n_jobs=2, root=tmp / "runner", progress=False, index=False)
        runner_total = time.perf_counter() - t0
        cells = sum(_cell_seconds(tmp / "runner" / c) for c in res.ran)
        per = runner_total / max(len(codes), 1)
        # two workers: worker-seconds = 2 x wall-clock; the part not in cells is per-kernel overhead
        worker_s = 2 * runner_total
        lines.append(f"runner (1 kernel/country): total {runner_total:.1f} s, {per:.2f} s/profile wall-clock "
                     f"({worker_s / max(len(codes), 1):.2f} worker-s each); failed {len(res.failed)}")
        lines.append(f"  cells {cells:.1f} worker-s ({cells / worker_s:.0%}); outside cells (kernel start, "
                     f"papermill, HTML, findings) {worker_s - cells:.1f} worker-s ({1 - cells / worker_s:.0%}); "
                     f"bare kernel starts alone ~{start * len(codes):.1f} s ({start * len(codes) / worker_s:.0%})")
        setup = []
        for c in res.ran:
            nb = json.loads((tmp / "runner" / c / "country-profile.ipynb").read_text(encoding="utf-8"))
            code_cells = [x for x in nb["cells"] if x["cell_type"] == "code"]
            setup.append(float(code_cells[2]["metadata"]["papermill"]["duration"]))
        lines.append(f"  of the cells, the first cell after the parameters (imports + loads) takes "
                     f"{statistics.median(setup):.2f} s median per country: also paid once per kernel")

        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        ran, _, failed = profiles.run_batch(codes, tmp / "batch", n_jobs=2, force=True, progress=False,
                                            timings=timings)
        batch_total = time.perf_counter() - t0
        lines.append(f"batch (2 kept kernels): total {batch_total:.1f} s, {batch_total / max(len(codes), 1):.2f} s/profile; "
                     f"failed {len(failed)}; kernel start {timings.get('kernel_start_s', 0):.1f} worker-s, "
                     f"cells {timings.get('cells_s', 0):.1f}, writing (ipynb, HTML, findings) {timings.get('write_s', 0):.1f}")
        lines.append(f"speed-up batch vs runner: {runner_total / batch_total:.1f}x")
        same = sum(json.loads((tmp / "runner" / c / "findings.json").read_text())["findings"]
                   == json.loads((tmp / "batch" / c / "findings.json").read_text())["findings"]
                   for c in set(res.ran) & set(ran))
        lines.append(f"identical findings.json (runner vs batch): {same} of {len(set(res.ran) & set(ran))}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
