"""The result of one claim check, the cited figures it reads, and the rule for unverified inputs.

A *check* sets one circulating claim against the data that could test it and returns a
:class:`ClaimCheck`: the numbers it computed, one verdict from the fixed vocabulary
(:mod:`critique.methods.claims.rules`, where each word has its rule), and a one-sentence reason built from
those numbers (never typed by hand) that names the releases and documents it read.

An unverified claim row, or an unverified figure that a check relies on, can never drive
"the data contradict it": :func:`cap_unverified` turns such a verdict into "not supported by the
data cited" and says why in the reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable

import pandas as pd

from critique.methods.claims.rules import (CANNOT_TEST, CONSISTENT, CONTRADICT, LARGER, NOT_SUPPORTED, PARTIAL, SMALLER,
                                   VERDICTS, Basis, Verdict, cap, phrase, verdict)
from critique.core.errors import DataError, ParameterError
from critique.core.i18n import _

__all__ = ["CANNOT_TEST", "CONSISTENT", "CONTRADICT", "LARGER", "NOT_SUPPORTED", "PARTIAL", "SMALLER", "VERDICTS",
           "Basis", "ClaimCheck", "Figure", "cap_unverified", "check_tolerance", "distance", "figure", "figures",
           "judged", "named", "pct", "pct_range", "read_of", "verdict", "within"]


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

    ``verdict`` is a word of :data:`~critique.methods.claims.rules.VERDICTS`; ``on_part`` is, for a partial
    test, the word for what the part shows. ``read`` names every release or document the check
    read, and each must appear in ``reason`` (every reason names what it read). ``numbers`` holds
    plain numbers (or short lists) keyed by name; ``evidence`` maps each cited figure used to its
    verification status; ``datasets`` names the datasets read; ``data`` is the frame behind the
    check's chart (saved beside it by ``charts.finalise``).
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
    read: tuple[str, ...] = ()
    on_part: str | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.test_id}: verdict {self.verdict!r} is not one of {VERDICTS}")
        if self.on_part is not None and (self.verdict != PARTIAL or self.on_part not in VERDICTS):
            raise ValueError(f"{self.test_id}: on_part {self.on_part!r} needs verdict {PARTIAL!r} and a word of the vocabulary")
        if not self.reason or "\n" in self.reason:
            raise ValueError(f"{self.test_id}: the reason must be one non-empty line")
        if not self.read:
            raise ValueError(f"{self.test_id}: a check must name the releases or documents it read")
        missing = [r for r in self.read if r not in self.reason]
        if missing:
            raise ValueError(f"{self.test_id}: the reason does not name {missing[0]!r}, which the check read")

    @property
    def key(self) -> tuple[str, str]:
        """``(claim_id, test_id)``: a verdict belongs to one claim and one check."""
        return self.claim_id, self.test_id

    @property
    def shown(self) -> str:
        """The verdict as a reader sees it (:func:`critique.methods.claims.rules.phrase`)."""
        return phrase(Verdict(self.verdict, self.on_part))

    def summary(self) -> dict[str, Any]:
        """What goes into findings.json: verdict, reason, numbers, inputs, whether capped."""
        return {"claim_id": self.claim_id, "verdict": self.verdict, "on_part": self.on_part, "shown": self.shown,
                "reason": self.reason, "read": list(self.read), "numbers": self.numbers, "evidence": self.evidence,
                "datasets": list(self.datasets), "capped": self.capped}


def judged(test_id: str, claim_id: str, basis: Basis, reason: str, **kw: Any) -> ClaimCheck:
    """A :class:`ClaimCheck` whose verdict is the rules' reading of ``basis``
    (:func:`critique.methods.claims.rules.verdict`); ``kw`` passes the other fields."""
    v = verdict(basis)
    return ClaimCheck(test_id, claim_id, v.word, reason, on_part=v.on_part, **kw)


def named(reason: str, read: Iterable[str]) -> str:
    """``reason`` ending with the releases and documents read: ``... (read: A; B).``"""
    items = list(dict.fromkeys(read))
    return _("{reason} (read: {documents}).", reason=reason.rstrip("."), documents="; ".join(items))


def read_of(evidence: pd.DataFrame, ids: Iterable[str]) -> tuple[str, ...]:
    """Short names of the documents behind cited figures, with how they were read.

    The name is a figure's citation up to its first comma (``"GAO-21-385"``), or up to its second
    when the first part is a short publisher name (``"UNODC, Global Report on Trafficking in Persons
    2022"``), cut before an unclosed bracket; a name that starts with another is left out, and each
    carries the weakest verification of its rows: e.g. ``("GAO-21-385 [secondary]",)``.
    """
    order = {"primary": 0, "secondary": 1, "unverified": 2}
    rows = evidence[evidence["evidence_id"].isin(list(ids))]
    names: dict[str, str] = {}
    for cit, ver in zip(rows["citation"].astype(str), rows["verification"].astype(str)):
        parts = [p.strip() for p in cit.split(",")]
        name = parts[0] if len(parts[0]) >= 10 or len(parts) == 1 else f"{parts[0]}, {parts[1]}"
        if name.count("(") > name.count(")"):  # a comma inside brackets: keep what precedes them
            name = name.split(" (")[0]
        names[name] = max(names.get(name, ver), ver, key=lambda v: order.get(v, 3))
    keep = [n for n in names if not any(o != n and n.startswith(o) for o in names)]
    out = []
    for n in keep:
        worst = max((v for m, v in names.items() if m.startswith(n)), key=lambda v: order.get(v, 3))
        out.append(f"{n} [{worst}]")
    return tuple(out)


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
    ``check.evidence`` is ``unverified``; then the verdict becomes NOT_SUPPORTED
    (:func:`critique.methods.claims.rules.cap`) and the reason says which input was unverified.
    """
    unverified = [k for k, v in check.evidence.items() if v == "unverified"]
    if claim_verification == "unverified":
        unverified.insert(0, _("the claim's own wording or attribution"))
    word, part = cap(check.verdict, unverified), check.on_part and cap(check.on_part, unverified)
    if (word, part) == (check.verdict, check.on_part):
        return check
    if len(unverified) == 1:
        reason = _("{reason}; shown as not supported rather than contradicted because {inputs} is unverified.",
                   reason=check.reason.rstrip("."), inputs=unverified[0])
    else:
        reason = _("{reason}; shown as not supported rather than contradicted because {inputs} are unverified.",
                   reason=check.reason.rstrip("."), inputs=_(", ").join(unverified))
    return replace(check, verdict=word, on_part=part, reason=reason, capped=True)


def pct(x: float, signed: bool = True) -> str:
    """A percentage for a reason sentence: ``+28%``, ``-11%`` (``36%`` unsigned), in the reader's
    language (``+28 %`` in French)."""
    return _("{value:+.0f}%", value=x) if signed else _("{value:.0f}%", value=x)


def pct_range(low: float, high: float, signed: bool = True) -> str:
    """``-12%`` when both bounds round alike, else ``-12% to -11%``."""
    a, b = pct(low, signed), pct(high, signed)
    return a if a == b else _("{low} to {high}", low=a, high=b)
