"""Write a file so that a reader never sees half of it: a temporary file beside it, then a rename.

Every generated output (findings, report index, guide, profile index) goes through here, so a run
that fails half-way keeps the last good file. Modes follow the user's umask through
:func:`atomic_file`, :func:`make_dir` and :func:`make_temp_dir`, the one set of helpers every part
of the suite (packs, download cache, parsed-table cache, reports, staging folders) makes files with.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


def write_text_atomic(target: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically, with the umask's mode (0644 under 022)."""
    target = Path(target)
    with atomic_file(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically, with the umask's mode."""
    target = Path(target)
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)
    return target


def write_json_atomic(target: Path, payload: Any) -> Path:
    """Write ``payload`` as indented UTF-8 JSON, atomically (a value JSON cannot hold fails before
    anything is written)."""
    return write_text_atomic(target, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


# Every file and folder the suite makes (packs, caches, downloads, reports, staging folders) gets its
# permissions here, from the process umask: 0644 files and 0755 folders under the usual umask 022 (a
# pack or report another account can read), 0600/0700 under 077 (a user who asked for privacy).
# ``tempfile.mkstemp``/``mkdtemp`` make private files (0600/0700) whatever the umask; renamed into
# place as they are, a pack read by another account fails with "Permission denied".


def umask() -> int:
    """The process umask, read without changing it where the OS allows (Linux ``/proc``)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: set and restore at once (not thread-safe, rarely reached)
    os.umask(mask)
    return mask


def file_mode(read_only: bool = False) -> int:
    """The mode a new file gets under the umask (``read_only``: without write bits, e.g. raw downloads)."""
    return (0o444 if read_only else 0o666) & ~umask()


def dir_mode() -> int:
    """The mode a new folder gets under the umask."""
    return 0o777 & ~umask()


def make_dir(path: Path | str) -> Path:
    """``mkdir -p`` (its folders follow the umask, as ``mkdir`` does); returns the path."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def make_temp_dir(beside: Path, prefix: str, suffix: str = ".tmp") -> Path:
    """A fresh hidden folder in ``beside`` with the umask's mode (``mkdtemp`` alone gives 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=beside))
    os.chmod(folder, dir_mode())
    return folder


@contextmanager
def atomic_file(target: Path | str, *, read_only: bool = False) -> Iterator[Path]:
    """Write ``target`` whole or not at all, with the umask's mode: yields a temporary path beside it.

    The caller writes the temporary file; on leaving the block normally it gets
    :func:`file_mode` and is renamed onto ``target`` (one atomic rename on a POSIX filesystem);
    on an exception it is removed and ``target`` keeps its last good content. The parent folder
    is made when missing. Raises the ``OSError`` of a read-only folder or a full disk unchanged
    (the command line turns it into one line naming the file).
    """
    target = Path(target)
    make_dir(target.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, file_mode(read_only))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
