"""HTML for reports: a notebook page without code cells, and the report index."""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any, Sequence


def notebook_html(executed: Path) -> str:
    """An executed notebook as an HTML page with its code cells and prompts removed."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(executed), as_version=4)
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return body


def _esc(text: Any) -> str:
    return html.escape(str(text))


def index_html(
    title: str,
    pages: Sequence[dict[str, Any]],
    datasets: Sequence[dict[str, Any]],
    generated: dt.datetime,
    failures: Sequence[str] = (),
) -> str:
    """The report index: every page and figure with its caption, run date, data editions, checksums.

    ``pages``: ``{"stem", "title", "html", "findings", "figures": [caption dicts with files]}``,
    paths relative to the index. ``datasets``: ``{"id", "title", "citation", "sha256", "verification"}``.
    """
    out = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_esc(title)}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
        "color:#222}figure{display:inline-block;width:46%;margin:1%;vertical-align:top}"
        "img{max-width:100%;border:1px solid #ddd}figcaption{font-size:.8em;color:#444;white-space:pre-line}"
        "table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:.2em .5em}"
        ".fail{color:#a00}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f"<p>Generated {generated.strftime('%Y-%m-%d %H:%M UTC')} by critique-suite. Every figure "
        "carries its source, caveats and N; scenario figures are labelled as scenarios.</p>",
    ]
    if failures:
        out.append('<p class="fail"><strong>Failed in this run (the last good output is kept):</strong> '
                   + ", ".join(_esc(f) for f in failures) + "</p>")
    out.append("<h2>Notebooks</h2><ul>")
    for page in pages:
        out.append(f'<li><a href="{_esc(page["html"])}">{_esc(page["title"])}</a> '
                   f'(<a href="{_esc(page["findings"])}">findings.json</a>, '
                   f'<a href="{_esc(page["ipynb"])}">notebook</a>)</li>')
    out.append("</ul>")
    for page in pages:
        out.append(f'<h2 id="{_esc(page["stem"])}">{_esc(page["title"])}</h2>')
        if not page["figures"]:
            out.append("<p>No figures.</p>")
        for fig in page["figures"]:
            caption = fig.get("caption_text", "")
            out.append(
                f'<figure><a href="{_esc(fig["svg"])}"><img src="{_esc(fig["png"])}" '
                f'alt="{_esc(caption)}"></a><figcaption>{_esc(caption)}</figcaption>'
                f'<a href="{_esc(fig["txt"])}">caption</a></figure>')
    out.append("<h2>Data used</h2><table><tr><th>id</th><th>title / citation</th><th>sha256</th></tr>")
    for ds in datasets:
        out.append(f"<tr><td>{_esc(ds['id'])}</td><td>{_esc(ds.get('title', ''))}<br>"
                   f"<small>{_esc(ds.get('citation', ''))}</small></td>"
                   f"<td><code>{_esc(ds['sha256'])}</code></td></tr>")
    out.append("</table></body></html>")
    return "\n".join(out)
