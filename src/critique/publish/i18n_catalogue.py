"""Keep the message catalogues in step with the source: extract, merge, count what is untranslated.

``python -m critique.publish.i18n_catalogue update`` extracts every marked string (``_``, ``N_``,
``ngettext`` calls with a literal, read with :mod:`ast`) from ``src/critique`` and merges it
into each language's ``.po`` file (Babel's ``Catalog.update``: a new string arrives untranslated, a
changed one is kept as a fuzzy guess, which readers never see). ``... status`` prints, per
language, how many reader-facing strings have no usable translation; ``... todo LANG`` prints the
untranslated ones as JSON (``{english: ""}``) and ``... fill LANG FILE.json`` writes a file of that
shape back into the catalogue, refusing a translation whose placeholders differ. Besides the
package's marked strings, the catalogue holds each reader notebook's markdown cells (one message a
cell), the strings its code cells mark with ``_()`` (chart titles) and the key-finding templates. A translator edits the ``.po``
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


def marked(path: Path, text: str | None = None) -> list[tuple[str | tuple[str, str], int]]:
    """The strings marked in one Python file: ``_("...")``, ``N_("...")`` (msgid) and
    ``ngettext("...", "...", n)`` (singular, plural), with their line numbers.

    Read with :mod:`ast` rather than Babel's token-based extractor, which on Python 3.11 does not
    see a call inside an f-string's braces (``f"<h2>{_('Notebooks')}</h2>"``)."""
    import ast

    out: list[tuple[str | tuple[str, str], int]] = []
    tree = ast.parse(path.read_text(encoding="utf-8") if text is None else text, filename=str(path))
    for node in ast.walk(tree):
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
    for message, where, lineno in notebook_messages():
        cat.add(message, None, [(where, lineno)])
    for message, where in key_finding_templates():
        cat.add(message, None, [(where, 1)])
    for message, where in handout_strings():
        cat.add(message, None, [(where, 1)])
    for message, where in reader_text_cells():
        cat.add(message, None, [(where, 1)])
    return cat


def handout_strings() -> list[tuple[str, str]]:
    """The words ``notebooks/workshop/handouts.yml`` puts on a handout (translated where the handout is
    built, :mod:`critique.publish.workshop_handout`): each table's title, column headers and value
    words, and each word explained with its meaning. Column keys and dataset ids are not text."""
    import yaml

    from critique.datasets import paths

    path = paths.notebooks_dir() / "workshop" / "handouts.yml"
    if not path.exists():
        return []
    where = str(path.relative_to(paths.root()))
    out: list[str] = []
    for entry in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).values():
        table = (entry or {}).get("table") or {}
        out += [str(table["title"])] if table.get("title") else []
        out += [str(h) for h in (table.get("columns") or {}).values()]
        out += [str(w) for words in (table.get("values") or {}).values() for w in (words or {}).values()]
        for word, meaning in ((entry or {}).get("words") or {}).items():
            out += [str(word), str(meaning)]
    return [(m, where) for m in dict.fromkeys(m.strip() for m in out) if m]


def reader_text_cells() -> list[tuple[str, str]]:
    """The cells of the published tables' ``reader_text`` columns (named in each sidecar), with the
    CSV's path: the suite's own words a reader sees in a table (a claim's paraphrase, what a study
    counted), translated where the table is loaded (:func:`critique.datasets.published.load_table`)."""
    import csv

    import yaml

    from critique.datasets import paths

    out: list[tuple[str, str]] = []
    for sidecar in [*sorted(paths.published_dir().glob("*.yml")), paths.data_dir() / "corrections.yml"]:
        side = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
        columns = side.get("reader_text") if isinstance(side, dict) else None
        if not columns:
            continue
        path = sidecar.parent / str(side["file"])
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        where = str(path.relative_to(paths.root()))
        out += [(row[c].strip(), where) for row in rows for c in columns if (row.get(c) or "").strip()]
    return out


def reader_notebooks() -> list[Path]:
    """Every notebook a reader is given: the analyses, the country profile and the workshop kit."""
    from critique.datasets import paths

    base = paths.notebooks_dir()
    return sorted(base.glob("*.ipynb")) + sorted(base.glob("profiles/*.ipynb")) + \
        sorted(base.glob("workshop/*.ipynb"))


def notebook_messages() -> list[tuple[str | tuple[str, str], str, int]]:
    """Each notebook's markdown cells (a whole cell is one message: a translator sees a paragraph
    with its context, and the page keeps its structure) and the strings its code cells mark with
    ``_()`` (chart titles), with the notebook's file and the cell's number."""
    import nbformat

    from critique.datasets import paths
    from critique.publish.i18n import markdown_msgid

    out: list[tuple[str | tuple[str, str], str, int]] = []
    for path in reader_notebooks():
        where = str(path.relative_to(paths.root()))
        for number, cell in enumerate(nbformat.read(str(path), as_version=4).cells, start=1):
            if cell.cell_type == "markdown" and markdown_msgid(cell.source):
                out.append((markdown_msgid(cell.source), where, number))
            elif cell.cell_type == "code" and "_(" in cell.source:
                code = "\n".join(line for line in cell.source.splitlines()
                                 if not line.lstrip().startswith(("%", "!")))
                try:
                    out += [(message, where, number) for message, _line in marked(path, code)]
                except SyntaxError:
                    continue
    return out


def markdown_messages() -> set[str]:
    """The msgids that are whole markdown cells: text, never filled with values, so a ``{...}``
    in them (a findings table's ``{year: count}``) is prose a translator may translate."""
    import nbformat

    from critique.publish.i18n import markdown_msgid

    return {markdown_msgid(c.source) for path in reader_notebooks()
            for c in nbformat.read(str(path), as_version=4).cells
            if c.cell_type == "markdown" and markdown_msgid(c.source)}


def key_finding_templates() -> list[tuple[str, str]]:
    """The sentence templates of ``notebooks/key_findings/*.yml`` and the brief's ``about`` text."""
    import yaml

    from critique.datasets import paths

    out: list[tuple[str, str]] = []
    for path in sorted((paths.notebooks_dir() / "key_findings").glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        where = str(path.relative_to(paths.root()))
        if isinstance(raw, dict):  # the brief: about + headlines
            if str(raw.get("about", "")).strip():
                out.append((str(raw["about"]).strip(), where))
            raw = raw.get("headlines") or []
        out += [(str(e["sentence"]).strip(), where) for e in raw
                if isinstance(e, dict) and str(e.get("sentence", "")).strip()]
    return out


def fill(lang: str, translations: dict[str, str]) -> int:
    """Write ``translations`` (English msgid -> translation) into ``lang``'s ``.po`` file for the
    msgids the catalogue has (run :func:`update` first); returns how many were written. A
    translation whose ``{placeholders}`` differ from the English is refused (not written) and named
    on stderr. For translators who work outside a gettext editor and for merging drafts."""
    from babel.messages.pofile import read_po, write_po

    path = i18n.po_path(lang)
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang, domain=i18n.DOMAIN)
    kept = [f"{k}: {v}" for k, v in i18n.header(lang).items() if k.startswith("X-")]
    done, prose = 0, markdown_messages()
    for msgid, text in translations.items():
        msg = cat.get(msgid)
        if msg is None or not str(text).strip() or isinstance(msg.id, (list, tuple)):
            continue
        if msgid not in prose and set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text)):
            print(f"{lang}: placeholders differ, not written: {msgid[:70]!r}", file=sys.stderr)
            continue
        msg.string, done = text, done + 1
        msg.flags.discard("fuzzy")
    _write(path, cat, kept)
    return done


def _write(path: Path, cat: Any, kept: list[str]) -> None:
    from babel.messages.pofile import write_po

    with path.open("wb") as fh:
        write_po(fh, cat, width=100, omit_header=False, sort_output=False, no_location=True,
                 include_previous=False, ignore_obsolete=True)
    if kept:  # Babel drops the X- header fields (who translated, whether reviewed): put them back
        text = path.read_text(encoding="utf-8")
        extra = "".join(f'"{line}\\n"\n' for line in kept)
        path.write_text(text.replace('"Generated-By: ', extra + '"Generated-By: ', 1), encoding="utf-8")
    i18n.read_catalog.cache_clear()
    i18n.translations.cache_clear()


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
    prose = markdown_messages()
    for msg in cat or []:
        if not msg.id or not msg.string or msg.fuzzy or msg.id in prose:
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
    _write(path, cat, kept)
    return path


def main(argv: list[str]) -> int:
    """``update`` or ``status`` (default)."""
    langs = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
    if argv[:1] == ["update"]:
        for lang in langs:
            print(f"updated {update(lang)}")
        return 0
    if argv[:1] == ["fill"] and len(argv) == 3:  # fill LANG FILE.json ({english: translation})
        import json

        lang = i18n.check_language(argv[1], "fill: language")
        data = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{lang}: {fill(lang, data)} translations written from {argv[2]}")
        return 0
    if argv[:1] == ["todo"] and len(argv) == 2:  # todo LANG: the untranslated msgids as JSON
        import json

        lang = i18n.check_language(argv[1], "todo: language")
        print(json.dumps({m: "" for m in untranslated(lang)}, ensure_ascii=False, indent=1))
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
