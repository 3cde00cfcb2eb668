"""Load any dataset of the suite by id: ``critique.datasets.load("glotip")``.

Two kinds of dataset share one entry point:

- *upstream* datasets listed in ``data/catalog.yml`` (fetched, verified, parsed by a loader module
  here and cached as parquet keyed by the source's sha256);
- *published* tables typed in from publications, in ``data/published/`` and described in
  ``data/published/published.yml`` (every row cited, with a verification status).

Every load notes the dataset id, release and sha256 in the run record (:mod:`critique.datasets.provenance`).
Loaders register themselves with :func:`register`; each module imports here at the bottom.
"""
from __future__ import annotations

import difflib
import inspect
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from critique.core import atomicio
from critique.datasets import catalog, paths, provenance
from critique.core.errors import DataError  # noqa: F401  (re-exported: critique.datasets.DataError)

if TYPE_CHECKING:  # pandas and the loaders are imported when a dataset is first asked for (issue 29:
    import pandas as pd  # a no-op `critique reports` reads no dataset and should not pay a second for them)


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
    """Every source id that :func:`load` accepts (each also as ``id@release``)."""
    _register_loaders()
    return sorted(_REGISTRY)


def releases(dataset_id: str) -> list[str]:
    """Release ids of an upstream source, newest first (``["glotip@2025-04-14", ...]``).

    A published table, or a flat catalogue entry without a publication date, has one unnamed
    release: its bare id.
    """
    loader = _loader(dataset_id)
    if loader.kind == "published":
        return [loader.id]
    return [d.release_id for d in catalog.releases(loader.id)]


def _loader(dataset_id: str) -> Loader:
    _register_loaders()
    source = catalog.split_id(dataset_id)[0]
    if source not in _REGISTRY:
        close = difflib.get_close_matches(source, list(_REGISTRY), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise DataError(f"unknown dataset id '{dataset_id}'{hint} (known: {', '.join(ids())})")
    return _REGISTRY[source]


def _cache_path(loader: Loader, sha: str) -> Path:
    return paths.cache_dir() / f"{loader.id}-{sha[:16]}-v{loader.version}.parquet"


def _parse(loader: Loader, path: Path, release: catalog.Dataset) -> pd.DataFrame:
    """Run a parser, giving it the release's year range when it takes one (``year_range=``)."""
    if "year_range" in inspect.signature(loader.func).parameters:
        return loader.func(path, year_range=release.years)
    return loader.func(path)


def parse_upstream(dataset_id: str, path: Path) -> pd.DataFrame:
    """Parse an upstream file with its registered loader, bypassing the cache (used by tests).

    ``dataset_id`` may name a release (``glotip@2023-05-30``); its catalogue entry gives the year
    range the schema checks. The bare id means the newest release.
    """
    return _parse(_loader(dataset_id), path, catalog.get(dataset_id))


def release(dataset_id: str) -> catalog.Dataset:
    """The catalogue release a load of ``dataset_id`` reads (bare id: the newest release)."""
    _loader(dataset_id)
    return catalog.get(dataset_id)


NEWEST = catalog.NEWEST


def edition_id(dataset_id: str, edition: str = NEWEST) -> str:
    """The release id that ``dataset_id`` means in a catalogue ``edition``.

    ``edition`` is ``"newest"`` (each source at its newest release) or a date ``YYYY-MM-DD``: each
    source at its newest release published on or before that date, as the suite would have read
    it then (Our World in Data's dated editions). A source whose releases carry no publication
    date, and every published table, has one release and is returned as is; so is an id that
    already names a release. Raises ``ParameterError`` naming ``edition`` for a malformed date or
    one before the source's first release.
    """
    from critique.core.errors import ParameterError

    loader = _loader(dataset_id)
    edition = catalog.check_edition(edition)
    if edition == NEWEST or loader.kind == "published" or catalog.split_id(dataset_id)[1] is not None:
        return dataset_id
    cutoff = date.fromisoformat(edition)
    dated = [d for d in catalog.releases(loader.id) if d.published]
    if not dated:
        return dataset_id
    for ds in dated:  # newest first
        if date.fromisoformat(ds.published) <= cutoff:
            return ds.release_id
    raise ParameterError(f"edition={edition!r}: '{loader.id}' has no release published on or before it "
                         f"(releases: {', '.join(d.release_id for d in dated)})")


def load(dataset_id: str, *, edition: str = NEWEST, use_cache: bool = True) -> pd.DataFrame:
    """A tidy, typed, validated frame for ``dataset_id``.

    ``dataset_id`` is a source id (``"glotip"``: its newest release) or a release id
    (``"glotip@2023-05-30"``). ``edition`` (a notebook's parameter) picks the release a source id
    means: ``"newest"``, or a date (see :func:`edition_id`). Upstream files are fetched (``critique.datasets.catalog.fetch``) and verified
    first; the schema's year range is the release's (``years`` in the catalogue). The parsed frame
    is cached as parquet keyed by the file's sha256 and the loader's version, so a second load of
    the UNODC workbook takes a fraction of a second instead of several. ``frame.attrs["release"]``
    names the release read.
    """
    import pandas as pd

    loader = _loader(dataset_id)
    dataset_id = edition_id(dataset_id, edition)
    if loader.kind == "published":
        from critique.datasets import published

        frame = loader.func()
        provenance.note_input(dataset_id, published.sha256_of_table(dataset_id))
        return frame
    ds = catalog.get(dataset_id)
    path = catalog.fetch(ds.id)
    cache = _cache_path(loader, ds.sha256)
    frame = None
    if use_cache and cache.exists():
        try:
            frame = pd.read_parquet(cache)
        except Exception:  # a damaged cache is rebuilt, never trusted
            frame = None
    if frame is None:
        frame = _parse(loader, path, ds)
        if use_cache:
            _write_parquet_atomic(frame, cache)
    frame.attrs["release"] = ds.release_id
    provenance.note_input(loader.id, ds.sha256, release=ds.release)
    return frame


def _write_parquet_atomic(frame: pd.DataFrame, target: Path) -> None:
    """The parsed-table cache, written whole with the umask's mode; a read-only or full cache folder
    is skipped (the cache only saves time; the table was parsed and checked either way)."""
    try:
        with atomicio.atomic_file(target) as tmp:
            frame.to_parquet(tmp, index=False)
    except OSError:
        return


def current_sha256(dataset_id: str) -> str:
    """The sha256 a load of ``dataset_id`` would read now (pinned upstream hash or table file hash)."""
    from critique.datasets.fingerprints import current_sha256 as _current

    _loader(dataset_id)  # unknown ids: the usual error with suggestions
    return _current(dataset_id)


def release_read(dataset_id: str) -> str:
    """The release of ``dataset_id`` that this run loaded, else what the id itself means.

    A chart names its sources by id (``datasets=["glotip"]``); when the notebook loaded an older
    release (``edition`` parameter), the caption must cite that release, not the newest. The run's
    recorded inputs (:mod:`critique.datasets.provenance`) say which one; if the run read two releases of the
    source, the bare id is ambiguous and the newest is named (pass release ids to be explicit).
    """
    source, release = catalog.split_id(dataset_id)
    if release is not None or _loader(dataset_id).kind == "published":
        return dataset_id
    read = [i["release"] for i in provenance.inputs()
            if i.get("id") == source and i.get("release")]
    return f"{source}{catalog.RELEASE_SEP}{read[0]}" if len(read) == 1 else dataset_id


def caveats(dataset_id: str) -> list[str]:
    """Plain-language caveats of a dataset (catalogue or published-table metadata), in the reader's
    language where a translation is kept beside the English (:mod:`critique.datasets.translations`)."""
    from critique.datasets.translations import shown

    loader = _loader(dataset_id)
    if loader.kind == "published":
        from critique.datasets import published

        return [shown(c) for c in published.meta(dataset_id).get("caveats", [])]
    return [shown(c) for c in catalog.get(release_read(dataset_id)).caveats]


def source_line(dataset_id: str) -> str:
    """A one-line source for a chart caption, naming the release read (``[glotip@2025-04-14]``)."""
    loader = _loader(dataset_id)
    if loader.kind == "published":
        from critique.datasets import published

        return published.source_line(dataset_id)
    ds = catalog.get(release_read(dataset_id))
    return f"{ds.citation} [{ds.release_id}]" if ds.release else ds.citation


# Loader modules register themselves on import; they are imported when a dataset is first asked for
# (:func:`_loader`, :func:`ids`) or named as an attribute (``datasets.published``), not with this package.
LOADER_MODULES = ("upstream", "ncmec", "published", "gsi_full", "assessments", "ctdc_synthetic", "tip_kh",
                  "nrm", "nrm_responders")


def _register_loaders() -> None:
    """Import every loader module once (each registers its datasets with :func:`register`)."""
    import importlib
    import sys

    for name in LOADER_MODULES:
        if f"{__name__}.{name}" not in sys.modules:
            importlib.import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> object:
    """``datasets.published`` and the other loader modules as attributes, imported on first use."""
    if name in LOADER_MODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
