"""The verdict vocabulary, the result of one claim check, and the rule for unverified inputs.

A *check* sets one circulating claim against the data that could test it and returns a
:class:`ClaimCheck`: the numbers it computed, one verdict from the fixed vocabulary
:data:`VERDICTS`, and a one-sentence reason built from those numbers (never typed by hand). The
vocabulary, strongest first:

- ``"the data contradict it"``: verified figures that measure what the claim is about lie outside
  what the claim says;
- ``"not supported by the data cited"``: the figures available (the claim's own, or the published
  follow-ups) do not show what the claim says, but they do not measure it well enough to contradict;
- ``"the data cannot test it"``: no available series measures what the claim is about (for example
  detected-victim counts read as prevalence);
- ``"consistent with the data"``: the figures show what the claim says, within the stated tolerance.

An unverified claim row, or an unverified figure that a check relies on, can never drive
"the data contradict it": :func:`cap_unverified` turns such a verdict into "not supported by the
data cited" and says why in the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import pandas as pd

from critique.errors import DataError, ParameterError

CONTRADICT = "the data contradict it"
NOT_SUPPORTED = "not supported by the data cited"
CANNOT_TEST = "the data cannot test it"
CONSISTENT = "consistent with the data"
VERDICTS = (CONTRADICT, NOT_SUPPORTED, CANNOT_TEST, CONSISTENT)


@dataclass(frozen=True)
class Figure:
    """One cited figure read from the ``claim-evidence`` table."""

    evidence_id: str
    value: float
    unit: str
    verification: str
    citation: str


@dataclass
class ClaimCheck:
    """The outcome of one check: verdict, generated reason, the numbers and what they rest on.

    ``numbers`` holds plain numbers (or short lists) keyed by name; ``evidence`` maps each cited
    figure used to its verification status; ``datasets`` names the datasets read; ``data`` is the
    frame behind the check's chart (saved beside it by ``charts.finalise``).
    """

    test_id: str
    claim_id: str
    verdict: str
    reason: str
    numbers: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    datasets: tuple[str, ...] = ()
    capped: bool = False
    data: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.test_id}: verdict {self.verdict!r} is not one of {VERDICTS}")
        if not self.reason or "\n" in self.reason:
            raise ValueError(f"{self.test_id}: the reason must be one non-empty line")

    def summary(self) -> dict[str, Any]:
        """What goes into findings.json: verdict, reason, numbers, inputs, whether capped."""
        return {"claim_id": self.claim_id, "verdict": self.verdict, "reason": self.reason,
                "numbers": self.numbers, "evidence": self.evidence,
                "datasets": list(self.datasets), "capped": self.capped}


def figure(evidence: pd.DataFrame, evidence_id: str) -> Figure:
    """The row ``evidence_id`` of the ``claim-evidence`` table as a :class:`Figure`.

    Raises DataError naming the id and the known ids when it is absent or repeated.
    """
    rows = evidence[evidence["evidence_id"] == evidence_id]
    if len(rows) != 1:
        known = ", ".join(sorted(evidence["evidence_id"].astype(str)))
        raise DataError(f"claim-evidence: evidence_id {evidence_id!r} found {len(rows)} times "
                        f"(expected once; known ids: {known})")
    row = rows.iloc[0]
    return Figure(evidence_id, float(row["value"]), str(row["unit"]), str(row["verification"]),
                  str(row["citation"]))


def figures(evidence: pd.DataFrame, ids: Iterable[str]) -> tuple[dict[str, Figure], dict[str, str]]:
    """Several figures by id, and the ``{id: verification}`` map a :class:`ClaimCheck` records."""
    got = {i: figure(evidence, i) for i in ids}
    return got, {i: f.verification for i, f in got.items()}


def check_tolerance(tolerance_pp: float) -> float:
    """A tolerance in percentage points must lie in [0, 50]; returns it as float."""
    if not 0 <= float(tolerance_pp) <= 50:
        raise ParameterError(f"tolerance_pp = {tolerance_pp!r}: must lie in 0..50 percentage points")
    return float(tolerance_pp)


def within(low: float, high: float, target: float, tolerance: float) -> bool:
    """True when the interval [low, high] overlaps [target - tolerance, target + tolerance]."""
    lo, hi = min(low, high), max(low, high)
    return hi >= target - tolerance and lo <= target + tolerance


def distance(low: float, high: float, target: float) -> float:
    """Points between the interval [low, high] and ``target`` (0 when the target lies inside)."""
    lo, hi = min(low, high), max(low, high)
    return 0.0 if lo <= target <= hi else min(abs(lo - target), abs(hi - target))


def cap_unverified(check: ClaimCheck, claim_verification: str) -> ClaimCheck:
    """Never let an unverified claim row or unverified figure drive "the data contradict it".

    Returns ``check`` unchanged unless its verdict is CONTRADICT and the claim row or any figure in
    ``check.evidence`` is ``unverified``; then the verdict becomes NOT_SUPPORTED and the reason says
    which input was unverified.
    """
    if check.verdict != CONTRADICT:
        return check
    unverified = [k for k, v in check.evidence.items() if v == "unverified"]
    if claim_verification == "unverified":
        unverified.insert(0, "the claim's own wording or attribution")
    if not unverified:
        return check
    reason = (check.reason.rstrip(".") + f"; shown as not supported rather than contradicted because "
              f"{', '.join(unverified)} {'is' if len(unverified) == 1 else 'are'} unverified.")
    return replace(check, verdict=NOT_SUPPORTED, reason=reason, capped=True)


def pct(x: float, signed: bool = True) -> str:
    """A percentage for a reason sentence: ``+28%``, ``-11%`` (``36%`` unsigned)."""
    return f"{x:+.0f}%" if signed else f"{x:.0f}%"


def pct_range(low: float, high: float, signed: bool = True) -> str:
    """``-12%`` when both bounds round alike, else ``-12% to -11%``."""
    a, b = pct(low, signed), pct(high, signed)
    return a if a == b else f"{a} to {b}"
