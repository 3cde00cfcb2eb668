"""Workshop exercise 4 ("between 10 thousand and 13 thousand") as one analysis object.

:func:`uk_exercise` runs what the exercise shows (the 2014 stepwise path on six lists, the same
authors' procedures on the UK tables with the model choice repeated in a bootstrap, and the
log-linear, dga and LCMCR estimates on the five lists) and returns the numbers, chart inputs,
findings and the two answer texts. The procedures are :func:`critique.methods.mse.author_procedures`, run
as the authors' code runs them in every resample; the sentences follow the rules of
:mod:`critique.methods.mse.reading`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from critique.methods.mse import reading
from critique.methods.mse.section import interval_columns, pub
from critique.methods.mse.table import CaptureTable

ANSWER_KEYS = ("estimates_min", "estimates_max", "selected_total", "selected_low", "selected_high",
               "methods_counted", "methods_not_counted")
QUOTE_2024 = ('In the authors\' own later words, such intervals "are often reported conditional on the model '
              'selected, providing an over-optimistic impression of estimation accuracy" (Silverman, Chan '
              'and Vincent, arXiv 2303.17856).')


@dataclass
class UKExercise:
    """Exercise 4's results: ``path`` (stepwise path on six lists), ``frame`` (procedures),
    ``methods`` (many methods on five lists), ``findings`` (key -> (value, note)), ``answers``."""

    observed: int
    published: tuple[float, float]
    path: pd.DataFrame
    frame: pd.DataFrame
    results: list = field(repr=False)
    methods: pd.DataFrame = field(repr=False)
    findings: dict = field(default_factory=dict)
    answers: list = field(default_factory=list)

    def record(self, recorder, answers: bool = False) -> None:
        """Record the findings with ``recorder(key, value, note)`` (the notebook passes
        ``critique.publish.findings.record``): those a question may show, or with ``answers=True``
        the answer's (``ANSWER_KEYS``), recorded from an answer cell so that the question version's
        findings.json holds none of them."""
        for key, (value, note) in self.findings.items():
            if (key in ANSWER_KEYS) == answers:
                recorder(key, value, note)


def spans(frame: pd.DataFrame) -> list[tuple[float, float]]:
    """Per row of the procedures ``frame`` (with :func:`interval_columns`' ``disagree``,
    ``percentile_low``, ``percentile_high``), the range a reader may be shown: the reported interval
    (``low``, ``high``), or, where BCa and the percentile interval disagree, from the lower to the
    higher end of both, since neither should be quoted alone (notebook 40, section 2)."""
    out = []
    for _, r in frame.iterrows():
        lo, hi = float(r["low"]), float(r["high"])
        if str(r.get("disagree", "") or ""):
            lo, hi = min(lo, float(r["percentile_low"])), max(hi, float(r["percentile_high"]))
        out.append((lo, hi))
    return out


def procedures_answer(path: pd.DataFrame, total: float, ci: tuple[float, float],
                      frame: pd.DataFrame, published: tuple[float, float]) -> str:
    """Answers 1-4: where the unobserved come from, which procedures reproduce the range, what the
    range leaves out. The verdict sentence appears only when the stepwise six-list estimate is in
    the range and the package default is not."""
    inside = frame[frame["in_published_range"]]
    outside = frame[~frame["in_published_range"]]
    boot = frame[frame["interval"].str.startswith("bootstrap")]
    same = (round(ci[0], -3), round(ci[1], -3)) == tuple(published)
    verdict = ""
    if "uk6_stepwise" in set(inside["key"]) and "uk5_bic_default" in set(outside["key"]):
        verdict = (" The procedure its author says the range came from reproduces it, rounded to the thousand, with the "
                   "interval that treats the chosen model as known; the authors' own later default gives "
                   "a total outside it." if same else
                   " The procedure its author says the range came from gives a point estimate inside it; the authors' own "
                   "later default does not.")
    match = ("rounded to the thousand, the published range" if same else
             f"against the published {reading.fmt(published[0])} to {reading.fmt(published[1])}")
    if len(boot) and "disagree" in boot:
        n_boot = int(boot["n_boot"].iloc[0]) if "n_boot" in boot else 0
        widths = " Repeating the model choice in resamples:\n\n" + "\n".join(
            f"* {r['procedure']} on {r['table']}: {reading.interval_text(r, n_boot)}."
            for _, r in boot.iterrows()) + "\n\n"
    elif len(boot):
        widths = (f" Repeating the model choice in resamples, their 95% intervals run from "
                  f"{reading.fmt(boot['low'].min())} to {reading.fmt(boot['high'].max())}.")
    else:
        widths = ""
    return (f"""The other people are **not counted but modelled**: the total rests on assumptions about how
the lists overlap. Models along the stepwise path give totals from {reading.fmt(path['total'].min())} to
{reading.fmt(path['total'].max())}; the selected one gives {reading.fmt(total)} with an interval of
{reading.fmt(ci[0])} to {reading.fmt(ci[1])} that treats the chosen model as known: {match}.

Procedures (the authors' stepwise and BIC, and this suite's BIC-weighted average) that give a total
**inside** 10,000-13,000: {reading.listing(inside)}.
Procedures that give a total **outside** it: {reading.listing(outside)}.{verdict}

An interval computed for the chosen model alone leaves out the uncertainty of choosing it.
{QUOTE_2024}{widths} Whitehead, Jackson, Balch and Francis (2021) concluded that MSE "is not a
suitable method for estimating numbers of potential victims of modern slavery" in the UK. People on the
lists are *potential* victims referred by agencies; with the model held fixed, each false positive on a
list-only cell is scaled up into several estimated people, and with the model re-selected the total can
jump when the chosen model changes (notebook 40, section 7, shows both).""")


def methods_answer(methods: pd.DataFrame, table: str) -> str:
    """Answer 5: the spread across families of method, counting only methods with a quotable total
    (:func:`critique.methods.mse.reading.methods_text`)."""
    return (reading.methods_text(methods, table) + """ The log-linear variants share one set of
assumptions, so their agreement is not independent confirmation. The table alone does not decide between
the families' assumptions, so the spread between them belongs in the uncertainty: the 10,000-13,000 range
is one procedure's answer, not what the lists establish. None of the methods can check the assumptions
they all share (a closed population, correct matching, everyone on a list a victim).""")


def uk_exercise(*, bootstrap_size: int = 200, lcmcr_samples: int = 1000, seed: int = 2013,
                jobs: int = 2) -> UKExercise:
    """Run exercise 4. ``bootstrap_size``: resamples per procedure (0: model-known intervals);
    ``lcmcr_samples``: LCMCR draws kept per chain (four chains, the suite's default length)."""
    import critique.methods.mse as mse
    from critique.datasets import published

    t6, t5 = CaptureTable.from_dataset("mse-uk-2013"), CaptureTable.from_dataset("mse-uk-2013-5")
    meta = published.meta("mse-uk-2013")["published_estimate"]
    pub_range = (meta["low"], meta["high"])
    P = mse.author_procedures()
    sel = mse.stepwise(t6)  # the 2014 procedure: forward stepwise, pthresh 0.02
    path = sel.models[["step", "added", "model", "total"]]
    keys = ["uk6_stepwise", "uk5_stepwise", "uk5_bic_default", "uk5_bic_pairwise", "uk5_average"]
    runs = [(t6, P["stepwise"]), (t5, P["stepwise"]), (t5, P["bic_default"]), (t5, P["bic_pairwise"]),
            (t5, P["average"])]
    frame, results = mse.compare(runs, n_boot=bootstrap_size, seed=seed, jobs=jobs)
    frame.insert(0, "key", keys)
    frame["in_published_range"] = mse.estimators.within(frame, *pub_range)
    interval_columns(frame, results)
    frame["n_boot"] = bootstrap_size
    # UK five lists: chains at the short length (no length tried met the convergence rule; the
    # result is listed as not converged), see critique.methods.mse.bayesian.LCMCR_SHORT_THINNING
    methods, _ = mse.one_table_many_methods([t5], mse.many_methods(
        samples=lcmcr_samples, thinning=mse.bayesian.LCMCR_SHORT_THINNING),
                                            n_boot=bootstrap_size, seed=seed, jobs=jobs)
    lo, hi = sel.best.ci["profile"]
    mm = methods.set_index("key")
    ok, left = reading.converged_methods(methods)
    f = {"observed": (t6.n_observed, "people on at least one of the six lists"),
         "estimates_min": (float(path["total"].min()), None),
         "estimates_max": (float(path["total"].max()), None),
         "selected_total": (float(sel.best.total), "six lists, stepwise"),
         "selected_low": (float(lo), "profile likelihood, model treated as known"),
         "selected_high": (float(hi), None),
         "procedures": ({r["key"]: {"procedure": r["procedure"], "table": r["table"], "total": r["total"],
                                    "low": pub(r["low"]), "high": pub(r["high"]), "interval": r["interval"],
                                    "span_low": pub(span_low), "span_high": pub(span_high),
                                    "in_published_range": bool(r["in_published_range"])}
                         for (_, r), (span_low, span_high) in zip(frame.iterrows(), spans(frame))},
                        "span_low, span_high: the reported interval, or where BCa and percentile disagree "
                        "the span of both (neither to be quoted alone)"),
         "in_range": ([k for k, v in zip(frame["key"], frame["in_published_range"]) if v], None),
         "out_of_range": ([k for k, v in zip(frame["key"], frame["in_published_range"]) if not v], None),
         "methods": ({k: {"total": r["total"], "low": r["low"], "high": r["high"]} for k, r in mm.iterrows()}, None),
         "methods_lcmcr_converged": (bool(mm.loc["lcmcr", "converged"]), None),
         "methods_counted": (int(len(ok)), "methods with a finite total and converged chains"),
         "methods_not_counted": (left, None)}
    answers = [procedures_answer(path, sel.best.total, (lo, hi), frame, pub_range),
               methods_answer(methods, t5.name)]
    return UKExercise(t6.n_observed, pub_range, path, frame, results, methods, f, answers)

