"""HTML for reports: a reader's page for each notebook, and the report index that opens the briefing.

A notebook page shows what a reader needs (the narrative, figures with captions, formatted tables,
sentences the notebook prints) and nothing a developer left behind: no code, no prompts, no bare
Python values echoed at the end of a cell, and the notebook's list of findings keys moved into a
collapsed section at the end. The index opens with the key findings (see
:mod:`critique.publish.keyfindings`), marks any page that failed in this run, then lists the pages,
every figure with its caption, and the data used with checksums.
"""
from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any, Sequence

from critique.core.i18n import _

# Markdown paragraphs that document the findings.json interface: for developers, not readers.
DEVELOPER_PARAGRAPH = re.compile(r"^\s*(\*\*)?(findings keys|findings recorded|findings \(|key findings recorded)",
                                 re.IGNORECASE)
TEMPLATES = Path(__file__).with_name("templates")  # reader/: the nbconvert template of the pages


def _split_developer_notes(nb: Any) -> list[str]:
    """Remove findings-keys paragraphs from markdown cells; return them (Markdown text)."""
    removed: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraphs = re.split(r"\n\s*\n", cell.source)
        keep = []
        taking = False  # a developer paragraph takes the table right after it ("**Findings keys**:" + table)
        for para in paragraphs:
            taking = bool(DEVELOPER_PARAGRAPH.match(para)) or (taking and para.lstrip().startswith("|"))
            if taking and not DEVELOPER_PARAGRAPH.match(para):
                removed[-1] = removed[-1] + "\n\n" + para
            else:
                (removed if taking else keep).append(para)
        cell.source = "\n\n".join(keep)
    return removed


def _is_stray(output: Any) -> bool:
    """A value echoed at the end of a cell with no rich form (``38.0``, ``{'a': 1}``, a repr), or
    anything a cell wrote to stderr (warnings carry the build machine's paths): not for readers."""
    if output.get("output_type") == "stream" and output.get("name") == "stderr":
        return True
    if output.get("output_type") != "execute_result":
        return False
    return set(output.get("data", {})) <= {"text/plain"}


def reader_notebook(nb: Any) -> tuple[Any, list[str]]:
    """A copy of an executed notebook fit for readers, and the developer notes taken out of it."""
    nb = copy.deepcopy(nb)
    notes = _split_developer_notes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not _is_stray(o)]
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and not c.source.strip())]
    return nb, notes


def _developer_section(notes: Sequence[str], findings_file: Path | None) -> str:
    from nbconvert.filters.markdown import markdown2html

    parts = [markdown2html(n) for n in notes]
    if findings_file is not None and findings_file.exists():
        found = json.loads(findings_file.read_text(encoding="utf-8")).get("findings", {})
        rows = "".join(f"<tr><td><code>{_esc(k)}</code></td><td>{_esc(_short(v))}</td></tr>"
                       for k, v in found.items())
        from critique.publish.i18n import html_fill

        parts.append("<p>" + html_fill("Recorded in {file}:", file='<a href="findings.json">findings.json</a>')
                     + "</p>"
                     f'<table class="reader-table"><tr><th>{_esc(_("key"))}</th><th>{_esc(_("value"))}</th></tr>{rows}</table>')
    if not parts:
        return ""
    return ('<details class="developer"><summary>' + _esc(_("For developers: findings keys of this notebook"))
            + "</summary>" + "".join(parts) + "</details>")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def notebook_html(executed: Path, findings_file: Path | None = None) -> str:
    """An executed notebook as a reader's HTML page: no code, no prompts, no stray values,
    formatted tables, and the findings keys collapsed at the end."""
    import nbformat
    from nbconvert import HTMLExporter

    nb, notes = reader_notebook(nbformat.read(str(executed), as_version=4))
    exporter = HTMLExporter(template_name="reader", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _resources = exporter.from_notebook_node(nb, resources={"sources_note": sources_note_html()})
    findings_file = findings_file or executed.parent / "findings.json"
    extra = _developer_section(notes, findings_file)
    if "</main>" in body:
        return body.replace("</main>", extra + "</main>", 1)
    return body.replace("</body>", extra + "</body>", 1)


def sources_note_html() -> str:
    """The note at the foot of every notebook page on the literature notes and their tags, in the
    reader's language."""
    from critique.publish.i18n import html_fill

    return ("<p><strong>" + _esc(_("About the sources.")) + "</strong> "
            + html_fill("\"literature.md §N\" refers to the literature notes shipped with critique-suite as "
                        "{file}; each names the document a figure comes from. Their tags: {v} checked against a "
                        "copy of the source (often a secondary copy, which is then said); {u} unverified, never "
                        "shown as established; {d} derived by arithmetic shown beside it. Prefer the publisher's "
                        "own document when quoting a figure.", file="<code>docs/literature.md</code>",
                        v="<strong>[V]</strong>", u="<strong>[U]</strong>", d="<strong>[D]</strong>") + "</p>")


def _esc(text: Any) -> str:
    return html.escape(str(text))


INDEX_CSS = (
    "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
    "color:#222;line-height:1.45}figure{display:inline-block;width:46%;margin:1%;vertical-align:top}"
    "img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.8em;color:#444;white-space:pre-line}"
    "table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:.2em .5em}"
    ".fail,.failed-page{color:#a00}.failed-page{border-left:4px solid #a00;padding-left:.6em}"
    "ol.key-findings li{margin:.5em 0}.kf-ref{display:block;font-size:.82em;color:#555}"
    ".scenario-label{font-weight:bold;color:#7a1f00}.figure-links{font-size:.8em}"
    ".brief{border:1px solid #ccc;padding:.3em 1.2em 1em;background:#fafafa}"
    "ol.headlines li{margin:1em 0}ol.headlines img{display:block;max-width:560px;margin-top:.4em}"
    "ol.references{font-size:.85em}</style>"
)


def _brief_html(brief: Any, pages: Sequence[dict[str, Any]], datasets: Sequence[dict[str, Any]],
                refs: dict[str, int]) -> list[str]:
    """The opening brief: what the briefing is, the releases it reads, the headlines with their charts."""
    if brief is None or not brief.headlines:
        return []
    from critique.publish.pdf import releases_read

    pngs = {(p["stem"], f["name"]): f for p in pages for f in p.get("figures", [])}
    out = [f'<section id="brief" class="brief"><h2>{_esc(_("The brief"))}</h2>']
    if brief.about:
        out.append(f"<p>{_esc(brief.about)}</p>")
    if datasets:
        out.append(f"<p class=\"releases\"><strong>{_esc(_('Data read:'))}</strong> "
                   + _esc(_("{items}.", items=_("; ").join(releases_read(datasets)))) + "</p>")
    out.append('<ol class="headlines">')
    for kf in brief.headlines:
        fig = pngs.get((kf.notebook, kf.chart))
        img = (f'<a href="{_esc(fig["svg"])}"><img src="{_esc(fig["png"])}" alt="{_esc(kf.chart_title)}"></a>'
               if fig else "")
        out.append(f"<li>{_scenario(kf)}{_esc(kf.sentence)}{_kf_ref(kf, refs)}{img}</li>")
    out.append("</ol><p class=\"kf-ref\">" + _esc(_("Every number in these sentences is filled in by the build "
               "from the notebook that computes it, never typed by hand. The full findings follow.")) + "</p></section>")
    return out


def _scenario(kf: Any) -> str:
    return (f'<span class="scenario-label">{_esc(_("Scenario (assumptions, not a measurement):"))}</span> '
            if kf.scenario else "")


def _kf_ref(kf: Any, refs: dict[str, int]) -> str:
    n = refs.setdefault(kf.source.strip() or _("not given"), len(refs) + 1)
    chart = f'<a href="{_esc(kf.png)}">{_esc(kf.chart_title)}</a>' if kf.png else _esc(kf.chart_title)
    from critique.publish.i18n import html_fill

    return ('<span class="kf-ref">' + html_fill("Chart: {chart}. Source: {ref}", chart=chart,
                                                ref=f'<a href="#ref-{n}">[{n}]</a>') + "</span>")


def _key_findings_html(pages: Sequence[dict[str, Any]], refs: dict[str, int]) -> list[str]:
    out = [f'<section id="key-findings"><h2>{_esc(_("All findings, by notebook"))}</h2>',
           "<p>" + _esc(_("Each sentence is filled from the notebook's findings file, never typed by hand, and "
                          "names the chart it comes from; sources are numbered and listed once at the end. "
                          "Scenarios are labelled.")) + "</p>"]
    for page in pages:
        if not page.get("key_findings"):
            continue
        out.append(f'<h3><a href="#{_esc(page["stem"])}">{_esc(page["title"])}</a></h3><ul class="key-findings">')
        out += [f"<li>{_scenario(kf)}{_esc(kf.sentence)}{_kf_ref(kf, refs)}</li>" for kf in page["key_findings"]]
        out.append("</ul>")
    errors = [e for page in pages for e in page.get("key_errors", [])]
    if errors:
        out.append(f'<p class="fail"><strong>{_esc(_("Key findings that could not be filled:"))}</strong></p><ul class="fail">'
                   + "".join(f"<li>{_esc(e)}</li>" for e in errors) + "</ul>")
    out.append("</section>")
    return out


def _references_html(refs: dict[str, int]) -> list[str]:
    if not refs:
        return []
    return ([f'<section id="sources"><h2>{_esc(_("Sources of the findings"))}</h2>',
             "<p>" + _esc(_("Verification tags in a source line: [V] checked against a copy of the source (often "
                            "a secondary copy, which is then said); [U] unverified, never shown as established; "
                            "[D] derived by arithmetic shown beside it. \"literature.md\" is the literature "
                            "notes shipped with critique-suite as docs/literature.md.")) + "</p>",
             '<ol class="references">']
            + [f'<li id="ref-{n}" value="{n}">{_esc(text)}</li>' for text, n in refs.items()]
            + ["</ol></section>"])


def _page_item(page: dict[str, Any]) -> str:
    title = _esc(page["title"])
    if page.get("has_output", True):
        links = (f'<a href="{_esc(page["html"])}">{title}</a> (<a href="{_esc(page["findings"])}">findings.json</a>, '
                 f'<a href="{_esc(page["ipynb"])}">{_esc(_("notebook"))}</a>)')
    else:
        links = f"{title} ({_esc(_('no good output yet'))})"
    problems = ([_("FAILED in this run: {error}", error=page['failed'])] if page.get("failed") else []) + \
        [_("key finding not filled: {error}", error=e) for e in page.get("key_errors", [])]
    if not problems:
        return f"<li>{links}</li>"
    kept = ("; " + _("the page shown is the last good output") if page.get("has_output", True) else "")
    partial = (f' (<a href="{_esc(page["failed_notebook"])}">{_esc(_("partial notebook"))}</a>)'
               if page.get("failed_notebook") else "")
    return (f'<li class="failed-page">{links}<br><strong>{_esc("; ".join(problems))}</strong>'
            f"{_esc(kept)}{partial}</li>")


def _link(href: str, text: str) -> str:
    return f'<a href="{_esc(href)}">{_esc(text)}</a>'


def index_html(
    title: str,
    pages: Sequence[dict[str, Any]],
    datasets: Sequence[dict[str, Any]],
    generated: dt.datetime,
    failures: Sequence[str] = (),
    brief: Any = None,
    whatif: Sequence[tuple[str, str]] = (),
    workbook: str | None = None,
) -> str:
    """The report index: key findings first, then the pages (failed ones marked), every figure with
    its caption, and the data editions with checksums.

    ``pages``: dicts from :func:`critique.publish.reports._page_entries` (``stem``, ``title``, ``html``,
    ``findings``, ``figures``, ``key_findings``, ``key_errors``, ``failed``, ``has_output``), paths
    relative to the index. ``datasets``: ``{"id", "title", "citation", "sha256"}``.
    ``failures``: extra names of failed notebooks not among ``pages`` (older callers).
    ``workbook``: the Excel workbook of every chart's data (:mod:`critique.publish.workbook`), if written.
    """
    failed_pages = [p for p in pages if p.get("failed") or p.get("key_errors")]
    from critique.core.locale_format import datetime_utc
    from critique.publish import i18n as reader_lang

    out = ["<!doctype html>", f'<html lang="{reader_lang.html_lang()}"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_esc(title)}</title>", INDEX_CSS + reader_lang.CSS, "</head><body>", f"<h1>{_esc(title)}</h1>"]
    from critique.publish import summary

    out += summary.opening(pages)  # the draft-translation note and the community summary
    out.append("<p>" + _esc(_("Generated {date} by critique-suite. Every figure carries its source, caveats and N; "
                              "scenario figures are labelled as scenarios.", date=datetime_utc(generated))) + " "
               + (f'<a href="brief.pdf">{_esc(_("The brief (PDF)"))}</a> · ' if brief is not None and brief.headlines else "")
               + f'<a href="briefing.pdf">{_esc(_("The full briefing (PDF)"))}</a>'
               + (" · " + _link(workbook, _("Every chart's data in one Excel workbook")) + " "
                  + _esc(_("(a sheet a chart, and a sheet of sources)")) if workbook else "") + ".</p>")
    if failed_pages or failures:
        names = [p["stem"] for p in failed_pages] + [f for f in failures if f not in {p["stem"] for p in pages}]
        out.append(f'<p class="fail"><strong>{_esc(_("Failed in this run (the last good output is kept):"))}</strong> '
                   + ", ".join(f'<a href="#{_esc(n)}">{_esc(n)}</a>' for n in names) + "</p>")
    refs: dict[str, int] = {}
    out += _brief_html(brief, pages, datasets, refs)
    out += _key_findings_html(pages, refs)
    if whatif:  # (title, relative path) from critique.publish.whatif.write_pages
        out.append(f"<h2>{_esc(_('What-if pages (scenarios; open offline)'))}</h2><ul>"
                   + "".join(f'<li><a href="{_esc(h)}">{_esc(t)}</a></li>' for t, h in whatif) + "</ul>")
    out.append(f"<h2>{_esc(_('Notebooks'))}</h2><ul>")
    out += [_page_item(page) for page in pages]
    out.append("</ul>")
    for page in pages:
        cls = ' class="failed-page"' if page.get("failed") or page.get("key_errors") else ""
        out.append(f'<h2 id="{_esc(page["stem"])}"{cls}>{_esc(page["title"])}</h2>')
        if page.get("failed"):
            out.append(f'<p class="failed-page">{_esc(_("FAILED in this run: {error}", error=page["failed"]))}</p>')
        if not page.get("figures"):
            out.append(f"<p>{_esc(_('No figures.'))}</p>")
        for fig in page.get("figures", []):
            caption = fig.get("caption_text", "")
            csv = f' · <a href="{_esc(fig["csv"])}">{_esc(_("data (CSV)"))}</a>' if fig.get("csv") else ""
            out.append(
                f'<figure><a href="{_esc(fig["svg"])}"><img src="{_esc(fig["png"])}" '
                f'alt="{_esc(caption)}"></a><figcaption>{_esc(caption)}</figcaption>'
                f'<span class="figure-links"><a href="{_esc(fig["txt"])}">{_esc(_("caption"))}</a>{csv}</span></figure>')
    out.append(f"<h2>{_esc(_('Data used'))}</h2><table><tr><th>id</th><th>{_esc(_('title / citation'))}</th>"
               "<th>sha256</th></tr>")
    for ds in datasets:
        out.append(f"<tr><td>{_esc(ds['id'])}</td><td>{_esc(ds.get('title', ''))}<br>"
                   f"<small>{_esc(ds.get('citation', ''))}</small></td>"
                   f"<td><code>{_esc(ds['sha256'])}</code></td></tr>")
    out.append("</table>")
    out += _references_html(refs)
    out.append("</body></html>")
    return "\n".join(out)
