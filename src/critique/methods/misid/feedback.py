"""Feedback model: enforcement effort follows last year's detected shares, so that misidentified
people can pull detected shares away from unchanged true shares (a modelled hypothesis)."""
from __future__ import annotations
from critique.core import i18n

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
from scipy import optimize

from critique.methods.misid.distributions import SEX, MisidError, _as_shares

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

    text = i18n._("Scenario: true shares fixed at {true}; yields per unit effort {yields} (detection rate / (1 - "
                  "misidentified fraction)); responsiveness {lam:g}; baseline effort {baseline}; {years} years. The "
                  "loop (effort follows last year's detections) is a modelled hypothesis, not an observed process.",
                  true=_fmt(t), yields=_fmt(c), lam=lam, baseline=_fmt(b), years=years)
    return FeedbackResult(path, fp, c, text)
