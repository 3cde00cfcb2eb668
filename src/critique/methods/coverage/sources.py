"""Notebook 10's two other detection-based sources in one call each: CTDC case records (how much is
one country, how much has no type; :func:`ctdc_concentration`) and FBI UCR offences against the
agencies with a record (:func:`fbi_agencies`). Small cells are suppressed with
``critique.datasets.privacy.suppress_small`` before anything is shown."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique.methods import coverage as cov
from critique.methods.coverage import influence as inf_
from critique.datasets import privacy
from critique.core.i18n import N_, _

FBI_CAVEAT = N_("The Crime Data Explorer file differs from the FBI's annual tables (2016: 1,280 offences and 593 "
              "cleared in the file; 1,196 and 654 published).")


@dataclass
class CtdcConcentration:
    """CTDC records of the years shown: the top country's share by year, the mix of exploitation
    types with small cells suppressed, and the counts behind them."""

    records: int
    top_country: str | None
    top_share: float
    no_type: float
    no_country: float
    mix: pd.DataFrame          # year x exploitation type, records, suppressed cells NaN
    shares: pd.DataFrame       # the same as % of each year's records
    top_by_year: pd.DataFrame  # year: sum (top country's records), size (all records), shown years only
    suppressed_cells: int
    min_cell: int

    def reading(self) -> str:
        return _("{records:,} CTDC records: {top:.0f}% exploited in {country}; {no_type:.0f}% have no exploitation "
                 "type; {no_country:.0f}% no country of exploitation.", records=self.records,
                 top=100 * self.top_share, country=self.top_country, no_type=100 * self.no_type,
                 no_country=100 * self.no_country)

    def findings(self) -> dict[str, object]:
        return {"ctdc_records": self.records, "ctdc_top_country": self.top_country,
                "ctdc_top_country_share": round(float(self.top_share), 4),
                "ctdc_no_type_share": round(self.no_type, 4), "ctdc_no_country_share": round(self.no_country, 4),
                "ctdc_suppressed_cells": self.suppressed_cells}

    def caption(self) -> dict:
        return dict(title=_("CTDC case records: how much is one country, and how much has no type"),
                    description=_("Left: share of each year's records exploited in {country}. Right: records by "
                                  "exploitation type flags ('Not recorded': no flag set and at least one missing; "
                                  "'Neither': both flags recorded as false, i.e. another form). Cells under "
                                  "{min_cell} records are suppressed (left blank).", country=self.top_country,
                                  min_cell=self.min_cell),
                    datasets=["ctdc-2020"], n=_("{n:,} records", n=self.records), data=self.shares.round(2).reset_index())


def ctdc_concentration(ctdc: pd.DataFrame, years: range | list[int], *, min_cell: int = 10) -> CtdcConcentration:
    """CTDC records (``ctdc-2020`` frame: ``year``, ``exploitation_iso3``, ``exploitation_type``) of
    ``years``. A year's top-country share is kept only when both the top country's and the other
    records reach ``min_cell`` (complementary suppression within a year for the type mix)."""
    ctdc = ctdc.loc[ctdc["year"].isin(list(years))]
    n = len(ctdc)
    by_country = ctdc["exploitation_iso3"].value_counts(dropna=True)
    top = str(by_country.index[0]) if len(by_country) else None
    long = ctdc.groupby(["year", "exploitation_type"]).size().rename("records").reset_index()
    long = privacy.suppress_small(long, "records", min_cell, group_by=["year"])
    mix = long.pivot(index="year", columns="exploitation_type", values="records")
    by_top = ctdc.assign(is_top=ctdc["exploitation_iso3"] == top).groupby("year")["is_top"].agg(["sum", "size"])
    by_top = by_top[(by_top["sum"] >= min_cell) & (by_top["size"] - by_top["sum"] >= min_cell)]
    return CtdcConcentration(
        records=n, top_country=top, top_share=by_country.iloc[0] / n if n else float("nan"),
        no_type=float((ctdc["exploitation_type"] == "Not recorded").mean()) if n else float("nan"),
        no_country=float(ctdc["exploitation_iso3"].isna().mean()) if n else float("nan"),
        mix=mix, shares=mix.astype(float).div(ctdc.groupby("year").size(), axis=0) * 100, top_by_year=by_top,
        suppressed_cells=int(long.attrs["suppressed_cells"]), min_cell=min_cell)


@dataclass
class FbiAgencies:
    """FBI UCR offences on all agencies with a record, per agency, and on a fixed agency panel."""

    years: list[int]
    agencies: pd.Series
    offences: pd.Series
    per_agency: pd.Series
    panel: list[str]
    panel_offences: pd.Series
    window: tuple[int, int]
    influence: inf_.Influence | None
    caveat: str = FBI_CAVEAT

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({_("agencies"): self.agencies, _("offences"): self.offences,
                             _("per agency"): self.per_agency.round(2),
                             _("panel ({n} agencies)", n=len(self.panel)): self.panel_offences.reindex(self.years)})

    def reading(self) -> str:
        a, o, p, y = self.agencies, self.offences, self.per_agency, self.years
        return (_("Agencies with a record: {a_first} in {y_first}, {a_last} in {y_last}; offences {o_first:,} -> "
                  "{o_last:,}; per agency {p_first:.1f} -> {p_last:.1f}; fixed panel of {panel} agencies: "
                  "{panel_first:,} ({w_first}) -> {panel_last:,} ({w_last}).", a_first=a.iloc[0], y_first=y[0],
                  a_last=a.iloc[-1], y_last=y[-1], o_first=o.iloc[0], o_last=o.iloc[-1], p_first=p.iloc[0],
                  p_last=p.iloc[-1], panel=len(self.panel), panel_first=self.panel_offences.get(self.window[0], 0),
                  w_first=self.window[0], panel_last=self.panel_offences.get(self.window[1], 0),
                  w_last=self.window[1])
                + (f" {self.influence.reading()}" if self.influence is not None and self.influence.flagged else ""))

    def findings(self) -> dict[str, object]:
        a, o = self.agencies, self.offences
        return {"fbi_agencies": a.to_dict(), "fbi_offences": o.to_dict(),
                "fbi_offences_per_agency": self.per_agency.round(3).to_dict(),
                "fbi_panel_window": list(self.window), "fbi_panel_size": len(self.panel),
                "fbi_panel_offences": self.panel_offences.to_dict(),
                "fbi_first_year": int(self.years[0]), "fbi_last_year": int(self.years[-1]),
                "fbi_agencies_first": int(a.iloc[0]), "fbi_agencies_last": int(a.iloc[-1]),
                "fbi_offences_first": int(o.iloc[0]), "fbi_offences_last": int(o.iloc[-1])}

    def caption(self) -> dict:
        drive = ([f"{self.influence.reading()}"] if self.influence is not None and self.influence.flagged else [])
        return dict(title=_("FBI UCR human-trafficking offences grow with the number of agencies with a record"),
                    description=_("Left: offences summed over all agencies with at least one record (line), over a fixed "
                                 "panel of agencies (line) and the number of agencies with at least one record (bars). "
                                 "Right: offences per agency with a record."),
                    caveat=[_("An agency appears only in years it recorded a human-trafficking offence; agencies "
                            "recording zero may be missing, so per-agency rates are upper-biased. The fixed panel keeps "
                            "agencies with a record every year: it selects on the outcome."), _(self.caveat)] + drive,
                    datasets=["fbi-ucr-ht"], n=_("{n} agencies at most in one year", n=int(self.agencies.max())),
                    data=self.table().reset_index(names="year"))


def fbi_agencies(fbi: pd.DataFrame, years: range | list[int], *, panel_start: int, panel_end: int,
                 caveat: str = FBI_CAVEAT) -> FbiAgencies:
    """FBI UCR rows (``fbi-ucr-ht``: ``ori``, ``year``, ``actual``) of ``years``; the fixed panel of
    agencies with a record every year ``panel_start``-``panel_end``; how much of the last year's
    offences one agency holds (:func:`critique.methods.coverage.influence.influence`, flagged above a quarter)."""
    fbi = fbi.loc[fbi["year"].isin(list(years))]
    ys = sorted(int(y) for y in fbi["year"].unique())
    agencies = cov.units_reporting(fbi, unit="ori", present="actual")
    offences = fbi.groupby("year")["actual"].sum().reindex(ys)
    panel = cov.fixed_panel(fbi, panel_start, panel_end, unit="ori", present="actual")
    window = [y for y in ys if panel_start <= y <= panel_end]
    panel_off = cov.on_panel(fbi, panel, unit="ori").groupby("year")["actual"].sum().reindex(window, fill_value=0)
    last = fbi.loc[fbi["year"] == ys[-1]] if ys else None
    infl = (inf_.influence(last, "actual", "ori", label=_("FBI UCR offences in {year}", year=ys[-1]))
            if last is not None and last["actual"].sum() else None)
    return FbiAgencies(ys, agencies, offences, cov.per_unit(offences, agencies), panel, panel_off,
                       (panel_start, panel_end), infl, caveat)
