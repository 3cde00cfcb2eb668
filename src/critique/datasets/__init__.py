"""Load any dataset of the suite by id: ``critique.datasets.load("glotip")``.

Two kinds of dataset share one entry point:

- *upstream* datasets listed in ``data/catalog.yml`` (fetched, verified, parsed by a loader module
  here and cached as parquet keyed by the source's sha256);
- *published* tables typed in from publications, in ``data/published/`` and described in
  ``data/published/published.yml`` (every row cited, with a verification status).

Every load notes the dataset id and its sha256 in the run's findings (``critique.findings``).
Loaders register themselves with :func:`register`; each module imports here at the bottom.
"""
from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from critique import catalog, findings, paths
from critique.errors import DataError  # noqa: F401  (re-exported: critique.datasets.DataError)


@dataclass(frozen=True)
class Loader:
    """A registered loader: ``parse(path) -> DataFrame`` for upstream data, or ``load() -> DataFrame``."""

    id: str
    kind: str  # "upstream" | "published"
    func: Callable[..., pd.DataFrame]
    version: str  # bump to invalidate the parquet cache when the parser changes


_REGISTRY: dict[str, Loader] = {}


def register(dataset_id: str, *, kind: str = "upstream", version: str = "1") -> Callable:
    """Decorator: register ``func`` as the loader of ``dataset_id``."""

    def deco(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        _REGISTRY[dataset_id] = Loader(dataset_id, kind, func, version)
        return func

    return deco


def ids() -> list[str]:
    """Every dataset id that :func:`load` accepts."""
    return sorted(_REGISTRY)


def _loader(dataset_id: str) -> Loader:
    if dataset_id not in _REGISTRY:
        close = difflib.get_close_matches(dataset_id, list(_REGISTRY), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DataError(f"unknown dataset id '{dataset_id}'{hint} (known: {', '.join(ids())})")
    return _REGISTRY[dataset_id]


def _cache_path(loader: Loader, sha: str) -> Path:
    return paths.cache_dir() / f"{loader.id}-{sha[:16]}-v{loader.version}.parquet"


def parse_upstream(dataset_id: str, path: Path) -> pd.DataFrame:
    """Parse an upstream file with its registered loader, bypassing the cache (used by tests)."""
    return _loader(dataset_id).func(path)


def load(dataset_id: str, *, use_cache: bool = True) -> pd.DataFrame:
    """A tidy, typed, validated frame for ``dataset_id``.

    Upstream files are fetched (``critique.catalog.fetch``) and verified first. The parsed frame is
    cached as parquet keyed by the file's sha256 and the loader's version, so a second load of the
    UNODC workbook takes a fraction of a second instead of several.
    """
    loader = _loader(dataset_id)
    if loader.kind == "published":
        from critique.datasets import published

        frame = loader.func()
        findings.note_input(dataset_id, published.sha256_of_table(dataset_id))
        return frame
    ds = catalog.get(dataset_id)
    path = catalog.fetch(dataset_id)
    cache = _cache_path(loader, ds.sha256)
    frame = None
    if use_cache and cache.exists():
        try:
            frame = pd.read_parquet(cache)
        except Exception:  # a damaged cache is rebuilt, never trusted
            frame = None
    if frame is None:
        frame = loader.func(path)
        if use_cache:
            _write_parquet_atomic(frame, cache)
    findings.note_input(dataset_id, ds.sha256)
    return frame


def _write_parquet_atomic(frame: pd.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def current_sha256(dataset_id: str) -> str:
    """The sha256 a load of ``dataset_id`` would read now (pinned upstream hash or table file hash)."""
    from critique.fingerprints import current_sha256 as _current

    _loader(dataset_id)  # unknown ids: the usual error with suggestions
    return _current(dataset_id)


def caveats(dataset_id: str) -> list[str]:
    """Plain-language caveats of a dataset (catalogue or published-table metadata)."""
    loader = _loader(dataset_id)
    if loader.kind == "published":
        from critique.datasets import published

        return list(published.meta(dataset_id).get("caveats", []))
    return list(catalog.get(dataset_id).caveats)


def source_line(dataset_id: str) -> str:
    """A one-line source for a chart caption."""
    loader = _loader(dataset_id)
    if loader.kind == "published":
        from critique.datasets import published

        return published.source_line(dataset_id)
    ds = catalog.get(dataset_id)
    return f"{ds.citation}"


# Loader modules register themselves on import.
from critique.datasets import upstream as _upstream  # noqa: E402,F401
from critique.datasets import ncmec as _ncmec  # noqa: E402,F401
from critique.datasets import published as _published  # noqa: E402,F401
