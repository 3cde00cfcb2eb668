"""Heavy MSE results kept on disk by content, so that a rebuild which changes a sentence does not
re-run a bootstrap or a set of chains.

A result is stored under ``<cache dir>/mse/<key>.pkl`` (``CRITIQUE_CACHE_DIR``, default
``data/cache``), where the key is the sha256 of: what the run depends on (the table's lists and
counts, every procedure setting, the resamples and the seed: :func:`critique.methods.mse.estimators.run`)
the source code of this package (every ``critique/methods/mse/*.py`` file) and the versions of numpy,
scipy and numba, so a change of code or of those libraries makes every old entry unreachable. Only runs that cost seconds are stored (a bootstrap, dga, LCMCR).
``CRITIQUE_MSE_CACHE=0`` turns the cache off. A file that cannot be read is ignored and
recomputed; one that cannot be written is skipped: the cache never changes a result or fails a run.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

_CODE: str | None = None


def code_fingerprint() -> str:
    """sha256 of this package's source files, in name order, and of the numpy, scipy and numba
    versions that compute the results."""
    global _CODE
    if _CODE is None:
        from importlib import metadata

        h = hashlib.sha256()
        for dist in ("numpy", "scipy", "numba"):
            try:
                h.update(f"{dist}={metadata.version(dist)}".encode())
            except metadata.PackageNotFoundError:
                h.update(dist.encode())
        for path in sorted(Path(__file__).parent.glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
        _CODE = h.hexdigest()
    return _CODE


def enabled() -> bool:
    """False when ``CRITIQUE_MSE_CACHE`` is 0 / false / no."""
    return os.environ.get("CRITIQUE_MSE_CACHE", "1").strip().lower() not in ("0", "false", "no")


def _path(key: tuple) -> Path:
    from critique.datasets.paths import cache_dir

    digest = hashlib.sha256(repr((key, code_fingerprint())).encode()).hexdigest()
    return cache_dir() / "mse" / f"{digest}.pkl"


def load(key: tuple):
    """The stored result for ``key``, or None."""
    if not enabled():
        return None
    try:
        with open(_path(key), "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None


def save(key: tuple, value) -> None:
    """Store ``value`` for ``key`` atomically (write a temporary file, then rename)."""
    if not enabled():
        return
    path = _path(key)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as fh:
            tmp = fh.name
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o666 & ~_umask())  # as any file the user makes (NamedTemporaryFile uses 0600)
        os.replace(tmp, path)
    except OSError:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
