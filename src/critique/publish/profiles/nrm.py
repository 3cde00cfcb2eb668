"""The UK National Referral Mechanism section of a country profile: for GBR only, nothing for others.

:func:`uk_nrm` loads the Home Office's NRM tables (referrals, reasonable-grounds decisions and the
quarterly first-responder tables) and the publisher-caveats table, and builds the section through
``critique.methods.identification.summary.uk_summary``: referrals per year, the positive share of
reasonable-grounds decisions by age before and in the year the legal test changed (with the Home
Office's own "likely"), and who made the referrals. Every other country gets ``None`` and the
profile shows nothing; the data are not even loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from critique import datasets
from critique.core import i18n
from critique.core.errors import ParameterError
from critique.core.i18n import N_, _
from critique.datasets import nrm_responders, publisher_caveats
from critique.methods.identification import summary as nrm_summary
from critique.methods.identification.decisions import TEST_CHANGES

UK = "GBR"
AGE_NAMES = {"adult": N_("adults"), "child": N_("children"), "all": N_("all ages")}
HEADING = N_("The UK National Referral Mechanism (Home Office)")


@dataclass
class NrmSection:
    """What the profile shows for GBR: markdown (heading, sentences, source) and two small tables."""

    markdown: str
    tables: list[pd.DataFrame] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)


def _percent(value: float) -> str:
    if i18n.current() == i18n.DEFAULT:
        return f"{100 * value:.0f}%"
    return i18n.format_locale("{v:.0%}", {"v": value})


def section_tables(s: nrm_summary.UkSummary) -> list[pd.DataFrame]:
    """Referrals per year (one row) and the positive reasonable-grounds shares by age, as reader text."""
    years = s.yearly.set_index("year")["referrals"].map(
        lambda v: i18n.format_locale("{v:,}", {"v": v})).to_frame().T
    years.index = [_("referrals of potential victims")]
    years.columns.name = _("year")
    before = _("{first}-{last}, lowest-highest year", first=s.first_year, last=s.test_year - 1)
    age = _("age")
    shares = pd.DataFrame({
        age: [_(AGE_NAMES[a]) for a in s.decisions["age"]],
        before: [f"{_percent(lo)}-{_percent(hi)}" for lo, hi in zip(s.decisions["before_low"], s.decisions["before_high"])],
        str(s.test_year): [_percent(v) for v in s.decisions["after"]],
    }).set_index(age)
    shares.columns.name = _("positive share of reasonable-grounds decisions")
    return [years, shares]


def section_markdown(s: nrm_summary.UkSummary, sources: list[str]) -> str:
    """Heading, the three sentences and the sources (each naming its release)."""
    return ("## " + _(HEADING) + "\n\n"
            + "\n\n".join(s.sentences)
            + "\n\n" + _("Sources: {sources}.", sources="; ".join(sources)))


def uk_nrm(iso3: str, *, edition: str = "newest") -> NrmSection | None:
    """The NRM section for ``iso3`` == ``GBR``; ``None`` for every other code (nothing is loaded).

    For an ``edition`` older than the suite's NRM releases the section says so in one line instead.
    Raises DataError from the loaders for a damaged mirror file.
    """
    if iso3 != UK:
        return None
    try:
        referral_table = datasets.load("nrm-referrals", edition=edition)
        reasonable = datasets.load("nrm-reasonable-grounds", edition=edition)
        first_responders = nrm_responders.load_quarters("nrm-first-responders", edition=edition)
    except ParameterError:
        return NrmSection("## " + _(HEADING) + "\n\n" + _("The suite's NRM tables were published after this "
                                                           "edition ({edition}), so it has no NRM section.",
                                                           edition=edition))
    caveats = datasets.load("publisher-caveats")
    said = publisher_caveats.caveat_row(caveats, "ho-nrm-rg-test")
    test_year = int(TEST_CHANGES[0].quarter.year)
    s = nrm_summary.uk_summary(referral_table=referral_table, reasonable=reasonable,
                               first_responders=first_responders, test_year=test_year, publisher_quote=str(said["quote"]))
    releases = first_responders.attrs.get("releases", [])
    sources = [datasets.source_line("nrm-referrals"), datasets.source_line("nrm-reasonable-grounds"),
               _("first-responder tables: each quarter's own Home Office release, as re-shaped by the British Red "
                 "Cross asylum R package [{first} to {last}]", first=releases[0], last=releases[-1])
               if releases else _("first-responder tables"),
               _("the Home Office's words on the new test: {citation} ({verification})",
                 citation=said["citation"], verification=said["verification"])]
    found = dict(s.findings, releases=[datasets.release_read("nrm-referrals"),
                                       datasets.release_read("nrm-reasonable-grounds"), *releases])
    return NrmSection(section_markdown(s, sources), section_tables(s), found)
