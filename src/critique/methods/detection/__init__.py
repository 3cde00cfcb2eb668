"""Detection bias: what true form-of-exploitation shares are consistent with detected shares.

Model (literature.md section 8a; the standard "detection x prevalence" decomposition)
-----------------------------------------------------------------------------------
Let ``N_k`` be the true number of victims in form ``k`` (sexual exploitation, forced labour, other)
and ``d_k`` the probability that a victim in form ``k`` is detected and reported. Expected detected
counts are ``n_k = d_k N_k``, so the detected share is ``s_k = d_k N_k / sum_j d_j N_j``. True shares
can be recovered only up to the *relative* detection rates::

    pi_k  proportional to  s_k / d_k

Here one number carries the assumption: ``ratio = r = d_SE / d_other``, the detection rate of sexual
exploitation relative to every other form, with all other forms assumed to share one detection rate
(forced labour's). Then::

    pi_SE = (s_SE / r) / (s_SE / r + (1 - s_SE))

``r = 1`` means detected shares are true shares; ``r = 2`` means a victim of sexual exploitation is
twice as likely to be detected as a victim of another form. Assumptions: detection is independent of
everything but the form (no country, sex or age mix effects unless the caller reweights per country);
the detected shares are exact (sampling error is ignored: the counts are tens of thousands); ``r`` is
not known and is explored as a range, never as a point estimate. ``r`` may also be below 1 in some
places and years, and it changes over time (literature.md section 8a). A ratio "implied" by setting
detected shares beside the ILO/Walk Free/IOM estimates (:func:`implied_ratio`) is partly circular,
because those estimates of forced commercial sexual exploitation draw on detected-case data
(:data:`CIRCULARITY_CAVEAT`); it is one point in a range, not a measurement of detection.

UNODC said as much of its first report: the 79% sexual-exploitation share "may be an 'optical
illusion', because 'sexual exploitation is highly visible in cities or along highways while forced
labour is hidden'" (BBC, 12 Feb 2009, quoting the 2009 Global Report; literature.md section 1.2 [V]).

Modules (every public name importable from ``critique.methods.detection``):

- ``shares``: the reweighting model (:func:`reweight_shares`, :func:`se_share_surface`,
  :func:`break_even_ratio`) and the edition shares (:func:`edition_shares`);
- ``implied``: the ratio implied by a global estimate (:func:`implied_ratio`) and the same over every
  defensible pairing of editions, country data, estimates, denominators and the largest reporter in
  or out (:func:`pairing_table`, :func:`ratio_range`), partial data years flagged by the caller
  (``critique.datasets.glotip_rules.partial_years``) and left out of the range;
- ``bias_analysis``: probabilistic bias analysis, ``r`` drawn from a stated prior
  (:func:`ratio_prior`, :func:`bias_analysis`).
"""
from __future__ import annotations

from critique.methods.detection.bias_analysis import (
    PRIOR_KINDS,
    BiasAnalysis,
    RatioPrior,
    bias_analysis,
    ratio_prior,
)
from critique.methods.detection.implied import (
    PAIRING_COLUMNS,
    ImpliedRatio,
    RatioRange,
    country_data_split,
    implied_ratio,
    pairing_table,
    prevalence_split,
    ratio_range,
)
from critique.methods.detection.shares import (
    CIRCULARITY_CAVEAT,
    DENOMINATORS,
    FL,
    OTHER,
    SE,
    Denominator,
    DetectionError,
    break_even_ratio,
    edition_shares,
    reweight_shares,
    se_share_surface,
)

__all__ = [
    "SE", "FL", "OTHER", "Denominator", "DENOMINATORS", "CIRCULARITY_CAVEAT", "DetectionError",
    "reweight_shares", "se_share_surface", "break_even_ratio", "edition_shares", "ImpliedRatio",
    "implied_ratio", "prevalence_split", "country_data_split", "PAIRING_COLUMNS",
    "pairing_table", "RatioRange", "ratio_range", "PRIOR_KINDS", "RatioPrior", "ratio_prior",
    "BiasAnalysis", "bias_analysis",
]
