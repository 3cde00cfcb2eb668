"""One series, everything the notebook reports for it: the fit or its refusal, placebos, MDE."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import pandas as pd

from critique.methods.policy.placebo import PlaceboResult, placebo_across_units, placebo_in_time
from critique.methods.policy.refusals import PolicyError
from critique.methods.policy.segmented import ITSResult, segmented_regression


@dataclass(frozen=True)
class SeriesAnalysis:
    """Everything the notebook reports for one series: the fit or the refusal, placebos, MDE."""

    series: str
    first_post_year: int
    data: pd.DataFrame  # year, count (and exposure)
    result: ITSResult | None
    refusal: str | None
    placebo_time: PlaceboResult | None
    placebo_units: PlaceboResult | None
    power: float

    @property
    def fitted(self) -> bool:
        return self.result is not None

    def summary(self) -> dict[str, Any]:
        """Flat numbers for ``findings.record``: status, estimate, interval, placebo ranks, MDE."""
        if self.result is None:
            return {"status": "refused", "first_post_year": self.first_post_year,
                    "reason": self.refusal, "years": [int(y) for y in self.data["year"]]}
        out = {"status": "fitted"} | self.result.summary(self.power)
        for name, pl in (("placebo_time", self.placebo_time), ("placebo_units", self.placebo_units)):
            if pl is not None:
                out[f"{name}_rank"] = pl.rank
                out[f"{name}_n"] = pl.n_placebos
                out[f"{name}_p"] = pl.p_value
        return out


def analyse_series(data: pd.DataFrame, first_post: int, *, series: str,
                   controls: Mapping[str, pd.DataFrame] | None = None, placebo_pre_only: bool = False,
                   placebo_exclude_within: int = 0, power: float = 0.8, **fit: Any) -> SeriesAnalysis:
    """Fit, placebo in time, placebo across ``controls`` (optional) and MDE for one series, or the
    refusal message when it is too short. ``data`` has ``year``, ``count`` and optionally
    ``exposure``; ``fit`` goes to :func:`critique.methods.policy.segmented.segmented_regression`."""
    exposure = data["exposure"].to_numpy() if "exposure" in data else None
    try:
        res = segmented_regression(data["year"], data["count"], first_post, series=series,
                                   exposure=exposure, **fit)
    except PolicyError as err:
        return SeriesAnalysis(series, first_post, data, None, str(err), None, None, power)
    pt = placebo_in_time(data["year"], data["count"], first_post, series=series, exposure=exposure,
                         pre_only=placebo_pre_only, exclude_within=placebo_exclude_within, **fit)
    pu = None
    if controls:
        unit_fit = {k: v for k, v in fit.items() if k not in ("model", "alpha", "indicators")}
        pu = placebo_across_units(res, controls, **unit_fit)
    return SeriesAnalysis(series, first_post, data, res, None, pt, pu, power)
