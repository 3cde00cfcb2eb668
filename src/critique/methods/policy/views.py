"""The reader tables, reading sentences and findings of :class:`~critique.methods.policy.result.PolicyAnalysis`
(a mixin: every method reads the sections the analysis computed). Sentences come from
:mod:`critique.methods.policy.reading`."""
from __future__ import annotations

from typing import Any

import pandas as pd

from critique.methods.policy.analysis import SeriesAnalysis
from critique.methods.policy.comparison import ComparisonResult
from critique.methods.policy.reading import comparison_phrase, fit_line, placebo_phrase, ucr_reading

WHY = ("A detected count reflects detection as well as prevalence: a law can also change policing, funding and "
       "recording, so neither a rise nor a fall identifies the law's effect on trafficking.")
WHY_UCR = ("Yearly data cannot isolate April 2018 or separate FOSTA from the backpage.com seizure; agencies with a record "
           "grew in number over the period; GAO (GAO-21-385, June 2021) reports that DOJ had brought one case, in June "
           "2020, under FOSTA's new criminal provision.")
WHY_NOR = "The evaluation's own wording is a counterfactual ('than what would have been the case'), not a measurement."
UCR_OFFENCES = ("Commercial Sex Acts", "Involuntary Servitude")
MODEL_LABELS = {"poisson": "quasi-Poisson", "negbin": "negative-binomial", "ols-log": "OLS-on-logs"}


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
            rows += [{"policy_id": pid, "series": "Total", "what": f"possible recording break {b - 1}->{b}",
                      "before": d.get(b - 1), "after": d.get(b), "factor": d.get(b) / d.get(b - 1)} for b in rng.breaks]
            for cat in self.settings.series_names:
                a = self.analyses.get((pid, cat))
                dd = a.data.set_index("year")["count"] if a is not None else pd.Series(dtype=float)
                if a is not None and a.first_post_year <= 2020 and {2019, 2020} <= set(dd.index):
                    rows.append({"policy_id": pid, "series": cat, "what": "2019->2020 (first Covid year)",
                                 "before": dd[2019], "after": dd[2020], "factor": dd[2020] / dd[2019]})
        return pd.DataFrame(rows)

    def comparison_table_of(self, design: str) -> pd.DataFrame:
        """Reader table of one design (:meth:`compare`), its refusals in ``attrs["refusals"]``."""
        got = self.compare(design)
        out = pd.DataFrame([comparison_row(pid, d, r) for (pid, d, _), r in got.items() if isinstance(r, ComparisonResult)])
        out.attrs["refusals"] = [r for r in got.values() if isinstance(r, str)]
        return out

    @property
    def comparison_data(self) -> pd.DataFrame:
        return pd.concat([r.placebos.assign(policy_id=k[0], design=k[1], window_start=r.years[0], real=r.estimate)
                          for k, r in self.comparison_results.items()], ignore_index=True)

    @property
    def comparison_table(self) -> pd.DataFrame:
        return pd.DataFrame([comparison_row(pid, design, r) for (pid, design, _), r in self.comparison_results.items()])

    @property
    def ucr_results(self) -> pd.DataFrame:
        rows = []
        for (off, m), a in self.ucr.get("fits", {}).items():
            what = (f"fixed panel of {len(self.ucr['panel'])} agencies, {self.settings.model}" if m == "panel"
                    else f"all agencies, offset log agencies, {m}")
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
            return "not fitted: " + str(a.refusal).split(": ", 1)[-1]
        s = a.summary()
        parts = [fit_line(self.settings.model, s)]
        rng = self.ranges.get(pid)
        if rng is not None:
            r = rng.summary()
            if r["n_fitted"]:
                parts.append(f"over {r['n_specifications']} specifications ({r['n_refused']} refused) estimates "
                             f"{r['estimate_min_pct']:+.0f}% to {r['estimate_max_pct']:+.0f}%")
        parts.append(placebo_phrase(s.get("placebo_time_p"), s.get("placebo_time_rank"), s.get("placebo_time_n"),
                                    alpha=self.settings.alpha))
        parts += [comparison_phrase(d, r.summary()) for (p, d, st), r in self.comparison_results.items()
                  if p == pid and st is None]
        return "; ".join(parts)

    def policy_reading(self, pid: str) -> str:
        """The reading of one policy: the specification-range reading (how many specifications
        exclude no change, and on which side), or why nothing was fitted."""
        a = self.analyses.get((pid, "Total"))
        if a is None or not a.fitted:
            return "cannot be assessed with these data"
        rng = self.ranges.get(pid)
        return rng.reading() if rng is not None else "one specification only"

    def reading(self) -> pd.DataFrame:
        """The closing table: claim, what the data show, reading, why (one row a policy, the FBI
        offences, and Norway's evaluation)."""
        rows = [{"claim": f"The detected count after {r.country} {r.year_in_force} ({r.policy_type}) shows the law's "
                          "effect on trafficking",
                 "what the data show": self.country_line(r.policy_id) + (" [date unverified]" if r.verification == "unverified" else ""),
                 "reading": self.policy_reading(r.policy_id), "why": WHY} for r in self.policies.itertuples()]
        for off in UCR_OFFENCES if self.ucr else ():
            fits = [self.ucr["fits"][(off, m)] for m in self.settings.ucr_models]
            shown = [f"{m}: " + (f"{a.summary()['level_change_pct']:+.0f}% ({a.summary()['level_ci_pct'][0]:.0f} to "
                                 f"{a.summary()['level_ci_pct'][1]:+.0f})" if a.fitted
                                 else f"refused ({str(a.refusal).split(': ', 1)[-1].split(';')[0]})")
                     for m, a in zip(self.settings.ucr_models, fits)]
            cis = [tuple(a.summary()["level_ci_pct"]) for a in fits if a.fitted]
            rows.append({"claim": f"FOSTA-SESTA changed recorded {off.lower()} offences",
                         "what the data show": "per agency with at least one record, 4 years before / 3 after: " + "; ".join(shown),
                         "reading": ucr_reading(cis, len(fits)), "why": WHY_UCR})
        nor = "NOR-2009-client" in set(self.policies["policy_id"])
        rows.append({"claim": "Norway's law made it less attractive for trafficking (Vista Analyse 2014)",
                     "what the data show": self.country_line("NOR-2009-client") if nor else "not selected",
                     "reading": self.policy_reading("NOR-2009-client") if nor else "not selected", "why": WHY_NOR})
        return pd.DataFrame(rows)

    def findings(self) -> dict[str, Any]:
        """Every findings key of notebook 50 (its first markdown cell lists them) with its value."""
        out: dict[str, Any] = {"policies_selected": self.policies["policy_id"].tolist(),
                               "n_policy_table_rows": len(self.table), "model": self.settings.model,
                               "model_label": MODEL_LABELS[self.settings.model]}
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
        out["claims_readings"] = dict(zip(*[self.reading()[c] for c in ("claim", "reading")]))
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

def result_row(pid: str, cat: str, a: SeriesAnalysis, alpha: float) -> dict[str, Any]:
    """Reader-table row of one series: status, estimate, interval, MDE, placebo ranks, dispersion."""
    if not a.fitted:
        return {"policy_id": pid, "series": cat, "status": "refused: " + str(a.refusal).split(": ", 1)[-1]}
    s = a.summary()
    return {"policy_id": pid, "series": cat, "status": "fitted", "first post year": s["first_post_year"],
            "n before/after": f"{s['n_pre']}/{s['n_post']}", "level change %": round(s["level_change_pct"]),
            f"{100 * (1 - alpha):.0f}% interval %": f"{s['level_ci_pct'][0]:.0f} to {s['level_ci_pct'][1]:.0f}",
            "MDE %": round(s["mde_pct"]),
            "placebo in time": f"rank {s['placebo_time_rank']} of {s['placebo_time_n'] + 1}, p={s['placebo_time_p']:.2f}",
            "placebo across units": (f"rank {s['placebo_units_rank']} of {s['placebo_units_n'] + 1}, p={s['placebo_units_p']:.2f}"
                                     if "placebo_units_rank" in s else "not run"),
            "dispersion": round(s["diagnostics"].get("dispersion", float("nan")), 1)}


def comparison_row(pid: str, design: str, res: ComparisonResult) -> dict[str, Any]:
    """Reader-table row of one comparison-unit estimate."""
    s = res.summary()
    iv = f"{s['interval_pct'][0]:.0f} to {s['interval_pct'][1]:.0f}" if res.interval is not None else s["interval_note"]
    return {"policy_id": pid, "design": design, "years": f"{res.years[0]}-{res.years[1]}",
            "comparison countries": s["n_units"], "estimate %": round(s["estimate_pct"]), "placebo interval %": iv,
            "placebo rank": f"{s['placebo_rank']} of {s['placebo_n'] + 1}, p={s['placebo_p']:.2f}"}
