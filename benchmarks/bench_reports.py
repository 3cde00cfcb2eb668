"""Reports: a first build, a second build with nothing changed, and the speed-up from --jobs 2.

All three builds use the briefing parameter set, into a temporary folder (reports/ is untouched).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from critique.datasets import paths
from critique.publish import reports


def _timed(**kwargs) -> tuple[float, reports.BuildResult]:
    start = time.perf_counter()
    res = reports.build_reports(paths.params_dir() / "briefing.yml", progress=False, **kwargs)
    return time.perf_counter() - start, res


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "briefing"
        t1, r1 = _timed(out_root=out, n_jobs=1, force=True)
        t_again, r2 = _timed(out_root=out, n_jobs=1)
        t2, r3 = _timed(out_root=out, n_jobs=2, force=True)
    n = len(r1.ran) + len(r1.failed)
    lines = [
        f"notebooks: {n} ({len(r1.failed)} failed)",
        f"first build, --jobs 1:        {t1:7.1f} s",
        f"second build, nothing changed: {t_again:7.1f} s  ({len(r2.skipped)} skipped) -> {t1 / t_again:.0f}x faster",
        f"forced build, --jobs 2:       {t2:7.1f} s  -> speed-up from --jobs 2: {t1 / t2:.2f}x",
    ]
    return lines
