"""Shared fixtures: the data mirror, isolated caches, and notebook runs through the runner.

Also three rules for every test run (issue 30):

- nothing is written into the checkout: ``CRITIQUE_OUTPUT_DIR`` (where ``findings.record`` and
  figures go outside a runner, by default ``reports/scratch/``) points at a temporary folder for
  the whole session, kernels and subprocesses included;
- a skipped test says loudly what it needs and how to get it (a block at the end of the run), and
  ``.ci/run`` fails when more tests skip than ``.ci/expected-skips`` allows;
- a test that starts processes (runner, reports, pool tests) leaves none behind: whatever it
  started and is still alive at its end is killed, and the test fails saying so.

Each run's wall time, outcome counts, workers and load are kept in pytest's own cache
(``.pytest_cache/v/critique/last-run``, git-ignored) for ``make bench`` to print (issue 29).
"""
from __future__ import annotations

import atexit
import fcntl
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

import critique.publish  # noqa: F401,E402  (first: keeps a 2 CPU-s import out of nbformat's, see there)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "data" / "mirror"

# Tests read upstream files from the mirror (CI sets CRITIQUE_DATA_MIRROR; default: ../shared/data/mirror).
if not os.environ.get("CRITIQUE_DATA_MIRROR") and DEFAULT_MIRROR.is_dir():
    os.environ["CRITIQUE_DATA_MIRROR"] = str(DEFAULT_MIRROR)

# No test writes into the checkout: a notebook-less findings.record() goes here, not reports/scratch/.
_SCRATCH = tempfile.mkdtemp(prefix="critique-test-scratch-")
os.environ["CRITIQUE_OUTPUT_DIR"] = _SCRATCH
atexit.register(shutil.rmtree, _SCRATCH, True)

# What a skipped test needs, for the block printed at the end (reason substring -> how to get it).
SKIP_HELP = {
    "chromium": "install Debian's chromium (apt-get install chromium); .ci/run does when it runs as root",
}
_SKIPPED: list[tuple[str, str]] = []


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The mirror folder of upstream files (tests that need it skip... no: they fail clearly)."""
    value = os.environ.get("CRITIQUE_DATA_MIRROR")
    if not value or not Path(value).is_dir():
        pytest.fail("CRITIQUE_DATA_MIRROR is not set to a folder of upstream files "
                    "(the tests expect ../shared/data/mirror)")
    return Path(value)


@pytest.fixture(scope="session")
def smoke_dir(tmp_path_factory) -> Path:
    """Where the smoke-set notebook runs of this test session go.

    Under pytest-xdist every worker of one session shares this folder (the parent of the workers' own
    temporary folders), so that a notebook runs once per session, not once per worker.
    """
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "smoke"
    folder.mkdir(exist_ok=True)
    return folder


_SMOKE_CACHE: dict[str, dict] = {}


@pytest.fixture(scope="session")
def smoke_run(smoke_dir, mirror_dir):
    """Run a notebook (by stem) through the runner with notebooks/params/smoke.yml; return findings.json.

    Each notebook runs once per test session, however many tests (and xdist workers) ask for it: the
    first asker runs it under an exclusive lock on ``<stem>.lock``, the others wait and read its
    ``findings.json``. A run that failed is not cached: the next asker runs it again and sees the error.
    """
    from critique.datasets import paths
    from critique.publish import runner

    _, per_notebook = runner.load_param_set(paths.params_dir() / "smoke.yml")

    def run(stem: str) -> dict:
        if stem not in _SMOKE_CACHE:
            matches = sorted(paths.notebooks_dir().rglob(f"{stem}.ipynb"))
            assert matches, f"no notebook named {stem}.ipynb under notebooks/"
            out = smoke_dir / stem
            with open(smoke_dir / f"{stem}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    if not (out / "findings.json").exists():
                        runner.run_notebook(matches[0], per_notebook.get(stem, {}), out, timeout=600)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
            data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
            data["_out_dir"] = str(out)
            _SMOKE_CACHE[stem] = data
        return _SMOKE_CACHE[stem]

    return run


@pytest.fixture(scope="session")
def workshop_kit(smoke_dir, mirror_dir):
    """The workshop kit (every exercise, question and answer versions) built once per test session.

    Like :func:`smoke_run`: under pytest-xdist the first worker to ask builds it into a folder shared
    by the session's workers, under an exclusive lock; a later asker rebuilds into the same folder,
    which skips every unchanged notebook and returns the kit as built.
    """
    from critique.publish import workshop

    folder = smoke_dir.parent / "workshop-kit"
    with open(smoke_dir.parent / "workshop-kit.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return workshop.build(folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# ------------------------------------------------------------------ one worker per notebook
def _smoke_stem(item) -> str | None:
    """The smoke notebook a test reads (its ``stem`` parameter, else its module's STEM or NB)."""
    if "smoke_run" not in getattr(item, "fixturenames", ()):
        return None
    params = getattr(getattr(item, "callspec", None), "params", {})
    stem = params.get("stem") or getattr(item.module, "STEM", None) or getattr(item.module, "NB", None)
    return stem if isinstance(stem, str) else None


DURATIONS_KEY = "critique/durations"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Group the tests that need the same notebook run, and put the longest work first.

    ``make test`` runs ``--dist loadgroup --no-loadscope-reorder``: every test reading one smoke
    notebook's run goes to the worker that runs it, and the workshop's tests to one worker, so no
    worker waits on another's lock for a run in progress. Work units (a group, or a single test) are
    then ordered longest first by the seconds the last run of each test took (kept in pytest's cache;
    without it: the workshop, the notebook groups, other notebook tests, then the rest), and
    pytest-xdist hands them out in that order as workers free up, so the two finish together.
    Order and marks change no test's outcome; without xdist the marks do nothing.
    """
    group: dict[str, str] = {}
    for item in items:
        stem = _smoke_stem(item)
        if stem:
            group[item.nodeid] = f"smoke-{stem}"
        elif "workshop_kit" in getattr(item, "fixturenames", ()):
            group[item.nodeid] = "workshop"
        if item.nodeid in group:
            item.add_marker(pytest.mark.xdist_group(group[item.nodeid]))
    if getattr(config.option, "loadgroup", False):
        for item in items:
            if item.nodeid in group:
                base = item.nodeid
                _set_nodeid(item, f"{base}@{group[base]}")
                group[item.nodeid] = group[base]
    cache = getattr(config, "cache", None)
    last = cache.get(DURATIONS_KEY, {}) if cache is not None else {}

    def default(item) -> float:  # no timing yet: what usually costs most comes first
        g = group.get(item.nodeid, "")
        return 1e4 if g == "workshop" else 1e3 if g else 100.0 if item.get_closest_marker("notebook") else 1.0

    unit_cost: dict[str, float] = {}
    for item in items:
        unit = group.get(item.nodeid, item.nodeid)
        unit_cost[unit] = unit_cost.get(unit, 0.0) + float(last.get(_without_group(item.nodeid), default(item)))
    position = {id(item): i for i, item in enumerate(items)}
    items.sort(key=lambda it: (-unit_cost[group.get(it.nodeid, it.nodeid)], group.get(it.nodeid, ""),
                               position[id(it)]))


def _set_nodeid(item, nodeid: str) -> None:
    """Give ``item`` the id pytest-xdist's loadgroup scheduler reads its group from ("<id>@<group>").

    pytest-xdist 3.8 does this itself by setting ``item._nodeid``, which pytest 9.2 no longer reads
    (its ids live in ``item._id``), so the groups were silently ignored; set where pytest reads it.
    """
    if hasattr(item, "_id"):
        from _pytest.nodeid import coerce_node_id

        item._id = coerce_node_id(nodeid)
    else:
        item._nodeid = nodeid


_DURATIONS: dict[str, float] = {}


def _without_group(nodeid: str) -> str:
    """A test id without pytest-xdist's ``@group`` suffix (an "@" inside a parameter id stays)."""
    at = nodeid.find("@", nodeid.rfind("]") + 1)
    return nodeid[:at] if at >= 0 else nodeid


def pytest_runtest_logreport(report):
    """Seconds each test took (setup, call and teardown), for the next run's order."""
    nodeid = _without_group(report.nodeid)
    _DURATIONS[nodeid] = _DURATIONS.get(nodeid, 0.0) + float(getattr(report, "duration", 0.0) or 0.0)
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append((report.nodeid, str(reason).removeprefix("Skipped: ")))


# ------------------------------------------------------------------ processes a test leaves behind
_PROCESS_MODULES = ("test_runner", "test_parallel", "test_reports", "test_workshop", "test_profiles")


@pytest.fixture(autouse=True)
def no_process_left_behind(request):
    """Tests that start kernels, workers or CLI builds end every process they started."""
    if not request.module.__name__.startswith(_PROCESS_MODULES):
        yield
        return
    import psutil

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    yield
    left = [p for p in me.children(recursive=True) if p.pid not in before and not _helper(p)]
    if not left:
        return
    _, alive = psutil.wait_procs(left, timeout=10)  # a process that is exiting gets time to go
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    if alive:
        from critique.core import parallel

        names = [" ".join(p.cmdline()[:3]) for p in alive if p.is_running()]
        parallel.kill_tree([p.pid for p in alive], grace=2)
        pytest.fail(f"the test left {len(alive)} process(es) running (now killed): {names}")


def _helper(proc) -> bool:
    """multiprocessing's resource tracker lives as long as the test session, by design."""
    try:
        return any("resource_tracker" in part or "forkserver" in part for part in proc.cmdline())
    except Exception:
        return True  # gone already


def kill_descendants_of(pids: list[int]) -> None:
    """For tests: end processes (and everything they started) a test began, whatever happened."""
    from critique.core import parallel

    parallel.kill_tree([p for p in pids if p], grace=2)


# ------------------------------------------------------------------ skips say what is missing
# (recorded by pytest_runtest_logreport above)

def pytest_terminal_summary(terminalreporter):
    if not _SKIPPED:
        return
    terminalreporter.section(f"{len(_SKIPPED)} TEST(S) SKIPPED: what they need", sep="!", red=True)
    for nodeid, reason in _SKIPPED:
        how = next((h for key, h in SKIP_HELP.items() if key in reason.lower()), "")
        terminalreporter.write_line(f"{nodeid}: {reason}" + (f"; to run it: {how}" if how else ""))
    terminalreporter.write_line(f"(.ci/run fails when more tests skip than .ci/expected-skips allows)")


# ------------------------------------------------------------------ the run's time, for make bench
_STARTED = {"wall": time.time(), "perf": time.perf_counter(), "load": os.getloadavg()[0]}
LAST_RUN_KEY = "critique/last-run"


def pytest_sessionfinish(session, exitstatus):
    """The controller (not an xdist worker) records what this run took in pytest's cache."""
    config = session.config
    if hasattr(config, "workerinput") or getattr(config, "cache", None) is None:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    stats = getattr(reporter, "stats", {}) or {}
    counts = {k: len(stats.get(k, [])) for k in ("passed", "failed", "skipped", "error")}
    if _DURATIONS:  # merged into the last known seconds of each test (a partial run keeps the others)
        config.cache.set(DURATIONS_KEY, {**config.cache.get(DURATIONS_KEY, {}),
                                         **{k: round(v, 2) for k, v in _DURATIONS.items()}})
    config.cache.set(LAST_RUN_KEY, {
        "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "wall_s": round(time.perf_counter() - _STARTED["perf"], 1),
        "exit_status": int(exitstatus),
        "counts": counts,
        "workers": int(getattr(config.option, "numprocesses", 0) or 0),
        "args": [str(a) for a in config.invocation_params.args],
        "whole_suite": _whole_suite(config),
        "load_at_start": round(_STARTED["load"], 2),
        "load_at_end": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    })


def _whole_suite(config) -> bool:
    """Whether this run collected every test (no file, -k, -m or --lf selection)."""
    testpaths = [str(Path(config.rootpath) / p) for p in config.getini("testpaths")] or [str(config.rootpath)]
    given = [str(Path(config.invocation_params.dir) / a) for a in config.args]
    return (sorted(given) == sorted(testpaths) and not config.option.keyword and not config.option.markexpr
            and not getattr(config.option, "lf", False))
