"""How a report build spreads its work over two cores (issue 29): notebooks longest first, and the
workbook beside the rest of the index step.

``critique reports --jobs 2`` hands notebooks to a pool of workers in the order it submits them.
Submitted in file order, the two longest briefing notebooks (40 and 50, about half the notebooks'
wall time) were started 9th and 11th of 13 on a cold build, and the build waited for them alone
at the end. Longest first (Graham's LPT rule) starts them at once and lets the short ones fill
the other worker.

What "longest" means, per notebook, the first that is known:

1. its wall seconds in the previous build into the same report folder
   (``reports/<set>/.notebook-seconds.json``, written by :func:`record` after every build);
2. its expected seconds in the committed hint ``notebooks/params/expected-seconds.yml`` (used on
   a cold build, when the report folder has no timings yet);
3. zero (a notebook nobody has timed goes last).

Ties keep the list order. Only the order depends on these numbers, never a result.

After the notebooks, ``tables.xlsx`` (every chart's CSV; openpyxl, about half of the index step for
the briefing) is written by a second process while the what-if pages and PDFs are made
(:func:`workbook_pool`), when the chart CSVs are big enough to pay for that process's start-up.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, ContextManager, Mapping, Sequence

from critique.core.atomicio import write_text_atomic
from critique.core.errors import ParameterError
from critique.datasets import paths

SECONDS_FILE = ".notebook-seconds.json"  # in the report folder: the last build's wall seconds
HINT_FILE = "expected-seconds.yml"  # in notebooks/params/: committed, for a cold build
WORKBOOK_APART_BYTES = 1_000_000  # chart CSVs above this: tables.xlsx written by a second process


def hint(path: Path | None = None) -> dict[str, float]:
    """The committed expected seconds (notebook stem -> seconds); empty when the file is missing.

    Raises ``ParameterError`` naming the file and the entry for anything but a mapping of stems to
    non-negative finite numbers."""
    import yaml

    path = Path(path or paths.params_dir() / HINT_FILE)
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise ParameterError(f"{path}: expected notebook stem: seconds, found a {type(raw).__name__}")
    out: dict[str, float] = {}
    for stem, seconds in raw.items():
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or not math.isfinite(seconds) or seconds < 0:
            raise ParameterError(f"{path}: '{stem}': {seconds!r} is not a number of seconds (0 or more)")
        out[str(stem)] = float(seconds)
    return out


def previous(timings: Path) -> dict[str, float]:
    """The wall seconds :func:`record` wrote in ``timings``; empty when there is none or it is
    unreadable (it only orders work, so a damaged file is ignored, never trusted)."""
    try:
        raw = json.loads(Path(timings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    return {str(k): float(v) for k, v in raw.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0}


def longest_first(names: Sequence[str], last: Mapping[str, float],
                  expected: Mapping[str, float]) -> list[str]:
    """``names`` ordered by expected duration, longest first: the last build's seconds where known,
    else the committed hint, else 0; ties keep the order of ``names``."""
    def seconds(name: str) -> float:
        return last[name] if name in last else expected.get(name, 0.0)
    return sorted(names, key=lambda name: -seconds(name))  # sorted() is stable: ties keep list order


def record(timings: Path, seconds: Mapping[str, float]) -> None:
    """Merge this build's wall seconds per notebook into ``timings`` (notebooks that did not run
    keep their earlier figure). A folder that cannot be written is skipped: the file only orders
    the next build."""
    merged = previous(timings)
    merged.update({k: round(float(v), 1) for k, v in seconds.items()})
    try:
        write_text_atomic(Path(timings), json.dumps(merged, indent=1, sort_keys=True))
    except OSError:
        return


def workbook_pages(pages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What :func:`critique.publish.workbook.write_workbook` reads of the index's page entries
    (``stem``, ``title``, each figure's ``name``, ``title``, ``source``, ``abs_png``, ``csv``): plain
    values another process can be handed."""
    keys = ("name", "title", "source", "abs_png", "csv")
    return [{"stem": p["stem"], "title": p.get("title", p["stem"]),
             "figures": [{k: f.get(k) for k in keys} for f in p.get("figures", [])]} for p in pages]


def workbook_pool(pages: Sequence[Mapping[str, Any]]) -> ContextManager:
    """A pool of one worker for the workbook: a second (spawned) process when the chart CSVs of
    ``pages`` exceed :data:`WORKBOOK_APART_BYTES`, else a thread of this process (a small workbook
    is written faster than a process starts). Either way the same function writes the same file."""
    from concurrent.futures import ThreadPoolExecutor

    size = sum(Path(f["abs_png"]).with_suffix(".csv").stat().st_size
               for p in pages for f in p.get("figures", []) if f.get("csv"))
    if size <= WORKBOOK_APART_BYTES:
        return ThreadPoolExecutor(1)
    import multiprocessing

    from critique.core import parallel

    return parallel.process_pool(1, context=multiprocessing.get_context("spawn"))
