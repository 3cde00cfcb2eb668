"""What-if pages: self-contained HTML pages on which a workshop moves an assumption and watches the
headline and its chart move, from ``file://`` with no network and no Python (issue #27).

Pages (each a SCENARIO, labelled so at the top of the page, which stays in view while scrolling):

- ``raid-misidentification.html`` (notebook 20): raid share x raid false-positive rate (and the
  false-positive rate outside raids, labour victims in or out of the base) -> the TIP "victims
  identified" count that would remain. Closed form :func:`critique.methods.misid.remaining_fraction`
  (literature.md 8c [D]).
- ``detection-ratio.html`` (notebook 11): a detected sexual-exploitation share and a relative
  detection rate r -> the implied true share, ``(s/r) / (s/r + 1 - s)``
  (:func:`critique.methods.detection.reweight_shares` with every other form at rate 1).
- ``composite-weights.html`` (notebook 32; :mod:`critique.publish.whatif_composite`): the weight of
  each indicator -> a country's rank on the composite (:mod:`critique.methods.scorecards.composite`).
- ``mse-false-positives.html`` (notebook 40; :mod:`critique.publish.whatif_mse`): people added to
  or removed from one list-only cell -> the MSE total, looked up in the grid
  :func:`critique.methods.mse.sensitivity.false_positives` computed (no arithmetic in the page).

The numbers come from a finished run: :func:`write_pages` reads the notebooks' ``findings.json``
(counts, the evidence-based ranges, the inputs and their releases) and the notebooks' parameter
defaults, so a page shows the same run as the briefing beside it.

**Why Bokeh standalone.** Bokeh (``bokeh.embed.components`` with ``bokeh.resources.INLINE``) writes
its whole JavaScript library into the page, so the page needs no CDN and no server; its widgets
(sliders, spinners, buttons) and ``CustomJS`` callbacks run in the browser alone. It is a NumFOCUS
project, released regularly, and on PyPI and conda-forge. Altair/Vega-Lite can inline its assets too,
but a derived headline sentence and linked number inputs are more direct with Bokeh widgets.

Where the page computes, its arithmetic is the package's closed form ported to JavaScript (``*_JS``
below, in a plain function ``whatifCompute``), so it can be tested against the Python function:
``tests/test_whatif.py`` loads each page in headless Chromium with control values given in the URL
hash (``#raid_share=0.3&fpr=0.5``; the page sets its controls from it, which runs the same callback
as moving a control) and compares the printed headline with the package's value, printed alike;
one test also types into a control through the Chrome DevTools protocol.
"""
from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from critique.core.errors import ParameterError

SCENARIO = "SCENARIO: illustrative assumptions, not a measurement"
RAID_NOTEBOOK = "20-raids-misidentification"
DETECTION_NOTEBOOK = "11-detection-bias"
PAGES = {"raid": "raid-misidentification.html", "detection": "detection-ratio.html"}
FOLDER = "whatif"


@dataclass(frozen=True)
class RaidInputs:
    """What the raid page needs. Counts are people; rates are fractions in [0, 1].

    ``fpr_band``: the evidence-based central interval of the raid false-positive rate (notebook 20's
    ``fpr_prior_low``/``fpr_prior_high``) at ``fpr_level``; ``raid_share``: the notebook's value and
    ``raid_share_note`` where it comes from; ``source``: the source line (datasets and releases).
    """

    year: int
    identified: float
    labour_identified: float
    fpr_mean: float
    fpr_band: tuple[float, float]
    fpr_level: float
    raid_share: float
    raid_share_note: str
    other_fpr: float
    source: str
    fpr_rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class DetectionInputs:
    """What the detection page needs. ``detected_shares``: {UNODC edition: detected
    sexual-exploitation share, %}; ``ratio_band``: the range of ratios implied by pairing global
    estimates with detected data (notebook 11, ``implied_ratio_low``/``_high``, ``ratio_n`` pairings);
    ``source``: the source line."""

    detected_shares: Mapping[str, float]
    ratio_band: tuple[float, float]
    ratio_n: int
    ratio: float
    source: str


RAID_JS = """
function whatifCompute(v) {
  // critique.methods.misid.remaining_fraction: l + (1 - l) * (1 - rs * f - (1 - rs) * o)
  const l = v.labour_at_face_value ? v.labour_identified / v.identified : 0.0;
  const frac = l + (1 - l) * (1 - v.raid_share * v.fpr - (1 - v.raid_share) * v.other_fpr);
  return {value: v.identified * frac, fraction: frac};
}
function whatifHeadline(v, r) {
  return fmtInt(r.value) + " of " + fmtInt(v.identified) + " would remain (" + (100 * r.fraction).toFixed(1) + "%)";
}
function whatifCurve(v) {
  const xs = [], ys = [];
  for (let i = 0; i <= 100; i++) { const f = i / 100; xs.push(f);
    ys.push(whatifCompute(Object.assign({}, v, {fpr: f})).value); }
  return {x: xs, y: ys, px: [v.fpr], py: [whatifCompute(v).value]};
}
"""

DETECTION_JS = """
function whatifCompute(v) {
  // critique.methods.detection.reweight_shares, two forms: pi = (s / r) / (s / r + 1 - s)
  const s = v.detected / 100, w = s / v.ratio;
  return {value: 100 * w / (w + 1 - s)};
}
function whatifHeadline(v, r) {
  return "implied true share " + r.value.toFixed(1) + "% (detected " + v.detected.toFixed(1) + "%, r = " + v.ratio.toFixed(2) + ")";
}
function whatifCurve(v) {
  const xs = [], ys = [];
  for (let i = 0; i <= 200; i++) { const r = Math.exp(Math.log(0.25) + i * (Math.log(20) - Math.log(0.25)) / 200);
    xs.push(r); ys.push(whatifCompute(Object.assign({}, v, {ratio: r})).value); }
  return {x: xs, y: ys, px: [v.ratio], py: [whatifCompute(v).value]};
}
"""

PAGE_JS = """
function fmtInt(x) { return Math.round(x).toString().replace(/\\B(?=(\\d{3})+(?!\\d))/g, ","); }
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


def _check(name: str, value: float, low: float, high: float) -> float:
    v = float(value)
    if not (math.isfinite(v) and low <= v <= high):
        raise ParameterError(f"what-if page: {name} must lie in [{low}, {high}], got {value!r}")
    return v


def _page(title: str, question: str, controls: Sequence[Any], names: Sequence[str],
          fixed: Mapping[str, Any], figure: Any, js: str, notes: Sequence[str], source: str) -> str:
    """Assemble one page: scenario banner, headline and source in a sticky header, the controls and
    the chart from Bokeh (inline resources), the page script that computes the headline."""
    from bokeh.embed import components
    from bokeh.layouts import column, row
    from bokeh.models import CustomJS
    from bokeh.resources import INLINE

    callback = CustomJS(code="if (window.whatifRecompute) { window.whatifRecompute(); }")
    for c in controls:
        c.js_on_change("active" if hasattr(c, "labels") else "value", callback)
    script, div = components(row(column(*controls, width=380), figure))
    setup = (f"const WHATIF_FIXED = {json.dumps(dict(fixed))};\n"
             f"const WHATIF_CONTROLS = {json.dumps(list(names))};\n")
    esc = html.escape
    return "\n".join([
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title>", CSS, INLINE.render(), script, "</head><body>",
        f'<header><div class="scenario">{esc(SCENARIO)}</div><div>{esc(question)}</div>',
        '<div id="headline">(computing...)</div>',
        f'<div class="source">{esc(source)}</div></header>',
        f"<main>{div}", *[f'<p class="note">{esc(n)}</p>' for n in notes], "</main>",
        f"<script>\n{setup}{js}{PAGE_JS}</script>", "</body></html>"])


def _slider_spinner(name: str, title: str, value: float, start: float, end: float, step: float,
                    ) -> list[Any]:
    """A slider to drag and a spinner to type into, kept equal; the spinner carries the name."""
    from bokeh.models import Slider, Spinner

    spin = Spinner(title=title, value=value, low=start, high=end, step=step, name=name, width=160)
    slide = Slider(title="", value=value, start=start, end=end, step=step, show_value=False, width=360)
    slide.js_link("value", spin, "value")
    spin.js_link("value", slide, "value")
    return [spin, slide]


def raid_page(inp: RaidInputs) -> str:
    """The raid misidentification page (HTML text). Raises ParameterError for out-of-range inputs."""
    from bokeh.models import BoxAnnotation, ColumnDataSource, NumeralTickFormatter, RadioButtonGroup, Span
    from bokeh.plotting import figure

    if not (inp.identified > 0 and 0 <= inp.labour_identified <= inp.identified):
        raise ParameterError(f"raid page: identified ({inp.identified}) must be > 0 and labour "
                             f"identified ({inp.labour_identified}) between 0 and it")
    lo, hi = (_check("fpr_band", b, 0, 1) for b in inp.fpr_band)
    for name in ("raid_share", "other_fpr", "fpr_mean"):
        _check(name, getattr(inp, name), 0, 1)
    band = (f"{inp.fpr_level:.0%} evidence range {lo:.2f}-{hi:.2f}" if inp.fpr_rows
            else f"fixed rate {lo:.2f}, no evidence row")
    controls = [
        *_slider_spinner("raid_share", f"Share of identifications from raids (notebook value "
                         f"{inp.raid_share:.2f}, a proxy)", inp.raid_share, 0, 1, 0.01),
        *_slider_spinner("fpr", f"Raid false-positive rate ({band})", round(inp.fpr_mean, 2),
                         0, 1, 0.01),
        *_slider_spinner("other_fpr", "False-positive rate outside raids (0: face value)",
                         inp.other_fpr, 0, 1, 0.01),
        RadioButtonGroup(labels=["labour victims in the base", "labour victims at face value"],
                         active=0, name="labour_at_face_value", width=360)]
    src = ColumnDataSource(data={"x": [], "y": []}, name="curve")
    pt = ColumnDataSource(data={"x": [], "y": []}, name="point")
    fig = figure(width=560, height=380, x_range=(0, 1), y_range=(0, inp.identified * 1.05),
                 x_axis_label="raid false-positive rate", y_axis_label="count that would remain",
                 title=f"TIP 'victims identified', data year {inp.year} (scenario)", tools="")
    fig.add_layout(BoxAnnotation(left=lo, right=hi, fill_color="#c62828", fill_alpha=0.15))
    fig.yaxis.formatter = NumeralTickFormatter(format="0,0")
    fig.add_layout(Span(location=inp.identified, dimension="width", line_dash="dashed",
                        line_color="#555"))
    fig.line("x", "y", source=src, line_width=2, color="#1f4e79")
    fig.scatter("x", "y", source=pt, size=10, color="#c62828")
    rows = ", ".join(inp.fpr_rows) or "none"
    notes = [
        f"Shaded: the raid false-positive rate used in notebook 20, section 2 ({band}; evidence "
        f"rows: {rows}). The rows are small local studies, none a sample of any country's "
        f"identified victims. The control starts at the rate's mean, {inp.fpr_mean:.4f}, rounded to "
        f"{round(inp.fpr_mean, 2):.2f}, so its count can differ slightly from notebook 20's. "
        "Dashed: the published count.",
        f"Raid share: {inp.raid_share_note}. Neither the raid share nor the rate outside raids has "
        "an evidence-based range; their controls start at the notebook's values.",
        "remaining = identified x (l + (1 - l) x (1 - raid share x fpr - (1 - raid share) x "
        "other fpr)), l = labour share when labour victims are taken at face value, else 0 "
        "(critique.methods.misid.remaining_fraction; literature.md 8c). It removes people only; it adds "
        "no undetected victims, so it is not an estimate of how many victims exist."]
    fixed = {"identified": inp.identified, "labour_identified": inp.labour_identified}
    names = ["raid_share", "fpr", "other_fpr", "labour_at_face_value"]
    return _page("What if raids mislabel people? (scenario)",
                 f"How many of the {inp.identified:,.0f} TIP 'victims identified' in data year {inp.year} "
                 f"({inp.labour_identified:,.0f} of them labour victims) would remain?",
                 controls, names, fixed, fig, RAID_JS, notes, inp.source)


def detection_page(inp: DetectionInputs) -> str:
    """The detection-ratio page (HTML text). Raises ParameterError for out-of-range inputs."""
    from bokeh.models import BoxAnnotation, ColumnDataSource, FixedTicker, Span
    from bokeh.plotting import figure

    if not inp.detected_shares:
        raise ParameterError("detection page: no detected shares (notebook 11 detected_se_share)")
    shares = {str(k): _check(f"detected share {k}", v, 0.1, 99.9) for k, v in inp.detected_shares.items()}
    lo, hi = (_check("ratio_band", b, 0.25, 20) for b in inp.ratio_band)
    newest = max(shares)
    ends = f"{min(shares.values()):.0f}-{max(shares.values()):.0f}%"
    controls = [
        *_slider_spinner("detected", f"Detected sexual-exploitation share, % (UNODC editions: {ends})",
                         shares[newest], 1, 99, 0.5),
        *_slider_spinner("ratio", f"Relative detection rate r (implied by estimates: {lo:.1f}-{hi:.1f})",
                         _check("ratio", inp.ratio, 0.25, 20), 0.25, 20, 0.05)]
    src = ColumnDataSource(data={"x": [], "y": []}, name="curve")
    pt = ColumnDataSource(data={"x": [], "y": []}, name="point")
    fig = figure(width=560, height=380, x_axis_type="log", x_range=(0.25, 20), y_range=(0, 100),
                 x_axis_label="relative detection rate r (log scale)", y_axis_label="implied true share, %",
                 title="Sexual-exploitation share implied by a detection ratio (scenario)", tools="")
    fig.add_layout(BoxAnnotation(left=lo, right=hi, fill_color="#c62828", fill_alpha=0.15))
    fig.xaxis.ticker = FixedTicker(ticks=[0.25, 0.5, 1, 2, 3, 5, 10, 20])
    fig.add_layout(Span(location=50, dimension="width", line_dash="dashed", line_color="#555"))
    fig.add_layout(Span(location=1, dimension="height", line_dash="dotted", line_color="#555"))
    fig.line("x", "y", source=src, line_width=2, color="#1f4e79")
    fig.scatter("x", "y", source=pt, size=10, color="#c62828")
    listed = ", ".join(f"{k}: {v:g}%" for k, v in sorted(shares.items()))
    notes = [
        f"Detected shares by UNODC edition (notebook 11): {listed} (headline shares, read in "
        "secondary sources; grades in notebook 11's table).",
        f"Shaded: the range of r implied by pairing the global estimates with detected data "
        f"({inp.ratio_n} pairings, notebook 11 section 3). It moves with the choices made and is "
        "partly circular (the estimates lean on detected cases); it is not a measured detection rate.",
        "r > 1: sexual exploitation detected more readily than other forms (true share below the "
        "detected one); r = 1 (dotted): no bias. Dashed: half. Model: true share proportional to "
        "detected share / detection rate (critique.methods.detection.reweight_shares)."]
    return _page("What if sexual exploitation is detected more readily? (scenario)",
                 "Which true share of sexual exploitation is a detected share consistent with?",
                 controls, ["detected", "ratio"], {}, fig, DETECTION_JS, notes, inp.source)


# ----------------------------------------------------------------------------------------------
# inputs from a finished run, and the pages written beside it

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
        rel = f"release {item['release']}" if item.get("release") else f"sha256 {item['sha256'][:12]}"
        parts.append(f"{title} [{item['id']}, {rel}]")
    return f"Source: {'; '.join(parts)}. Computed by critique-suite, notebook {notebook}."


def _run(out_root: Path, stem: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
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


def raid_inputs(run: Mapping[str, Any], params: Mapping[str, Any]) -> RaidInputs:
    """:class:`RaidInputs` from notebook 20's findings.json and parameters (KeyError names a key)."""
    f = run["findings"]
    help_text = params.get("_help", {}).get("raid_share", "")
    return RaidInputs(
        year=int(f["sweep_year"]), identified=float(f["sweep_identified"]),
        labour_identified=float(f["sweep_labour_identified"]), fpr_mean=float(f["fpr_prior_mean"]),
        fpr_band=(float(f["fpr_prior_low"]), float(f["fpr_prior_high"])),
        fpr_level=float(params["interval_level"]), raid_share=float(params["raid_share"]),
        raid_share_note=help_text.split("; range:")[0] or "notebook parameter raid_share",
        other_fpr=float(params["other_false_positive_rate"]),
        fpr_rows=tuple(f.get("fpr_rows_used") or ()),
        source=source_line(run, RAID_NOTEBOOK, ids=("tip-law-enforcement", "raid-outcomes")))


def detection_inputs(run: Mapping[str, Any], params: Mapping[str, Any]) -> DetectionInputs:
    """:class:`DetectionInputs` from notebook 11's findings.json and parameters."""
    f = run["findings"]
    return DetectionInputs(
        detected_shares={str(k): float(v) for k, v in f["detected_se_share"].items()},
        ratio_band=(float(f["implied_ratio_low"]), float(f["implied_ratio_high"])),
        ratio_n=int(f["implied_ratio_n"]), ratio=2.0,
        source=source_line(run, DETECTION_NOTEBOOK, ids=("glotip-editions", "global-estimates", "glotip")))
