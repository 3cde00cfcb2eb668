"""The sections of notebook 40, one function each (called through :class:`MSEAnalysis`).

Each returns a :class:`critique.methods.mse.section.Section`; the findings keys are notebook 40's
interface (its ``key_findings`` and tests read them). Sentences come from
:mod:`critique.methods.mse.reading`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from critique.core.i18n import _
from critique.methods.mse import reading
from critique.methods.mse.section import (CAVEAT_BOOT, CAVEAT_MODEL, UK_TABLES, Section,
                                          interval_columns, pub)
from critique.methods.mse.table import CaptureTable

UK_RUNS = (("uk6_stepwise", "mse-uk-2013", "stepwise"), ("uk5_stepwise", "mse-uk-2013-5", "stepwise"),
           ("uk5_bic_default", "mse-uk-2013-5", "bic_default"),
           ("uk5_bic_pairwise", "mse-uk-2013-5", "bic_pairwise"),
           ("uk5_average", "mse-uk-2013-5", "average"))


METHODS_COLUMNS = ("table", "key", "procedure", "observed", "total", "low", "high", "interval",
                   "low_mc_se", "high_mc_se", "rhat", "ess", "converged", "warnings")

def procedures(A) -> Section:
    import critique.methods.mse as mse

    s = A.settings
    P = mse.author_procedures()
    tables = {d: CaptureTable.from_dataset(d) for d in UK_TABLES}
    frame, results = mse.compare([(tables[d], P[p]) for _k, d, p in UK_RUNS],
                                 n_boot=s.bootstrap_size, seed=s.seed, jobs=s.jobs)
    frame.insert(0, "key", [k for k, _d, _p in UK_RUNS])
    frame["in_published_range"] = mse.estimators.within(frame, *A.published)
    interval_columns(frame, results)
    meta = A.published_meta
    f = {"uk_published_low": (meta["low"], meta["citation"]), "uk_published_high": (meta["high"], None),
         "uk_n_resamples": (s.bootstrap_size, "bootstrap resamples per procedure, model choice repeated")}
    for _i, r in frame.iterrows():
        f[f"{r['key']}_total"] = (r["total"], f"{r['procedure']}; {r['table']}")
        f[f"{r['key']}_low"] = (pub(r["low"]), r["interval"])
        f[f"{r['key']}_high"] = (pub(r["high"]), None)
        f[f"{r['key']}_low_mc_se"] = (pub(r["low_mc_se"]), "Monte Carlo standard error of the end")
        f[f"{r['key']}_high_mc_se"] = (pub(r["high_mc_se"]), None)
        f[f"{r['key']}_interval"] = (r["interval"], None)
        f[f"{r['key']}_percentile_low"] = (pub(r["percentile_low"]), "percentile interval, same resamples")
        f[f"{r['key']}_percentile_high"] = (pub(r["percentile_high"]), None)
        f[f"{r['key']}_percentile_clause"] = (reading.percentile_clause(r), "clause for a key finding")
        f[f"{r['key']}_z0"] = (pub(r["z0"]), "BCa bias correction")
        f[f"{r['key']}_intervals_disagree"] = (r["disagree"], "why BCa and percentile disagree ('' when they do not)")
        f[f"{r['key']}_interval_text"] = (reading.interval_text(r, s.bootstrap_size), "clause for a key finding")
        f[f"{r['key']}_plain_range"] = (reading.plain_range(r), "plain-language range for the brief")
    f["uk_procedures"] = ({r["key"]: {"procedure": r["procedure"], "table": r["table"],
                                      "total": r["total"], "low": pub(r["low"]), "high": pub(r["high"]),
                                      "interval": r["interval"], "model": r["model"],
                                      "in_published_range": bool(r["in_published_range"])}
                           for _i, r in frame.iterrows()}, None)
    f["uk_in_range"] = ([k for k, ok in zip(frame["key"], frame["in_published_range"]) if ok],
                        "point estimate inside the published 10,000-13,000")
    f["uk_out_of_range"] = ([k for k, ok in zip(frame["key"], frame["in_published_range"]) if not ok], None)
    n_obs = tables["mse-uk-2013"].n_observed
    text = reading.procedures_text(frame, A.published, meta, s.bootstrap_size, n_obs)
    warn = [_("*{name} ({table}):* {warnings}", name=r.name, table=r.table, warnings="; ".join(r.warnings))
            for r in results if r.warnings]
    charts = {"procedures": dict(
        title=_("UK 2013: the estimate under each procedure of the same authors"),
        description=_("Point estimate (dot) and 95% bootstrap interval with the model choice repeated (bar) "
                     "for the UK six- and five-list tables under stepwise selection, BIC with the "
                     "package's defaults, BIC with pairwise interactions only, and BIC-weighted model "
                     "averaging (stepwise and BIC run as the authors' R packages run them, in every "
                     "resample; the average is this suite's addition); dashed: the percentile interval "
                     "of the same resamples where it and BCa disagree (neither to be quoted alone); "
                     "shaded: the published range."),
        datasets=UK_TABLES, caveat=[_(CAVEAT_MODEL), _(CAVEAT_BOOT)],
        n=_("{n:,} people; {procedures} procedures; {resamples} resamples each", n=n_obs, procedures=len(frame),
            resamples=s.bootstrap_size),
        data=frame.drop(columns=["description"]), inputs=(frame, A.published))}
    if s.bootstrap_size > 0:
        charts["procedures-bootstrap"] = dict(
            title=_("UK 2013: the resampled estimates behind each interval"),
            description=_("Histogram of the bootstrap totals of each procedure (each resample repeats its "
                         "model choice), with the point estimate, the reported interval, the percentile "
                         "interval (dashed) where it and BCa disagree (neither to be quoted alone) and, "
                         "where there is one, the interval that treats the chosen model as known."),
            datasets=UK_TABLES, caveat=[_(CAVEAT_BOOT), _(CAVEAT_MODEL)],
            n=_("{n} resamples per procedure", n=s.bootstrap_size),
            data=pd.DataFrame({r.name + " | " + r.table: r.bootstrap.estimates
                               for r in results if r.bootstrap}),
            inputs=(results, A.published))
    show = frame[["procedure", "table", "total", "low", "high", "interval", "low_mc_se", "high_mc_se",
                  "percentile_low", "percentile_high", "in_published_range", "model"]]
    return Section("procedures", f, {"procedures": show}, charts, "\n\n".join([text] + warn),
                   {"frame": frame, "results": results})


def models(A) -> Section:
    import critique.methods.mse as mse

    s = A.settings
    uk5 = CaptureTable.from_dataset("mse-uk-2013-5")
    P = mse.author_procedures()
    default = mse.run(uk5, P["bic_default"], intervals=False, jobs=s.jobs).selection
    avg = mse.average(default, P["average"].top(uk5.k))
    pair = mse.search_all(uk5, max_order=2, empty_overlaps="refuse", jobs=s.jobs, ci=())
    sp = pair.spread(near=s.near_delta)
    near = default.near_best(s.near_delta)
    ex = default.existing
    f = {"uk5_models_min": (sp["min"], "total, over pairwise models with a finite estimate (refused links)"),
         "uk5_models_median": (sp["median"], None), "uk5_models_max": (sp["max"], None),
         "uk5_models_existing": (sp["n_existing"], None),
         "uk5_models_no_finite_estimate": (sp["n_no_finite_estimate"], None),
         "uk5_near_delta": (s.near_delta, "Occam's window: BIC within this of the best, package default model set"),
         "uk5_near_n": (len(near), None), "uk5_near_min": (float(near["total"].min()), None),
         "uk5_near_max": (float(near["total"].max()), None)}
    charts = {"uk5-all-models": dict(
        title=_("UK 2013: the estimate under each of the {n:,} models of the package's default set", n=len(ex)),
        description=_("Totals of every hierarchical model with interactions of up to 3 lists that has a finite "
                      "(extended) estimate on the UK five-list table, from {low:,.0f} to {high:,.0f}; ticks: the "
                      "{n_near} models within {delta:g} BIC of the best ({near_low:,.0f} to {near_high:,.0f}).",
                      low=ex["total"].min(), high=ex["total"].max(), n_near=len(near), delta=s.near_delta,
                      near_low=near["total"].min(), near_high=near["total"].max()),
        datasets=["mse-uk-2013-5"], caveat=_(CAVEAT_MODEL),
        n=_("{n:,} models, {people:,} people", n=len(ex), people=uk5.n_observed),
        data=ex[["model", "order", "total", "bic", "bic_cells", "aic", "delta", "boundary"]],
        inputs=(ex, near, default.best.total, A.published))}
    tables = {"near-best": near[["model", "total", "bic", "delta"]], "weights": avg.weights.head(10)}
    return Section("models", f, tables, charts, reading.near_best_text(near, s.near_delta, avg, sp),
                   {"average": avg, "selection": default})


def spread(A) -> Section:
    import critique.methods.mse as mse

    s = A.settings
    rows = {}
    for did in s.spread_datasets:
        t = CaptureTable.from_dataset(did)
        if t.k <= s.spread_max_lists:
            sel = mse.search_all(t, max_order=2, jobs=s.jobs, ci=())
            sp = sel.spread(near=s.near_delta)
            rows[did] = {"observed": t.n_observed, "lists": t.k, "method": "all pairwise, BIC (people observed)",
                         "total": sel.best.total, **{k: sp.get(k) for k in (
                             "min", "median", "max", "n_existing", "n_no_finite_estimate", "near_min",
                             "near_max")}, "_totals": sel.existing["total"].to_numpy()}
        else:
            sel = mse.stepwise(t, pthresh=s.pthresh, ci=())
            rows[did] = {"observed": t.n_observed, "lists": t.k, "method": "stepwise only (too many lists)",
                         "total": sel.best.total, "_totals": np.array([sel.best.total])}
    frame = pd.DataFrame({d: {k: v for k, v in r.items() if k != "_totals"} for d, r in rows.items()}).T
    f = {"spread": ({d: {k: pub(v) for k, v in r.items() if k != "_totals"} for d, r in rows.items()}, None)}
    charts = {"spread-across-models": dict(
        title=_("How much the model choice moves each published estimate"),
        description=_("Each grey dot is one pairwise log-linear model with a finite (extended) estimate; "
                     "the red bar is the model with the lowest BIC (people observed), or the stepwise "
                     "model where marked."),
        datasets=list(rows), caveat=_(CAVEAT_MODEL), n=_("{n} tables", n=len(rows)),
        data=pd.DataFrame([{"dataset": d, "total": v, "observed": r["observed"]}
                           for d, r in rows.items() for v in r["_totals"]]), inputs=(rows,))}
    return Section("spread", f, {"spread": frame}, charts)


def new_orleans(A) -> Section:
    import critique.methods.mse as mse

    rows = []
    for did in ("mse-new-orleans", "mse-new-orleans-5", "mse-new-orleans-5-2024"):
        t = CaptureTable.from_dataset(did)
        rows.append({"dataset": did, "lists": t.k, "observed": t.n_observed,
                     "default procedure": mse.run(t, intervals=False, jobs=A.settings.jobs).total,
                     "default method": mse.Procedure().resolved(t.k),
                     "stepwise": mse.stepwise(t, pthresh=A.settings.pthresh, ci=()).best.total})
    f = {"new_orleans": ({r["dataset"]: {k: v for k, v in r.items() if k != "dataset"} for r in rows}, None)}
    return Section("new_orleans", f, {"new_orleans": pd.DataFrame(rows)})


def methods(A) -> Section:
    import critique.methods.mse as mse

    s = A.settings
    procs = mse.many_methods(chains=s.lcmcr_chains, samples=s.lcmcr_samples, thinning=s.lcmcr_thinning,
                             burnin=s.lcmcr_burnin)
    # Tables whose LCMCR chains met the convergence rule at no length tried run at the short
    # thinning, enough to show the chains disagreeing; they are listed as not converged.
    short = dict(procs, lcmcr=mse.many_methods(chains=s.lcmcr_chains, samples=s.lcmcr_samples,
                                               thinning=s.lcmcr_short_thinning,
                                               burnin=s.lcmcr_burnin)["lcmcr"])
    parts = [mse.one_table_many_methods([d], short if d in s.lcmcr_short_datasets else procs,
                                        n_boot=s.methods_bootstrap, seed=s.seed, jobs=s.jobs)
             for d in s.methods_datasets]
    frame = pd.concat([p[0] for p in parts], ignore_index=True)
    results = [r for p in parts for r in p[1]]
    interval_columns(frame, results)  # percentile beside BCa, and whether they disagree (drawn in the chart)
    f = {}
    uk5 = frame[frame["table"] == "mse-uk-2013-5"].set_index("key")
    for key, r in uk5.iterrows():
        f[f"methods_uk5_{key}_total"] = (r["total"], None)
        f[f"methods_uk5_{key}_low"] = (r["low"], None)
        f[f"methods_uk5_{key}_high"] = (r["high"], None)
    if len(uk5):
        ok, left = reading.converged_methods(frame[frame["table"] == "mse-uk-2013-5"])
        f["methods_uk5_min"] = (float(ok["total"].min()) if len(ok) else None,
                                "lowest total over the methods counted (finite, chains converged), UK five lists")
        f["methods_uk5_max"] = (float(ok["total"].max()) if len(ok) else None, "highest total over the methods counted")
        fams = reading.families(frame[frame["table"] == "mse-uk-2013-5"])
        f["methods_uk5_families_n"] = (len(fams), "families of method with a quotable total (log-linear, dga, LCMCR)")
        f["methods_uk5_families_text"] = (reading.families_clause(frame, "mse-uk-2013-5"), "clause for the key finding")
        if "log-linear" in fams:
            f["methods_uk5_loglinear_min"] = (float(fams["log-linear"]["total"].min()), "log-linear variants")
            f["methods_uk5_loglinear_max"] = (float(fams["log-linear"]["total"].max()), None)
        f["methods_uk5_not_counted"] = (left, "methods left out of the count, with the reason")
        f["methods_uk5_left_out"] = (reading.left_out_clause(frame, "mse-uk-2013-5"), "clause for the key finding")
    lc = frame[frame["key"] == "lcmcr"]
    f["methods_lcmcr"] = ({r["table"]: {"total": r["total"], "low": r["low"], "high": r["high"],
                                        "rhat": r["rhat"], "ess": r["ess"], "converged": r["converged"]}
                           for _i, r in lc.iterrows()}, None)
    f["methods_lcmcr_not_converged"] = ([r["table"] for _i, r in lc.iterrows() if r["converged"] is False], None)
    f["methods_lcmcr_settings"] = ({"chains": s.lcmcr_chains, "burnin": s.lcmcr_burnin,
                                    "samples": s.lcmcr_samples, "thinning": s.lcmcr_thinning,
                                    "short_thinning": s.lcmcr_short_thinning,
                                    "short_datasets": [d for d in s.methods_datasets
                                                       if d in s.lcmcr_short_datasets]}, None)
    f["methods"] = ({f"{r['table']}|{r['key']}": {"total": r["total"], "low": r["low"], "high": r["high"]}
                     for _i, r in frame.iterrows()}, None)
    charts = {"many-methods": dict(
        title=_("One table, many methods: log-linear and Bayesian estimates side by side"),
        description=_("For each published table, the total under the same authors' log-linear procedures "
                     "(stepwise, BIC with the package defaults, BIC pairwise, and this suite's BIC-weighted "
                     "average: four variants of one family of assumptions, not independent confirmations), "
                     "decomposable-graph averaging (dga) and the latent-class model (LCMCR), as a multiple "
                     "of the people observed (log scale); bars are 95% intervals (log-linear: bootstrap "
                     "with the model choice repeated; Bayesian: posterior). Hollow: LCMCR chains not "
                     "converged (R-hat >= 1.01 or effective sample size < 400), not an estimate to quote. "
                     "Shaded: the published UK range."),
        source=_("list-overlap tables as published (see each dataset's citation); methods: Silverman, Chan & "
                "Vincent 2024; Madigan & York 1997 (dga); Manrique-Vallier 2016 (LCMCR)"),
        caveat=[_("LCMCR: {chains} chains of {burnin:,} burn-in + {samples:,} draws thinned by {thinning}{short}; "
                  "log-linear intervals from {resamples} resamples.", chains=s.lcmcr_chains, burnin=s.lcmcr_burnin,
                  samples=s.lcmcr_samples, thinning=s.lcmcr_thinning, resamples=s.methods_bootstrap,
                  short=_(" ({tables}: thinned by {thinning}, a length that shows the chains disagreeing; no length "
                          "tried met the convergence rule there)",
                          tables=", ".join(d for d in s.methods_datasets if d in s.lcmcr_short_datasets),
                          thinning=s.lcmcr_short_thinning)
                  if any(d in s.lcmcr_short_datasets for d in s.methods_datasets) else ""),
                _("Every method assumes the lists count the same closed population of victims with correct "
                  "matching; none can check that from the table.")],
        n=_("{tables} tables, {methods} methods", tables=frame["table"].nunique(), methods=len(procs)),
        data=frame[[c for c in METHODS_COLUMNS if c in frame.columns]],
        inputs=(frame, {"mse-uk-2013-5": A.published}))}
    show = frame.pivot(index="table", columns="key", values="total")[list(procs)]
    lines = [reading.methods_text(frame, t) for t in dict.fromkeys(frame["table"])]
    return Section("methods", f, {"totals": show}, charts,
                   "\n\n".join(lines + reading.lcmcr_lines(frame, tuple(s.lcmcr_short_datasets))),
                   {"frame": frame, "results": results})


def estimate(A) -> Section:
    import critique.methods.mse as mse

    s, t = A.settings, A.table
    res = mse.run(t, A.procedure, n_boot=s.bootstrap_size, seed=s.seed, jobs=s.jobs)
    lo, hi = res.interval
    f = {"dataset": (s.dataset, None), "estimate_method": (res.description, None),
         "estimate_model": (res.model, None), "estimate_observed": (t.n_observed, None),
         "estimate_total": (res.total, None), "estimate_low": (pub(lo), res.interval_kind),
         "estimate_high": (pub(hi), None), "estimate_interval": (res.interval_kind, None)}
    b = res.bootstrap
    row = {"interval": res.interval_kind, "low": lo, "high": hi}
    if b is not None:
        row.update({k: v for k, v in b.summary().items()}, disagree=b.disagreement)
    text = _("**{name}** ({k} lists, {n:,} people): {description}.\n\nEstimate **{total}** (model: {model}); "
             "{interval}. ", name=t.name, k=t.k, n=t.n_observed, description=res.description,
             total=reading.fmt(res.total), model=res.model, interval=reading.interval_text(row, s.bootstrap_size)) \
        + " ".join(res.warnings)
    charts = {}
    if b is not None:
        for key, val in b.summary().items():
            if key != "estimate":
                f[f"bootstrap_{key}"] = (pub(val), None)
        charts["bootstrap-with-selection"] = dict(
            title=_("{name}: uncertainty once the model choice is counted", name=t.name),
            description=_("{n} resamples of the observed people, each with its own model choice; {below:.0%} fall "
                          "below the estimate. Reported interval: {kind}.", n=len(b.estimates) - b.n_failed,
                          below=b.share_below, kind=_(b.interval_kind)),
            caveat=[_(CAVEAT_BOOT), _(CAVEAT_MODEL)], n=_("{n} resamples", n=s.bootstrap_size), **A.source,
            data=pd.DataFrame({"resample_total": b.estimates, "model": b.models}),
            inputs=(b, res.intervals.get("profile (model known)")))
    return Section("estimate", f, {}, charts, text, {"result": res})


def false_positives(A) -> Section:
    import critique.methods.mse as mse

    s, t, cell = A.settings, A.table, A.fp_cell
    values = list(range(s.fp_min, s.fp_max + 1, s.fp_step))
    sweep = mse.false_positives(t, [cell], values, A.procedure, reselect=True, jobs=s.jobs)
    fixed = mse.false_positives(t, [cell], values, A.procedure, reselect=False, jobs=s.jobs)
    slope_fixed = mse.per_false_positive(fixed)
    removed = int(round(s.fp_share * A.fp_cell_count))
    share_total, _model = mse.select.quick_total(t.add_to_cell([cell], -removed), A.procedure, jobs=s.jobs)
    base = float(sweep.loc[sweep["f"] == 0, "total"].iloc[0])
    runs = reading.steps(sweep)
    f = {"fp_cell": (f"{cell} only", None),
         "fp_per_false_positive_fixed_model": (slope_fixed, "least-squares slope, model chosen on the "
                                               "published table kept"),
         "fp_reselected_steps": (runs, "runs of added people with the same re-selected model"),
         "fp_reselected_models": (len(runs), "distinct runs of the re-selected model over the sweep"),
         "fp_reselected_text": (reading.reselected_clause(sweep).replace("**", ""), "clause for the key finding"),
         "fp_min": (s.fp_min, None), "fp_max": (s.fp_max, None),
         "fp_share": (s.fp_share, None), "fp_share_removed": (removed, None),
         "fp_share_total": (share_total, "SCENARIO")}
    text = reading.false_positive_text(sweep, slope_fixed, cell, s.fp_share, removed, share_total, base)
    desc = (_("Estimated total as people are added to or removed from the {cell}-only cell: with the model held "
              "fixed, about {slope:,.1f} per person; with the model re-selected, the same model throughout.",
              cell=cell, slope=slope_fixed) if len(runs) == 1 else
            _("Estimated total as people are added to or removed from the {cell}-only cell: with the model held "
              "fixed, about {slope:,.1f} per person; with the model re-selected, a step function ({runs} runs of one "
              "model, joined by jumps where the model changes).", cell=cell, slope=slope_fixed, runs=len(runs)))
    charts = {"false-positives": dict(
        title=reading.false_positive_title(sweep, t.name), description=desc, scenario=True, **A.source,
        caveat=_("Hypothetical changes to a published table; no false-positive rate has been measured for these "
                 "lists."),
        n=_("{n} modified tables", n=len(sweep)),
        data=sweep.merge(fixed[["f", "total"]], on="f", suffixes=("", "_fixed_model")),
        inputs=(sweep, fixed, cell, A.fp_cell_count))}
    return Section("false_positives", f, {}, charts, text, {"sweep": sweep, "fixed": fixed})


def list_choices(A) -> Section:
    import critique.methods.mse as mse

    choices = mse.list_choices(A.table, A.procedure, jobs=A.settings.jobs)
    f = {"list_choices_min": (float(np.nanmin(choices["total"])), None),
         "list_choices_max": (float(np.nanmax(choices["total"])), None)}
    charts = {"list-choices": dict(
        title=_("{name}: dropping or merging one list", name=A.table.name),
        description=_("Estimated total under the same procedure when one list is dropped or two lists merged."),
        caveat=_(CAVEAT_MODEL), n=_("{n} tables", n=len(choices)), data=choices, **A.source, inputs=(choices,))}
    return Section("list_choices", f, {"list_choices": choices}, charts)
