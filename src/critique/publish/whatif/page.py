"""The parts every what-if page shares: the scenario banner, the page skeleton with Bokeh inlined (no
CDN, no server), a slider kept equal to a spinner, range checks, the source line and the finished run a
page reads its numbers from. Each page module (:mod:`.raid`, :mod:`.detection`, :mod:`.composite`,
:mod:`.mse`) builds its controls and chart and calls :func:`build`; :func:`write` puts a page beside the
report when its notebook has a finished run.
"""
from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from critique.core.atomicio import write_text_atomic
from critique.core.errors import ParameterError
from critique.core.i18n import N_, _

SCENARIO = N_("SCENARIO: illustrative assumptions, not a measurement")
FOLDER = "whatif"

PAGE_JS = """
function fmtInt(x) { return WHATIF_LOCALE === "en" ? Math.round(x).toString().replace(/\\B(?=(\\d{3})+(?!\\d))/g, ",")
  : new Intl.NumberFormat(WHATIF_LOCALE, {maximumFractionDigits: 0}).format(Math.round(x)); }
function fmtFixed(x, d) {  // toFixed in English; the reader's language's decimal mark otherwise
  if (WHATIF_LOCALE === "en") return x.toFixed(d);
  return new Intl.NumberFormat(WHATIF_LOCALE, {minimumFractionDigits: d, maximumFractionDigits: d,
    useGrouping: false}).format(Number(x.toFixed(d)));
}
function fillText(template, values) {  // a translated sentence with {name} placeholders
  return template.replace(/\\{([A-Za-z_]+)\\}/g, (m, k) => (k in values ? String(values[k]) : m));
}
function whatifValues(doc) {
  const v = Object.assign({}, WHATIF_FIXED);
  for (const name of WHATIF_CONTROLS) { const m = doc.get_model_by_name(name);
    v[name] = (m.labels !== undefined) ? m.active === 1 : (m.options !== undefined ? m.value : Number(m.value)); }
  return v;
}
window.whatifRecompute = function () {
  const doc = Bokeh.documents[0], v = whatifValues(doc), r = whatifCompute(v);
  const h = document.getElementById("headline");
  h.textContent = whatifHeadline(v, r); h.dataset.value = r.value;
  const c = whatifCurve(v);
  doc.get_model_by_name("curve").data = {x: c.x, y: c.y};
  doc.get_model_by_name("point").data = {x: c.px, y: c.py};
};
(async function waitForBokeh() {
  const ok = window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("curve");
  if (!ok) { setTimeout(waitForBokeh, 20); return; }
  const doc = Bokeh.documents[0];
  const settle = () => new Promise(resolve => setTimeout(resolve, 50));  // callbacks may run async
  function setControl(k, val) {  // as if a reader moved the control: its change callback recomputes
    if (!WHATIF_CONTROLS.includes(k) || val === undefined) return;
    const m = doc.get_model_by_name(k);
    if (m.labels !== undefined) m.active = (String(val) === "1" || String(val) === "true") ? 1 : 0;
    else if (m.options !== undefined) m.value = String(val); else m.value = Number(val);
  }
  window.whatifRecompute();  // the page's own values first
  let grid = null;
  for (const part of window.location.hash.replace(/^#/, "").split("&")) {  // #name=value&...
    const [k, val] = part.split("=");
    if (k === "grid") grid = JSON.parse(decodeURIComponent(val)); else setControl(k, val);
  }
  await settle();
  if (grid) {  // #grid=[{...}, ...]: set each point's controls in turn and keep each printed headline
    const out = [];
    for (const point of grid) { for (const k in point) setControl(k, point[k]); await settle();
      out.push(document.getElementById("headline").textContent); }
    const pre = document.createElement("pre"); pre.id = "grid-results"; pre.hidden = true;
    pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
  }
  document.body.dataset.ready = "1";
})();
"""

CSS = ("<style>body{font-family:system-ui,sans-serif;margin:0;color:#222} header{position:sticky;top:0;"
       "background:#fff8e1;border-bottom:2px solid #c62828;padding:.5em 1em;z-index:10} .scenario{color:#c62828;"
       "font-weight:700} #headline{font-size:1.6em;font-weight:700;margin:.2em 0} main{padding:0 1em} "
       ".source{font-size:.85em;color:#444} .note{max-width:60em}</style>")


def check(name: str, value: float, low: float, high: float) -> float:
    v = float(value)
    if not (math.isfinite(v) and low <= v <= high):
        raise ParameterError(f"what-if page: {name} must lie in [{low}, {high}], got {value!r}")
    return v


def build(title: str, question: str, controls: Sequence[Any], names: Sequence[str],
          fixed: Mapping[str, Any], figure: Any, js: str, notes: Sequence[str], source: str,
          text: Mapping[str, str] | None = None) -> str:
    """Assemble one page: scenario banner, headline and source in a sticky header, the controls and
    the chart from Bokeh (inline resources), the page script that computes the headline.

    ``text``: the sentence templates the page's script fills (``WHATIF_TEXT``), already in the
    reader's language; the page's language and a draft-translation note follow the active language
    (:mod:`critique.core.i18n`), and the script writes numbers the language's way (``Intl``)."""
    from critique.core import i18n
    from critique.publish import i18n as reader_lang

    from bokeh.embed import components
    from bokeh.layouts import column, row
    from bokeh.models import CustomJS
    from bokeh.resources import INLINE

    callback = CustomJS(code="if (window.whatifRecompute) { window.whatifRecompute(); }")
    for c in controls:
        c.js_on_change("active" if hasattr(c, "labels") else "value", callback)
    lang = reader_lang.html_lang()
    if lang != i18n.DEFAULT:
        _localise(figure, controls, lang)
    script, div = components(row(column(*controls, width=380), figure))
    setup = (f"const WHATIF_FIXED = {json.dumps(dict(fixed))};\n"
             f"const WHATIF_CONTROLS = {json.dumps(list(names))};\n"
             f"const WHATIF_LOCALE = {json.dumps(lang)};\n"
             f"const WHATIF_TEXT = {json.dumps(dict(text or {}), ensure_ascii=False)};\n")
    esc = html.escape
    draft = reader_lang.draft_note_html() if i18n.current() != i18n.DEFAULT else ""
    return "\n".join([
        "<!doctype html>", f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>", CSS + (reader_lang.CSS if draft else ""), INLINE.render(), script,
        "</head><body>",
        f'<header><div class="scenario">{esc(_(SCENARIO))}</div><div>{esc(question)}</div>',
        f'<div id="headline">{esc(_("(computing...)"))}</div>',
        f'<div class="source">{esc(source)}</div></header>',
        f"<main>{draft}{div}", *[f'<p class="note">{esc(n)}</p>' for n in notes], "</main>",
        f"<script>\n{setup}{js}{PAGE_JS}</script>", "</body></html>"])


def _localise(figure: Any, controls: Sequence[Any], lang: str) -> None:
    """A page in another language: tick labels written the language's way (the browser's ``Intl``,
    CLDR data as the rest of the page) and control labels that wrap instead of being cut off (a
    translation is often longer than the English)."""
    from bokeh.models import CustomJSTickFormatter, InlineStyleSheet

    code = f"return new Intl.NumberFormat({json.dumps(lang)}, {{maximumFractionDigits: 6}}).format(tick);"
    for axis in (*figure.xaxis, *figure.yaxis):
        axis.formatter = CustomJSTickFormatter(code=code)
    wrap = InlineStyleSheet(css="label{white-space:normal;overflow:visible;text-overflow:clip}"
                                ".bk-btn{white-space:normal}")
    for c in controls:
        c.stylesheets = [*c.stylesheets, wrap]
        if hasattr(c, "labels") and hasattr(c, "orientation"):
            c.orientation = "vertical"
        if getattr(c, "title", None) and hasattr(c, "width") and c.width and c.width < 360:
            c.width = 360


def slider_spinner(name: str, title: str, value: float, start: float, end: float, step: float,
                    ) -> list[Any]:
    """A slider to drag and a spinner to type into, kept equal; the spinner carries the name."""
    from bokeh.models import Slider, Spinner

    spin = Spinner(title=title, value=value, low=start, high=end, step=step, name=name, width=160)
    slide = Slider(title="", value=value, start=start, end=end, step=step, show_value=False, width=360)
    slide.js_link("value", spin, "value")
    spin.js_link("value", slide, "value")
    return [spin, slide]


def source_line(run: Mapping[str, Any], notebook: str, ids: Sequence[str] | None = None) -> str:
    """'Source: <title> [id, release or sha256 prefix]; ...' for the inputs a run's findings.json
    lists (only ``ids`` when given)."""
    from critique.datasets import catalog, fingerprints

    cat = catalog.load_catalog()
    parts = []
    for item in run.get("inputs", []):
        if ids is not None and item["id"] not in ids:
            continue
        ref = f"{item['id']}@{item['release']}" if item.get("release") else item["id"]
        try:
            title = catalog.get(ref).title if item["id"] in cat else fingerprints.title(item["id"])
        except KeyError:
            title = item["id"]
        rel = (_("release {release}", release=item["release"]) if item.get("release")
               else f"sha256 {item['sha256'][:12]}")
        parts.append(f"{title} [{item['id']}, {rel}]")
    return _("Source: {sources}. Computed by critique-suite, notebook {notebook}.",
             sources="; ".join(parts), notebook=notebook)


def read_run(out_root: Path, stem: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The findings.json of one notebook's run and its parameters with the notebook defaults filled."""
    from critique.datasets import paths
    from critique.publish.parameters import notebook_parameters

    f = out_root / stem / "findings.json"
    if not f.exists():
        return None
    run = json.loads(f.read_text())
    specs = notebook_parameters(paths.notebooks_dir() / f"{stem}.ipynb")
    params = {k: s.default for k, s in specs.items()} | dict(run.get("parameters") or {})
    params["_help"] = {k: s.help for k, s in specs.items()}
    return run, params



def write(out_root: Path, stem: str, filename: str, title: str,
          make: Callable[[dict[str, Any], dict[str, Any]], str | None]) -> list[tuple[str, str]]:
    """Write ``out_root/whatif/<filename>`` from notebook ``stem``'s finished run: ``make(run, params)``
    returns the page's HTML, or None when the run lacks what the page needs. Returns ``[(index title,
    path relative to out_root)]``, empty when nothing was written."""
    found = read_run(out_root, stem)
    if found is None:
        return []
    page = make(*found)
    if page is None:
        return []
    write_text_atomic(out_root / FOLDER / filename, page)
    return [(title, f"{FOLDER}/{filename}")]
