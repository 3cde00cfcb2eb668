"""HTML of the profiles: the caution box and the index of every profile."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from critique.core.i18n import _
from critique.publish.profiles.cautions import Caution


def caution_box_html(cautions: Sequence[Caution]) -> str:
    """The box as HTML (for the notebook and its HTML page)."""
    import html

    items = "".join(f"<li><b>{html.escape(c.key)}</b>: {html.escape(c.text)}</li>" for c in cautions)
    return ("<div style='border:2px solid #b35900;background:#fff4e6;padding:0.6em 1em;margin:1em 0'>"
            f"<h3 style='margin-top:0'>{html.escape(_('What not to conclude from this page'))}</h3>"
            f"<ul>{items}</ul></div>")


def write_index(root: Path, failures: dict[str, str] | None = None) -> Path:
    """``index.html``: one row per rendered country (name, years reported, latest total, cautions).

    A simpler index than :func:`critique.publish.reports.write_index_and_pack` (which lists every figure
    and expects ``<stem>/<stem>.html``): some 200 countries x 3 figures would bury the links.
    """
    import datetime as dt
    import html
    import json

    from critique.core.i18n import format_locale
    from critique.publish.i18n import html_fill, html_lang

    rows = []
    for folder in sorted(p for p in Path(root).iterdir() if (p / "findings.json").exists()):
        f = json.loads((folder / "findings.json").read_text(encoding="utf-8"))["findings"]
        latest = "-" if f.get("latest_detected") is None else (
            format_locale("{n:,.0f} ({year})", {"n": f["latest_detected"], "year": f["latest_year"]})
            + (" &lt;5" if f.get("latest_suppressed") else ""))
        span = "-" if f.get("first_year") is None else f"{f['first_year']}-{f['last_year']}"
        rows.append(f"<tr><td><a href='{folder.name}/country-profile.html'>{html.escape(str(f.get('country', folder.name)))}</a>"
                    f"</td><td>{folder.name}</td><td>{span}</td><td>{f.get('years_reported', 0)}</td>"
                    f"<td>{latest}</td><td>{html.escape(', '.join(f.get('cautions', [])))}</td></tr>")
    failed = "".join(f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in sorted((failures or {}).items()))
    now = dt.datetime.now(dt.timezone.utc)
    esc = html.escape
    intro = html_fill("{n} countries, built {date}. Figures are victims {detected} and reported to UNODC "
                      "(data_glotip.xlsx, release of 30 May 2023): they measure detection and reporting as much "
                      "as trafficking. Each page carries its own 'what not to conclude' box.", n=str(len(rows)),
                      date=f"{now:%Y-%m-%d %H:%M UTC}", detected=f"<em>{esc(_('detected'))}</em>")
    heads = [_("Country"), "ISO3", _("Years"), _("Years reported"), _("Latest national total"), _("Cautions")]
    page = (f"<!doctype html><html lang='{html_lang()}'><head><meta charset='utf-8'><title>{esc(_('Country profiles'))}</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:0.2em 0.6em;border-bottom:1px solid #ddd;"
            f"text-align:left;font-size:0.9em}}</style></head><body><h1>{esc(_('critique-suite: country profiles'))}</h1>"
            f"<p>{intro}</p>"
            + (f"<h2>{esc(_('Failed'))}</h2><ul>{failed}</ul>" if failed else "")
            + "<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr>" + "".join(rows)
            + "</table></body></html>")
    from critique.core.atomicio import write_text_atomic

    return write_text_atomic(Path(root) / "index.html", page)
