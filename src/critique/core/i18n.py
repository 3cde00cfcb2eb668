"""One message catalogue for every reader-facing string: the active language and its translations.

Why gettext through Babel: gettext ``.po`` files are the format every translation tool and
platform reads (Weblate, Transifex, Poedit, Pontoon), so a volunteer translator can correct a
draft without touching Python; plural forms travel in the catalogue's own ``Plural-Forms`` header;
and Babel (the Pallets project's internationalisation library, also used by Sphinx and Flask)
reads and writes ``.po`` files, extracts marked strings from the source
(``tests/test_i18n_catalogue.py``) and carries the Unicode CLDR data that
:mod:`critique.core.locale_format` formats numbers and dates with. ICU MessageFormat (via PyICU)
would need a C library that does not install from PyPI everywhere; Fluent has fewer tools.

Catalogues: ``src/critique/publish/locale/<lang>/LC_MESSAGES/critique.po`` (the sources, committed).
No compiled ``.mo`` file is committed or written: a ``.po`` file is read with Babel and compiled in
memory (:func:`translations`), once per process.

Marking strings: ``_("Source: {source}", source=...)`` translates and fills named placeholders
(``str.format`` names: a translator may move them, never drop or rename them, which the catalogue
test checks); :func:`N_` marks a constant for extraction without translating it where it is defined
(the verdict words of :mod:`critique.methods.claims.rules` stay English in the methods layer and
are translated where a reader sees them); :func:`ngettext` picks the plural form by the language's
own rules. A string with no translation falls back to English and is counted per language
(:func:`missing`), so a build can print how much of a page was left in English.

The active language: :func:`set_language` / :func:`using` in a process, else the
``CRITIQUE_LANG`` environment variable (how a build passes it to the notebooks' kernels), else
English.
"""
from __future__ import annotations

import contextlib
import functools
import gettext
import io
import numbers
import os
import re
import string
from collections import Counter
from pathlib import Path
from typing import Any, Iterator, Mapping

#: the supported languages: code -> the language's own name
LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "ru": "Русский", "zh": "中文"}
DEFAULT = "en"
ENV = "CRITIQUE_LANG"
DOMAIN = "critique"
# The catalogues live with the publishing layer that owns most reader text; this module only reads
# them (a data path, not an import), so every layer can mark its strings.
LOCALE_DIR = Path(__file__).resolve().parents[1] / "publish" / "locale"

_active: str | None = None
_missing: dict[str, Counter] = {}


class LanguageError(ValueError):
    """An unknown language code."""


def check_language(code: Any, where: str = "lang") -> str:
    """``code`` if it is a supported language (case and spacing ignored), else one clear line.

    Raises :class:`LanguageError` naming ``where``, the value and the allowed codes.
    """
    text = str(code).strip().lower() if code is not None else ""
    if text not in LANGUAGES:
        allowed = ", ".join(f"{c} ({n})" for c, n in LANGUAGES.items())
        raise LanguageError(f"{where}: unknown language {code!r}; choose one of {allowed}")
    return text


def current() -> str:
    """The active language code."""
    if _active is not None:
        return _active
    env = os.environ.get(ENV, "").strip()
    return check_language(env, ENV) if env else DEFAULT


def set_language(code: str | None) -> str:
    """Make ``code`` the active language in this process (None: back to the environment/default)."""
    global _active
    _active = None if code is None else check_language(code)
    return current()


@contextlib.contextmanager
def using(code: str | None) -> Iterator[str]:
    """The active language is ``code`` inside the block (and in the environment, so kernels a
    build starts inside it inherit it); restored after."""
    global _active
    before, env_before = _active, os.environ.get(ENV)
    lang = set_language(code if code is not None else DEFAULT)
    os.environ[ENV] = lang
    try:
        yield lang
    finally:
        _active = before
        if env_before is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = env_before


def po_path(lang: str) -> Path:
    """The ``.po`` source of a language's catalogue."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.lru_cache(maxsize=None)
def read_catalog(lang: str) -> Any:
    """The Babel ``Catalog`` read from the language's ``.po`` file (None for English or no file)."""
    from babel.messages.pofile import read_po

    path = po_path(lang)
    if lang == DEFAULT or not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


@functools.lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The language's catalogue compiled in memory (Babel's ``write_mo``) as a gettext object."""
    from babel.messages.mofile import write_mo

    cat = read_catalog(lang)
    if cat is None:
        return gettext.NullTranslations()
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)  # fuzzy entries are guesses: not shown to readers
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def _lookup(lang: str, msgid: str) -> str:
    if lang == DEFAULT:
        return msgid
    cat = translations(lang)
    got = cat.gettext(msgid)
    if got == msgid and msgid not in getattr(cat, "_catalog", {}):  # "Sources" may be French too
        _missing.setdefault(lang, Counter())[msgid] += 1
    return got


#: Babel locale identifiers of the supported languages (Chinese: Simplified, as the network uses)
BABEL_LOCALES = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "zh": "zh_Hans"}


def babel_locale(lang: str | None = None) -> str:
    """The Babel locale of a language code (default: the active language)."""
    return BABEL_LOCALES[check_language(lang or current())]


def cldr_number(value: Any, decimals: int, lang: str | None, kind: str = "decimal", sign: bool = False) -> str:
    """``value`` written with the language's CLDR ``decimal`` or ``percent`` pattern (its grouping,
    decimal mark, and the place and spacing of the percent sign), with exactly ``decimals`` decimals;
    ``sign`` puts the locale's plus sign before a positive number. (The one place numbers meet CLDR;
    :mod:`critique.core.locale_format` is the reader-facing interface.)"""
    import copy

    from babel import Locale

    loc = Locale.parse(babel_locale(lang))
    pattern = copy.copy((loc.decimal_formats if kind == "decimal" else loc.percent_formats)[None])
    pattern.frac_prec = (max(decimals, 0), max(decimals, 0))
    text = pattern.apply(float(value), loc)
    if sign and round(float(value), max(decimals, 0)) > 0:
        from babel.numbers import get_plus_sign_symbol

        text = get_plus_sign_symbol(locale=loc) + text
    return text


# A format spec the locale formatter writes the language's way: optional sign, grouping comma,
# decimals, and f / d / % (``{n:,}``, ``{x:,.0f}``, ``{share:.1%}``, ``{change:+.1%}``).
_NUMBER_SPEC = re.compile(r"(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<dec>\d+))?(?P<kind>[fd%])?")


class LocaleFormatter(string.Formatter):
    """``str.format`` with numbers written the way ``lang`` writes them (CLDR, :func:`cldr_number`): ``{n:,}`` is ``12 214`` in French and ``12.214`` in Spanish,
    ``{share:.1%}`` is ``38,0 %`` in French. English and every spec the pattern does not describe
    (widths, alignment, ``e``/``g``) keep Python's own formatting, so English output is unchanged."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if self.lang == DEFAULT or not format_spec or isinstance(value, bool) \
                or not isinstance(value, numbers.Real):
            return super().format_field(value, format_spec)
        match = _NUMBER_SPEC.fullmatch(format_spec)
        if not match or not (match["comma"] or match["dec"] or match["kind"]):
            return super().format_field(value, format_spec)
        kind, dec = match["kind"], match["dec"]
        if kind == "%":
            text = cldr_number(value, int(dec) if dec else 6, self.lang, kind="percent")
            return ("+" if match["sign"] and float(value) > 0 else "") + text
        if kind is None and not dec and not float(value).is_integer():
            return super().format_field(value, format_spec)  # ``{x:,}`` of a fraction: Python's repr
        decimals = int(dec) if dec else (6 if kind == "f" else 0)
        if not match["comma"] and abs(float(value)) >= 1000 and kind == "d":
            return super().format_field(value, format_spec)  # a plain ``{year:d}`` is never grouped
        return cldr_number(value, decimals, self.lang, sign=bool(match["sign"]))


def format_locale(template: str, values: Mapping[str, Any], lang: str | None = None) -> str:
    """``template.format_map(values)`` with numbers in ``lang``'s way (default: the active language).
    Raises what ``str.format_map`` raises (``KeyError``, ``IndexError``, ``ValueError``)."""
    return LocaleFormatter(lang or current()).vformat(template, (), values)


def _fill(template: str, fallback: str, values: dict[str, Any], lang: str | None = None) -> str:
    if not values:
        return template
    try:
        return format_locale(template, values, lang)
    except (KeyError, IndexError, ValueError):  # a broken translation never breaks a page: English
        return format_locale(fallback, values, lang)


def _(msgid: str, lang: str | None = None, **values: Any) -> str:
    """``msgid`` in the active language (or ``lang``), with ``{name}`` placeholders filled from
    ``values``. A missing translation falls back to English and is counted (:func:`missing`)."""
    lang = lang or current()
    return _fill(_lookup(lang, msgid), msgid, values, lang)


def ngettext(singular: str, plural: str, n: int, lang: str | None = None, **values: Any) -> str:
    """The form of ``singular``/``plural`` for the count ``n`` by the language's plural rules
    (its catalogue's ``Plural-Forms``); ``{n}`` and other placeholders filled."""
    lang = lang or current()
    values = {"n": n, **values}
    english = singular if n == 1 else plural
    if lang == DEFAULT:
        return _fill(english, english, values, lang)
    got = translations(lang).ngettext(singular, plural, n)
    if got in (singular, plural):
        _missing.setdefault(lang, Counter())[singular] += 1
    return _fill(got, english, values, lang)


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue without translating it here (translated where shown)."""
    return msgid


def missing(lang: str | None = None) -> Counter:
    """Strings looked up in ``lang`` (default: active) that had no translation, with how often."""
    return Counter(_missing.get(lang or current(), Counter()))


def reset_missing() -> None:
    """Forget the counted misses (a build counts its own)."""
    _missing.clear()


def header(lang: str) -> dict[str, str]:
    """The catalogue's header fields (``Last-Translator``, ``X-Translated-By``, ``X-Reviewed``...),
    read from the ``.po`` text itself: Babel keeps only the standard fields, not the ``X-`` ones."""
    path = po_path(lang)
    if lang == DEFAULT or not path.exists():
        return {}
    return header_fields(path.read_text(encoding="utf-8"))


def header_fields(po_text: str) -> dict[str, str]:
    """The ``Name: value`` fields of a ``.po`` file's header entry (its first ``msgstr``)."""
    import re

    match = re.search(r'^msgid ""\s*\nmsgstr ((?:"(?:[^"\\]|\\.)*"\s*\n?)+)', po_text, re.MULTILINE)
    if not match:
        return {}
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    text = "".join(parts).replace("\\n", "\n").replace('\\"', '"')
    fields = {}
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip()] = value.strip()
    return fields


def reviewed(lang: str) -> bool:
    """Whether a native speaker has reviewed the catalogue: its ``X-Reviewed`` header is ``yes``.
    English (the source text) counts as reviewed."""
    if lang == DEFAULT:
        return True
    return header(lang).get("X-Reviewed", "no").strip().lower().startswith("yes")
