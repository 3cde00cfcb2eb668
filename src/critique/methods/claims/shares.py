"""Claim checks on shares and stocks: the 79% and 80% sexual-exploitation shares, global estimates.

- ``share-2006-recount``: UNODC's 2009 share recounted from the country data of a newer release.
- ``share-applied-to-stock``: a share of *detected* victims applied to a *stock* estimate (AP 2012),
  against the split of the estimate it was applied to (ILO 2005, as quoted by the OSCE).
- ``estimates-definitions``: global stock figures strung together as a trend, step by step, with
  the definitions each step joins (``global-estimates`` table).
"""
from __future__ import annotations

import pandas as pd

from critique.methods import coverage
from critique.methods.claims.detected import FORMS, usable_rows
from critique.methods.claims.verdict import (Basis, ClaimCheck, check_tolerance, distance, figure, figures, judged, named,
                                     pct_range, read_of)
from critique.core.errors import DataError, ParameterError
from critique.core.i18n import _

COMPONENTS = ("forced_labour_private_excl_cse", "forced_commercial_sexual_exploitation",
              "state_imposed_forced_labour", "forced_marriage")


def _established(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["verification"] != "unverified"]


def edition_share(editions: pd.DataFrame, edition: int) -> tuple[float, str]:
    """The sexual-exploitation share of a GLOTIP edition from a verified row, and its status."""
    row = _edition_row(editions, edition)
    return float(row["share_sexual_exploitation_pct"]), str(row["verification"])


def _edition_row(editions: pd.DataFrame, edition: int) -> pd.Series:
    rows = _established(editions)
    rows = rows[(rows["edition"] == edition) & rows["share_sexual_exploitation_pct"].notna()]
    if rows.empty:
        raise DataError(f"glotip-editions: no verified sexual-exploitation share for edition {edition}")
    return rows.iloc[0]


def sexual_share_by_year(glotip: pd.DataFrame) -> pd.DataFrame:
    """Share of sexual exploitation among detected victims with a recorded form, all reporters, by year.

    Bounds in percent (``share_low``, ``share_high``) and the number of countries (``units``),
    from ``critique.methods.coverage.form_share_by_year`` on the usable by-form rows.
    """
    forms = coverage.select_glotip(usable_rows(glotip), dimension="by form of exploitation", category=list(FORMS))
    out = coverage.form_share_by_year(forms, form="Sexual exploitation", unit="unit")
    out[["share_low", "share_high"]] *= 100
    return out


def check_share_recount(glotip: pd.DataFrame, editions: pd.DataFrame, *, edition: int = 2009, year: int = 2006,
                        tolerance_pp: float = 5.0, release: str = "newest release") -> ClaimCheck:
    """Claim ``unodc-79``: the 2009 edition's sexual-exploitation share, recounted from country data.

    The recount covers the countries with by-form data for ``year`` in the release read, fewer than
    the edition covered, so the verdict is "tested on part of the claim's scope" with what that part
    shows (a level, tolerance ``tolerance_pp`` points; :mod:`critique.methods.claims.rules`). The latest
    year's share is given beside it: the 2009 figure describes detections in one year.
    """
    tol = check_tolerance(tolerance_pp)
    row = _edition_row(editions, edition)
    claimed, status = float(row["share_sexual_exploitation_pct"]), str(row["verification"])
    covered = int(row["countries_covered"]) if pd.notna(row.get("countries_covered")) else None
    shares = sexual_share_by_year(glotip)
    if year not in shares.index:
        raise ParameterError(f"share_year = {year}: no by-form data that year (years {shares.index.min()}..{shares.index.max()})")
    at, last = shares.loc[year], shares.iloc[-1]
    latest = int(shares.index[-1])
    part = (_("{n} of the {covered} countries the edition covered", n=int(at["units"]), covered=covered) if covered
            else _("{n} countries of the newest country data", n=int(at["units"])))
    basis = Basis(True, claimed=claimed, observed=(float(at["share_low"]), float(at["share_high"])), tolerance=tol,
                  kind="level", part=part)
    edition_read = _("glotip-editions, {edition} edition [{grade}]", edition=edition, grade=status)
    reason = _("Recounted from the UNODC country data ({release}), sexual exploitation was {share} of detected victims "
               "with a recorded form in {year} in {part}, {gap:.1f} points from the {edition} edition's {claimed:g}% "
               "(tolerance {tol:g} points); in {latest} it was {latest_share} ({latest_n} countries) (read: "
               "{edition_read}).", release=release, share=pct_range(at["share_low"], at["share_high"], False),
               year=year, part=part, gap=distance(at["share_low"], at["share_high"], claimed), edition=edition,
               claimed=claimed, tol=tol, latest=latest, latest_share=pct_range(last["share_low"], last["share_high"], False),
               latest_n=int(last["units"]), edition_read=edition_read)
    numbers = {"claimed_pct": claimed, "recount_pct": [float(at["share_low"]), float(at["share_high"])],
               "recount_countries": int(at["units"]), "edition_countries": covered, "latest_year": latest,
               "latest_pct": [float(last["share_low"]), float(last["share_high"])], "latest_countries": int(last["units"]),
               "tolerance_pp": tol}
    return judged("share-2006-recount", "unodc-79", basis, reason, numbers=numbers,
                  evidence={f"glotip-editions:{edition}": status}, datasets=("glotip", "glotip-editions"),
                  data=shares, read=(release, edition_read))


def check_share_applied_to_stock(evidence: pd.DataFrame, editions: pd.DataFrame, *, tolerance_pp: float = 5.0) -> ClaimCheck:
    """Claim ``un-80-percent``: 80% of the 2.4 million victims at any one time exploited sexually.

    The 2.4 million is ILO's 2005 estimate of people in forced labour through trafficking, whose split
    (as quoted by the OSCE) put 43% in commercial sexual exploitation and 25% in mixed or undetermined
    forms: 43% to 68% could be sexual. A level claim against that range (rule 2 of
    :mod:`critique.methods.claims.rules`, tolerance ``tolerance_pp``); the detected-victim shares of the 2009
    and 2012 editions are shown for what they are, shares of detections.
    """
    tol = check_tolerance(tolerance_pp)
    ids = ["ap2012-claimed-share", "ap2012-stock", "ilo2005-trafficked", "ilo2005-share-cse", "ilo2005-share-mixed"]
    f, status = figures(evidence, ids)
    claimed, stock, ilo_stock, cse, mixed = (f[i].value for i in ids)
    upper = cse + mixed
    d2009, s2009 = edition_share(editions, 2009)
    d2012, s2012 = edition_share(editions, 2012)
    status.update({"glotip-editions:2009": s2009, "glotip-editions:2012": s2012})
    basis = Basis(True, claimed=claimed, observed=(cse, upper), tolerance=tol, kind="level")
    where = (_("above that range") if claimed - tol > upper else _("below that range") if claimed + tol < cse
             else _("within that range"))
    read = read_of(evidence, ids) + (_("glotip-editions, 2009 and 2012 editions [{grade}]",
                                       grade=s2009 if s2009 == s2012 else s2009 + ", " + s2012),)
    reason = named(_("The {stock:.1f} million matches ILO's 2005 estimate ({ilo_stock:.2f} million), which put {cse:.0f}% in "
                     "commercial sexual exploitation and {mixed:.0f}% in mixed or undetermined forms, so {cse:.0f}% to "
                     "{upper:.0f}% could be sexual and the claimed {claimed:.0f}% is {where} (tolerance {tol:g} points); "
                     "the 79% and 58% of the 2009 and 2012 UNODC editions are shares of detected victims, not of the "
                     "estimate.", stock=stock / 1e6, ilo_stock=ilo_stock / 1e6, cse=cse, mixed=mixed, upper=upper,
                     claimed=claimed, where=where, tol=tol), read)
    data = pd.DataFrame({"measure": [_("claimed (AP 2012)"), _("ILO 2005: commercial sexual exploitation"),
                                     _("ILO 2005: upper bound incl. mixed/undetermined"),
                                     _("UNODC 2009 edition: detected victims"), _("UNODC 2012 edition: detected victims")],
                         "percent": [claimed, cse, upper, d2009, d2012],
                         "kind": ["claim", "estimate", "estimate", "detections", "detections"]})
    return judged("share-applied-to-stock", "un-80-percent", basis, reason,
                  numbers={"claimed_pct": claimed, "ilo_cse_pct": cse, "ilo_mixed_pct": mixed, "ilo_upper_pct": upper,
                           "edition_2009_pct": d2009, "edition_2012_pct": d2012, "tolerance_pp": tol},
                  evidence=status, datasets=("claim-evidence", "glotip-editions"), data=data, read=read)


def check_estimates_definitions(evidence: pd.DataFrame, estimates: pd.DataFrame, *, sequence: tuple[str, ...] = (
        "bales-27m", "GEMS 2017", "GEMS 2022")) -> ClaimCheck:
    """Claim ``global-stock-trend``: global stock figures read as a trend.

    ``sequence`` lists the figures in order: a ``claim-evidence`` id (a figure with no component
    breakdown) or an ``edition`` of the ``global-estimates`` table. A step is like-for-like only when
    both ends are estimates of the same publisher with the same components present. With no
    like-for-like step the data cannot test the trend; with some, the trend is tested on those steps
    only ("tested on part of the claim's scope"), where the claim's own figures are the estimates and
    the rise and the part of it that is forced marriage are reported. On such a step the claimed and
    the observed figure are the same published estimates, so the reading cannot be anything but
    consistent: the reason says that this checks the quotation, not whether the rise exceeds the
    estimates' uncertainty (no interval is in the table). (Only the first like-for-like
    step enters the basis; a sequence of several such steps should be read step by step.)
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
    parts = [_("{start} to {end} rose {rise:.1f} million, {share:.0%} of it forced marriage", start=s["from"], end=s["to"],
               rise=s["rise"] / 1e6, share=s["forced_marriage_rise"] / s["rise"])
             for s in steps if s["like_for_like"] and s["forced_marriage_rise"] is not None and s["rise"]]
    chain = " -> ".join(_("{total:.1f}", total=p["total"] / 1e6) for p in points)
    read = read_of(evidence, [i for i in sequence if i not in est.index]) + tuple(
        f"global-estimates {i} [{status[f'global-estimates:{i}']}]" for i in sequence if i in est.index)
    reason = (_("Of the {n_steps} steps in {chain} million, {n} joins estimates with different definitions or producers", n=unlike, n_steps=len(steps), chain=chain) if unlike == 1 else _("Of the {n_steps} steps in {chain} million, {n} join estimates with different definitions or producers", n=unlike, n_steps=len(steps), chain=chain))
    if parts:
        reason = _("{reason}; the like-for-like step {steps}", reason=reason, steps="; ".join(parts))
    if like:
        reason = _("{reason}; on a like-for-like step the claim's figures are the estimates themselves, so a reading of "
                   "'consistent' there says only that they are quoted as published: no interval of either estimate was "
                   "read, so whether the rise exceeds their uncertainty is not tested", reason=reason)
    reason = named(_("{reason}; each estimate is a model with wide uncertainty, not a count.", reason=reason), read)
    like_steps = [s for s in steps if s["like_for_like"]]
    if like_steps:
        a, b = like_steps[0]["from"], like_steps[0]["to"]
        change = 100 * (est.loc[b, "total_modern_slavery"] / est.loc[a, "total_modern_slavery"] - 1)
        basis = Basis(True, claimed=float(change), observed=(float(change), float(change)), kind="change",
                      part=f"{like} of {len(steps)} steps" if unlike else None)
    else:
        basis = Basis(same_definition=False)
    data = pd.DataFrame(points).assign(components=lambda d: d["components"].map(", ".join))
    return judged("estimates-definitions", "global-stock-trend", basis, reason,
                  numbers={"steps": steps, "unlike_steps": unlike, "totals": [p["total"] for p in points]},
                  evidence=status, datasets=("claim-evidence", "global-estimates"), data=data, read=read)
