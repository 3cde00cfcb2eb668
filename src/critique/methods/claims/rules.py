"""Reading rules of the claims register: the verdict vocabulary and one rule for each word.

A check (``critique.methods.claims.cited``, ``detected``, ``reports``, ``shares``) does not choose its verdict
by hand. It describes what it compared as a :class:`Basis` (is there a count of the same definition
as the claim? does it cover the claim's whole scope? the claimed and the observed figure, the
tolerance, whether the claim is a change with a direction or a level) and :func:`verdict` applies
the rules below, in this order:

1. **"the data cannot test it"** (:data:`CANNOT_TEST`) whenever no count of the same definition as
   the claim exists (detections read as prevalence, arrests read as trafficking, reports read as
   victims, a forecast against counts of something else). The reason still gives the figures that
   exist, for scale.
2. Otherwise the claimed figure is compared with the observed interval ``[low, high]``
   (:func:`compare`):

   - **"consistent with the data"** (:data:`CONSISTENT`): the interval overlaps
     ``[claimed - tolerance, claimed + tolerance]``;
   - a *change* (a signed percent change; the sign is the claim's direction) is read asymmetrically:
     **"the data show a larger change than claimed"** (:data:`LARGER`) when the whole interval lies
     beyond the claim, in the claim's direction, by more than the tolerance (not a refutation);
     **"the data contradict it"** (:data:`CONTRADICT`) when the whole interval lies on the other
     side of zero (a change in the opposite direction); otherwise **"the data show a smaller change
     than claimed"** (:data:`SMALLER`: the claimed direction or no change, short of the claim);
   - a *level* (a share or a number stated as fact) outside the tolerance on either side:
     **"the data contradict it"**.
3. **"tested on part of the claim's scope"** (:data:`PARTIAL`) replaces the word of rule 2 when
   the data cover only part of what the claim is about (one city of a national claim, one year of
   a trend, fewer countries than the figure claimed, one of two things the claim says); what the
   part shows is kept in :attr:`Verdict.on_part` and said in the reason.
4. **"not supported by the data cited"** (:data:`NOT_SUPPORTED`) only through :func:`cap`: a
   "contradict" that rests on the claim's own wording or on a figure marked ``unverified`` is
   shown as not supported, never as contradicted.

Each rule is tested on both sides of its boundary in ``tests/test_claims.py``. A claim the register
declares untestable (``tests`` = :data:`UNTESTABLE`) gets :data:`CANNOT_TEST` without code
(``critique.methods.claims.finalise``).
"""
from __future__ import annotations

import math
from typing import Iterable
from dataclasses import dataclass

from critique.core.errors import ParameterError
from critique.core.i18n import N_, _

# The words stay English here (findings keys and tests compare them); N_ marks them for the
# message catalogue, and the reader's pages translate them where they are shown.
CONTRADICT = N_("the data contradict it")
NOT_SUPPORTED = N_("not supported by the data cited")
SMALLER = N_("the data show a smaller change than claimed")
PARTIAL = N_("tested on part of the claim's scope")
LARGER = N_("the data show a larger change than claimed")
CONSISTENT = N_("consistent with the data")
CANNOT_TEST = N_("the data cannot test it")
#: the fixed vocabulary, from the reading most against the claim to no reading at all
VERDICTS = (CONTRADICT, NOT_SUPPORTED, SMALLER, PARTIAL, LARGER, CONSISTENT, CANNOT_TEST)
#: the register's ``tests`` value for a claim declared untestable without code
UNTESTABLE = "untestable"
KINDS = ("change", "level")


@dataclass(frozen=True)
class Basis:
    """What a check compared, in the terms the rules read.

    ``same_definition``: a count of what the claim is about exists (False: rule 1).
    ``part``: ``None`` when the data cover the claim's whole scope, else a short phrase naming the
    part they cover ("Stockholm only", "35 of the 155 countries"; rule 3).
    ``claimed``: the claimed figure (percent change for ``kind="change"``, its sign the direction).
    ``observed``: ``(low, high)`` bounds of the same figure in the data (equal for a point).
    ``tolerance``: how far (same unit) the data may lie from the claim and still be consistent.
    """

    same_definition: bool
    claimed: float | None = None
    observed: tuple[float, float] | None = None
    tolerance: float = 0.0
    kind: str = "change"
    part: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A verdict word and, for :data:`PARTIAL`, what the part of the scope shows."""

    word: str
    on_part: str | None = None


def compare(claimed: float, observed: tuple[float, float], *, tolerance: float = 0.0, kind: str = "change") -> str:
    """Rule 2: the word for a claimed figure against an observed interval of the same definition.

    ``kind="change"`` is directional (the sign of ``claimed``); a claimed change of 0 is read as a
    level. Examples, tolerance 5: claimed +25 against (35, 35) gives :data:`LARGER`; against
    (28, 29) :data:`CONSISTENT`; against (5, 12) :data:`SMALLER`; against (-3, 2) :data:`SMALLER`;
    against (-9, -2) :data:`CONTRADICT`. Claimed 80 as a level against (43, 68) gives
    :data:`CONTRADICT`. Raises ParameterError for an unknown kind, a negative tolerance or a
    non-finite number.
    """
    if kind not in KINDS:
        raise ParameterError(f"kind={kind!r}: choose one of {', '.join(KINDS)}")
    lo, hi = sorted(float(v) for v in observed)
    values = (float(claimed), lo, hi, float(tolerance))
    if not all(math.isfinite(v) for v in values):
        raise ParameterError(f"compare: claimed {claimed!r}, observed {observed!r}, tolerance {tolerance!r} must be finite")
    if tolerance < 0:
        raise ParameterError(f"tolerance={tolerance!r} must not be negative")
    if hi >= claimed - tolerance and lo <= claimed + tolerance:
        return CONSISTENT
    if kind == "level" or claimed == 0:
        return CONTRADICT
    d = 1.0 if claimed > 0 else -1.0
    near, far = sorted((d * lo, d * hi))  # the interval measured in the claim's direction
    if near > d * claimed + tolerance:
        return LARGER
    if far < 0:
        return CONTRADICT
    return SMALLER


def verdict(basis: Basis) -> Verdict:
    """Rules 1-3 (module docstring) applied to ``basis``.

    Raises ParameterError when a basis of the same definition lacks the claimed or observed figure.
    """
    if not basis.same_definition:
        return Verdict(CANNOT_TEST)
    if basis.claimed is None or basis.observed is None:
        raise ParameterError("a basis with a count of the same definition needs claimed and observed figures")
    word = compare(basis.claimed, basis.observed, tolerance=basis.tolerance, kind=basis.kind)
    if basis.part:
        return Verdict(PARTIAL, word)
    return Verdict(word)


def cap(word: str, unverified: list[str]) -> str:
    """Rule 4: :data:`CONTRADICT` resting on any unverified input becomes :data:`NOT_SUPPORTED`."""
    return NOT_SUPPORTED if word == CONTRADICT and unverified else word


#: what a part of the scope shows, in words that do not speak for the whole claim
ON_PART = {CONTRADICT: N_("figures at odds with the claim beyond its tolerance (for that part only)"),
           NOT_SUPPORTED: N_("not supported by figures some of which are unverified"),
           SMALLER: N_("a smaller change than claimed"),
           LARGER: N_("a larger change than claimed"), CONSISTENT: N_("consistent with the claim")}


def phrase(v: Verdict) -> str:
    """The verdict as shown to a reader: the word, and for a partial test what the part shows.

    ``Verdict(PARTIAL, SMALLER)`` reads "tested on part of the claim's scope; on that part, a
    smaller change than claimed" (:data:`ON_PART`): a part never contradicts or confirms the whole.
    """
    if v.on_part is None:
        return _(v.word)
    return _("{verdict}; on that part, {on_part}", verdict=_(v.word), on_part=_(ON_PART[v.on_part]))


def counts_sentence(counts: dict[str, int], *, n_checks: int, n_claims: int) -> str:
    """One sentence counting checks by verdict, in vocabulary order, leaving out words with none.

    Raises ParameterError when the counts do not add up to ``n_checks`` or name an unknown word.
    """
    unknown = [k for k in counts if k not in VERDICTS]
    if unknown:
        raise ParameterError(f"counts: {unknown[0]!r} is not a verdict of the vocabulary")
    if sum(counts.values()) != n_checks:
        raise ParameterError(f"counts add up to {sum(counts.values())}, not to the {n_checks} checks")
    parts = [_("{n} '{verdict}'", n=counts[w], verdict=_(w)) for w in VERDICTS if counts.get(w)]
    return _("Of {n_checks} checks of {n_claims} circulating claims, {counts}.", n_checks=n_checks,
             n_claims=n_claims, counts=_(", ").join(parts))



#: how a source of each verification grade was read, in a reader's words
GRADE_WORDS = {"primary": "read in the publishers' own documents", "secondary": "read in secondary copies",
               "unverified": "unverified"}


def sources_sentence(read: Iterable[str], claim_verification: str) -> str:
    """How a check's sources were read, in a reader's words: "the claim and all 4 documents it was
    checked against were read in secondary copies", or the counts by grade when they differ.

    ``read``: :attr:`~critique.methods.claims.verdict.ClaimCheck.read`, each a document ending with its
    weakest grade in brackets (``"GAO-21-385 [secondary]"``); a document without a grade is a data release
    read from the publisher's own file (primary). ``claim_verification``: the register row's grade (how
    the claim itself was read). Raises ParameterError on a grade outside primary / secondary / unverified.
    """
    import re

    grades = []
    for item in read:
        m = re.search(r"\[([a-z, ]+)\]\s*$", str(item))
        grades.append(m.group(1).split(",")[-1].strip() if m else "primary")
    bad = [g for g in grades + [claim_verification] if g not in GRADE_WORDS]
    if bad:
        raise ParameterError(f"sources: grade {bad[0]!r} is not primary, secondary or unverified")
    n = len(grades)
    g = claim_verification
    if set(grades) == {g}:  # one sentence per grade: the words agree with "claim" and "documents" in every language
        return _(ALL_READ[g], n=n) if n >= 2 else _(ONE_READ[g], n=n) if n == 1 else _(NONE_READ[g], n=n)
    counts = _(", ").join(_(COUNT_READ[h], n=grades.count(h)) for h in GRADE_WORDS if grades.count(h))
    return _((CLAIM_READ_ONE if n == 1 else CLAIM_READ_MANY)[g], n=n, counts=counts)


# The sentences of :func:`sources_sentence`, whole, one per grade (English: the GRADE_WORDS above).
ALL_READ = {"primary": N_("the claim and all {n} documents it was checked against were read in the publishers' own documents"),
            "secondary": N_("the claim and all {n} documents it was checked against were read in secondary copies"),
            "unverified": N_("the claim and all {n} documents it was checked against were unverified")}
ONE_READ = {"primary": N_("the claim and the {n} document it was checked against were read in the publishers' own documents"),
            "secondary": N_("the claim and the {n} document it was checked against were read in secondary copies"),
            "unverified": N_("the claim and the {n} document it was checked against were unverified")}
NONE_READ = {"primary": N_("the claim and the {n} documents it was checked against were read in the publishers' own documents"),
             "secondary": N_("the claim and the {n} documents it was checked against were read in secondary copies"),
             "unverified": N_("the claim and the {n} documents it was checked against were unverified")}
COUNT_READ = {"primary": N_("{n} read in the publishers' own documents"), "secondary": N_("{n} read in secondary copies"),
              "unverified": N_("{n} unverified")}
CLAIM_READ_ONE = {
    "primary": N_("the claim was read in the publishers' own documents; of the {n} document it was checked against, {counts}"),
    "secondary": N_("the claim was read in secondary copies; of the {n} document it was checked against, {counts}"),
    "unverified": N_("the claim was unverified; of the {n} document it was checked against, {counts}")}
CLAIM_READ_MANY = {
    "primary": N_("the claim was read in the publishers' own documents; of the {n} documents it was checked against, {counts}"),
    "secondary": N_("the claim was read in secondary copies; of the {n} documents it was checked against, {counts}"),
    "unverified": N_("the claim was unverified; of the {n} documents it was checked against, {counts}")}
