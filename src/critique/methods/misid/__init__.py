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

Modules (one job each; every public name is importable from ``critique.methods.misid``):

- ``distributions``: :class:`Beta`, :class:`BetaMixture`, the rate checks, :class:`MisidError`;
- ``priors`` (evidence priors): :func:`evidence_prior` - Beta distributions for the false-positive
  rate from the evidence table, every choice explicit;
- ``counts`` (count adjustment): :func:`adjust_counts` - the remaining count with a seeded,
  vectorised Monte Carlo interval; :func:`raid_sweep` - the remaining fraction over a grid of
  false-positive rate x raid share x base (with or without labour victims), so that the reader sees
  how much the assumptions, not the sampling error, decide; :func:`misidentified_fraction`;
- ``shares``: :func:`adjusted_shares`, :func:`reweight_by_detection` - form-specific
  misidentification on shares (composable with ``critique.methods.detection.reweight_shares``);
- ``feedback`` (feedback model): :func:`simulate_feedback`, :func:`feedback_fixed_point` - the cycle
  in which effort follows last year's detected shares;
- ``analysis``: :func:`analyse` - notebook 20's whole analysis in one call, a :class:`RaidAnalysis`
  (numbers, reader tables, chart data, reading sentences, findings);
- ``exercise``: :func:`victims_rescued` - workshop exercise 2's table, findings and answer numbers.
"""
from __future__ import annotations

from critique.methods.misid.counts import (
    BASE_ALL,
    BASE_LABOUR_AT_FACE_VALUE,
    AdjustedCount,
    RaidSweep,
    adjust_counts,
    misidentified_fraction,
    raid_sweep,
    remaining_fraction,
)
from critique.methods.misid.distributions import SEX, Beta, BetaMixture, Distribution, MisidError
from critique.methods.misid.feedback import FeedbackResult, feedback_fixed_point, simulate_feedback
from critique.methods.misid.priors import (
    CONVICTION_MEASURES,
    FPR_MEASURES,
    EvidencePrior,
    evidence_prior,
)
from critique.methods.misid.shares import adjusted_shares, reweight_by_detection
from critique.methods.misid.analysis import RaidAnalysis, RaidSettings, analyse  # noqa: E402
from critique.methods.misid.exercise import RescueExercise, victims_rescued  # noqa: E402

__all__ = [
    "SEX", "FPR_MEASURES", "CONVICTION_MEASURES", "MisidError", "Distribution", "Beta",
    "BetaMixture", "EvidencePrior", "evidence_prior", "AdjustedCount", "adjust_counts",
    "misidentified_fraction", "remaining_fraction", "RaidSweep", "raid_sweep", "BASE_ALL",
    "BASE_LABOUR_AT_FACE_VALUE", "adjusted_shares",
    "reweight_by_detection", "FeedbackResult", "feedback_fixed_point", "simulate_feedback",
    "RaidAnalysis", "RaidSettings", "analyse", "RescueExercise", "victims_rescued",
]
