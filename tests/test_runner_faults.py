"""Every way a run can fail gives one line naming the cell that was running, keeps the partial
notebook and the last good output; a build finishes the other notebooks; an interrupt stops every
parallel path and leaves no process (bounds that hold on a busy machine);
output folders follow the umask; non-finite numbers are refused before any cell runs."""
from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import kill_descendants_of
from critique.publish import runner
from test_runner import PARAMS, make_notebook

SLEEPY_BODY = '''import time
from critique.publish import findings
findings.record("started", 1)
time.sleep(pause)
findings.record("slept", pause)
'''
SLEEPY_PARAMS = 'pause: float = 0.0  # seconds to sleep in a cell; range: 0..600\n'


def _cli(*args, root: Path | None = None, **kwargs):
    env = os.environ.copy()
    if root is not None:
        env["CRITIQUE_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "critique.publish.cli", *args], capture_output=True, text=True,
                          timeout=300, env=env, **kwargs)


@pytest.fixture
def tiny(tmp_path) -> Path:
    return make_notebook(tmp_path / "tiny.ipynb")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused_before_any_cell_runs(tiny, tmp_path, value):
    # NaN passes `value < low` and `value > high` (both False): it must be refused by name
    with pytest.raises(runner.ParameterError, match="parameter 'scale': value .* is not a finite number"):
        runner.run_notebook(tiny, {"scale": value}, tmp_path / "out")
    with pytest.raises(runner.ParameterError, match="parameter 'rates': element 1 .* is not a finite number"):
        runner.validate_parameters(tiny, {"rates": [0.1, value]})
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.*"))


@pytest.mark.parametrize("text", [".nan", "inf", ".inf", "NaN", "Infinity"])  # "-inf": argparse reads it as an option
def test_cli_refuses_nan_and_inf_in_one_line(tiny, tmp_path, text):
    res = _cli("run", str(tiny), "--out", str(tmp_path / "o"), "-p", "scale", text)
    assert res.returncode == 2, res.stderr
    assert res.stderr.strip().count("\n") == 0 and "parameter 'scale'" in res.stderr
    assert "finite" in res.stderr
    assert not (tmp_path / "o").exists()


def test_timeout_gives_one_line_naming_the_cell_and_keeps_partial_notebook(tmp_path):
    nb = make_notebook(tmp_path / "slow.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    out = tmp_path / "out"
    runner.run_notebook(nb, {}, out)
    before = (out / "findings.json").read_text()
    with pytest.raises(runner.RunError) as info:
        runner.run_notebook(nb, {"pause": 60.0}, out, timeout=3)
    message = str(info.value)
    # cell 0 is markdown, 1 parameters, 2 papermill's injected parameters, 3 the sleeping cell
    assert message.startswith("slow.ipynb: cell 3 (import time) timed out after 3 s"), message
    assert "smaller parameters" not in message, "the hint names the time limit, not another setting"
    assert "\n" not in message
    assert (tmp_path / "out.failed" / "slow.ipynb").exists()
    assert (out / "findings.json").read_text() == before, "last good output kept"
    assert not list(tmp_path.glob(".out.*")), "no staging folder left"


def make_middle_sleeper(path: Path) -> Path:
    """A notebook whose middle code cell sleeps: 0 markdown, 1 parameters, (2 papermill's injected
    parameters), then "before = 1", the sleeping cell, "after = 2"."""
    import nbformat

    make_notebook(path, params=SLEEPY_PARAMS, body="before = 1\n")
    nb = nbformat.read(str(path), as_version=4)
    nb.cells += [nbformat.v4.new_code_cell("import time  # the slow cell\ntime.sleep(pause)\n"),
                 nbformat.v4.new_code_cell("after = 2\n")]
    nbformat.write(nb, str(path))
    return path


def test_timeout_in_a_middle_cell_names_that_cell_in_the_line_and_the_failed_notebook(tmp_path):
    import nbformat

    nb = make_middle_sleeper(tmp_path / "mid.ipynb")
    with pytest.raises(runner.RunError) as info:
        runner.run_notebook(nb, {"pause": 120.0}, tmp_path / "out", timeout=3)
    message = str(info.value)
    # papermill marks the later cell "completed" with no start time; the old rule named it (cell 5)
    assert message.startswith("mid.ipynb: cell 4 (import time  # the slow cell) timed out after 3 s "
                              "(give cells more time: --timeout SECONDS, or make reports TIMEOUT=SECONDS)"), message
    failed = nbformat.read(str(tmp_path / "out.failed" / "mid.ipynb"), as_version=4)
    assert failed.metadata["critique"]["failure"] == message.split(" (partial notebook kept in")[0]
    marked = [i for i, c in enumerate(failed.cells) if c.metadata.get("critique", {}).get("stopped_here")]
    assert marked == [4]
    assert "the run stopped in this cell" in failed.cells[4].outputs[-1]["text"]
    assert not failed.cells[5].metadata["papermill"].get("start_time"), "the cell after never started"


def test_running_cell_rules_on_papermill_records():
    from nbformat.v4 import new_code_cell, new_notebook

    from critique.publish.failures import running_cell

    def nb(*records):
        cells = []
        for rec in records:
            cell = new_code_cell("x")
            cell.metadata["papermill"] = rec
            cells.append(cell)
        return new_notebook(cells=cells)

    done = {"status": "completed", "start_time": "t0", "end_time": "t1"}
    never = {"status": "completed", "start_time": None, "end_time": None}  # papermill's clean-up
    assert running_cell(nb(done, done, never, never)) == 1  # a timeout: the last cell that started
    assert running_cell(nb(done, {"status": "running", "start_time": "t2", "end_time": None}, never)) == 1
    assert running_cell(nb(done, {"status": "failed", "start_time": "t", "end_time": "t"}, done)) == 1
    assert running_cell(nb(never, never)) is None


def test_dead_kernel_gives_one_line_and_keeps_partial_notebook(tmp_path):
    body = "import os\nif pause > 0:\n    os._exit(1)\n"
    nb = make_notebook(tmp_path / "dies.ipynb", params=SLEEPY_PARAMS, body=body)
    with pytest.raises(runner.RunError, match=r"^dies.ipynb: cell 3 \(import os\) stopped: the kernel died"):
        runner.run_notebook(nb, {"pause": 1.0}, tmp_path / "out", timeout=60)
    assert (tmp_path / "out.failed" / "dies.ipynb").exists()
    assert not (tmp_path / "out").exists()


def test_output_folders_follow_the_umask(tiny, tmp_path):
    old = os.umask(0o022)
    try:
        runner.run_notebook(tiny, {"n": 2}, tmp_path / "out")
    finally:
        os.umask(old)
    out = tmp_path / "out"
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "figures").stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "findings.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "figures" / "line.png").stat().st_mode) == 0o644


def _three_notebook_project(root: Path, slow_stem: str = "02-slow", middle: bool = False) -> Path:
    (root / "notebooks" / "params").mkdir(parents=True)
    (root / "data").symlink_to(Path(__file__).resolve().parents[1] / "data")
    make_notebook(root / "notebooks" / "01-first.ipynb")
    if middle:
        make_middle_sleeper(root / "notebooks" / f"{slow_stem}.ipynb")
    else:
        make_notebook(root / "notebooks" / f"{slow_stem}.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    make_notebook(root / "notebooks" / "03-third.ipynb")
    pfile = root / "notebooks" / "params" / "brief.yml"
    pfile.write_text(f"name: brief\nnotebooks:\n  {slow_stem}:\n    pause: 600\n")
    return pfile


def test_build_with_a_timing_out_notebook_finishes_the_others_and_exits_non_zero(tmp_path):
    root = tmp_path / "proj"
    pfile = _three_notebook_project(root, middle=True)
    res = _cli("reports", "-f", str(pfile), "--timeout", "20", root=root)
    assert res.returncode == 1, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip() and not line.startswith("notebooks:")]
    assert len(lines) == 1, res.stderr  # the progress bar aside, one line: the failed notebook
    assert lines[0].startswith("FAILED 02-slow: 02-slow.ipynb: cell 4 (import time  # the slow cell) "
                               "timed out after 20 s (give cells more time: --timeout SECONDS, or make "
                               "reports TIMEOUT=SECONDS)")
    assert "Traceback" not in res.stderr
    out = root / "reports" / "brief"
    assert (out / "02-slow.failed" / "02-slow.ipynb").exists()
    assert (out / "01-first" / "findings.json").exists() and (out / "03-third" / "findings.json").exists()
    assert (out / "index.html").exists() and (out / "briefing.pdf").stat().st_size > 1000
    index = (out / "index.html").read_text()
    assert 'class="failed-page"' in index and "02-slow" in index and "timed out" in index
    assert "cell 4 (import time  # the slow cell)" in index, "the index names the cell that was running"
    assert str(root) not in index and str(tmp_path) not in index, "no path of the building machine"
    assert not list(out.glob(".*.tmp"))


def _cmd(p: psutil.Process) -> str:
    """A process's command line, or "" once it has gone (short-lived helpers exit while we look)."""
    try:
        return " ".join(p.cmdline())
    except (psutil.Error, OSError):
        return ""


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except (psutil.Error, OSError):
        return False


# How long a stop may take on a loaded two-core machine (the tests measure that everything stopped,
# nothing was left and nothing half-written; the time is printed, not asserted tightly).
STOP_BOUND_S = 120


def _wait_gone(procs, bound: float = 60) -> None:
    """Wait (at most ``bound`` s) until every process has exited; the caller asserts on what is left."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline and any(_alive(p) for p in procs):
        time.sleep(0.2)


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupting_a_parallel_build_stops_everything_within_seconds(tmp_path, sig):
    root = tmp_path / "proj"
    pfile = _three_notebook_project(root)
    pfile.write_text("name: brief\nnotebooks:\n  02-slow:\n    pause: 0\n")
    assert _cli("reports", "-f", str(pfile), root=root).returncode == 0
    out = root / "reports" / "brief"
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
              and p.name != "briefing.pdf"}
    # now every notebook sleeps: two workers, each with a kernel, all busy, and one notebook queued
    make_notebook(root / "notebooks" / "01-first.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    make_notebook(root / "notebooks" / "03-third.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    pfile.write_text("name: brief\nnotebooks:\n  01-first:\n    pause: 300\n  02-slow:\n    pause: 300\n"
                     "  03-third:\n    pause: 300\n")
    env = os.environ.copy()
    env["CRITIQUE_ROOT"] = str(root)
    proc = subprocess.Popen([sys.executable, "-m", "critique.publish.cli", "reports", "-f", str(pfile), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 120
        seen: dict[int, psutil.Process] = {}
        while time.monotonic() < deadline:  # wait until both sleeping cells run (a kernel per worker)
            for p in _descendants(proc.pid):
                seen[p.pid] = p
            partials = [json.loads(f.read_text()) for f in out.parent.glob("brief/.*.tmp/.findings.partial.json")]
            if sum("started" in p.get("findings", {}) for p in partials) >= 2:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the two sleeping notebooks never started")
        for p in _descendants(proc.pid):
            seen[p.pid] = p
        kernels = [p for p in seen.values() if "ipykernel" in _cmd(p)]
        assert len(kernels) == 2, [_cmd(p) for p in seen.values()]
        t0 = time.monotonic()
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=STOP_BOUND_S)
        elapsed = time.monotonic() - t0
        print(f"build stopped {elapsed:.1f} s after signal {sig}")
        _wait_gone(seen.values())
    finally:
        kill_descendants_of([proc.pid, *seen])
    assert proc.returncode == 130, (elapsed, proc.returncode, err)
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("notebooks:")
             and "\r" not in line]
    assert len(lines) == 1 and lines[0].startswith("critique: interrupted: stopped 2 running notebook(s)"), err
    assert "; 1 queued not started;" in lines[0], "the queued notebook is not counted as running"
    assert "Traceback" not in err
    alive = [p for p in seen.values() if _alive(p)]
    assert alive == [], [_cmd(p) for p in alive]
    assert not list(out.glob(".*.tmp")) and not list(out.glob(".*.old-*")), "no staging folder left"
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
             and p.name != "briefing.pdf" and ".failed" not in str(p.relative_to(out))}
    assert after == before, "the previous report is intact"


def test_interrupting_a_single_run_names_the_cell_and_keeps_the_partial_notebook(tmp_path):
    nb = make_notebook(tmp_path / "slow.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    out = tmp_path / "out"
    assert _cli("run", str(nb), "--out", str(out)).returncode == 0
    before = (out / "findings.json").read_text()
    proc = subprocess.Popen([sys.executable, "-m", "critique.publish.cli", "run", str(nb), "--out", str(out),
                             "-p", "pause", "300"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        seen: dict[int, psutil.Process] = {}
        while time.monotonic() < deadline:
            for p in _descendants(proc.pid):
                seen[p.pid] = p
            partial = list(tmp_path.glob(".out.*.tmp/.findings.partial.json"))
            if partial and "started" in json.loads(partial[0].read_text()).get("findings", {}):
                break
            time.sleep(0.5)
        else:
            pytest.fail("the sleeping cell never started")
        t0 = time.monotonic()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=STOP_BOUND_S)
        elapsed = time.monotonic() - t0
        print(f"run stopped {elapsed:.1f} s after SIGINT")
        _wait_gone(seen.values())
    finally:
        kill_descendants_of([proc.pid, *seen])
    assert proc.returncode == 130, (elapsed, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(
        "critique: interrupted: slow.ipynb: cell 3 (import time) interrupted (partial notebook kept in "), err
    assert (out / "findings.json").read_text() == before
    assert (tmp_path / "out.failed" / "slow.ipynb").exists() and not list(tmp_path.glob(".out.*"))
    assert [p for p in seen.values() if _alive(p)] == []
