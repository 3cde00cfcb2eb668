"""The printable briefing, typeset with Typst (the ``typst`` package from PyPI) from the vector charts.

The PDF opens with the brief (what the briefing is, the releases it reads, the headline findings
with their charts), then every key finding grouped by notebook, then every chart, then the sources,
numbered and printed once. Charts are placed as SVG, so they stay sharp in print; every title,
sentence and caption is text a reader can search and select, and the document has a title. Chart
pages use 9-10.5 pt type; a chart is scaled to the width of the page unless that makes it taller than
:data:`MAX_CHART_CM`, and a chart is never split from its caption nor a finding from its source.

Under each chart the page prints only what the image does not show (the description and any further
caveats); each chart's image already carries its title, source, release, caveats and N (see
:func:`critique.figures.charts.finalise`).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Sequence

from critique.core import atomicio
from critique.core.i18n import N_, _

TEXT_WIDTH_CM = 17.4   # A4 portrait less 1.8 cm margins (the brief)
CHART_WIDTH_CM = 26.0  # A4 landscape less margins: the chart pages
MAX_CHART_CM = 15.0    # the tallest a chart may be with its heading and caption on a landscape page
BRIEF_CHART_CM = 6.4   # the tallest a headline's chart may be in the brief (three to a page)
BRIEF_WIDTH_CM = TEXT_WIDTH_CM
SCENARIO = N_("Scenario (assumptions, not a measurement):")


def under_image(fig_info: Mapping[str, Any]) -> str:
    """The caption text printed below a chart: what the image itself does not show."""
    sidecar = Path(fig_info["abs_png"]).with_suffix(".json")
    try:
        cap = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fig_info.get("caption_text", "")
    shown = int(cap.get("footer_caveats_shown", 2))
    lines = [cap.get("description", "")]
    lines += [_("Further caveat: {caveat}", caveat=c) for c in cap.get("caveats", [])[shown:]]
    return "\n".join(line for line in lines if line)


def svg_width_cm(svg: Path) -> float:
    """The width an SVG was drawn at (its root ``width`` in pt), in cm; the text width if unreadable."""
    try:
        head = svg.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return TEXT_WIDTH_CM
    w = re.search(r'<svg[^>]*?\swidth="([\d.]+)(pt)?"', head)
    return float(w.group(1)) / 72 * 2.54 if w else TEXT_WIDTH_CM


def svg_aspect(svg: Path) -> float:
    """Height over width of an SVG from its root ``width``/``height`` (or ``viewBox``); 0.6 if unreadable."""
    try:
        head = svg.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return 0.6
    w = re.search(r'<svg[^>]*?\swidth="([\d.]+)', head)
    h = re.search(r'<svg[^>]*?\sheight="([\d.]+)', head)
    if w and h and float(w.group(1)) > 0:
        return float(h.group(1)) / float(w.group(1))
    vb = re.search(r'viewBox="[\d.\-]+ [\d.\-]+ ([\d.]+) ([\d.]+)"', head)
    return float(vb.group(2)) / float(vb.group(1)) if vb and float(vb.group(1)) > 0 else 0.6


def chart_width_cm(svg: Path, max_height_cm: float, max_width_cm: float = CHART_WIDTH_CM) -> float:
    """The printed width of a chart: the size it was drawn at (never enlarged), narrower when that
    is wider than ``max_width_cm`` or taller than ``max_height_cm``."""
    return round(min(svg_width_cm(svg), max_width_cm, max_height_cm / max(svg_aspect(svg), 1e-3)), 2)


class _References:
    """Sources numbered in the order first cited; each is printed once at the end."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, source: str) -> int:
        return self.numbers.setdefault(source.strip() or _("not given"), len(self.numbers) + 1)

    def listing(self) -> list[dict[str, Any]]:
        return [{"n": n, "text": text} for text, n in self.numbers.items()]


def _svg_path(fig: Mapping[str, Any]) -> Path:
    svg = Path(fig["abs_png"]).with_suffix(".svg")
    return svg if svg.exists() else Path(fig["abs_png"])


def _release_line(ds: Mapping[str, Any]) -> str:
    """A dataset row as a reader reads it: its title and release date, never its catalogue id."""
    release = str(ds.get("id", "")).partition("@")[2]
    title = str(ds.get("title", ""))
    if release and "release" not in title.lower():
        return _("{title} (release of {release})", title=title, release=release)
    return title


def _span(releases: Sequence[str], one: str, many: str) -> str:
    """'the quarterly files for 2022-q2 to 2023-q4' / 'the file of 2024-03-07' (sorted ids; empty for none).
    Files are not counted as releases: a quarter's file and a dated file can be one publication.
    ``one``/``many``: templates with ``{release}`` / ``{first}`` and ``{last}``, translated here."""
    if not releases:
        return ""
    return _(one, release=releases[0]) if len(releases) == 1 else _(many, first=releases[0], last=releases[-1])


def releases_read(datasets: Sequence[Mapping[str, Any]]) -> list[str]:
    """The upstream releases a briefing reads, as a reader names them, and a count of the tables of
    published figures (typed in from publications, listed in full at the end).

    A publisher with three or more tables read (the NRM comes as several tables a quarter) is one line:
    the publisher (its ``publisher`` field up to the first ';'), how many tables and, where the tables
    name releases, how many releases from which to which; every table stays in the full data list.
    """
    upstream = [d for d in datasets if not d.get("typed")
                and not str(d.get("citation", "")).startswith("typed in from publications")]
    by_publisher: dict[str, list[Mapping[str, Any]]] = {}
    for d in upstream:
        by_publisher.setdefault(str(d.get("publisher") or d.get("id", "")).split(";")[0].strip(), []).append(d)
    lines = []
    for publisher, rows in by_publisher.items():
        if len(rows) < 3:
            lines += [_release_line(d) for d in rows]
            continue
        tables = {str(d.get("id", "")).partition("@")[0] for d in rows}
        releases = sorted({str(d.get("id", "")).partition("@")[2] for d in rows} - {""})
        quarters = [r for r in releases if re.fullmatch(r"\d{4}-q[1-4]", r)]
        dated = [r for r in releases if r not in quarters]
        spans = [s for s in (_span(quarters, N_("the quarterly file for {release}"),
                                   N_("the quarterly files for {first} to {last}")),
                             _span(dated, N_("the file of {release}"), N_("the files of {first} to {last}"))) if s]
        if releases and len(spans) == 2:
            lines.append(_("{publisher}: {n} tables from {span} and {span2}, each listed in the full report",
                           publisher=publisher, n=len(tables), span=spans[0], span2=spans[1]))
        elif releases and spans:
            lines.append(_("{publisher}: {n} tables from {span}, each listed in the full report",
                           publisher=publisher, n=len(tables), span=spans[0]))
        else:
            lines.append(_("{publisher}: {n} tables, each listed in the full report", publisher=publisher,
                           n=len(tables)))
    typed = len(datasets) - len(upstream)
    one = _("and 1 table of figures typed in from publications, each row cited")
    many = _("and {n} tables of figures typed in from publications, each row cited", n=typed)
    return lines + ([one if typed == 1 else many] if typed else [])


def document_data(figures: Sequence[Mapping[str, Any]], *, title: str, generated: dt.datetime,
                  key_findings: Sequence[Any] = (), problems: Sequence[str] = (), brief: Any = None,
                  datasets: Sequence[Mapping[str, Any]] = (), notebooks: Mapping[str, str] | None = None,
                  brief_only: bool = False) -> dict[str, Any]:
    """What the Typst template prints, as plain data (strings, numbers, lists).

    ``figures``: dicts with ``abs_png`` (beside its ``.svg`` and caption ``.json``), ``name``,
    ``title``, ``source``, ``caption_text``; ``notebook`` (stem) when known.
    ``key_findings``: :class:`critique.publish.keyfindings.KeyFinding` in briefing order.
    ``brief``: a :class:`critique.publish.keyfindings.Brief` or None. ``notebooks``: titles by stem.
    """
    notebooks = dict(notebooks or {})
    refs = _References()
    numbered: dict[tuple[str, str], dict[str, Any]] = {}
    fig_rows = []
    for i, fig in enumerate(figures, start=1):
        svg = _svg_path(fig)
        stem = fig.get("notebook") or Path(fig["abs_png"]).parent.parent.name
        row = {"number": i, "label": _("Figure {n}.", n=i), "title": fig.get("title", fig.get("name", "")), "svg": str(svg.resolve()),
               "width": chart_width_cm(svg, MAX_CHART_CM), "text": under_image(fig),
               "ref": refs(fig.get("source", "")), "notebook": notebooks.get(stem, stem)}
        row["source_note"] = _("({notebook}; source [{ref}])", notebook=row["notebook"], ref=row["ref"])
        fig_rows.append(row)
        numbered[(stem, fig.get("name", ""))] = row

    def finding(kf: Any, where: str | None = None) -> dict[str, Any]:
        fig = numbered.get((kf.notebook, kf.chart))
        where = where or (_("figure {n}", n=fig["number"]) if fig else _("not in this document"))
        ref = refs(kf.source)
        return {"sentence": kf.sentence, "scenario": bool(kf.scenario), "chart_title": kf.chart_title,
                "where": where, "ref": ref,
                "ref_line": _("Chart: {chart} ({where}). Source: [{ref}].", chart=kf.chart_title, where=where,
                              ref=ref)}

    brief_data = None
    if brief is not None and brief.headlines:
        charts = []
        for i, kf in enumerate(brief.headlines, start=1):
            fig = numbered.get((kf.notebook, kf.chart))
            if fig is not None:
                svg = Path(fig["svg"])
                charts.append({**fig, "label": _("Headline {n}", n=i), "title": "", "text": "",
                               "width": chart_width_cm(svg, BRIEF_CHART_CM, BRIEF_WIDTH_CM)})
        brief_data = {"about": brief.about,
                      "headlines": [finding(kf, _("headline chart {n}", n=i)) for i, kf in enumerate(brief.headlines, 1)],
                      "charts": charts}
    sections: dict[str, list[dict[str, Any]]] = {}
    for kf in key_findings:
        sections.setdefault(kf.notebook, []).append(finding(kf))
    n_all = sum(len(v) for v in sections.values())
    parts = ([_("the brief")] if brief_data else []) \
        + ([_("{n} findings by notebook", n=n_all)] if n_all else []) \
        + ([_("{n} charts, each with its source, caveats and N", n=len(fig_rows))] if fig_rows else [])
    contents = (_("The brief; the full report is briefing.pdf.") if brief_only else
                _first_upper(_("{items}.", items=_(", then ").join(parts))) if parts else "")
    subtitle = _("Generated {date} by critique-suite. {contents}", date=f"{generated:%Y-%m-%d %H:%M UTC}",
                 contents=contents)
    references = refs.listing()
    if brief_only:  # only the sources the brief cites, with the numbers the full report gives them
        cited = {h["ref"] for h in (brief_data or {}).get("headlines", [])}
        cited |= {c["ref"] for c in (brief_data or {}).get("charts", [])}
        references = [r for r in references if r["n"] in cited]
    return {"title": title, "subtitle": subtitle.strip(), "problems": list(problems), "brief": brief_data,
            "lang": _typst_lang(), "t": chrome(),
            "releases_text": _("{items}.", items=_("; ").join(releases_read(datasets))),
            "releases": releases_read(datasets), "brief_only": brief_only,
            "sections": [{"title": notebooks.get(stem, stem), "findings": rows} for stem, rows in sections.items()],
            "figures": fig_rows, "references": references,
            "datasets": [] if brief_only else [{"title": _release_line(d), "citation": d.get("citation", ""),
                                                "sha256": d.get("sha256", "")} for d in datasets]}


def _typst_lang() -> str:
    """The document's language for Typst (hyphenation, quotes): the reader's language code."""
    from critique.core import i18n

    return i18n.current()


def chrome() -> dict[str, str]:
    """The fixed words the briefing template prints (headings, labels), in the reader's language."""
    return {
        "scenario": _(SCENARIO) + " ", "brief": _("The brief"), "data_read": _("Data read:"),
        "brief_note": _("Every number in these sentences is filled in by the build from the notebook that "
                        "computes it, never typed by hand. Sources are listed at the end of this document."),
        "brief_charts": _("The charts behind the headlines"), "findings": _("All findings, by notebook"),
        "charts": _("Charts"),
        "charts_note": _("Each chart carries its source, release, caveats and N on the image; the text below it "
                         "gives what the image does not show."),
        "sources": _("Sources"),
        "tags": _("Verification tags in a source: [V] checked against a copy of the source (often a secondary "
                  "copy, which is then said); [U] unverified, never shown as established; [D] derived by "
                  "arithmetic shown beside it. \"literature.md\" is the literature notes shipped with "
                  "critique-suite as docs/literature.md."),
        "data_files": _("Data files read")}


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def typeset(target: Path, data: Mapping[str, Any]) -> Path:
    """Compile the briefing template with ``data`` into ``target`` (written atomically).

    Raises ``RuntimeError`` naming the document when Typst refuses it (say, an unreadable SVG).
    """
    return typeset_template(target, "briefing.typ", data)


def typeset_template(target: Path, template_name: str, data: Mapping[str, Any]) -> Path:
    """Compile ``templates/<template_name>`` with ``data`` (read by the template as JSON, never as
    markup) into ``target``, written atomically. Raises ``RuntimeError`` naming the document when
    Typst refuses it."""
    import typst

    template = resources.files("critique.publish") / "templates" / template_name
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".briefing-", dir=target.parent) as tmp:
        data_file = Path(tmp) / "data.json"
        data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        source = Path(tmp) / template_name
        source.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
        out = Path(tmp) / target.name
        try:
            typst.compile(str(source), output=str(out), root="/",
                          sys_inputs={"data": str(data_file.resolve())})
        except Exception as exc:  # typst raises its own TypstError
            raise RuntimeError(f"{target}: Typst could not typeset {template_name} ({exc})") from None
        with atomicio.atomic_file(target) as final:  # whole or not at all; mode from the umask
            os.replace(out, final)
    return target


def chart_pack(target: Path, figures: Sequence[dict[str, Any]], *, title: str,
               generated: dt.datetime, key_findings: Sequence[Any] = (),
               problems: Sequence[str] = (), brief: Any = None,
               datasets: Sequence[Mapping[str, Any]] = (),
               notebooks: Mapping[str, str] | None = None) -> Path:
    """Write the PDF briefing: the brief (if any), the findings by notebook, the charts, the sources.

    When ``brief`` has headlines, the brief alone is also written beside it as ``brief.pdf``
    (at most four pages: tests/test_reports.py). ``problems``: lines printed on the first page
    (failed notebooks, findings that could not be filled). Arguments as :func:`document_data`.
    """
    kwargs = dict(title=title, generated=generated, key_findings=key_findings, problems=problems,
                  brief=brief, datasets=datasets, notebooks=notebooks)
    typeset(target, document_data(figures, **kwargs))
    if brief is not None and brief.headlines:
        typeset(target.with_name("brief.pdf"), document_data(figures, **kwargs, brief_only=True))
    return target
