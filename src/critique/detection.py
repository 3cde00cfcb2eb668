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
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

SE = "Sexual exploitation"
FL = "Forced labour"
OTHER = "Other forms of exploitation"

Denominator = Literal["se_fl", "all"]
DENOMINATORS: tuple[str, ...] = ("se_fl", "all")

CIRCULARITY_CAVEAT = (
    "Circular in part: the ILO/Walk Free/IOM estimate of forced commercial sexual exploitation is "
    "itself built partly on detected-case data (IOM victim case data are a stated input of the 2017 "
    "edition and the CTDC/IOM case dataset of the 2022 edition; how exactly they enter is unverified), "
    "so an implied ratio compares detection-based "
    "data with an estimate that also leans on detection. Walby & Francis (2025) show the estimate's "
    "sexual-exploitation share moves from 27% to 56% when UNODC data replace CTDC. Read it as one "
    "point in a range, not a measured detection rate."
)


class DetectionError(ValueError):
    """Bad input to a detection model: the message names the parameter and value."""


def _as_share_frame(shares: Mapping[str, float] | pd.Series | pd.DataFrame, se: str) -> pd.DataFrame:
    """Shares as a float frame (rows = splits, columns = forms), each row normalised to sum 1."""
    if isinstance(shares, pd.DataFrame):
        frame = shares.astype(float)
    elif isinstance(shares, (pd.Series, Mapping)):
        frame = pd.DataFrame([pd.Series(shares, dtype=float)])
    else:
        raise DetectionError(f"shares: expected a mapping, Series or DataFrame of form -> share, "
                             f"got {type(shares).__name__}")
    if se not in frame.columns:
        raise DetectionError(f"shares: no column {se!r} (the sexual-exploitation form); columns are "
                             f"{list(frame.columns)}; pass se= to name it")
    if frame.shape[1] < 2:
        raise DetectionError("shares: need at least two forms (sexual exploitation and the rest)")
    values = frame.to_numpy()
    if np.isnan(values).any():
        bad = frame.index[np.isnan(values).any(axis=1)].tolist()
        raise DetectionError(f"shares: missing values in rows {bad}; fill the residual form "
                             "explicitly (for example other = 100 - SE - FL) rather than leave it out")
    if (values < 0).any():
        raise DetectionError(f"shares: negative share in rows "
                             f"{frame.index[(values < 0).any(axis=1)].tolist()}")
    totals = values.sum(axis=1)
    if (totals <= 0).any():
        raise DetectionError(f"shares: rows {frame.index[totals <= 0].tolist()} sum to zero")
    return frame.div(totals, axis=0)


def _as_ratios(ratio: float | Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(ratio, dtype=float).ravel()
    if arr.size == 0:
        raise DetectionError("ratio: no values given")
    if not np.all(np.isfinite(arr)) or (arr <= 0).any():
        raise DetectionError(f"ratio: every relative detection rate must be a positive finite "
                             f"number, got {arr[~(np.isfinite(arr) & (arr > 0))].tolist()}")
    return arr


def reweight_shares(
    shares: Mapping[str, float] | pd.Series | pd.DataFrame,
    ratio: float | Sequence[float] | np.ndarray,
    *,
    se: str = SE,
) -> pd.Series | pd.DataFrame:
    """True shares implied by detected ``shares`` if sexual exploitation is detected ``ratio`` times
    as readily as every other form (model in the module docstring: ``pi_k`` proportional to
    ``s_k / d_k`` with ``d_SE / d_other = ratio``).

    Parameters
    ----------
    shares: detected shares by form, as a mapping/Series (one split) or a DataFrame whose rows are
        splits (report editions, countries) and whose columns are forms. Percentages or fractions;
        each row is normalised to sum 1, so a residual form left out changes the answer: give it.
    ratio: a scalar, a vector or any grid (array) of relative detection rates, each > 0.
    se: the column naming sexual exploitation.

    Returns
    -------
    One split and a scalar ratio: a Series of true shares by form (fractions summing to 1).
    Otherwise a DataFrame with one row per (split, ratio), index ``ratio`` (one split) or
    ``(split, ratio)`` (a frame of splits), columns the forms. A grid is flattened in C order.
    """
    frame = _as_share_frame(shares, se)
    ratios = _as_ratios(ratio)
    s = frame.to_numpy()  # (splits, forms)
    j = list(frame.columns).index(se)
    # weight of each form = detected share / its relative detection rate (others have rate 1)
    rates = np.ones((ratios.size, 1, s.shape[1]))
    rates[:, 0, j] = ratios
    w = s[None, :, :] / rates  # (ratios, splits, forms)
    true = w / w.sum(axis=2, keepdims=True)
    one_split = not isinstance(shares, pd.DataFrame)
    if one_split and np.ndim(ratio) == 0:
        return pd.Series(true[0, 0], index=frame.columns, name=float(ratios[0]))
    if one_split:
        out = pd.DataFrame(true[:, 0, :], columns=frame.columns,
                           index=pd.Index(ratios, name="ratio"))
        return out
    # (split, ratio) order: all ratios of the first split, then the next
    stacked = true.transpose(1, 0, 2).reshape(-1, s.shape[1])
    index = pd.MultiIndex.from_product([frame.index, ratios],
                                       names=[frame.index.name or "split", "ratio"])
    return pd.DataFrame(stacked, index=index, columns=frame.columns)


def se_share_surface(
    shares: pd.DataFrame, ratios: Sequence[float] | np.ndarray, *, se: str = SE
) -> pd.DataFrame:
    """True sexual-exploitation share for every split (rows) and ratio (columns): the sensitivity
    table / surface over edition (or country) and ratio. Values are fractions."""
    long = reweight_shares(shares, ratios, se=se)
    assert isinstance(long, pd.DataFrame)
    surface = long[se].unstack("ratio")
    return surface.reindex(shares.index)


def break_even_ratio(
    shares: Mapping[str, float] | pd.Series | pd.DataFrame,
    *,
    threshold: float = 0.5,
    se: str = SE,
) -> float | pd.Series:
    """The relative detection rate at which the true sexual-exploitation share equals ``threshold``.

    From ``pi = (s/r) / (s/r + 1 - s)`` solved for ``r``: ``r* = (s / (1 - s)) * ((1 - t) / t)``.
    For ``t = 0.5`` this is the detected odds ``s / (1 - s)``. Sexual exploitation is the true
    majority only if ``r < r*``; any ratio above ``r*`` puts it below half. ``pi`` falls as ``r``
    rises, so the answer is unique.
    """
    if not 0 < threshold < 1:
        raise DetectionError(f"threshold: must lie strictly between 0 and 1, got {threshold}")
    frame = _as_share_frame(shares, se)
    s = frame[se]
    if ((s <= 0) | (s >= 1)).any():
        raise DetectionError(f"shares: the sexual-exploitation share must lie strictly between 0 "
                             f"and 1 for a break-even ratio, got {s.tolist()}")
    r = (s / (1 - s)) * ((1 - threshold) / threshold)
    if not isinstance(shares, pd.DataFrame):
        return float(r.iloc[0])
    return r.rename("break_even_ratio")


@dataclass(frozen=True)
class ImpliedRatio:
    """The relative detection rate implied by comparing detected with prevalence shares."""

    ratio: float
    detected_share: float  # d: SE share of detected victims on the chosen denominator
    prevalence_share: float  # p: SE share of the prevalence estimate on the same denominator
    denominator: str
    model: str = "r = (d / (1 - d)) / (p / (1 - p)); two groups: SE vs the rest of the denominator"
    caveats: list[str] = field(default_factory=lambda: [CIRCULARITY_CAVEAT])


def _se_share(split: float | Mapping[str, float], denominator: Denominator, se: str, fl: str,
              what: str) -> float:
    if isinstance(split, Mapping):
        if se not in split or fl not in split:
            raise DetectionError(f"{what}: needs {se!r} and {fl!r}, got keys {list(split)}")
        vals = {k: float(v) for k, v in split.items()}
        if any(np.isnan(v) or v < 0 for v in vals.values()):
            raise DetectionError(f"{what}: counts/shares must be non-negative numbers, got {vals}")
        if denominator == "se_fl":
            total = vals[se] + vals[fl]
        elif denominator == "all":
            total = sum(vals.values())
        else:
            raise DetectionError(f"denominator: expected one of {DENOMINATORS}, got {denominator!r}")
        share = vals[se] / total if total > 0 else float("nan")
    else:
        share = float(split)
    if not 0 < share < 1:
        raise DetectionError(f"{what}: the sexual-exploitation share must lie strictly between 0 and "
                             f"1, got {share}")
    return share


def implied_ratio(
    detected: float | Mapping[str, float],
    prevalence: float | Mapping[str, float],
    *,
    denominator: Denominator = "se_fl",
    se: str = SE,
    fl: str = FL,
) -> ImpliedRatio:
    """Relative detection rate of sexual exploitation implied by detected vs prevalence shares.

    Model: two groups, sexual exploitation (SE) and the rest of the denominator, each with one
    detection rate. If ``d`` is SE's share of detected victims and ``p`` its share of true victims
    (both on the same denominator), then ``d / (1 - d) = r * p / (1 - p)``, so::

        r = (d / (1 - d)) / (p / (1 - p))          (an odds ratio)

    ``denominator`` says what "the rest" is, and must be the same for both inputs:

    - ``"se_fl"``: SE against forced labour only (SE + FL renormalised to 1). For the prevalence
      side, FL is ILO/Walk Free/IOM *forced labour exploitation in the private economy* (which
      excludes commercial sex). Other forms are dropped from both sides.
    - ``"all"``: SE against everything else given: UNODC's "other forms" on the detected side; on
      the prevalence side whatever the mapping holds (for example private forced labour plus
      state-imposed forced labour, so the denominator is total forced labour).

    ``detected`` and ``prevalence`` are either mappings of form -> count or share (the denominator
    is then applied here), or a float that is already SE's share on that denominator.

    Assumptions: the prevalence split is true (it is an estimate with its own error, and not
    independent of detection: see ``CIRCULARITY_CAVEAT``); the two sources cover the same
    population and period (they do not exactly: UNODC detections are for the reporting countries
    and a data year, ILO/Walk Free/IOM is a global stock on a reference day); one rate for all
    non-SE forms.
    """
    d = _se_share(detected, denominator, se, fl, "detected")
    p = _se_share(prevalence, denominator, se, fl, "prevalence")
    r = (d / (1 - d)) / (p / (1 - p))
    return ImpliedRatio(ratio=float(r), detected_share=d, prevalence_share=p,
                        denominator=denominator)


def prevalence_split(
    forced_commercial_sexual_exploitation: float,
    forced_labour_private_economy: float,
    forced_labour_total: float | None = None,
) -> dict[str, float]:
    """A prevalence mapping for :func:`implied_ratio` from the global-estimates table's columns.

    ``other`` (state-imposed forced labour) is derived as total forced labour minus the two parts:
    4.1 million for 2016 (24.9 - 4.8 - 16.0, derived [D]); the ILO fact page gives 4.0 [V], and a
    "4.1 million" figure seen elsewhere is unverified (literature.md section 2). Without a total,
    there is no ``other``.
    """
    out = {SE: float(forced_commercial_sexual_exploitation), FL: float(forced_labour_private_economy)}
    if forced_labour_total is not None and not pd.isna(forced_labour_total):
        rest = float(forced_labour_total) - out[SE] - out[FL]
        if rest < -1e-9:
            raise DetectionError(f"forced_labour_total {forced_labour_total} is smaller than its "
                                 f"parts {out[SE]} + {out[FL]}")
        out[OTHER] = max(rest, 0.0)
    return out


def edition_shares(
    table: pd.DataFrame,
    *,
    verification: Sequence[str] = ("primary", "secondary"),
    editions: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Detected shares by edition from the ``glotip-editions`` published table, ready to reweight.

    Keeps rows whose ``verification`` is allowed and that give both the sexual-exploitation and the
    forced-labour share. Where the table leaves "other" missing (the source did not state it),
    other = 100 - SE - FL is derived here and flagged in ``other_derived`` (literature.md tags these
    [D]); this residual holds every other form (forced criminality, begging, organ removal, ...).
    Returns index ``edition`` and columns SE, FL, OTHER (percent), ``other_derived`` (bool),
    ``verification`` and ``shares_reference``.
    """
    need = ["edition", "share_sexual_exploitation_pct", "share_forced_labour_pct",
            "share_other_pct", "verification"]
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise DetectionError(f"edition_shares: glotip-editions table lacks column(s) {missing}")
    rows = table.loc[table["verification"].isin(list(verification))
                     & table["share_sexual_exploitation_pct"].notna()
                     & table["share_forced_labour_pct"].notna()]
    if editions is not None:
        unknown = sorted(set(editions) - set(rows["edition"].astype(int)))
        if unknown:
            raise DetectionError(f"edition_shares: no {'/'.join(verification)} shares for edition(s) "
                                 f"{unknown}; available: {sorted(rows['edition'].astype(int))}")
        rows = rows.loc[rows["edition"].isin(list(editions))]
    if rows["edition"].duplicated().any():
        raise DetectionError(f"edition_shares: more than one row for edition(s) "
                             f"{rows.loc[rows['edition'].duplicated(), 'edition'].tolist()}; "
                             "narrow verification=")
    se = rows["share_sexual_exploitation_pct"].astype(float)
    fl = rows["share_forced_labour_pct"].astype(float)
    given = rows["share_other_pct"].astype(float)
    other = given.where(given.notna(), 100.0 - se - fl)
    if (other < 0).any():
        raise DetectionError(f"edition_shares: SE + FL exceed 100 for edition(s) "
                             f"{rows.loc[other < 0, 'edition'].tolist()}")
    out = pd.DataFrame({SE: se.to_numpy(), FL: fl.to_numpy(), OTHER: other.to_numpy(),
                        "other_derived": given.isna().to_numpy(),
                        "verification": rows["verification"].astype(str).to_numpy(),
                        "shares_reference": rows.get("shares_reference",
                                                     pd.Series(pd.NA, index=rows.index))
                        .astype("string").to_numpy()},
                       index=pd.Index(rows["edition"].astype(int).to_numpy(), name="edition"))
    return out.sort_index()
