"""The current sha256 of any dataset id, cheaply (no pandas, no parsing).

Used to decide whether a report is stale: an upstream dataset's fingerprint is the sha256 the
catalogue pins (a cached file is only ever the verified one); a published table's is the sha256 of
its CSV bytes, found through the ``id`` in its sidecar.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

from critique.datasets import catalog
from critique.datasets import translations
from critique.datasets import paths
from critique.datasets.parsecache import SAFE_LOADER


@lru_cache(maxsize=None)
def _published_files(folder: str) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for sidecar in sorted(Path(folder).glob("*.yml")):
        try:
            meta = yaml.load(sidecar.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}  # noqa: S506 (safe)
        except yaml.YAMLError:
            continue
        if isinstance(meta, dict) and meta.get("id") and meta.get("file"):
            out[str(meta["id"])] = sidecar.parent / str(meta["file"])
    return out


def current_sha256(dataset_id: str) -> str:
    """The sha256 a load of ``dataset_id`` would read now; an unknown id raises KeyError."""
    cat = catalog.load_catalog()
    if dataset_id in cat or catalog.split_id(dataset_id)[0] in cat:
        try:
            return catalog.get(dataset_id).sha256
        except catalog.CatalogError as exc:
            raise KeyError(str(exc)) from None
    files = _published_files(str(paths.published_dir()))
    if dataset_id not in files:
        raise KeyError(f"unknown dataset id '{dataset_id}'")
    return hashlib.sha256(files[dataset_id].read_bytes()).hexdigest()


def title(dataset_id: str) -> str:
    """A dataset's title (catalogue or sidecar), for report indexes."""
    cat = catalog.load_catalog()
    if dataset_id in cat or catalog.split_id(dataset_id)[0] in cat:
        return catalog.get(dataset_id).title
    files = _published_files(str(paths.published_dir()))
    sidecar = files[dataset_id].with_suffix(".yml")
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    if isinstance(meta, dict):
        translations.register(sidecar, "", meta)  # so that the index can show it in the reader's language
    return str((meta or {}).get("title") or dataset_id)
