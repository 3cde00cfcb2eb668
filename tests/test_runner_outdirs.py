"""Nothing lost (issue 30): `--out` never deletes what a run did not write, one build per folder,
a killed build's workers stop and what it left is tidied by the next build."""
from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import kill_descendants_of
from critique.publish import outdirs, reports, runner
from test_runner import make_notebook
from test_runner_faults import SLEEPY_BODY, SLEEPY_PARAMS, _cli, _descendants, _three_notebook_project


@pytest.fixture
def tiny(tmp_path) -> Path:
    return make_notebook(tmp_path / "tiny.ipynb")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_out_on_a_folder_holding_other_files_is_refused_and_keeps_them(tiny, tmp_path):
    out = tmp_path / "reports"
    (out / "briefing").mkdir(parents=True)
    (out / "briefing" / "index.html").write_text("a built briefing")
    (out / "notes.txt").write_text("mine")
    before = _tree(out)
    res = _cli("run", str(tiny), "--out", str(out))
    assert res.returncode == 1, res.stderr
    line = res.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith(f"critique: error: {out}: folder is not empty and is not an earlier output of tiny")
    assert "briefing/index.html" in line and "notes.txt" in line
    assert _tree(out) == before, "nothing was deleted or added"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports", "tiny.ipynb"], "no staging or lock left"


def test_a_file_given_as_out_is_refused_and_untouched(tiny, tmp_path):
    target = tmp_path / "mine.txt"
    target.write_text("keep me")
    with pytest.raises(runner.RunError, match=r"mine.txt: is a file, not a folder"):
        runner.run_notebook(tiny, {}, target)
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt", "tiny.ipynb"], "not moved aside"


def test_two_notebooks_into_one_out_folder_second_is_refused_first_kept(tiny, tmp_path):
    other = make_notebook(tmp_path / "other.ipynb")
    out = tmp_path / "mine"
    runner.run_notebook(tiny, {"n": 3}, out)
    first = _tree(out)
    with pytest.raises(runner.RunError, match=r"mine: holds the output of notebook 'tiny', not 'other'"):
        runner.run_notebook(other, {}, out)
    assert _tree(out) == first


def test_rerun_replaces_an_earlier_output_of_the_same_notebook_but_not_a_file_added_to_it(tiny, tmp_path):
    out = tmp_path / "out"
    runner.run_notebook(tiny, {"n": 2}, out)
    manifest = json.loads((out / outdirs.MANIFEST).read_text())
    assert manifest["notebook"] == "tiny" and "findings.json" in manifest["files"]
    runner.run_notebook(tiny, {"n": 4}, out)  # its own earlier output: replaced
    assert json.loads((out / "findings.json").read_text())["findings"]["total"] == 9.0  # 1.5 * (0+1+2+3)
    (out / "figures" / "my-edit.png").write_bytes(b"mine")
    with pytest.raises(runner.RunError, match=r"out: also holds files no run wrote \(figures/my-edit.png\)"):
        runner.run_notebook(tiny, {"n": 5}, out)
    assert (out / "figures" / "my-edit.png").read_bytes() == b"mine"


def test_a_folder_named_like_a_failed_run_but_not_one_is_not_deleted(tiny, tmp_path):
    mine = tmp_path / "out.failed"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(runner.RunError, match=r"out.failed: exists and was not written by a failed run"):
        runner.run_notebook(tiny, {}, tmp_path / "out")
    assert (mine / "thesis.docx").read_bytes() == b"years of work"


def test_a_held_folder_lock_refuses_a_second_build_naming_the_folder(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    pfile = _three_notebook_project(root)
    pfile.write_text("name: brief\nnotebooks:\n  02-slow:\n    pause: 0\n")
    monkeypatch.setenv("CRITIQUE_ROOT", str(root))
    out_root = root / "reports" / "brief"
    with outdirs.folder_lock(out_root):  # what a running build holds
        with pytest.raises(outdirs.FolderBusy, match=rf"another build is writing here: {out_root} "
                                                     rf"\(process {os.getpid()}\)"):
            reports.build_reports(pfile, progress=False)
    assert not out_root.exists(), "the refused build wrote nothing"
    assert not outdirs.lock_path(out_root).exists(), "the lock file goes with its holder"


def test_a_lock_held_by_a_killed_process_does_not_block(tmp_path):
    folder = tmp_path / "out"
    code = (f"import fcntl, os, time; fd = os.open({str(outdirs.lock_path(folder))!r}, os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(600)")
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(outdirs.FolderBusy):
            with outdirs.folder_lock(folder):
                pass
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
    finally:
        kill_descendants_of([holder.pid])
    with outdirs.folder_lock(folder):  # the kernel released the dead holder's lock
        assert outdirs.lock_path(folder).exists()
    assert not outdirs.lock_path(folder).exists()


def test_second_cli_run_into_a_busy_folder_is_refused_and_the_first_completes(tmp_path):
    nb = make_notebook(tmp_path / "slow.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "critique.publish.cli", "run", str(nb), "--out", str(out),
                              "-p", "pause", "20"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300  # kernel start on a loaded machine
        while time.monotonic() < deadline and not list(tmp_path.glob(".out.*.tmp/.findings.partial.json")):
            time.sleep(0.5)
        assert list(tmp_path.glob(".out.*.tmp")), "the first run never started its notebook"
        second = _cli("run", str(nb), "--out", str(out))
        assert second.returncode == 1, second.stderr
        assert second.stderr.strip() == (f"critique: error: another build is writing here: {out} "
                                         f"(process {first.pid}); wait for it to finish or give another "
                                         "output folder")
        _, err = first.communicate(timeout=600)
        assert first.returncode == 0, err
    finally:
        kill_descendants_of([first.pid])
    found = json.loads((out / "findings.json").read_text())
    assert found["findings"] == {"started": 1, "slept": 20.0}, "the first output is complete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "slow.ipynb"], "no staging or lock left"


def test_next_run_cleans_what_a_killed_run_left_beside_its_folder(tiny, tmp_path):
    out = tmp_path / "out"
    runner.run_notebook(tiny, {"n": 2}, out)
    stale_staging = tmp_path / ".out.abc123.tmp"
    stale_staging.mkdir()
    (stale_staging / "tiny.ipynb").write_text("{}")
    stale_old = tmp_path / ".out.old-99999"
    stale_old.mkdir()
    outdirs.lock_path(out).write_text("99999")  # a killed build's lock file (its flock died with it)
    runner.run_notebook(tiny, {"n": 3}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny.ipynb"]


def test_kill_9_of_a_parallel_build_stops_its_workers_and_the_next_build_tidies(tmp_path):
    root = tmp_path / "proj"
    pfile = _three_notebook_project(root)
    pfile.write_text("name: brief\nnotebooks:\n  02-slow:\n    pause: 0\n")
    assert _cli("reports", "-f", str(pfile), root=root).returncode == 0
    out = root / "reports" / "brief"
    before = _tree(out)
    make_notebook(root / "notebooks" / "03-third.ipynb", params=SLEEPY_PARAMS, body=SLEEPY_BODY)
    pfile.write_text("name: brief\nnotebooks:\n  02-slow:\n    pause: 300\n  03-third:\n    pause: 300\n")
    env = {**os.environ, "CRITIQUE_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-m", "critique.publish.cli", "reports", "-f", str(pfile), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    seen: dict[int, psutil.Process] = {}
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            seen.update({p.pid: p for p in _descendants(proc.pid)})
            partials = [json.loads(f.read_text()) for f in out.glob(".*.tmp/.findings.partial.json")]
            if sum("started" in p.get("findings", {}) for p in partials) >= 2:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the two sleeping notebooks never started")
        seen.update({p.pid: p for p in _descendants(proc.pid)})
        assert sum("ipykernel" in " ".join(p.cmdline()) for p in seen.values() if p.is_running()) == 2
        t0 = time.monotonic()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        gone_by = time.monotonic() + 120  # bound for a loaded machine; the workers poll every 0.5 s
        alive = list(seen.values())
        while alive and time.monotonic() < gone_by:
            alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
            time.sleep(0.5)
        print(f"workers and kernels gone {time.monotonic() - t0:.1f} s after kill -9")
        assert alive == [], [" ".join(p.cmdline()) for p in alive]
    finally:
        kill_descendants_of([proc.pid, *seen])
    assert {k: v for k, v in _tree(out).items() if not k.startswith(".")} == \
        {k: v for k, v in before.items() if not k.startswith(".")}, "no output swapped in after the kill"
    assert list(out.glob(".*.tmp")), "the killed build left staging folders (the next build tidies them)"
    pfile.write_text("name: brief\nnotebooks:\n  02-slow:\n    pause: 0\n")
    again = _cli("reports", "-f", str(pfile), root=root)
    assert again.returncode == 0, again.stderr
    assert not list(out.glob(".*.tmp")) and not list(out.glob(".*.old-*")) and not list(out.glob(".*.lock"))
    assert not list(out.parent.glob(".*.lock"))
    for stem in ("01-first", "02-slow", "03-third"):
        assert (out / stem / "findings.json").exists()
