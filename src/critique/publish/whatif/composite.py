"""What-if page for the composite assessment's weights (notebook 32; issue #27): move the weight
of each indicator and watch one country's rank and the whole order move.

The page carries each country's percentile rank on every indicator, as the run computed them
(``figures/composite-ranks.csv``, columns ``<indicator>_pct``), and recomputes in the browser what
:func:`critique.methods.scorecards.composite.composite` computes at the stated weights: the score is the
weighted mean of the percentile ranks (weights normalised to sum 1) and the rank is 1 + the number
of countries with a higher score (ties share the best rank). Unlike the package, the page keeps the
run's set of countries when a weight is set to 0 (the package would then also admit countries
missing that indicator). Page and package are compared in ``tests/test_whatif.py``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from critique.core.errors import ParameterError
from critique.core.i18n import _
from critique.publish.whatif import page

NOTEBOOK = "32-alternative-to-the-tiers"
PAGE = "composite-weights.html"

COMPOSITE_JS = """
function whatifCompute(v) {
  // critique.methods.scorecards.composite.composite at fixed percentile ranks: score = sum w_i p_i / sum w_i
  const w = WHATIF_INDICATORS.map(k => v["w_" + k]), total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return {value: NaN, scores: []};
  const wn = w.map(x => x / total);
  const scores = WHATIF_PCT.map(row => row.reduce((a, p, i) => a + p * wn[i], 0));
  const j = WHATIF_ISO3.indexOf(v.country), mine = scores[j];
  return {value: 1 + scores.filter(s => s > mine).length, score: mine, scores: scores};
}
function whatifHeadline(v, r) {
  if (isNaN(r.value)) return WHATIF_TEXT.zero;
  return fillText(WHATIF_TEXT.headline, {country: v.country, rank: r.value, n: WHATIF_ISO3.length,
    score: fmtFixed(r.score, 3)});
}
function whatifCurve(v) {
  const r = whatifCompute(v), sorted = r.scores.slice().sort((a, b) => b - a);
  return {x: sorted.map((s, i) => i + 1), y: sorted, px: isNaN(r.value) ? [] : [r.value], py: isNaN(r.value) ? [] : [r.score]};
}
"""


def composite_page(table: pd.DataFrame, indicators: Sequence[str], weights: Sequence[float], *,
                   country: str, labels: dict[str, str], source: str, n_left_out: int | None = None) -> str:
    """The composite-weights page (HTML text).

    ``table``: one row per country (index or column ``iso3``) with a ``<indicator>_pct`` column in
    [0, 1] for each indicator (the composite-ranks CSV of notebook 32); ``weights``: the notebook's
    weights (>= 0, one per indicator); ``country``: the ISO3 code shown first; ``labels``: a reader
    label per indicator. Raises ParameterError naming a missing column, bad weight or country.
    """
    from bokeh.models import ColumnDataSource, Select
    from bokeh.plotting import figure

    t = table.set_index("iso3") if "iso3" in table.columns else table
    cols = [f"{i}_pct" for i in indicators]
    missing = [c for c in cols if c not in t.columns]
    if missing:
        raise ParameterError(f"composite page: column(s) {missing} not in the table ({list(t.columns)})")
    if len(weights) != len(indicators) or any(not (w >= 0) for w in weights) or not sum(weights) > 0:
        raise ParameterError(f"composite page: weights {list(weights)} must be >= 0, one per indicator "
                             f"{list(indicators)}, with a sum above 0")
    pct = t[cols].astype(float)
    if pct.isna().any().any() or ((pct < 0) | (pct > 1)).any().any():
        raise ParameterError("composite page: percentile ranks must lie in [0, 1] with no gaps")
    iso3 = [str(i) for i in pct.index]
    if country not in iso3:
        raise ParameterError(f"composite page: country {country!r} not among the {len(iso3)} ranked")
    controls: list[Any] = [Select(title=_("Country"), value=country, options=sorted(iso3), name="country",
                                  width=160)]
    for ind, w in zip(indicators, weights):
        controls += page.slider_spinner(f"w_{ind}", _("Weight: {indicator} (notebook: {weight:g})",
                                                      indicator=labels.get(ind, ind), weight=w), float(w), 0, 5, 0.1)
    src = ColumnDataSource(data={"x": [], "y": []}, name="curve")
    pt = ColumnDataSource(data={"x": [], "y": []}, name="point")
    fig = figure(width=560, height=380, x_range=(0, len(iso3) + 1), y_range=(0, 1.02),
                 x_axis_label=_("rank (1 = highest composite)"), y_axis_label=_("composite score (0-1)"),
                 title=_("Every country's composite score at these weights (scenario)"), tools="")
    fig.scatter("x", "y", source=src, size=4, color="#1f4e79")
    fig.scatter("x", "y", source=pt, size=11, color="#c62828")
    left = (" " + _("({n} countries missing a weighted assessment are left out)", n=n_left_out)
            if n_left_out else "")
    notes = [
        _("{n} countries with every indicator in notebook 32's run{left}.", n=len(iso3), left=left)
        + " " + _("Score: the weighted "
                  "mean of each country's percentile rank on each indicator (weights normalised to sum 1); rank 1 "
                  "is the highest, ties share the best rank (critique.methods.scorecards.composite)."),
        _("The weights are a choice about what matters, not a measurement: there is no evidence-based "
          "range for them. Notebook 32 shows how far ranks move under random weights near the stated ones. "
          "Setting a weight to 0 here keeps the same countries; the notebook would then also rank countries "
          "that lack that indicator.")]
    fixed: dict[str, Any] = {}
    script_data = (f"const WHATIF_INDICATORS = {json.dumps(list(indicators))};\n"
                   f"const WHATIF_ISO3 = {json.dumps(iso3)};\n"
                   f"const WHATIF_PCT = {json.dumps(pct.to_numpy().tolist())};\n")
    names = ["country", *[f"w_{i}" for i in indicators]]
    return page.build(_("What if the composite used other weights? (scenario)"),
                      _("Where would a country rank on a composite of assessments if you chose the weights?"),
                      controls, names, fixed, fig, script_data + COMPOSITE_JS, notes, source,
                      text={"headline": _("{country}: rank {rank} of {n} (score {score})"),
                            "zero": _("weights sum to zero: give at least one weight above 0")})


def write_page(out_root: Path) -> list[tuple[str, str]]:
    """Write ``whatif/composite-weights.html`` when notebook 32's run under ``out_root`` has its
    composite-ranks CSV; ``[(title, relative path)]`` for the index (empty when it has none)."""
    from critique.methods.scorecards import align

    csv = out_root / NOTEBOOK / "figures" / "composite-ranks.csv"

    def make(run: dict[str, Any], params: dict[str, Any]) -> str | None:
        if not csv.exists():
            return None
        indicators, weights = list(params["indicators"]), [float(w) for w in params["weights"]]
        table = pd.read_csv(csv)
        highlight = [h for h in params.get("highlight", []) if h in set(table["iso3"])]
        country = highlight[0] if highlight else str(table["iso3"].iloc[0])
        labels = {i: align.MEASURES[i].label for i in indicators if i in align.MEASURES}
        ids = [d for i in indicators if i in align.MEASURES for d in align.MEASURES[i].datasets]
        return composite_page(table, indicators, weights, country=country, labels=labels,
                              source=page.source_line(run, NOTEBOOK, ids=ids),
                              n_left_out=run["findings"].get("composite_left_out"))

    return page.write(out_root, NOTEBOOK, PAGE, _("What if the composite used other weights? (scenario, notebook 32)"),
                      make)
