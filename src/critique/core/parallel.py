"""Process pools that stop when asked: Ctrl-C or SIGTERM ends every worker and what it started.

``concurrent.futures.ProcessPoolExecutor`` on its own handles an interrupt badly: the parent's
``with`` block waits for running tasks, the workers receive the terminal's SIGINT too and print
tracebacks, and a worker that started a Jupyter kernel (in its own session, so it never sees the
terminal's signal) can leave that kernel running after the parent has gone. Every parallel path of
the suite (report builds, batched country profiles, the MSE model search and bootstrap) creates its
pool here instead:

- workers ignore SIGINT, so one Ctrl-C is handled once, by the parent;
- on any exception leaving the ``with`` block (``KeyboardInterrupt``, a SIGTERM turned into one by
  :func:`sigterm_as_interrupt`, or an ordinary error) queued tasks are cancelled and every worker
  process **and all its descendants** (kernels) get SIGTERM, then SIGKILL after a short grace;
- the parent then re-raises, so the caller can clean its staging folders and print one line;
- a worker whose parent dies without cleaning up (``kill -9``, an out-of-memory kill) notices
  within :data:`PARENT_POLL_S` seconds (its parent process id changes when it is re-parented),
  ends what it started (kernels) and exits: before issue 30 such workers finished the queue,
  swapped in outputs with the index left stale, and never exited.

Descendants are found with psutil (the library Jupyter's own kernel code uses for this).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterator

GRACE_S = 2.0
PARENT_POLL_S = 0.5


def _ignore_sigint(initializer: Callable[..., Any] | None, initargs: tuple, parent: int | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        watch_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def _exit_when_orphaned(parent: int, poll: float) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(poll)
    with contextlib.suppress(Exception):
        kill_children(grace=1.0)
    os._exit(70)  # no clean-up handlers: the work belongs to a build that no longer exists


def watch_parent(parent: int, poll: float = PARENT_POLL_S) -> threading.Thread:
    """In a worker: a daemon thread that ends this process and its descendants once ``parent`` dies.

    Re-parenting is how POSIX reports a dead parent to a child (``getppid`` changes to the
    reaper), so no signal or pipe from the parent is needed; the parent cannot send one after
    ``kill -9`` anyway. Returns the thread (already running).
    """
    thread = threading.Thread(target=_exit_when_orphaned, args=(parent, poll), daemon=True,
                              name="critique-parent-watch")
    thread.start()
    return thread


def default_context() -> multiprocessing.context.BaseContext:
    """``fork`` where it exists (cheap, for pure-numeric work), else ``spawn``."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def kill_tree(pids: list[int], grace: float = GRACE_S) -> list[int]:
    """SIGTERM the processes ``pids`` and all their descendants, SIGKILL what survives ``grace`` s.

    Descendants are collected first (a killed parent's children are re-parented and lost).
    Returns the pids that were still alive after SIGKILL (normally none).
    """
    import psutil

    procs: list[psutil.Process] = []
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            procs += proc.children(recursive=True)
            procs.append(proc)
        except psutil.NoSuchProcess:
            continue
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.terminate()
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    _, still = psutil.wait_procs(alive, timeout=grace)
    return [p.pid for p in still]


def kill_children(grace: float = GRACE_S) -> list[int]:
    """End every descendant of this process (kernels a serial run left behind on an interrupt)."""
    import psutil

    children = psutil.Process(os.getpid()).children(recursive=True)
    return kill_tree([c.pid for c in children], grace) if children else []


def stop_pool(pool: ProcessPoolExecutor, grace: float = GRACE_S) -> None:
    """Cancel queued tasks and end every worker of ``pool`` with its descendants, now."""
    workers = list(getattr(pool, "_processes", {}) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    kill_tree(workers, grace)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=True)


@contextlib.contextmanager
def process_pool(max_workers: int, *, context: multiprocessing.context.BaseContext | None = None,
                 initializer: Callable[..., Any] | None = None,
                 initargs: tuple = ()) -> Iterator[ProcessPoolExecutor]:
    """A ``ProcessPoolExecutor`` whose workers ignore SIGINT, stop when this process dies, and are
    killed (with their children) when the block is left by an exception; on normal exit it waits
    for the workers as usual.

    ``context``: a multiprocessing context (default :func:`default_context`; notebook runners pass
    ``multiprocessing.get_context("spawn")`` because a forked Jupyter client is unsafe).
    """
    pool = ProcessPoolExecutor(max_workers=max_workers, mp_context=context or default_context(),
                               initializer=_ignore_sigint, initargs=(initializer, initargs, os.getpid()))
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    else:
        pool.shutdown(wait=True)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises ``KeyboardInterrupt`` (so ``kill PID`` cleans up like Ctrl-C).

    Only in the main thread; elsewhere (or where signals are unavailable) it does nothing.
    """
    try:
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    except (ValueError, AttributeError):  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
