"""Interrupted time series around policy changes: what a yearly count can and cannot say.

Counts that fell or rose after a law (client criminalisation, FOSTA-SESTA) are cited as evidence that
the law worked: e.g. Canada's Justice Minister cited Sweden's 2010 evaluation as showing reductions in
street prostitution "as well as the rate of human trafficking", while conceding "We may not have the
empirical data we would hope to have" (literature.md section 5.1 [V]). A detected-victim or recorded-offence count measures detection and reporting as
much as prevalence, so a break in it is at best a break in *enforcement times prevalence*. This module
gives the honest tools to look anyway, and to say how little a short series can show:

- :func:`segmented_regression`: level and slope change around an intervention year (Wagner, Soumerai,
  Zhang & Ross-Degnan 2002, "Segmented regression analysis of interrupted time series studies in
  medication use research", *J Clin Pharm Ther* 27(4):299-309; Bernal, Cummins & Gasparrini 2017,
  "Interrupted time series regression for the evaluation of public health interventions: a tutorial",
  *Int J Epidemiol* 46(1):348-355). Three estimators: quasi-Poisson GLM (Pearson-chi2 scale) and
  negative-binomial regression with a log offset for coverage (reporting agencies, population), and
  OLS on log counts with Newey-West (HAC) errors (Newey & West 1987, *Econometrica* 55(3):703-708).
- :func:`placebo_in_time` and :func:`placebo_across_units`: the same model at every admissible fake
  year, or in units without the policy, and where the real estimate falls among them (Abadie,
  Diamond & Hainmueller 2010, *JASA* 105(490):493-505, placebo "in space"; in-time placebos as in
  Bernal et al. 2017).
- :func:`minimum_detectable_effect` and :func:`design_mde`: the smallest level change a series of
  that length and noise could detect, ``MDE = (z_{1-alpha/2} + z_{power}) * SE(level change)``
  (Bloom 1995, "Minimum detectable effects", *Evaluation Review* 19(5):547-556).
- A :class:`PolicyError` refusal when either side has fewer than ``min_points`` observations.

The model, with ``t = year - first_post_year`` (so the level change is measured at the first post
year)::

    g(E[y_t]) = b0 + b1 t + b2 post_t + b3 t post_t (+ log exposure_t)

``g`` is the log link (GLMs) or ``y -> log y`` (OLS). ``b2`` is the level change and ``b3`` the slope
change, both on the log scale: ``exp(b2)`` is the ratio of the count in the first post year to the
pre-period trend projected to that year.
"""
from __future__ import annotations

import math
import warnings as _warnings
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

MODELS = ("poisson", "negbin", "ols-log")
SUPPRESSED_RULES = ("midpoint", "low", "high", "drop")


class PolicyError(ValueError):
    """A series that cannot honestly be fitted (too few points on a side, bad input)."""


# ---------------------------------------------------------------------------------------------
# Dates


def first_post_year(in_force: date | str, *, rule: str = "majority") -> int:
    """The first year counted as *after* a policy that came into force on ``in_force``.

    Yearly counts cannot be split inside a year. ``rule="majority"`` counts the year of entry into
    force as post when the law was in force for at least half of it (in force on or before 2 July),
    otherwise the next year; ``"next"`` always starts with the next full year; ``"same"`` always
    with the year of entry into force.
    """
    day = date.fromisoformat(in_force) if isinstance(in_force, str) else in_force
    if rule == "same":
        return day.year
    if rule == "next":
        return day.year + 1 if (day.month, day.day) != (1, 1) else day.year
    if rule == "majority":
        return day.year if day.timetuple().tm_yday <= 183 else day.year + 1
    raise PolicyError(f"first_post_year: rule={rule!r}; choose one of majority, next, same")


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Effect:
    """One coefficient: estimate, its interval and standard error (log scale for every model)."""

    estimate: float
    ci_low: float
    ci_high: float
    se: float
    p_value: float

    @property
    def ratio(self) -> tuple[float, float, float]:
        """``exp`` of estimate and interval: the multiplicative change of the count."""
        return (math.exp(self.estimate), math.exp(self.ci_low), math.exp(self.ci_high))


@dataclass(frozen=True)
class ITSResult:
    """A fitted segmented regression (see the module docstring for the model)."""

    series: str
    model: str
    intervention: int  # first post year
    years: tuple[int, ...]
    n_pre: int
    n_post: int
    level: Effect
    slope: Effect
    pre_trend: Effect
    alpha: float
    diagnostics: dict[str, float]
    fitted: pd.Series  # by year, on the count scale (per unit exposure times exposure)
    counterfactual: pd.Series  # pre-period trend projected over the post years (count scale)
    warnings: tuple[str, ...] = field(default=())

    def mde(self, power: float = 0.8) -> float:
        """Minimum detectable level change (log scale) for this fit's SE; see :func:`minimum_detectable_effect`."""
        return minimum_detectable_effect(self.level.se, alpha=self.alpha, power=power)

    def summary(self, power: float = 0.8) -> dict[str, Any]:
        """Plain numbers for findings and tables (percent changes are ``100 (exp(b) - 1)``)."""
        mde = self.mde(power)
        return {
            "series": self.series, "model": self.model, "first_post_year": self.intervention,
            "n_pre": self.n_pre, "n_post": self.n_post,
            "level_change_log": self.level.estimate,
            "level_ci_log": [self.level.ci_low, self.level.ci_high],
            "level_change_pct": 100 * (math.exp(self.level.estimate) - 1),
            "level_ci_pct": [100 * (math.exp(self.level.ci_low) - 1),
                             100 * (math.exp(self.level.ci_high) - 1)],
            "slope_change_log": self.slope.estimate,
            "slope_ci_log": [self.slope.ci_low, self.slope.ci_high],
            "level_p_value": self.level.p_value,
            "mde_log": mde, "mde_pct": 100 * (math.exp(mde) - 1),
            "diagnostics": dict(self.diagnostics),
            "warnings": list(self.warnings),
        }


# ---------------------------------------------------------------------------------------------
# Fitting


def _design(years: np.ndarray, first_post: int) -> np.ndarray:
    t = years - first_post
    post = (years >= first_post).astype(float)
    return np.column_stack([np.ones_like(t, dtype=float), t, post, t * post])


def newey_west_lags(n: int) -> int:
    """Default HAC truncation lag, ``floor(4 (n/100)^(2/9))`` (Newey & West 1994, *Rev Econ Stud*
    61(4):631-653), at least 1."""
    return max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))


def _clean(years: Sequence[int], counts: Sequence[float], exposure: Sequence[float] | None,
           series: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    y = np.asarray(years, dtype=float)
    c = np.asarray(counts, dtype=float)
    if y.shape != c.shape:
        raise PolicyError(f"{series}: {len(y)} years but {len(c)} counts")
    e = None if exposure is None else np.asarray(exposure, dtype=float)
    if e is not None and e.shape != c.shape:
        raise PolicyError(f"{series}: {len(c)} counts but {len(e)} exposure values")
    keep = np.isfinite(c) & np.isfinite(y)
    if e is not None:
        keep &= np.isfinite(e)
        bad = keep & (e <= 0)
        if bad.any():
            raise PolicyError(f"{series}: exposure must be positive; year {int(y[bad][0])} has {e[bad][0]}")
    if (c[keep] < 0).any():
        raise PolicyError(f"{series}: counts must be non-negative; year "
                          f"{int(y[keep][c[keep] < 0][0])} has {c[keep][c[keep] < 0][0]}")
    order = np.argsort(y[keep])
    if len(np.unique(y[keep])) != keep.sum():
        raise PolicyError(f"{series}: a year appears more than once; aggregate to one count per year")
    return y[keep][order].astype(int), c[keep][order], None if e is None else e[keep][order]


def check_sides(years: Sequence[int], first_post: int, *, min_points: int = 3,
                series: str = "series") -> tuple[int, int]:
    """Points before and after ``first_post``; :class:`PolicyError` when either side is short.

    The message names the series, the intervention year and the years on each side, so a notebook
    can print it as the honest answer ("cannot be fitted") instead of a fragile estimate.
    """
    if min_points < 2:
        raise PolicyError(f"min_points={min_points}: a level and a slope need at least 2 points a side")
    ys = np.asarray(years, dtype=int)
    pre, post = ys[ys < first_post], ys[ys >= first_post]
    if len(pre) < min_points or len(post) < min_points:
        raise PolicyError(
            f"{series}: intervention {first_post} (first post year) leaves {len(pre)} point(s) before "
            f"({_span(pre)}) and {len(post)} after ({_span(post)}); at least {min_points} on each "
            "side are needed to fit a level and slope change")
    return len(pre), len(post)


def _span(ys: np.ndarray) -> str:
    return "none" if len(ys) == 0 else ", ".join(str(int(v)) for v in ys)


def segmented_regression(
    years: Sequence[int],
    counts: Sequence[float],
    first_post: int,
    *,
    model: str = "poisson",
    exposure: Sequence[float] | None = None,
    alpha: float = 0.05,
    min_points: int = 3,
    series: str = "series",
    hac_lags: int | None = None,
) -> ITSResult:
    """Fit a level and slope change at ``first_post`` (the first year counted as after the policy).

    Parameters
    ----------
    years, counts: one count per year; NaN counts (unpublished years) are dropped, gaps allowed.
    model: ``"poisson"``: Poisson GLM with Pearson-chi2 scale (quasi-Poisson, so over-dispersion
        widens the intervals, never narrower than Poisson; McCullagh & Nelder 1989 §4.5) and
        t-based intervals;
        ``"negbin"``: NB2 regression with its dispersion estimated by maximum likelihood
        (statsmodels ``NegativeBinomial``; Cameron & Trivedi 2013 ch. 3);
        ``"ols-log"``: OLS on ``log(count / exposure)`` (``log(count + 0.5)`` when a zero is
        present) with Newey-West HAC errors, small-sample corrected, t-based intervals.
    exposure: coverage of the count (reporting agencies, population): enters as ``log`` offset.
    alpha: 1 - confidence level of the intervals.
    min_points: refuse (:class:`PolicyError`) with fewer observed years on either side.
    hac_lags: Newey-West truncation lag for ``ols-log`` (default :func:`newey_west_lags`).

    With a handful of yearly points every interval is wide and HAC errors are themselves
    imprecise (they are consistent only as n grows); the result says how many points it used.
    """
    import statsmodels.api as sm
    from statsmodels.stats.stattools import durbin_watson

    if model not in MODELS:
        raise PolicyError(f"{series}: model={model!r}; choose one of {', '.join(MODELS)}")
    if not 0 < alpha < 1:
        raise PolicyError(f"{series}: alpha={alpha} must lie strictly between 0 and 1")
    y_years, y, e = _clean(years, counts, exposure, series)
    n_pre, n_post = check_sides(y_years, first_post, min_points=min_points, series=series)
    n = len(y)
    if n - 4 < 1:
        raise PolicyError(f"{series}: {n} points leave no degree of freedom for a 4-parameter model")
    X = _design(y_years.astype(float), first_post)
    offset = np.zeros(n) if e is None else np.log(e)
    notes: list[str] = []
    diag: dict[str, float] = {"n": float(n)}

    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        if model == "poisson":
            glm = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
            res = glm.fit(scale="X2", use_t=True)
            pearson = float(res.scale)
            if pearson < 1:  # under-dispersion must not narrow the intervals below Poisson's
                res = glm.fit(scale=1.0, use_t=True)
            params, bse = res.params, res.bse
            ci = res.conf_int(alpha=alpha)
            pvals = res.pvalues
            mu = res.fittedvalues
            diag.update(dispersion=pearson, scale_used=float(res.scale), deviance=float(res.deviance),
                        df_resid=float(res.df_resid))
            resid = res.resid_pearson
        elif model == "negbin":
            nb = sm.NegativeBinomial(y, X, offset=offset, loglike_method="nb2")
            res = nb.fit(disp=0, maxiter=500, method="bfgs")
            if not res.mle_retvals.get("converged", True):
                notes.append("negative-binomial fit did not converge; treat its intervals as unreliable")
            params, bse = res.params[:4], res.bse[:4]
            ci = res.conf_int(alpha=alpha)[:4]
            pvals = res.pvalues[:4]
            mu = np.exp(X @ params + offset)
            diag.update(nb_alpha=float(res.params[4]), aic=float(res.aic),
                        df_resid=float(n - 5))
            resid = (y - mu) / np.sqrt(mu + res.params[4] * mu ** 2)
        else:
            shift = 0.5 if (y == 0).any() else 0.0
            if shift:
                notes.append("a zero count: log(count + 0.5) used")
            ly = np.log(y + shift) - offset
            lags = newey_west_lags(n) if hac_lags is None else int(hac_lags)
            res = sm.OLS(ly, X).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True},
                                   use_t=True)
            params, bse = res.params, res.bse
            ci = res.conf_int(alpha=alpha)
            pvals = res.pvalues
            mu = np.exp(res.fittedvalues + offset) - shift
            diag.update(r2=float(res.rsquared), hac_lags=float(lags), df_resid=float(res.df_resid),
                        resid_sd=float(np.sqrt(res.scale)))
            resid = res.resid
    for w in caught:
        msg = str(w.message).splitlines()[0]
        if msg and msg not in notes:
            notes.append(msg)
    diag["durbin_watson"] = float(durbin_watson(np.asarray(resid)))

    ci = np.asarray(ci)

    def eff(i: int) -> Effect:
        return Effect(float(params[i]), float(ci[i, 0]), float(ci[i, 1]), float(bse[i]), float(pvals[i]))

    post_mask = y_years >= first_post
    cf_lin = X[:, :2] @ np.asarray(params[:2]) + offset
    if model == "ols-log":
        cf = np.exp(cf_lin) - (0.5 if (y == 0).any() else 0.0)
    else:
        cf = np.exp(cf_lin)
    idx = pd.Index(y_years, name="year")
    return ITSResult(
        series=series, model=model, intervention=int(first_post), years=tuple(int(v) for v in y_years),
        n_pre=n_pre, n_post=n_post, level=eff(2), slope=eff(3), pre_trend=eff(1), alpha=alpha,
        diagnostics=diag, fitted=pd.Series(np.asarray(mu, dtype=float), index=idx, name="fitted"),
        counterfactual=pd.Series(np.where(post_mask, cf, np.nan), index=idx, name="pre-trend projected"),
        warnings=tuple(notes))


# ---------------------------------------------------------------------------------------------
# Placebos


@dataclass(frozen=True)
class PlaceboResult:
    """Where a real estimate falls among placebo estimates of the same statistic.

    ``p_value`` is the two-sided permutation-style share ``(1 + #{|placebo| >= |real|}) / (1 + k)``
    (Abadie et al. 2010 use the same rank logic); with ``k`` placebos it cannot fall below
    ``1 / (k + 1)``, which is the honest resolution of a short series. ``rank`` is the real estimate's
    position by absolute size among real and placebos (1 = most extreme).
    """

    kind: str  # "time" | "units"
    statistic: str
    real: float
    placebos: pd.DataFrame  # columns: label, estimate (and status for refused units)
    rank: int
    n_placebos: int
    p_value: float
    percentile: float  # share of placebos with |estimate| strictly below |real|, in percent

    @property
    def min_p_value(self) -> float:
        """The smallest p-value this many placebos can give."""
        return 1.0 / (self.n_placebos + 1)

    def summary(self) -> dict[str, Any]:
        return {"kind": self.kind, "statistic": self.statistic, "real": self.real,
                "rank": self.rank, "n_placebos": self.n_placebos, "p_value": self.p_value,
                "percentile": self.percentile, "min_p_value": self.min_p_value}


def rank_among(real: float, placebo: Sequence[float]) -> tuple[int, float, float]:
    """``(rank, p_value, percentile)`` of ``real`` among ``placebo`` by absolute size.

    Ties count against the real estimate (conservative). Example: real 0.5 among 0.1, -0.6, 0.2:
    one placebo (|-0.6|) is at least as large, so rank 2, p = (1 + 1) / (1 + 3) = 0.5, and two of
    three placebos are smaller, percentile 66.7.
    """
    pl = np.abs(np.asarray([p for p in placebo if np.isfinite(p)], dtype=float))
    r = abs(real)
    at_least = int((pl >= r).sum())
    k = len(pl)
    if k == 0:
        return 1, float("nan"), float("nan")
    return at_least + 1, (1 + at_least) / (1 + k), 100.0 * float((pl < r).sum()) / k


def _stat(res: ITSResult, statistic: str) -> float:
    if statistic == "level":
        return res.level.estimate
    if statistic == "slope":
        return res.slope.estimate
    if statistic == "z_level":
        return res.level.estimate / res.level.se if res.level.se > 0 else float("nan")
    raise PolicyError(f"statistic={statistic!r}; choose one of level, slope, z_level")


def admissible_years(years: Sequence[int], *, min_points: int = 3) -> list[int]:
    """Every year that leaves at least ``min_points`` observed years on each side."""
    ys = np.sort(np.unique(np.asarray(years, dtype=int)))
    return [int(c) for c in range(ys.min(), ys.max() + 1)
            if (ys < c).sum() >= min_points and (ys >= c).sum() >= min_points]


def placebo_in_time(
    years: Sequence[int],
    counts: Sequence[float],
    first_post: int,
    *,
    statistic: str = "level",
    pre_only: bool = False,
    exclude_within: int = 0,
    **fit: Any,
) -> PlaceboResult:
    """Refit the model at every admissible fake intervention year and rank the real estimate.

    ``pre_only`` restricts placebos to the pre-period data (fake years whose post side ends before
    the real change), which avoids contamination by the real break but leaves fewer placebos;
    ``exclude_within`` drops fake years within that many years of the real one. ``fit`` is passed
    to :func:`segmented_regression` (model, exposure, min_points, ...).
    """
    series = fit.pop("series", "series")
    real = segmented_regression(years, counts, first_post, series=series, **fit)
    ys = np.asarray(years, dtype=int)
    cs = np.asarray(counts, dtype=float)
    ex = fit.pop("exposure", None)
    ex = None if ex is None else np.asarray(ex, dtype=float)
    keep = ys < first_post if pre_only else np.ones_like(ys, dtype=bool)
    obs = ys[keep & np.isfinite(cs)]
    rows = []
    for fake in admissible_years(obs, min_points=fit.get("min_points", 3)):
        if fake == first_post or abs(fake - first_post) <= exclude_within:
            continue
        try:
            r = segmented_regression(ys[keep], cs[keep], fake, series=f"{series} placebo {fake}",
                                     exposure=None if ex is None else ex[keep], **fit)
            rows.append({"label": str(fake), "estimate": _stat(r, statistic)})
        except (PolicyError, np.linalg.LinAlgError, ValueError):
            continue
    frame = pd.DataFrame(rows, columns=["label", "estimate"])
    value = _stat(real, statistic)
    rank, p, pct = rank_among(value, frame["estimate"].to_numpy())
    return PlaceboResult("time", statistic, value, frame, rank, len(frame), p, pct)


def placebo_across_units(
    real: ITSResult,
    controls: Mapping[str, pd.DataFrame],
    *,
    statistic: str = "level",
    **fit: Any,
) -> PlaceboResult:
    """Fit the same model, at the real first post year, in units without the policy.

    ``controls`` maps a unit label to a frame with columns ``year``, ``count`` (and ``exposure``
    when the real fit used one). Units too short on either side are listed with their refusal and
    left out of the ranking.
    """
    rows = []
    for label, frame in controls.items():
        try:
            r = segmented_regression(frame["year"], frame["count"], real.intervention,
                                     model=real.model, alpha=real.alpha, series=str(label),
                                     exposure=frame["exposure"] if "exposure" in frame else None,
                                     **fit)
            rows.append({"label": str(label), "estimate": _stat(r, statistic), "status": "fitted"})
        except (PolicyError, np.linalg.LinAlgError, ValueError) as err:
            rows.append({"label": str(label), "estimate": float("nan"), "status": f"refused: {err}"})
    frame = pd.DataFrame(rows, columns=["label", "estimate", "status"])
    value = _stat(real, statistic)
    fitted = frame.loc[frame["status"] == "fitted", "estimate"].to_numpy()
    rank, p, pct = rank_among(value, fitted)
    return PlaceboResult("units", statistic, value, frame, rank, len(fitted), p, pct)


# ---------------------------------------------------------------------------------------------
# Power


def minimum_detectable_effect(se: float, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """``MDE = (z_{1-alpha/2} + z_{power}) * SE`` (Bloom 1995, *Evaluation Review* 19(5):547-556).

    The smallest true effect that a two-sided test at level ``alpha`` detects with probability
    ``power``, given the standard error of its estimator. Example: SE 0.1, alpha 0.05, power 0.8:
    (1.959964 + 0.841621) * 0.1 = 0.280159 on the log scale, a 32% change in the count.
    """
    if se < 0 or not np.isfinite(se):
        raise PolicyError(f"minimum_detectable_effect: se={se} must be a finite non-negative number")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise PolicyError(f"minimum_detectable_effect: alpha={alpha}, power={power} must lie in (0, 1)")
    return float((stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se)


def design_mde(n_pre: int, n_post: int, sigma: float, *, alpha: float = 0.05,
               power: float = 0.8) -> float:
    """MDE of the level change for consecutive yearly points with independent noise ``sigma``.

    ``SE = sigma * sqrt([(X'X)^{-1}]_{level})`` for the segmented design of
    :func:`segmented_regression`; on log counts ``sigma`` is the residual SD of the log series.
    Example: 3 points a side, sigma 1: the pre line predicts year 0 from t = -3, -2, -1 with
    variance 1/3 + 2^2/2 = 2.333, the post intercept has 1/3 + 1^2/2 = 0.833; SE = sqrt(3.1667)
    = 1.7795, MDE = 2.801585 * 1.7795 = 4.9855. Autocorrelated noise makes the true MDE larger.
    """
    if n_pre < 2 or n_post < 2:
        raise PolicyError(f"design_mde: n_pre={n_pre}, n_post={n_post}; need at least 2 a side")
    years = np.arange(-n_pre, n_post, dtype=float)
    X = _design(years, 0)
    var = np.linalg.inv(X.T @ X)[2, 2]
    return minimum_detectable_effect(sigma * math.sqrt(var), alpha=alpha, power=power)


# ---------------------------------------------------------------------------------------------
# Series from the suite's datasets


def glotip_series(frame: pd.DataFrame, iso3: str, *, indicator: str = "Detected trafficking victims",
                  category: str = "Total", suppressed: str = "midpoint",
                  duplicates: str = "raise") -> pd.DataFrame:
    """One country's yearly count from the ``glotip`` loader frame: columns ``year``, ``count``,
    ``suppressed``.

    ``category`` "Total" reads dimension "Total"; a form of exploitation ("Sexual exploitation",
    "Forced labour", "Other forms of exploitation") reads dimension "by form of exploitation".
    Sex and age are "Total". Cells published as "<5" (1 to 4) become 2.5 (``midpoint``), 1, 4, or
    are dropped; the ``suppressed`` column keeps the flag so a chart can mark them.

    From 2017 the 2023 workbook splits "Other forms of exploitation" into several rows with the same
    label (sub-forms); ``duplicates="sum"`` adds them (a year is flagged suppressed if any part
    was), ``"raise"`` refuses. The split is itself a change in recording, at 2017.
    """
    if duplicates not in ("raise", "sum"):
        raise PolicyError(f"duplicates={duplicates!r}; choose raise or sum")
    if suppressed not in SUPPRESSED_RULES:
        raise PolicyError(f"suppressed={suppressed!r}; choose one of {', '.join(SUPPRESSED_RULES)}")
    dimension = "Total" if category == "Total" else "by form of exploitation"
    sel = frame[(frame["iso3"] == iso3) & (frame["indicator"] == indicator)
                & (frame["dimension"] == dimension) & (frame["category"] == category)
                & (frame["sex"] == "Total") & (frame["age"] == "Total")]
    if sel["year"].duplicated().any() and duplicates == "raise":
        dup = sel.loc[sel["year"].duplicated(), "year"].iloc[0]
        raise PolicyError(f"glotip {iso3} {indicator} {category}: year {dup} appears more than once "
                          "(pass duplicates='sum' to add the rows)")
    sup = sel["suppressed"].astype(bool).to_numpy()
    value = sel["value"].astype(float).to_numpy().copy()
    if suppressed == "midpoint":
        value[sup] = 2.5
    elif suppressed == "low":
        value[sup] = sel["value_low"].astype(float).to_numpy()[sup]
    elif suppressed == "high":
        value[sup] = sel["value_high"].astype(float).to_numpy()[sup]
    else:
        value[sup] = np.nan
    out = pd.DataFrame({"year": sel["year"].astype(int).to_numpy(), "count": value, "suppressed": sup})
    out = out.groupby("year", as_index=False).agg(
        count=("count", lambda v: v.sum(min_count=len(v))), suppressed=("suppressed", "any"))
    return out.dropna(subset=["count"]).sort_values("year").reset_index(drop=True)


def ucr_yearly(frame: pd.DataFrame, offences: Sequence[str], *,
               agencies: Sequence[str] | None = None, years: Sequence[int] | None = None) -> pd.DataFrame:
    """Yearly FBI UCR human-trafficking offences: ``year``, ``count`` (sum of ``actual``),
    ``agencies`` (distinct ORIs with at least one row that year), ``per_agency``.

    Rows of the same agency, year and offence are summed (the file has several rows per agency and
    year). With ``agencies`` (a fixed panel) only those ORIs are counted and ``agencies`` is the
    panel size, so the panel's count is not moved by agencies joining. Caveat: the published file
    lists only agencies that recorded at least one offence, so "agencies" here is agencies with a
    recorded offence, not agencies that reported, and a per-agency rate is conditional on a record.
    """
    sel = frame[frame["offence"].isin(list(offences))]
    if years is not None:
        sel = sel[sel["year"].isin(list(years))]
    if agencies is not None:
        sel = sel[sel["ori"].isin(list(agencies))]
    out = sel.groupby("year").agg(count=("actual", "sum"), agencies=("ori", "nunique")).reset_index()
    if agencies is not None:
        out["agencies"] = len(set(agencies))
    out["count"] = out["count"].astype(float)
    out["per_agency"] = out["count"] / out["agencies"]
    return out


def ucr_fixed_panel(frame: pd.DataFrame, years: Sequence[int],
                    offences: Sequence[str] | None = None) -> list[str]:
    """ORIs with at least one recorded offence in every one of ``years`` (a fixed panel).

    Selecting agencies on having a record every year selects on the outcome: the panel's counts
    cannot fall to zero, which biases against finding a fall. State this wherever it is used.
    """
    sel = frame if offences is None else frame[frame["offence"].isin(list(offences))]
    sel = sel[sel["year"].isin(list(years))]
    per = sel.groupby("ori")["year"].nunique()
    return sorted(per[per == len(set(years))].index.astype(str))


def policy_timing(table: pd.DataFrame, *, rule: str = "majority") -> pd.DataFrame:
    """First post year of each row of the ``policy-changes`` table, and what it rests on.

    Uses ``date_in_force`` when given, else ``date_enacted``, else ``year_in_force`` (counted as
    post, since the day is unknown). Returns ``policy_id``, ``first_post_year``, ``date_basis``
    (``"date in force"``, ``"date enacted"``, ``"year only"``) and ``verification``, so a
    notebook can say which intervention years rest on unverified or approximate dates.
    """
    rows = []
    for rec in table.itertuples(index=False):
        if pd.notna(rec.date_in_force):
            year, basis = first_post_year(pd.Timestamp(rec.date_in_force).date(), rule=rule), "date in force"
        elif pd.notna(rec.date_enacted):
            year, basis = first_post_year(pd.Timestamp(rec.date_enacted).date(), rule=rule), "date enacted"
        else:
            year, basis = int(rec.year_in_force), "year only"
        rows.append({"policy_id": str(rec.policy_id), "first_post_year": int(year),
                     "date_basis": basis, "verification": str(rec.verification)})
    return pd.DataFrame(rows, columns=["policy_id", "first_post_year", "date_basis", "verification"])


def glotip_panel(frame: pd.DataFrame, *, indicator: str = "Detected trafficking victims",
                 category: str = "Total", suppressed: str = "midpoint",
                 exclude: Sequence[str] = ()) -> dict[str, pd.DataFrame]:
    """:func:`glotip_series` for every country in ``frame`` (less ``exclude``), keyed by ISO3:
    the pool of control units for :func:`placebo_across_units`. Duplicate rows are summed."""
    dimension = "Total" if category == "Total" else "by form of exploitation"
    sel = frame[(frame["indicator"] == indicator) & (frame["dimension"] == dimension)
                & (frame["category"] == category) & (frame["sex"] == "Total")
                & (frame["age"] == "Total") & ~frame["iso3"].isin(list(exclude))]
    return {str(iso): glotip_series(part, str(iso), indicator=indicator, category=category,
                                    suppressed=suppressed, duplicates="sum")
            for iso, part in sel.groupby("iso3")}


@dataclass(frozen=True)
class SeriesAnalysis:
    """Everything the notebook reports for one series: the fit or the refusal, placebos, MDE."""

    series: str
    first_post_year: int
    data: pd.DataFrame  # year, count (and exposure)
    result: ITSResult | None
    refusal: str | None
    placebo_time: PlaceboResult | None
    placebo_units: PlaceboResult | None
    power: float

    @property
    def fitted(self) -> bool:
        return self.result is not None

    def summary(self) -> dict[str, Any]:
        """Flat numbers for ``findings.record``: status, estimate, interval, placebo ranks, MDE."""
        if self.result is None:
            return {"status": "refused", "first_post_year": self.first_post_year,
                    "reason": self.refusal, "years": [int(y) for y in self.data["year"]]}
        out = {"status": "fitted"} | self.result.summary(self.power)
        for name, pl in (("placebo_time", self.placebo_time), ("placebo_units", self.placebo_units)):
            if pl is not None:
                out[f"{name}_rank"] = pl.rank
                out[f"{name}_n"] = pl.n_placebos
                out[f"{name}_p"] = pl.p_value
        return out


def analyse_series(data: pd.DataFrame, first_post: int, *, series: str,
                   controls: Mapping[str, pd.DataFrame] | None = None, placebo_pre_only: bool = False,
                   placebo_exclude_within: int = 0, power: float = 0.8, **fit: Any) -> SeriesAnalysis:
    """Fit, placebo in time, placebo across ``controls`` (optional) and MDE for one series, or the
    refusal message when it is too short. ``data`` has ``year``, ``count`` and optionally
    ``exposure``; ``fit`` goes to :func:`segmented_regression`."""
    exposure = data["exposure"].to_numpy() if "exposure" in data else None
    try:
        res = segmented_regression(data["year"], data["count"], first_post, series=series,
                                   exposure=exposure, **fit)
    except PolicyError as err:
        return SeriesAnalysis(series, first_post, data, None, str(err), None, None, power)
    pt = placebo_in_time(data["year"], data["count"], first_post, series=series, exposure=exposure,
                         pre_only=placebo_pre_only, exclude_within=placebo_exclude_within, **fit)
    pu = None
    if controls:
        unit_fit = {k: v for k, v in fit.items() if k not in ("model", "alpha")}
        pu = placebo_across_units(res, controls, **unit_fit)
    return SeriesAnalysis(series, first_post, data, res, None, pt, pu, power)
