"""Shares by form after misidentification: the sexual-exploitation share once misidentified people
are taken out, composable with detection-bias reweighting (literature.md section 8c [D])."""
from __future__ import annotations

from typing import Mapping

import pandas as pd

from critique.methods.misid.distributions import SEX, MisidError, _as_shares, _check_rate

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
    ``critique.methods.detection.reweight_shares`` with the same model; forms not named get rate 1)."""
    s = _as_shares(shares)
    r = pd.Series({k: float(relative_detection.get(k, 1.0)) for k in s.index})
    if (r <= 0).any():
        raise MisidError(f"reweight_by_detection: relative detection rates must be positive, got {dict(r)}")
    w = s / r
    return w / w.sum()


# ----------------------------------------------------------------------------------------------
