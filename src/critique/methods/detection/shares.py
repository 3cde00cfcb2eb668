"""Detected shares and what true shares they are consistent with: the reweighting model, the
sensitivity surface over the relative detection rate, the break-even ratio, and the edition shares
read from the ``glotip-editions`` table (model in ``critique.methods.detection``'s docstring)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd


from critique.core.errors import ParameterError
from critique.core.i18n import N_

SE = "Sexual exploitation"
FL = "Forced labour"
OTHER = "Other forms of exploitation"

Denominator = Literal["se_fl", "all"]
DENOMINATORS: tuple[str, ...] = ("se_fl", "all")

CIRCULARITY_CAVEAT = N_(
    "Circular in part: the ILO/Walk Free/IOM estimate of forced commercial sexual exploitation is "
    "itself built partly on detected-case data (IOM victim case data are a stated input of the 2017 "
    "edition and the CTDC/IOM case dataset of the 2022 edition; how exactly they enter is unverified), "
    "so an implied ratio compares detection-based "
    "data with an estimate that also leans on detection. Walby & Francis (2025) state that the "
    "estimate's sexual-exploitation share moves from 27% to 56% when UNODC data replace CTDC (read in "
    "their abstract and a news release, not the paper). Read it as one "
    "point in a range, not a measured detection rate."
)



class DetectionError(ParameterError):
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
