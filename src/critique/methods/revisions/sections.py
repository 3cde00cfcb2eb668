"""Notebook 12's two other comparisons in one call each: the TIP report's global law-enforcement
totals as typed in and as tabulated by Kelley & Heiss (:func:`tip_tabulations`, methods in
``critique.methods.tip.sources``), and CTDC's 2020 case records beside its 2022 SYNTHETIC release
(:func:`ctdc_releases`, methods in ``critique.methods.revisions.ctdc``)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique.methods.revisions import ctdc as ctdc_compare
from critique.methods.tip import sources as tip_sources
from critique.core.i18n import N_, _

MAIN_MEASURES = ("prosecutions", "convictions", "victims_identified")
#: the measures as a reader reads them
MEASURE_WORDS = {"prosecutions": N_("prosecutions"), "convictions": N_("convictions"),
                 "victims_identified": N_("victims identified")}


def years_text(years: list[int]) -> str:
    """``[2008, 2010, 2011]`` -> ``"2008, 2010 and 2011"``; ``[]`` -> ``"none"``."""
    y = [str(v) for v in years]
    if not y:
        return _("none")
    return _("{first} and {last}", first=", ".join(y[:-1]), last=y[-1]) if len(y) > 1 else y[0]


@dataclass
class TipTabulations:
    """The filled series, the disagreements and their summary (``critique.methods.tip.sources``)."""

    filled: pd.DataFrame
    disagreements: pd.DataFrame
    agreement: dict
    measure: str

    @property
    def filled_years(self) -> list[int]:
        kh = self.filled[(self.filled["origin"] == tip_sources.KH_ORIGIN) & self.filled["measure"].isin(MAIN_MEASURES)]
        return sorted(int(y) for y in kh["data_year"].unique())

    def reading(self) -> str:
        return _("Years whose prosecutions, convictions or victims come from Kelley & Heiss: {years}.",
                 years=years_text(self.filled_years))

    def findings(self) -> dict[str, object]:
        return {"tip_filled_from_kh": int((self.filled["origin"] == tip_sources.KH_ORIGIN).sum()),
                "tip_filled_years": self.filled_years, "tip_filled_years_text": years_text(self.filled_years),
                "tip_compared": self.agreement["compared"], "tip_disagreements": self.agreement["differ"]}

    def caption(self) -> dict:
        m = _(MEASURE_WORDS.get(self.measure, self.measure.replace("_", " ")))
        return dict(title=_("TIP global {measure}: each year's figure and where it comes from", measure=m),
                    description=_("Global {measure} by data year from the typed-in TIP table (verified rows) and, where "
                                  "it has none, Kelley & Heiss's tabulation; crosses mark years where the two differ.",
                                  measure=m),
                    datasets=["tip-law-enforcement", "tip-law-enforcement-kh"],
                    n=_("{n} data years", n=int((self.filled['measure'] == self.measure).sum())),
                    data=self.filled[self.filled["measure"] == self.measure])


def tip_tabulations(typed: pd.DataFrame, kh: pd.DataFrame, *, measure: str = "prosecutions") -> TipTabulations:
    """``typed``: the ``tip-law-enforcement`` table; ``kh``: ``tip-law-enforcement-kh``."""
    return TipTabulations(tip_sources.fill_gaps(typed, kh), tip_sources.disagreements(typed, kh),
                          tip_sources.agreement_summary(typed, kh), measure)


@dataclass
class CtdcReleases:
    """``critique.methods.revisions.ctdc.side_by_side`` of the 2020 case records and the 2022 synthetic file."""

    table: pd.DataFrame

    def findings(self) -> dict[str, object]:
        return {f"ctdc_sexual_share_{'synthetic' if r.synthetic else 'cases'}_{r.band.replace('-', '_')}":
                None if pd.isna(r.sexual_share) else round(float(r.sexual_share), 3) for r in self.table.itertuples()}

    def caption(self) -> dict:
        return dict(title=_("CTDC: 2020 case records and 2022 SYNTHETIC records, same year bands"),
                    description=_("Shares of records with the sexual-exploitation and forced-labour flags (among records with "
                                 "either) and of female records, by registration band, in CTDC's 2020 case records and its "
                                 "2022 SYNTHETIC victim-perpetrator records."),
                    datasets=["ctdc-2020", "ctdc-synthetic"],
                    caveat=[_("{label} (hatched bars) are generated records, not people.",
                              label=_(ctdc_compare.SYNTHETIC_LABEL)),
                            _("The synthetic file is generated from victim-perpetrator data; it need not describe the "
                              "same records as the 2020 case data.")],
                    n=_("{n:,} records and synthetic records in the shared bands", n=int(self.table['records'].sum())),
                    data=self.table)


def ctdc_releases(cases: pd.DataFrame, synthetic: pd.DataFrame, *, min_cell: int = 10) -> CtdcReleases:
    """``cases``: ``ctdc-2020``; ``synthetic``: ``ctdc-synthetic``; cells under ``min_cell`` suppressed."""
    return CtdcReleases(ctdc_compare.side_by_side(cases, synthetic, min_cell=min_cell))
