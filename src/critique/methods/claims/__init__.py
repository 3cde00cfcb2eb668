"""Claims register: circulating trafficking claims set against the data that could test them.

The register is the published table ``claims`` (one row per claim, with its citation, verification
status and the ids of its checks) and ``claim-evidence`` (the cited figures the checks read). Each
check is a pure function (frames in, :class:`~critique.methods.claims.verdict.ClaimCheck` out) returning the
numbers it computed, a verdict read by the rules of :mod:`critique.methods.claims.rules` and a one-sentence
reason generated from those numbers that names what it read:

- ``critique.methods.claims.detected``: UNODC detected victims (fixed panels, changes, host countries, Sweden);
- ``critique.methods.claims.reports``: NCMEC CyberTipline report counts;
- ``critique.methods.claims.cited``: cited follow-up figures (World Cup 2006, Super Bowl 2011, Stockholm
  street counts, GAO-21-385, Spotlight against federal counts);
- ``critique.methods.claims.shares``: shares and stocks (79%, 80%, global estimates as a trend).

:func:`finalise` matches results to the register by ``(claim_id, test_id)``, so a register row that
names another claim's check is refused instead of inheriting its verdict; it adds a
"cannot test" result for every row declared :data:`~critique.methods.claims.rules.UNTESTABLE` (no code
needed), and applies the rule that an unverified claim row or figure never drives "the data
contradict it". :func:`analyse` runs the whole register (:mod:`critique.methods.claims.analysis`).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import pandas as pd

from critique.methods.claims.rules import (CANNOT_TEST, CONSISTENT, CONTRADICT, LARGER, NOT_SUPPORTED, PARTIAL, SMALLER,
                                   UNTESTABLE, VERDICTS, counts_sentence)
from critique.methods.claims.verdict import ClaimCheck, cap_unverified
from critique.core.errors import DataError
from critique.core.i18n import N_, _

#: the register's verification grades, as shown in the reader table (translated there)
GRADE_NAMES = (N_("primary"), N_("secondary"), N_("unverified"))

CHECK_IDS = (
    "unodc-covid-fixed-panel", "ncmec-covid-reports", "worldcup-2006-followup", "superbowl-2011-outcome",
    "host-country-detections", "sweden-street-counts", "sweden-unodc-series", "gao-fosta", "spotlight-vs-federal",
    "share-2006-recount", "share-applied-to-stock", "estimates-definitions", "unodc-2019-2020-fixed-panel",
    "unodc-2019-2022-fixed-panel", "detections-as-prevalence",
)

__all__ = ["CANNOT_TEST", "CHECK_IDS", "CONSISTENT", "CONTRADICT", "LARGER", "NOT_SUPPORTED", "PARTIAL", "SMALLER",
           "UNTESTABLE", "VERDICTS", "ClaimCheck", "ClaimsAnalysis", "analyse", "claim_tests", "counts_sentence",
           "finalise", "summary_table", "untestable_check"]


def claim_tests(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per (claim_id, test_id) from the register's ``tests`` column (';'-separated).

    ``untestable`` (:data:`~critique.methods.claims.rules.UNTESTABLE`) declares a claim that no count of
    the same definition can test; it must stand alone and the row's ``note`` must say why. Raises
    DataError naming the claim for an empty test list, a test id the suite does not have, or an
    ``untestable`` row without a note.
    """
    rows = []
    for rec in claims.itertuples():
        tests = [t.strip() for t in str(rec.tests).split(";") if t.strip()]
        if not tests:
            raise DataError(f"claims: claim {rec.claim_id!r} lists no test")
        if UNTESTABLE in tests:
            note = getattr(rec, "note", None)
            if len(tests) > 1 or not isinstance(note, str) or not note.strip():
                raise DataError(f"claims: claim {rec.claim_id!r} is declared {UNTESTABLE!r}: that must be its only test, "
                                "and its note must say why no count of the same definition exists")
        for t in tests:
            if t not in CHECK_IDS and t != UNTESTABLE:
                raise DataError(f"claims: claim {rec.claim_id!r} names test {t!r}, which critique.methods.claims does not have "
                                f"(known: {', '.join(CHECK_IDS)}, or {UNTESTABLE!r} for a claim no data can test)")
            rows.append({"claim_id": rec.claim_id, "test_id": t})
    return pd.DataFrame(rows, columns=["claim_id", "test_id"])


def untestable_check(row: Mapping[str, Any]) -> ClaimCheck:
    """The "cannot test" result of a register row declared untestable: its reason is the row's note."""
    read = _("claims register row {claim_id} [{grade}]", claim_id=row["claim_id"], grade=row["verification"])
    reason = _("The register declares that no count of the same definition exists: {note} (read: {read}).",
               note=str(row["note"]).strip().rstrip("."), read=read)
    return ClaimCheck(UNTESTABLE, str(row["claim_id"]), CANNOT_TEST, reason, datasets=("claims",), read=(read,))


def finalise(checks: Iterable[ClaimCheck], claims: pd.DataFrame) -> list[ClaimCheck]:
    """Match results to the register by ``(claim_id, test_id)``, add declared "cannot test" rows, cap.

    Every (claim, test) pair in the register must have exactly one result for that claim and that
    check: a register row that names a check written for another claim is refused (it would
    otherwise inherit that claim's verdict and reason), and so is a result the register does not
    list. Returns the checks in register order, capped by
    :func:`critique.methods.claims.verdict.cap_unverified` with the claim row's verification status.
    """
    pairs = claim_tests(claims)
    reg = claims.set_index("claim_id")
    by_key: dict[tuple[str, str], ClaimCheck] = {}
    for c in checks:
        if c.key in by_key:
            raise DataError(f"claims: two results for claim {c.claim_id!r} and test {c.test_id!r}")
        by_key[c.key] = c
    for rec in pairs[pairs["test_id"] == UNTESTABLE].itertuples():
        by_key[(rec.claim_id, UNTESTABLE)] = untestable_check(reg.loc[rec.claim_id].to_dict() | {"claim_id": rec.claim_id})
    wanted = list(zip(pairs["claim_id"], pairs["test_id"]))
    missing = [k for k in wanted if k not in by_key]
    extra = [k for k in by_key if k not in set(wanted)]
    if missing or extra:
        owner = {c.test_id: c.claim_id for c in by_key.values()}
        hints = [f"claim {cl!r} names test {t!r}, which answers claim {owner[t]!r}" for cl, t in missing if t in owner]
        raise DataError("claims: results missing for " + (", ".join(f"{cl}/{t}" for cl, t in missing) or "none")
                        + "; results not in the register: " + (", ".join(f"{cl}/{t}" for cl, t in extra) or "none")
                        + (f" ({'; '.join(hints)}: a check's verdict is never inherited; give the claim its own check "
                           f"or declare it {UNTESTABLE!r})" if hints else ""))
    return [cap_unverified(by_key[k], str(reg.loc[k[0], "verification"])) for k in wanted]


def summary_table(checks: Iterable[ClaimCheck], claims: pd.DataFrame) -> pd.DataFrame:
    """One row per check: claim, claimant, date, the claim row's verification (marked), verdict, reason.

    A claim read in no stored source is marked "UNVERIFIED" in the ``claim`` column so that it is
    never shown as established. ``verdict`` is the word shown to readers
    (:attr:`ClaimCheck.shown`), with "(capped: unverified input)" when the cap applied.
    """
    reg = claims.set_index("claim_id")
    rows = []
    for c in checks:
        row = reg.loc[c.claim_id]
        unverified = row["verification"] == "unverified"
        rows.append({"claim_id": c.claim_id, "label": _("UNVERIFIED: {text}", text=row.get("label", c.claim_id))
                     if unverified else str(row.get("label", c.claim_id)),
                     "claim": _("UNVERIFIED: {text}", text=row["claim"]) if unverified else str(row["claim"]),
                     "claimant": row["claimant"], "date": row["date"], "claim_read_in": _(str(row["verification"])),
                     "test": c.test_id, "word": c.verdict,
                     "verdict": _("{verdict} (capped: unverified input)", verdict=c.shown) if c.capped else c.shown,
                     "reason": c.reason, "capped": bool(c.capped)})
    return pd.DataFrame(rows)


from critique.methods.claims.analysis import ClaimsAnalysis, analyse  # noqa: E402  (analysis uses the names above)
