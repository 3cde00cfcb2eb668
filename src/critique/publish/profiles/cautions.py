"""The profile's "what not to conclude" box, generated from the country's series by tested rules."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from critique.core.i18n import _
from critique.publish.profiles.series import OTHER_SPLIT_YEAR, SHORT_SERIES_YEARS


# --------------------------------------------------------------------------------------------
# The "what not to conclude" box
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caution:
    """One thing the data do not support, with the figures that trigger it."""

    key: str
    text: str


def _runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of years: [2003, 2004, 2007] -> [(2003, 2004), (2007, 2007)]."""
    runs: list[tuple[int, int]] = []
    for y in sorted(set(int(v) for v in years)):
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def what_not_to_conclude(series: pd.DataFrame, *, tier_statuses: Sequence[str] = (),
                         tier_changes: int = 0, policies: pd.DataFrame | None = None,
                         gsi_estimate: float | None = None,
                         short_years: int = SHORT_SERIES_YEARS) -> list[Caution]:
    """The cautions a reader of this country's profile needs, generated from its data.

    Rules (each fires only when its condition holds in the data):

    - ``no-data``: no detected-victim cell at all;
    - ``short-series``: fewer than ``short_years`` years with a national total: no trend;
    - ``gaps``: years missing inside the reported span (a missing year is not zero, and a change
      across a gap mixes reporting with trafficking);
    - ``suppressed``: "<5" cells (a value of 0 to 4, shown as bounds; a share built on them is a
      range);
    - ``forms-partial``: years with a total but no split by form, or forms that do not add up to the
      total (shares of the reported forms are not shares of all detected victims);
    - ``other-split``: "Other forms" recorded as several sub-forms from 2017 (a recording change);
    - ``detection``: always, when there are data: counts are victims detected, which rise with
      policing and coverage (UNODC GLOTIP 2018: a rise "can reflect ... enhanced efforts by
      authorities to identify victims and/or a larger trafficking problem");
    - ``tier``: a tier change grades government effort as judged by the US State Department, not
      the extent of trafficking (Kelley 2017); ``tier-gaps`` when report years are unknown;
    - ``policy``: a policy change in the table: a before/after difference in detected counts is not
      its effect; an ``unverified`` row's date is not established;
    - ``gsi``: a Global Slavery Index figure is a model extrapolation, so detected/estimate is not
      a detection rate.
    """
    out: list[Caution] = []
    tot = series.loc[series["form"] == "Total"]
    forms = series.loc[series["form"] != "Total"]
    all_years = sorted(set(series["year"].astype(int)))
    if not all_years:
        out.append(Caution("no-data", _("UNODC has no detected-victim figure for this country: absence "
                                         "of data says nothing about the absence of trafficking.")))
    else:
        total_years = sorted(set(tot["year"].astype(int)))
        if len(total_years) < short_years:
            shown = ", ".join(str(y) for y in total_years) or _("none")
            out.append(Caution("short-series", _("Short series: a national total in only "
                                                 "{n} year(s) ({years}); no trend can be read from it.",
                                                 n=len(total_years), years=shown)))
        runs = _runs(all_years)
        if len(runs) > 1:
            gaps = [_span(a[1] + 1, b[0] - 1) for a, b in zip(runs, runs[1:])]
            out.append(Caution("gaps", _("Breaks in reporting: nothing reported in {years}. "
                                         "A missing year is not zero, and a change across a gap mixes a change "
                                         "in reporting with any change in trafficking.", years=", ".join(gaps))))
        n_sup = int(series["suppressed"].sum())
        if n_sup:
            out.append(Caution("suppressed", _("{n} of {total} cells are suppressed (\"<5\": "
                                               "a value from 0 to 4). They are shown as bounds; any share or change "
                                               "built on them is a range, not a number.", n=n_sup, total=len(series))))
        no_forms = [y for y in total_years if y not in set(forms["year"].astype(int))]
        both = tot.set_index("year")[["value"]].join(
            forms.groupby("year")[["low", "high"]].sum(), how="inner")
        mismatch = both.loc[both["value"].notna() & ((both["high"] < both["value"])
                                                     | (both["low"] > both["value"]))].index.tolist()
        if no_forms or mismatch:
            parts = []
            if no_forms:
                parts.append(_("no split by form in {years}", years=", ".join(_span(a, b) for a, b in _runs(no_forms))))
            if mismatch:
                parts.append(_("forms do not add up to the total in {years}",
                               years=", ".join(_span(a, b) for a, b in _runs(mismatch))))
            out.append(Caution("forms-partial", _("Forms of exploitation are partial: {parts}. A share of the "
                                                  "reported forms is not a share of all detected victims.",
                                                  parts="; ".join(parts))))
        if (forms.loc[forms["form"] == "Other forms of exploitation", "parts"] > 1).any():
            out.append(Caution("other-split", _("From {year} 'Other forms' are recorded as several sub-forms "
                                                "(added up here): a change in recording, not in exploitation.",
                                                year=OTHER_SPLIT_YEAR)))
        out.append(Caution("detection", _("These are victims detected and reported by national "
                                          "authorities: a rise can mean more policing, more training or wider "
                                          "coverage, and the mix of forms may follow where detection happens "
                                          "(UNODC's 2009 report called the predominance of sexual exploitation "
                                          "a possible 'optical illusion': a hypothesis, not a measurement).")))
    if tier_changes:
        out.append(Caution("tier", _("The TIP tier changed {n} time(s). A tier grades government "
                                     "effort as judged by the US State Department (Kelley 2017; a Reuters "
                                     "investigation, 3 Aug 2015, reported diplomatic pressure on ratings, which the "
                                     "Department denied), not the extent of trafficking.", n=tier_changes)))
    unknown = sum(1 for s in tier_statuses if str(s).startswith("unknown"))
    if unknown:
        out.append(Caution("tier-gaps", _("The tier is unknown in {n} report year(s) (partial "
                                          "transcription): an unlisted year is not Tier 2.", n=unknown)))
    if policies is not None and len(policies):
        unverified = policies.loc[policies["verification"] == "unverified", "policy_id"].astype(str).tolist()
        text = _("A policy change is in the policy table: a before/after difference in detected counts is "
                 "not its effect (detection changes with the policy itself; see notebook 50).")
        if unverified:
            text += " " + _("Unverified (date not established): {ids}.", ids=", ".join(unverified))
        out.append(Caution("policy", text))
    if gsi_estimate is not None and not pd.isna(gsi_estimate):
        out.append(Caution("gsi", _("The Global Slavery Index figure is a model-based extrapolation from "
                                    "surveys in other countries and includes forced marriage: detected victims "
                                    "divided by it is not a detection rate.")))
    return out
