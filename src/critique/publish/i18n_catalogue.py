"""Keep the message catalogues in step with the source: extract, merge, count what is untranslated.

``python -m critique.publish.i18n_catalogue update`` extracts every marked string (``_``, ``N_``,
``ngettext`` calls with a literal, read with :mod:`ast`) from ``src/critique`` and merges it
into each language's ``.po`` file (Babel's ``Catalog.update``: a new string arrives untranslated, a
changed one is kept as a fuzzy guess, which readers never see). ``... status`` prints, per
language, how many reader-facing strings have no usable translation. A translator edits the ``.po``
file with any gettext tool and sets ``X-Reviewed: yes`` once a native speaker has read it all.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from critique.core import i18n

SOURCE = Path(__file__).resolve().parents[1]  # src/critique
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)")


def marked(path: Path) -> list[tuple[str | tuple[str, str], int]]:
    """The strings marked in one Python file: ``_("...")``, ``N_("...")`` (msgid) and
    ``ngettext("...", "...", n)`` (singular, plural), with their line numbers.

    Read with :mod:`ast` rather than Babel's token-based extractor, which on Python 3.11 does not
    see a call inside an f-string's braces (``f"<h2>{_('Notebooks')}</h2>"``)."""
    import ast

    out: list[tuple[str | tuple[str, str], int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else ""
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name in ("_", "N_", "html_fill") and args and args[0]:
            out.append((args[0], node.lineno))
        elif name == "ngettext" and len(args) >= 2 and args[0] and args[1]:
            out.append(((args[0], args[1]), node.lineno))
    return out


def extract() -> Any:
    """A Babel ``Catalog`` of every string marked in ``src/critique`` (msgid -> where it is used)."""
    from babel.messages.catalog import Catalog

    cat = Catalog(domain=i18n.DOMAIN, project="critique-suite")
    for path in sorted(SOURCE.rglob("*.py")):
        for message, lineno in marked(path):
            cat.add(message, None, [(str(path.relative_to(SOURCE)), lineno)])
    for title, where in notebook_titles():  # page titles: each notebook's first heading
        cat.add(title, None, [(where, 1)])
    return cat


def notebook_titles() -> list[tuple[str, str]]:
    """The first heading of each briefing notebook (the page title the index shows), with its file."""
    from critique.publish.reports import _notebook_title, analysis_notebooks

    return [(t, f"notebooks/{nb.name}") for nb in analysis_notebooks() if (t := _notebook_title(nb))]


def untranslated(lang: str, template: Any | None = None) -> list[str]:
    """The marked strings (singular msgids) with no usable translation in ``lang``'s catalogue:
    missing, empty, or fuzzy."""
    template = template or extract()
    cat = i18n.read_catalog(lang)
    out = []
    for msg in template:
        if not msg.id:
            continue
        got = cat.get(msg.id) if cat is not None else None
        strings = (got.string if isinstance(got.string, (list, tuple)) else [got.string]) if got else []
        if got is None or got.fuzzy or not all(strings):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def placeholder_problems(lang: str) -> list[str]:
    """Translations whose ``{name}`` placeholders differ from their English text's."""
    cat = i18n.read_catalog(lang)
    problems = []
    for msg in cat or []:
        if not msg.id or not msg.string or msg.fuzzy:
            continue
        ids = msg.id if isinstance(msg.id, (list, tuple)) else [msg.id]
        strings = msg.string if isinstance(msg.string, (list, tuple)) else [msg.string]
        want = set().union(*(set(PLACEHOLDER.findall(t)) for t in ids))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) - want:
                problems.append(f"{lang}: {ids[0][:60]!r}: {sorted(set(PLACEHOLDER.findall(text)) - want)}")
            if text and len(ids) == 1 and set(PLACEHOLDER.findall(text)) != want:
                problems.append(f"{lang}: {ids[0][:60]!r}: placeholders {sorted(PLACEHOLDER.findall(text))}")
    return problems


def update(lang: str) -> Path:
    """Merge the extracted strings into ``lang``'s ``.po`` file (created with an honest header if new)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    path = i18n.po_path(lang)
    kept = [f"{k}: {v}" for k, v in i18n.header(lang).items() if k.startswith("X-")]
    if path.exists():
        with path.open("rb") as fh:
            cat = read_po(fh, locale=lang, domain=i18n.DOMAIN)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        cat = Catalog(locale=lang, domain=i18n.DOMAIN, project="critique-suite")
    cat.update(extract(), no_fuzzy_matching=True)
    with path.open("wb") as fh:
        write_po(fh, cat, width=100, omit_header=False, sort_output=False, no_location=True,
                 include_previous=False, ignore_obsolete=True)
    if kept:  # Babel drops the X- header fields (who translated, whether reviewed): put them back
        text = path.read_text(encoding="utf-8")
        extra = "".join(f'"{line}\\n"\n' for line in kept)
        path.write_text(text.replace('"Generated-By: ', extra + '"Generated-By: ', 1), encoding="utf-8")
    i18n.read_catalog.cache_clear()
    i18n.translations.cache_clear()
    return path


def main(argv: list[str]) -> int:
    """``update`` or ``status`` (default)."""
    langs = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
    if argv[:1] == ["update"]:
        for lang in langs:
            print(f"updated {update(lang)}")
        return 0
    template = extract()
    total = len([m for m in template if m.id])
    for lang in langs:
        left = untranslated(lang, template)
        state = "reviewed" if i18n.reviewed(lang) else "draft, not reviewed"
        print(f"{lang}: {total - len(left)}/{total} translated, {len(left)} untranslated ({state})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
