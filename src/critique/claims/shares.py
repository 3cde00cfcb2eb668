"""Claim checks on shares and stocks: the 79% and 80% sexual-exploitation shares, global estimates.

- ``share-2006-recount``: UNODC's 2009 share recounted from the country data of a newer release.
- ``share-applied-to-stock``: a share of *detected* victims applied to a *stock* estimate (AP 2012),
  against the split of the estimate it was applied to (ILO 2005, as quoted by the OSCE).
- ``estimates-definitions``: global stock figures strung together as a trend, step by step, with
  the definitions each step joins (``global-estimates`` table).
"""
from __future__ import annotations

import pandas as pd

from critique import coverage
from critique.claims.detected import FORMS, usable_rows
from critique.claims.verdict import (CONSISTENT, CONTRADICT, NOT_SUPPORTED, ClaimCheck, check_tolerance,
                                     distance, figure, figures, pct_range, within)
from critique.errors import DataError, ParameterError

COMPONENTS = ("forced_labour_private_excl_cse", "forced_commercial_sexual_exploitation",
              "state_imposed_forced_labour", "forced_marriage")


def _established(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["verification"] != "unverified"]


def edition_share(editions: pd.DataFrame, edition: int) -> tuple[float, str]:
    """The sexual-exploitation share of a GLOTIP edition from a verified row, and its status."""
    rows = _established(editions)
    rows = rows[(rows["edition"] == edition) & rows["share_sexual_exploitation_pct"].notna()]
    if rows.empty:
        raise DataError(f"glotip-editions: no verified sexual-exploitation share for edition {edition}")
    return float(rows["share_sexual_exploitation_pct"].iloc[0]), str(rows["verification"].iloc[0])


def sexual_share_by_year(glotip: pd.DataFrame) -> pd.DataFrame:
    """Share of sexual exploitation among detected victims with a recorded form, all reporters, by year.

    Bounds in percent (``share_low``, ``share_high``) and the number of countries (``units``),
    from ``critique.coverage.form_share_by_year`` on the usable by-form rows.
    """
    forms = coverage.select_glotip(usable_rows(glotip), dimension="by form of exploitation", category=list(FORMS))
    out = coverage.form_share_by_year(forms, form="Sexual exploitation", unit="unit")
    out[["share_low", "share_high"]] *= 100
    return out


def check_share_recount(glotip: pd.DataFrame, editions: pd.DataFrame, *, edition: int = 2009, year: int = 2006,
                        tolerance_pp: float = 5.0, release: str = "newest release") -> ClaimCheck:
    """Claim ``unodc-79``: the 2009 edition's sexual-exploitation share, recounted from country data.

    Consistent when the recount for ``year`` (all countries reporting forms that year) lies within
    ``tolerance_pp`` points of the edition's share; otherwise not supported by the country data. The
    latest year's share is given beside it: the 2009 figure describes detections in one year.
    """
    tol = check_tolerance(tolerance_pp)
    claimed, status = edition_share(editions, edition)
    shares = sexual_share_by_year(glotip)
    if year not in shares.index:
        raise ParameterError(f"share_year = {year}: no by-form data that year (years {shares.index.min()}..{shares.index.max()})")
    at, last = shares.loc[year], shares.iloc[-1]
    latest = int(shares.index[-1])
    ok = within(at["share_low"], at["share_high"], claimed, tol)
    reason = (f"Recounted from the UNODC country data ({release}), sexual exploitation was {pct_range(at['share_low'], at['share_high'], False)} "
              f"of detected victims with a recorded form in {year} ({int(at['units'])} countries), "
              f"{distance(at['share_low'], at['share_high'], claimed):.1f} points from the {edition} edition's {claimed:g}% "
              f"({'within' if ok else 'outside'} the tolerance of {tol:g} points); "
              f"in {latest} it was {pct_range(last['share_low'], last['share_high'], False)} ({int(last['units'])} countries).")
    numbers = {"claimed_pct": claimed, "recount_pct": [float(at["share_low"]), float(at["share_high"])],
               "recount_countries": int(at["units"]), "latest_year": latest,
               "latest_pct": [float(last["share_low"]), float(last["share_high"])], "latest_countries": int(last["units"]),
               "tolerance_pp": tol}
    return ClaimCheck("share-2006-recount", "unodc-79", CONSISTENT if ok else NOT_SUPPORTED, reason, numbers,
                      evidence={f"glotip-editions:{edition}": status}, datasets=("glotip", "glotip-editions"),
                      data=shares)


def check_share_applied_to_stock(evidence: pd.DataFrame, editions: pd.DataFrame, *, tolerance_pp: float = 5.0) -> ClaimCheck:
    """Claim ``un-80-percent``: 80% of the 2.4 million victims at any one time exploited sexually.

    The 2.4 million is ILO's 2005 estimate of people in forced labour through trafficking, whose split
    (as quoted by the OSCE) put 43% in commercial sexual exploitation and 25% in mixed or undetermined
    forms: at most 68% could be sexual. The data contradict the claim when it exceeds that upper
    bound by more than ``tolerance_pp``; the detected-victim shares of the 2009 and 2012 editions are
    shown for what they are, shares of detections.
    """
    tol = check_tolerance(tolerance_pp)
    ids = ["ap2012-claimed-share", "ap2012-stock", "ilo2005-trafficked", "ilo2005-share-cse", "ilo2005-share-mixed"]
    f, status = figures(evidence, ids)
    claimed, stock, ilo_stock, cse, mixed = (f[i].value for i in ids)
    upper = cse + mixed
    d2009, s2009 = edition_share(editions, 2009)
    d2012, s2012 = edition_share(editions, 2012)
    status.update({"glotip-editions:2009": s2009, "glotip-editions:2012": s2012})
    if claimed - tol > upper:
        verdict, word = CONTRADICT, "above"
    elif claimed + tol < cse:
        verdict, word = NOT_SUPPORTED, "below"
    else:
        verdict, word = CONSISTENT, "within"
    reason = (f"The {stock / 1e6:.1f} million matches ILO's 2005 estimate ({ilo_stock / 1e6:.2f} million), which put {cse:.0f}% "
              f"in commercial sexual exploitation and {mixed:.0f}% in mixed or undetermined forms, so at most {upper:.0f}% could be "
              f"sexual and the claimed {claimed:.0f}% is {word} that bound; the 79% and 58% of the 2009 and 2012 UNODC editions "
              "are shares of detected victims, not of the estimate.")
    data = pd.DataFrame({"measure": ["claimed (AP 2012)", "ILO 2005: commercial sexual exploitation",
                                     "ILO 2005: upper bound incl. mixed/undetermined",
                                     "UNODC 2009 edition: detected victims", "UNODC 2012 edition: detected victims"],
                         "percent": [claimed, cse, upper, d2009, d2012],
                         "kind": ["claim", "estimate", "estimate", "detections", "detections"]})
    return ClaimCheck("share-applied-to-stock", "un-80-percent", verdict, reason,
                      {"claimed_pct": claimed, "ilo_cse_pct": cse, "ilo_mixed_pct": mixed, "ilo_upper_pct": upper,
                       "edition_2009_pct": d2009, "edition_2012_pct": d2012, "tolerance_pp": tol},
                      evidence=status, datasets=("claim-evidence", "glotip-editions"), data=data)


def check_estimates_definitions(evidence: pd.DataFrame, estimates: pd.DataFrame, *, sequence: tuple[str, ...] = (
        "bales-27m", "GEMS 2017", "GEMS 2022")) -> ClaimCheck:
    """Claim ``global-stock-trend``: global stock figures read as a trend.

    ``sequence`` lists the figures in order: a ``claim-evidence`` id (a figure with no component
    breakdown) or an ``edition`` of the ``global-estimates`` table. A step is like-for-like only when
    both ends are estimates of the same publisher with the same components present. Not supported when
    any step is not like-for-like; for like-for-like steps the rise and the part of it that is forced
    marriage are reported.
    """
    if len(sequence) < 2:
        raise ParameterError("sequence: at least two figures are needed for a trend")
    est = _established(estimates).set_index("edition")
    points, status = [], {}
    for item in sequence:
        if item in est.index:
            row = est.loc[item]
            comps = tuple(c for c in COMPONENTS if pd.notna(row[c]))
            points.append({"label": item, "total": float(row["total_modern_slavery"]) if pd.notna(row["total_modern_slavery"])
                           else float(row["forced_labour_total"]), "publisher": str(row["publisher"]), "components": comps,
                           "forced_marriage": float(row["forced_marriage"]) if pd.notna(row["forced_marriage"]) else None})
            status[f"global-estimates:{item}"] = str(row["verification"])
        else:
            fig = figure(evidence, item)
            points.append({"label": "Bales (book)" if item.startswith("bales") else item, "total": fig.value,
                           "publisher": "Bales" if item.startswith("bales") else item,
                           "components": (), "forced_marriage": None})
            status[item] = fig.verification
    steps, like = [], 0
    for a, b in zip(points[:-1], points[1:]):
        same = a["publisher"] == b["publisher"] and a["components"] == b["components"] and bool(a["components"])
        like += same
        fm = (b["forced_marriage"] - a["forced_marriage"]) if same and a["forced_marriage"] is not None else None
        steps.append({"from": a["label"], "to": b["label"], "rise": b["total"] - a["total"], "like_for_like": same,
                      "forced_marriage_rise": fm})
    unlike = len(steps) - like
    parts = [f"{s['from']} to {s['to']} rose {s['rise'] / 1e6:.1f} million, {s['forced_marriage_rise'] / s['rise']:.0%} of it "
             "forced marriage" for s in steps if s["like_for_like"] and s["forced_marriage_rise"] is not None and s["rise"]]
    chain = " -> ".join(f"{p['total'] / 1e6:.1f}" for p in points)
    reason = (f"Of the {len(steps)} steps in {chain} million, {unlike} "
              f"join{'s' if unlike == 1 else ''} estimates with different definitions or producers"
              + (f"; the like-for-like step {'; '.join(parts)}" if parts else "")
              + "; each estimate is a model with wide uncertainty, not a count.")
    data = pd.DataFrame(points).assign(components=lambda d: d["components"].map(", ".join))
    return ClaimCheck("estimates-definitions", "global-stock-trend", NOT_SUPPORTED if unlike else CONSISTENT, reason,
                      {"steps": steps, "unlike_steps": unlike, "totals": [p["total"] for p in points]},
                      evidence=status, datasets=("claim-evidence", "global-estimates"), data=data)
