"""The data catalogue: ``data/catalog.yml`` read, fetched, verified.

Raw files are immutable and pinned by checksum (cookiecutter-data-science's rule, PUDL's and OWID's
practice). A file reaches the cache ``data/raw/`` only after its sha256 matched the catalogue; a
download is written to a temporary file beside the cache and renamed into place, so a partial or
corrupt download never lands and a good cached copy is never replaced. Downloads use requests
(the HTTP client pooch uses) with a per-read timeout and an overall deadline.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

import yaml

from critique.core import atomicio
from critique.datasets import metadata, paths, translations
from critique.datasets.parsecache import SAFE_LOADER, parsed_once
from critique.datasets.download import DOWNLOAD_DEADLINE_S, NETWORK_TIMEOUT_S, download  # noqa: F401

REQUIRED_FIELDS = ("title", "publisher", "citation", "licence", "url", "page", "filename", "sha256", "caveats")
# Fields that belong to one release (its own file) rather than to the source as a whole.
RELEASE_FIELDS = ("title", "citation", "url", "filename", "sha256", "bytes", "published", "years", "notes",
                  "caveats")
RELEASE_SEP = "@"


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
    """One release of an upstream dataset as the catalogue describes it.

    ``id`` is what names this release: ``source@release`` (``glotip@2025-04-14``) for a source
    catalogued with ``releases:``, the bare source id for a flat (single-release) entry.
    """

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
    source: str = ""
    release: str | None = None
    published: str | None = None
    latest: bool = True

    @property
    def cached_path(self) -> Path:
        """Where the verified file lives in the download cache."""
        return paths.raw_dir() / self.filename

    @property
    def source_line(self) -> str:
        """A one-line source for a chart caption."""
        return f"{self.publisher}: {self.title}"

    @property
    def release_id(self) -> str:
        """``source@release`` when the release is named, else the source id."""
        return f"{self.source or self.id}{RELEASE_SEP}{self.release}" if self.release else (self.source or self.id)


class Catalog(dict):
    """Every catalogued release by its id; a bare source id also finds its newest release.

    Iterating gives each release once (what ``critique data fetch`` and ``verify`` walk); looking
    up ``"glotip"`` gives the newest release of ``glotip``, as :func:`get` does.
    """

    def __missing__(self, key: str) -> Dataset:
        newest = self.releases(key)
        if not newest:
            raise KeyError(key)
        return newest[0]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or (isinstance(key, str) and bool(self.releases(key)))

    def releases(self, source: str) -> list[Dataset]:
        """Every release of ``source``, newest first (by publication date)."""
        found = [ds for ds in self.values() if (ds.source or ds.id) == source]
        return sorted(found, key=lambda d: d.published or "", reverse=True)

    def sources(self) -> list[str]:
        """Source ids in catalogue order."""
        return list(dict.fromkeys(ds.source or ds.id for ds in self.values()))


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


@parsed_once  # an unchanged file is parsed once (a report build asks about a hundred times)
def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check ``data/catalog.yml``: every release, keyed by its id (see :class:`Catalog`).

    A missing field is an error naming the dataset (and release) and the field.
    """
    path = path or paths.catalog_file()
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 (safe loader)
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalogue not found") from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML ({exc})") from None
    metadata.check_catalog(path, raw)  # field types (a caveat is a string), naming file and field
    entries = (raw or {}).get("datasets")
    if not isinstance(entries, dict) or not entries:
        raise CatalogError(f"{path}: expected a 'datasets:' mapping of dataset ids")
    out = Catalog()
    for ds_id, entry in entries.items():
        for ds in read_entry(str(ds_id), entry, path):
            out[ds.id] = ds
    return out


def read_entry(ds_id: str, entry: object, path: Path) -> list[Dataset]:
    """The releases of one catalogue entry, checked; the one place an entry's fields are read.

    Two forms: a *flat* entry (every field at the top: one release, named by its ``published``
    date when given) and a *releases* entry (fields shared by every release at the top, and under
    ``releases:`` one mapping per release, keyed by its name, usually the publication date, with
    its own ``filename``, ``sha256``, ``bytes``, ``published``, ``years`` and optionally
    ``title``, ``citation``, ``url``, ``notes`` and extra ``caveats``).
    """
    if not isinstance(entry, dict):
        raise CatalogError(f"{path}: dataset '{ds_id}' must be a mapping of fields")
    if RELEASE_SEP in ds_id:
        raise CatalogError(f"{path}: dataset id '{ds_id}' may not contain '{RELEASE_SEP}' (it separates a release)")
    releases = entry.get("releases")
    if releases is None:
        specs = [(None, entry)]
    elif not isinstance(releases, dict) or not releases:
        raise CatalogError(f"{path}: dataset '{ds_id}': 'releases' must map release names to their fields")
    else:
        shared = {k: v for k, v in entry.items() if k != "releases"}
        specs = []
        for name, rel in releases.items():
            if not isinstance(rel, dict):
                raise CatalogError(f"{path}: dataset '{ds_id}' release '{name}' must be a mapping of fields")
            merged = {**shared, **rel}
            translations.register(path, f"dataset '{ds_id}' release '{name}': ", rel)
            merged["caveats"] = list(shared.get("caveats") or []) + list(rel.get("caveats") or [])
            specs.append((str(name), merged))
    translations.register(path, f"dataset '{ds_id}': ", entry)  # title/caveats in other languages
    out: list[Dataset] = []
    for name, fields in specs:
        where = f"dataset '{ds_id}'" + (f" release '{name}'" if name else "")
        missing = [f for f in REQUIRED_FIELDS if not fields.get(f)]
        if missing:
            raise CatalogError(f"{path}: {where} lacks field(s): {', '.join(missing)}")
        sha = str(fields["sha256"]).lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise CatalogError(f"{path}: {where}: sha256 '{fields['sha256']}' is not 64 hex digits")
        years = tuple(int(y) for y in fields["years"]) if fields.get("years") else None
        if years is not None and (len(years) != 2 or years[0] > years[1]):
            raise CatalogError(f"{path}: {where}: years {fields['years']} must be [first, last]")
        published = str(fields["published"]) if fields.get("published") else None
        if name is not None and not published:
            raise CatalogError(f"{path}: {where} lacks field(s): published")
        release = name if name is not None else published
        out.append(Dataset(
            id=f"{ds_id}{RELEASE_SEP}{name}" if name is not None else ds_id,
            title=str(fields["title"]).strip(),
            publisher=str(fields["publisher"]).strip(),
            citation=" ".join(str(fields["citation"]).split()),
            licence=str(fields["licence"]).strip(),
            url=str(fields["url"]).strip(),
            page=str(fields["page"]).strip(),
            filename=str(fields["filename"]).strip(),
            sha256=sha,
            caveats=tuple(" ".join(str(c).split()) for c in fields["caveats"]),
            years=years,  # type: ignore[arg-type]
            bytes=fields.get("bytes"),
            notes=" ".join(str(fields.get("notes", "")).split()),
            source=ds_id,
            release=release,
            published=published,
        ))
    newest = max(out, key=lambda d: d.published or "")
    return [d if d is newest else replace(d, latest=False) for d in out]


NEWEST = "newest"


def check_edition(edition: object) -> str:
    """``edition`` as given when it is ``"newest"`` or a date ``YYYY-MM-DD``; else ``ParameterError``.

    An edition names the catalogue as it stood on a date: each source at its newest release
    published on or before it (``critique.datasets.edition_id``).
    """
    from datetime import date

    from critique.core.errors import ParameterError

    text = str(edition)
    if text == NEWEST:
        return text
    try:
        date.fromisoformat(text)
    except ValueError as exc:
        why = f" ({exc})" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else ""  # 2023-02-30: no such day
        raise ParameterError(f"edition={edition!r}: expected 'newest' or a date YYYY-MM-DD such as "
                             f"2023-05-30{why}") from None
    if len(text) != 10:
        raise ParameterError(f"edition={edition!r}: expected a date written YYYY-MM-DD such as 2023-05-30")
    return text


def earliest_edition(catalog: "Catalog | None" = None,
                     sources: "set[str] | None" = None) -> tuple[str | None, list[Dataset]]:
    """The first date on which every dated source (of ``sources``, default all) had a release, and
    those sources' first releases.

    A source "has a release on a date" when one of its releases was published on or before it
    (``critique.datasets.edition_id``); before its first release it has none and a notebook that
    reads it would fail in the cell that loads it. Returns ``(None, [])`` when no release is dated.
    """
    catalog = catalog or load_catalog()
    firsts = []
    for source in catalog.sources():
        if sources is not None and source not in sources:
            continue
        dated = [d for d in catalog.releases(source) if d.published]
        if dated:
            firsts.append(min(dated, key=lambda d: d.published or ""))
    if not firsts:
        return None, []
    return max(d.published or "" for d in firsts), firsts


def check_edition_upfront(edition: object, sources: "set[str] | None" = None) -> str:
    """:func:`check_edition`, and refuse a date before the first release of a dated source that
    the notebook reads (``sources``: the catalogue ids its code names; default every source).

    Run by the parameter check before any cell: an ``edition`` earlier than every release of a
    source (``2020-01-01``, before UNODC's first catalogued release) would otherwise pass and fail
    in the cell that loads the source, minutes later. Raises ``ParameterError`` naming the
    edition, the sources without a release on that date and the earliest edition that works.
    """
    from datetime import date

    from critique.core.errors import ParameterError

    text = check_edition(edition)
    if text == NEWEST:
        return text
    earliest, firsts = earliest_edition(sources=sources)
    missing = [d for d in firsts if date.fromisoformat(d.published or "") > date.fromisoformat(text)]
    if missing:
        names = ", ".join(f"{d.source or d.id} (first release {d.published})" for d in missing)
        raise ParameterError(f"edition={text!r}: no release on or before it of {names}; the earliest "
                             f"edition is {earliest} (or 'newest')")
    return text


def split_id(dataset_id: str) -> tuple[str, str | None]:
    """``"glotip@2023-05-30"`` -> ``("glotip", "2023-05-30")``; ``"glotip"`` -> ``("glotip", None)``."""
    source, sep, release = dataset_id.partition(RELEASE_SEP)
    return source, (release if sep else None)


def get(dataset_id: str) -> Dataset:
    """One release by id: ``source@release``, or a bare source id for its newest release.

    An unknown source or release is an error that names the known ones and the closest match.
    """
    catalog = load_catalog()
    if dict.__contains__(catalog, dataset_id):
        return dict.__getitem__(catalog, dataset_id)
    source, release = split_id(dataset_id)
    known = catalog.releases(source)
    if not known:
        sources = catalog.sources()
        close = difflib.get_close_matches(source, sources, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise CatalogError(f"unknown dataset id '{dataset_id}'{hint} (known: {', '.join(sources)})")
    if release is None:
        return known[0]
    for ds in known:
        if ds.release == release:
            return ds
    names = [d.release_id for d in known if d.release]
    raise CatalogError(f"dataset '{source}' has no release '{release}' (releases: "
                       f"{', '.join(names) or 'one, unnamed'}; the bare id '{source}' is the newest)")


def releases(source: str) -> list[Dataset]:
    """Every release of a source, newest first; an unknown source is an error like :func:`get`'s."""
    get(source)
    return load_catalog().releases(split_id(source)[0])


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
    # written whole, checked, then renamed into place read-only (raw downloads are never edited);
    # its mode follows the umask (0444 under 022) so another account can read the cache
    with atomicio.atomic_file(target, read_only=True) as tmp:
        if is_folder:
            src = Path(origin)
            if not src.is_file():
                raise CatalogError(
                    f"{ds.filename}: not in the mirror folder CRITIQUE_DATA_MIRROR={paths.mirror()}"
                )
            shutil.copyfile(src, tmp)
        else:
            download(origin, tmp, ds.filename, CatalogError)
        actual = sha256_of(tmp)
        if actual != ds.sha256:
            raise ChecksumError(ds.filename, ds.sha256, actual, origin)
    return target


def download_deadline() -> float:
    """Seconds a whole download may take (``CRITIQUE_DOWNLOAD_DEADLINE``); ``CatalogError`` when unusable."""
    from critique.datasets.download import download_deadline as _deadline

    return _deadline(CatalogError)


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
        try:
            found = get(ds_id).caveats
        except CatalogError:
            found = ()
        out += [c for c in map(translations.shown, found) if c not in out]
    return out
