"""Output folders: nothing lost, one writer at a time, nothing stale left behind.

``critique run --out DIR`` replaces DIR by the new run's folder. Before issue 30 it replaced
whatever DIR held (``--out reports`` deleted every built briefing; a file given as ``--out`` was
moved aside). The rules here:

- :func:`check_out_dir`: an output folder is written only when it is missing, empty, or an
  earlier output of the **same** notebook holding nothing but what that run wrote (listed in its
  ``.critique-output.json``); anything else is refused before anything runs or is written, naming
  the folder and what it holds. A file given as the folder is refused. ``<DIR>.failed`` is
  replaced only when an earlier failed run wrote it.
- :func:`folder_lock`: one writer per folder, with an advisory ``flock`` on a hidden
  ``.<DIR>.lock`` beside it; a second build is refused with "another build is writing here:
  <folder>". The kernel releases a ``flock`` when its holder dies, so a killed build never leaves
  a lock that blocks the next one.
- :func:`clean_stale`: under the lock, staging folders (``.<DIR>.*.tmp``) and moved-aside copies
  (``.<DIR>.old-*``) left by a killed build are removed (a moved-aside last good output is put
  back first), so the next build of the same folder tidies what the killed one left.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

from critique.core import atomicio
from critique.core.errors import RunError

MANIFEST = ".critique-output.json"
FAILED_MARK = ".critique-failed"


class FolderBusy(RunError):
    """Another build holds the lock of an output folder."""


def lock_path(folder: Path) -> Path:
    """The hidden lock file of ``folder`` (beside it, so it exists before the folder does)."""
    return folder.parent / f".{folder.name}.lock"


@contextlib.contextmanager
def folder_lock(folder: Path | str) -> Iterator[None]:
    """Hold the lock of ``folder`` for the block; ``FolderBusy`` when another build holds it.

    The lock file is removed on release. A build that finds its lock file replaced (removed and
    re-created by a build that finished while it waited to lock) takes the new one.
    """
    folder = Path(folder)
    path = lock_path(folder)
    atomicio.make_dir(folder.parent)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, atomicio.file_mode())
        except OSError as exc:
            raise RunError(f"{folder.parent}: cannot write here ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            who = f" (process {holder})" if holder.isdigit() else ""
            raise FolderBusy(f"another build is writing here: {folder}{who}; wait for it to finish "
                             "or give another output folder") from None
        try:
            same = os.fstat(fd).st_ino == path.stat().st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _listing(folder: Path) -> list[str]:
    """Every file under ``folder`` as a relative POSIX path (folders end with '/' when empty)."""
    out = []
    for item in sorted(folder.rglob("*")):
        rel = item.relative_to(folder).as_posix()
        if item.is_dir():
            if not any(item.iterdir()):
                out.append(rel + "/")
        else:
            out.append(rel)
    return out


def _standard_files(stem: str, files: Iterable[str]) -> bool:
    """An output written before manifests existed: only the files a run writes."""
    top = {f"{stem}.ipynb", f"{stem}.html", "findings.json", ".run-key"}
    return all(f in top or (f.startswith("figures/") and f.count("/") == 1) for f in files)


def is_failed_run(folder: Path) -> bool:
    """Whether ``folder`` is a ``<DIR>.failed`` written by a failed run (marked, or an unmarked one
    from before marks holding only what a run writes), or an empty folder."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    if (folder / FAILED_MARK).exists():
        return True
    files = [f for f in _listing(folder) if f != ".findings.partial.json"]
    stems = [Path(f).stem for f in files if f.endswith(".ipynb") and "/" not in f]
    return not files or any(_standard_files(s, files) for s in stems)


def check_out_dir(out_dir: Path | str, stem: str) -> None:
    """Refuse an output folder whose content a run of ``stem`` would lose (see the module docstring).

    Raises ``RunError`` naming the folder: a file given as the folder, a non-empty folder that
    is not an earlier output of ``stem``, or one that also holds files no run wrote.
    """
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise RunError(f"{out_dir}: is a symbolic link; give the folder itself (nothing was written)")
    if out_dir.exists() and not out_dir.is_dir():
        raise RunError(f"{out_dir}: is a file, not a folder; give a folder for the output "
                       "(nothing was written)")
    failed = out_dir.parent / f"{out_dir.name}.failed"
    if (failed.exists() or failed.is_symlink()) and not is_failed_run(failed):
        raise RunError(f"{failed}: exists and was not written by a failed run; move it away "
                       "(a failed run keeps its partial notebook there)")
    if not out_dir.exists():
        return
    files = _listing(out_dir)
    if not files:
        return
    manifest = out_dir / MANIFEST
    written: dict | None = None
    if manifest.is_file():
        try:
            written = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            written = None
    if isinstance(written, dict):
        if written.get("notebook") != stem:
            raise RunError(f"{out_dir}: holds the output of notebook {written.get('notebook')!r}, not "
                           f"{stem!r}; give each notebook its own output folder (nothing was written)")
        extra = [f for f in files if f not in set(written.get("files", [])) | {MANIFEST}]
    elif (out_dir / ".run-key").is_file() and (out_dir / f"{stem}.ipynb").is_file() \
            and _standard_files(stem, files):
        extra = []
    else:
        shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
        raise RunError(f"{out_dir}: folder is not empty and is not an earlier output of {stem} "
                       f"(it holds {shown}); give a new or empty folder (nothing was written)")
    if extra:
        shown = ", ".join(extra[:5]) + (f" and {len(extra) - 5} more" if len(extra) > 5 else "")
        raise RunError(f"{out_dir}: also holds files no run wrote ({shown}); move them away or give "
                       "another folder (nothing was written)")


def write_manifest(folder: Path, stem: str) -> None:
    """List every file of a finished run in ``folder/.critique-output.json``."""
    from critique.core.atomicio import write_json_atomic

    write_json_atomic(folder / MANIFEST, {"notebook": stem, "files": _listing(folder)})


def make_staging(out_dir: Path) -> Path:
    """A fresh hidden staging folder beside ``out_dir`` with the umask's mode (0755 under 022)."""
    return atomicio.make_temp_dir(out_dir.parent, prefix=f".{out_dir.name}.")


def stale(out_dir: Path) -> list[Path]:
    """Staging folders and moved-aside copies of ``out_dir`` left beside it."""
    parent, name = out_dir.parent, out_dir.name
    if not parent.is_dir():
        return []
    return sorted(list(parent.glob(f".{name}.*.tmp")) + list(parent.glob(f".{name}.old-*")))


def clean_stale(out_dir: Path, *, keep_partial: bool = False) -> list[Path]:
    """Tidy what a killed run left beside ``out_dir``; the caller holds the folder's lock.

    A moved-aside last good output is put back when ``out_dir`` is missing; other leftovers are
    removed, except (``keep_partial``) the newest staging folder holding a partial notebook,
    which becomes ``<out_dir>.failed``. Returns the folders removed or moved.
    """
    out_dir = Path(out_dir)
    touched: list[Path] = []
    olds = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*")) if out_dir.parent.is_dir() else []
    if olds and not out_dir.exists():
        os.replace(olds[-1], out_dir)
        touched.append(olds.pop())
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)
        touched.append(old)
    stagings = sorted(out_dir.parent.glob(f".{out_dir.name}.*.tmp"), key=lambda p: p.stat().st_mtime) \
        if out_dir.parent.is_dir() else []
    for staging in stagings:
        partial = [f for f in staging.glob("*.ipynb") if not f.name.startswith(".")]
        if keep_partial and partial and staging == stagings[-1]:
            move_failed(staging, out_dir)
        else:
            shutil.rmtree(staging, ignore_errors=True)
        touched.append(staging)
    return touched


def move_failed(staging: Path, out_dir: Path) -> Path:
    """Move a failed run's staging folder to ``<out_dir>.failed`` (replacing an earlier failed run's)."""
    failed = out_dir.parent / f"{out_dir.name}.failed"
    (staging / FAILED_MARK).write_text("written by a failed run of critique; replaced by the next\n")
    if is_failed_run(failed):
        shutil.rmtree(failed, ignore_errors=True)
    if failed.exists() or failed.is_symlink():  # someone else's folder appeared meanwhile: keep both
        failed = out_dir.parent / f"{out_dir.name}.failed-{os.getpid()}"
    os.replace(staging, failed)
    return failed


def swap_into_place(staging: Path, out_dir: Path, stem: str) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; the old copy goes only after the new lands.

    ``out_dir`` is checked again first (a file may have been put in it while the notebook ran);
    when it now holds something no run wrote, the new output is kept in ``<out_dir>.failed`` and
    ``RunError`` names the folder.
    """
    try:
        check_out_dir(out_dir, stem)
    except RunError as exc:
        kept = move_failed(staging, out_dir)
        raise RunError(f"{exc}; the new output is in {kept}") from None
    old = None
    if out_dir.exists():
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    failed = out_dir.parent / f"{out_dir.name}.failed"
    if is_failed_run(failed):
        shutil.rmtree(failed, ignore_errors=True)
