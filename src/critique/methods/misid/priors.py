"""Evidence priors: Beta distributions for the raid false-positive rate built from the
``raid-outcomes`` evidence table, every choice (rows, pooling, prior, cap, verification) explicit."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from critique.methods.misid.distributions import Beta, BetaMixture, MisidError
from critique.core.i18n import _

#: Measures in the evidence table that can stand in for a false-positive rate among people
#: identified as victims (with their caveats), and those that cannot.
FPR_MEASURES = ("self_identified_voluntary", "screening_outcome")
CONVICTION_MEASURES = ("conviction_ratio",)
_VERIFICATION_ORDER = {"primary": 2, "secondary": 1, "unverified": 0}


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
    choices = _("rows used: {rows}; pooling: {pooling}; prior Beta({a0:g}, {b0:g}); cap_n: {cap_n}; conviction ratios "
                "{conviction}; minimum verification: {verification}", rows=", ".join(per_study), pooling=pooling, a0=a0,
                b0=b0, cap_n=cap_n, conviction=_("INCLUDED (upper bound)") if include_conviction_ratio else
                _("excluded"), verification=min_verification)
    return EvidencePrior(dist, per_study, pd.DataFrame(out), pooling, choices)
