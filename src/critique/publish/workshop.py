"""The workshop kit: "spot the flaw" exercises, built into question and answer versions.

Each exercise in ``notebooks/workshop/NN-*.ipynb`` starts from a published claim quoted with its
citation, shows the data, asks a question, and holds its answers in code cells tagged ``answer``
that call :func:`answer` (which displays nothing unless ``reveal_answers`` is True, so a trainee
running the notebook in JupyterLab with the default sees no answer output).

``critique workshop`` (``make workshop``) builds ``reports/workshop/``:

- ``questions/<stem>/``: the notebook with every ``answer`` cell **removed before it runs** (not
  hidden: neither the ipynb nor the HTML holds the answer text), run with ``reveal_answers=False``;
- ``answers/<stem>/``: the full notebook run with ``reveal_answers=True``;
- ``handouts/<stem>.pdf``: the claim, the questions and the chart(s) of the question version on one
  or two A4 pages, no cover (:mod:`critique.publish.workshop_handout`; which charts, and words
  explained in plain terms, are chosen in ``notebooks/workshop/handouts.yml``);
- ``guide.html``: the facilitator guide (``notebooks/workshop/guide.md``);
- ``index.html``: links to all of it.

Runs go through :func:`critique.publish.runner.run_notebook` (validated parameters, atomic output, run-key
skip), so an unchanged exercise is not re-run.
"""
from __future__ import annotations

import argparse
import ast
import datetime as dt
import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import nbformat

from critique.core import atomicio, i18n
from critique.core.atomicio import write_text_atomic
from critique.core.i18n import N_, _
from critique.datasets import paths

ANSWER_TAG = "answer"


def answer(reveal: bool, text: str) -> None:
    """Show ``text`` (Markdown) as the answer, only when ``reveal`` is True."""
    if not reveal:
        return
    from IPython.display import Markdown, display

    display(Markdown("**" + _("Answer.") + "** " + text.strip()))


def workshop_dir() -> Path:
    """``notebooks/workshop/``: exercises and the guide."""
    return paths.notebooks_dir() / "workshop"


def exercises() -> list[Path]:
    """The exercise notebooks, ``notebooks/workshop/NN-*.ipynb``, in order."""
    return sorted(workshop_dir().glob("[0-9][0-9]-*.ipynb"))


def out_root(lang: str | None = None) -> Path:
    """``reports/workshop/`` (English), ``reports/workshop-<lang>/`` in another language, so a
    translated kit never overwrites the English one."""
    from critique.publish.i18n import out_folder

    return paths.reports_dir() / out_folder("workshop", lang or i18n.DEFAULT)


def is_answer(cell: nbformat.NotebookNode) -> bool:
    """True for a cell tagged ``answer``."""
    return ANSWER_TAG in (cell.get("metadata", {}).get("tags") or [])


def strip_answers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without its ``answer`` cells (refuses a notebook that has none)."""
    out = nbformat.from_dict(nb)
    kept = [c for c in out.cells if not is_answer(c)]
    if len(kept) == len(out.cells):
        raise ValueError("strip_answers: the notebook has no cell tagged 'answer'")
    out.cells = kept
    return out


def answer_snippets(nb: nbformat.NotebookNode, min_chars: int = 40) -> list[str]:
    """Distinctive plain-text runs of the answers (for the no-leak test).

    Read from the answer cells: their string literals (an answer typed in the notebook) and, in an
    executed notebook, their text outputs (an answer a package function wrote from the run's numbers,
    e.g. ``answer(reveal_answers, X.answers[0])``). Each is cut into runs of letters, digits, spaces
    and commas of at least ``min_chars`` characters: such a run survives Markdown rendering and HTML
    escaping unchanged.
    """
    texts: list[str] = []
    for cell in nb.cells:
        if not is_answer(cell) or cell.cell_type != "code":
            continue
        texts += [node.value for node in ast.walk(ast.parse(cell.source))
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        for output in cell.get("outputs", []):
            text = output.get("text") or "".join(
                v if isinstance(v, str) else "".join(v)
                for k, v in (output.get("data") or {}).items() if k in ("text/markdown", "text/plain"))
            texts.append(text if isinstance(text, str) else "".join(text))
    out: list[str] = []
    for text in texts:
        for run in re.findall(r"[A-Za-z0-9 ,]{%d,}" % min_chars, text):
            run = " ".join(run.split())
            if len(run) >= min_chars and run not in out:
                out.append(run)
    return out


@dataclass
class WorkshopResult:
    """What a workshop build did."""

    out_root: Path
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    handouts: list[Path] = field(default_factory=list)
    guide: Path | None = None
    index: Path | None = None


GUIDE_TITLE = N_("Workshop facilitator guide")


def guide_source(lang: str | None = None) -> Path:
    """The facilitator guide in ``lang`` (default: the active language): ``guide.<lang>.md`` beside
    ``guide.md``, or the English ``guide.md`` when that language has none."""
    lang = lang or i18n.current()
    translated = workshop_dir() / f"guide.{lang}.md"
    return translated if lang != i18n.DEFAULT and translated.exists() else workshop_dir() / "guide.md"


def guide_html(markdown_text: str, title: str | None = None) -> str:
    """The guide's Markdown as a standalone, printable HTML page (mistune, as nbconvert uses), in the
    active language's ``<html lang>``."""
    import mistune

    from critique.publish.i18n import html_lang

    title = _(GUIDE_TITLE) if title is None else title
    body = mistune.html(markdown_text) if hasattr(mistune, "html") else mistune.markdown(markdown_text)
    return (f"<!doctype html><html lang='{html_lang()}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;max-width:50em;"
            "margin:2em auto;line-height:1.45;padding:0 1em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:0.2em 0.5em}blockquote{border-left:4px solid #ccc;"
            "margin-left:0;padding-left:1em;color:#333}@media print{a{color:black}}</style></head>"
            f"<body>{body}</body></html>")


def _title(nb_path: Path) -> str:
    """The exercise's first heading, from its cell in the reader's language when the catalogue has it."""
    from critique.publish.i18n import markdown_msgid

    nb = nbformat.read(str(nb_path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            msgid = markdown_msgid(cell.source)
            for line in (_(msgid) if msgid else "").splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return nb_path.stem


def build(out: Path | None = None, *, force: bool = False, stems: Sequence[str] | None = None,
          timeout: int = 600) -> WorkshopResult:
    """Build question and answer versions, handouts, the guide and an index into ``out``.

    A second build into the same folder while one runs is refused ("another build is writing here").
    """
    out = Path(out) if out else out_root(i18n.current())
    from critique.publish.outdirs import folder_lock

    with folder_lock(out):  # one workshop build at a time into a folder
        return _build(out, force=force, stems=stems, timeout=timeout)


def _build(out: Path, *, force: bool, stems: Sequence[str] | None, timeout: int) -> WorkshopResult:
    from critique.publish import runner, workshop_handout

    atomicio.make_dir(out)
    notebooks = exercises()
    if stems:
        unknown = sorted(set(stems) - {p.stem for p in notebooks})
        if unknown:
            raise runner.ParameterError(f"no workshop exercise named {', '.join(unknown)} "
                                        f"(exercises: {', '.join(p.stem for p in notebooks)})")
        notebooks = [p for p in notebooks if p.stem in set(stems)]
    if not notebooks:
        raise runner.RunError(f"{workshop_dir()}: no exercise notebooks (NN-*.ipynb)")
    res = WorkshopResult(out)
    sources = out / ".question-sources"
    sources.mkdir(exist_ok=True)
    now = dt.datetime.now(dt.timezone.utc)
    for nb_path in notebooks:
        stem = nb_path.stem
        question_src = sources / f"{stem}.ipynb"
        stripped = strip_answers(nbformat.read(str(nb_path), as_version=4))
        text = nbformat.writes(stripped)
        if not question_src.exists() or question_src.read_text(encoding="utf-8") != text:
            write_text_atomic(question_src, text)  # unchanged text keeps the run key
        for version, src, reveal in (("questions", question_src, False), ("answers", nb_path, True)):
            r = runner.run_notebook(src, {"reveal_answers": reveal}, out / version / stem,
                                    force=force, timeout=timeout)
            (res.skipped if r.skipped else res.ran).append(f"{version}/{stem}")
        handout = out / "handouts" / f"{stem}.pdf"
        handout.parent.mkdir(exist_ok=True)
        workshop_handout.write(handout, question_src, out / "questions" / stem / "figures", generated=now,
                               config_file=workshop_dir() / workshop_handout.CONFIG)
        res.handouts.append(handout)
    guide_src = guide_source()
    if guide_src.exists():
        res.guide = out / "guide.html"
        write_text_atomic(res.guide, guide_html(guide_src.read_text(encoding="utf-8")))
    res.index = write_text_atomic(out / "index.html", _index_html(list(notebooks), res, now))
    return res


def _index_html(notebooks: Sequence[Path], res: WorkshopResult, now: dt.datetime) -> str:
    from critique.publish.i18n import html_fill, html_lang

    esc = html.escape
    page, notebook = esc(_("page")), esc(_("notebook"))
    rows = []
    for nb_path in notebooks:
        s = nb_path.stem
        rows.append(f"<tr><td>{esc(_title(nb_path))}</td>"
                    f"<td><a href='questions/{s}/{s}.html'>{page}</a> · <a href='questions/{s}/{s}.ipynb'>{notebook}</a></td>"
                    f"<td><a href='answers/{s}/{s}.html'>{page}</a> · <a href='answers/{s}/{s}.ipynb'>{notebook}</a></td>"
                    f"<td><a href='handouts/{s}.pdf'>PDF</a></td></tr>")
    guide = ("<p>" + html_fill("{guide} (print it from the browser)",
                               guide=f"<a href='guide.html'>{esc(_('Facilitator guide'))}</a>") + "</p>"
             if res.guide else "")
    return (f"<!doctype html><html lang='{html_lang()}'><head><meta charset='utf-8'><title>{esc(_('Workshop kit'))}</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{padding:0.3em 0.8em;"
            "border-bottom:1px solid #ddd;text-align:left}</style></head><body>"
            f"<h1>{esc(_('critique-suite workshop kit'))}</h1>"
            "<p>" + html_fill("Built {date}. Give participants the {question} versions; the answer "
                              "versions are for the facilitator.", date=esc(f"{now:%Y-%m-%d %H:%M UTC}"),
                              question=f"<b>{esc(_('question'))}</b>") + "</p>" + guide +
            f"<table><tr><th>{esc(_('Exercise'))}</th><th>{esc(_('Questions'))}</th><th>{esc(_('Answers'))}</th>"
            f"<th>{esc(_('Handout'))}</th></tr>" + "".join(rows) + "</table></body></html>")


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Build the workshop kit into reports/workshop/."
    parser.add_argument("stems", nargs="*", help="exercise notebook stems (default: all)")
    parser.add_argument("--force", action="store_true", help="re-run exercises even when unchanged")
    parser.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    parser.add_argument("--lang", help="the readers' language: en (default), fr, es, ru, zh; other languages "
                                       "than English go to reports/workshop-<lang>/")


def _command(args: argparse.Namespace) -> int:
    from critique.publish import i18n as reader_lang

    lang = reader_lang.choose(getattr(args, "lang", None), None)
    with i18n.using(lang):
        res = build(out_root(lang), force=args.force, stems=args.stems or None, timeout=args.timeout)
    print(f"workshop: {len(res.ran)} run, {len(res.skipped)} unchanged; {len(res.handouts)} handouts; "
          f"guide {'written' if res.guide else 'missing'} -> {res.index}")
    return 0


def _register() -> None:
    from critique.publish import cli

    cli.EXTRA_COMMANDS["workshop"] = (_add_arguments, _command)


_register()
