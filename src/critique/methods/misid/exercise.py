"""Workshop exercise 2 ("167 victims identified"): the raid follow-up studies, their findings and the
numbers the facilitator's answer quotes, from the ``raid-outcomes`` table (tested in ``tests/test_misid.py``)."""
from __future__ import annotations
from critique.core import i18n

from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from critique.core.errors import DataError

Recorder = Callable[[str, Any, "str | None"], Any]
TABLE_COLUMNS = ["id", "what_was_counted", "measures", "numerator", "denominator", "verification"]
NEEDED = ("pentameter2-convictions", "pentameter2-arrests", "sangram-voluntary", "vera-tvit-screening")


@dataclass
class RescueExercise:
    """Exercise 2's data (``table``: established rows with a numerator and denominator, and
    ``share``), its findings and the numbers the facilitator's answer quotes (each from the table:
    ``numbers[id] = (numerator, denominator, verification)``)."""

    table: pd.DataFrame
    numbers: dict[str, tuple[int, int, str]]
    _findings: list[tuple[str, Any, str | None]] = field(default_factory=list, repr=False)
    _answer_findings: list[tuple[str, Any, str | None]] = field(default_factory=list, repr=False)

    def record(self, record: Recorder, *, answers: bool = False) -> None:
        """Record the question findings, and with ``answers=True`` the answer findings."""
        for key, value, note in (self._answer_findings if answers else self._findings):
            record(key, value, note)

    def caption(self) -> dict[str, Any]:
        return dict(title=i18n._("What follow-ups of raids found"),
                    description=i18n._("For each raid study, a follow-up count as a share of what the raid counted; "
                                       "each bar measures a different thing."),
                    datasets=["raid-outcomes"], n=i18n._("{n} study figures", n=len(self.table)),
                    data=self.table[["id", "measures", "numerator", "denominator", "share"]])


def victims_rescued(outcomes: pd.DataFrame) -> RescueExercise:
    """Exercise 2 from ``raid-outcomes`` (unverified rows left out, as ``published.established`` does).

    Raises :class:`critique.core.errors.DataError` naming the row when a row the answer needs is missing.
    """
    R = outcomes.loc[outcomes["verification"].isin(["primary", "secondary"])]
    R = R.dropna(subset=["numerator", "denominator"]).copy()
    missing = [i for i in NEEDED if i not in set(R["id"])]
    if missing:
        raise DataError(f"raid-outcomes: column 'id': established row(s) {missing} needed by exercise 2 are missing")
    R["share"] = R["numerator"].astype(float) / R["denominator"].astype(float)
    by = R.set_index("id")
    num = lambda i: int(by.loc[i, "numerator"])  # noqa: E731
    den = lambda i: int(by.loc[i, "denominator"])  # noqa: E731
    numbers = {i: (num(i), den(i), str(by.loc[i, "verification"])) for i in NEEDED}
    sang = by.loc["sangram-voluntary"]
    return RescueExercise(
        table=R.reset_index(drop=True), numbers=numbers,
        _findings=[("rows", len(R), None),
                   ("pentameter2_victims", den("pentameter2-convictions"), "Home Office press release 124/2008")],
        _answer_findings=[("pentameter2_convictions", num("pentameter2-convictions"), None),
                          ("sangram_share", round(float(sang["numerator"] / sang["denominator"]), 3), None)])
