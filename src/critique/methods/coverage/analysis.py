"""Notebook 10's analysis in one call: who reports, the sexual-exploitation share on all reporters,
on a fixed panel and without the country that drives it, the change split into entering, leaving
and continuing reporters, and the largest reporters (:func:`analyse` -> :class:`CoverageAnalysis`).

The numbers come from the functions of :mod:`critique.methods.coverage` (methods and references there), the
partial and provisional years from :func:`critique.datasets.glotip_rules.year_status`, the driving
country from :func:`critique.methods.coverage.influence.influence`, UNODC's pooling from
:mod:`critique.methods.coverage.pooling`. The object holds the reader tables, the data behind each chart,
the reading sentences and the findings (keys of ``notebooks/key_findings/10-coverage-composition.yml``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from critique.methods import coverage as cov
from critique.methods.coverage import influence as inf_
from critique.methods.coverage import pooling
from critique.datasets import glotip_rules
from critique.core.errors import ParameterError
from critique.core.i18n import _
from critique.methods.coverage.words import lower as _lower

SE, FL = "Sexual exploitation", "Forced labour"


@dataclass(frozen=True)
class Settings:
    """The notebook's parameters (same names and defaults)."""

    year_start: int = 2003
    year_end: int = 2021
    panel_start: int = 2012
    panel_end: int = 2020
    regions: tuple[str, ...] = ()
    top_k: int = 5
    include_partial_year: bool = False
    influence_year: int = 0  # 0: the release's latest data year
    max_share: float = inf_.MAX_SHARE
    max_points: float = inf_.MAX_POINTS
    lookback: int = pooling.LOOKBACK

    def check(self, partial: list[int]) -> None:
        """Raise ParameterError naming the parameter when a window is reversed or a panel ends in a
        partial year (unless ``include_partial_year``)."""
        for a, b in (("year_start", "year_end"), ("panel_start", "panel_end")):
            if getattr(self, a) > getattr(self, b):
                raise ParameterError(f"parameters: {a}={getattr(self, a)} is after {b}={getattr(self, b)}")
        if self.panel_end in partial and not self.include_partial_year:
            raise ParameterError(f"parameter panel_end={self.panel_end} is the release's incomplete year "
                                 f"({glotip_rules.PARTIAL_LABEL}); choose an earlier year or set include_partial_year")


@dataclass
class CoverageAnalysis:
    """Everything notebook 10 shows about UNODC's country data (see the module docstring)."""

    settings: Settings
    release: str
    years: list[int]
    status: pd.DataFrame
    partial: list[int]
    skip: list[int]
    counts: pd.DataFrame
    check: pd.DataFrame
    reasons: dict[str, int]
    panel: list[str]
    share_all: pd.DataFrame
    share_panel: pd.DataFrame
    influence: inf_.Influence
    influence_year: int
    influence_years: pd.DataFrame
    share_without: pd.DataFrame
    splits: pd.DataFrame
    printed: dict
    revised: dict
    bounds: pd.DataFrame
    decomposition: pd.DataFrame
    error: float
    top: pd.DataFrame
    rise: dict = field(default_factory=dict)
    year_note: str = ""
    without_unit: tuple[str, str] | None = None

    # ------------------------------------------------------------------ reader tables
    def shares_table(self) -> pd.DataFrame:
        """All reporters, the fixed panel and all reporters without the driving country, by year."""
        s, p, w = self.share_all, self.share_panel, self.share_without
        out = pd.DataFrame({_("all: low"): s.share_low, _("all: high"): s.share_high, _("all: countries"): s.units,
                            _("panel: low"): p.share_low, _("panel: high"): p.share_high,
                            _("panel: countries"): p.units})
        if self.without_unit:
            out[_("without {name}: low", name=self.without_unit[1])] = w.share_low
            out[_("without {name}: high", name=self.without_unit[1])] = w.share_high
        return out

    # ------------------------------------------------------------------ reading
    def reading(self) -> list[str]:
        """The sentences printed under the charts, generated from the numbers."""
        c, n_forms = self.counts, self.counts["forms"]
        first = n_forms.first_valid_index()
        both = self.check.loc[self.check["status"] != "no total"]
        out = [self.year_note]
        if first is not None:
            out.append(_("Countries reporting victims by form of exploitation: {n_first} in {first}, {n_max} at the "
                         "most ({year_max}); reporting a total: {total_max} at the most ({total_year}). Forms exceed "
                         "the total by more than 5% in {exceed} of {checked} country-years with both.",
                         n_first=int(n_forms[first]), first=first, n_max=int(n_forms.max()),
                         year_max=int(n_forms.idxmax()), total_max=int(c['total'].max()),
                         total_year=int(c['total'].idxmax()),
                         exceed=int((both['status'] == 'forms exceed total').sum()), checked=len(both)))
        out.append(self.influence_sentence())
        if self.rise:
            r = self.rise
            out.append(_("{before} to {year}: {change:+,.0f} detected victims, of which {entering:+,.0f} from "
                         "{n_entering} entering countries ({top_share:.0%} of that from {top_name}).",
                         before=r['year'] - 1, year=r['year'], change=r['change'], entering=r['entering'],
                         n_entering=r['n_entering'], top_share=r['entering_top_share'],
                         top_name=r['entering_top_name']))
        return out

    def panel_note(self) -> str:
        """Why the fixed panel spans the years it does (a rule on the parameters and the year status)."""
        s = self.settings
        if not self.panel:
            return _("No country reports by form in every year {start}-{end}: there is no fixed panel for this "
                     "window, so only the all-reporters series is shown.", start=s.panel_start, end=s.panel_end)
        text = _("The fixed panel runs {start}-{end} (parameters panel_start and panel_end): {n} countries report by "
                 "form in every year of it, and a longer window keeps fewer.", start=s.panel_start, end=s.panel_end,
                 n=len(self.panel))
        status = self.status["status"].get(s.panel_end, "settled")
        if status == "provisional":
            text += _(" {end} is provisional in this release: late reports may still add countries.", end=s.panel_end)
        if s.panel_end == 2020:
            text += _(" It ends in 2020, the first pandemic year, for which UNODC reported the first fall in detections "
                      "in 20 years [V]: a change into 2020 on this panel is read with that in mind.")
        return text

    def influence_sentence(self) -> str:
        """Which country drives the latest split by form, and why the recount and UNODC's printed
        shares differ (a rule on the numbers: revision, pooling, and what each counts)."""
        i, y = self.influence, self.influence_year
        if not i.flagged:
            return i.reading()
        r = i.top
        late = _(" (a year still incomplete in this release)") \
            if y in self.status.index[self.status["status"] == "partial"] else ""
        part, versus = _lower(i.part), _lower(i.versus_level)
        text = _("In UNODC's {release} release, {name} holds {holds:.0%} of {year}'s detected victims of {part} summed "
                 "over all reporters{late}: {part} {value:.0f}% against {versus} {versus_value:.0f}% of the victims "
                 "with a form; without {name}, {versus} {versus_without:.0f}% and {part} {without:.0f}%.",
                 release=self.release, name=r['name'], holds=r['holds_part'], year=y, part=part, late=late,
                 value=i.value, versus=versus, versus_value=i.versus, versus_without=r['versus_without'],
                 without=r['without'])
        if self.revised:
            v = self.revised
            text += _(" This release revised {name}'s counts: {older_text} in the {older} release, {newer_text} in "
                      "this one.", name=r['name'], older_text=v['older_text'], older=v['older'],
                      newer_text=v['newer_text'])
        if self.printed:
            p = self.printed
            pooled = self.splits.loc[self.splits["pooling"].str.contains("most recent") & self.splits["excluded"].eq("")]
            pooled_text = ""
            if len(pooled):
                q = pooled.iloc[0]
                pooled_text = _(", and its shares may pool each country's {year} 'or most recent' year [unverified], "
                                "which on this release gives {versus} {fl:.0f}% and {part} {se:.0f}%", year=y,
                                versus=versus, fl=q[FL], part=part, se=q[SE])
            text += _(" UNODC's {edition} report printed {versus} {fl:.0f}% and {part} {se:.0f}% [{verification}]. The "
                      "two need not agree: the report was written on UNODC's data as it stood before this "
                      "release{pooled}.", edition=p['edition'], versus=versus, fl=p['fl'], part=part, se=p['se'],
                      verification=p['verification'], pooled=pooled_text)
        return text

    # ------------------------------------------------------------------ findings
    def findings(self) -> dict[str, object]:
        """Every key the notebook records (the keys of the notebook's findings table)."""
        s, c, st = self.settings, self.counts, self.check.loc[self.check["status"] != "no total"]
        f: dict[str, object] = {
            "release": self.release, "year_range_note": self.year_note,
            "partial_years": self.partial,
            "provisional_years": [int(y) for y in self.status.index[self.status["status"] == "provisional"]
                                  if s.year_start <= y <= s.year_end],
            "last_complete_year": int(self.status.index[self.status["status"] != "partial"].max()),
            "countries_reporting_total": c["total"].dropna().astype(int).to_dict(),
            "countries_reporting_forms": c["forms"].dropna().astype(int).to_dict(),
            "countries_reporting_forms_strict": c["forms_strict"].dropna().astype(int).to_dict(),
            "placeholder_rows": self.reasons["placeholder"], "duplicate_total_rows": self.reasons["duplicate-total"],
            "forms_exceed_total": int((st["status"] == "forms exceed total").sum()), "forms_checked": len(st),
            "panel_window": [s.panel_start, s.panel_end], "panel_size": len(self.panel),
            "panel_countries": self.panel,
            "se_share_all_low": self.share_all["share_low"].dropna().round(4).to_dict(),
            "se_share_all_high": self.share_all["share_high"].dropna().round(4).to_dict(),
            "se_share_panel_low": self.share_panel["share_low"].dropna().round(4).to_dict(),
            "se_share_panel_high": self.share_panel["share_high"].dropna().round(4).to_dict(),
            "suppressed_cells_forms": int(self.share_all["suppressed_cells"].sum()),
            "victims_total_low": self.bounds["low"].dropna().to_dict(),
            "victims_total_high": self.bounds["high"].dropna().to_dict(),
            "decomposition": {int(y): {k: float(r[k]) for k in ("change", "entering", "leaving", "continuing")}
                              for y, r in self.decomposition.iterrows()},
            "decomposition_exact_max_error": self.error,
            "top_k": s.top_k,
            "top_k_share_low": self.top["share_low"].dropna().round(4).to_dict(),
            "top_k_share_high": self.top["share_high"].dropna().round(4).to_dict(),
            "influence_year": self.influence_year, "influence_sentence": self.influence_sentence(),
            "panel_note": self.panel_note(),
            "share_chart_without": self.without_unit[1] if self.without_unit else "",
            "influence_flagged_years": [int(y) for y in self.influence_years.index[self.influence_years["flagged"].astype(bool)]],
            **self.influence.findings("influence"),
        }
        if self.rise:
            r = self.rise
            f.update({"largest_rise_year": r["year"], "largest_rise_change": r["change"],
                      "largest_rise_entering": r["entering"], "largest_rise_n_entering": r["n_entering"],
                      "largest_rise_entering_top": r["entering_top_name"],
                      "largest_rise_entering_top_share": round(r["entering_top_share"], 4),
                      "forms_before_rise": r["forms_before"], "forms_strict_before_rise": r["forms_strict_before"],
                      "forms_at_rise": r["forms_at"], "forms_strict_at_rise": r["forms_strict_at"]})
        if self.panel:
            f.update({"panel_first_year": s.panel_start, "panel_last_year": s.panel_end})
            for tag, y in (("first", s.panel_start), ("last", s.panel_end)):
                for who, frame in (("panel", self.share_panel), ("all", self.share_all)):
                    for b in ("low", "high"):
                        f[f"{who}_share_{tag}_{b}"] = round(float(frame.loc[y, f"share_{b}"]), 4)
        return f


def _int(series: pd.Series, year: int) -> int | None:
    v = series.get(year)
    return None if v is None or pd.isna(v) else int(v)


def _rise(totals: pd.DataFrame, dec: pd.DataFrame, counts: pd.DataFrame) -> dict:
    """The complete year with the largest rise, and who entered it (their largest member's share)."""
    if not len(dec):
        return {}
    y = int(dec["change"].idxmax())
    had = set(totals.loc[(totals["year"] == y - 1) & totals["value_low"].notna(), "unit"])
    entering = totals.loc[(totals["year"] == y) & ~totals["unit"].isin(had) & totals["value_low"].notna()]
    top = inf_.influence(entering, "value_low", "unit") if len(entering) and entering["value_low"].sum() else None
    return {"year": y, "change": float(dec.loc[y, "change"]), "entering": float(dec.loc[y, "entering"]),
            "n_entering": int(dec.loc[y, "n_entering"]),
            "entering_top_name": str(top.top["name"]) if top else "", "entering_top_share": float(top.top["holds"]) if top else 0.0,
            "forms_before": _int(counts["forms"], y - 1), "forms_strict_before": _int(counts["forms_strict"], y - 1),
            "forms_at": _int(counts["forms"], y), "forms_strict_at": _int(counts["forms_strict"], y)}


def _chart_unit(by_year: pd.DataFrame, years: list[int]) -> tuple[str, str] | None:
    """The (unit, name) the share chart draws "without": the country flagged most often over
    ``years`` (the later year breaks a tie), or None when no year is flagged."""
    t = by_year.loc[by_year.index.isin(years) & by_year["flagged"].astype(bool)]
    if t.empty:
        return None
    counts = t.groupby("top_unit").size()
    last = t.reset_index().groupby("top_unit")[t.index.name or "year"].max()
    unit = sorted(counts.index, key=lambda u: (-counts[u], -last[u], u))[0]
    return str(unit), str(t.loc[t["top_unit"] == unit, "top_name"].iloc[0])


def _printed(editions: pd.DataFrame | None, year: int) -> dict:
    """UNODC's printed SE and FL shares for the edition whose headline data year is ``year``."""
    if editions is None:
        return {}
    match = [e for e, y in pooling.EDITION_DATA_YEAR.items() if y == year]
    rows = editions.loc[editions["edition"].isin(match) & editions["share_sexual_exploitation_pct"].notna()
                        & editions["verification"].isin(["primary", "secondary"])]
    if rows.empty:
        return {}
    r = rows.iloc[-1]
    return {"edition": int(r["edition"]), "se": float(r["share_sexual_exploitation_pct"]),
            "fl": float(r["share_forced_labour_pct"]), "verification": str(r["verification"])}


def _revised(older: pd.DataFrame | None, newer: pd.DataFrame, unit: str, older_id: str) -> dict:
    """The unit's national totals in the older and this release, for the years both hold (text)."""
    if older is None:
        return {}
    a = cov.select_glotip(older, dimension="Total")
    a = a.loc[a["unit"] == unit].set_index("year")
    b = newer.loc[newer["unit"] == unit].set_index("year")
    years = sorted(set(a.index) & set(b.index))
    changed = [y for y in years if a.at[y, "value_high"] != b.at[y, "value_high"]]
    if not changed:
        return {}
    text = lambda r: "'<5'" if bool(r["suppressed"]) else f"{r['value']:,.0f}"
    return {"older": older_id.split("@")[-1], "years": changed,
            "older_text": " and ".join(f"{text(a.loc[y])} ({y})" for y in changed),
            "newer_text": " and ".join(f"{text(b.loc[y])} ({y})" for y in changed)}


def analyse(glotip: pd.DataFrame, settings: Settings = Settings(), *, release: str = "",
            older: pd.DataFrame | None = None, older_release: str = "",
            editions: pd.DataFrame | None = None) -> CoverageAnalysis:
    """Notebook 10's UNODC sections on one release (``glotip``: the tidy frame of
    ``critique.datasets.load("glotip@...")``). ``older``: the previous release (None when the
    edition holds one), used only to say how the driving country's counts were revised;
    ``editions``: the ``glotip-editions`` table, for UNODC's printed shares. Raises ParameterError
    for reversed windows, a panel ending in a partial year, or an influence year without data."""
    s = settings
    release = release or str(glotip.attrs.get("release", "glotip"))
    status = glotip_rules.year_status(glotip)
    partial_all = [int(y) for y in status.index[status["status"] == "partial"]]
    partial = [y for y in partial_all if s.year_start <= y <= s.year_end]
    s.check(partial)
    skip = [] if s.include_partial_year else partial
    years = list(range(s.year_start, s.year_end + 1))
    regions = list(s.regions) or None
    in_range = glotip.loc[glotip["year"].between(s.year_start, s.year_end)]
    totals = cov.select_glotip(in_range, dimension="Total", regions=regions)
    forms = cov.select_glotip(in_range, dimension=cov.FORM_DIMENSION, regions=regions)
    strict = forms.loc[~forms.groupby(["unit", "year"])["suppressed"].transform("all").astype(bool)]
    counts = pd.DataFrame({"total": totals.groupby("year")["unit"].nunique().reindex(years),
                           "forms": forms.groupby("year")["unit"].nunique().reindex(years),
                           "forms_strict": strict.groupby("year")["unit"].nunique().reindex(years)})
    reason = in_range.get("exclude_reason", pd.Series(dtype="string"))
    reasons = {k: int((reason == k).sum()) for k in ("placeholder", "duplicate-total")}
    panel = cov.fixed_panel(forms, s.panel_start, s.panel_end, unit="unit")
    share_all = cov.form_share_by_year(forms, unit="unit").reindex(years)
    window = [y for y in years if s.panel_start <= y <= s.panel_end]  # the panel is constant only inside it
    share_panel = cov.form_share_by_year(forms, unit="unit", units=panel).reindex(window)
    # the driving country: the split by form of the influence year (default: the release's latest)
    all_forms = cov.select_glotip(glotip, dimension=cov.FORM_DIMENSION, regions=regions)
    iy = s.influence_year or int(all_forms["year"].max())
    if iy not in set(all_forms["year"]):
        raise ParameterError(f"parameter influence_year={iy}: no country reports by form that year in {release}")
    kw = dict(measure="share", part=SE, versus=FL, max_share=s.max_share, max_points=s.max_points)
    infl = inf_.influence(all_forms.loc[all_forms["year"] == iy], "value_high", "unit", "category",
                          label=_("Detected victims by form, {year}", year=iy), release=release, **kw)
    by_year = inf_.influence_by_year(forms, "value_high", "unit", "category", **kw)
    who = str(infl.top["unit"]) if infl.flagged else None
    drawn = _chart_unit(by_year, [y for y in years if y not in partial])
    share_without = (cov.form_share_by_year(forms.loc[forms["unit"] != drawn[0]], unit="unit").reindex(years)
                     if drawn else pd.DataFrame(columns=share_all.columns))
    splits = pooling.split_table(all_forms, iy, lookback=s.lookback, without=who)
    all_totals = cov.select_glotip(glotip, dimension="Total", regions=regions)
    bounds = cov.bounded_sum(totals, "year").reindex(years)
    dec = cov.decompose_change(cov.complete_only(totals, skip), unit="unit", value="value_low")
    error = float((dec.entering + dec.leaving + dec.continuing - dec.change).abs().max()) if len(dec) else 0.0
    top = cov.top_share(totals, k=s.top_k, unit="unit").reindex(years)
    return CoverageAnalysis(
        settings=s, release=release, years=years, status=status, partial=partial, skip=skip, counts=counts,
        check=glotip_rules.form_consistency(in_range), reasons=reasons, panel=panel, share_all=share_all,
        share_panel=share_panel, influence=infl, influence_year=iy, influence_years=by_year,
        share_without=share_without, splits=splits, printed=_printed(editions, iy),
        revised=_revised(older, all_totals, who, older_release) if who else {},
        bounds=bounds, decomposition=dec, error=error, top=top, rise=_rise(totals, dec, counts),
        year_note=glotip_rules.year_range_note(glotip, release=release), without_unit=drawn)
