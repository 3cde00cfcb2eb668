"""Notebook 11's analysis in one call (:func:`analyse` -> :class:`DetectionAnalysis`): UNODC's
edition shares beside the global estimates, the true shares they are consistent with over a ratio
grid, the implied ratios over every defensible pairing, UNODC's printed shares beside a recount on
the same pooling ("the year or most recent"), and a probabilistic bias analysis.

Methods are those of :mod:`critique.methods.detection` (shares, implied, bias_analysis); the country that
drives a year's split (left out in the "without" pairings) comes from
:func:`critique.methods.coverage.influence.influence`; the pooling from :mod:`critique.methods.coverage.pooling`;
partial years from :func:`critique.datasets.glotip_rules.year_status`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from critique.methods import coverage
from critique.methods.coverage import influence as inf_
from critique.methods.coverage import pooling
from critique.datasets import glotip_rules
from critique.methods.detection.bias_analysis import BiasAnalysis, RatioPrior, bias_analysis, ratio_prior
from critique.methods.detection import implied
from critique.methods.detection.shares import (FL, OTHER, SE, break_even_ratio, edition_shares, reweight_shares,
                                      se_share_surface)
from critique.core.errors import ParameterError
from critique.core.i18n import _

# Reference year of each estimate (its stock is for one day in that year; global-estimates table).
REFERENCE_YEAR = {"GEMS 2017": 2016, "GEMS 2022": 2021}
EDITION_DATA_YEAR = pooling.EDITION_DATA_YEAR


@dataclass(frozen=True)
class Settings:
    """The notebook's parameters (same names and defaults)."""

    ratio_min: float = 1.0
    ratio_max: float = 10.0
    n_ratios: int = 200
    highlight_ratios: tuple[float, ...] = (1.0, 2.0, 3.0, 5.0)
    editions: tuple[int, ...] = (2009, 2012, 2016, 2018, 2020, 2024)
    estimates: tuple[str, ...] = ("GEMS 2017", "GEMS 2022")
    year_window: int = 1
    with_and_without_largest: bool = True
    prior_kind: str = "lognormal"
    prior_low: float = 1.0
    prior_high: float = 8.0
    prior_level: float = 0.9
    n_draws: int = 200000
    seed: int = 20250501
    include_unverified: bool = False
    lookback: int = pooling.LOOKBACK

    def check(self) -> None:
        """Raise ParameterError naming the parameters when a range is reversed."""
        if self.ratio_min >= self.ratio_max:
            raise ParameterError(f"parameters: ratio_min ({self.ratio_min}) must be below ratio_max ({self.ratio_max})")
        if self.prior_low >= self.prior_high:
            raise ParameterError(f"parameters: prior_low ({self.prior_low}) must be below prior_high ({self.prior_high})")


def _label(r: Mapping) -> str:
    if r["excluded"]:
        return _("{estimate} / {detected} without {excluded} / {denominator}", estimate=r['estimate'],
                 detected=r['detected'], excluded=r['excluded'], denominator=r['denominator'])
    return f"{r['estimate']} / {r['detected']} / {r['denominator']}"


@dataclass
class DetectionAnalysis:
    """Everything notebook 11 shows (see the module docstring)."""

    settings: Settings
    editions: pd.DataFrame          # edition_shares rows used
    missing: list[int]
    estimate_share: pd.Series       # SE share (%) of each estimate, se_fl denominator, by release year
    marks: list[float]
    at: pd.DataFrame
    span: pd.DataFrame
    breakeven: pd.Series
    surface: pd.DataFrame
    prevalence: dict
    pairings: pd.DataFrame
    range: implied.RatioRange
    partial: dict
    largest: dict
    skipped: list[str]
    like: pd.DataFrame              # printed vs recount on the same pooling
    prior: RatioPrior
    pba: BiasAnalysis
    releases: list[str] = field(default_factory=list)

    @property
    def shares(self) -> pd.DataFrame:
        return self.editions[[SE, FL, OTHER]]

    def pairing_table(self) -> pd.DataFrame:
        p = self.pairings.assign(label=[_label(r) for _, r in self.pairings.iterrows()])
        return p[["label", "countries", "detected_share", "prevalence_share", "ratio", "ratio_low", "ratio_high",
                  "partial", "flag"]].round(3)

    def reading(self) -> dict[str, str]:
        """The sentences printed under each section, generated from the numbers."""
        r, s, be = self.range, self.settings, self.breakeven
        ed = self.editions
        above = [int(e) for e in ed.index if be[e] < r.low]
        per_edition = " ".join(
            _("{edition}: detected {detected:.0f}%; if sexual exploitation is detected 2x as readily, true share "
              "{true:.0f}%; it is the true majority only if the ratio is below {breakeven:.2f}.", edition=e,
              detected=ed.loc[e, SE], true=100 * float(reweight_shares(self.shares.loc[e], 2.0)[SE]),
              breakeven=be[e]) for e in ed.index)
        partial = " ".join(_("{release}, data year {year}: {why}; drawn hollow and left out of the range.",
                             release=rel, year=y, why=why)
                           for rel, flagged in self.partial.items() for y, why in flagged.items())
        return {
            "editions": (_("No usable shares for edition(s) {missing}: left out.", missing=self.missing)
                         if self.missing else ""),
            "true_share": per_edition,
            "pairings": (" ".join(self.skipped) + " " + partial + " " + _(
                "Implied ratios over {n} pairings (partial years out): {low:.2f} ({where_low}) to {high:.2f} "
                "({where_high}); with partial years: {partial_low:.2f} to {partial_high:.2f}. {caveat}", n=r.n,
                low=r.low, where_low=r.where_low, high=r.high, where_high=r.where_high,
                partial_low=r.with_partial[0], partial_high=r.with_partial[1],
                caveat=_(implied.CIRCULARITY_CAVEAT))).strip(),
            "verdict": _("Taken at face value, even the smallest implied ratio ({low:.2f}) is above the break-even "
                         "ratio of {n_above} of the {n_editions} editions shown ({above}); the largest ({high:.2f}) is "
                         "above that of {n_high}. IF such a ratio also held in those editions' data years (it need "
                         "not: it moves between estimates and years, and it is partly circular), sexual exploitation "
                         "would not be the majority of the victims behind their detected shares.", low=r.low,
                         n_above=len(above), n_editions=len(ed), above=", ".join(map(str, above)) or _("none"),
                         high=r.high, n_high=int((be < r.high).sum())),
            "like": like_reading(self.like),
        }

    def findings(self) -> dict[str, object]:
        """Every key the notebook records (the keys of the notebook's findings table)."""
        ed, r, s, pba = self.editions, self.range, self.settings, self.pba
        rows = list(self.pairings.iterrows())
        ref = 2018 if 2018 in pba.summary.index else int(pba.summary.index[-1])
        out: dict[str, object] = {
            "editions_used": [int(e) for e in ed.index],
            "detected_se_share": {int(e): float(v) for e, v in ed[SE].items()},
            "other_derived": {int(e): bool(v) for e, v in ed["other_derived"].items()},
            "ratios_highlighted": self.marks,
            "true_se_share_at": {int(e): {f"{k:g}": round(100 * v, 2) for k, v in row.items()}
                                 for e, row in self.at.iterrows()},
            "true_se_share_range": {int(e): [round(100 * row[s.ratio_max], 2), round(100 * row[s.ratio_min], 2)]
                                    for e, row in self.span.iterrows()},
            "break_even_ratio": {int(e): round(float(v), 4) for e, v in self.breakeven.items()},
            "estimate_se_share": {name: {d: float(implied.implied_ratio(0.5, self.prevalence[name], denominator=d).prevalence_share)
                                         for d in implied.DENOMINATORS} for name in s.estimates},
            "partial_years": self.partial,
            "largest_reporter": {int(y): v for y, v in sorted(self.largest.items())},
            "implied_ratios": {_label(p): round(float(p["ratio"]), 4) for _, p in rows},
            "gems2022_ratios": {_label(p): round(float(p["ratio"]), 4) for _, p in rows if p["estimate"] == "GEMS 2022"},
            "implied_ratio_low": r.low, "implied_ratio_high": r.high, "implied_ratio_n": r.n,
            "implied_ratio_low_with_partial": r.with_partial[0], "implied_ratio_high_with_partial": r.with_partial[1],
            "implied_ratio_where_low": r.where_low, "implied_ratio_where_high": r.where_high,
            "like_with_like": self.like.round(2).to_dict(orient="records"), "like_reading": like_reading(self.like),
            "pba_prior": self.prior.describe(), "pba_prior_low": s.prior_low, "pba_prior_high": s.prior_high,
            "pba_prior_mass": 100 * s.prior_level if s.prior_kind == "lognormal" else 100.0, "pba_level": 90,
            "pba_ref_edition": int(ref),
            "pba_true_share": {int(e): {"median": round(100 * q["median"], 2), "low": round(100 * q["low"], 2),
                                        "high": round(100 * q["high"], 2), "p_majority": round(float(q["p_majority"]), 4)}
                               for e, q in pba.summary.iterrows()},
        }
        for k in ("detected", "median", "low", "high"):
            out[f"pba_ref_{k}"] = round(100 * float(pba.summary.loc[ref, k]), 2)
        return out


def like_table(like: pd.DataFrame) -> pd.DataFrame:
    """The like-with-like table as a page shows it: rounded to 0.1, its pooling in the reader's language."""
    return like if like.empty else like.round(1).assign(pooling=pooling.shown(like["pooling"]))


def like_reading(like: pd.DataFrame) -> str:
    """The printed shares of each edition beside the recount of its data year alone and pooled on
    each country's year "or most recent", and what the comparison can and cannot say."""
    if like.empty:
        return _("No edition's data year is in the country data read: the printed shares are compared with the "
                 "estimates only, not with a recount.")
    out = []
    for e, g in like.groupby("edition", sort=True):
        p = g.iloc[0]
        single = g.loc[g["pooling"].eq("single year") & g["excluded"].eq("")]
        pooled = g.loc[g["pooling"].str.contains("most recent") & g["excluded"].eq("")]
        text = _("Edition {edition} printed sexual exploitation {se:.0f}% and forced labour {fl:.0f}% "
                 "[{verification}] for data year {year}", edition=e, se=p['printed_se'], fl=p['printed_fl'],
                 verification=p['verification'], year=p['year'])
        if len(single):
            text += _("; a recount of {year} alone gives {se:.0f}% and {fl:.0f}%", year=p['year'],
                      se=single[SE].iloc[0], fl=single[FL].iloc[0])
        if len(pooled):
            text += _(", pooled on each country's {year}-or-most-recent year {se:.0f}% and {fl:.0f}%", year=p['year'],
                      se=pooled[SE].iloc[0], fl=pooled[FL].iloc[0])
        without = g.loc[g["excluded"].ne("") & g["pooling"].str.contains("most recent")]
        if len(without):
            text += _(" (without {name}: {se:.0f}% and {fl:.0f}%)", name=without['excluded'].iloc[0],
                      se=without[SE].iloc[0], fl=without[FL].iloc[0])
        out.append(text + ".")
    return " ".join(out) + _(" A single-year recount and a share that pools years differ in definition; which "
                             "pooling each edition used is not verified here, and every recount reads a later release "
                             "than the report did, so a gap between a recount and a printed share is not by itself an "
                             "error on either side.")


def _like(available: pd.DataFrame, frames: Mapping[str, pd.DataFrame], lookback: int) -> pd.DataFrame:
    rows = []
    for release, g in frames.items():
        forms = coverage.select_glotip(g, dimension=coverage.FORM_DIMENSION)
        for e, y in EDITION_DATA_YEAR.items():
            if e not in available.index or y not in set(forms["year"]):
                continue
            infl = inf_.influence(forms.loc[forms["year"] == y], "value_high", "unit", "category",
                                  measure="share", part=SE, versus=FL)
            who = str(infl.top["unit"]) if infl.flagged else None
            t = pooling.split_table(forms, y, lookback=lookback, without=who, parts=(SE, FL))
            rows.append(t.assign(edition=int(e), year=int(y), release=release,
                                 printed_se=float(available.loc[e, SE]), printed_fl=float(available.loc[e, FL]),
                                 verification=str(available.loc[e, "verification"])))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def analyse(editions_table: pd.DataFrame, estimates_table: pd.DataFrame, frames: Mapping[str, pd.DataFrame],
            settings: Settings = Settings()) -> DetectionAnalysis:
    """Notebook 11 on the ``glotip-editions`` and ``global-estimates`` tables and the GLOTIP
    releases ``frames`` (release id -> tidy frame). Raises ParameterError for reversed ranges or
    an estimate the table does not hold."""
    s = settings
    s.check()
    allowed = ("primary", "secondary", "unverified") if s.include_unverified else ("primary", "secondary")
    available = edition_shares(editions_table, verification=allowed)
    missing = sorted(set(s.editions) - set(available.index))
    ed = available.loc[[e for e in s.editions if e in available.index]]
    shares = ed[[SE, FL, OTHER]]
    est = estimates_table.set_index("edition")
    unknown = sorted(set(s.estimates) - set(est.index))
    if unknown:
        raise ParameterError(f"parameter estimates: {unknown} not in the global-estimates table ({sorted(est.index)})")
    rows = est.dropna(subset=["forced_commercial_sexual_exploitation", "forced_labour_private_excl_cse"])
    est_share = (100 * rows["forced_commercial_sexual_exploitation"] / (
        rows["forced_commercial_sexual_exploitation"] + rows["forced_labour_private_excl_cse"])).set_axis(rows["release_year"])
    marks = sorted(set(float(r) for r in s.highlight_ratios))
    prevalence = {n: implied.prevalence_split(est.loc[n, "forced_commercial_sexual_exploitation"],
                                              est.loc[n, "forced_labour_private_excl_cse"], est.loc[n, "forced_labour_total"])
                  for n in s.estimates}
    splits, partial, largest, skipped = pair_splits(available, frames, s)
    pairings = implied.pairing_table(splits, prevalence)
    prior = ratio_prior(s.prior_kind, s.prior_low, s.prior_high, level=s.prior_level)
    return DetectionAnalysis(
        settings=s, editions=ed, missing=missing, estimate_share=est_share, marks=marks,
        at=se_share_surface(shares, marks), span=se_share_surface(shares, [s.ratio_min, s.ratio_max]),
        breakeven=break_even_ratio(shares), surface=se_share_surface(shares, np.geomspace(s.ratio_min, s.ratio_max, s.n_ratios)),
        prevalence=prevalence, pairings=pairings, range=implied.ratio_range(pairings), partial=partial,
        largest=largest, skipped=skipped, like=_like(available, frames, s.lookback), prior=prior,
        pba=bias_analysis(shares, prior, n_draws=s.n_draws, seed=s.seed, level=0.9), releases=list(frames))


def pair_splits(available: pd.DataFrame, frames: Mapping[str, pd.DataFrame],
                s: Settings) -> tuple[list[dict], dict, dict, list[str]]:
    """The detected splits paired with each estimate: each edition whose data year is within
    ``year_window`` of the estimate's reference year (headline), and the country data of each
    release for those years, with and without the country that drives the year's split
    (:func:`critique.methods.coverage.influence.influence`). Returns the splits, the partial years found
    ({release: {year: why}}), the driving country per year ([unit, its share of sexual
    exploitation]) and a sentence per year skipped."""
    splits, partial, largest, skipped = [], {}, {}, []
    for name in s.estimates:
        ref = REFERENCE_YEAR[name]
        for e, y in EDITION_DATA_YEAR.items():
            if abs(y - ref) <= s.year_window and e in available.index:
                splits.append({"estimate": name, "reference_year": ref, "detected": _("{edition} report (headline, data {year})", edition=e, year=y),
                               "kind": "headline", "release": f"edition {e}", "data_year": y, "countries": None,
                               "excluded": "", "partial": False, "flag": "",
                               "split": available.loc[e, [SE, FL, OTHER]].astype(float).to_dict()})
    for release, g in frames.items():
        forms = coverage.select_glotip(g, dimension=coverage.FORM_DIMENSION)
        n_by_year = forms.loc[forms["value_high"].notna()].groupby("year")["unit"].nunique()
        status = glotip_rules.year_status(g)
        flagged = {int(y): _("partial year (release lag): {n} countries report a total against {previous} the year "
                             "before (critique.datasets.glotip_rules)", n=int(status.at[y, 'countries']),
                             previous=int(status.at[y, 'previous']))
                   for y in status.index[status["status"] == "partial"]}
        partial[release] = flagged
        for name in s.estimates:
            ref = REFERENCE_YEAR[name]
            for y in range(ref - s.year_window, ref + s.year_window + 1):
                fy = forms.loc[forms["year"] == y]
                if fy.empty or y not in n_by_year.index:
                    skipped.append(_("{release}: no country data by form for {year} (paired with {name}): skipped.",
                                     release=release, year=y, name=name))
                    continue
                infl = inf_.influence(fy, "value_high", "unit", "category", measure="share", part=SE, versus=FL)
                top = str(infl.top["unit"])
                largest[y] = [top, round(float(infl.top["holds_part"]), 4)]
                for excl in ([(), (top,)] if s.with_and_without_largest else [()]):
                    b = implied.country_data_split(fy, exclude_units=excl)
                    splits.append({"estimate": name, "reference_year": ref,
                                   "detected": _("country data {year}", year=y) if len(frames) == 1 else f"{release} {y}",
                                   "kind": "country data", "release": release, "data_year": y,
                                   "countries": int(n_by_year[y]) - len(excl), "excluded": ", ".join(excl),
                                   "partial": y in flagged, "flag": flagged.get(y, ""), **b})
    return splits, partial, largest, skipped
