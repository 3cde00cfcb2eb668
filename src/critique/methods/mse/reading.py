"""The sentences notebook 40 and workshop 4 put before a reader, each from a stated rule.

Every function takes numbers already computed (frames of :func:`critique.methods.mse.compare`, sweeps of
:func:`critique.methods.mse.false_positives`, LCMCR diagnostics) and returns plain text; the tests hold each
rule on both sides of its boundary. Rules:

- a procedure "reproduces" the published range only if its own point estimate lies in it;
- a method whose chains did not converge (R-hat >= 1.01 or effective sample size < 400, the rule of
  :mod:`critique.methods.mse.lcmcr`) is listed by name and never counted in "N methods give totals from X to
  Y";
- a re-selected false-positive sweep is described as what it is, a step function: the runs of
  added people over which the chosen model stays the same, and the jumps where it changes; a
  per-person multiplier is quoted only with the model held fixed (a least-squares slope over a
  sweep in which the model changes would be a slope through a jump).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def fmt(x) -> str:
    """A total for a reader: thousands separators, or "no finite estimate"."""
    if x is None or not np.isfinite(x):
        return "no finite estimate"
    return f"{x:,.0f}"


def listing(frame: pd.DataFrame) -> str:
    """"procedure on table (total); ..." for the rows of ``frame``, or "none"."""
    return "; ".join(f"{r['procedure']} on {r['table']} ({fmt(r['total'])})"
                     for _, r in frame.iterrows()) or "none"


def mc_phrase(errors) -> str:
    """"" or a clause giving the largest Monte Carlo standard error among interval ends."""
    vals = [float(e) for e in errors if e is not None and np.isfinite(e)]
    if not vals:
        return ""
    return (f"Monte Carlo standard error of these interval ends (from resampling the replicates): "
            f"at most {max(vals):,.0f}.")


def procedures_text(frame: pd.DataFrame, published: tuple[float, float], meta: dict,
                    n_boot: int, n_observed: int) -> str:
    """The reading of the UK procedures table (section 2 of notebook 40)."""
    inside = frame[frame["in_published_range"]]
    outside = frame[~frame["in_published_range"]]
    boot = frame[frame["interval"].str.startswith("bootstrap")]
    text = (f"Published ({meta['verification']}): *{meta['text']}* ({meta['citation']}).\n\n"
            f"**Point estimate inside the published range:** {listing(inside)}.\n\n"
            f"**Outside it:** {listing(outside)}.\n\n")
    if len(boot):
        widths = boot["high"] - boot["low"]
        text += (f"With the model choice repeated in {n_boot:,} resamples, the 95% intervals run from "
                 f"{fmt(boot['low'].min())} to {fmt(boot['high'].max())} across these procedures; the "
                 f"narrowest is {fmt(widths.min())} wide, against {fmt(published[1] - published[0])} "
                 "for the published range. ")
        if "low_mc_se" in boot:
            text += mc_phrase(list(boot["low_mc_se"]) + list(boot["high_mc_se"])) + " "
    return text + f"People actually on a list: {n_observed:,}; everyone else in these totals is modelled."


def percentile_clause(row) -> str:
    """"" when the reported interval is the percentile one (or there is no bootstrap), else
    ", and the percentile interval of the same resamples from X to Y" (BCa beside its alternative)."""
    if not str(row["interval"]).endswith("BCa") or not np.isfinite(row["percentile_low"]):
        return ""
    return (f", and the percentile interval of the same resamples from {fmt(row['percentile_low'])} "
            f"to {fmt(row['percentile_high'])}")


def converged_methods(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows whose totals may be counted, and the names of those left out with the reason.

    A row is left out when its total is not finite ("no finite estimate") or its chains did not
    converge (``converged`` is False)."""
    out, left = [], []
    for _, r in frame.iterrows():
        if r.get("converged") is False:
            left.append(f"{r['procedure']} (chains did not converge: R-hat {r['rhat']:.3f}, "
                        f"effective sample size {r['ess']:,.0f})")
        elif not np.isfinite(r["total"]):
            left.append(f"{r['procedure']} (no finite estimate)")
        else:
            out.append(r)
    return pd.DataFrame(out, columns=frame.columns), left


def methods_text(frame: pd.DataFrame, table: str) -> str:
    """"N methods give totals from X to Y" on one table, counting only converged, finite rows."""
    rows = frame[frame["table"] == table]
    ok, left = converged_methods(rows)
    if ok.empty:
        text = f"On {table} no method gives a total that can be quoted."
    else:
        text = (f"On {table}, {len(ok)} method{'s' if len(ok) != 1 else ''} give totals from "
                f"**{fmt(ok['total'].min())}** to **{fmt(ok['total'].max())}**.")
    if left:
        text += " Not counted: " + "; ".join(left) + "."
    return text


def left_out_clause(frame: pd.DataFrame, table: str) -> str:
    """"" or " (not counted: ...)" for a key finding about ``table``."""
    _, left = converged_methods(frame[frame["table"] == table])
    return f" (not counted: {'; '.join(left)})" if left else ""


def lcmcr_lines(frame: pd.DataFrame) -> list[str]:
    """One warning line per table whose LCMCR chains did not converge."""
    lc = frame[frame["key"] == "lcmcr"]
    return [f"**{r['table']}: LCMCR has not converged** (R-hat {r['rhat']:.3f}, effective sample size "
            f"{r['ess']:,.0f}); its number is not an estimate to quote: run longer chains "
            "(`lcmcr_burnin`, `lcmcr_samples`, `lcmcr_thinning`)."
            for _, r in lc.iterrows() if r["converged"] is False]


def steps(sweep: pd.DataFrame) -> list[dict]:
    """Runs of consecutive rows of a sweep (sorted by ``f``) with the same chosen model:
    model, f_from, f_to, total_from, total_to. Rows without a finite total form their own runs."""
    out: list[dict] = []
    for _, r in sweep.sort_values("f").iterrows():
        if out and out[-1]["model"] == r["model"]:
            out[-1].update(f_to=int(r["f"]), total_to=float(r["total"]))
        else:
            out.append({"model": r["model"], "f_from": int(r["f"]), "f_to": int(r["f"]),
                        "total_from": float(r["total"]), "total_to": float(r["total"])})
    return out


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _people(f: int) -> str:
    return f"{f:+,d}" if f else "0"


def false_positive_text(reselected: pd.DataFrame, slope_fixed: float, cell: str,
                        share: float, removed: int, share_total: float, total: float) -> str:
    """The reading of the false-positive sweep: the fixed-model multiplier, the re-selected step
    function, and the scenario (labelled)."""
    text = (f"With the model held fixed, each person added to or removed from the {cell}-only cell "
            f"moves the estimated total by about **{slope_fixed:,.1f}** (least-squares slope over the "
            "sweep). ")
    runs = steps(reselected)
    if len(runs) == 1:
        r = runs[0]
        text += (f"Re-selecting the model on each modified table chooses the same model throughout "
                 f"({_people(r['f_from'])} to {_people(r['f_to'])} people), so the total moves from "
                 f"{fmt(r['total_from'])} to {fmt(r['total_to'])}. ")
    else:
        parts = [f"{fmt(r['total_from'])}" + (f" to {fmt(r['total_to'])}" if r['f_to'] != r['f_from'] else "")
                 + f" for {_people(r['f_from'])}" + (f" to {_people(r['f_to'])}" if r['f_to'] != r['f_from'] else "")
                 + " people" for r in runs]
        text += (f"Re-selecting the model on each modified table gives a **step function**, not a "
                 f"slope: the chosen model changes {_times(len(runs) - 1)} "
                 f"over the sweep, and the total is {'; '.join(parts)}. Where the model changes, one "
                 "more or one fewer person moves the total by the jump between models, not by a "
                 "per-person amount. ")
    return text + (f"**Scenario:** if {share:.0%} of that cell ({removed:,} people) were misidentified, "
                   f"the estimate would be {fmt(share_total)} instead of {fmt(total)}.")


def false_positive_title(reselected: pd.DataFrame, name: str) -> str:
    """The chart title: the per-person claim only when the model does not change over the sweep."""
    if len(steps(reselected)) == 1:
        return f"{name}: each misidentified person on one list counts several times"
    return f"{name}: false positives in one list-only cell, model held fixed and re-selected"


def near_best_text(near: pd.DataFrame, delta: float, avg, spread: dict) -> str:
    """The reading of the UK five-list model table (section 3)."""
    return (f"Near-best set ({delta:g} BIC, Occam's window): **{len(near)} models**, totals "
            f"**{fmt(near['total'].min())} to {fmt(near['total'].max())}**. BIC-weighted average over the "
            f"{avg.n_models} models kept: **{fmt(avg.total)}** (between-model standard deviation "
            f"{fmt(avg.sd_between)}; about {avg.effective_models:.0f} models carry the weight). With "
            f"pairwise links only and non-overlapping links refused, the {spread['n_existing']} models "
            f"run from {fmt(spread['min'])} to {fmt(spread['max'])} (median {fmt(spread['median'])}); "
            f"{spread['n_no_finite_estimate']} more have no finite estimate.")


def is_finite(x) -> bool:
    """True for a finite number (None and nan are not)."""
    return x is not None and isinstance(x, (int, float, np.floating, np.integer)) and math.isfinite(x)
