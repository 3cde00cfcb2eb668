"""Notebook 50's whole analysis as one result object: :func:`analyse` -> :class:`PolicyAnalysis`.

``analyse(glotip, policies, settings)`` selects the policy changes, reduces the UNODC frame once to
the rows every fit reads (one indicator, sex and age Total, the total and the forms, usable rows,
the chosen years) and builds each country's series and the comparison pool once. The sections are
computed when first asked for (``availability`` at once; ``analyses``, ``ranges``, ``comparisons``
and ``ucr`` on first use), so a notebook cell pays only for its own section. Every reader table,
reading sentence (:mod:`critique.methods.policy.reading`) and findings key comes from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any, Mapping

import pandas as pd

from critique.methods.policy.analysis import SeriesAnalysis, analyse_series
from critique.methods.policy.comparison import ComparisonResult, difference_in_differences
from critique.methods.policy.captions import DETECTION_CAVEAT, chart_caption
from critique.methods.policy.reading import availability_status
from critique.methods.policy.refusals import PolicyError
from critique.methods.policy.series import glotip_panel, glotip_series, policy_timing, ucr_fixed_panel, ucr_yearly, usable_rows
from critique.methods.policy.specification import SpecificationRange, specification_range
from critique.methods.policy.views import UCR_OFFENCES, PolicyViews

US_POST = 2018


@dataclass(frozen=True)
class PolicySettings:
    """Notebook 50's parameters (its parameter cell documents each)."""

    countries: tuple[str, ...] = ("SWE", "NOR", "ISL", "CAN", "GBR", "FRA", "IRL", "ISR", "USA", "NZL", "BEL", "NLD", "DEU")
    policy_types: tuple[str, ...] = ("client criminalisation", "platform liability (FOSTA-SESTA)", "decriminalisation",
                                     "legalisation or regulation")
    indicator: str = "Detected trafficking victims"
    forms: tuple[str, ...] = ("Sexual exploitation", "Forced labour", "Other forms of exploitation")
    model: str = "poisson"
    year_start: int = 2003
    year_end: int = 2021
    post_rule: str = "majority"
    min_points: int = 3
    min_resid_df: int = 3
    suppressed: str = "drop"
    alpha: float = 0.05
    power: float = 0.8
    placebo_pre_only: bool = False
    placebo_exclude_within: int = 0
    placebo_units: bool = True
    max_control_units: int = 250
    break_ratio: float = 3.0
    covid_rules: tuple[str, ...] = ("include", "indicator")
    spec_models: tuple[str, ...] = ("poisson", "negbin", "ols-log")
    comparison_designs: tuple[str, ...] = ("did", "comparative-its")
    ucr_year_start: int = 2014
    ucr_panel_start: int = 2015
    ucr_models: tuple[str, ...] = ("poisson", "negbin", "ols-log")

    @classmethod
    def from_parameters(cls, params: Mapping[str, Any]) -> "PolicySettings":
        """Settings from a notebook's parameters (its globals): every field found there, lists as tuples."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in params.items() if k in names})

    @property
    def fit(self) -> dict[str, Any]:
        return dict(model=self.model, min_points=self.min_points, min_resid_df=self.min_resid_df, alpha=self.alpha)

    @property
    def series_names(self) -> list[str]:
        return ["Total"] + list(self.forms)


def reduce_glotip(glotip: pd.DataFrame, s: PolicySettings) -> pd.DataFrame:
    """The rows every fit reads, selected once: usable rows of ``s.indicator``, sex and age Total,
    dimension Total or by form, years ``s.year_start..s.year_end``."""
    g = usable_rows(glotip)
    keep = ((g["indicator"] == s.indicator) & (g["sex"] == "Total") & (g["age"] == "Total")
            & g["dimension"].isin(["Total", "by form of exploitation"]) & g["year"].between(s.year_start, s.year_end))
    return g[keep].copy()


@dataclass
class PolicyAnalysis(PolicyViews):
    """Every section of notebook 50 (see the module docstring)."""

    settings: PolicySettings
    policies: pd.DataFrame  # selected rows of policy-changes with first_post_year and date_basis
    table: pd.DataFrame  # the whole policy-changes table (its countries are never comparison units)
    frame: pd.DataFrame  # the reduced UNODC frame
    ucr_frame: pd.DataFrame | None = None
    series: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False)
    _by_design: dict[str, dict[tuple[str, str, int | None], ComparisonResult | str]] = field(default_factory=dict, repr=False)

    def _series(self, iso3: str, cat: str) -> pd.DataFrame:
        if (iso3, cat) not in self.series:
            self.series[(iso3, cat)] = glotip_series(self.frame, iso3, indicator=self.settings.indicator, category=cat,
                                                     suppressed=self.settings.suppressed, duplicates="sum")
        return self.series[(iso3, cat)]

    # ------------------------------------------------------------ 1. data availability
    @cached_property
    def availability(self) -> pd.DataFrame:
        """One row a selected policy: years before/after with a published total, and its status."""
        s, rows = self.settings, []
        for rec in self.policies.itertuples():
            years = self._series(rec.iso3, "Total")["year"].astype(int).tolist()
            pre = [y for y in years if y < rec.first_post_year]
            post = [y for y in years if y >= rec.first_post_year]
            status, short = availability_status(jurisdiction=rec.jurisdiction, country=rec.country,
                                                indicator=s.indicator, first_post_year=rec.first_post_year,
                                                years_before=len(pre), years_after=len(post), min_points=s.min_points,
                                                year_start=s.year_start, year_end=s.year_end)
            rows.append({"policy_id": rec.policy_id, "label": f"{rec.country} {rec.year_in_force}",
                         "first_post_year": rec.first_post_year, "verification": rec.verification, "pre": pre,
                         "post": post, "years_before": len(pre), "years_after": len(post),
                         "span": f"{min(years)}-{max(years)}" if years else "none", "status": status, "short": short})
        return pd.DataFrame(rows)

    @property
    def both_sides(self) -> list[str]:
        """Policies with at least one published year on each side (sub-national laws left out)."""
        a = self.availability
        national = a["policy_id"].map(self.policies.set_index("policy_id")["jurisdiction"]).eq("national")
        ok = (a["years_before"] > 0) & (a["years_after"] > 0) & national  # a sub-national law is skipped
        return a.loc[ok, "policy_id"].tolist()

    # ------------------------------------------------------------ 2. fits, placebos, MDE
    @cached_property
    def control_pool(self) -> dict[str, dict[str, pd.DataFrame]]:
        """Comparison countries (none in the policy table) with any published count, per series."""
        s = self.settings
        if s.max_control_units <= 0:
            return {}
        out = {}
        for cat in s.series_names:
            pool = glotip_panel(self.frame, indicator=s.indicator, category=cat, suppressed=s.suppressed,
                                exclude=set(self.table["iso3"]))
            out[cat] = dict(sorted(pool.items())[:s.max_control_units])
        return out

    @cached_property
    def analyses(self) -> dict[tuple[str, str], SeriesAnalysis]:
        """The notebook model's fit (or refusal), placebos and MDE for every policy with data on
        both sides, total and each form."""
        s, out = self.settings, {}
        for rec in self.policies[self.policies["policy_id"].isin(self.both_sides)].itertuples():
            for cat in s.series_names:
                out[(rec.policy_id, cat)] = analyse_series(
                    self._series(rec.iso3, cat), rec.first_post_year, series=f"{rec.country} {cat.lower()}",
                    controls=self.control_pool.get(cat) if s.placebo_units else None,
                    placebo_pre_only=s.placebo_pre_only, placebo_exclude_within=s.placebo_exclude_within,
                    power=s.power, **s.fit)
        return out

    @property
    def fitted_ids(self) -> list[str]:
        return sorted({pid for (pid, cat), a in self.analyses.items() if cat == "Total" and a.fitted})

    @property
    def refusals(self) -> list[str]:
        return [str(a.refusal) for a in self.analyses.values() if not a.fitted]

    def policy(self, pid: str) -> Any:
        """The selected policy row ``pid`` (a named tuple: country, year_in_force, first_post_year...)."""
        return next(r for r in self.policies.itertuples() if r.policy_id == pid)

    def its_panels(self, pid: str) -> list[tuple[str, SeriesAnalysis]]:
        """``(series, analysis)`` for the total and each form of one policy (the chart's panels)."""
        return [(cat, self.analyses[(pid, cat)]) for cat in self.settings.series_names if (pid, cat) in self.analyses]

    def its_data(self, pid: str) -> pd.DataFrame:
        return pd.concat([a.data.assign(series=cat) for cat, a in self.its_panels(pid)], ignore_index=True)

    def caption(self, name: str, pid: str | None = None) -> dict[str, Any]:
        """Keywords of ``charts.finalise`` for chart ``name`` (:func:`critique.methods.policy.captions.chart_caption`)."""
        return chart_caption(self, name, pid)

    @property
    def total_fits(self) -> list[tuple[str, SeriesAnalysis]]:
        return [(pid, self.analyses[(pid, "Total")]) for pid in self.fitted_ids]

    # ------------------------------------------------------------ 3. specification ranges
    @cached_property
    def ranges(self) -> dict[str, SpecificationRange]:
        s, out = self.settings, {}
        pol = self.policies.set_index("policy_id")
        for pid in self.fitted_ids:
            out[pid] = specification_range(self.analyses[(pid, "Total")].data, int(pol.at[pid, "first_post_year"]),
                                           series=f"{pol.at[pid, 'country']} total", alpha=s.alpha,
                                           min_points=s.min_points, min_resid_df=s.min_resid_df,
                                           break_ratio=s.break_ratio, covid_rules=list(s.covid_rules),
                                           models=list(s.spec_models))
        return out

    @property
    def range_refusals(self) -> list[str]:
        return [f"{pid}: {r}" for pid, rng in self.ranges.items()
                for r in rng.table.loc[rng.table["status"] == "refused", "reason"]]

    # ------------------------------------------------------------ 4. comparison units
    def compare(self, design: str) -> dict[tuple[str, str, int | None], ComparisonResult | str]:
        """Each fitted total against comparison countries for one design, over the full window and
        from the first recording break; a refusal is kept as its message. Computed once a design
        (a notebook runs each design in its own cell: each is hundreds of pyfixest fits)."""
        if design not in self._by_design:
            s, out = self.settings, {}
            pol = self.policies.set_index("policy_id")
            for pid in self.fitted_ids:
                for start in [None] + list(self.ranges[pid].breaks[:1]):
                    try:
                        out[(pid, design, start)] = difference_in_differences(
                            self.analyses[(pid, "Total")].data, self.control_pool.get("Total", {}),
                            int(pol.at[pid, "first_post_year"]), series=f"{pol.at[pid, 'country']} total", design=design,
                            treated_label=str(pol.at[pid, "iso3"]), start=start, end=s.year_end,
                            min_points=s.min_points, alpha=s.alpha)
                    except PolicyError as err:
                        out[(pid, design, start)] = str(err)
            self._by_design[design] = out
        return self._by_design[design]

    @property
    def comparisons(self) -> dict[tuple[str, str, int | None], ComparisonResult | str]:
        """Every design of the settings (:meth:`compare`), in the order the old notebook recorded them."""
        every: dict[tuple[str, str, int | None], ComparisonResult | str] = {}
        for design in self.settings.comparison_designs:
            every |= self.compare(design)
        return dict(sorted(every.items(), key=lambda kv: (self.fitted_ids.index(kv[0][0]),
                                                           self.settings.comparison_designs.index(kv[0][1]),
                                                           kv[0][2] is not None)))

    @property
    def comparison_results(self) -> dict[tuple[str, str, int | None], ComparisonResult]:
        return {k: v for k, v in self.comparisons.items() if isinstance(v, ComparisonResult)}

    @property
    def comparison_refusals(self) -> list[str]:
        return [v for v in self.comparisons.values() if isinstance(v, str)]

    @property
    def max_comparison_units(self) -> int:
        return max((len(r.units) for r in self.comparison_results.values()), default=0)

    # ------------------------------------------------------------ 5. FBI UCR around FOSTA
    @cached_property
    def ucr(self) -> dict[str, Any]:
        """FBI series around 2018: per offence the all-agency and fixed-panel series and every fit."""
        s = self.settings
        if self.ucr_frame is None:
            return {}
        ucr = self.ucr_frame[self.ucr_frame["year"] >= s.ucr_year_start]
        panel = ucr_fixed_panel(ucr, range(s.ucr_panel_start, 2021))
        out: dict[str, Any] = {"panel": panel, "series": {}, "fits": {}, "agencies": int(ucr["ori"].nunique())}
        for off in UCR_OFFENCES:
            every = ucr_yearly(ucr, [off]).rename(columns={"agencies": "exposure"})
            fixed = ucr_yearly(ucr, [off], agencies=panel, years=range(s.ucr_panel_start, 2021))
            out["series"][off] = (every, fixed)
            for m in s.ucr_models:
                out["fits"][(off, m)] = analyse_series(every[["year", "count", "exposure"]], US_POST,
                                                       series=f"FBI {off} (all agencies)", power=s.power, model=m,
                                                       min_points=s.min_points, min_resid_df=s.min_resid_df, alpha=s.alpha)
            out["fits"][(off, "panel")] = analyse_series(fixed[["year", "count"]], US_POST, series=f"FBI {off} (fixed panel)",
                                                         power=s.power, **s.fit)
        return out

    # ------------------------------------------------------------ 6. claim / what the data show / why
    # ------------------------------------------------------------ findings


def analyse(glotip: pd.DataFrame, policies: pd.DataFrame, settings: PolicySettings = PolicySettings(), *,
            ucr: pd.DataFrame | None = None) -> PolicyAnalysis:
    """Notebook 50's analysis (module docstring). ``glotip``: the ``glotip`` loader frame of one
    release; ``policies``: the ``policy-changes`` table; ``ucr``: the ``fbi-ucr-ht`` frame or None.
    Raises PolicyError for a post rule or model the fits do not know."""
    s = settings
    timing = policy_timing(policies, rule=s.post_rule)
    sel = policies.merge(timing, on=["policy_id", "verification"])
    sel = sel[sel["iso3"].isin(list(s.countries)) & sel["policy_type"].isin(list(s.policy_types))].reset_index(drop=True)
    return PolicyAnalysis(s, sel, policies, reduce_glotip(glotip, s), ucr)
