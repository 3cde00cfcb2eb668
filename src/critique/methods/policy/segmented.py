"""Segmented regression (interrupted time series) on one yearly count series.

A level and slope change around an intervention year (Wagner, Soumerai, Zhang & Ross-Degnan 2002,
"Segmented regression analysis of interrupted time series studies in medication use research",
*J Clin Pharm Ther* 27(4):299-309; Bernal, Cummins & Gasparrini 2017, "Interrupted time series
regression for the evaluation of public health interventions: a tutorial", *Int J Epidemiol*
46(1):348-355). Three estimators: quasi-Poisson GLM (Pearson-chi2 scale) and negative-binomial
regression with a log offset for coverage (reporting agencies, population), and OLS on log counts
with Newey-West (HAC) errors (Newey & West 1987, *Econometrica* 55(3):703-708). The model is in
:mod:`critique.methods.policy.design`; ``exp(b2)`` is the ratio of the count in the first post year to the
pre-period trend projected to that year.
"""
from __future__ import annotations

import math
import warnings as _warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from critique.methods.policy.design import BASE_TERMS, design_matrix, newey_west_lags
from critique.methods.policy.power import minimum_detectable_effect
from critique.methods.policy.refusals import MIN_RESID_DF, PolicyError, check_residual_df, check_sides

MODELS = ("poisson", "negbin", "ols-log")


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
    """A fitted segmented regression (see :mod:`critique.methods.policy.design` for the model)."""

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
    counterfactual: pd.Series  # baseline (pre-trend and indicators) projected over the post years
    warnings: tuple[str, ...] = field(default=())
    indicators: tuple[str, ...] = field(default=())

    def mde(self, power: float = 0.8) -> float:
        """Minimum detectable level change (log scale) for this fit's SE, with Student t quantiles on
        the fit's residual df (its interval's reference distribution); see
        :func:`critique.methods.policy.power.minimum_detectable_effect`."""
        return minimum_detectable_effect(self.level.se, alpha=self.alpha, power=power,
                                         df=self.diagnostics["df_resid"])

    def summary(self, power: float = 0.8) -> dict[str, Any]:
        """Plain numbers for findings and tables (percent changes are ``100 (exp(b) - 1)``)."""
        mde = self.mde(power)
        return {
            "series": self.series, "model": self.model, "first_post_year": self.intervention,
            "n_pre": self.n_pre, "n_post": self.n_post, "years": [int(y) for y in self.years],
            "indicators": list(self.indicators),
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


def _clean(years: Sequence[int], counts: Sequence[float], exposure: Sequence[float] | None,
           indicators: Mapping[str, Sequence[float]] | None,
           series: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, dict[str, np.ndarray]]:
    y = np.asarray(years, dtype=float)
    c = np.asarray(counts, dtype=float)
    if y.shape != c.shape:
        raise PolicyError(f"{series}: {len(y)} years but {len(c)} counts")
    e = None if exposure is None else np.asarray(exposure, dtype=float)
    if e is not None and e.shape != c.shape:
        raise PolicyError(f"{series}: {len(c)} counts but {len(e)} exposure values")
    ind = {k: np.asarray(v, dtype=float) for k, v in (indicators or {}).items()}
    for k, v in ind.items():
        if v.shape != c.shape:
            raise PolicyError(f"{series}: indicator {k!r} has {len(v)} values for {len(c)} counts")
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
    ind = {k: v[keep][order] for k, v in ind.items()}
    for k, v in ind.items():
        if not v.any() or v.all():
            raise PolicyError(f"{series}: indicator {k!r} is constant over the fitted years; "
                              "it cannot be estimated beside the intercept")
    return (y[keep][order].astype(int), c[keep][order], None if e is None else e[keep][order], ind)


def segmented_regression(
    years: Sequence[int],
    counts: Sequence[float],
    first_post: int,
    *,
    model: str = "poisson",
    exposure: Sequence[float] | None = None,
    indicators: Mapping[str, Sequence[float]] | None = None,
    alpha: float = 0.05,
    min_points: int = 3,
    min_resid_df: int = MIN_RESID_DF,
    series: str = "series",
    hac_lags: int | None = None,
) -> ITSResult:
    """Fit a level and slope change at ``first_post`` (the first year counted as after the policy).

    Parameters
    ----------
    years, counts: one count per year; NaN counts (unpublished or suppressed years) are dropped,
        gaps allowed.
    model: ``"poisson"``: Poisson GLM with Pearson-chi2 scale (quasi-Poisson, so over-dispersion
        widens the intervals, never narrower than Poisson; McCullagh & Nelder 1989 §4.5) and
        t-based intervals;
        ``"negbin"``: NB2 regression with its dispersion estimated by maximum likelihood
        (statsmodels ``NegativeBinomial``; Cameron & Trivedi 2013 ch. 3), Wald intervals with a
        Student t reference on the residual degrees of freedom (every mean parameter and the
        dispersion counted), so that with a handful of points they are not narrower than the
        quasi-Poisson t intervals;
        ``"ols-log"``: OLS on ``log(count / exposure)`` (``log(count + 0.5)`` when a zero is
        present) with Newey-West HAC errors, small-sample corrected, t-based intervals.
    exposure: coverage of the count (reporting agencies, population): enters as ``log`` offset.
    indicators: extra baseline columns by name, one value per year (a recording-break step, a
        Covid-year indicator; :mod:`critique.methods.policy.design`); they are part of the counterfactual.
    alpha: 1 - confidence level of the intervals.
    min_points: refuse (:class:`PolicyError`) with fewer observed years on either side.
    min_resid_df: refuse with fewer residual degrees of freedom (every mean parameter and the
        negative-binomial dispersion counted; :mod:`critique.methods.policy.refusals`).
    hac_lags: Newey-West truncation lag for ``ols-log`` (default :func:`newey_west_lags`).

    With a handful of yearly points every interval is wide and HAC errors are themselves
    imprecise (they are consistent only as n grows); the result says how many points it used.
    """
    import statsmodels.api as sm
    from scipy import stats
    from statsmodels.stats.stattools import durbin_watson

    if model not in MODELS:
        raise PolicyError(f"{series}: model={model!r}; choose one of {', '.join(MODELS)}")
    if not 0 < alpha < 1:
        raise PolicyError(f"{series}: alpha={alpha} must lie strictly between 0 and 1")
    y_years, y, e, ind = _clean(years, counts, exposure, indicators, series)
    n_pre, n_post = check_sides(y_years, first_post, min_points=min_points, series=series)
    n = len(y)
    k_mean = len(BASE_TERMS) + len(ind)
    df_resid = check_residual_df(n, k_mean + (1 if model == "negbin" else 0), model=model,
                                 min_resid_df=min_resid_df, series=series)
    X = design_matrix(y_years.astype(float), first_post, ind)
    offset = np.zeros(n) if e is None else np.log(e)
    notes: list[str] = []
    diag: dict[str, float] = {"n": float(n), "n_params": float(k_mean + (model == "negbin"))}

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
            params, bse = np.asarray(res.params[:k_mean]), np.asarray(res.bse[:k_mean])
            # Wald with a t reference on the residual df (mean parameters and dispersion counted):
            # with 3-4 residual df the normal reference would be narrower than the quasi-Poisson t
            # interval on the same points (Cameron & Trivedi 2013 sec. 3.3 on small-sample Wald)
            tq = float(stats.t.ppf(1 - alpha / 2, df_resid))
            ci = np.column_stack([params - tq * bse, params + tq * bse])
            pvals = 2 * stats.t.sf(np.abs(params / bse), df_resid)
            mu = np.exp(X @ params + offset)
            nb_alpha = float(res.params[k_mean])
            diag.update(nb_alpha=nb_alpha, aic=float(res.aic), df_resid=float(df_resid))
            resid = (y - mu) / np.sqrt(mu + nb_alpha * mu ** 2)
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
    params = np.asarray(params, dtype=float)

    def eff(i: int) -> Effect:
        return Effect(float(params[i]), float(ci[i, 0]), float(ci[i, 1]), float(bse[i]), float(pvals[i]))

    post_mask = y_years >= first_post
    baseline = [0, 1] + list(range(len(BASE_TERMS), k_mean))  # all but level and slope change
    cf_lin = X[:, baseline] @ params[baseline] + offset
    cf = np.exp(cf_lin) - (0.5 if model == "ols-log" and (y == 0).any() else 0.0)
    idx = pd.Index(y_years, name="year")
    return ITSResult(
        series=series, model=model, intervention=int(first_post), years=tuple(int(v) for v in y_years),
        n_pre=n_pre, n_post=n_post, level=eff(2), slope=eff(3), pre_trend=eff(1), alpha=alpha,
        diagnostics=diag, fitted=pd.Series(np.asarray(mu, dtype=float), index=idx, name="fitted"),
        counterfactual=pd.Series(np.where(post_mask, cf, np.nan), index=idx, name="pre-trend projected"),
        warnings=tuple(notes), indicators=tuple(ind))
