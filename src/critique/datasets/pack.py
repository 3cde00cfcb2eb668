"""``critique data pack DIR``: a folder of every catalogued upstream file that works as a mirror.

For workshops with poor or no internet: on a machine that has the data, ``critique data pack
/media/usb/critique-data`` writes every file listed in ``data/catalog.yml`` (each fetched and
verified against its pinned sha256 first) under its catalogue file name, plus ``MANIFEST.csv``
(id, filename, sha256, bytes, title, citation, licence, url). On the offline machine,
``CRITIQUE_DATA_MIRROR=/media/usb/critique-data critique data fetch`` fills the cache from the
folder; ``critique.datasets.catalog.fetch`` re-checks every checksum on the way in, so a damaged copy is
refused there too. Published tables (``data/published/``) are part of the repository and need no
packing.
"""
from __future__ import annotations

import argparse
import csv
import sys
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from critique.core import atomicio
from critique.datasets import catalog, paths

MANIFEST = "MANIFEST.csv"
MANIFEST_COLUMNS = ("id", "filename", "sha256", "bytes", "title", "citation", "licence", "url")


@dataclass(frozen=True)
class PackedFile:
    """One file written into a pack."""

    id: str
    path: Path
    sha256: str
    bytes: int
    copied: bool  # False when an identical file was already in the folder


def pack(target: Path | str, ids: Iterable[str] | None = None) -> list[PackedFile]:
    """Write every catalogued upstream file (or ``ids``) and ``MANIFEST.csv`` into ``target``.

    Each file is fetched into the cache (from ``CRITIQUE_DATA_MIRROR`` or its URL) and verified
    by :func:`critique.datasets.catalog.fetch`, then copied to a temporary name in ``target``, checked again
    and renamed into place; a file already there with the right checksum is kept. Refuses to pack
    into the mirror it reads from (the copy would be a no-op that hides a missing file).
    """
    target = Path(target).expanduser().resolve()
    mirror = paths.mirror()
    if mirror and "://" not in mirror.removeprefix("file://") and \
            Path(mirror.removeprefix("file://")).expanduser().resolve() == target:
        raise catalog.CatalogError(f"{target}: is CRITIQUE_DATA_MIRROR itself; pack into another folder")
    if target.exists() and not target.is_dir():
        raise catalog.CatalogError(f"{target}: exists and is not a folder")
    atomicio.make_dir(target)
    if not os.access(target, os.W_OK | os.X_OK):
        raise catalog.CatalogError(f"{target}: the pack folder is not writable (read-only, or another account's)")
    cat = catalog.load_catalog()
    wanted = list(ids) if ids else list(cat)
    out: list[PackedFile] = []
    for ds_id in wanted:
        ds = catalog.get(ds_id)  # unknown id -> CatalogError with the closest ids
        source = catalog.fetch(ds_id)
        dest = target / ds.filename
        copied = False
        if not (dest.exists() and catalog.sha256_of(dest) == ds.sha256):
            with atomicio.atomic_file(dest) as tmp:  # readable by others under umask 022 (0644)
                shutil.copyfile(source, tmp)
                actual = catalog.sha256_of(tmp)
                if actual != ds.sha256:
                    raise catalog.ChecksumError(ds.filename, ds.sha256, actual, str(source))
            copied = True
        elif stat.S_IMODE(dest.stat().st_mode) != atomicio.file_mode():
            os.chmod(dest, atomicio.file_mode())  # a pack written before modes followed the umask
        out.append(PackedFile(ds_id, dest, ds.sha256, dest.stat().st_size, copied))
    # the manifest lists every catalogued file in the folder, so packing a subset adds to a pack
    present = [ds for ds in cat.values() if ds.id in {p.id for p in out}
               or ((target / ds.filename).exists() and catalog.sha256_of(target / ds.filename) == ds.sha256)]
    write_manifest(target, present)
    return out


def write_manifest(target: Path, datasets: Iterable[catalog.Dataset]) -> Path:
    """``MANIFEST.csv`` in ``target``: one row per packed file (written atomically)."""
    path = Path(target) / MANIFEST
    with atomicio.atomic_file(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for ds in datasets:
            size = (Path(target) / ds.filename).stat().st_size
            writer.writerow([ds.id, ds.filename, ds.sha256, size, ds.title, ds.citation, ds.licence, ds.url])
    return path


def read_manifest(folder: Path | str) -> list[dict[str, str]]:
    """The rows of a pack's ``MANIFEST.csv``."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise catalog.CatalogError(f"{path}: no manifest (is this a folder written by `critique data pack`?)")
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# Licence wording that reserves redistribution to the publisher (catalogue field ``licence``).
RESERVED = ("all rights reserved", "no redistribution", "not be redistributed", "may not be shared")


def redistribution_warnings(ids: Iterable[str] | None = None) -> list[str]:
    """One line per catalogued file (or ``ids``) whose licence does not allow passing it on.

    The rule reads the catalogue's ``licence`` text: wording in :data:`RESERVED` means the file may be
    used (say, downloaded for research) but a pack holding it should stay with whoever packed it.
    """
    cat = catalog.load_catalog()
    out = []
    for ds_id in (list(ids) if ids else list(cat)):
        licence = cat[ds_id].licence if ds_id in cat else ""
        if any(word in licence.lower() for word in RESERVED):
            out.append(f"warning: {ds_id} ({cat[ds_id].filename}): licence '{licence}' does not allow "
                       "redistribution; keep this pack for your own use, do not share it")
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``critique data pack``."""
    parser.add_argument("dir", help="folder to write (usable as CRITIQUE_DATA_MIRROR elsewhere)")
    parser.add_argument("ids", nargs="*", help="dataset ids (default: every catalogued dataset)")


def command(args: argparse.Namespace) -> int:
    """Handler of ``critique data pack DIR [IDS...]``."""
    files = pack(Path(args.dir), args.ids or None)
    for f in files:
        print(f"{f.id}: {'packed' if f.copied else 'already there'} {f.path.name} "
              f"({f.bytes:,} bytes, sha256 {f.sha256[:12]}...)")
    print(f"{len(files)} files and {MANIFEST} (with each file's licence) in {Path(args.dir).resolve()}; "
          f"on another machine: CRITIQUE_DATA_MIRROR={Path(args.dir).resolve()} critique data fetch")
    for line in redistribution_warnings([f.id for f in files]):
        print(line, file=sys.stderr)
    return 0
