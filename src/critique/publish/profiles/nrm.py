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
from critique.core.errors import ParameterError
from critique.datasets import nrm_responders, publisher_caveats
from critique.methods.identification import summary as nrm_summary
from critique.methods.identification.decisions import TEST_CHANGES

UK = "GBR"
AGE_NAMES = {"adult": "adults", "child": "children", "all": "all ages"}


@dataclass
class NrmSection:
    """What the profile shows for GBR: markdown (heading, sentences, source) and two small tables."""

    markdown: str
    tables: list[pd.DataFrame] = field(default_factory=list)
    findings: dict[str, Any] = field(default_factory=dict)


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def section_tables(s: nrm_summary.UkSummary) -> list[pd.DataFrame]:
    """Referrals per year (one row) and the positive reasonable-grounds shares by age, as reader text."""
    years = s.yearly.set_index("year")["referrals"].map(lambda v: f"{v:,}").to_frame().T
    years.index = ["referrals of potential victims"]
    years.columns.name = "year"
    before = f"{s.first_year}-{s.test_year - 1}, lowest-highest year"
    shares = pd.DataFrame({
        "age": [AGE_NAMES[a] for a in s.decisions["age"]],
        before: [f"{_percent(lo)}-{_percent(hi)}" for lo, hi in zip(s.decisions["before_low"], s.decisions["before_high"])],
        str(s.test_year): [_percent(v) for v in s.decisions["after"]],
    }).set_index("age")
    shares.columns.name = "positive share of reasonable-grounds decisions"
    return [years, shares]


def section_markdown(s: nrm_summary.UkSummary, sources: list[str]) -> str:
    """Heading, the three sentences and the sources (each naming its release)."""
    return ("## The UK National Referral Mechanism (Home Office)\n\n"
            + "\n\n".join(s.sentences)
            + "\n\nSources: " + "; ".join(sources) + ".")


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
        return NrmSection("## The UK National Referral Mechanism (Home Office)\n\nThe suite's NRM tables were "
                          f"published after this edition ({edition}), so it has no NRM section.")
    caveats = datasets.load("publisher-caveats")
    said = publisher_caveats.caveat_row(caveats, "ho-nrm-rg-test")
    test_year = int(TEST_CHANGES[0].quarter.year)
    s = nrm_summary.uk_summary(referral_table=referral_table, reasonable=reasonable,
                               first_responders=first_responders, test_year=test_year, publisher_quote=str(said["quote"]))
    releases = first_responders.attrs.get("releases", [])
    sources = [datasets.source_line("nrm-referrals"), datasets.source_line("nrm-reasonable-grounds"),
               f"first-responder tables: each quarter's own Home Office release, as re-shaped by the British Red Cross "
               f"asylum R package [{releases[0]} to {releases[-1]}]" if releases else "first-responder tables",
               f"the Home Office's words on the new test: {said['citation']} ({said['verification']})"]
    found = dict(s.findings, releases=[datasets.release_read("nrm-referrals"),
                                       datasets.release_read("nrm-reasonable-grounds"), *releases])
    return NrmSection(section_markdown(s, sources), section_tables(s), found)
