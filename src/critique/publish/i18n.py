"""The reader's language in a build: where it comes from, how a page says it, what it left in English.

The language is a parameter: ``critique reports --lang fr`` or ``lang: fr`` at the top of a parameter
set (the command line wins); English by default, so ``make reports`` is unchanged. A build in
another language writes into its own folder (``reports/<set>-<lang>/``), so the English pages are
never overwritten by a translation and each language's notebooks are re-run only when they change.

Honesty about translations: a catalogue records who translated it (``X-Translated-By``) and whether
a native speaker reviewed it (``X-Reviewed``); every page of an unreviewed language opens with a
visible "draft translation" note (:func:`draft_note_html`), and the build log prints how many
strings looked up in this build had no translation (they were shown in English): :func:`log_line`.

The messages themselves are in :mod:`critique.core.i18n` (every layer marks its strings there) and
the catalogues in ``publish/locale/``.
"""
from __future__ import annotations

import html
from pathlib import Path
from typing import Any, Sequence

import yaml

from critique.core import i18n
from critique.core.errors import ParameterError
from critique.core.i18n import _

CSS = ("<style>.draft-note{border:2px solid #b36b00;background:#fff6e5;padding:.4em .8em;margin:1em 0}"
       ".community-summary{border:1px solid #999;padding:.3em 1.2em 1em;margin:1em 0}"
       ".community-summary li{margin:.4em 0}.community-summary figure{width:46%}"
       ":lang(zh) body,:lang(zh){font-family:'Noto Sans CJK SC','Noto Sans SC',system-ui,sans-serif}"
       "body{overflow-wrap:anywhere}</style>")


def checked(code: Any, where: str) -> str:
    """A language code checked as a parameter: one :class:`ParameterError` line naming ``where``,
    the value and the allowed languages when it is not supported."""
    try:
        return i18n.check_language(code, where)
    except i18n.LanguageError as exc:
        raise ParameterError(str(exc)) from None


def language_of_set(params_file: Path) -> str | None:
    """The ``lang`` a parameter set names at its top level (None when it names none), checked."""
    try:
        raw = yaml.safe_load(Path(params_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the parameter-set reader reports a broken file in its own words
    if not isinstance(raw, dict) or raw.get("lang") in (None, ""):
        return None
    return checked(raw["lang"], f"{params_file}: lang")


def choose(cli_lang: str | None, params_file: Path | None) -> str:
    """The build's language: ``--lang`` if given, else the set's ``lang``, else English."""
    if cli_lang:
        return checked(cli_lang, "--lang")
    return (language_of_set(params_file) if params_file else None) or i18n.DEFAULT


def out_folder(set_name: str, lang: str) -> str:
    """The report folder name of a set in a language: ``smoke`` in English, ``smoke-fr`` in French."""
    return set_name if lang == i18n.DEFAULT else f"{set_name}-{lang}"


def html_lang(lang: str | None = None) -> str:
    """The BCP 47 tag for ``<html lang>``: ``zh-Hans`` for Chinese (Simplified), else the code."""
    lang = lang or i18n.current()
    return "zh-Hans" if lang == "zh" else lang


def html_fill(msgid: str, **html_values: str) -> str:
    """A translated template, escaped, with placeholders filled by values that are already HTML
    (links). A translation that breaks a placeholder falls back to the English template."""
    template = html.escape(_(msgid))
    try:
        return template.format(**html_values)
    except (KeyError, IndexError, ValueError):
        return html.escape(msgid).format(**html_values)


def translator_line(lang: str | None = None) -> str:
    """Who translated the catalogue and whether it was reviewed, in the reader's language."""
    lang = lang or i18n.current()
    head = i18n.header(lang)
    who = head.get("X-Translated-By", "").strip() or _("not recorded")
    if who.lower().startswith("machine draft"):  # said in the reader's language, not the header's English
        who = _("a machine draft by the project's assistant (an AI language model)")
    return _("Translated by: {who}. Reviewed by a native speaker: {reviewed}.", who=who,
             reviewed=_("yes") if i18n.reviewed(lang) else _("no"))


def draft_note_html(lang: str | None = None) -> str:
    """The visible note on every page of an unreviewed language (empty for English or a reviewed one)."""
    lang = lang or i18n.current()
    if i18n.reviewed(lang):
        return ""
    text = _("Draft translation: this page was translated by machine and has not been reviewed by a "
             "native speaker. Where a sentence is still in English, no translation exists yet. "
             "The English edition is the reference.")
    return (f'<p class="draft-note" role="note"><strong>{html.escape(text)}</strong> '
            f"{html.escape(translator_line(lang))}</p>")


def log_line(lang: str | None = None) -> str:
    """The build log's line: strings shown in English for want of a translation in this build."""
    lang = lang or i18n.current()
    if lang == i18n.DEFAULT:
        return "language: en (source text)"
    miss = i18n.missing(lang)
    state = "reviewed" if i18n.reviewed(lang) else "draft, not reviewed"
    return (f"language: {lang} ({state}); {len(miss)} distinct strings had no translation and were "
            f"shown in English ({sum(miss.values())} times) in the index, brief and summary")


def markdown_msgid(source: Any) -> str:
    """A markdown cell's catalogue key: its text (a list of lines joined) without outer blank space."""
    return ("".join(source) if isinstance(source, list) else str(source)).strip()


def translate_notebook(nb: Any, lang: str | None = None) -> int:
    """Put each markdown cell of ``nb`` (an ``nbformat`` notebook, changed in place) in ``lang``
    (default: the active language) from the catalogue, where the whole cell, as written in the
    English notebook, is one message. A cell with no translation stays English and is counted
    (:func:`critique.core.i18n.missing`). Code cells are never touched. Returns the number of cells
    translated."""
    lang = lang or i18n.current()
    if lang == i18n.DEFAULT:
        return 0
    done = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        msgid = markdown_msgid(cell.source)
        if not msgid:
            continue
        text = _(msgid, lang=lang)
        if text != msgid:
            cell.source = text
            done += 1
    return done
