"""The data's own category words a reader sees inside the methods' sentences and tables, marked for the
message catalogue (issue 26). Code compares the English values; :func:`term` translates one where a
reader sees it and leaves any other value (a year, a country name, a code) as it is."""
from __future__ import annotations

from critique.core.i18n import N_, _

#: UNODC's forms of exploitation and the other category words the methods print
TERMS = frozenset({
    N_("Sexual exploitation"), N_("Forced labour"), N_("Other forms of exploitation"), N_("Total"),
    N_("Sexual"), N_("Labour"), N_("Other"), N_("Not recorded"), N_("Unknown"),
    N_("older"), N_("newer"),
})


def term(value: object) -> str:
    """``value`` in the reader's language when it is one of :data:`TERMS`, else ``str(value)``."""
    text = str(value)
    return _(text) if text in TERMS else text


def lower(value: object) -> str:
    """:func:`term` in lower case (inside a sentence)."""
    return term(value).lower()
