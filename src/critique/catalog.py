"""The data catalogue: ``data/catalog.yml`` read, fetched, verified.

Raw files are immutable and pinned by checksum (cookiecutter-data-science's rule, PUDL's and OWID's
practice). A file reaches the cache ``data/raw/`` only after its sha256 matched the catalogue; a
download is written to a temporary file beside the cache and renamed into place, so a partial or
corrupt download never lands and a good cached copy is never replaced. Downloads use pooch.
"""
from __future__ import annotations

import difflib
import hashlib
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from critique import metadata, paths

NETWORK_TIMEOUT_S = 15
REQUIRED_FIELDS = ("title", "publisher", "citation", "licence", "url", "page", "filename", "sha256", "caveats")


class CatalogError(Exception):
    """A problem with the catalogue itself, an unknown dataset id, or a fetch."""


class ChecksumError(CatalogError):
    """A file whose sha256 is not the one the catalogue pins."""

    def __init__(self, filename: str, expected: str, actual: str, origin: str):
        self.filename, self.expected, self.actual, self.origin = filename, expected, actual, origin
        super().__init__(
            f"{filename}: sha256 mismatch (from {origin}): expected {expected}, got {actual}; "
            "the file was refused and any good cached copy was left untouched"
        )


@dataclass(frozen=True)
class Dataset:
    """One upstream dataset as the catalogue describes it."""

    id: str
    title: str
    publisher: str
    citation: str
    licence: str
    url: str
    page: str
    filename: str
    sha256: str
    caveats: tuple[str, ...]
    years: tuple[int, int] | None = None
    bytes: int | None = None
    notes: str = ""

    @property
    def cached_path(self) -> Path:
        """Where the verified file lives in the download cache."""
        return paths.raw_dir() / self.filename

    @property
    def source_line(self) -> str:
        """A one-line source for a chart caption."""
        return f"{self.publisher}: {self.title}"


@dataclass
class Status:
    """Cache state of one dataset."""

    dataset: Dataset
    cached: bool
    verified: bool
    actual_sha256: str | None = None
    message: str = field(default="")


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_catalog(path: Path | None = None) -> dict[str, Dataset]:
    """Read and check ``data/catalog.yml``; a missing field is an error naming the dataset and field."""
    path = path or paths.catalog_file()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalogue not found") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML ({exc})") from None
    metadata.check_catalog(path, raw)  # field types (a caveat is a string), naming file and field
    entries = (raw or {}).get("datasets")
    if not isinstance(entries, dict) or not entries:
        raise CatalogError(f"{path}: expected a 'datasets:' mapping of dataset ids")
    out: dict[str, Dataset] = {}
    for ds_id, entry in entries.items():
        missing = [f for f in REQUIRED_FIELDS if not (entry or {}).get(f)]
        if missing:
            raise CatalogError(f"{path}: dataset '{ds_id}' lacks field(s): {', '.join(missing)}")
        sha = str(entry["sha256"]).lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise CatalogError(f"{path}: dataset '{ds_id}': sha256 '{entry['sha256']}' is not 64 hex digits")
        years = tuple(entry["years"]) if entry.get("years") else None
        out[ds_id] = Dataset(
            id=ds_id,
            title=str(entry["title"]).strip(),
            publisher=str(entry["publisher"]).strip(),
            citation=" ".join(str(entry["citation"]).split()),
            licence=str(entry["licence"]).strip(),
            url=str(entry["url"]).strip(),
            page=str(entry["page"]).strip(),
            filename=str(entry["filename"]).strip(),
            sha256=sha,
            caveats=tuple(" ".join(str(c).split()) for c in entry["caveats"]),
            years=years,  # type: ignore[arg-type]
            bytes=entry.get("bytes"),
            notes=" ".join(str(entry.get("notes", "")).split()),
        )
    return out


def get(dataset_id: str) -> Dataset:
    """One dataset by id; an unknown id is an error that suggests the closest ids."""
    catalog = load_catalog()
    if dataset_id not in catalog:
        close = difflib.get_close_matches(dataset_id, list(catalog), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CatalogError(f"unknown dataset id '{dataset_id}'{hint} (known: {', '.join(catalog)})")
    return catalog[dataset_id]


def status(dataset_id: str) -> Status:
    """Whether the dataset is in the cache and its checksum matches the catalogue."""
    ds = get(dataset_id)
    path = ds.cached_path
    if not path.exists():
        return Status(ds, cached=False, verified=False, message="not cached")
    actual = sha256_of(path)
    ok = actual == ds.sha256
    return Status(ds, cached=True, verified=ok, actual_sha256=actual,
                  message="verified" if ok else f"sha256 mismatch: expected {ds.sha256}, got {actual}")


def _origin_for(ds: Dataset) -> tuple[str, bool]:
    """The address to fetch from and whether it is a local folder."""
    mirror = paths.mirror()
    if mirror is None:
        return ds.url, False
    if "://" in mirror and not mirror.startswith("file://"):
        return mirror.rstrip("/") + "/" + ds.filename, False
    folder = Path(mirror.removeprefix("file://")).expanduser()
    if not folder.is_dir():
        raise CatalogError(f"CRITIQUE_DATA_MIRROR={mirror}: not a folder or a URL")
    return str(folder / ds.filename), True


def fetch(dataset_id: str) -> Path:
    """Make sure the verified file is in the cache and return its path.

    Reads from ``CRITIQUE_DATA_MIRROR`` when set (a folder, or a base URL to which the file name is
    appended), else from the catalogue's pinned URL. The file is written to a temporary name in the
    cache folder, checked against the pinned sha256 and only then renamed into place.
    """
    ds = get(dataset_id)
    target = ds.cached_path
    if target.exists() and sha256_of(target) == ds.sha256:
        return target
    origin, is_folder = _origin_for(ds)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{ds.filename}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if is_folder:
            src = Path(origin)
            if not src.exists():
                raise CatalogError(
                    f"{ds.filename}: not in the mirror folder CRITIQUE_DATA_MIRROR={paths.mirror()}"
                )
            shutil.copyfile(src, tmp)
        else:
            _download(origin, tmp, ds)
        actual = sha256_of(tmp)
        if actual != ds.sha256:
            raise ChecksumError(ds.filename, ds.sha256, actual, origin)
        os.chmod(tmp, 0o444)  # raw downloads are never edited
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _download(url: str, dest: Path, ds: Dataset) -> None:
    """Download with pooch's HTTP downloader; a network failure names CRITIQUE_DATA_MIRROR."""
    import pooch

    logging.getLogger("pooch").setLevel(logging.WARNING)
    downloader = pooch.HTTPDownloader(timeout=NETWORK_TIMEOUT_S, progressbar=False)
    try:
        downloader(url, str(dest), None)
    except Exception as exc:  # requests' ConnectionError, Timeout, HTTPError...
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if str(exc) else type(exc).__name__
        raise CatalogError(
            f"{ds.filename}: download from {url} failed ({reason}). With no network, set "
            "CRITIQUE_DATA_MIRROR to a folder holding the upstream files (for example "
            "../shared/data/mirror, or one written by `critique data pack`)"
        ) from None


def fetch_all(ids: Iterable[str] | None = None) -> dict[str, Path]:
    """Fetch several datasets (all when ``ids`` is None)."""
    ids = list(ids) if ids else list(load_catalog())
    return {i: fetch(i) for i in ids}


def caveats_for(ids: Iterable[str]) -> list[str]:
    """The catalogue caveats of the given datasets, in order, without repeats.

    Ids that are not upstream datasets (published tables) contribute their own caveats through
    ``critique.datasets.caveats``; unknown ids here are ignored so a caller can pass both kinds.
    """
    catalog = load_catalog()
    out: list[str] = []
    for ds_id in ids:
        for caveat in catalog[ds_id].caveats if ds_id in catalog else ():
            if caveat not in out:
                out.append(caveat)
    return out
