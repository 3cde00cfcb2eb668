"""Implied relative detection rates: the ratio that turns a detected split into a prevalence split
(GEMS), for one pairing (:func:`implied_ratio`) and over every defensible pairing of UNODC detected
data with a global estimate (:func:`pairing_table`, :func:`ratio_range`)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.methods.detection.shares import (
    CIRCULARITY_CAVEAT,
    DENOMINATORS,
    FL,
    OTHER,
    SE,
    Denominator,
    DetectionError,
)


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


# ----------------------------------------------------------------------------------------------
# every defensible pairing, shown as a range


def country_data_split(
    forms: pd.DataFrame,
    *,
    exclude_units: Sequence[str] = (),
    se: str = SE,
    fl: str = FL,
    other: str = OTHER,
) -> dict[str, dict[str, float]]:
    """Detected counts by form summed over countries, as the two bounds of the SE share.

    ``forms``: rows of one data year of the ``glotip`` frame selected with
    ``coverage.select_glotip(..., dimension=coverage.FORM_DIMENSION)`` (columns ``unit``,
    ``category``, ``value_low``, ``value_high``; an ``exclude_reason`` column, where present, drops
    every row whose reason is not missing). Suppressed cells (``<5``) enter as bounds: the ``low``
    split has SE at its low bound and the other forms at their high, ``high`` the reverse, so the
    SE share (and every implied ratio) lies between the two.

    Returns ``{"low": {form: count}, "high": {form: count}}`` over the units not in
    ``exclude_units``. Raises :class:`DetectionError` if no unit reports SE and FL.
    """
    need = {"unit", "category", "value_low", "value_high"}
    missing = sorted(need - set(forms.columns))
    if missing:
        raise DetectionError(f"country_data_split: forms lacks column(s) {missing}")
    rows = forms
    if "exclude_reason" in rows.columns:
        rows = rows.loc[rows["exclude_reason"].isna()]
    rows = rows.loc[~rows["unit"].isin(list(exclude_units))]
    lo = rows.groupby("category")["value_low"].sum(min_count=1)
    hi = rows.groupby("category")["value_high"].sum(min_count=1)
    for form in (se, fl):
        if form not in hi.index or pd.isna(hi[form]):
            raise DetectionError(f"country_data_split: no {form!r} counts in these rows "
                                 f"(excluded units: {list(exclude_units)})")
    get = lambda s, k: float(s.get(k, 0.0)) if not pd.isna(s.get(k, np.nan)) else 0.0  # noqa: E731
    return {"low": {se: get(lo, se), fl: get(hi, fl), other: get(hi, other)},
            "high": {se: get(hi, se), fl: get(lo, fl), other: get(lo, other)}}


#: Columns of :func:`pairing_table`.
PAIRING_COLUMNS = ["estimate", "reference_year", "detected", "kind", "release", "data_year",
                   "countries", "excluded", "denominator", "detected_share", "prevalence_share",
                   "ratio", "ratio_low", "ratio_high", "partial", "flag"]


def pairing_table(
    detected: Sequence[Mapping[str, object]],
    prevalence: Mapping[str, Mapping[str, float]],
    *,
    denominators: Sequence[str] = DENOMINATORS,
) -> pd.DataFrame:
    """Implied ratios for every pairing of a detected split with a global estimate, by denominator.

    ``detected``: one mapping per detected split with keys ``estimate`` (which estimate it is paired
    with: a key of ``prevalence``), ``detected`` (a label), ``kind`` ("headline" or "country data"),
    ``release``, ``data_year``, ``countries`` (int or None), ``excluded`` (e.g. "USA" or ""),
    ``partial`` (bool), ``flag`` (text), and either ``split`` (form -> share or count) or
    ``low``/``high`` (the two bound splits of :func:`country_data_split`).
    ``prevalence``: estimate label -> prevalence mapping (:func:`prevalence_split`), with
    ``reference_year`` passed per detected split as ``reference_year``.

    Returns one row per (split, denominator) with :data:`PAIRING_COLUMNS`: ``ratio`` is the implied
    ratio at the midpoint split (bounds summed, halved), ``ratio_low``/``ratio_high`` at the two
    bound splits (equal to ``ratio`` for a headline split).
    """
    rows = []
    for d in detected:
        est = str(d["estimate"])
        if est not in prevalence:
            raise DetectionError(f"pairing_table: detected split {d.get('detected')!r} names estimate "
                                 f"{est!r}; known: {list(prevalence)}")
        if "split" in d:
            mid = lo = hi = d["split"]
        else:
            lo, hi = d["low"], d["high"]
            mid = {k: (float(lo[k]) + float(hi[k])) / 2 for k in lo}
        for denom in denominators:
            r = implied_ratio(mid, prevalence[est], denominator=denom)  # type: ignore[arg-type]
            r_lo = implied_ratio(lo, prevalence[est], denominator=denom).ratio  # type: ignore[arg-type]
            r_hi = implied_ratio(hi, prevalence[est], denominator=denom).ratio  # type: ignore[arg-type]
            rows.append({"estimate": est, "reference_year": d.get("reference_year"),
                         "detected": d["detected"], "kind": d.get("kind", ""),
                         "release": d.get("release", ""), "data_year": d.get("data_year"),
                         "countries": d.get("countries"), "excluded": d.get("excluded", ""),
                         "denominator": denom, "detected_share": r.detected_share,
                         "prevalence_share": r.prevalence_share, "ratio": r.ratio,
                         "ratio_low": min(r_lo, r_hi), "ratio_high": max(r_lo, r_hi),
                         "partial": bool(d.get("partial", False)), "flag": d.get("flag", "")})
    if not rows:
        raise DetectionError("pairing_table: no detected splits given")
    return pd.DataFrame(rows, columns=PAIRING_COLUMNS)


@dataclass(frozen=True)
class RatioRange:
    """The implied relative detection rate as a range over pairings (:func:`ratio_range`).

    ``low``/``high``: smallest and largest ``ratio`` over the pairings kept; ``low_bound``/
    ``high_bound``: the same over the suppressed-cell bounds; ``n``: pairings kept;
    ``with_partial``: (low, high) when partial data years are included too; ``where_low``/
    ``where_high``: the labels of the pairings at the two ends.
    """

    low: float
    high: float
    low_bound: float
    high_bound: float
    n: int
    with_partial: tuple[float, float]
    where_low: str
    where_high: str
    caveats: list[str] = field(default_factory=lambda: [CIRCULARITY_CAVEAT])


def ratio_range(table: pd.DataFrame, *, include_partial: bool = False) -> RatioRange:
    """Range of implied ratios over the rows of :func:`pairing_table` (partial data years left out
    unless ``include_partial``; their range is reported beside it either way)."""
    if table.empty:
        raise DetectionError("ratio_range: empty pairing table")
    kept = table if include_partial else table.loc[~table["partial"]]
    if kept.empty:
        raise DetectionError("ratio_range: every pairing is a partial data year; pass include_partial=True")
    label = lambda r: f"{r['estimate']} / {r['detected']} / {r['denominator']}"  # noqa: E731
    return RatioRange(low=float(kept["ratio"].min()), high=float(kept["ratio"].max()),
                      low_bound=float(kept["ratio_low"].min()), high_bound=float(kept["ratio_high"].max()),
                      n=int(len(kept)),
                      with_partial=(float(table["ratio"].min()), float(table["ratio"].max())),
                      where_low=label(kept.loc[kept["ratio"].idxmin()]),
                      where_high=label(kept.loc[kept["ratio"].idxmax()]))
