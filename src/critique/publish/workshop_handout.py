"""Printed workshop handouts: the claim, the questions and the chart(s) of one exercise on one or two
A4 pages, with no cover page.

The claim is the exercise notebook's first Markdown cell (its title and the ``**The claim.**``
paragraphs, without the "Findings keys" paragraph written for developers); the questions are the
numbered list under its ``## Question`` heading; the charts are the SVGs the question version saved
(each image carries its own title, source, release, caveats and N), with the description printed
under it. ``notebooks/workshop/handouts.yml`` chooses, per exercise, which charts a handout prints
(exercise 4 leaves out the pages of resampled-estimate histograms) and may add a short list of words
explained in plain terms; a chart or key there that the exercise does not have is an error naming it.

Typeset by Typst (``templates/handout.typ``, the ``typst`` package the briefing uses) through
:func:`critique.publish.pdf.typeset_template`: text stays searchable and the charts vector.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import nbformat
import yaml

from critique.core import i18n
from critique.core.errors import DataError
from critique.core.i18n import N_, _

CONFIG = "handouts.yml"
#: the tallest a chart may print (cm) on a handout holding 1, 2, 3 or more charts (A4 portrait: two pages in all)
CHART_HEIGHT_CM = {1: 13.0, 2: 9.5, 3: 7.6}
HANDOUT_WIDTH_CM = 17.4  # A4 portrait less 1.8 cm margins
LITERATURE_NOTE = N_("\"literature.md\" in a source line is the literature notes shipped with critique-suite "
                     "(docs/literature.md); [V] there means checked against a copy of the source (a secondary "
                     "copy when it says so).")


@dataclass
class Handout:
    """What one handout prints (plain data for the Typst template)."""

    title: str
    claim: list[list[dict[str, Any]]]          # paragraphs, each a list of text runs
    questions: list[list[dict[str, Any]]]      # one list of runs a question
    charts: list[dict[str, Any]] = field(default_factory=list)
    words: list[dict[str, str]] = field(default_factory=list)  # {"word", "meaning"}
    table: dict[str, Any] | None = None  # {"title", "header": [...], "rows": [[...], ...]}

    def data(self, generated: dt.datetime) -> dict[str, Any]:
        """The JSON the template reads."""
        return {"title": self.title, "claim": self.claim, "questions": self.questions, "charts": self.charts,
                "words": self.words, "table": self.table, "note": _(LITERATURE_NOTE),
                "footer": _("critique-suite workshop handout, built {date}", date=f"{generated:%Y-%m-%d}"),
                "lang": i18n.current(),
                "t": {"words": _("Words used on this page"), "questions": _("Questions for your group"),
                      "chart_n": _("Chart {n}: "), "the_chart": _("The chart: "),
                      "page": _("page {n} of {total}")}}


def _runs(nodes: Sequence[Mapping[str, Any]], bold: bool = False, italic: bool = False) -> list[dict[str, Any]]:
    """Inline Markdown (mistune AST) as text runs ``{"t", "b", "i", "code"}``; a link prints its text
    and, when different, its address in brackets."""
    out: list[dict[str, Any]] = []
    for node in nodes:
        kind = node.get("type")
        if kind == "text":
            out.append({"t": node["raw"], "b": bold, "i": italic, "code": False})
        elif kind == "codespan":
            out.append({"t": node["raw"], "b": bold, "i": italic, "code": True})
        elif kind in ("softbreak", "linebreak"):
            out.append({"t": " ", "b": bold, "i": italic, "code": False})
        elif kind == "strong":
            out += _runs(node.get("children", []), True, italic)
        elif kind == "emphasis":
            out += _runs(node.get("children", []), bold, True)
        elif kind == "link":
            text = _runs(node.get("children", []), bold, italic)
            out += text
            url = node.get("attrs", {}).get("url", "")
            if url and url != "".join(r["t"] for r in text):
                out.append({"t": f" ({url})", "b": False, "i": italic, "code": False})
        elif "children" in node:
            out += _runs(node["children"], bold, italic)
        elif "raw" in node:
            out.append({"t": node["raw"], "b": bold, "i": italic, "code": False})
    return out


def _blocks(markdown: str) -> list[Mapping[str, Any]]:
    import mistune

    return [b for b in mistune.create_markdown(renderer=None)(markdown) if b.get("type") != "blank_line"]


def _plain(runs: Sequence[Mapping[str, Any]]) -> str:
    return "".join(r["t"] for r in runs)


def claim_and_questions(nb: nbformat.NotebookNode) -> tuple[str, list[list[dict]], list[list[dict]]]:
    """``(title, claim paragraphs, questions)`` of an exercise notebook.

    Raises DataError naming what is missing: a first Markdown cell with a ``#`` title and a paragraph
    starting "The claim.", or a ``## Question`` cell with a numbered list.
    """
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    if not md:
        raise DataError("workshop handout: the exercise has no Markdown cell")
    title, claim = "", []
    for block in _blocks(md[0].source):
        if block["type"] == "heading" and not title:
            title = _plain(_runs(block["children"]))
        elif block["type"] == "paragraph":
            runs = _runs(block["children"])
            if not _plain(runs).startswith("Findings keys"):  # written for developers, not for a room
                claim.append(runs)
    if not title or not claim or not _plain(claim[0]).startswith("The claim."):
        raise DataError("workshop handout: the first Markdown cell needs a '# title' and a paragraph "
                        "starting '**The claim.**'")
    questions: list[list[dict]] = []
    for cell in md:
        blocks = _blocks(cell.source)
        if blocks and blocks[0]["type"] == "heading" and _plain(_runs(blocks[0]["children"])).startswith("Question"):
            for block in blocks[1:]:
                if block["type"] == "list":
                    questions += [_runs(item["children"]) for item in block["children"]]
    if not questions:
        raise DataError(f"workshop handout: '{title}' has no numbered list under a '## Question' heading")
    if i18n.current() != i18n.DEFAULT:
        return _in_reader_language(md, title, claim, questions)
    return title, claim, questions


def _translated(source: str) -> str | None:
    """A whole Markdown cell in the reader's language from the catalogue (None when it has none)."""
    from critique.publish.i18n import markdown_msgid

    msgid = markdown_msgid(source)
    text = _(msgid)
    return text if text != msgid else None


def _in_reader_language(md: Sequence[nbformat.NotebookNode], title: str, claim: list[list[dict]],
                        questions: list[list[dict]]) -> tuple[str, list[list[dict]], list[list[dict]]]:
    """The title, claim and questions read from the translated cells, which keep the English cell's
    structure (a heading, the same paragraphs, a numbered list with as many questions). A cell with no
    translation, or one whose structure differs, stays English (the catalogue counts what is missing)."""
    first = _translated(md[0].source)
    if first is not None:
        english = [b for b in _blocks(md[0].source) if b["type"] == "paragraph"]
        keep = [not _plain(_runs(b["children"])).startswith("Findings keys") for b in english]
        blocks = _blocks(first)
        heads = [b for b in blocks if b["type"] == "heading"]
        paras = [b for b in blocks if b["type"] == "paragraph"]
        if heads and len(paras) == len(english):
            title = _plain(_runs(heads[0]["children"]))
            claim = [_runs(b["children"]) for b, k in zip(paras, keep) if k]
    translated: list[list[dict]] = []
    for cell in md:
        blocks = _blocks(cell.source)
        if not (blocks and blocks[0]["type"] == "heading"
                and _plain(_runs(blocks[0]["children"])).startswith("Question")):
            continue
        english = [_runs(item["children"]) for b in blocks[1:] if b["type"] == "list" for item in b["children"]]
        text = _translated(cell.source)
        mine = [] if text is None else [_runs(item["children"]) for b in _blocks(text)[1:]
                                        if b["type"] == "list" for item in b["children"]]
        translated += mine if len(mine) == len(english) else english
    return title, claim, translated if len(translated) == len(questions) else questions


def load_config(path: Path) -> dict[str, dict[str, Any]]:
    """``handouts.yml``: per exercise stem, ``charts`` (names, in print order), ``words``
    (``word: meaning``) and ``table`` (``dataset``, ``title``, ``columns``: column -> header), a
    published table printed with the questions that ask about it. A missing file means every chart,
    no words, no table. Malformed: DataError naming it."""
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise DataError(f"{path}: expected a mapping of exercise stems")
    for stem, entry in raw.items():
        if not isinstance(entry, dict) or set(entry) - {"charts", "words", "table"}:
            raise DataError(f"{path}: {stem}: only 'charts' (a list), 'words' (word: meaning) and 'table' are allowed")
        table = entry.get("table")
        if table is not None and (not isinstance(table, dict) or len({"dataset", "findings"} & set(table)) != 1
                                  or not {"title", "columns"} <= set(table)
                                  or set(table) - {"dataset", "findings", "title", "columns", "values"}
                                  or not isinstance(table["columns"], dict)):
            raise DataError(f"{path}: {stem}: 'table' needs 'dataset' or 'findings', 'title' and 'columns' "
                            "(column: header), and may have 'values' (column: {value: plain words})")
        if not isinstance(entry.get("charts", []), list) or not isinstance(entry.get("words", {}), dict):
            raise DataError(f"{path}: {stem}: 'charts' must be a list and 'words' a mapping")
    return raw


def chart_rows(figures_dir: Path, names: Sequence[str] | None, stem: str) -> list[dict[str, Any]]:
    """The charts a handout prints: SVG path, print width (cm) and the description under the image.

    ``names``: the charts chosen in ``handouts.yml`` (all the exercise saved, in file order, when
    None); a name the exercise did not save is a DataError listing the ones it did.
    """
    from critique.publish.pdf import chart_width_cm, under_image

    saved = {p.stem: p for p in sorted(figures_dir.glob("*.json"))}
    chosen = list(names) if names is not None else sorted(saved)
    unknown = [n for n in chosen if n not in saved]
    if unknown:
        raise DataError(f"{CONFIG}: {stem}: no chart named {', '.join(unknown)} "
                        f"(the exercise saved: {', '.join(sorted(saved)) or 'none'})")
    height = CHART_HEIGHT_CM.get(len(chosen), CHART_HEIGHT_CM[3])
    rows = []
    for name in chosen:
        cap = json.loads(saved[name].read_text(encoding="utf-8"))
        svg = figures_dir / f"{name}.svg"
        png = figures_dir / f"{name}.png"
        image = svg if svg.exists() else png
        rows.append({"svg": str(image.resolve()), "title": cap.get("title", name),
                     "width": chart_width_cm(image, height, HANDOUT_WIDTH_CM),
                     "text": under_image({"abs_png": png, "caption_text": cap.get("description", "")})})
    return rows


def _cell(value: Any, column: str, words: Mapping[str, Mapping[Any, str]], stem: str) -> str:
    """A table cell: a value ``values`` maps to plain words, a number rounded to the nearest 100 with
    thousands separators (totals of people, not counts to the person), any other text as it is."""
    if column in words:
        if value not in words[column]:
            raise DataError(f"{CONFIG}: {stem}: column {column!r} has value {value!r}, which 'values' does not "
                            "put in plain words")
        return _(str(words[column][value]))
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return i18n.format_locale("{value:,.0f}", {"value": round(value, -2)})
    return str(value)


def table_rows(spec: Mapping[str, Any], stem: str, findings: Mapping[str, Any] | None = None,
               edition: str = "newest") -> dict[str, Any]:
    """A table as the handout prints it, the chosen columns under readers' headers.

    ``dataset``: a published table, its established rows only (an unverified row is never shown as
    established, as in the exercise); ``findings``: a key the question version recorded, a mapping of
    rows (each a mapping of columns). ``values`` turns a column's values into plain words (a value
    it does not cover is an error, so no internal id reaches the page). A missing column or key is a
    DataError naming it."""
    import pandas as pd

    if "dataset" in spec:
        from critique import datasets
        from critique.datasets import published

        frame = published.established(datasets.load(str(spec["dataset"]), edition=edition))
        name = spec["dataset"]
    else:
        recorded = (findings or {}).get(str(spec["findings"]))
        if not isinstance(recorded, dict) or not recorded:
            raise DataError(f"{CONFIG}: {stem}: the exercise recorded no findings key {spec['findings']!r} "
                            "holding rows")
        frame, name = pd.DataFrame(list(recorded.values())), spec["findings"]
    missing = [c for c in spec["columns"] if c not in frame.columns]
    if missing:
        raise DataError(f"{CONFIG}: {stem}: table {name!r} has no column {', '.join(missing)}")
    cols = list(spec["columns"])
    words = spec.get("values") or {}
    rows = [[_cell(v, c, words, stem) for v, c in zip(rec, cols)] for rec in frame[cols].itertuples(index=False)]
    header = [_(str(spec["columns"][c])) for c in cols]
    # a column's share of the width follows the length of its text (longest of header and mean cell)
    # and is never narrower than its longest word
    lengths = [max(len(h), sum(len(r[i]) for r in rows) / max(len(rows), 1)) for i, h in enumerate(header)]
    words = [max([len(w) for r in rows for w in r[i].split()] + [len(w) for w in h.split()]) for i, h in enumerate(header)]
    widths = [round(max(length ** 0.75, 1.25 * word ** 0.9), 2) for length, word in zip(lengths, words)]
    return {"title": _(str(spec["title"])), "header": header, "rows": rows, "widths": widths}


def handout(exercise: Path, figures_dir: Path, config: Mapping[str, Mapping[str, Any]]) -> Handout:
    """The handout of one exercise notebook (its question version's ``figures/`` folder)."""
    title, claim, questions = claim_and_questions(nbformat.read(str(exercise), as_version=4))
    entry = config.get(exercise.stem, {})
    charts = chart_rows(figures_dir, entry.get("charts"), exercise.stem)
    words = [{"word": _(str(w)), "meaning": _(str(m))} for w, m in (entry.get("words") or {}).items()]
    found_file = figures_dir.parent / "findings.json"
    found = json.loads(found_file.read_text(encoding="utf-8")).get("findings", {}) if found_file.exists() else {}
    table = table_rows(entry["table"], exercise.stem, found) if entry.get("table") else None
    return Handout(title, claim, questions, charts, words, table)


def write(target: Path, exercise: Path, figures_dir: Path, *, generated: dt.datetime,
          config_file: Path | None = None) -> Path:
    """Typeset the handout of ``exercise`` into ``target`` (PDF, written atomically)."""
    from critique.publish.pdf import typeset_template

    config = load_config(config_file or exercise.parent / CONFIG)
    h = handout(exercise, figures_dir, config)
    return typeset_template(target, "handout.typ", h.data(generated))
