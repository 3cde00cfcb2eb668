"""Every parallel path stops: the pool kills its workers and what they started, and workers whose
parent died stop on their own. Times are printed; the bounds hold on a loaded machine."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

from critique.core import parallel


def _start_grandchild_and_wait(seconds: float) -> int:
    # a worker that starts a process in its own session, as a Jupyter kernel is started
    child = subprocess.Popen([sys.executable, "-c", f"import time; time.sleep({seconds})"], start_new_session=True)
    time.sleep(seconds)
    return child.pid


def _pid_and_sigint(_: int) -> tuple[int, bool]:
    import signal

    return os.getpid(), signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_leaving_the_pool_by_an_interrupt_kills_workers_and_their_children():
    seen: list[psutil.Process] = []
    t0 = None
    with pytest.raises(KeyboardInterrupt):
        with parallel.process_pool(2) as pool:
            futures = [pool.submit(_start_grandchild_and_wait, 120) for _ in range(2)]
            deadline = time.monotonic() + 60
            me = psutil.Process()
            while time.monotonic() < deadline:
                seen = me.children(recursive=True)
                if sum("time.sleep(120)" in " ".join(p.cmdline()) for p in seen) >= 2:
                    break
                time.sleep(0.2)
            else:
                pytest.fail("the workers never started their children")
            t0 = time.monotonic()
            raise KeyboardInterrupt
    print(f"pool stopped {time.monotonic() - t0:.1f} s after the interrupt")
    assert time.monotonic() - t0 < 60, "a bound that holds on a loaded machine (GRACE_S is 2 s)"
    assert all(f.cancelled() or f.done() for f in futures)
    # multiprocessing's resource tracker belongs to this (test) process, not to the pool: it is started
    # once per process, by whichever pool or semaphore comes first, and lives as long as the process
    alive = [p for p in seen if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
             and "multiprocessing.resource_tracker" not in " ".join(p.cmdline())]
    assert alive == [], [p.cmdline() for p in alive]


def test_a_normal_pool_returns_results_and_workers_ignore_sigint():
    with parallel.process_pool(2) as pool:
        answers = set(pool.map(_pid_and_sigint, range(4)))
    assert answers and all(ignores for _, ignores in answers), "the parent alone handles Ctrl-C"
    assert os.getpid() not in {pid for pid, _ in answers}


def test_sigterm_becomes_an_interrupt_inside_the_block():
    import signal

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        with parallel.sigterm_as_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
    assert signal.getsignal(signal.SIGTERM) is before, "the previous handler is restored"


def test_workers_stop_when_their_parent_is_killed_outright():
    # issue 30: after `kill -9` of a `--jobs 2` build its workers finished the queue and never exited
    import signal

    script = ("import time\nfrom critique.core import parallel\n"
              "with parallel.process_pool(2) as pool:\n"
              "    futures = [pool.submit(time.sleep, 300) for _ in range(2)]\n"
              "    print('started', flush=True)\n    time.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    workers: list[psutil.Process] = []
    try:
        assert parent.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2:
            workers = psutil.Process(parent.pid).children()
            time.sleep(0.2)
        assert len(workers) == 2
        t0 = time.monotonic()
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=60)
        _, alive = psutil.wait_procs(workers, timeout=60)  # bound for a busy machine; they poll every 0.5 s
        print(f"workers gone {time.monotonic() - t0:.1f} s after kill -9 of their parent")
        assert [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    finally:
        parallel.kill_tree([parent.pid] + [w.pid for w in workers], grace=1)
