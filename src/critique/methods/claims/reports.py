"""Claim checks on NCMEC CyberTipline report counts (``ncmec-reports``, ``ncmec-report-contents``).

Reports are not victims: one incident can yield many reports, and most reports come from
platforms' automated detection, so a rise in reports follows how much platforms scan and report.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from critique.methods.claims.verdict import Basis, ClaimCheck, judged, named, pct
from critique.datasets.ncmec import CHILD_SEX_TRAFFICKING, incident_series
from critique.core.errors import ParameterError
from critique.core.i18n import _


def annual_change(reports: pd.DataFrame) -> pd.Series:
    """Percent change in reports on the year before, indexed by year (first year missing)."""
    s = reports.set_index("year")["reports"].sort_index().astype(float)
    return (100 * (s / s.shift(1) - 1)).rename("change_pct")


def check_ncmec_covid(reports: pd.DataFrame, contents: pd.DataFrame, *, event_year: int = 2020,
                      baseline_years: int = 10) -> ClaimCheck:
    """Claim ``covid-online``: do CyberTipline counts show the pandemic's effect on online exploitation?

    Compares the change in total reports into ``event_year`` with the annual changes of the
    ``baseline_years`` before it, and reports when the 'child sex trafficking' incident type starts.
    The data cannot test the claim: they count reports (driven by platform detection), and the
    incident-type series has no year before ``event_year`` when it starts there or later.
    """
    if baseline_years < 2:
        raise ParameterError(f"baseline_years = {baseline_years}: at least 2 earlier years are needed")
    change = annual_change(reports)
    if event_year not in change.index or event_year - baseline_years - 1 < int(change.index.min()):
        raise ParameterError(f"event_year {event_year} with baseline_years {baseline_years} needs report counts "
                             f"from {event_year - baseline_years - 1} (data: {change.index.min()}..{change.index.max()})")
    base = change.loc[event_year - baseline_years:event_year - 1]
    at = float(change.loc[event_year])
    cst = incident_series(contents, *CHILD_SEX_TRAFFICKING)
    first_cst = int(cst.index.min())
    inside = base.min() <= at <= base.max()
    read = tuple(dict.fromkeys(str(f.attrs.get("release", name)) for f, name in
                               ((reports, "ncmec-reports"), (contents, "ncmec-report-contents"))))
    values = dict(change=pct(at), year=event_year, n_years=baseline_years, low=pct(base.min()), high=pct(base.max()),
                  median=pct(float(np.median(base))), first=first_cst, first_reports=int(cst.iloc[0]),
                  when=_("with no year before the pandemic") if first_cst >= event_year else _("before the event year"))
    if inside:
        text = _("CyberTipline reports rose {change} into {year}, within the range of the {n_years} years before ({low} to "
                 "{high}, median {median}); they count reports, which follow platforms' detection, not victims, and the "
                 "'child sex trafficking' type starts in {first} ({first_reports:,} reports), {when}.", **values)
    else:
        text = _("CyberTipline reports rose {change} into {year}, outside the range of the {n_years} years before ({low} to "
                 "{high}, median {median}); they count reports, which follow platforms' detection, not victims, and the "
                 "'child sex trafficking' type starts in {first} ({first_reports:,} reports), {when}.", **values)
    reason = named(text, read)
    numbers = {"event_year": event_year, "event_change_pct": at, "baseline_min_pct": float(base.min()),
               "baseline_max_pct": float(base.max()), "baseline_median_pct": float(np.median(base)),
               "child_sex_trafficking": {int(k): int(v) for k, v in cst.items()}, "child_sex_trafficking_first_year": first_cst}
    data = reports.set_index("year").join(change).join(cst.rename("child_sex_trafficking_reports"))
    return judged("ncmec-covid-reports", "covid-online", Basis(same_definition=False), reason, numbers=numbers,
                  datasets=("ncmec-reports", "ncmec-report-contents"), data=data, read=read)
