"""Walk Free's government-response scoring reproduced from the indicator ratings, and a
rights-based sub-index built the same transparent way from a chosen set of indicators.

Walk Free's rule (GSI 2023 workbook, CONTENTS sheet, "Govt Response - Activities"): within an
activity, all positive indicators met scores 2 (achieved), at least one but not all scores 1
(partly), none scores 0; all positive indicators met *and* a negative indicator met scores 1; an
activity made only of negative indicators scores -2 when met and 0 otherwise. A milestone's
percentage is its points over twice its number of positive activities (note 3: Kosovo and Taiwan
cannot ratify conventions, so their milestone 2 is out of 22 and the total out of 74 points).
:func:`milestone_scores` applies this rule to the 141 indicator ratings and reproduces the
published milestone percentages (tested for all 176 countries).

The rights-based sub-index (:func:`rights_subindex`) applies the same rule to the selected
indicators only, grouped by their activity: it is the suite's construction, not Walk Free's, and
its default selection (``critique/data/rights_indicators.csv``: non-punishment, support not
conditional on cooperation, labour inspection and labour rights, complaint and remedy) is a
choice stated with a reason per indicator. By default (``rule="indicator"``) every selected
indicator counts once, with Walk Free's own rating (1 positive met, -1 negative met), over the
number of selected positive indicators; ``rule="activity"`` applies Walk Free's activity rule to
the selection instead (coarser: a handful of activities, 2 points each).
"""
from __future__ import annotations

import csv
from typing import Literal, Sequence

import numpy as np
import pandas as pd

from critique.datasets import paths
from critique.core.errors import ParameterError

NO_RATIFICATION = frozenset({"XKX", "TWN"})  # CONTENTS note 3
RATIFICATION_ACTIVITIES = ("2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5")  # slavery ... exp_children
Rule = Literal["activity", "indicator"]


def rights_selection() -> pd.DataFrame:
    """The default rights-based selection: code, theme, why (one row per indicator)."""
    path = paths.package_dir() / "datasets" / "lookups" / "rights_indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        return pd.DataFrame(list(csv.DictReader(handle)))


def _check_codes(indicators: pd.DataFrame, codes: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(str(c).strip() for c in codes))
    if not codes:
        raise ParameterError("rights indicators: the selection is empty; give GSI indicator codes such as M2212")
    known = set(indicators["code"].unique())
    unknown = [c for c in codes if c not in known]
    if unknown:
        import difflib

        hints = {c: difflib.get_close_matches(c, sorted(known), n=2) for c in unknown}
        raise ParameterError(f"rights indicators: unknown GSI indicator code(s) {unknown} "
                             f"(closest: {hints}); codes are column headings of 'Govt response - Indicators'")
    return codes


def activity_scores(indicators: pd.DataFrame, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Walk Free's activity rating per country and activity, from ``gsi-2023-indicators`` rows.

    ``codes`` restricts the indicators first (then an activity is judged on the selected ones).
    Returns iso3, milestone, activity, points (-2..2), max_points (2 for an activity with a
    positive indicator, 0 for a negative-only activity).
    """
    sub = indicators if codes is None else indicators.loc[indicators["code"].isin(_check_codes(indicators, codes))]
    pos = ~sub["negative"]
    g = sub.assign(pos=pos, met=pos & sub["rating"].eq(1), negmet=sub["negative"] & sub["rating"].eq(-1))
    agg = g.groupby(["iso3", "milestone", "activity"], observed=True).agg(
        n_pos=("pos", "sum"), n_met=("met", "sum"), any_neg=("negmet", "any")).reset_index()
    points = np.select(
        [agg["n_pos"].eq(0) & agg["any_neg"], agg["n_pos"].eq(0),
         agg["n_met"].eq(agg["n_pos"]) & ~agg["any_neg"], agg["n_met"].gt(0)],
        [-2, 0, 2, 1], default=0)
    agg["points"] = points.astype(int)
    agg["max_points"] = np.where(agg["n_pos"].gt(0), 2, 0)
    return agg[["iso3", "milestone", "activity", "points", "max_points"]]


def milestone_scores(indicators: pd.DataFrame) -> pd.DataFrame:
    """Milestone and total points and percentages per country, by Walk Free's activity rule.

    Returns one row per country: ``m1_points`` ... ``m5_points``, ``total_points`` and the matching
    ``*_pct`` columns (points over the maximum; Kosovo and Taiwan's milestone 2 out of 22, total 74).
    """
    act = activity_scores(indicators)
    pts = act.pivot_table(index="iso3", columns="milestone", values="points", aggfunc="sum")
    mx = act.pivot_table(index="iso3", columns="milestone", values="max_points", aggfunc="sum").astype(float)
    special = mx.index.isin(list(NO_RATIFICATION))
    mx.loc[special, 2] = mx.loc[special, 2] - 4  # note 3: 26 -> 22
    out = pd.DataFrame(index=pts.index)
    for m in pts.columns:
        out[f"m{m}_points"] = pts[m]
        out[f"m{m}_pct"] = 100 * pts[m] / mx[m]
    out["total_points"] = pts.sum(axis=1)
    out["total_pct"] = 100 * out["total_points"] / mx.sum(axis=1)
    return out.reset_index()


def rights_subindex(indicators: pd.DataFrame, codes: Sequence[str] | None = None, *,
                    rule: Rule = "indicator") -> pd.DataFrame:
    """A rights-based sub-index per country (0-100; negative when negative indicators dominate).

    ``codes``: GSI indicator codes (default :func:`rights_selection`). ``rule="indicator"`` scores
    each indicator (1 per positive met, -1 per negative met) over the number of selected positive
    indicators; ``"activity"`` applies Walk Free's activity rule to the selected indicators.
    Returns iso3, points, max_points, score. Unknown codes and an empty selection are refused.
    """
    codes = _check_codes(indicators, rights_selection()["code"] if codes is None else codes)
    if rule == "activity":
        act = activity_scores(indicators, codes)
        out = act.groupby("iso3")[["points", "max_points"]].sum()
    elif rule == "indicator":
        sub = indicators.loc[indicators["code"].isin(codes)]
        out = pd.DataFrame({"points": sub.groupby("iso3")["rating"].sum(),
                            "max_points": (~sub["negative"]).groupby(sub["iso3"]).sum()})
    else:
        raise ParameterError(f"rights_subindex: rule={rule!r}; allowed: 'activity', 'indicator'")
    if (out["max_points"] <= 0).any():
        raise ParameterError("rights_subindex: the selection has no positive indicator, so no score "
                             "can be scaled; add at least one indicator that is not NEG")
    out["score"] = 100 * out["points"] / out["max_points"]
    return out.reset_index()


def codebook(indicators: pd.DataFrame, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """The codebook text of the selected indicators (code, theme, why, milestone, activity name,
    indicator name as Walk Free words it), for citing the selection beside the sub-index."""
    sel = rights_selection()
    codes = _check_codes(indicators, sel["code"] if codes is None else codes)
    meta = (indicators.loc[indicators["code"].isin(codes),
                           ["code", "milestone", "activity", "activity_name", "indicator_name"]]
            .drop_duplicates("code"))
    out = pd.DataFrame({"code": codes}).merge(sel, on="code", how="left").merge(meta, on="code", how="left")
    out["theme"] = out["theme"].fillna("chosen by the user")
    return out
