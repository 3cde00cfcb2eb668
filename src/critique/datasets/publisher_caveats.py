"""What publishers say about their own counts, as caption text ("what the publisher itself says").

The quotes live in the typed table ``publisher-caveats`` (``data/published/publisher_caveats.csv``):
one row per statement, with its citation, the address where it was read and a verification grade
(primary: read on the publisher's own site; secondary: read in a copy, an extract or a report of
it). :func:`publisher_says` turns one row into a caption sentence that carries the grade, and refuses
an unverified row, so an unchecked quote is never shown as established.
"""
from __future__ import annotations

import pandas as pd

from critique.core.errors import DataError
from critique.core.i18n import N_, _

TABLE = "publisher-caveats"
GRADE_WORDS = {"primary": N_("read on its own site"), "secondary": N_("read in a secondary copy")}


def caveat_row(caveats: pd.DataFrame, caveat_id: str) -> pd.Series:
    """The row of ``caveat_id`` in the ``publisher-caveats`` table.

    ``caveats``: the loaded table (caveat_id, publisher, quote, citation, source_url, verification,
    ...). Raises DataError naming the id and the ids there are when it is absent, and for an
    ``unverified`` row (never shown as established).
    """
    rows = caveats[caveats["caveat_id"].astype(str).eq(caveat_id)]
    if rows.empty:
        known = ", ".join(sorted(caveats["caveat_id"].astype(str)))
        raise DataError(f"{TABLE}: no caveat_id {caveat_id!r} (the table has: {known})")
    row = rows.iloc[0]
    if str(row["verification"]) not in GRADE_WORDS:
        raise DataError(f"{TABLE}: caveat_id {caveat_id!r} is {row['verification']!r}; "
                        "only a primary or secondary quote is shown to readers")
    return row


def publisher_says(caveats: pd.DataFrame, caveat_id: str, *, lead: str = N_("What the publisher itself says")) -> str:
    """One caption sentence: ``What the publisher itself says: "<quote>" (<publisher>; <grade words>).``

    The citation is not repeated in full (the table and the page's data list carry it); the grade
    words say whether the quote was read on the publisher's own site or in a secondary copy.
    ``lead`` replaces the opening words (for a regulator: "What the statistics regulator says").
    Raises DataError as :func:`caveat_row`.
    """
    row = caveat_row(caveats, caveat_id)
    quote = str(row["quote"]).strip()
    return _('{lead}: "{quote}" ({publisher}; {how}).', lead=_(lead), quote=quote, publisher=row["publisher"],
             how=_(GRADE_WORDS[str(row["verification"])]))
