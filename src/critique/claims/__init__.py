"""Claims register: circulating trafficking claims set against the data that could test them.

The register is the published table ``claims`` (one row per claim, with its citation, verification
status and the ids of its checks) and ``claim-evidence`` (the cited figures the checks read). Each
check is a pure function (frames in, :class:`~critique.claims.verdict.ClaimCheck` out) returning the
numbers it computed, a verdict from :data:`~critique.claims.verdict.VERDICTS` and a one-sentence
reason generated from those numbers:

- ``critique.claims.detected``: UNODC detected victims (fixed panels, changes, host countries, Sweden);
- ``critique.claims.reports``: NCMEC CyberTipline report counts;
- ``critique.claims.cited``: cited follow-up figures (World Cup 2006, Super Bowl 2011, Stockholm
  street counts, GAO-21-385, Spotlight against federal counts);
- ``critique.claims.shares``: shares and stocks (79%, 80%, global estimates as a trend).

:func:`finalise` applies the rule that an unverified claim row or figure never drives "the data
contradict it" and checks that every test id in the register has exactly one result.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd

from critique.claims.verdict import (CANNOT_TEST, CONSISTENT, CONTRADICT, NOT_SUPPORTED, VERDICTS, ClaimCheck,
                                     cap_unverified)
from critique.errors import DataError

CHECK_IDS = (
    "unodc-covid-fixed-panel", "ncmec-covid-reports", "worldcup-2006-followup", "superbowl-2011-outcome",
    "host-country-detections", "sweden-street-counts", "sweden-unodc-series", "gao-fosta", "spotlight-vs-federal",
    "share-2006-recount", "share-applied-to-stock", "estimates-definitions", "unodc-2019-2020-fixed-panel",
    "unodc-2019-2022-fixed-panel", "detections-as-prevalence",
)

__all__ = ["CANNOT_TEST", "CHECK_IDS", "CONSISTENT", "CONTRADICT", "NOT_SUPPORTED", "VERDICTS", "ClaimCheck",
           "claim_tests", "finalise", "summary_table"]


def claim_tests(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (claim_id, test_id) from the register's ``tests`` column (';'-separated).

    Raises DataError naming the claim for an empty test list or a test id the suite does not have.
    """
    rows = []
    for rec in claims.itertuples():
        tests = [t.strip() for t in str(rec.tests).split(";") if t.strip()]
        if not tests:
            raise DataError(f"claims: claim {rec.claim_id!r} lists no test")
        for t in tests:
            if t not in CHECK_IDS:
                raise DataError(f"claims: claim {rec.claim_id!r} names test {t!r}, which critique.claims does not have "
                                f"(known: {', '.join(CHECK_IDS)})")
            rows.append({"claim_id": rec.claim_id, "test_id": t})
    return pd.DataFrame(rows)


def finalise(checks: Iterable[ClaimCheck], claims: pd.DataFrame) -> list[ClaimCheck]:
    """Cap verdicts resting on unverified rows and check results against the register.

    Every (claim, test) pair in the register must have exactly one result of that id; a result for a
    pair the register does not list is an error too. Returns the checks in register order, capped by
    :func:`critique.claims.verdict.cap_unverified` with the claim row's verification status.
    """
    checks = list(checks)
    pairs = claim_tests(claims)
    status = claims.set_index("claim_id")["verification"]
    by_test: dict[str, ClaimCheck] = {}
    for c in checks:
        if c.test_id in by_test:
            raise DataError(f"claims: two results for test {c.test_id!r}")
        by_test[c.test_id] = c
    missing = [t for t in pairs["test_id"] if t not in by_test]
    extra = [t for t in by_test if t not in set(pairs["test_id"])]
    if missing or extra:
        raise DataError(f"claims: results missing for {missing or 'none'}; results not in the register: {extra or 'none'}")
    out = []
    for rec in pairs.itertuples():
        c = by_test[rec.test_id]
        out.append(cap_unverified(c, str(status[rec.claim_id])))
    return out


def summary_table(checks: Iterable[ClaimCheck], claims: pd.DataFrame) -> pd.DataFrame:
    """One row per check: claim, claimant, date, the claim row's verification (marked), verdict, reason.

    A claim read in no stored source is marked "UNVERIFIED" in the ``claim`` column so that it is
    never shown as established.
    """
    reg = claims.set_index("claim_id")
    pairs = claim_tests(claims)
    by_test = {c.test_id: c for c in checks}
    rows = []
    for rec in pairs.itertuples():
        row, c = reg.loc[rec.claim_id], by_test[rec.test_id]
        mark = "UNVERIFIED: " if row["verification"] == "unverified" else ""
        rows.append({"claim_id": rec.claim_id, "claim": mark + str(row["claim"]), "claimant": row["claimant"],
                     "date": row["date"], "claim_read_in": row["verification"], "test": rec.test_id,
                     "verdict": c.verdict + (" (capped: unverified input)" if c.capped else ""), "reason": c.reason})
    return pd.DataFrame(rows)
