"""Claim checks that set a claim against cited figures (follow-up studies, official counts).

Each check reads its numbers from the ``claim-evidence`` table by id (never typed in code), records
each figure's verification status, describes what it compared as a
:class:`~critique.methods.claims.rules.Basis` and takes its verdict from the rules
(:mod:`critique.methods.claims.rules`). The figures are of different kinds (forecasts, arrests, identified
victims, cases); the reasons say which, and name the documents read (:func:`read_of`).
"""
from __future__ import annotations

import pandas as pd

from critique.core.i18n import _
from critique.methods.claims.verdict import Basis, ClaimCheck, check_tolerance, figures, judged, named, pct, read_of


def _frame(figs: dict) -> pd.DataFrame:
    """The cited figures behind a chart: id, value, unit, verification."""
    return pd.DataFrame([{"evidence_id": k, "value": f.value, "unit": f.unit, "verification": f.verification}
                         for k, f in figs.items()])


def check_worldcup_followup(evidence: pd.DataFrame) -> ClaimCheck:
    """Claim ``worldcup-2006``: 40,000 women trafficked for the 2006 World Cup.

    No count of people trafficked for the event exists, so the data cannot test it (rule 1 of
    :mod:`critique.methods.claims.rules`). The reason gives IOM's follow-up (Hennig et al. 2007) for scale:
    about 1,000 known victims of trafficking for sexual exploitation a year in Germany and, under
    IOM's own assumption that one case in ten is discovered, about 10,000 a year.
    """
    ids = ["wc2006-claimed", "wc2006-known-victims-per-year", "wc2006-detection-assumption", "wc2006-cases-found"]
    f, status = figures(evidence, ids)
    claimed, known, share, found = (f[i].value for i in ids)
    bound = known / share
    read = read_of(evidence, ids)
    reason = named(_("No count of people trafficked for the event exists and the forecast of {claimed:,.0f} came with no "
                     "data; IOM's follow-up gives about {known:,.0f} known victims of sexual exploitation a year in Germany, "
                     "or {bound:,.0f} a year under its own assumption that {share:.0%} are discovered ({ratio:.1f} times "
                     "fewer than the forecast for a four-week event), and a news report gave {found:.0f} cases linked to "
                     "the event.", claimed=claimed, known=known, bound=bound, share=share, ratio=claimed / bound,
                     found=found), read)
    return judged("worldcup-2006-followup", "worldcup-2006", Basis(same_definition=False), reason,
                  numbers={"claimed": claimed, "known_per_year": known, "assumed_discovery": share,
                           "bound_per_year": bound, "claimed_over_bound": claimed / bound, "cases_found": found},
                  evidence=status, datasets=("claim-evidence",), data=_frame(f), read=read)


def check_superbowl_outcome(evidence: pd.DataFrame) -> ClaimCheck:
    """Claim ``superbowl-2011``: the Super Bowl as one of the biggest trafficking events.

    The claim (the Texas Attorney General's) has no count of the same definition: the numbers
    published are a police sergeant's prediction of people selling sex (not the claimant's figure)
    and arrests afterwards, which measure policing. The data cannot test it; the reason gives the
    counts for scale.
    """
    ids = ["sb2011-predicted-low", "sb2011-predicted-high", "sb2011-prostitution-arrests",
           "sb2011-trafficking-charges", "sb2011-juvenile-arrests", "sb2011-task-force-arrests"]
    f, status = figures(evidence, ids)
    low, high, arrests, charges, juveniles, task = (f[i].value for i in ids)
    read = read_of(evidence, ids)
    reason = named(_("No count of trafficking around the event exists: the {low:,.0f}-{high:,.0f} people selling sex "
                     "predicted for Dallas were a police sergeant's forecast, not the claimant's figure, and the counts "
                     "afterwards were {arrests:.0f} prostitution-related arrests, {charges:.0f} human-trafficking charge(s), "
                     "{juveniles:.0f} arrests involving juveniles and {task:.0f} task-force arrests on any charge; arrests "
                     "measure policing, not trafficking.", low=low, high=high, arrests=arrests, charges=charges,
                     juveniles=juveniles, task=task), read)
    return judged("superbowl-2011-outcome", "superbowl-2011", Basis(same_definition=False), reason,
                  numbers={"predicted_low": low, "predicted_high": high, "prostitution_arrests": arrests,
                           "trafficking_charges": charges, "juvenile_arrests": juveniles, "task_force_arrests": task},
                  evidence=status, datasets=("claim-evidence",), data=_frame(f), read=read)


def check_sweden_street_counts(evidence: pd.DataFrame, *, tolerance_pp: float = 5.0) -> ClaimCheck:
    """Claim ``sweden-halved``: the evaluation's own before/after street counts for Stockholm.

    'Halved' is a change of -50%; the Stockholm counts give ``100 (after / before - 1)``. The claim
    is national and the counts cover Stockholm only, so the verdict is "tested on part of the
    claim's scope" with what Stockholm shows (rules 2-3 of :mod:`critique.methods.claims.rules`, tolerance
    ``tolerance_pp`` points). Street counts miss indoor and online selling.
    """
    tol = check_tolerance(tolerance_pp)
    ids = ["se-stockholm-1998", "se-stockholm-2008", "se-claimed-fall"]
    f, status = figures(evidence, ids)
    before, after, claimed = (f[i].value for i in ids)
    change = 100 * (after / before - 1)
    read = read_of(evidence, ids)
    reason = named(_("The claim is national; the only before/after counts read are Stockholm's, from {before:.0f} people "
                     "in street prostitution (1998) to {after:.0f} (2008), a change of {change}, {gap:.1f} points from the "
                     "{halved} that 'halved' means (tolerance {tol:g} points); a street count misses indoor and online "
                     "selling.", before=before, after=after, change=pct(change), gap=abs(change + claimed),
                     halved=pct(-claimed), tol=tol), read)
    return judged("sweden-street-counts", "sweden-halved",
                  Basis(True, claimed=-claimed, observed=(change, change), tolerance=tol, kind="change", part="Stockholm only"),
                  reason, numbers={"before": before, "after": after, "fall_pct": -change, "change_pct": change,
                                   "claimed_fall_pct": claimed, "tolerance_pp": tol},
                  evidence=status, datasets=("claim-evidence",), data=_frame(f), read=read)


def check_gao_fosta(evidence: pd.DataFrame) -> ClaimCheck:
    """Claim ``fosta-needed``: was the new law needed so that platforms could be held liable and
    brought to justice?

    GAO-21-385 (June 2021) counted federal *criminal* cases against those who control online
    commercial-sex platforms (2014-2020) and the use of FOSTA's new provision; "held liable" also
    covers the civil suits and state prosecutions the law opened, which the count does not measure. Tested on part of its scope: on the criminal part, "needed" is read as a level claim
    that no case could be brought under earlier laws (0), against the cases that were.
    """
    ids = ["gao-platform-cases", "gao-backpage-cases", "gao-fosta-cases", "gao-restitution", "gao-civil-damages"]
    f, status = figures(evidence, ids)
    cases, backpage, fosta, restitution, damages = (f[i].value for i in ids)
    other = cases - fosta
    read = read_of(evidence, ids)
    reason = named(_("GAO counted federal criminal cases only, not the civil suits and state prosecutions the law opened "
                     "(which 'held liable' covers); on the criminal part, 'needed' read as 'platform controllers could not "
                     "be prosecuted under earlier laws' meets {other:.0f} of at least {cases:.0f} federal criminal cases "
                     "against them in 2014-2020 brought under earlier laws (including {backpage:.0f} against backpage.com's "
                     "controllers) and {fosta:.0f} under FOSTA's new provision; restitution was sought in "
                     "{restitution:.0f} and civil damages awarded in {damages:.0f}.", other=other, cases=cases,
                     backpage=backpage, fosta=fosta, restitution=restitution, damages=damages), read)
    basis = Basis(True, claimed=0.0, observed=(other, other), tolerance=0.0, kind="level",
                  part="federal criminal cases only")
    return judged("gao-fosta", "fosta-needed", basis, reason,
                  numbers={"platform_cases": cases, "backpage_cases": backpage, "fosta_cases": fosta,
                           "other_law_cases": other, "restitution_sought": restitution, "civil_damages_awarded": damages},
                  evidence=status, datasets=("claim-evidence",), data=_frame(f), read=read)


def check_spotlight_federal(evidence: pd.DataFrame, ucr: pd.DataFrame | None = None, *, ucr_year: int = 2016) -> ClaimCheck:
    """Claim ``spotlight-victims``: Spotlight's identified victims against federal counts.

    No published count of the same definition exists (victims "identified" with a tool used by many
    agencies), so the data cannot test the claim. For scale the reason sets the minors Spotlight is
    said to have identified (Cloudera, Sep 2015 - Sep 2016) beside the FBI's average of minor
    victims identified a year (Attorney General's 2015 report), and the investigations beside those
    opened by the FBI and ICE in FY2015; optionally the FBI UCR commercial-sex-acts offences
    recorded in ``ucr_year`` (the release of ``ucr`` is named).
    """
    ids = ["thorn-claimed-minors", "thorn-cloudera-minors", "thorn-cloudera-adults", "thorn-cloudera-investigations",
           "fbi-minors-per-year", "fbi-victims-fy2015", "fbi-investigations-fy2015", "ice-investigations-fy2015"]
    f, status = figures(evidence, ids)
    claimed_minors, minors, adults, inv, fbi_minors, fbi_victims, fbi_inv, ice_inv = (f[i].value for i in ids)
    numbers = {"cloudera_minors": minors, "cloudera_adults": adults, "cloudera_investigations": inv,
               "fbi_minors_per_year": fbi_minors, "fbi_victims_fy2015": fbi_victims,
               "federal_investigations_fy2015": fbi_inv + ice_inv, "minors_ratio": minors / fbi_minors,
               "victims_ratio": (minors + adults) / fbi_victims}
    read = read_of(evidence, ids)
    ucr_text = ""
    datasets: tuple[str, ...] = ("claim-evidence",)
    if ucr is not None:
        rows = ucr[(ucr["year"] == ucr_year) & (ucr["offence"] == "Commercial Sex Acts")]
        numbers["ucr_offences"] = int(rows["actual"].sum())
        numbers["ucr_agencies"] = int(rows.loc[rows["actual"] > 0, "ori"].nunique())
        ucr_text = _("; FBI UCR agencies recorded {offences:,} commercial-sex-acts offences in {year} ({agencies} agencies "
                     "with any)", offences=numbers["ucr_offences"], year=ucr_year, agencies=numbers["ucr_agencies"])
        datasets = ("claim-evidence", "fbi-ucr-ht")
        read = read + (str(ucr.attrs.get("release", "fbi-ucr-ht")),)
    reason = named(_("No published count of the same definition exists: Spotlight's reported {minors:,.0f} minors and "
                     "{adults:,.0f} adults identified in Sep 2015-Sep 2016 are, for scale, {minors_ratio:.1f} times the "
                     "FBI's {fbi_minors:.0f} minor victims a year and {victims_ratio:.1f} times the {fbi_victims:.0f} "
                     "victims it identified in FY2015, and its {inv:,.0f} investigations exceed the {federal_inv:,.0f} FBI "
                     "and ICE opened{ucr_text}.", minors=minors, adults=adults, minors_ratio=numbers["minors_ratio"],
                     fbi_minors=fbi_minors, victims_ratio=numbers["victims_ratio"], fbi_victims=fbi_victims, inv=inv,
                     federal_inv=fbi_inv + ice_inv, ucr_text=ucr_text), read)
    return judged("spotlight-vs-federal", "spotlight-victims", Basis(same_definition=False), reason, numbers=numbers,
                  evidence=status, datasets=datasets, data=_frame(f), read=read)
