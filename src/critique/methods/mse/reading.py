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
        lows, highs = boot["low"], boot["high"]
        if "disagree" in boot:  # where BCa and percentile disagree, span both
            both = boot["disagree"].astype(bool)
            lows = lows.where(~both, np.fmin(boot["low"], boot["percentile_low"]))
            highs = highs.where(~both, np.fmax(boot["high"], boot["percentile_high"]))
        text += (f"With the model choice repeated in {n_boot:,} resamples, the 95% intervals (both "
                 f"intervals where BCa and percentile disagree) run from {fmt(lows.min())} to "
                 f"{fmt(highs.max())} across these procedures; the narrowest of them (from the lower to "
                 f"the higher end of both, where they disagree) spans {fmt((highs - lows).min())}, against "
                 f"{fmt(published[1] - published[0])} for the published range (how that range was "
                 "computed was not read here, so the two widths need not measure the same thing). ")
        if "disagree" in boot:
            text += "\n\n" + "\n".join(f"* {r['procedure']} on {r['table']} ({fmt(r['total'])}): "
                                         f"{interval_text(r, n_boot)}." for _, r in boot.iterrows()) + "\n\n"
    return text + f"People actually on a list: {n_observed:,}; everyone else in these totals is modelled."


def _pm(x) -> str:
    return f"±{x:,.0f}" if x is not None and np.isfinite(x) else "not computed"


def mc_ends(low_se, high_se) -> str:
    """"Monte Carlo standard error of the ends ±a and ±b" (nan: "not computed")."""
    return f"Monte Carlo standard error of the ends {_pm(low_se)} and {_pm(high_se)}"


def interval_text(row, n_boot: int) -> str:
    """A procedure's interval for a reader (a row of notebook 40's procedures frame: ``interval``,
    ``low``, ``high``, ``percentile_low``/``_high``, ``bca_low``/``_high``, ``disagree`` and the
    ``*_mc_se`` columns).

    No bootstrap: the model-known interval, named as such. BCa reported and the two intervals
    disagree (``disagree`` non-empty): both intervals, "neither should be quoted alone". BCa
    reported and they agree: BCa, with the percentile interval beside it. Percentile reported (BCa
    degenerate): the percentile interval and why. Each reported end with its Monte Carlo error.
    """
    kind = str(row["interval"])
    if not kind.startswith("bootstrap"):
        return (f"its 95% interval, treating the chosen model as known ({kind}), runs from "
                f"{fmt(row['low'])} to {fmt(row['high'])}")
    head = f"with the model choice repeated in each of {n_boot:,} bootstrap resamples, "
    pct = (f"percentile {fmt(row['percentile_low'])} to {fmt(row['percentile_high'])} "
           f"({mc_ends(row.get('percentile_low_mc_se'), row.get('percentile_high_mc_se'))})")
    if kind.endswith("BCa"):
        bca = (f"BCa {fmt(row['bca_low'])} to {fmt(row['bca_high'])} "
               f"({mc_ends(row.get('bca_low_mc_se'), row.get('bca_high_mc_se'))})")
        if row.get("disagree"):
            return (head + f"the two standard 95% intervals of the same resamples disagree "
                    f"({row['disagree']}): {bca}; {pct}; neither should be quoted alone")
        return (head + f"its 95% interval is {bca}, beside the {pct}, which differs from it by "
                "less than the rule's limits")
    return (head + f"its 95% interval is the {pct}, as BCa is degenerate here (its ends would be "
            "read beyond what the resamples resolve)")


def about(x) -> str:
    """A total rounded to the hundred, for a plain-language sentence ("no finite estimate" for nan)."""
    return fmt(round(x, -2)) if x is not None and np.isfinite(x) else fmt(x)


def plain_range(row) -> str:
    """A plain-language range (no statistical terms) for the brief: "about X to Y" from the reported
    interval, or, when BCa and percentile disagree, the span of both and a clause saying so."""
    if row.get("disagree") and str(row["interval"]).endswith("BCa"):
        lo = min(row["bca_low"], row["percentile_low"])
        hi = max(row["bca_high"], row["percentile_high"])
        return (f"about {about(lo)} to {about(hi)} (the span of two standard ways of computing the "
                "range, which disagree here)")
    return f"about {about(row['low'])} to {about(row['high'])}"


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


#: family of each method key of "one table, many methods" (a key not listed is its own family)
FAMILY = {"stepwise": "log-linear", "bic_default": "log-linear", "bic_pairwise": "log-linear",
          "average": "log-linear", "dga": "dga", "lcmcr": "lcmcr"}
FAMILY_NAMES = {"log-linear": "log-linear model selection and averaging",
                "dga": "decomposable-graph averaging (dga)", "lcmcr": "latent classes (LCMCR)"}


def families(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The counted rows (finite total, converged chains) of ``frame`` grouped by family, in the
    order the families first appear; families with no counted row are left out."""
    ok, _ = converged_methods(frame)
    fam = ok["key"].map(lambda k: FAMILY.get(k, k))
    return {f: ok[fam == f] for f in dict.fromkeys(fam)}


def families_clause(frame: pd.DataFrame, table: str) -> str:
    """What the methods on ``table`` give, family by family (never "N methods agree"):
    "the log-linear family (4 variants of one set of assumptions, not independent confirmations)
    gives X to Y; decomposable-graph averaging (dga) gives Z (95% posterior interval ...); not
    counted: ..." A family of one method gives its total (and its interval, when it has one)."""
    rows = frame[frame["table"] == table]
    parts = []
    for fam, part in families(rows).items():
        name = FAMILY_NAMES.get(fam, str(part["procedure"].iloc[0]))
        if len(part) > 1:
            parts.append(f"{name} ({len(part)} variants of one set of assumptions, not independent "
                         f"confirmations) gives {fmt(part['total'].min())} to {fmt(part['total'].max())}")
        else:
            r = part.iloc[0]
            if fam == "log-linear":
                name += f" (one variant only: {r['procedure']})"
            mc = ""
            if is_finite(r.get("low_mc_se")) and is_finite(r.get("high_mc_se")):
                mc = ("; computed on a grid, no Monte Carlo error" if r["low_mc_se"] == 0 == r["high_mc_se"]
                      else "; " + mc_ends(r["low_mc_se"], r["high_mc_se"]))
            ci = (f" (95% interval, {r['interval']}: {fmt(r['low'])} to {fmt(r['high'])}{mc})"
                  if is_finite(r.get("low")) and is_finite(r.get("high")) else "")
            parts.append(f"{name} gives {fmt(r['total'])}{ci}")
    _, left = converged_methods(rows)
    text = "; ".join(parts) if parts else "no method gives a total that can be quoted"
    return text + (f"; listed, not counted: {'; '.join(left)}" if left else "")


def methods_text(frame: pd.DataFrame, table: str) -> str:
    """The reading of "one table, many methods" on one table, family by family
    (:func:`families_clause`); a method without a quotable total is named, never counted."""
    n = len(families(frame[frame["table"] == table]))
    return (f"On {table}, {n} famil{'ies' if n != 1 else 'y'} of method give{'s' if n == 1 else ''} "
            f"a total that can be quoted: {families_clause(frame, table)}.")


def left_out_clause(frame: pd.DataFrame, table: str) -> str:
    """"" or " (not counted: ...)" for a key finding about ``table``."""
    _, left = converged_methods(frame[frame["table"] == table])
    return f" (not counted: {'; '.join(left)})" if left else ""


def lcmcr_lines(frame: pd.DataFrame, short: tuple = ()) -> list[str]:
    """One warning line per table whose LCMCR chains did not converge. Tables in ``short`` ran at
    the short length because no length tried met the rule there: the line says so instead of
    advising longer chains."""
    lc = frame[frame["key"] == "lcmcr"]
    return [f"**{r['table']}: LCMCR has not converged** (R-hat {r['rhat']:.3f}, effective sample size "
            f"{r['ess']:,.0f}); its number is not an estimate to quote: "
            + ("on this table no chain length tried has met the convergence rule, so it runs at the "
               "short length that shows the chains disagreeing."
               if r["table"] in short else
               "run longer chains (`lcmcr_burnin`, `lcmcr_samples`, `lcmcr_thinning`).")
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


def reselected_clause(reselected: pd.DataFrame) -> str:
    """The re-selected sweep as what it is: one model throughout ("the same model is chosen
    throughout (-50 to +50 people) and the total moves from X to Y"), or a step function ("a step
    function, not a slope: the chosen model changes once; the total is X to Y for -50 to +25
    people; Z for +50 people")."""
    runs = steps(reselected)
    if len(runs) == 1:
        r = runs[0]
        return (f"the same model is chosen throughout ({_people(r['f_from'])} to {_people(r['f_to'])} "
                f"people), and the total moves from {fmt(r['total_from'])} to {fmt(r['total_to'])}")
    parts = [f"{fmt(r['total_from'])}" + (f" to {fmt(r['total_to'])}" if r['f_to'] != r['f_from'] else "")
             + f" for {_people(r['f_from'])}" + (f" to {_people(r['f_to'])}" if r['f_to'] != r['f_from'] else "")
             + " people added" for r in runs]
    return (f"the total is a **step function**, not a slope: the chosen model changes "
            f"{_times(len(runs) - 1)} over the sweep, and the total is {'; '.join(parts)}")


def false_positive_text(reselected: pd.DataFrame, slope_fixed: float, cell: str,
                        share: float, removed: int, share_total: float, total: float) -> str:
    """The reading of the false-positive sweep: the fixed-model multiplier, the re-selected step
    function, and the scenario (labelled)."""
    text = (f"**Model held fixed** (the model chosen on the published table): each person added to "
            f"or removed from the {cell}-only cell moves the estimated total by about "
            f"**{slope_fixed:,.1f}** (least-squares slope over the sweep). **Model re-selected** on "
            f"each modified table, as the procedure itself would: {reselected_clause(reselected)}. ")
    if len(steps(reselected)) > 1:
        text += ("Where the model changes, one more or one fewer person moves the total by the jump "
                 "between models, not by a per-person amount. ")
    return text + (f"**Scenario:** if {share:.0%} of that cell ({removed:,} people) were misidentified, "
                   f"the estimate (model re-selected) would be {fmt(share_total)} instead of {fmt(total)}.")


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
