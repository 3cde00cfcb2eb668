"""The reader tables, reading sentences and findings of :class:`~critique.methods.policy.result.PolicyAnalysis`
(a mixin: every method reads the sections the analysis computed). Sentences come from
:mod:`critique.methods.policy.reading`."""
from __future__ import annotations

from typing import Any

import pandas as pd

from critique.core.i18n import N_, _
from critique.methods.policy.analysis import SeriesAnalysis
from critique.methods.policy.comparison import ComparisonResult
from critique.methods.policy.reading import comparison_phrase, fit_line, placebo_phrase, ucr_reading

WHY = N_("A detected count reflects detection as well as prevalence: a law can also change policing, funding and "
       "recording, so neither a rise nor a fall identifies the law's effect on trafficking.")
WHY_UCR = N_("Yearly data cannot isolate April 2018 or separate FOSTA from the backpage.com seizure; agencies with a record "
           "grew in number over the period; GAO (GAO-21-385, June 2021) reports that DOJ had brought one case, in June "
           "2020, under FOSTA's new criminal provision.")
WHY_NOR = N_("The evaluation's own wording is a counterfactual ('than what would have been the case'), not a measurement.")
UCR_OFFENCES = (N_("Commercial Sex Acts"), N_("Involuntary Servitude"))
MODEL_LABELS = {"poisson": N_("quasi-Poisson"), "negbin": N_("negative-binomial"), "ols-log": N_("OLS-on-logs")}


def slug(text: str) -> str:
    """``"Other forms of exploitation"`` -> ``"other-forms-of-exploitation"`` (findings keys)."""
    return "-".join(text.lower().replace("(", "").replace(")", "").split())


class PolicyViews:
    """Reader tables, chart data, the closing reading and the findings (see the module docstring)."""

    @property
    def placebo_data(self) -> pd.DataFrame:
        parts = [pl.placebos.assign(policy_id=pid, kind=pl.kind, real=pl.real)
                 for pid, a in self.total_fits for pl in (a.placebo_time, a.placebo_units) if pl is not None]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    @property
    def results(self) -> pd.DataFrame:
        """Reader table: one row a fitted or refused series."""
        return pd.DataFrame([result_row(pid, cat, a, self.settings.alpha) for (pid, cat), a in self.analyses.items()])

    @property
    def range_data(self) -> pd.DataFrame:
        parts = [r.table.assign(policy_id=pid) for pid, r in self.ranges.items()]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    @property
    def range_summary(self) -> pd.DataFrame:
        return pd.DataFrame([{"policy_id": pid} | {k: v for k, v in r.summary().items() if k != "series"}
                             for pid, r in self.ranges.items()])

    @property
    def choice_evidence(self) -> pd.DataFrame:
        """The evidence behind the choices: each possible recording break, and 2019 against 2020."""
        rows = []
        for pid, rng in self.ranges.items():
            d = self.analyses[(pid, "Total")].data.set_index("year")["count"]
            rows += [{"policy_id": pid, "series": _("Total"), "what": _("possible recording break {before}->{after}",
                                                                          before=b - 1, after=b),
                      "before": d.get(b - 1), "after": d.get(b), "factor": d.get(b) / d.get(b - 1)} for b in rng.breaks]
            for cat in self.settings.series_names:
                a = self.analyses.get((pid, cat))
                dd = a.data.set_index("year")["count"] if a is not None else pd.Series(dtype=float)
                if a is not None and a.first_post_year <= 2020 and {2019, 2020} <= set(dd.index):
                    rows.append({"policy_id": pid, "series": _(cat), "what": _("2019->2020 (first Covid year)"),
                                 "before": dd[2019], "after": dd[2020], "factor": dd[2020] / dd[2019]})
        return pd.DataFrame(rows)

    def comparison_table_of(self, design: str) -> pd.DataFrame:
        """Reader table of one design (:meth:`compare`), its refusals in ``attrs["refusals"]``."""
        got = self.compare(design)
        out = pd.DataFrame([comparison_row(pid, d, r) for (pid, d, _start), r in got.items() if isinstance(r, ComparisonResult)])
        out.attrs["refusals"] = [r for r in got.values() if isinstance(r, str)]
        return out

    @property
    def comparison_data(self) -> pd.DataFrame:
        return pd.concat([r.placebos.assign(policy_id=k[0], design=k[1], window_start=r.years[0], real=r.estimate)
                          for k, r in self.comparison_results.items()], ignore_index=True)

    @property
    def comparison_table(self) -> pd.DataFrame:
        return pd.DataFrame([comparison_row(pid, design, r) for (pid, design, _start), r in self.comparison_results.items()])

    @property
    def ucr_results(self) -> pd.DataFrame:
        rows = []
        for (off, m), a in self.ucr.get("fits", {}).items():
            what = (_("fixed panel of {n} agencies, {model}", n=len(self.ucr["panel"]), model=self.settings.model)
                    if m == "panel" else _("all agencies, offset log agencies, {model}", model=m))
            rows.append(result_row(f"FBI {off}", what, a, self.settings.alpha))
        return pd.DataFrame(rows)

    @property
    def ucr_chart_data(self) -> pd.DataFrame:
        return pd.concat([pd.concat([every.assign(view="all agencies"),
                                     fixed.rename(columns={"agencies": "exposure"}).assign(view="fixed panel")]).assign(offence=off)
                          for off, (every, fixed) in self.ucr.get("series", {}).items()], ignore_index=True)

    def country_line(self, pid: str) -> str:
        """What the data show for one policy: the notebook model's fit, the specification range
        reading, the placebo in time, and each full-window comparison."""
        a = self.analyses.get((pid, "Total"))
        if a is None:
            return str(self.availability.set_index("policy_id").at[pid, "status"])
        if not a.fitted:
            return _("not fitted: {reason}", reason=str(a.refusal).split(": ", 1)[-1])
        s = a.summary()
        parts = [fit_line(self.settings.model, s)]
        rng = self.ranges.get(pid)
        if rng is not None:
            r = rng.summary()
            if r["n_fitted"]:
                parts.append(_("over {n} specifications ({refused} refused) estimates {low:+.0f}% to {high:+.0f}%",
                               n=r["n_specifications"], refused=r["n_refused"], low=r["estimate_min_pct"],
                               high=r["estimate_max_pct"]))
        parts.append(placebo_phrase(s.get("placebo_time_p"), s.get("placebo_time_rank"), s.get("placebo_time_n"),
                                    alpha=self.settings.alpha))
        parts += [comparison_phrase(d, r.summary()) for (p, d, st), r in self.comparison_results.items()
                  if p == pid and st is None]
        return _("; ").join(parts)

    def policy_reading(self, pid: str) -> str:
        """The reading of one policy: the specification-range reading (how many specifications
        exclude no change, and on which side), or why nothing was fitted."""
        a = self.analyses.get((pid, "Total"))
        if a is None or not a.fitted:
            return _("cannot be assessed with these data")
        rng = self.ranges.get(pid)
        return rng.reading() if rng is not None else _("one specification only")

    def reading(self) -> pd.DataFrame:
        """The closing table: claim, what the data show, reading, why (one row a policy, the FBI
        offences, and Norway's evaluation), with headers in the reader's language."""
        return self._closing().rename(columns={c: _(c) for c in CLOSING_COLUMNS})

    def _closing(self) -> pd.DataFrame:
        """:meth:`reading` with the English column keys the findings read."""
        rows = [{"claim": _("The detected count after {country} {year} ({policy_type}) shows the law's effect on "
                            "trafficking", country=r.country, year=r.year_in_force, policy_type=_(r.policy_type)),
                 "what the data show": _("{line} [date unverified]", line=self.country_line(r.policy_id))
                 if r.verification == "unverified" else self.country_line(r.policy_id),
                 "reading": self.policy_reading(r.policy_id), "why": _(WHY)} for r in self.policies.itertuples()]
        for off in UCR_OFFENCES if self.ucr else ():
            fits = [self.ucr["fits"][(off, m)] for m in self.settings.ucr_models]
            shown = [_("{model}: {change:+.0f}% ({low:.0f} to {high:+.0f})", model=m,
                       change=a.summary()["level_change_pct"], low=a.summary()["level_ci_pct"][0],
                       high=a.summary()["level_ci_pct"][1]) if a.fitted else
                     _("{model}: refused ({reason})", model=m, reason=str(a.refusal).split(": ", 1)[-1].split(";")[0])
                     for m, a in zip(self.settings.ucr_models, fits)]
            cis = [tuple(a.summary()["level_ci_pct"]) for a in fits if a.fitted]
            rows.append({"claim": _("FOSTA-SESTA changed recorded {offence} offences", offence=_(off).lower()),
                         "what the data show": _("per agency with at least one record, 4 years before / 3 after: "
                                                 "{fits}", fits=_("; ").join(shown)),
                         "reading": ucr_reading(cis, len(fits)), "why": _(WHY_UCR)})
        nor = "NOR-2009-client" in set(self.policies["policy_id"])
        rows.append({"claim": _("Norway's law made it less attractive for trafficking (Vista Analyse 2014)"),
                     "what the data show": self.country_line("NOR-2009-client") if nor else _("not selected"),
                     "reading": self.policy_reading("NOR-2009-client") if nor else _("not selected"), "why": _(WHY_NOR)})
        return pd.DataFrame(rows)

    def findings(self) -> dict[str, Any]:
        """Every findings key of notebook 50 (its first markdown cell lists them) with its value."""
        out: dict[str, Any] = {"policies_selected": self.policies["policy_id"].tolist(),
                               "n_policy_table_rows": len(self.table), "model": self.settings.model,
                               "model_label": _(MODEL_LABELS[self.settings.model])}
        both = self.both_sides
        out["n_policy_countries_data_both_sides"] = len({p[:3] for p in both})
        out["policies_no_series"] = [p for p in self.availability["policy_id"] if p not in both]
        out["n_control_units"] = len(self.control_pool.get("Total", {}))
        ver = self.policies.set_index("policy_id")["verification"]
        for (pid, cat), a in self.analyses.items():
            out[f"its.{pid}.{slug(cat)}"] = a.summary() | {"date_verification": ver[pid]}
        out["policies_fitted"] = self.fitted_ids
        out["policies_refused"] = sorted({pid for (pid, cat), a in self.analyses.items() if cat == "Total" and not a.fitted})
        for pid, rng in self.ranges.items():
            out[f"spec.{pid}.total"] = rng.summary()
            out[f"spec_table.{pid}.total"] = rng.table.drop(columns=["label"]).to_dict(orient="records")
        for (pid, design, start), r in self.comparisons.items():
            key = f"comparison.{pid}.{design}." + ("full" if start is None else f"from-{start}")
            out[key] = ({"status": "fitted"} | r.summary()) if isinstance(r, ComparisonResult) else {"status": "refused", "reason": r}
        out |= self._fosta_findings()
        if self.ucr:
            out["ucr.panel_agencies"] = len(self.ucr["panel"])
            for (off, m), a in self.ucr["fits"].items():
                out[f"ucr.{slug(off)}." + ("panel" if m == "panel" else f"all-agencies.{m}")] = a.summary()
        out["claims_readings"] = dict(zip(*[self._closing()[c] for c in ("claim", "reading")]))
        return out

    def _fosta_findings(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        cits = self.comparison_results.get(("USA-2018-fosta", "comparative-its", None))
        if cits is not None:
            c = cits.summary()
            out |= {"fosta_cits_pct": c["estimate_pct"], "fosta_cits_units": c["n_units"],
                    "fosta_cits_placebo_p": c["placebo_p"], "fosta_cits_placebo_rank": c["placebo_rank"],
                    "fosta_cits_placebo_ranks": c["placebo_n"] + 1}
        rng = self.ranges.get("USA-2018-fosta")
        if rng is None:
            return out
        r = rng.summary()
        out |= {"fosta_spec_n": r["n_specifications"], "fosta_spec_fitted": r["n_fitted"],
                "fosta_spec_refused": r["n_refused"], "fosta_spec_with_zero": r["n_intervals_with_zero"],
                "fosta_spec_exclude_fall": r["n_exclude_fall"], "fosta_spec_exclude_rise": r["n_exclude_rise"],
                "fosta_est_min_pct": r["estimate_min_pct"], "fosta_est_max_pct": r["estimate_max_pct"],
                "fosta_reading": rng.reading(),
                "fosta_spec_exclude_ols": r["n_exclude_by_model"].get("ols-log", 0),
                "fosta_spec_exclude_qp": r["n_exclude_by_model"].get("poisson", 0),
                "fosta_spec_exclude_nb": r["n_exclude_by_model"].get("negbin", 0)}
        first = int(rng.table["pre_start"].min())
        for label, start in (("full", first), ("after_break", rng.breaks[0] if rng.breaks else first)):
            row = rng.row(pre_start=start, breaks="none", covid="include", model=self.settings.model)
            out[f"fosta_{label}_start"] = start
            for k in ("level_change_pct", "ci_low_pct", "ci_high_pct"):
                out[f"fosta_{label}_{k.replace('level_change_', '').replace('_pct', '')}"] = row[k]
        return out

#: the closing table's columns (English keys; headers translated where the table is shown)
CLOSING_COLUMNS = (N_("claim"), N_("what the data show"), N_("reading"), N_("why"))


def result_row(pid: str, cat: str, a: SeriesAnalysis, alpha: float) -> dict[str, Any]:
    """Reader-table row of one series: status, estimate, interval, MDE, placebo ranks, dispersion
    (headers and words in the reader's language)."""
    if not a.fitted:
        return {"policy_id": pid, _("series"): _(cat),
                _("status"): _("refused: {reason}", reason=str(a.refusal).split(": ", 1)[-1])}
    s = a.summary()
    rank = "rank {rank} of {of}, p={p:.2f}"
    return {"policy_id": pid, _("series"): _(cat), _("status"): _("fitted"), _("first post year"): s["first_post_year"],
            _("n before/after"): f"{s['n_pre']}/{s['n_post']}", _("level change %"): round(s["level_change_pct"]),
            _("{level:.0f}% interval %", level=100 * (1 - alpha)):
                _("{low:.0f} to {high:.0f}", low=s["level_ci_pct"][0], high=s["level_ci_pct"][1]),
            _("MDE %"): round(s["mde_pct"]),
            _("placebo in time"): _("rank {rank} of {of}, p={p:.2f}", rank=s["placebo_time_rank"],
                                    of=s["placebo_time_n"] + 1, p=s["placebo_time_p"]),
            _("placebo across units"): (_(rank, rank=s["placebo_units_rank"], of=s["placebo_units_n"] + 1,
                                          p=s["placebo_units_p"]) if "placebo_units_rank" in s else _("not run")),
            _("dispersion"): round(s["diagnostics"].get("dispersion", float("nan")), 1)}


def comparison_row(pid: str, design: str, res: ComparisonResult) -> dict[str, Any]:
    """Reader-table row of one comparison-unit estimate (headers in the reader's language)."""
    s = res.summary()
    iv = (_("{low:.0f} to {high:.0f}", low=s["interval_pct"][0], high=s["interval_pct"][1]) if res.interval is not None
          else s["interval_note"])
    return {"policy_id": pid, _("design"): design, _("years"): f"{res.years[0]}-{res.years[1]}",
            _("comparison countries"): s["n_units"], _("estimate %"): round(s["estimate_pct"]),
            _("placebo interval %"): iv,
            _("placebo rank"): _("{rank} of {of}, p={p:.2f}", rank=s["placebo_rank"], of=s["placebo_n"] + 1,
                                 p=s["placebo_p"])}
