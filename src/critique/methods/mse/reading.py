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

from critique.core.i18n import N_, _


def fmt(x) -> str:
    """A total for a reader: thousands separators, or "no finite estimate"."""
    if x is None or not np.isfinite(x):
        return _("no finite estimate")
    return _("{n:,.0f}", n=x)


def listing(frame: pd.DataFrame) -> str:
    """"procedure on table (total); ..." for the rows of ``frame``, or "none"."""
    return "; ".join(_("{procedure} on {table} ({total})", procedure=r["procedure"], table=r["table"],
                       total=fmt(r["total"])) for _i, r in frame.iterrows()) or _("none")


def mc_phrase(errors) -> str:
    """"" or a clause giving the largest Monte Carlo standard error among interval ends."""
    vals = [float(e) for e in errors if e is not None and np.isfinite(e)]
    if not vals:
        return ""
    return _("Monte Carlo standard error of these interval ends (from resampling the replicates): at most "
             "{most:,.0f}.", most=max(vals))


def procedures_text(frame: pd.DataFrame, published: tuple[float, float], meta: dict,
                    n_boot: int, n_observed: int) -> str:
    """The reading of the UK procedures table (section 2 of notebook 40)."""
    inside = frame[frame["in_published_range"]]
    outside = frame[~frame["in_published_range"]]
    boot = frame[frame["interval"].str.startswith("bootstrap")]
    text = _("Published ({grade}): *{text}* ({citation}).\n\n**Point estimate inside the published range:** "
             "{inside}.\n\n**Outside it:** {outside}.\n\n", grade=_(meta["verification"]), text=meta["text"],
             citation=meta["citation"], inside=listing(inside), outside=listing(outside))
    if len(boot):
        lows, highs = boot["low"], boot["high"]
        if "disagree" in boot:  # where BCa and percentile disagree, span both
            both = boot["disagree"].astype(bool)
            lows = lows.where(~both, np.fmin(boot["low"], boot["percentile_low"]))
            highs = highs.where(~both, np.fmax(boot["high"], boot["percentile_high"]))
        text += _("With the model choice repeated in {n_boot:,} resamples, the 95% intervals (both intervals where BCa "
                  "and percentile disagree) run from {low} to {high} across these procedures; the narrowest of them "
                  "(from the lower to the higher end of both, where they disagree) spans {narrowest}, against "
                  "{published} for the published range (how that range was computed was not read here, so the two "
                  "widths need not measure the same thing). ", n_boot=n_boot, low=fmt(lows.min()),
                  high=fmt(highs.max()), narrowest=fmt((highs - lows).min()),
                  published=fmt(published[1] - published[0]))
        if "disagree" in boot:
            text += "\n\n" + "\n".join(_("* {procedure} on {table} ({total}): {interval}.", procedure=r["procedure"],
                                            table=r["table"], total=fmt(r["total"]), interval=interval_text(r, n_boot))
                                          for _i, r in boot.iterrows()) + "\n\n"
    return text + _("People actually on a list: {n:,}; everyone else in these totals is modelled.", n=n_observed)


def _pm(x) -> str:
    return _("±{n:,.0f}", n=x) if x is not None and np.isfinite(x) else _("not computed")


def mc_ends(low_se, high_se) -> str:
    """"Monte Carlo standard error of the ends ±a and ±b" (nan: "not computed")."""
    return _("Monte Carlo standard error of the ends {low} and {high}", low=_pm(low_se), high=_pm(high_se))


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
        return _("its 95% interval, treating the chosen model as known ({kind}), runs from {low} to {high}",
                 kind=_(kind), low=fmt(row["low"]), high=fmt(row["high"]))
    pct = _("percentile {low} to {high} ({mc})", low=fmt(row["percentile_low"]), high=fmt(row["percentile_high"]),
            mc=mc_ends(row.get("percentile_low_mc_se"), row.get("percentile_high_mc_se")))
    if kind.endswith("BCa"):
        bca = _("BCa {low} to {high} ({mc})", low=fmt(row["bca_low"]), high=fmt(row["bca_high"]),
                mc=mc_ends(row.get("bca_low_mc_se"), row.get("bca_high_mc_se")))
        if row.get("disagree"):
            return _("with the model choice repeated in each of {n_boot:,} bootstrap resamples, the two standard 95% "
                     "intervals of the same resamples disagree ({disagree}): {bca}; {pct}; neither should be quoted "
                     "alone", n_boot=n_boot, disagree=row["disagree"], bca=bca, pct=pct)
        return _("with the model choice repeated in each of {n_boot:,} bootstrap resamples, its 95% interval is {bca}, "
                 "beside the {pct}, which differs from it by less than the rule's limits", n_boot=n_boot, bca=bca,
                 pct=pct)
    return _("with the model choice repeated in each of {n_boot:,} bootstrap resamples, its 95% interval is the {pct}, "
             "as BCa is degenerate here (its ends would be read beyond what the resamples resolve)", n_boot=n_boot,
             pct=pct)


def about(x) -> str:
    """A total rounded to the hundred, for a plain-language sentence ("no finite estimate" for nan)."""
    return fmt(round(x, -2)) if x is not None and np.isfinite(x) else fmt(x)


def plain_range(row) -> str:
    """A plain-language range (no statistical terms) for the brief: "about X to Y" from the reported
    interval, or, when BCa and percentile disagree, the span of both and a clause saying so."""
    if row.get("disagree") and str(row["interval"]).endswith("BCa"):
        lo = min(row["bca_low"], row["percentile_low"])
        hi = max(row["bca_high"], row["percentile_high"])
        return _("about {low} to {high} (the span of two standard ways of computing the range, which disagree here)",
                 low=about(lo), high=about(hi))
    return _("about {low} to {high}", low=about(row["low"]), high=about(row["high"]))


def percentile_clause(row) -> str:
    """"" when the reported interval is the percentile one (or there is no bootstrap), else
    ", and the percentile interval of the same resamples from X to Y" (BCa beside its alternative)."""
    if not str(row["interval"]).endswith("BCa") or not np.isfinite(row["percentile_low"]):
        return ""
    return _(", and the percentile interval of the same resamples from {low} to {high}", low=fmt(row["percentile_low"]),
             high=fmt(row["percentile_high"]))


def converged_methods(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Rows whose totals may be counted, and the names of those left out with the reason.

    A row is left out when its total is not finite ("no finite estimate") or its chains did not
    converge (``converged`` is False)."""
    out, left = [], []
    for _i, r in frame.iterrows():
        if r.get("converged") is False:
            left.append(_("{procedure} (chains did not converge: R-hat {rhat:.3f}, effective sample size {ess:,.0f})",
                          procedure=r["procedure"], rhat=r["rhat"], ess=r["ess"]))
        elif not np.isfinite(r["total"]):
            left.append(_("{procedure} (no finite estimate)", procedure=r["procedure"]))
        else:
            out.append(r)
    return pd.DataFrame(out, columns=frame.columns), left


#: the interval kinds a reader sees (English in code; translated where shown)
INTERVAL_KINDS = (N_("profile (model known)"), N_("bootstrap BCa"), N_("bootstrap percentile"),
                  N_("posterior (equal-tailed)"))

#: family of each method key of "one table, many methods" (a key not listed is its own family)
FAMILY = {"stepwise": "log-linear", "bic_default": "log-linear", "bic_pairwise": "log-linear",
          "average": "log-linear", "dga": "dga", "lcmcr": "lcmcr"}
FAMILY_NAMES = {"log-linear": N_("log-linear model selection and averaging"),
                "dga": N_("decomposable-graph averaging (dga)"), "lcmcr": N_("latent classes (LCMCR)")}


def families(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The counted rows (finite total, converged chains) of ``frame`` grouped by family, in the
    order the families first appear; families with no counted row are left out."""
    ok, _left = converged_methods(frame)
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
        name = _(FAMILY_NAMES[fam]) if fam in FAMILY_NAMES else str(part["procedure"].iloc[0])
        if len(part) > 1:
            parts.append(_("{name} ({n} variants of one set of assumptions, not independent confirmations) gives {low} "
                           "to {high}", name=name, n=len(part), low=fmt(part["total"].min()),
                           high=fmt(part["total"].max())))
        else:
            r = part.iloc[0]
            if fam == "log-linear":
                name = _("{name} (one variant only: {procedure})", name=name, procedure=r["procedure"])
            mc = ""
            if is_finite(r.get("low_mc_se")) and is_finite(r.get("high_mc_se")):
                mc = (_("; computed on a grid, no Monte Carlo error") if r["low_mc_se"] == 0 == r["high_mc_se"]
                      else "; " + mc_ends(r["low_mc_se"], r["high_mc_se"]))
            ci = (_(" (95% interval, {interval}: {low} to {high}{mc})", interval=_(str(r["interval"])),
                    low=fmt(r["low"]), high=fmt(r["high"]), mc=mc)
                  if is_finite(r.get("low")) and is_finite(r.get("high")) else "")
            parts.append(_("{name} gives {total}{interval}", name=name, total=fmt(r["total"]), interval=ci))
    _ok, left = converged_methods(rows)
    text = "; ".join(parts) if parts else _("no method gives a total that can be quoted")
    return _("{text}; listed, not counted: {left}", text=text, left="; ".join(left)) if left else text


def methods_text(frame: pd.DataFrame, table: str) -> str:
    """The reading of "one table, many methods" on one table, family by family
    (:func:`families_clause`); a method without a quotable total is named, never counted."""
    n = len(families(frame[frame["table"] == table]))
    return (_("On {table}, {n} family of method gives a total that can be quoted: {clause}.", n=n, table=table, clause=families_clause(frame, table)) if n == 1 else _("On {table}, {n} families of method give a total that can be quoted: {clause}.", n=n, table=table, clause=families_clause(frame, table)))


def left_out_clause(frame: pd.DataFrame, table: str) -> str:
    """"" or " (not counted: ...)" for a key finding about ``table``."""
    _ok, left = converged_methods(frame[frame["table"] == table])
    return _(" (not counted: {left})", left="; ".join(left)) if left else ""


def lcmcr_lines(frame: pd.DataFrame, short: tuple = ()) -> list[str]:
    """One warning line per table whose LCMCR chains did not converge. Tables in ``short`` ran at
    the short length because no length tried met the rule there: the line says so instead of
    advising longer chains."""
    lc = frame[frame["key"] == "lcmcr"]
    return [_("**{table}: LCMCR has not converged** (R-hat {rhat:.3f}, effective sample size {ess:,.0f}); its number is "
              "not an estimate to quote: on this table no chain length tried has met the convergence rule, so it runs "
              "at the short length that shows the chains disagreeing.", table=r["table"], rhat=r["rhat"], ess=r["ess"])
            if r["table"] in short else
            _("**{table}: LCMCR has not converged** (R-hat {rhat:.3f}, effective sample size {ess:,.0f}); its number is "
              "not an estimate to quote: run longer chains (`lcmcr_burnin`, `lcmcr_samples`, `lcmcr_thinning`).",
              table=r["table"], rhat=r["rhat"], ess=r["ess"])
            for _i, r in lc.iterrows() if r["converged"] is False]


def steps(sweep: pd.DataFrame) -> list[dict]:
    """Runs of consecutive rows of a sweep (sorted by ``f``) with the same chosen model:
    model, f_from, f_to, total_from, total_to. Rows without a finite total form their own runs."""
    out: list[dict] = []
    for _i, r in sweep.sort_values("f").iterrows():
        if out and out[-1]["model"] == r["model"]:
            out[-1].update(f_to=int(r["f"]), total_to=float(r["total"]))
        else:
            out.append({"model": r["model"], "f_from": int(r["f"]), "f_to": int(r["f"]),
                        "total_from": float(r["total"]), "total_to": float(r["total"])})
    return out


def _times(n: int) -> str:
    return _("once") if n == 1 else _("twice") if n == 2 else _("{n} times", n=n)


def _people(f: int) -> str:
    return _("{n:+,d}", n=f) if f else "0"


def reselected_clause(reselected: pd.DataFrame) -> str:
    """The re-selected sweep as what it is: one model throughout ("the same model is chosen
    throughout (-50 to +50 people) and the total moves from X to Y"), or a step function ("a step
    function, not a slope: the chosen model changes once; the total is X to Y for -50 to +25
    people; Z for +50 people")."""
    runs = steps(reselected)
    if len(runs) == 1:
        r = runs[0]
        return _("the same model is chosen throughout ({f_from} to {f_to} people), and the total moves from {t_from} to "
                 "{t_to}", f_from=_people(r["f_from"]), f_to=_people(r["f_to"]), t_from=fmt(r["total_from"]),
                 t_to=fmt(r["total_to"]))
    parts = [_("{t_from} to {t_to} for {f_from} to {f_to} people added", t_from=fmt(r["total_from"]),
               t_to=fmt(r["total_to"]), f_from=_people(r["f_from"]), f_to=_people(r["f_to"]))
             if r["f_to"] != r["f_from"] else
             _("{total} for {f} people added", total=fmt(r["total_from"]), f=_people(r["f_from"])) for r in runs]
    return _("the total is a **step function**, not a slope: the chosen model changes {times} over the sweep, and the "
             "total is {parts}", times=_times(len(runs) - 1), parts="; ".join(parts))


def false_positive_text(reselected: pd.DataFrame, slope_fixed: float, cell: str,
                        share: float, removed: int, share_total: float, total: float) -> str:
    """The reading of the false-positive sweep: the fixed-model multiplier, the re-selected step
    function, and the scenario (labelled)."""
    text = _("**Model held fixed** (the model chosen on the published table): each person added to or removed from "
             "the {cell}-only cell moves the estimated total by about **{slope:,.1f}** (least-squares slope over the "
             "sweep). **Model re-selected** on each modified table, as the procedure itself would: {reselected}. ",
             cell=cell, slope=slope_fixed, reselected=reselected_clause(reselected))
    if len(steps(reselected)) > 1:
        text += _("Where the model changes, one more or one fewer person moves the total by the jump between models, "
                  "not by a per-person amount. ")
    return text + _("**Scenario:** if {share:.0%} of that cell ({removed:,} people) were misidentified, the estimate "
                    "(model re-selected) would be {share_total} instead of {total}.", share=share, removed=removed,
                    share_total=fmt(share_total), total=fmt(total))


def false_positive_title(reselected: pd.DataFrame, name: str) -> str:
    """The chart title: the per-person claim only when the model does not change over the sweep."""
    if len(steps(reselected)) == 1:
        return _("{name}: each misidentified person on one list counts several times", name=name)
    return _("{name}: false positives in one list-only cell, model held fixed and re-selected", name=name)


def near_best_text(near: pd.DataFrame, delta: float, avg, spread: dict) -> str:
    """The reading of the UK five-list model table (section 3)."""
    return _("Near-best set ({delta:g} BIC, Occam's window): **{n_near} models**, totals **{low} to {high}**. "
             "BIC-weighted average over the {n_models} models kept: **{average}** (between-model standard deviation "
             "{sd}; about {effective:.0f} models carry the weight). With pairwise links only and non-overlapping links "
             "refused, the {n_existing} models run from {min} to {max} (median {median}); {n_none} more have no finite "
             "estimate.", delta=delta, n_near=len(near), low=fmt(near["total"].min()), high=fmt(near["total"].max()),
             n_models=avg.n_models, average=fmt(avg.total), sd=fmt(avg.sd_between), effective=avg.effective_models,
             n_existing=spread["n_existing"], min=fmt(spread["min"]), max=fmt(spread["max"]),
             median=fmt(spread["median"]), n_none=spread["n_no_finite_estimate"])


def is_finite(x) -> bool:
    """True for a finite number (None and nan are not)."""
    return x is not None and isinstance(x, (int, float, np.floating, np.integer)) and math.isfinite(x)
