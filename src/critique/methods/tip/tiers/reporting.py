"""Tier against what a country reports to UNODC: reporting by country-year, the two side by side,
and an ordered logit of tier on reporting (descriptive, partly by construction)."""
from __future__ import annotations
from critique.core.i18n import _

from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from critique.methods.tip.tiers.placements import TIER_ORDER, _check_years


# --------------------------------------------------------------------------------------------
# Tier against what a country reports to UNODC
# --------------------------------------------------------------------------------------------
def unodc_reporting(glotip: pd.DataFrame,
                    indicator: str = "Detected trafficking victims", *,
                    partial_years: Iterable[int] | None = None) -> pd.DataFrame:
    """Per country and data year: reported (bool) and the national total of ``indicator``.

    Only usable rows count (``exclude_reason`` missing; see ``critique.datasets.glotip_rules``):
    UNODC's placeholder rows (every by-form cell "<5" with no total, or a total the forms cannot
    reach) are not reports, and parts of a country are not the country. ``reported`` is True when
    any usable row of the indicator has a value or a "<5" cell (0 to 4); ``value`` is the
    Total/Total/Total/Total row (missing when "<5": see value_low/high). Data years in
    ``partial_years`` (default: the release's partial latest year, ``glotip_rules.partial_years``)
    are left out: a country missing from a year that is still being reported is unknown, not a
    non-reporter. Columns: iso3, data_year, reported, value, value_low, value_high.
    """
    from critique.datasets import glotip_rules

    sub = glotip_rules.usable(glotip)
    sub = sub.loc[(sub["indicator"] == indicator) & sub["iso3"].notna()]
    if sub.empty:
        raise ValueError(f"unodc_reporting: indicator {indicator!r} not in glotip; known: "
                         f"{sorted(glotip['indicator'].dropna().unique())[:8]}")
    skip = glotip_rules.partial_years(glotip, indicator=indicator) if partial_years is None else list(partial_years)
    sub = sub.loc[~sub["year"].isin([int(y) for y in skip])]
    has = sub["value"].notna() | sub["suppressed"].astype(bool)
    rep = has.groupby([sub["iso3"], sub["year"]]).any().rename("reported")
    tot = sub.loc[(sub["dimension"] == "Total") & (sub["category"] == "Total")
                  & (sub["sex"] == "Total") & (sub["age"] == "Total")]
    tot = tot.groupby(["iso3", "year"])[["value", "value_low", "value_high"]].max()
    out = rep.to_frame().join(tot).reset_index().rename(columns={"year": "data_year"})
    return out


def tier_vs_reporting(tiers: pd.DataFrame, reporting: pd.DataFrame, *, lag: int = 1,
                      years: Sequence[int] | None = None) -> pd.DataFrame:
    """Tier in report year R beside what the country reported to UNODC for data year R - ``lag``.

    A report published in year R assesses roughly the previous calendar year, hence ``lag=1``.
    Only complete report years are used (a partial year's rated countries are a selection) and only
    data years UNODC covers; a country with no UNODC row for the year counts as not reporting.
    Columns: iso3, report_year, data_year, tier, reported, victims, log_victims (log1p, 0 when
    not reported; a "<5" cell counts at its lower bound, 0).
    """
    yrs = _check_years(tiers, years, "drop")
    lo, hi = int(reporting["data_year"].min()), int(reporting["data_year"].max())
    yrs = [y for y in yrs if lo <= y - lag <= hi]
    t = tiers.loc[tiers["report_year"].isin(yrs) & tiers["tier"].notna(),
                  ["iso3", "report_year", "tier"]].copy()
    t["data_year"] = t["report_year"] - lag
    out = t.merge(reporting, on=["iso3", "data_year"], how="left")
    out["reported"] = out["reported"].fillna(False).astype(bool)
    victims = out["value"].fillna(out["value_low"]).where(out["reported"])
    out["victims"] = victims
    out["log_victims"] = np.log1p(victims.fillna(0.0)).astype(float)
    return out[["iso3", "report_year", "data_year", "tier", "reported", "victims", "log_victims"]]


def reporting_by_tier(frame: pd.DataFrame) -> pd.DataFrame:
    """Per tier: n (country-years), share reporting to UNODC, median detected victims of reporters."""
    g = frame.groupby("tier", observed=False)
    return pd.DataFrame({
        "n": g.size(),
        "share_reporting": g["reported"].mean(),
        "median_victims_if_reporting": g["victims"].median(),
    }).reset_index()


@dataclass
class TierModelResult:
    """An ordered logit of tier on UNODC reporting, with its sample and diagnostics.

    ``fitted`` is False (and ``reason`` says why) when a fit would not be honest: too few
    observations, a tier with too few countries, or a predictor without variation.
    """

    fitted: bool
    reason: str
    n: int
    n_countries: int
    years: list[int]
    counts_by_tier: dict[str, int]
    params: pd.DataFrame = field(default_factory=pd.DataFrame)
    llf: float = np.nan
    llnull: float = np.nan
    pseudo_r2: float = np.nan
    lr_pvalue: float = np.nan
    converged: bool = False
    cov_type: str = ""
    warnings: list[str] = field(default_factory=list)


def fit_tier_model(frame: pd.DataFrame, *, predictors: Sequence[str] = ("reported", "log_victims"),
                   min_n: int = 60, min_per_tier: int = 5) -> TierModelResult:
    """Ordered logit of tier (1 < 2 < 2WL < 3) on UNODC reporting (statsmodels ``OrderedModel``).

    Model: P(tier <= k) = F(c_k - x'b) with F logistic (McCullagh 1980; statsmodels
    ``miscmodels.ordinal_model.OrderedModel``). A positive coefficient means a *worse* tier.
    Country-years of one country are not independent, so standard errors are clustered by
    country when more than one report year is pooled. The TIP report's tier criteria themselves
    weigh a government's law-enforcement data, so an association is partly by construction and
    cannot separate effort from reporting capacity.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    data = frame.dropna(subset=["tier", *predictors])
    counts = {str(k): int(v) for k, v in data["tier"].value_counts().reindex(list(TIER_ORDER),
                                                                             fill_value=0).items()}
    years = sorted(int(y) for y in data["report_year"].unique())
    res = TierModelResult(False, "", len(data), int(data["iso3"].nunique()), years, counts)
    present = {k: v for k, v in counts.items() if v > 0}
    if len(data) < min_n:
        res.reason = _("only {n} country-years (< min_n={min_n})", n=len(data), min_n=min_n)
        return res
    if len(present) < 3 or min(present.values()) < min_per_tier:
        res.reason = _("too few countries in some tier: {counts} (min_per_tier={min_per_tier})", counts=counts,
                       min_per_tier=min_per_tier)
        return res
    X = data[list(predictors)].astype(float)
    flat = [p for p in predictors if X[p].nunique() < 2]
    if flat:
        res.reason = _("no variation in predictor(s) {flat}", flat=flat)
        return res
    y = data["tier"].cat.remove_unused_categories()
    model = OrderedModel(y.reset_index(drop=True), X.reset_index(drop=True), distr="logit")
    if len(years) > 1:
        fit = model.fit(method="bfgs", disp=False, maxiter=2000, cov_type="cluster",
                        cov_kwds={"groups": pd.factorize(data["iso3"])[0]})
        res.cov_type = "cluster (country)"
    else:
        fit = model.fit(method="bfgs", disp=False, maxiter=2000)
        res.cov_type = "nonrobust"
    ci = fit.conf_int()
    res.params = pd.DataFrame({"coef": fit.params, "se": fit.bse, "p": fit.pvalues,
                               "ci_low": ci[0], "ci_high": ci[1]})
    res.llf, res.llnull = float(fit.llf), float(fit.llnull)
    res.pseudo_r2, res.lr_pvalue = float(fit.prsquared), float(fit.llr_pvalue)
    res.converged = bool(fit.mle_retvals.get("converged", False))
    res.fitted = True
    res.reason = "fitted"
    if not res.converged:
        res.warnings.append(_("optimiser did not report convergence"))
    if len(present) < len(TIER_ORDER):
        res.warnings.append(_("tiers absent from the sample: {tiers}", tiers=sorted(set(TIER_ORDER) - set(present))))
    return res
