"""What-if page for one MSE sensitivity (notebook 40; issue #27): how the estimated total moves when
people wrongly counted as victims are added to (or removed from) one list-only cell.

Each point needs the model search re-run (seconds to minutes), so the browser does not compute: the
page looks up the grid that :func:`critique.methods.mse.sensitivity.false_positives` computed in the run
(``figures/false-positives.csv``: ``f``, ``cell``, ``total`` with the model re-selected and
``total_fixed_model`` with the published table's model kept). The control offers only the grid's
values of ``f``; no interpolation (with re-selection the total jumps when the model changes).
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import _
from critique.publish.whatif import page

NOTEBOOK = "40-multiple-systems-estimation"
PAGE = "mse-false-positives.html"

MSE_JS = """
function whatifCompute(v) {  // a lookup in the grid the package computed, no arithmetic
  const i = WHATIF_F.indexOf(Number(v.f));
  return {value: WHATIF_TOTAL[i], fixed: WHATIF_FIXED_TOTAL[i], f: WHATIF_F[i]};
}
function fmtTotal(x) { return x === null ? WHATIF_TEXT.none : fmtInt(x); }
function whatifHeadline(v, r) {
  return fillText(WHATIF_TEXT.headline, {f: (r.f > 0 ? "+" : "") + r.f,
    cell: WHATIF_CELL, total: fmtTotal(r.value), fixed: fmtTotal(r.fixed)});
}
function whatifCurve(v) {
  const r = whatifCompute(v);
  const keep = WHATIF_TOTAL.map(y => y !== null);
  return {x: WHATIF_F.filter((f, i) => keep[i]), y: WHATIF_TOTAL.filter(y => y !== null),
          px: r.value === null ? [] : [r.f], py: r.value === null ? [] : [r.value]};
}
"""


def _num(x: Any) -> float | None:
    v = float(x)
    return v if math.isfinite(v) else None


def mse_page(sweep: pd.DataFrame, *, table_name: str, source: str) -> str:
    """The MSE false-positive page (HTML text). ``sweep``: the frame of
    :func:`critique.methods.mse.sensitivity.false_positives` with ``total_fixed_model`` added (one row per
    ``f``, the same ``cell`` throughout, ``f = 0`` included). Raises ParameterError naming what is
    missing."""
    from bokeh.models import ColumnDataSource, NumeralTickFormatter, Select, Span
    from bokeh.plotting import figure

    need = {"f", "cell", "total", "total_fixed_model"}
    if not need <= set(sweep.columns):
        raise ParameterError(f"MSE page: columns {sorted(need - set(sweep.columns))} missing from the sweep")
    if sweep["cell"].nunique() != 1 or 0 not in set(sweep["f"].astype(int)):
        raise ParameterError("MSE page: the sweep must have one cell and a row with f = 0")
    s = sweep.sort_values("f")
    f = [int(x) for x in s["f"]]
    total = [_num(x) for x in s["total"]]
    fixed_total = [_num(x) for x in s["total_fixed_model"]]
    cell = str(s["cell"].iloc[0])
    base = total[f.index(0)]
    controls = [Select(title=_("People added to the {cell}-only cell (negative: removed)", cell=cell), value="0", options=[str(x) for x in f], name="f", width=360)]
    src = ColumnDataSource(data={"x": [], "y": []}, name="curve")
    pt = ColumnDataSource(data={"x": [], "y": []}, name="point")
    fig = figure(width=560, height=380, x_axis_label=_("people added to the {cell}-only cell", cell=cell),
                 y_axis_label=_("estimated total"),
                 title=_("{table}: estimated total (scenario)", table=table_name), tools="")
    fig.yaxis.formatter = NumeralTickFormatter(format="0,0")
    if base is not None:
        fig.add_layout(Span(location=base, dimension="width", line_dash="dashed", line_color="#555"))
    fig.y_range.start = 0
    fig.scatter("x", "y", source=src, size=7, color="#1f4e79")  # points only: nothing between them
    fig.scatter("x", "y", source=pt, size=11, color="#c62828")
    notes = [
        _("Precomputed by critique.methods.mse.sensitivity.false_positives in notebook 40's run, on {table}: "
          "for each value the estimation procedure is re-run on the modified table (the points), or the "
          "model chosen on the published table is kept (second number). Dashed: the total with no change.",
          table=table_name),
        _("No evidence-based range is marked: the suite has no measurement of how many people on one "
          "list were wrongly counted, so the values are a sweep. A jump means the procedure chose a different "
          "model, not that the people added are worth that many victims each.")]
    script = (f"const WHATIF_F = {json.dumps(f)};\nconst WHATIF_TOTAL = {json.dumps(total)};\n"
              f"const WHATIF_FIXED_TOTAL = {json.dumps(fixed_total)};\nconst WHATIF_CELL = {json.dumps(cell)};\n")
    return page.build(_("What if some people on one list were wrongly counted? (MSE scenario)"),
                      _("How does the {table} estimate move if people in the {cell}-only cell "
                        "were not victims, or if more were added?", table=table_name, cell=cell),
                      controls, ["f"], {}, fig, script + MSE_JS, notes, source,
                      text={"headline": _("{f} people in the {cell}-only cell: total {total} (model re-selected); "
                                          "{fixed} (published model kept)"),
                            "none": _("no finite estimate")})


def write_page(out_root: Path) -> list[tuple[str, str]]:
    """Write ``whatif/mse-false-positives.html`` when notebook 40's run under ``out_root`` has its
    false-positives CSV; ``[(title, relative path)]`` for the index (empty when it has none)."""
    csv = out_root / NOTEBOOK / "figures" / "false-positives.csv"

    def make(run: dict[str, Any], params: dict[str, Any]) -> str | None:
        if not csv.exists():
            return None
        meta = csv.with_suffix(".json")
        title = json.loads(meta.read_text()).get("title", "") if meta.exists() else ""
        table_name = title.removeprefix("Scenario: ").split(":")[0] or _("the MSE table")
        return mse_page(pd.read_csv(csv), table_name=table_name,
                        source=page.source_line(run, NOTEBOOK, ids=[table_name]))

    return page.write(out_root, NOTEBOOK, PAGE,
                      _("What if some people on one list were wrongly counted? (MSE scenario, notebook 40)"), make)
