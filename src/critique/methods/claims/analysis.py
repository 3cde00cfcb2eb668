"""The whole claims register in one call: :func:`analyse` runs every check and returns a
:class:`ClaimsAnalysis` (the checks, the reader table, the counts by verdict, the findings).

Notebook ``60-claims`` calls :func:`analyse` once and shows each check's reason and chart; every
number, verdict and sentence comes from here (the checks of :mod:`critique.methods.claims.detected`,
``reports``, ``cited`` and ``shares``, read by :mod:`critique.methods.claims.rules`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from critique.methods.claims import CHECK_IDS, UNTESTABLE, counts_sentence, finalise, summary_table
from critique.methods.claims.rules import sources_sentence
from critique.methods import coverage
from critique.methods.claims import cited, detected, reports, shares
from critique.methods.claims.rules import VERDICTS
from critique.methods.claims.verdict import ClaimCheck, pct_range
from critique.core.i18n import _

#: sporting events whose host countries' detections are compared (``claim-evidence`` ids)
HOST_EVENTS = ("event-grc-2004", "event-deu-2006", "event-zaf-2010", "event-can-2010")
#: findings key of each verdict count (the first four are the notebook's older interface)
COUNT_KEYS = {"the data contradict it": "n_contradict", "not supported by the data cited": "n_not_supported",
              "the data cannot test it": "n_cannot_test", "consistent with the data": "n_consistent",
              "the data show a smaller change than claimed": "n_smaller",
              "the data show a larger change than claimed": "n_larger",
              "tested on part of the claim's scope": "n_partial"}


@dataclass(frozen=True)
class ClaimSettings:
    """The notebook's parameters for the checks (see notebook 60's parameter cell)."""

    panel_start: int = 2017
    panel_end: int = 0  # 0: the release's last complete year (critique.methods.coverage.panel_end)
    covid_before: int = 2019
    covid_after: int = 2020
    rise_after: int = 2022
    tolerance_pp: float = 5.0
    share_edition: int = 2009
    share_year: int = 2006
    host_window: int = 2
    ncmec_baseline_years: int = 10
    ucr_year: int = 2016
    host_events: tuple[str, ...] = HOST_EVENTS


def release_phrase(glotip: pd.DataFrame) -> str:
    """``"UNODC GLOTIP release 2025-04-14, data to 2022"`` from the frame's ``attrs["release"]``."""
    rid = str(glotip.attrs.get("release", "glotip"))
    return _("UNODC GLOTIP release {release}, data to {year}", release=rid.split("@")[-1], year=int(glotip["year"].max()))


@dataclass
class ClaimsAnalysis:
    """Every check of the register, matched to its claim, with the reader table and findings."""

    checks: list[ClaimCheck]
    register: pd.DataFrame
    release: str
    settings: ClaimSettings
    panel_end: int = 0  # the fixed panel's last year as used (the release's last complete year by default)
    by_test: dict[str, ClaimCheck] = field(init=False)

    def __post_init__(self) -> None:
        self.by_test = {c.test_id: c for c in self.checks if c.test_id != UNTESTABLE}

    def __getitem__(self, test_id: str) -> ClaimCheck:
        return self.by_test[test_id]

    @property
    def summary(self) -> pd.DataFrame:
        """One row per check (:func:`critique.methods.claims.summary_table`)."""
        return summary_table(self.checks, self.register)

    @property
    def counts(self) -> dict[str, int]:
        """Checks by verdict word, every word of the vocabulary present (zeros included)."""
        out = {w: 0 for w in VERDICTS}
        for c in self.checks:
            out[c.verdict] += 1
        return out

    def sentence(self) -> str:
        """The counts as one sentence (:func:`critique.methods.claims.rules.counts_sentence`)."""
        return counts_sentence(self.counts, n_checks=len(self.checks),
                               n_claims=int(self.register["claim_id"].nunique()))

    def findings(self) -> dict[str, Any]:
        """Every findings key of notebook 60 (its first markdown cell lists them) with its value."""
        out: dict[str, Any] = {"n_claims": int(self.register["claim_id"].nunique()), "n_checks": len(self.checks),
                               "n_capped": sum(c.capped for c in self.checks), "verdict_counts": self.counts,
                               "verdict_counts_sentence": self.sentence(), "glotip_release": self.release}
        out |= {COUNT_KEYS[w]: n for w, n in self.counts.items()}
        for c in self.checks:
            tid = c.test_id if c.test_id != UNTESTABLE else f"{UNTESTABLE}.{c.claim_id}"
            slug = tid.replace("-", "_").replace(".", "_")
            out[f"verdict_{slug}"] = c.shown
            out[f"reason_{slug}"] = c.reason
            ver = str(self.register.set_index("claim_id").loc[c.claim_id, "verification"])
            out[f"sources_{slug}"] = sources_sentence(c.read, ver)
            out[f"check.{tid}"] = c.summary()
        s = self.settings
        cov = self["unodc-covid-fixed-panel"].numbers
        out |= {"covid_panel_countries": cov["panel_countries"], "covid_change_low": cov["change_pct"][0],
                "covid_change_high": cov["change_pct"][1], "covid_change": pct_range(*cov["change_pct"]),
                "covid_before": s.covid_before, "covid_after": s.covid_after}
        nc = self["ncmec-covid-reports"].numbers
        out |= {"ncmec_change_2020": nc["event_change_pct"], "ncmec_baseline_median": nc["baseline_median_pct"]}
        out["sweden_fall_pct"] = self["sweden-street-counts"].numbers["fall_pct"]
        out["spotlight_minors_ratio"] = self["spotlight-vs-federal"].numbers["minors_ratio"]
        sh = self["share-2006-recount"].numbers
        out |= {"share2006_recount_low": sh["recount_pct"][0], "share2006_recount_high": sh["recount_pct"][1],
                "share2006_countries": sh["recount_countries"]}
        st = self["share-applied-to-stock"].numbers
        out |= {"share_stock_claimed_pct": st["claimed_pct"], "share_stock_ilo_low_pct": st["ilo_cse_pct"],
                "share_stock_ilo_high_pct": st["ilo_upper_pct"], "share_stock_detected_2009_pct": st["edition_2009_pct"]}
        for test_id, key in (("unodc-2019-2020-fixed-panel", "fall2020"), ("unodc-2019-2022-fixed-panel", "rise2022")):
            n = self[test_id].numbers
            change = n["panel_change_pct"]  # None when the release ends before the claim's year
            out[f"{key}_claimed"] = n["claimed_pct"]
            if change:  # left out when the release ends before the claim's year (a key finding marked optional)
                out[f"{key}_panel"] = pct_range(*change)
                out[f"{key}_panel_low"], out[f"{key}_panel_high"] = change
                out[f"{key}_all"] = pct_range(*n["all_reporters_change_pct"])
                out[f"{key}_reporters_before"], out[f"{key}_reporters_after"] = n["reporters_before"], n["reporters_after"]
        return out


def analyse(glotip: pd.DataFrame, register: pd.DataFrame, evidence: pd.DataFrame, editions: pd.DataFrame,
            estimates: pd.DataFrame, ncmec: pd.DataFrame, contents: pd.DataFrame, ucr: pd.DataFrame | None,
            settings: ClaimSettings = ClaimSettings()) -> ClaimsAnalysis:
    """Run every check of :data:`critique.methods.claims.CHECK_IDS` and match the results to ``register``.

    Inputs are the loaded datasets (``glotip`` of one release, its ``attrs["release"]`` named in
    every UNODC reason; ``claims``, ``claim-evidence``, ``glotip-editions``, ``global-estimates``,
    ``ncmec-reports``, ``ncmec-report-contents``, ``fbi-ucr-ht``). Raises DataError when the
    register and the results do not match (:func:`critique.methods.claims.finalise`) and ParameterError
    for settings outside the data (a year the release lacks, a bad tolerance).
    """
    s = settings
    release = release_phrase(glotip)
    # A fixed panel ends in the release's last complete year (a partial latest year would shrink it to
    # the early reporters: 47 countries instead of 103 on the 2023 release); a check about a later year
    # extends its own panel to that year, and its reason says the year is incomplete.
    end = coverage.panel_end(glotip, s.panel_end)
    panel = dict(start=s.panel_start, end=end, release=release)
    last = int(glotip["year"].max())
    rise_panel = dict(panel, end=max(end, min(s.rise_after, last)))
    tol = s.tolerance_pp
    checks = [
        detected.check_covid_fixed_panel(glotip, before=s.covid_before, after=s.covid_after, **panel),
        reports.check_ncmec_covid(ncmec, contents, event_year=s.covid_after, baseline_years=s.ncmec_baseline_years),
        cited.check_worldcup_followup(evidence),
        cited.check_superbowl_outcome(evidence),
        detected.check_host_countries(glotip, evidence, event_ids=list(s.host_events), window=s.host_window,
                                      release=release),
        cited.check_sweden_street_counts(evidence, tolerance_pp=tol),
        detected.check_sweden_series(glotip, evidence, release=release),
        cited.check_gao_fosta(evidence),
        cited.check_spotlight_federal(evidence, ucr, ucr_year=s.ucr_year),
        shares.check_share_recount(glotip, editions, edition=s.share_edition, year=s.share_year, tolerance_pp=tol,
                                   release=release),
        shares.check_share_applied_to_stock(evidence, editions, tolerance_pp=tol),
        shares.check_estimates_definitions(evidence, estimates),
        detected.check_fixed_panel_change(glotip, evidence, test_id="unodc-2019-2020-fixed-panel",
                                          claim_id="unodc-2020-fall", claimed_id="unodc2022-claimed-change",
                                          before=s.covid_before, after=s.covid_after, tolerance_pp=tol, **panel),
        detected.check_fixed_panel_change(glotip, evidence, test_id="unodc-2019-2022-fixed-panel",
                                          claim_id="unodc-2022-rise", claimed_id="unodc2024-claimed-change",
                                          before=s.covid_before, after=s.rise_after, tolerance_pp=tol, **rise_panel),
        detected.check_detections_as_prevalence(glotip, evidence, before=s.covid_before, after=s.rise_after,
                                                **rise_panel),
    ]
    assert [c.test_id for c in checks] == list(CHECK_IDS)  # one result per coded check, in register order
    return ClaimsAnalysis(finalise(checks, register), register, release, s, panel_end=end)
