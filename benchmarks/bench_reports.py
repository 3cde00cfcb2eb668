"""The briefing build and the test suite, as last run (``make bench``; issue 29).

Nothing is rebuilt here: a cold ``make reports`` takes minutes, and a time measured under whatever
else runs on the machine says little. Instead this reads what the last runs recorded:

- the last build in ``reports/briefing/``: each executed notebook carries papermill's start and end
  time per cell and the kernel's CPU seconds per cell (``metadata.critique.cpu_s``, recorded by the
  runner); printed are the build's date, the span from the first notebook's start to the last one's
  end (the notebook part of a cold build when every notebook ran in it), the notebooks' summed wall
  and CPU time, and the slowest cells;
- the no-op rebuild, measured here when the last build is up to date: the whole ``critique reports``
  command in a fresh interpreter, wall and CPU seconds;
- the last ``make test`` (``.pytest_cache/v/critique/last-run``, written by tests/conftest.py).
"""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from critique.datasets import paths

CELL_LIMIT_S = 60  # the issue's bar: no cell above a minute with the briefing parameters
SLOWEST = 5


def _when(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(text).replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


def _notebook_times(executed: Path) -> dict[str, Any] | None:
    nb = json.loads(executed.read_text(encoding="utf-8"))
    meta = nb.get("metadata", {}).get("papermill", {}) or {}
    start, end = _when(meta.get("start_time")), _when(meta.get("end_time"))
    if start is None or end is None:
        return None
    cells = []
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for i, cell in enumerate(code, start=1):
        pm = cell.get("metadata", {}).get("papermill", {}) or {}
        cpu = (cell.get("metadata", {}).get("critique", {}) or {}).get("cpu_s")
        source = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) else cell.get("source", "")
        first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
        cells.append({"cell": i, "of": len(code), "wall_s": float(pm.get("duration") or 0.0),
                      "cpu_s": None if cpu is None else float(cpu), "first": first[:50]})
    return {"stem": executed.stem, "start": start, "end": end, "wall_s": (end - start).total_seconds(),
            "cells": cells}


def last_build(root: Path) -> list[str]:
    """Lines about the last build in ``root`` (``reports/briefing``)."""
    runs = [t for t in (_notebook_times(p) for p in sorted(root.glob("*/*.ipynb"))
                        if p.parent.name == p.stem) if t]
    if not runs:
        return [f"no executed notebook in {root} (run make reports first)"]
    runs.sort(key=lambda r: r["start"])
    gaps = 0
    reach = runs[0]["end"]
    for r in runs[1:]:  # one build: every notebook started before the ones before it had all ended
        if r["start"] > reach + dt.timedelta(seconds=60):
            gaps += 1
        reach = max(reach, r["end"])
    span = (reach - runs[0]["start"]).total_seconds()
    cells = [dict(c, stem=r["stem"]) for r in runs for c in r["cells"]]
    cpu_known = [c["cpu_s"] for c in cells if c["cpu_s"] is not None]
    lines = [f"last build in {root.relative_to(paths.root()) if root.is_relative_to(paths.root()) else root}: "
             f"{len(runs)} notebooks, finished {reach:%Y-%m-%d %H:%M} UTC"]
    if gaps:
        lines.append(f"  the notebooks ran in {gaps + 1} separate builds (some were unchanged): "
                     "the span below is not one cold build")
    lines.append(f"  notebooks' span (first start to last end): {span / 60:.1f} min; summed notebook wall "
                 f"{sum(r['wall_s'] for r in runs) / 60:.1f} min"
                 + (f", kernel CPU {sum(cpu_known) / 60:.1f} min" if len(cpu_known) == len(cells) else
                    " (kernel CPU per cell not recorded by this build)"))
    over = [c for c in cells if c["wall_s"] > CELL_LIMIT_S]
    lines.append(f"  cells above {CELL_LIMIT_S} s wall: {len(over)}; slowest {SLOWEST}:")
    for c in sorted(cells, key=lambda c: -c["wall_s"])[:SLOWEST]:
        cpu = "" if c["cpu_s"] is None else f", {c['cpu_s']:6.1f} s CPU"
        lines.append(f"    {c['wall_s']:6.1f} s wall{cpu}  {c['stem']} cell {c['cell']}/{c['of']}: {c['first']}")
    return lines


def noop_check() -> list[str]:
    """The no-op rebuild: when every briefing notebook is up to date and the index would be kept,
    the whole ``critique reports`` command in a fresh interpreter (start-up, imports, checks), its
    wall time and CPU seconds (issue 29's bar: under 1 s of work); else why it was not measured."""
    import os
    import resource
    import subprocess
    import sys

    from critique.publish import reports, runner

    params = paths.params_dir() / "briefing.yml"
    name, jobs = reports.jobs_for_set(params)
    code = runner.code_fingerprint()
    fresh = [j for j in jobs if runner.is_up_to_date(j.notebook, j.params, j.out_dir, code)]
    out_root = paths.reports_dir() / name
    kept = reports._unchanged_index(out_root, reports._index_key(out_root, [j.name for j in jobs],
                                                                  f"{name}:en", code))
    if len(fresh) < len(jobs) or kept is None:
        why = (f"{len(jobs) - len(fresh)} of {len(jobs)} notebooks are not up to date" if len(fresh) < len(jobs)
               else "the index and PDF would be written again")
        return [f"no-op rebuild: not measured ({why}; run make reports first, then make bench)"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "critique", "reports", "-f", str(params), "--jobs", "2"],
                   check=True, capture_output=True, cwd=paths.root())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return [f"no-op rebuild, the whole `critique reports` command in a fresh interpreter: {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU (target under 1 s: {'met' if cpu < 1 else 'NOT met'}; load {os.getloadavg()[0]:.2f})"]


def last_test_run() -> list[str]:
    """The last pytest run of this checkout, as tests/conftest.py recorded it."""
    record = paths.root() / ".pytest_cache" / "v" / "critique" / "last-run"
    if not record.exists():
        return ["make test: no run recorded yet (.pytest_cache/v/critique/last-run)"]
    r = json.loads(record.read_text(encoding="utf-8"))
    c = r.get("counts", {})
    what = "whole suite" if r.get("whole_suite") else f"part of the suite ({' '.join(r.get('args', []))})"
    return [f"last pytest run ({what}), finished {r.get('finished')}: {r.get('wall_s', 0) / 60:.1f} min wall "
            f"on {r.get('workers') or 'no'} xdist worker(s), {r.get('cores')} cores, load {r.get('load_at_start')} at start "
            f"and {r.get('load_at_end')} at end; {c.get('passed', 0)} passed, {c.get('failed', 0)} failed, "
            f"{c.get('error', 0)} errors, {c.get('skipped', 0)} skipped (exit {r.get('exit_status')})"]


def run() -> list[str]:
    from critique.publish import runner

    name, _ = runner.load_param_set(paths.params_dir() / "briefing.yml")
    return last_build(paths.reports_dir() / name) + noop_check() + last_test_run()


if __name__ == "__main__":
    for line in run():
        print(line)
