"""The detection-ratio page (notebook 11): a detected sexual-exploitation share and a relative detection
rate r -> the implied true share, ``(s/r) / (s/r + 1 - s)`` (:func:`critique.methods.detection.reweight_shares`
with every other form at rate 1).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from critique.core.errors import ParameterError
from critique.core.i18n import N_, _
from critique.publish.whatif import page

NOTEBOOK = "11-detection-bias"
PAGE = "detection-ratio.html"
TITLE = N_("What if sexual exploitation is detected more readily?")


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


JS = """
function whatifCompute(v) {
  // critique.methods.detection.reweight_shares, two forms: pi = (s / r) / (s / r + 1 - s)
  const s = v.detected / 100, w = s / v.ratio;
  return {value: 100 * w / (w + 1 - s)};
}
function whatifHeadline(v, r) {
  return fillText(WHATIF_TEXT.headline, {share: fmtFixed(r.value, 1), detected: fmtFixed(v.detected, 1),
    ratio: fmtFixed(v.ratio, 2)});
}
function whatifCurve(v) {
  const xs = [], ys = [];
  for (let i = 0; i <= 200; i++) { const r = Math.exp(Math.log(0.25) + i * (Math.log(20) - Math.log(0.25)) / 200);
    xs.push(r); ys.push(whatifCompute(Object.assign({}, v, {ratio: r})).value); }
  return {x: xs, y: ys, px: [v.ratio], py: [whatifCompute(v).value]};
}
"""

def detection_page(inp: DetectionInputs) -> str:
    """The detection-ratio page (HTML text). Raises ParameterError for out-of-range inputs."""
    from bokeh.models import BoxAnnotation, ColumnDataSource, FixedTicker, Span
    from bokeh.plotting import figure

    if not inp.detected_shares:
        raise ParameterError("detection page: no detected shares (notebook 11 detected_se_share)")
    shares = {str(k): page.check(f"detected share {k}", v, 0.1, 99.9) for k, v in inp.detected_shares.items()}
    lo, hi = (page.check("ratio_band", b, 0.25, 20) for b in inp.ratio_band)
    newest = max(shares)
    controls = [
        *page.slider_spinner("detected", _("Detected sexual-exploitation share, % (UNODC editions: "
                                           "{low:.0f}-{high:.0f}%)", low=min(shares.values()),
                                           high=max(shares.values())),
                         shares[newest], 1, 99, 0.5),
        *page.slider_spinner("ratio", _("Relative detection rate r (implied by estimates: {low:.1f}-{high:.1f})",
                                        low=lo, high=hi),
                         page.check("ratio", inp.ratio, 0.25, 20), 0.25, 20, 0.05)]
    src = ColumnDataSource(data={"x": [], "y": []}, name="curve")
    pt = ColumnDataSource(data={"x": [], "y": []}, name="point")
    fig = figure(width=560, height=380, x_axis_type="log", x_range=(0.25, 20), y_range=(0, 100),
                 x_axis_label=_("relative detection rate r (log scale)"), y_axis_label=_("implied true share, %"),
                 title=_("Sexual-exploitation share implied by a detection ratio (scenario)"), tools="")
    fig.add_layout(BoxAnnotation(left=lo, right=hi, fill_color="#c62828", fill_alpha=0.15))
    fig.xaxis.ticker = FixedTicker(ticks=[0.25, 0.5, 1, 2, 3, 5, 10, 20])
    fig.add_layout(Span(location=50, dimension="width", line_dash="dashed", line_color="#555"))
    fig.add_layout(Span(location=1, dimension="height", line_dash="dotted", line_color="#555"))
    fig.line("x", "y", source=src, line_width=2, color="#1f4e79")
    fig.scatter("x", "y", source=pt, size=10, color="#c62828")
    listed = ", ".join(_("{edition}: {share:g}%", edition=k, share=v) for k, v in sorted(shares.items()))
    notes = [
        _("Detected shares by UNODC edition (notebook 11): {listed} (headline shares, read in "
          "secondary sources; grades in notebook 11's table).", listed=listed),
        _("Shaded: the range of r implied by pairing the global estimates with detected data "
          "({n} pairings, notebook 11 section 3). It moves with the choices made and is "
          "partly circular (the estimates lean on detected cases); it is not a measured detection rate.",
          n=inp.ratio_n),
        _("r > 1: sexual exploitation detected more readily than other forms (true share below the "
          "detected one); r = 1 (dotted): no bias. Dashed: half. Model: true share proportional to "
          "detected share / detection rate (critique.methods.detection.reweight_shares).")]
    return page.build(_("What if sexual exploitation is detected more readily? (scenario)"),
                      _("Which true share of sexual exploitation is a detected share consistent with?"),
                      controls, ["detected", "ratio"], {}, fig, JS, notes, inp.source,
                      text={"headline": _("implied true share {share}% (detected {detected}%, r = {ratio})")})


def detection_inputs(run: Mapping[str, Any], params: Mapping[str, Any]) -> DetectionInputs:
    """:class:`DetectionInputs` from notebook 11's findings.json and parameters."""
    f = run["findings"]
    return DetectionInputs(
        detected_shares={str(k): float(v) for k, v in f["detected_se_share"].items()},
        ratio_band=(float(f["implied_ratio_low"]), float(f["implied_ratio_high"])),
        ratio_n=int(f["implied_ratio_n"]), ratio=2.0,
        source=page.source_line(run, NOTEBOOK, ids=("glotip-editions", "global-estimates", "glotip")))


def write_page(out_root: Path) -> list[tuple[str, str]]:
    """Write ``whatif/detection-ratio.html`` when notebook 11's run under ``out_root`` is there."""
    return page.write(out_root, NOTEBOOK, PAGE, _("{title} (scenario, notebook {notebook})", title=_(TITLE),
                                                  notebook=11),
                      lambda run, params: detection_page(detection_inputs(run, params)))
