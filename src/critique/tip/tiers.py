"""US TIP report tier placements, read critically: shares, fixed panels, transitions, volatility.

Two sources are merged by :func:`load_tiers`:

- ``tip-tiers``: report years 2001-2015 as coded by Kelley & Heiss (Kelley 2017, *Scorecard
  Diplomacy*; data ``map_tiers.csv``). Every report is coded in full (complete years), but the United
  States (rated by the report from 2010) is not in the file and special cases (e.g. Somalia) are coded
  as not rated.
- ``tip-tiers-2016-2025``: a hand transcription of report years 2016-2025 (``data/published``), complete
  for 2021, 2023 and 2025 only. In a partial year a country that is not listed is *unknown*, not
  Tier 2; :data:`PARTIAL` decides what every function does with such a year, and no function
  computes a share for a partial year as if it were complete.

Why fixed panels: the number of rated countries grew from 79 (2001 in the coded file) to 186 (2015)
and 185 (2021, 2023), and the countries added later were placed differently from the first ones, so
shares over all rated countries mix entry with change. :func:`fixed_panel` and :func:`distribution`
compare all-rated shares with a panel of countries rated in every complete year.

Tier order used throughout (best to worst): ``1 < 2 < 2WL < 3`` (Tier 2 Watch List, first placed in
the 2004 report in the coded data).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, Sequence

import numpy as np
import pandas as pd

TIER_ORDER: tuple[str, ...] = ("1", "2", "2WL", "3")
TIER_DTYPE = pd.CategoricalDtype(list(TIER_ORDER), ordered=True)
EARLY_ID = "tip-tiers"
LATE_ID = "tip-tiers-2016-2025"
COVERAGE_ID = "tip-tiers-2016-2025-coverage"
Partial = Literal["error", "flag", "drop"]
PARTIAL_HELP = ("partial='error' (refuse), 'flag' (counts of transcribed rows, shares left missing) "
                "or 'drop' (leave partial years out)")


class IncompleteYearError(ValueError):
    """A computation needs complete report years and was given a partial one."""


# --------------------------------------------------------------------------------------------
# Loading and merging
# --------------------------------------------------------------------------------------------
def _map_names(names: Iterable[str], to_iso3: Callable[[str], str | None]) -> dict[str, str]:
    """Name -> ISO3 through ``to_iso3``; every unmapped name is listed in one error."""
    out, bad = {}, []
    for name in sorted(set(names)):
        try:
            code = to_iso3(name)
        except Exception:  # the converter's own error names one country; we want them all
            code = None
        if code is None or (isinstance(code, float) and np.isnan(code)) or not str(code).strip():
            bad.append(name)
        else:
            out[name] = str(code)
    if bad:
        from critique.errors import DataError

        raise DataError(f"{LATE_ID}: column 'country': no ISO3 code for {bad}; add them to the "
                        "explicit exceptions of critique.datasets.countries")
    return out


def merge_tiers(early: pd.DataFrame, late: pd.DataFrame, coverage: pd.DataFrame,
                to_iso3: Callable[[str], str | None], *, include_unverified: bool = False) -> pd.DataFrame:
    """Merge the 2001-2015 coded tiers with the 2016-2025 transcription into one frame.

    Parameters
    ----------
    early: ``tip-tiers`` (iso3, country, report_year, tier with categories 1 < 2 < 2WL < 3; missing =
        not rated). Not-rated rows are dropped: in a complete year absence means not rated.
    late: ``tip-tiers-2016-2025`` (report_year, country, tier incl. ``special_case``, flag,
        source_url, verification).
    coverage: ``tip-tiers-2016-2025-coverage`` (report_year, complete).
    to_iso3: name -> ISO3 (``critique.datasets.countries.to_iso3``).
    include_unverified: count a listed year holding ``unverified`` rows as complete. By default such
        a year (2021 and 2025 in the transcription: rows resting on one third-party list) is not
        complete, so it stays out of shares, panels and transitions unless asked for.

    Returns one row per country and report year with a placement: iso3, country, report_year,
    tier (ordered categorical, missing for a special case), special_case, complete_year, source,
    verification, flag, source_url.
    """
    e = early.loc[early["tier"].notna()].copy()
    e = e.loc[(e["report_year"] >= 2001) & (e["report_year"] <= 2015)]
    # Codes that are not ISO3 in the coded file (Kelley & Heiss write Kosovo as "KOS") are
    # re-mapped from the name so both sources share one code per country.
    fixes = {code: to_iso3(str(name)) for code, name in
             e.loc[e["iso3"].isin(["KOS"]), ["iso3", "country"]].drop_duplicates().itertuples(index=False)}
    early_out = pd.DataFrame({
        "iso3": e["iso3"].astype(str).replace({k: v for k, v in fixes.items() if v}),
        "country": e["country"].astype(str),
        "report_year": e["report_year"].astype(int),
        "tier": e["tier"].astype(str),
        "special_case": False,
        "complete_year": True,
        "source": EARLY_ID,
        "verification": "secondary",  # coded by Kelley & Heiss from the reports
        "flag": pd.NA,
        "source_url": "https://github.com/andrewheiss/scorecard-diplomacy",
    })
    complete = dict(zip(coverage["report_year"].astype(int), coverage["complete"].astype(bool)))
    if not include_unverified:  # a year with an unverified placement is not an established list
        for year in set(late.loc[late["verification"].astype(str).eq("unverified"), "report_year"].astype(int)):
            complete[year] = False
    years = set(late["report_year"].astype(int))
    missing = sorted(years - set(complete))
    if missing:
        from critique.errors import DataError

        raise DataError(f"{COVERAGE_ID}: no completeness row for report years {missing}")
    codes = _map_names(late["country"].astype(str), to_iso3)
    is_sc = late["tier"].astype(str).eq("special_case")
    late_out = pd.DataFrame({
        "iso3": late["country"].astype(str).map(codes),
        "country": late["country"].astype(str),
        "report_year": late["report_year"].astype(int),
        "tier": late["tier"].astype(str).where(~is_sc, None),
        "special_case": is_sc.astype(bool),
        "complete_year": late["report_year"].astype(int).map(complete).astype(bool),
        "source": LATE_ID,
        "verification": late["verification"].astype(str),
        "flag": late["flag"],
        "source_url": late["source_url"].astype(str),
    })
    out = pd.concat([early_out, late_out], ignore_index=True)
    dup = out.duplicated(["iso3", "report_year"], keep=False)
    if dup.any():
        from critique.errors import DataError

        rows = out.loc[dup, ["iso3", "country", "report_year"]].to_dict("records")[:6]
        raise DataError(f"tiers: two placements for one country and year after ISO3 mapping: {rows}")
    out["tier"] = out["tier"].astype(TIER_DTYPE)
    out["flag"] = out["flag"].astype("string")
    return out.sort_values(["report_year", "iso3"], ignore_index=True)


def load_tiers(*, include_unverified: bool = False) -> pd.DataFrame:
    """Tier placements 2001-2025 in one frame (see :func:`merge_tiers` for the columns)."""
    from critique import datasets
    from critique.datasets import countries

    return merge_tiers(datasets.load(EARLY_ID), datasets.load(LATE_ID),
                       datasets.load(COVERAGE_ID), countries.to_iso3,
                       include_unverified=include_unverified)


def year_coverage(tiers: pd.DataFrame) -> pd.DataFrame:
    """Per report year: complete (bool), rated (placements with a tier), special_cases, source."""
    g = tiers.groupby("report_year")
    return pd.DataFrame({
        "complete": g["complete_year"].all(),
        "rated": g["tier"].count(),
        "special_cases": g["special_case"].sum().astype(int),
        "source": g["source"].first(),
    }).reset_index()


def _check_years(tiers: pd.DataFrame, years: Sequence[int] | None, partial: Partial) -> list[int]:
    """The requested years that may be used; raises for partial years under ``partial='error'``."""
    cov = year_coverage(tiers).set_index("report_year")
    if years is None:
        years = list(cov.index)
    years = [int(y) for y in years]
    unknown = [y for y in years if y not in cov.index]
    if unknown:
        raise ValueError(f"tiers: no placements for report years {unknown} "
                         f"(available {cov.index.min()}-{cov.index.max()})")
    if partial not in ("error", "flag", "drop"):
        raise ValueError(f"tiers: partial={partial!r}; use {PARTIAL_HELP}")
    part = [y for y in years if not cov.at[y, "complete"]]
    if part and partial == "error":
        raise IncompleteYearError(
            f"tiers: report years {part} are partial transcriptions or hold unverified placements "
            f"(a missing country is unknown, "
            f"not Tier 2), so their tier distribution cannot be computed as if complete; "
            f"use {PARTIAL_HELP}")
    if partial == "drop":
        years = [y for y in years if y not in part]
    return years


def complete_years(tiers: pd.DataFrame) -> list[int]:
    """Report years whose placements are complete."""
    cov = year_coverage(tiers)
    return [int(y) for y in cov.loc[cov["complete"], "report_year"]]


# --------------------------------------------------------------------------------------------
# Distributions and panels
# --------------------------------------------------------------------------------------------
def fixed_panel(tiers: pd.DataFrame, since: int, until: int | None = None) -> list[str]:
    """ISO3 codes of countries with a tier in every *complete* report year from ``since`` to ``until``.

    Partial years cannot show that a country was rated, so they are not used to define the panel;
    a special case (no tier) breaks membership. Following Kelley (2017, ch. 3) and Kelley & Heiss,
    the panel holds composition fixed so that entry of new countries is not read as change.
    """
    years = [y for y in complete_years(tiers) if y >= since and (until is None or y <= until)]
    if not years or years[0] != since:
        raise IncompleteYearError(f"fixed_panel: since={since} is not a complete report year "
                                  f"(complete years: {complete_years(tiers)})")
    rated = tiers.loc[tiers["report_year"].isin(years) & tiers["tier"].notna()]
    counts = rated.groupby("iso3")["report_year"].nunique()
    return sorted(counts.index[counts == len(years)])


def distribution(tiers: pd.DataFrame, years: Sequence[int] | None = None, *,
                 panel: Sequence[str] | None = None, partial: Partial = "error") -> pd.DataFrame:
    """Tier counts and shares by report year, on all rated countries or on a fixed ``panel``.

    Returns long rows: report_year, tier, count, n (rated countries in the year, panel members
    only when ``panel`` is given), share (count / n), complete_year. Special cases are not rated
    and are excluded from n. For a partial year kept with ``partial='flag'`` the counts are of the
    transcribed rows only and ``share`` is missing: the transcription is a selection, so its shares
    are not the year's distribution.
    """
    years = _check_years(tiers, years, partial)
    sub = tiers.loc[tiers["report_year"].isin(years) & tiers["tier"].notna()]
    if panel is not None:
        sub = sub.loc[sub["iso3"].isin(list(panel))]
    counts = (sub.groupby(["report_year", "tier"], observed=False).size()
              .reindex(pd.MultiIndex.from_product([years, list(TIER_ORDER)],
                                                  names=["report_year", "tier"]), fill_value=0)
              .rename("count").reset_index())
    counts["n"] = counts.groupby("report_year")["count"].transform("sum")
    complete = year_coverage(tiers).set_index("report_year")["complete"]
    counts["complete_year"] = counts["report_year"].map(complete).astype(bool)
    share = counts["count"] / counts["n"].where(counts["n"] > 0)
    counts["share"] = share.where(counts["complete_year"])
    counts["tier"] = counts["tier"].astype(TIER_DTYPE)
    return counts[["report_year", "tier", "count", "n", "share", "complete_year"]]


def share_table(dist: pd.DataFrame) -> pd.DataFrame:
    """A :func:`distribution` as a wide table: report years x tiers (shares), plus n."""
    wide = dist.pivot(index="report_year", columns="tier", values="share")
    wide.columns = [str(c) for c in wide.columns]
    wide["n"] = dist.groupby("report_year")["n"].first()
    return wide


def panel_gap(all_rated: pd.DataFrame, panel: pd.DataFrame) -> pd.DataFrame:
    """Per year and tier: all-rated share minus fixed-panel share (percentage points)."""
    a = all_rated.set_index(["report_year", "tier"])
    p = panel.set_index(["report_year", "tier"])
    both = a[["share", "n"]].join(p[["share", "n"]], lsuffix="_all", rsuffix="_panel", how="inner")
    both["gap_pp"] = 100 * (both["share_all"] - both["share_panel"])
    return both.reset_index()


# --------------------------------------------------------------------------------------------
# Transitions and volatility
# --------------------------------------------------------------------------------------------
def transition_matrix(tiers: pd.DataFrame, year_from: int, year_to: int, *,
                      partial: Partial = "error", normalize: bool = False) -> pd.DataFrame:
    """Counts of countries by tier in ``year_from`` (rows) and ``year_to`` (columns).

    Only countries with a tier in both years count (entries and exits are in :func:`volatility`).
    With ``normalize=True`` each row is divided by its total (the probability of each destination
    tier given the origin). A partial year is refused unless ``partial='flag'``, in which case the
    matrix counts countries *known* in both years and ``attrs['complete']`` is False.
    """
    if partial == "drop":
        raise ValueError("transition_matrix: partial='drop' is meaningless for two years; "
                         "use 'error' or 'flag'")
    _check_years(tiers, [year_from, year_to], partial)
    a = tiers.loc[(tiers["report_year"] == year_from) & tiers["tier"].notna(), ["iso3", "tier"]]
    b = tiers.loc[(tiers["report_year"] == year_to) & tiers["tier"].notna(), ["iso3", "tier"]]
    both = a.merge(b, on="iso3", suffixes=("_from", "_to"))
    mat = pd.crosstab(both["tier_from"], both["tier_to"], dropna=False).reindex(
        index=list(TIER_ORDER), columns=list(TIER_ORDER), fill_value=0)
    mat.index.name, mat.columns.name = f"tier {year_from}", f"tier {year_to}"
    if normalize:
        mat = mat.div(mat.sum(axis=1).where(lambda s: s > 0), axis=0)
    cov = year_coverage(tiers).set_index("report_year")["complete"]
    mat.attrs["complete"] = bool(cov[year_from] and cov[year_to])
    mat.attrs["n"] = int(len(both))
    return mat


def _rank(tier: pd.Series) -> pd.Series:
    return tier.cat.codes.where(tier.notna()).astype("Float64")


def volatility(tiers: pd.DataFrame, years: Sequence[int] | None = None, *,
               partial: Partial = "error") -> pd.DataFrame:
    """Year-on-year movement between consecutive report years.

    Per pair (previous, report_year): n_both (tier in both years), changed, share_changed,
    upgrades (towards Tier 1), downgrades, wl_entries (on Tier 2 Watch List now, not before),
    wl_exits (on it before, not now), entered (tier now, none before: new or back), left.
    Only pairs of consecutive years; with ``partial='flag'`` pairs involving a partial year give
    counts among countries known in both and missing shares and entry/exit counts (absence is
    unknown there).
    """
    years = sorted(_check_years(tiers, years, partial))
    cov = year_coverage(tiers).set_index("report_year")["complete"]
    rows = []
    for prev, cur in zip(years, years[1:]):
        if cur != prev + 1:
            continue
        a = tiers.loc[(tiers["report_year"] == prev) & tiers["tier"].notna(), ["iso3", "tier"]]
        b = tiers.loc[(tiers["report_year"] == cur) & tiers["tier"].notna(), ["iso3", "tier"]]
        both = a.merge(b, on="iso3", suffixes=("_a", "_b"))
        ra, rb = _rank(both["tier_a"]), _rank(both["tier_b"])
        complete = bool(cov[prev] and cov[cur])
        n = len(both)
        changed = int((ra != rb).sum())
        rows.append({
            "previous": prev, "report_year": cur, "complete": complete, "n_both": n,
            "changed": changed,
            "share_changed": changed / n if complete and n else np.nan,
            "upgrades": int((rb < ra).sum()), "downgrades": int((rb > ra).sum()),
            "wl_entries": int(((both["tier_b"] == "2WL") & (both["tier_a"] != "2WL")).sum()),
            "wl_exits": int(((both["tier_a"] == "2WL") & (both["tier_b"] != "2WL")).sum()),
            "entered": int((~b["iso3"].isin(a["iso3"])).sum()) if complete else np.nan,
            "left": int((~a["iso3"].isin(b["iso3"])).sum()) if complete else np.nan,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# Per-country view
# --------------------------------------------------------------------------------------------
def country_tiers(iso3: str, tiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One country's placements in every report year of the data, with what a gap means.

    ``status`` is ``rated``, ``special case``, ``not rated`` (absent from a complete year) or
    ``unknown (partial year)`` (absent from a partial transcription: not Tier 2, just unknown).
    """
    tiers = load_tiers() if tiers is None else tiers
    code = iso3.upper()
    if code not in set(tiers["iso3"]):
        raise ValueError(f"country_tiers: no placement for iso3={iso3!r} in any report year")
    cov = year_coverage(tiers).set_index("report_year")
    own = tiers.loc[tiers["iso3"] == code].set_index("report_year")
    out = pd.DataFrame(index=pd.Index(cov.index, name="report_year"))
    out["complete_year"] = cov["complete"]
    out = out.join(own[["country", "tier", "special_case", "source", "verification", "flag"]])
    status = np.where(out["tier"].notna(), "rated",
                      np.where(out["special_case"].fillna(False).astype(bool), "special case",
                               np.where(out["complete_year"], "not rated", "unknown (partial year)")))
    out["status"] = status
    out["iso3"] = code
    return out.reset_index()


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
        res.reason = f"only {len(data)} country-years (< min_n={min_n})"
        return res
    if len(present) < 3 or min(present.values()) < min_per_tier:
        res.reason = f"too few countries in some tier: {counts} (min_per_tier={min_per_tier})"
        return res
    X = data[list(predictors)].astype(float)
    flat = [p for p in predictors if X[p].nunique() < 2]
    if flat:
        res.reason = f"no variation in predictor(s) {flat}"
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
        res.warnings.append("optimiser did not report convergence")
    if len(present) < len(TIER_ORDER):
        res.warnings.append(f"tiers absent from the sample: {sorted(set(TIER_ORDER) - set(present))}")
    return res
