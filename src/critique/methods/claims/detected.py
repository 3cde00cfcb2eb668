"""Claim checks on UNODC detected-victim counts: fixed panels, changes, host countries, Sweden.

Inputs are the tidy ``glotip`` frame of one release (``critique.datasets.load("glotip")`` is the
newest; pass the release in ``release`` for the reason sentence). Rows flagged in
``exclude_reason`` (placeholders, duplicate totals, sub-national rows; helper flags of the loader)
are left out; a frame without that column is used whole. Counts published as "<5" are carried as
bounds 0-4 (``value_low``/``value_high``), so every sum and change is an interval.

A *fixed panel* is the set of countries with a published total of detected victims in every year of
a window (Kelley & Heiss's fixed-panel comparison; ``critique.methods.coverage.fixed_panel``): a change on
it is not driven by countries entering or leaving the data, though it still moves with how much
each country detects.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique.methods import coverage
from critique.datasets import glotip_rules
from critique.methods.claims.verdict import (Basis, ClaimCheck, check_tolerance, distance, figure, judged, named,
                                     pct_range, read_of)
from critique.core.errors import DataError, ParameterError
from critique.core.i18n import _

VICTIMS = coverage.GLOTIP_VICTIMS
FORMS = ("Sexual exploitation", "Forced labour", "Other forms of exploitation")


def usable_rows(glotip: pd.DataFrame) -> pd.DataFrame:
    """Rows whose ``exclude_reason`` is missing (all rows when the column does not exist)."""
    if "exclude_reason" not in glotip.columns:
        return glotip
    return glotip[glotip["exclude_reason"].isna()]


def country_totals(glotip: pd.DataFrame, *, indicator: str = VICTIMS) -> pd.DataFrame:
    """Published country totals (sex = age = Total) as bounds: columns unit, year, low, high.

    A country-year with more than one usable Total row is summed (rows a loader flags as duplicate
    totals are already gone); the count of such country-years is in ``attrs["repeated"]``.
    """
    sel = coverage.select_glotip(usable_rows(glotip), indicator=indicator, dimension="Total")
    sel = sel[sel["value_high"].notna()]
    out = (sel.groupby(["unit", "year"], as_index=False)
              .agg(low=("value_low", "sum"), high=("value_high", "sum"), rows=("value_high", "size")))
    out.attrs["repeated"] = int((out["rows"] > 1).sum())
    return out.drop(columns="rows")


@dataclass
class PanelSeries:
    """Detected victims summed over a fixed panel, by year, as bounds; and by form on its own panel."""

    start: int
    end: int
    panel: list[str]
    totals: pd.DataFrame  # index year; columns low, high
    form_panel: list[str]
    forms: pd.DataFrame  # index year; columns <form>_low, <form>_high
    all_reporters: pd.DataFrame  # index year; columns low, high, units (every country reporting)

    def change(self, before: int, after: int, *, frame: str = "totals", form: str | None = None) -> tuple[float, float]:
        """Percent change from ``before`` to ``after`` as (low, high) bounds."""
        data = getattr(self, frame)
        lo_col, hi_col = ("low", "high") if form is None else (f"{form}_low", f"{form}_high")
        for y in (before, after):
            if y not in data.index:
                raise ParameterError(f"year {y} is outside the panel years {self.start}..{self.end}")
        b_lo, b_hi = float(data.at[before, lo_col]), float(data.at[before, hi_col])
        a_lo, a_hi = float(data.at[after, lo_col]), float(data.at[after, hi_col])
        if b_lo <= 0:
            raise DataError(f"no detected victims on the panel in {before}: a change cannot be computed")
        return 100 * (a_lo / b_hi - 1), 100 * (a_hi / b_lo - 1)


def panel_series(glotip: pd.DataFrame, start: int, end: int) -> PanelSeries:
    """Fixed-panel sums of detected victims for ``start``..``end`` (totals and by form).

    Raises ParameterError for ``start >= end`` or years outside the data, DataError when no country
    reports in every year.
    """
    if start >= end:
        raise ParameterError(f"panel_start {start} must be before panel_end {end}")
    totals = country_totals(glotip)
    years = set(totals["year"].astype(int))
    missing = [y for y in range(start, end + 1) if y not in years]
    if missing:
        raise ParameterError(f"panel years {start}..{end}: no data for {missing} "
                             f"(data years {min(years)}..{max(years)})")
    panel = coverage.fixed_panel(totals.rename(columns={"high": "value_high"}), start, end, unit="unit")
    if not panel:
        raise DataError(f"no country reports detected victims in every year {start}..{end}")
    window = totals[totals["year"].between(start, end)]
    on = window[window["unit"].isin(panel)].groupby("year")[["low", "high"]].sum()
    everyone = window.groupby("year").agg(low=("low", "sum"), high=("high", "sum"), units=("unit", "nunique"))

    by_form = coverage.select_glotip(usable_rows(glotip), dimension="by form of exploitation",
                                     category=list(FORMS))
    by_form = by_form[by_form["value_high"].notna() & by_form["year"].between(start, end)]
    form_panel = coverage.fixed_panel(by_form, start, end, unit="unit")
    sums = coverage.bounded_sum(by_form[by_form["unit"].isin(form_panel)], ["year", "category"])
    forms = pd.DataFrame(index=pd.Index(range(start, end + 1), name="year"))
    for form in FORMS:
        part = sums.xs(form, level="category") if form in sums.index.get_level_values("category") else None
        forms[f"{form}_low"] = part["low"].reindex(forms.index) if part is not None else float("nan")
        forms[f"{form}_high"] = part["high"].reindex(forms.index) if part is not None else float("nan")
    return PanelSeries(start, end, panel, on, form_panel, forms, everyone)


def _too_early(glotip: pd.DataFrame, test_id: str, claim_id: str, after: int, release: str,
               evidence: dict[str, str], claimed: float) -> ClaimCheck | None:
    """A 'cannot test' result when the release's data end before the year a claim is about."""
    last = int(glotip["year"].max())
    if after <= last:
        return None
    reason = _("The UNODC data ({release}) end in {last}, before {after}, the year the claim is about.",
               release=release, last=last, after=after)
    return judged(test_id, claim_id, Basis(same_definition=False), reason,
                  numbers={"last_year": last, "after": after, "claimed_pct": claimed, "panel_change_pct": None},
                  evidence=evidence, datasets=("glotip", "claim-evidence"), read=(release,))


def _change_all(series: PanelSeries, before: int, after: int) -> tuple[float, float]:
    return series.change(before, after, frame="all_reporters")


def check_covid_fixed_panel(glotip: pd.DataFrame, *, start: int = 2017, end: int = 2022,
                            before: int = 2019, after: int = 2020, release: str = "newest release") -> ClaimCheck:
    """Claim ``covid-online``: what UNODC counts show about trafficking around the pandemic.

    The data break detected victims down by form, sex, age and citizenship; none of the breakdowns
    is online recruitment or exploitation, so the verdict is that the data cannot test the claim.
    The numbers show what did change on the fixed panel (total and each form, ``before`` to
    ``after``), which a reader needs to see that a fall in detections fits less detection as well
    as less trafficking (UNODC GLOTIP 2022, as reported by Reuters, 24 Jan 2023).
    """
    s = panel_series(glotip, start, end)
    total = s.change(before, after)
    forms = {f: s.change(before, after, frame="forms", form=f) for f in FORMS if s.forms[f"{f}_high"].notna().all()}
    dims = sorted(set(usable_rows(glotip)["dimension"].dropna()))
    online = [d for d in dims if any(w in d.lower() for w in ("online", "cyber", "internet"))]
    sex = forms.get("Sexual exploitation", (float("nan"),) * 2)
    values = dict(n_dims=len(dims), dims=", ".join(dims), n_panel=len(s.panel), start=start, end=end, release=release,
                  change=pct_range(*total), before=before, after=after, sex_change=pct_range(*sex),
                  n_form_panel=len(s.form_panel))
    if online:
        reason = _("The {n_dims} breakdowns in the UNODC data ({dims}) include one for online settings; on the "
                   "{n_panel} countries reporting every year {start}-{end} ({release}) detected victims changed "
                   "{change} from {before} to {after} (sexual exploitation {sex_change} on the {n_form_panel} countries "
                   "reporting forms every year), and a change in detections fits a change in detection as well as in "
                   "trafficking.", **values)
    else:
        reason = _("The {n_dims} breakdowns in the UNODC data ({dims}) include none for online recruitment or "
                   "exploitation; on the {n_panel} countries reporting every year {start}-{end} ({release}) detected "
                   "victims changed {change} from {before} to {after} (sexual exploitation {sex_change} on the "
                   "{n_form_panel} countries reporting forms every year), and a change in detections fits a change in "
                   "detection as well as in trafficking.", **values)
    data = s.totals.rename(columns={"low": "panel_low", "high": "panel_high"}).join(s.forms)
    numbers = {"panel_countries": len(s.panel), "form_panel_countries": len(s.form_panel),
               "change_pct": list(total), "form_change_pct": {k: list(v) for k, v in forms.items()},
               "online_breakdowns": online, "before": before, "after": after}
    return judged("unodc-covid-fixed-panel", "covid-online", Basis(same_definition=False), reason, numbers=numbers,
                  datasets=("glotip",), data=data, read=(release,))


def check_fixed_panel_change(glotip: pd.DataFrame, evidence: pd.DataFrame, *, test_id: str, claim_id: str,
                             claimed_id: str, before: int, after: int, start: int = 2017, end: int = 2022,
                             tolerance_pp: float = 5.0, release: str = "newest release") -> ClaimCheck:
    """A claimed percent change in detected victims, set against the same change on a fixed panel.

    The reading is the rules' reading of a directional change (:func:`critique.methods.claims.rules.compare`):
    consistent within ``tolerance_pp`` points, a larger or smaller change than claimed beyond it, a
    contradiction only for a change in the opposite direction. The fixed panel is the like-for-like
    version of UNODC's global change (which sums whoever reported in each year), but it covers fewer
    countries than the claimed figure, so the verdict is "tested on part of the claim's scope" with
    that reading for the panel (rule 3); the change over all reporters is shown beside it.
    """
    tol = check_tolerance(tolerance_pp)
    claimed = figure(evidence, claimed_id)
    early = _too_early(glotip, test_id, claim_id, after, release, {claimed_id: claimed.verification}, claimed.value)
    if early:
        return early
    s = panel_series(glotip, start, end)
    panel = s.change(before, after)
    everyone = _change_all(s, before, after)
    units = s.all_reporters["units"]
    partial = after in glotip_rules.partial_years(usable_rows(glotip))
    gap = distance(*panel, claimed.value)
    # the claimed figure is UNODC's global one (every country reporting); the panel is part of it (rule 3)
    n_after = int(units[after])
    part = f"the {len(s.panel)} countries reporting every year" if len(s.panel) < n_after else None
    basis = Basis(True, claimed=claimed.value, observed=panel, tolerance=tol, kind="change", part=part)
    values = dict(n_panel=len(s.panel), start=start, end=end, release=release, change=pct_range(*panel),
                  before=before, after=after, gap=gap, claimed=claimed.value, tol=tol, n_before=int(units[before]),
                  n_after=int(units[after]), all_change=pct_range(*everyone),
                  partial=_(" ({year} {label})", year=after, label=_(glotip_rules.PARTIAL_LABEL)) if partial else "")
    reason = _("On the {n_panel} countries reporting every year {start}-{end} ({release}) detected victims changed "
               "{change} from {before} to {after}, {gap:.1f} points from the claimed {claimed:+g}% (tolerance {tol:g} "
               "points; all reporters, {n_before} then {n_after} countries{partial}: {all_change}).", **values)
    if part:
        reason = _("The claimed change is UNODC's global one, over every reporting country; tested on part of it: "
                   "{reason}", reason=reason)
    numbers = {"claimed_pct": claimed.value, "panel_change_pct": list(panel), "all_reporters_change_pct": list(everyone),
               "after_year_partial": partial, "distance_pp": gap,
               "panel_countries": len(s.panel), "reporters_before": int(units[before]),
               "reporters_after": int(units[after]), "tolerance_pp": tol, "before": before, "after": after}
    data = s.totals.rename(columns={"low": "panel_low", "high": "panel_high"}).join(
        s.all_reporters.rename(columns={"low": "all_low", "high": "all_high", "units": "all_units"}))
    read = (release,) + read_of(evidence, [claimed_id])
    return judged(test_id, claim_id, basis, named(reason, read[1:]), numbers=numbers,
                  evidence={claimed_id: claimed.verification}, datasets=("glotip", "claim-evidence"), data=data, read=read)


def check_detections_as_prevalence(glotip: pd.DataFrame, evidence: pd.DataFrame, *, claimed_id: str = "shafaqna-claimed-change",
                                   before: int = 2019, after: int = 2022, start: int = 2017, end: int = 2022,
                                   release: str = "newest release") -> ClaimCheck:
    """Claim ``trafficking-rose-25``: a change in detected victims read as a change in trafficking.

    Every UNODC indicator counts what authorities detected or did (victims detected, persons
    prosecuted or convicted...), none the number of people trafficked, so the data cannot test a
    statement about trafficking itself; the fixed-panel change in detections is given for scale.
    """
    claimed = figure(evidence, claimed_id)
    early = _too_early(glotip, "detections-as-prevalence", "trafficking-rose-25", after, release,
                       {claimed_id: claimed.verification}, claimed.value)
    if early:
        return early
    indicators = sorted(set(usable_rows(glotip)["indicator"].dropna()))
    s = panel_series(glotip, start, end)
    panel = s.change(before, after)
    reason = _("All {n_indicators} UNODC indicators ({indicators}) count what authorities detected or did, not people "
               "trafficked; detected victims on the {n_panel}-country fixed panel changed {change} from {before} to "
               "{after} ({release}), which may reflect detection as much as trafficking, so neither it nor UNODC's figure "
               "can test the claimed {claimed:+g}% rise in trafficking.", n_indicators=len(indicators),
               indicators=", ".join(indicators), n_panel=len(s.panel), change=pct_range(*panel), before=before,
               after=after, release=release, claimed=claimed.value)
    numbers = {"claimed_pct": claimed.value, "panel_change_pct": list(panel), "indicators": indicators,
               "panel_countries": len(s.panel)}
    read = (release,) + read_of(evidence, [claimed_id])
    return judged("detections-as-prevalence", "trafficking-rose-25", Basis(same_definition=False), named(reason, read[1:]),
                  numbers=numbers, evidence={claimed_id: claimed.verification}, datasets=("glotip", "claim-evidence"),
                  data=s.totals, read=read)


def country_series(glotip: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """One country's published totals of detected victims by year (columns year, low, high)."""
    totals = country_totals(glotip)
    return totals[totals["unit"] == iso3][["year", "low", "high"]].sort_values("year").reset_index(drop=True)


def check_host_countries(glotip: pd.DataFrame, evidence: pd.DataFrame, *, event_ids: list[str],
                         window: int = 2, release: str = "newest release") -> ClaimCheck:
    """Claims ``worldcup-2006`` / ``superbowl-2011``: detected victims in host countries around events.

    For each event (a ``claim-evidence`` row with the event year as value and the host's ISO3), the
    host's detected-victim total in the event year is compared with every published year within
    ``window`` years on either side. Detected victims are not a count of trafficking (extra policing
    around an event raises detections too), so the data cannot test the claim (rule 1 of
    :mod:`critique.methods.claims.rules`); the comparison is given for scale.
    """
    if window < 1:
        raise ParameterError(f"window = {window}: must be at least 1 year")
    rows, used = [], {}
    for eid in event_ids:
        ev = evidence[evidence["evidence_id"] == eid]
        f = figure(evidence, eid)
        used[eid] = f.verification
        iso3, year = str(ev["iso3"].iloc[0]), int(f.value)
        series = country_series(glotip, iso3)
        near = series[series["year"].between(year - window, year + window)]
        at = near[near["year"] == year]
        others = near[near["year"] != year]
        both = bool((others["year"] < year).any() and (others["year"] > year).any())
        above = bool(len(at) and both and float(at["low"].iloc[0]) > float(others["high"].max()))
        rows.append({"event_id": eid, "iso3": iso3, "event_year": year, "event_count_high": float(at["high"].iloc[0]) if len(at) else None,
                     "neighbour_max": float(others["high"].max()) if len(others) else None,
                     "years_with_data": len(near), "both_sides": both, "event_year_highest": above})
    table = pd.DataFrame(rows)
    testable = table[table["both_sides"] & table["event_count_high"].notna()]
    n_above = int(testable["event_year_highest"].sum())
    values = dict(n_hosts=len(table), n=len(testable), window=window, release=release, n_above=n_above)
    if testable.empty:
        reason = _("No count of trafficking around the events exists; of {n_hosts} host countries, {n} have UNODC "
                   "detected-victim totals for the event year and within {window} years on both sides ({release}); the "
                   "event year is above every neighbouring year in {n_above} of {n}, so no event year can be compared.",
                   **values)
    elif len(testable) == 1:
        reason = _("No count of trafficking around the events exists; of {n_hosts} host countries, {n} has UNODC "
                   "detected-victim totals for the event year and within {window} years on both sides ({release}); the "
                   "event year is above every neighbouring year in {n_above} of {n}, and a count of detections measures "
                   "policing around an event as much as trafficking.", **values)
    else:
        reason = _("No count of trafficking around the events exists; of {n_hosts} host countries, {n} have UNODC "
                   "detected-victim totals for the event year and within {window} years on both sides ({release}); the "
                   "event year is above every neighbouring year in {n_above} of {n}, and a count of detections measures "
                   "policing around an event as much as trafficking.", **values)
    numbers = {"events": len(table), "testable": len(testable), "event_year_highest": n_above, "window": window,
               "event_list": table[["iso3", "event_year"]].to_dict("records")}
    pieces = []
    for r in table.itertuples():
        s = country_series(glotip, r.iso3)
        pieces.append(s[s["year"].between(r.event_year - window, r.event_year + window)]
                      .assign(iso3=r.iso3, event_year=r.event_year))
    data = pd.concat(pieces, ignore_index=True) if pieces else table
    read = (release,) + read_of(evidence, event_ids)
    return judged("host-country-detections", "worldcup-2006", Basis(same_definition=False), named(reason, read[1:]),
                  numbers=numbers, evidence=used, datasets=("glotip", "claim-evidence"), data=data, read=read)


def check_sweden_series(glotip: pd.DataFrame, evidence: pd.DataFrame, *, law_id: str = "se-law-year",
                        iso3: str = "SWE", release: str = "newest release") -> ClaimCheck:
    """Claim ``sweden-trafficking``: can UNODC's Sweden series say what the 1999 law did to trafficking?

    With no published year before the law the series cannot test it; with years on both sides it
    still measures detection, and notebook 50 fits what a series of that length can detect.
    """
    law = figure(evidence, law_id)
    series = country_series(glotip, iso3)
    if series.empty:
        raise DataError(f"glotip: no detected-victim totals for {iso3}")
    first, last = int(series["year"].min()), int(series["year"].max())
    before = int((series["year"] < law.value).sum())
    if before == 0:
        reason = _("UNODC's {iso3} detected-victim series ({release}) runs {first}-{last}, starting {gap} years after "
                   "the {law} law, so it has no year before the law to compare.", iso3=iso3, release=release,
                   first=first, last=last, gap=first - int(law.value), law=int(law.value))
    else:
        reason = _("UNODC's {iso3} series ({release}) has {before} years before the {law} law, but detected victims "
                   "measure detection as well as trafficking (notebook 50 gives the minimum detectable effect).",
                   iso3=iso3, release=release, before=before, law=int(law.value))
    numbers = {"law_year": int(law.value), "first_year": first, "last_year": last, "years_before_law": before,
               "years": int(len(series))}
    read = (release,) + read_of(evidence, [law_id])
    return judged("sweden-unodc-series", "sweden-trafficking", Basis(same_definition=False), named(reason, read[1:]),
                  numbers=numbers, evidence={law_id: law.verification}, datasets=("glotip", "claim-evidence"), data=series,
                  read=read)
