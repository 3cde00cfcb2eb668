"""Types of the metadata fields, checked where the metadata is read.

YAML turns text into other types without a word: ``- A caveat (Reuters, 2015: 3 of 17)`` is a
*mapping* because of the ``": "``, ``years: 2001-2015`` is a string, ``sha256: 0123...`` may be an
integer. Printed with ``str()`` such a value reaches a chart caption as a Python dict. The
catalogue (``data/catalog.yml``) and each published table's sidecar (``data/published/*.yml``) are
therefore checked field by field against the types below, and a wrong type is refused with one line
naming the file, the entry and the field, and saying what the field must be (quote the text, or
write it as a YAML block with ``>-``).

Only types are checked here; which fields are required, and what values mean, stays with the
modules that read them (:mod:`critique.datasets.catalog`, :mod:`critique.datasets.published`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

from critique.core.errors import DataError


def _text(value: Any) -> bool:
    return isinstance(value, str)


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _year_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_int(v) for v in value) and value[0] <= value[1]


def _mapping(value: Any) -> bool:
    return isinstance(value, dict)


# field -> (check, what it must be). A field not listed here is not type-checked.
CATALOG_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "title": (_text, "a string"),
    "publisher": (_text, "a string"),
    "citation": (_text, "a string"),
    "licence": (_text, "a string"),
    "url": (_text, "a string (the download address)"),
    "page": (_text, "a string (the landing page)"),
    "filename": (_text, "a string"),
    "sha256": (_text, "a string of 64 hex digits (quote it)"),
    "caveats": (_texts, "a list of strings"),
    "years": (_year_pair, "a list [first, last] of two whole years"),
    "bytes": (_int, "a whole number"),
    "notes": (_text, "a string"),
    "release": (_text, "a string"),
    "published": (lambda v: isinstance(v, str) or hasattr(v, "isoformat"), "a date (YYYY-MM-DD)"),
}

SIDECAR_FIELDS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "id": (_text, "a string"),
    "file": (_text, "a string (the CSV beside the sidecar)"),
    "title": (_text, "a string"),
    "description": (_text, "a string"),
    "source": (_text, "a string"),
    "caveats": (_texts, "a list of strings"),
    "unique": (_texts, "a list of column names"),
    "columns": (_mapping, "a mapping of column name to {type: ...}"),
    "lists": (_texts, "a list of list names"),
    "list_labels": (_mapping, "a mapping of list name to label"),
    "observed_total": (_int, "a whole number"),
    "published_estimate": (_mapping, "a mapping"),
    "reader_text": (_texts, "a list of column names"),
    "translations": (_mapping, "a mapping of language code to {title: ..., caveats: [...]}"),
}


def _describe(value: Any) -> str:
    kind = {dict: "a mapping", list: "a list", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)
    text = repr(value)
    return f"{kind} ({text[:80] + '...' if len(text) > 80 else text})"


def _check_fields(path: Path, where: str, entry: Mapping[str, Any],
                  fields: Mapping[str, tuple[Callable[[Any], bool], str]]) -> None:
    for name, (ok, must_be) in fields.items():
        if name not in entry or entry[name] is None:
            continue
        value = entry[name]
        if ok(value):
            continue
        if ok is _texts and isinstance(value, list):  # point at the element that is wrong
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    hint = (" (a ': ' inside unquoted text makes YAML read a mapping: quote the text)"
                            if isinstance(item, dict) else "")
                    raise DataError(f"{path}: {where}field '{name}', item {i + 1}: must be a string, "
                                    f"got {_describe(item)}{hint}")
        raise DataError(f"{path}: {where}field '{name}' must be {must_be}, got {_describe(value)}")


def check_catalog(path: Path, raw: Any) -> None:
    """Check the field types of every dataset entry of a parsed ``data/catalog.yml``.

    ``raw``: the whole parsed file (``{"datasets": {id: {field: value}}}``). Raises
    :class:`critique.core.errors.DataError` naming the file, dataset and field.
    """
    entries = (raw or {}).get("datasets") if isinstance(raw, dict) else None
    if not isinstance(entries, dict):
        return  # the catalogue reader reports a missing 'datasets:' mapping itself
    for ds_id, entry in entries.items():
        if not isinstance(entry, dict):
            raise DataError(f"{path}: dataset '{ds_id}' must be a mapping of fields, got {_describe(entry)}")
        _check_fields(Path(path), f"dataset '{ds_id}': ", entry, CATALOG_FIELDS)
        for key in ("releases", "editions"):  # dated releases side by side (OWID's editions)
            releases = entry.get(key)
            if isinstance(releases, dict):
                for rel, rel_entry in releases.items():
                    if isinstance(rel_entry, dict):
                        _check_fields(Path(path), f"dataset '{ds_id}', {key[:-1]} '{rel}': ", rel_entry,
                                      CATALOG_FIELDS)
            elif isinstance(releases, list):
                for i, rel_entry in enumerate(releases):
                    if isinstance(rel_entry, dict):
                        _check_fields(Path(path), f"dataset '{ds_id}', {key[:-1]} {i + 1}: ", rel_entry,
                                      CATALOG_FIELDS)


def check_sidecar(path: Path, data: Any) -> None:
    """Check the field types of a parsed published-table sidecar; raise DataError naming file and field."""
    if not isinstance(data, dict):
        raise DataError(f"{path}: a sidecar must be a mapping of fields, got {_describe(data)}")
    _check_fields(Path(path), "", data, SIDECAR_FIELDS)
