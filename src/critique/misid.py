"""Raid-based misidentification: scenarios for what "victims identified" would be without the people
that raids mislabel as trafficking victims.

Everything here is **scenario analysis**: the rates are not measured for any country or year. The
evidence behind them (``data/published/raid-outcomes.csv``) is a handful of studies, each measuring
something different (self-identification at the time of a raid, screening outcomes, convictions).

Model (literature.md section 8c, a derivation [D]): of ``identified`` people counted as victims, a
share ``raid_share`` comes from raids, of whom a fraction ``fpr`` are not trafficking victims; of the
rest a fraction ``other_fpr`` are not. The count that remains is::

    remaining = identified * (1 - raid_share * fpr - (1 - raid_share) * other_fpr)

Applied to detected shares by form of exploitation (raids target the sex sector), with ``phi_k``
the misidentified fraction of form ``k``'s detections::

    s'_k = s_k (1 - phi_k) / sum_j s_j (1 - phi_j)

Public functions:

- :func:`adjust_counts` - the remaining count with a seeded, vectorised Monte Carlo interval;
- :func:`evidence_prior` - Beta distributions for the false-positive rate from the evidence table,
  every choice explicit;
- :func:`misidentified_fraction`, :func:`adjusted_shares` - form-specific misidentification on shares
  (composable with ``critique.detection.reweight_shares``);
- :func:`simulate_feedback`, :func:`feedback_fixed_point` - the cycle in which effort follows last
  year's detected shares.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

import numpy as np
import pandas as pd
from scipy import optimize, stats

SEX = "Sexual exploitation"

#: Measures in the evidence table that can stand in for a false-positive rate among people
#: identified as victims (with their caveats), and those that cannot.
FPR_MEASURES = ("self_identified_voluntary", "screening_outcome")
CONVICTION_MEASURES = ("conviction_ratio",)
_VERIFICATION_ORDER = {"primary": 2, "secondary": 1, "unverified": 0}


class MisidError(ValueError):
    """A bad argument to a misidentification model: the message names it and what is allowed."""


# ----------------------------------------------------------------------------------------------
# Distributions


@runtime_checkable
class Distribution(Protocol):
    """Anything with ``mean()`` and ``rvs(size=, random_state=)``: scipy frozen distributions,
    :class:`Beta`, :class:`BetaMixture`."""

    def mean(self) -> Any: ...

    def rvs(self, size: Any = ..., random_state: Any = ...) -> Any: ...


@dataclass(frozen=True)
class Beta:
    """Beta(a, b) for a rate in [0, 1]; mean a / (a + b).

    A Beta with a = k + a0 and b = n - k + b0 is the posterior of a binomial proportion k / n under a
    Beta(a0, b0) prior (Gelman et al., *Bayesian Data Analysis*, 3rd ed., section 2.4).
    """

    a: float
    b: float
    label: str = ""

    def __post_init__(self) -> None:
        if not (self.a > 0 and self.b > 0 and math.isfinite(self.a) and math.isfinite(self.b)):
            raise MisidError(f"Beta{self.label and ' ' + repr(self.label)}: a and b must be positive "
                             f"and finite, got a={self.a}, b={self.b}")

    def mean(self) -> float:
        return self.a / (self.a + self.b)

    def var(self) -> float:
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1))

    def ppf(self, q: Any) -> Any:
        return stats.beta.ppf(q, self.a, self.b)

    def interval(self, level: float) -> tuple[float, float]:
        lo, hi = stats.beta.interval(level, self.a, self.b)
        return float(lo), float(hi)

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        rng = np.random.default_rng(random_state)
        return rng.beta(self.a, self.b, size=size)

    def frozen(self) -> Any:
        """The same distribution as a scipy frozen ``beta``."""
        return stats.beta(self.a, self.b)


@dataclass(frozen=True)
class BetaMixture:
    """An equal- (or given-) weight mixture of Betas: studies kept apart, uncertainty about which one
    applies carried into the draws (wider than pooling their counts)."""

    components: tuple[Beta, ...]
    weights: tuple[float, ...]
    label: str = ""

    def __post_init__(self) -> None:
        if not self.components or len(self.components) != len(self.weights):
            raise MisidError("BetaMixture: need one weight per component and at least one component")
        if any(w < 0 for w in self.weights) or not math.isclose(sum(self.weights), 1.0, abs_tol=1e-9):
            raise MisidError(f"BetaMixture: weights must be non-negative and sum to 1, got {self.weights}")

    def mean(self) -> float:
        return float(sum(w * c.mean() for w, c in zip(self.weights, self.components)))

    def rvs(self, size: Any = None, random_state: Any = None) -> Any:
        rng = np.random.default_rng(random_state)
        n = 1 if size is None else int(np.prod(size))
        which = rng.choice(len(self.components), size=n, p=np.asarray(self.weights))
        a = np.array([c.a for c in self.components])[which]
        b = np.array([c.b for c in self.components])[which]
        out = rng.beta(a, b)
        return out[0] if size is None else out.reshape(size)


def _is_distribution(x: Any) -> bool:
    return hasattr(x, "rvs") and hasattr(x, "mean") and callable(x.rvs)


def _describe(x: Any) -> str:
    if isinstance(x, Beta):
        return f"Beta({x.a:g}, {x.b:g}) (mean {x.mean():.3f})"
    if isinstance(x, BetaMixture):
        parts = ", ".join(f"{w:.2f} x Beta({c.a:g}, {c.b:g})" for w, c in zip(x.weights, x.components))
        return f"mixture of {parts} (mean {x.mean():.3f})"
    if _is_distribution(x):
        args = getattr(x, "args", ())
        name = getattr(getattr(x, "dist", None), "name", type(x).__name__)
        return f"{name}{tuple(round(float(a), 4) for a in args)} (mean {float(x.mean()):.3f})"
    arr = np.asarray(x, dtype=float)
    return f"{float(arr):g}" if arr.ndim == 0 else f"array of {arr.size} values"


def _check_rate(name: str, x: Any) -> Any:
    """A fixed rate as float or array in [0, 1], or a distribution (its mean must lie in [0, 1])."""
    if _is_distribution(x):
        m = float(np.asarray(x.mean()))
        if not 0.0 <= m <= 1.0:
            raise MisidError(f"{name}: a distribution for a rate must lie in [0, 1]; its mean is {m}")
        return x
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise MisidError(f"{name}: expected a number, an array or a Beta distribution, "
                         f"got {type(x).__name__}") from exc
    if np.isnan(arr).any() or (arr < 0).any() or (arr > 1).any():
        bad = arr[np.isnan(arr) | (arr < 0) | (arr > 1)].ravel()[0]
        raise MisidError(f"{name}: a rate must lie in [0, 1], got {bad}")
    return float(arr) if arr.ndim == 0 else arr


# ----------------------------------------------------------------------------------------------
# adjust_counts


@dataclass(frozen=True)
class AdjustedCount:
    """Result of :func:`adjust_counts` (statsmodels-style: estimate, uncertainty and assumptions).

    ``point`` uses the mean of every rate; because the model is linear in each rate and the rates are
    drawn independently, it equals the analytic mean of ``remaining``. ``low``/``high`` are Monte Carlo
    quantiles at ``level``; ``mc_mean`` and ``mc_se`` the Monte Carlo mean and its standard error.
    Arrays have the broadcast shape of ``identified`` and the fixed rates.
    """

    identified: Any
    point: Any
    low: Any
    high: Any
    level: float
    mc_mean: Any
    mc_se: Any
    n_draws: int
    seed: int | None
    draws_summary: dict[str, Any]
    assumptions: str
    factor_draws: np.ndarray | None = field(default=None, repr=False)

    @property
    def removed(self) -> Any:
        """Identified minus remaining at the point value: the people the scenario treats as misidentified."""
        return np.asarray(self.identified, dtype=float) - np.asarray(self.point, dtype=float)

    def to_frame(self, index: Any = None) -> pd.DataFrame:
        """One row per element: identified, point, low, high (and removed)."""
        cols = {k: np.atleast_1d(np.asarray(getattr(self, k), dtype=float))
                for k in ("identified", "point", "low", "high")}
        n = max(v.size for v in cols.values())
        frame = pd.DataFrame({k: np.broadcast_to(v, (n,)) for k, v in cols.items()}, index=index)
        frame["removed"] = frame["identified"] - frame["point"]
        return frame


def misidentified_fraction(raid_share: Any, false_positive_rate: Any,
                          other_false_positive_rate: Any = 0.0) -> Any:
    """Fraction of identified people who are misidentified: ``raid_share*fpr + (1-raid_share)*other``.

    Fixed numbers or arrays only (means of distributions are taken by :func:`adjust_counts`).
    """
    rs = _check_rate("raid_share", raid_share)
    f = _check_rate("false_positive_rate", false_positive_rate)
    o = _check_rate("other_false_positive_rate", other_false_positive_rate)
    for name, x in (("raid_share", rs), ("false_positive_rate", f), ("other_false_positive_rate", o)):
        if _is_distribution(x):
            raise MisidError(f"misidentified_fraction: {name} must be a number or array here; "
                             "use adjust_counts for distributions")
    return rs * f + (1 - rs) * o


def adjust_counts(
    identified: Any,
    raid_share: Any,
    false_positive_rate: Any,
    other_false_positive_rate: Any = 0.0,
    *,
    n_draws: int = 1_000_000,
    seed: int | None = 0,
    level: float = 0.9,
    keep_draws: bool = False,
) -> AdjustedCount:
    """The count that remains when misidentified people are taken out (a scenario, not an estimate).

    ``remaining = identified * (1 - raid_share*fpr - (1 - raid_share)*other_fpr)``
    (literature.md 8c: a false-positive share phi leaves (1 - phi) n true detections).

    Parameters
    ----------
    identified: count(s) of people identified as victims (number or array, >= 0).
    raid_share: share of identifications that come from raids, in [0, 1].
    false_positive_rate: fraction of raid identifications who are not trafficking victims.
    other_false_positive_rate: the same fraction outside raids (default 0: all other
        identifications taken at face value, which is generous to the published figure).
        Each rate is a number, an array (broadcast with ``identified``: e.g. one value per year) or a
        distribution (:class:`Beta`, :class:`BetaMixture`, a scipy frozen ``beta``), drawn
        independently. A distribution is one uncertain rate shared by every element of
        ``identified`` (the elements' intervals are therefore perfectly correlated).
    n_draws, seed: Monte Carlo size and ``np.random.default_rng`` seed (vectorised: a million draws
        take a few tens of milliseconds; ``benchmarks/bench_misid.py``).
    level: central interval probability, in (0, 1).
    keep_draws: keep the draws of the remaining fraction (``factor_draws``) for diagnostics.
    """
    ident = np.asarray(identified, dtype=float)
    if np.isnan(ident).any() or (ident < 0).any():
        raise MisidError(f"adjust_counts: identified must be non-negative numbers, got {identified!r}")
    if not 0 < level < 1:
        raise MisidError(f"adjust_counts: level must lie strictly between 0 and 1, got {level}")
    if int(n_draws) < 2:
        raise MisidError(f"adjust_counts: n_draws must be at least 2, got {n_draws}")
    n_draws = int(n_draws)
    rates = {"raid_share": _check_rate("raid_share", raid_share),
             "false_positive_rate": _check_rate("false_positive_rate", false_positive_rate),
             "other_false_positive_rate": _check_rate("other_false_positive_rate",
                                                      other_false_positive_rate)}
    means = {k: (float(np.asarray(v.mean())) if _is_distribution(v) else v) for k, v in rates.items()}
    rs_m, f_m, o_m = means["raid_share"], means["false_positive_rate"], means["other_false_positive_rate"]
    factor_point = 1.0 - rs_m * f_m - (1.0 - rs_m) * o_m
    point = ident * factor_point

    rng = np.random.default_rng(seed)
    drawn = {}
    for k, v in rates.items():
        if _is_distribution(v):
            d = np.asarray(v.rvs(size=n_draws, random_state=rng), dtype=float)
            drawn[k] = d.reshape((n_draws,) + (1,) * max(np.ndim(factor_point), 0))
        else:
            drawn[k] = np.asarray(v, dtype=float)
    rs, f, o = drawn["raid_share"], drawn["false_positive_rate"], drawn["other_false_positive_rate"]
    # Draws of the remaining fraction; `identified` (>= 0) multiplies afterwards, so quantiles scale.
    factor = 1.0 - rs * f - (1.0 - rs) * o
    if not any(_is_distribution(v) for v in rates.values()):  # fixed rates: every draw is the same
        factor = np.asarray(factor, dtype=float)[np.newaxis, ...]
    alpha = (1.0 - level) / 2.0
    probs = [alpha, 1.0 - alpha, 0.025, 0.05, 0.5, 0.95, 0.975]
    qs = np.quantile(factor, probs, axis=0)  # one partial sort for every quantile
    q_lo, q_hi = qs[0], qs[1]
    f_mean = factor.mean(axis=0)
    f_sd = factor.std(axis=0, ddof=1) if factor.shape[0] > 1 else np.zeros_like(f_mean)
    summary = {
        "remaining_fraction_mean": f_mean,
        "remaining_fraction_sd": f_sd,
        "remaining_fraction_quantiles": dict(zip(("0.025", "0.05", "0.5", "0.95", "0.975"), qs[2:])),
    }
    assumptions = (
        "Scenario, not a measurement. remaining = identified x (1 - raid_share x fpr - "
        "(1 - raid_share) x other_fpr) with raid_share = " + _describe(raid_share)
        + ", fpr = " + _describe(false_positive_rate)
        + ", other_fpr = " + _describe(other_false_positive_rate)
        + f"; rates drawn independently, {n_draws:,} draws, seed {seed}, {level:.0%} central interval. "
        "Assumes misidentified people are counted once and that no genuine victim is missed by the "
        "count (it removes false positives only; it adds no undetected victims)."
    )
    return AdjustedCount(
        identified=identified if np.ndim(identified) else float(ident),
        point=_squeeze(point), low=_squeeze(ident * q_lo), high=_squeeze(ident * q_hi), level=level,
        mc_mean=_squeeze(ident * f_mean), mc_se=_squeeze(ident * f_sd / math.sqrt(factor.shape[0])),
        n_draws=n_draws, seed=seed, draws_summary=summary, assumptions=assumptions,
        factor_draws=np.array(factor) if keep_draws else None,
    )


def _squeeze(x: Any) -> Any:
    arr = np.asarray(x, dtype=float)
    return float(arr) if arr.ndim == 0 else arr


# ----------------------------------------------------------------------------------------------
# evidence_prior


@dataclass(frozen=True)
class EvidencePrior:
    """Result of :func:`evidence_prior`: the distribution to use, the per-study Betas, and the
    table of rows with why each was used or left out."""

    distribution: Beta | BetaMixture
    per_study: dict[str, Beta]
    table: pd.DataFrame
    pooling: str
    choices: str

    def mean(self) -> float:
        return float(self.distribution.mean())


def evidence_prior(
    evidence: pd.DataFrame,
    *,
    rows: Sequence[str] | None = None,
    pooling: str = "mixture",
    prior: tuple[float, float] = (1.0, 1.0),
    cap_n: int | None = None,
    include_conviction_ratio: bool = False,
    min_verification: str = "secondary",
) -> EvidencePrior:
    """Beta distributions for the raid false-positive rate from the evidence table, choices explicit.

    Each usable row gives ``k`` people *not* found to be trafficking victims out of ``n`` counted
    (``numerator``/``denominator``, flipped when ``numerator_side`` is ``victim``), and so a
    Beta(k + a0, n - k + b0) with ``prior = (a0, b0)`` pseudo-counts (Beta(1, 1): uniform).

    Choices (all parameters, none hidden):

    - ``rows``: evidence ids to consider (default: every row); only rows whose ``measures`` is in
      ``FPR_MEASURES`` (self-identified voluntary sex work at the raid; a screening tool's validated
      outcome) and whose ``verification`` is at least ``min_verification`` are used. Rows left out
      are listed in ``table`` with the reason.
    - ``pooling``: ``"pooled"`` adds all counts into one Beta (assumes every study measures the same
      rate: the narrowest, most confident choice); ``"mixture"`` keeps the studies apart and weights
      them equally (the rate is one of the studies' rates, which one unknown: wider); ``"separate"``
      returns the per-study Betas and, as ``distribution``, their equal-weight mixture.
    - ``cap_n``: cap each study's effective sample size (counts scaled to at most ``cap_n``) so that a
      single local study cannot look like a precise global rate. ``None``: no cap.

    **A conviction ratio is not a false-positive rate.** Pentameter 2 (UK, 2007-08) claimed 167
    "victims identified" and produced 15 trafficking convictions; 1 - 15/167 = 0.91 is *not* the
    fraction of the 167 who were not victims. Many genuine victims never see a conviction (no
    suspect found, victim unwilling to testify, prosecutions for other offences, acquittals), so the
    ratio mixes misidentification with the attrition of every prosecution. Rows with
    ``measures == "conviction_ratio"`` are therefore excluded by default; ``include_conviction_ratio=
    True`` includes them as an explicit upper-bound scenario, with a ``UserWarning``.
    """
    needed = {"id", "measures", "numerator", "denominator", "numerator_side", "verification"}
    missing = needed - set(evidence.columns)
    if missing:
        raise MisidError(f"evidence_prior: evidence table lacks column(s) {sorted(missing)}; "
                         "expected the raid-outcomes table (critique.datasets.load('raid-outcomes'))")
    if pooling not in ("pooled", "mixture", "separate"):
        raise MisidError(f"evidence_prior: pooling must be 'pooled', 'mixture' or 'separate', got {pooling!r}")
    a0, b0 = (float(prior[0]), float(prior[1]))
    if not (a0 > 0 and b0 > 0):
        raise MisidError(f"evidence_prior: prior pseudo-counts must be positive, got {prior}")
    if min_verification not in _VERIFICATION_ORDER:
        raise MisidError(f"evidence_prior: min_verification must be one of {list(_VERIFICATION_ORDER)}, "
                         f"got {min_verification!r}")
    if cap_n is not None and cap_n < 1:
        raise MisidError(f"evidence_prior: cap_n must be a positive count or None, got {cap_n}")
    ids = list(evidence["id"].astype(str))
    if rows is not None:
        unknown = [r for r in rows if r not in ids]
        if unknown:
            raise MisidError(f"evidence_prior: unknown evidence id(s) {unknown}; known: {ids}")
    allowed = FPR_MEASURES + (CONVICTION_MEASURES if include_conviction_ratio else ())
    floor = _VERIFICATION_ORDER[min_verification]
    out, per_study = [], {}
    for rec in evidence.to_dict("records"):
        rid = str(rec["id"])
        reason = ""
        k_raw, n_raw = rec["numerator"], rec["denominator"]
        if rows is not None and rid not in rows:
            reason = "not selected"
        elif rec["measures"] in CONVICTION_MEASURES and not include_conviction_ratio:
            reason = "conviction ratio: not a false-positive rate (excluded by default)"
        elif rec["measures"] not in allowed:
            reason = f"measures {rec['measures']}: not a false-positive rate among identified victims"
        elif _VERIFICATION_ORDER.get(str(rec["verification"]), -1) < floor:
            reason = f"verification {rec['verification']} below {min_verification}"
        elif pd.isna(k_raw) or pd.isna(n_raw):
            reason = "no numerator/denominator"
        k = n = a = b = np.nan
        if not reason:
            n = float(n_raw)
            side = rec["numerator_side"]
            if pd.isna(side) or side not in ("not_victim", "victim"):
                raise MisidError(f"evidence_prior: row {rid}: numerator_side must be 'not_victim' or "
                                 f"'victim' for a rate row, got {side!r}")
            k = float(k_raw) if side == "not_victim" else n - float(k_raw)
            if not 0 <= k <= n or n <= 0:
                raise MisidError(f"evidence_prior: row {rid}: numerator {k_raw} / denominator {n_raw} "
                                 "is not a proportion")
            if cap_n is not None and n > cap_n:
                k, n = k * cap_n / n, float(cap_n)
            a, b = k + a0, n - k + b0
            per_study[rid] = Beta(a, b, label=rid)
            if rec["measures"] in CONVICTION_MEASURES:
                warnings.warn(
                    f"evidence_prior: row {rid} is a conviction ratio, included as an upper-bound "
                    "scenario; it is not a false-positive rate (genuine victims often see no conviction)",
                    UserWarning, stacklevel=2)
        out.append({"id": rid, "measures": rec["measures"], "verification": rec["verification"],
                    "used": not reason, "reason": reason or "used", "k_not_victim": k,
                    "n": n, "a": a, "b": b, "mean": a / (a + b) if not reason else np.nan})
    if not per_study:
        raise MisidError("evidence_prior: no usable evidence row with these choices "
                         f"(rows={rows}, min_verification={min_verification}); see FPR_MEASURES")
    betas = list(per_study.values())
    if pooling == "pooled":
        dist: Beta | BetaMixture = Beta(sum(x.a - a0 for x in betas) + a0,
                                        sum(x.b - b0 for x in betas) + b0, label="pooled")
    else:
        w = tuple([1.0 / len(betas)] * len(betas))
        dist = betas[0] if len(betas) == 1 else BetaMixture(tuple(betas), w, label=pooling)
    choices = (f"rows used: {', '.join(per_study)}; pooling: {pooling}; prior Beta({a0:g}, {b0:g}); "
               f"cap_n: {cap_n}; conviction ratios {'INCLUDED (upper bound)' if include_conviction_ratio else 'excluded'}; "
               f"minimum verification: {min_verification}")
    return EvidencePrior(dist, per_study, pd.DataFrame(out), pooling, choices)


# ----------------------------------------------------------------------------------------------
# shares


def _as_shares(shares: Mapping[str, float] | pd.Series, name: str = "shares") -> pd.Series:
    s = pd.Series(shares, dtype=float)
    if s.empty or s.isna().any() or (s < 0).any() or s.sum() <= 0:
        raise MisidError(f"{name}: need non-negative numbers with a positive total, got {dict(s)}")
    return s / s.sum()


def adjusted_shares(
    shares: Mapping[str, float] | pd.Series,
    misidentified: Mapping[str, float] | float,
    *,
    target: str = SEX,
) -> pd.Series:
    """Shares by form after removing misidentified people: ``s'_k ∝ s_k (1 - phi_k)``.

    literature.md 8c [D]: ``s'_sex = s_sex (1 - phi_sex) / sum_k s_k (1 - phi_k)``.

    ``misidentified``: the misidentified fraction ``phi_k`` of each form's detections (a mapping; forms
    not in it get 0), or one number applied to ``target`` only (raids target the sex sector; use
    :func:`misidentified_fraction` to build it from raid share and false-positive rates).

    Works on plain share vectors, so it composes with detection-bias reweighting in either order
    (both are multiplicative reweightings followed by normalisation, so the order does not matter)::

        adjusted_shares(reweight_shares(shares, ratio), phi)
    """
    s = _as_shares(shares)
    if isinstance(misidentified, Mapping):
        unknown = set(misidentified) - set(s.index)
        if unknown:
            raise MisidError(f"adjusted_shares: misidentified names forms {sorted(unknown)} that are "
                             f"not in shares ({list(s.index)})")
        phi = pd.Series({k: float(misidentified.get(k, 0.0)) for k in s.index})
    else:
        if target not in s.index:
            raise MisidError(f"adjusted_shares: target form {target!r} not in shares ({list(s.index)})")
        phi = pd.Series(0.0, index=s.index)
        phi[target] = float(misidentified)
    for k, v in phi.items():
        _check_rate(f"misidentified[{k!r}]", v)
    kept = s * (1.0 - phi)
    if kept.sum() <= 0:
        raise MisidError("adjusted_shares: every detection would be misidentified; nothing remains")
    return kept / kept.sum()


def reweight_by_detection(shares: Mapping[str, float] | pd.Series,
                          relative_detection: Mapping[str, float]) -> pd.Series:
    """True share ∝ detected share / relative detection rate (a plain-vector stand-in for
    ``critique.detection.reweight_shares`` with the same model; forms not named get rate 1)."""
    s = _as_shares(shares)
    r = pd.Series({k: float(relative_detection.get(k, 1.0)) for k in s.index})
    if (r <= 0).any():
        raise MisidError(f"reweight_by_detection: relative detection rates must be positive, got {dict(r)}")
    w = s / r
    return w / w.sum()


# ----------------------------------------------------------------------------------------------
# feedback


@dataclass(frozen=True)
class FeedbackResult:
    """Path of :func:`simulate_feedback`: one row per year (0 = the starting allocation), columns
    ``year``, ``form``, ``true_share``, ``effort_share``, ``detected_share``, ``misidentified_share``
    (of all detections), and ``fixed_point`` (detected shares the path tends to)."""

    path: pd.DataFrame
    fixed_point: pd.Series
    yield_per_effort: pd.Series
    assumptions: str

    def detected(self, form: str = SEX) -> pd.Series:
        """Detected share of ``form`` by year."""
        p = self.path[self.path["form"] == form]
        return pd.Series(p["detected_share"].to_numpy(), index=p["year"].to_numpy(), name=form)


def _yields(true_shares: pd.Series, detection_rate: Mapping[str, float] | float,
            misidentified: Mapping[str, float] | float, target: str) -> pd.Series:
    forms = true_shares.index
    if isinstance(detection_rate, Mapping):
        r = pd.Series({k: float(detection_rate.get(k, 1.0)) for k in forms})
    else:
        r = pd.Series(float(detection_rate), index=forms)
    if (r <= 0).any():
        raise MisidError(f"simulate_feedback: detection rates must be positive, got {dict(r)}")
    if isinstance(misidentified, Mapping):
        phi = pd.Series({k: float(misidentified.get(k, 0.0)) for k in forms})
    else:
        if target not in forms:
            raise MisidError(f"simulate_feedback: target form {target!r} not in true_shares ({list(forms)})")
        phi = pd.Series(0.0, index=forms)
        phi[target] = float(misidentified)
    if (phi < 0).any() or (phi >= 1).any():
        raise MisidError(f"simulate_feedback: misidentified fractions must lie in [0, 1), got {dict(phi)}")
    # Detections per unit of effort: true victims r_k plus misidentified r_k*phi/(1-phi), so that
    # phi_k is the misidentified fraction of form k's detections at any effort level.
    return r / (1.0 - phi), phi


def _feedback_inputs(caller: str, true_shares, baseline_effort, responsiveness) -> tuple[pd.Series, pd.Series, float]:
    """Checked true shares, baseline effort (default: the true shares) and responsiveness λ."""
    t = _as_shares(true_shares, "true_shares")
    b = t if baseline_effort is None else _as_shares(baseline_effort, "baseline_effort").reindex(t.index)
    if b.isna().any():
        raise MisidError(f"{caller}: baseline_effort must name every form in {list(t.index)}")
    lam = float(responsiveness)
    if not 0 <= lam <= 1:
        raise MisidError(f"{caller}: responsiveness must lie in [0, 1], got {responsiveness}")
    return t, b, lam


def feedback_fixed_point(
    true_shares: Mapping[str, float] | pd.Series,
    detection_rate: Mapping[str, float] | float = 1.0,
    misidentified: Mapping[str, float] | float = 0.0,
    *,
    responsiveness: float = 1.0,
    baseline_effort: Mapping[str, float] | pd.Series | None = None,
    target: str = SEX,
) -> pd.Series:
    """Detected shares at the fixed point of :func:`simulate_feedback`.

    With yields ``c_k = r_k / (1 - phi_k)``, effort ``e = (1-λ) b + λ d`` and ``d ∝ e ⊙ c``:

    - λ = 1 (effort follows the data fully): ``d_k(t) ∝ b_k c_k^t``, so every detection ends up in
      the form with the largest yield (the fixed point is that vertex; ties share in proportion to b).
    - λ < 1: ``d*_k = (1-λ) b_k c_k / (S - λ c_k)`` where ``S = e*·c`` is the unique root above
      ``λ max c`` of ``sum_k (1-λ) b_k c_k / (S - λ c_k) = 1`` (the left side falls from +inf to 0).
      With two groups of forms (the target and the rest, equal yields within the rest) this is the
      quadratic ``(κ-1)λ x² + (1 + (κ-1)u - κλ) x - κu = 0`` in ``x = d*_target``, with
      ``κ = c_target / c_rest`` and ``u = (1-λ) b_target``: closed form. With more groups the root
      is found with Brent's method (exact to 1e-14).
    """
    t, b, lam = _feedback_inputs("feedback_fixed_point", true_shares, baseline_effort, responsiveness)
    c, _ = _yields(t, detection_rate, misidentified, target)
    if lam == 1.0:
        top = c[b > 0].max()
        w = b.where(np.isclose(c, top) & (b > 0), 0.0)
        return w / w.sum()
    rest = c.drop(target) if target in c.index else c
    if target in c.index and np.allclose(rest, rest.iloc[0]):
        kappa = c[target] / rest.iloc[0]
        u = (1 - lam) * b[target]
        A, B, C = (kappa - 1) * lam, 1 + (kappa - 1) * u - kappa * lam, -kappa * u
        if abs(A) < 1e-15:
            x = -C / B
        else:
            disc = math.sqrt(B * B - 4 * A * C)
            roots = [(-B + disc) / (2 * A), (-B - disc) / (2 * A)]
            x = min((r for r in roots if -1e-12 <= r <= 1 + 1e-12), key=lambda r: abs(r - 0.5))
        d = pd.Series(0.0, index=t.index)
        d[target] = x
        others = b.drop(target)
        if others.sum() > 0:
            d[others.index] = (1 - x) * others / others.sum()
        return d
    lo = lam * c.max() * (1 + 1e-15) + 1e-300

    def g(S: float) -> float:
        return float(((1 - lam) * b * c / (S - lam * c)).sum() - 1.0)

    hi = max(lo * 2, float((b * c).sum()) + c.max())
    while g(hi) > 0:
        hi *= 2
    S = optimize.brentq(g, lo + 1e-15 * max(1.0, lo), hi, xtol=1e-15, rtol=1e-14)
    d = (1 - lam) * b * c / (S - lam * c)
    return d / d.sum()


def simulate_feedback(
    true_shares: Mapping[str, float] | pd.Series,
    detection_rate: Mapping[str, float] | float = 1.0,
    misidentified: Mapping[str, float] | float = 0.0,
    *,
    years: int = 30,
    responsiveness: float = 1.0,
    baseline_effort: Mapping[str, float] | pd.Series | None = None,
    target: str = SEX,
) -> FeedbackResult:
    """The self-perpetuating cycle: enforcement effort follows last year's detected shares.

    Model (a scenario; the structure follows issue 5 and literature.md 8c):

    - True victims by form are unchanged: shares ``t_k`` every year.
    - Effort share in year y: ``e(y) = (1-λ) b + λ d(y-1)`` with ``λ = responsiveness`` (1: effort
      follows the data fully; 0: fixed) and ``b = baseline_effort`` (default: proportional to the true
      shares, the neutral allocation). Year 0 uses ``e(0) = b``.
    - Detections of true victims: ``V t_k · r_k · e_k / t_k = V r_k e_k``, i.e. a victim's chance of
      detection is the sector's detection rate ``r_k`` scaled by effort per victim in the sector
      (``e_k / t_k``, 1 under proportional effort). This is first-order (low detection rates).
    - People misidentified in raids, in proportion to effort in the sector: ``V r_k φ_k/(1-φ_k) e_k``,
      so that ``φ_k`` (``misidentified``; a number applies to ``target``) is the misidentified fraction
      of the sector's detections at any effort level.
    - Detected shares: ``d_k(y) ∝ e_k(y) c_k`` with yield ``c_k = r_k / (1 - φ_k)``.

    Invariants (tested): with no misidentification and equal rates, ``d(y) = t`` in every year when
    effort starts proportional; with ``φ_target > 0`` the detected target share exceeds the true share
    and, when effort follows the data (λ > 0), the gap never shrinks. The fixed point is given by
    :func:`feedback_fixed_point`.
    """
    t, b, lam = _feedback_inputs("simulate_feedback", true_shares, baseline_effort, responsiveness)
    if int(years) < 1:
        raise MisidError(f"simulate_feedback: years must be at least 1, got {years}")
    c, phi = _yields(t, detection_rate, misidentified, target)
    cv, bv, tv, phiv = c.to_numpy(), b.to_numpy(), t.to_numpy(), phi.to_numpy()
    e = bv.copy()
    rows_e, rows_d, rows_m = [], [], []
    for _ in range(int(years) + 1):
        det = e * cv
        d = det / det.sum()
        rows_e.append(e)
        rows_d.append(d)
        rows_m.append(det * phiv / det.sum())  # misidentified people as a share of all detections
        e = (1 - lam) * bv + lam * d
    forms = list(t.index)
    n_years = int(years) + 1
    path = pd.DataFrame({
        "year": np.repeat(np.arange(n_years), len(forms)),
        "form": forms * n_years,
        "true_share": np.tile(tv, n_years),
        "effort_share": np.concatenate(rows_e),
        "detected_share": np.concatenate(rows_d),
        "misidentified_share": np.concatenate(rows_m),
    })
    fp = feedback_fixed_point(t, detection_rate, misidentified, responsiveness=lam,
                              baseline_effort=b, target=target)
    def _fmt(s: pd.Series) -> str:  # plain "name value" pairs, not numpy reprs, in a printed caption
        return ", ".join(f"{k} {float(v):.3g}" for k, v in s.items())

    text = (f"Scenario: true shares fixed at {_fmt(t)}; yields per unit effort {_fmt(c)} "
            f"(detection rate / (1 - misidentified fraction)); responsiveness {lam:g}; "
            f"baseline effort {_fmt(b)}; {years} years. The loop (effort follows last year's "
            "detections) is a modelled hypothesis, not an observed process.")
    return FeedbackResult(path, fp, c, text)
