"""The raid misidentification page (notebook 20): raid share x raid false-positive rate (and the rate
outside raids, labour victims in or out of the base) -> the TIP "victims identified" count that would
remain. Closed form :func:`critique.methods.misid.remaining_fraction` (literature.md 8c [D]).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from critique.core.errors import ParameterError
from critique.core.i18n import N_, _
from critique.publish.whatif import page

NOTEBOOK = "20-raids-misidentification"
PAGE = "raid-misidentification.html"
TITLE = N_("What if raids mislabel people?")


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


JS = """
function whatifCompute(v) {
  // critique.methods.misid.remaining_fraction: l + (1 - l) * (1 - rs * f - (1 - rs) * o)
  const l = v.labour_at_face_value ? v.labour_identified / v.identified : 0.0;
  const frac = l + (1 - l) * (1 - v.raid_share * v.fpr - (1 - v.raid_share) * v.other_fpr);
  return {value: v.identified * frac, fraction: frac};
}
function whatifHeadline(v, r) {
  return fillText(WHATIF_TEXT.headline, {remain: fmtInt(r.value), identified: fmtInt(v.identified),
    percent: fmtFixed(100 * r.fraction, 1)});
}
function whatifCurve(v) {
  const xs = [], ys = [];
  for (let i = 0; i <= 100; i++) { const f = i / 100; xs.push(f);
    ys.push(whatifCompute(Object.assign({}, v, {fpr: f})).value); }
  return {x: xs, y: ys, px: [v.fpr], py: [whatifCompute(v).value]};
}
"""

def raid_page(inp: RaidInputs) -> str:
    """The raid misidentification page (HTML text). Raises ParameterError for out-of-range inputs."""
    from bokeh.models import BoxAnnotation, ColumnDataSource, NumeralTickFormatter, RadioButtonGroup, Span
    from bokeh.plotting import figure

    if not (inp.identified > 0 and 0 <= inp.labour_identified <= inp.identified):
        raise ParameterError(f"raid page: identified ({inp.identified}) must be > 0 and labour "
                             f"identified ({inp.labour_identified}) between 0 and it")
    lo, hi = (page.check("fpr_band", b, 0, 1) for b in inp.fpr_band)
    for name in ("raid_share", "other_fpr", "fpr_mean"):
        page.check(name, getattr(inp, name), 0, 1)
    band = (_("{level:.0%} evidence range {low:.2f}-{high:.2f}", level=inp.fpr_level, low=lo, high=hi)
            if inp.fpr_rows else _("fixed rate {low:.2f}, no evidence row", low=lo))
    controls = [
        *page.slider_spinner("raid_share", _("Share of identifications from raids (notebook value "
                                             "{value:.2f}, a proxy)", value=inp.raid_share),
                             inp.raid_share, 0, 1, 0.01),
        *page.slider_spinner("fpr", _("Raid false-positive rate ({band})", band=band), round(inp.fpr_mean, 2),
                         0, 1, 0.01),
        *page.slider_spinner("other_fpr", _("False-positive rate outside raids (0: face value)"),
                         inp.other_fpr, 0, 1, 0.01),
        RadioButtonGroup(labels=[_("labour victims in the base"), _("labour victims at face value")],
                         active=0, name="labour_at_face_value", width=360)]
    src = ColumnDataSource(data={"x": [], "y": []}, name="curve")
    pt = ColumnDataSource(data={"x": [], "y": []}, name="point")
    fig = figure(width=560, height=380, x_range=(0, 1), y_range=(0, inp.identified * 1.05),
                 x_axis_label=_("raid false-positive rate"), y_axis_label=_("count that would remain"),
                 title=_("TIP 'victims identified', data year {year} (scenario)", year=inp.year), tools="")
    fig.add_layout(BoxAnnotation(left=lo, right=hi, fill_color="#c62828", fill_alpha=0.15))
    fig.yaxis.formatter = NumeralTickFormatter(format="0,0")
    fig.add_layout(Span(location=inp.identified, dimension="width", line_dash="dashed",
                        line_color="#555"))
    fig.line("x", "y", source=src, line_width=2, color="#1f4e79")
    fig.scatter("x", "y", source=pt, size=10, color="#c62828")
    rows = ", ".join(inp.fpr_rows) or _("none")
    notes = [
        _("Shaded: the raid false-positive rate used in notebook 20, section 2 ({band}; evidence "
          "rows: {rows}). The rows are small local studies, none a sample of any country's "
          "identified victims. The control starts at the rate's mean, {mean:.4f}, rounded to "
          "{rounded:.2f}, so its count can differ slightly from notebook 20's. "
          "Dashed: the published count.", band=band, rows=rows, mean=inp.fpr_mean,
          rounded=round(inp.fpr_mean, 2)),
        _("Raid share: {note}. Neither the raid share nor the rate outside raids has "
          "an evidence-based range; their controls start at the notebook's values.", note=inp.raid_share_note),
        _("remaining = identified x (l + (1 - l) x (1 - raid share x fpr - (1 - raid share) x "
          "other fpr)), l = labour share when labour victims are taken at face value, else 0 "
          "(critique.methods.misid.remaining_fraction; literature.md 8c). It removes people only; it adds "
          "no undetected victims, so it is not an estimate of how many victims exist.")]
    fixed = {"identified": inp.identified, "labour_identified": inp.labour_identified}
    names = ["raid_share", "fpr", "other_fpr", "labour_at_face_value"]
    return page.build(_("What if raids mislabel people? (scenario)"),
                      _("How many of the {identified:,.0f} TIP 'victims identified' in data year {year} "
                        "({labour:,.0f} of them labour victims) would remain?", identified=inp.identified,
                        year=inp.year, labour=inp.labour_identified),
                      controls, names, fixed, fig, JS, notes, inp.source,
                      text={"headline": _("{remain} of {identified} would remain ({percent}%)")})


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
        source=page.source_line(run, NOTEBOOK, ids=("tip-law-enforcement", "raid-outcomes")))


def write_page(out_root: Path) -> list[tuple[str, str]]:
    """Write ``whatif/raid-misidentification.html`` when notebook 20's run under ``out_root`` is there."""
    return page.write(out_root, NOTEBOOK, PAGE, _("{title} (scenario, notebook {notebook})", title=_(TITLE),
                                                  notebook=20),
                      lambda run, params: raid_page(raid_inputs(run, params)))
