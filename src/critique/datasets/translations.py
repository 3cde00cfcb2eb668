"""Translations of the metadata's reader text, kept beside the English in the same YAML file.

A catalogue entry (``data/catalog.yml``) or a published table's sidecar (``data/published/*.yml``)
may carry, next to its English ``title`` and ``caveats``, a ``translations`` mapping::

    caveats:
      - Counts are victims detected ..., not the number of victims.
    translations:
      fr:
        title: ...                     # optional
        caveats:                       # optional; when given, one item per English caveat, same order
          - Les chiffres sont des victimes détectées ..., pas le nombre de victimes.

The English stays the field every part of the suite reads and compares; a reader-facing place asks
:func:`shown` for the text in the active language (:func:`critique.core.i18n.current`), which falls
back to the English when no translation is kept. Translations are registered as the metadata is
read (:func:`register`), so the lookup needs no file access. A malformed block (an unknown language,
a caveat list of another length than the English) is refused with one line naming the file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from critique.core import i18n
from critique.core.errors import DataError

_BESIDE: dict[str, dict[str, str]] = {}  # English text (whitespace folded) -> {lang: translation}
FIELDS = ("title", "caveats")


def _fold(text: Any) -> str:
    return " ".join(str(text).split())


def register(path: Path | str, where: str, entry: Mapping[str, Any]) -> None:
    """Check ``entry['translations']`` (if any) against the entry's English ``title`` and ``caveats``
    and remember each translation. ``where`` names the entry in an error (``dataset 'glotip': ``).
    Raises :class:`DataError` naming the file, entry, language and field."""
    block = entry.get("translations")
    if block is None:
        return
    if not isinstance(block, dict):
        raise DataError(f"{path}: {where}field 'translations' must map a language code to "
                        f"{{title: ..., caveats: [...]}}")
    for lang, fields in block.items():
        if str(lang) not in i18n.LANGUAGES or str(lang) == i18n.DEFAULT:
            raise DataError(f"{path}: {where}translations: unknown language {lang!r}; "
                            f"use one of {', '.join(c for c in i18n.LANGUAGES if c != i18n.DEFAULT)}")
        if not isinstance(fields, dict) or set(fields) - set(FIELDS):
            raise DataError(f"{path}: {where}translations.{lang}: only {' and '.join(FIELDS)} may be translated")
        if "title" in fields:
            if not isinstance(fields["title"], str) or not fields["title"].strip():
                raise DataError(f"{path}: {where}translations.{lang}.title must be a non-empty string")
            _BESIDE.setdefault(_fold(entry.get("title", "")), {})[str(lang)] = _fold(fields["title"])
        if "caveats" in fields:
            english: Sequence[Any] = entry.get("caveats") or []
            got = fields["caveats"]
            if not isinstance(got, list) or not all(isinstance(c, str) and c.strip() for c in got) \
                    or len(got) != len(english):
                raise DataError(f"{path}: {where}translations.{lang}.caveats must be a list of "
                                f"{len(english)} strings, one per English caveat in the same order")
            for en, tr in zip(english, got):
                _BESIDE.setdefault(_fold(en), {})[str(lang)] = _fold(tr)


def shown(text: str, lang: str | None = None) -> str:
    """``text`` (an English title or caveat of the metadata) in ``lang`` (default: the active
    language) when a translation is kept beside it, else ``text`` unchanged."""
    lang = lang or i18n.current()
    if lang == i18n.DEFAULT:
        return text
    return _BESIDE.get(_fold(text), {}).get(lang, text)
