"""Claim checks that set a claim against cited figures (follow-up studies, official counts).

Each check reads its numbers from the ``claim-evidence`` table by id (never typed in code), records
each figure's verification status, and builds its reason from the numbers. The figures are of
different kinds (forecasts, arrests, identified victims, cases); the reasons say which.
"""
from __future__ import annotations

import pandas as pd

from critique.claims.verdict import (CANNOT_TEST, CONSISTENT, NOT_SUPPORTED, ClaimCheck,
                                     check_tolerance, figures, pct)


def _frame(figs: dict) -> pd.DataFrame:
    """The cited figures behind a chart: id, value, unit, verification."""
    return pd.DataFrame([{"evidence_id": k, "value": f.value, "unit": f.unit, "verification": f.verification}
                         for k, f in figs.items()])


def check_worldcup_followup(evidence: pd.DataFrame) -> ClaimCheck:
    """Claim ``worldcup-2006``: 40,000 women trafficked for the 2006 World Cup.

    IOM's follow-up (Hennig et al. 2007) gave the bound used here: about 1,000 known victims of
    trafficking for sexual exploitation a year in Germany and, even if only one case in ten were
    discovered, about 10,000 a year. Not supported when the claim exceeds that bound for a whole
    year; otherwise the figures cannot test it (the bound rests on IOM's assumed discovery rate).
    """
    ids = ["wc2006-claimed", "wc2006-known-victims-per-year", "wc2006-detection-assumption", "wc2006-cases-found"]
    f, status = figures(evidence, ids)
    claimed, known, share, found = (f[i].value for i in ids)
    bound = known / share
    verdict = NOT_SUPPORTED if claimed > bound else CANNOT_TEST
    reason = (f"No data were given for the {claimed:,.0f}; IOM's follow-up counted about {known:,.0f} known victims of "
              f"sexual exploitation a year in Germany, or {bound:,.0f} a year if only {share:.0%} were discovered, "
              f"{claimed / bound:.1f} times less than the forecast for a four-week event, and {found:.0f} cases linked "
              "to the event were reported.")
    return ClaimCheck("worldcup-2006-followup", "worldcup-2006", verdict, reason,
                      {"claimed": claimed, "known_per_year": known, "assumed_discovery": share,
                       "bound_per_year": bound, "claimed_over_bound": claimed / bound, "cases_found": found},
                      evidence=status, datasets=("claim-evidence",), data=_frame(f))


def check_superbowl_outcome(evidence: pd.DataFrame) -> ClaimCheck:
    """Claim ``superbowl-2011``: the Super Bowl as one of the biggest trafficking events.

    Sets the predictions made before Super Bowl XLV (50,000-100,000 people selling sex) against the
    counts afterwards (prostitution-related arrests, trafficking charges, juveniles, and the task
    force's arrests on any charge). Arrests measure policing, so they cannot show that nothing
    happened; the verdict is 'not supported' when every count after the event is below the lowest
    prediction, and 'cannot test' otherwise.
    """
    ids = ["sb2011-predicted-low", "sb2011-predicted-high", "sb2011-prostitution-arrests",
           "sb2011-trafficking-charges", "sb2011-juvenile-arrests", "sb2011-task-force-arrests"]
    f, status = figures(evidence, ids)
    low, high, arrests, charges, juveniles, task = (f[i].value for i in ids)
    observed = max(arrests, charges, juveniles, task)
    verdict = NOT_SUPPORTED if observed < low else CANNOT_TEST
    reason = (f"Against predictions of {low:,.0f}-{high:,.0f} people selling sex in Dallas, the counts afterwards were "
              f"{arrests:.0f} prostitution-related arrests, {charges:.0f} human-trafficking charge(s), {juveniles:.0f} "
              f"arrests involving juveniles and {task:.0f} task-force arrests on any charge, the largest "
              f"{low / observed:,.0f} times below the lowest prediction; arrests measure policing, not trafficking.")
    return ClaimCheck("superbowl-2011-outcome", "superbowl-2011", verdict, reason,
                      {"predicted_low": low, "predicted_high": high, "prostitution_arrests": arrests,
                       "trafficking_charges": charges, "juvenile_arrests": juveniles, "task_force_arrests": task},
                      evidence=status, datasets=("claim-evidence",), data=_frame(f))


def check_sweden_street_counts(evidence: pd.DataFrame, *, tolerance_pp: float = 5.0) -> ClaimCheck:
    """Claim ``sweden-halved``: the evaluation's own before/after street counts for Stockholm.

    The fall from 1998 to 2008 is ``1 - after / before``; 'halved' is read as 50%. Consistent when
    the fall is within ``tolerance_pp`` points of the claimed fall, otherwise not supported. Street
    counts miss indoor and online selling, so even a consistent count would not show what the law did.
    """
    tol = check_tolerance(tolerance_pp)
    ids = ["se-stockholm-1998", "se-stockholm-2008", "se-claimed-fall"]
    f, status = figures(evidence, ids)
    before, after, claimed = (f[i].value for i in ids)
    fall = 100 * (1 - after / before)
    ok = abs(fall - claimed) <= tol
    reason = (f"The evaluation's own Stockholm street counts go from {before:.0f} (1998) to {after:.0f} (2008), a fall of "
              f"{pct(fall, signed=False)}, {abs(fall - claimed):.1f} points from the {pct(claimed, signed=False)} that 'halved' "
              f"means ({'within' if ok else 'outside'} the tolerance of {tol:g} points); a street count misses indoor and "
              "online selling.")
    return ClaimCheck("sweden-street-counts", "sweden-halved", CONSISTENT if ok else NOT_SUPPORTED, reason,
                      {"before": before, "after": after, "fall_pct": fall, "claimed_fall_pct": claimed, "tolerance_pp": tol},
                      evidence=status, datasets=("claim-evidence",), data=_frame(f))


def check_gao_fosta(evidence: pd.DataFrame) -> ClaimCheck:
    """Claim ``fosta-needed``: was the new law needed to bring platforms to justice?

    GAO-21-385 (June 2021) counted federal criminal cases against those who control online
    commercial-sex platforms (2014-2020) and the use of FOSTA's new provision. Not supported when
    fewer cases used the new provision than used laws in force before it; consistent otherwise.
    (Civil suits and state prosecutions, which the law also opened, are outside this count.)
    """
    ids = ["gao-platform-cases", "gao-backpage-cases", "gao-fosta-cases", "gao-restitution", "gao-civil-damages"]
    f, status = figures(evidence, ids)
    cases, backpage, fosta, restitution, damages = (f[i].value for i in ids)
    other = cases - fosta
    verdict = NOT_SUPPORTED if fosta < other else CONSISTENT
    reason = (f"Of at least {cases:.0f} federal criminal cases against platform controllers in 2014-2020, {fosta:.0f} used "
              f"FOSTA's new provision and {other:.0f} used earlier laws (including {backpage:.0f} against backpage.com's "
              f"controllers); restitution was sought in {restitution:.0f} and civil damages awarded in {damages:.0f} "
              "(GAO-21-385).")
    return ClaimCheck("gao-fosta", "fosta-needed", verdict, reason,
                      {"platform_cases": cases, "backpage_cases": backpage, "fosta_cases": fosta,
                       "other_law_cases": other, "restitution_sought": restitution, "civil_damages_awarded": damages},
                      evidence=status, datasets=("claim-evidence",), data=_frame(f))


def check_spotlight_federal(evidence: pd.DataFrame, ucr: pd.DataFrame | None = None, *, ucr_year: int = 2016) -> ClaimCheck:
    """Claim ``spotlight-victims``: Spotlight's identified victims against federal counts.

    Compares the minors Spotlight is said to have identified (Cloudera, Sep 2015 - Sep 2016) with
    the FBI's average of minor victims identified a year (Attorney General's 2015 report), and the
    investigations with those opened by the FBI and ICE in FY2015. Optionally adds the FBI UCR
    commercial-sex-acts offences recorded in ``ucr_year`` by agencies reporting to the FBI. Not
    supported when the claimed figures exceed every official count; consistent otherwise. No
    official count measures the same thing, so this shows scale, not error.
    """
    ids = ["thorn-claimed-minors", "thorn-cloudera-minors", "thorn-cloudera-adults", "thorn-cloudera-investigations",
           "fbi-minors-per-year", "fbi-victims-fy2015", "fbi-investigations-fy2015", "ice-investigations-fy2015"]
    f, status = figures(evidence, ids)
    claimed_minors, minors, adults, inv, fbi_minors, fbi_victims, fbi_inv, ice_inv = (f[i].value for i in ids)
    numbers = {"cloudera_minors": minors, "cloudera_adults": adults, "cloudera_investigations": inv,
               "fbi_minors_per_year": fbi_minors, "fbi_victims_fy2015": fbi_victims,
               "federal_investigations_fy2015": fbi_inv + ice_inv, "minors_ratio": minors / fbi_minors,
               "victims_ratio": (minors + adults) / fbi_victims}
    ucr_text = ""
    datasets: tuple[str, ...] = ("claim-evidence",)
    if ucr is not None:
        rows = ucr[(ucr["year"] == ucr_year) & (ucr["offence"] == "Commercial Sex Acts")]
        numbers["ucr_offences"] = int(rows["actual"].sum())
        numbers["ucr_agencies"] = int(rows.loc[rows["actual"] > 0, "ori"].nunique())
        ucr_text = (f"; FBI UCR agencies recorded {numbers['ucr_offences']:,} commercial-sex-acts offences in {ucr_year} "
                    f"({numbers['ucr_agencies']} agencies with any)")
        datasets = ("claim-evidence", "fbi-ucr-ht")
    exceeds = minors > fbi_minors and (minors + adults) > fbi_victims and inv > fbi_inv + ice_inv
    reason = (f"Spotlight's reported {minors:,.0f} minors and {adults:,.0f} adults identified in Sep 2015-Sep 2016 are "
              f"{numbers['minors_ratio']:.1f} times the FBI's {fbi_minors:.0f} minor victims a year and "
              f"{numbers['victims_ratio']:.1f} times the {fbi_victims:.0f} victims it identified in FY2015, and its "
              f"{inv:,.0f} investigations exceed the {fbi_inv + ice_inv:,.0f} FBI and ICE opened{ucr_text}; no published "
              "count of the same definition exists to check them.")
    return ClaimCheck("spotlight-vs-federal", "spotlight-victims", NOT_SUPPORTED if exceeds else CONSISTENT, reason,
                      numbers, evidence=status, datasets=datasets, data=_frame(f))
