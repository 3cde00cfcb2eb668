"""Captions of notebook 10's UNODC charts, generated from a :class:`CoverageAnalysis`: the title,
what each chart shows, its caveats (partial and provisional years, the driving country and the
release) and its N, as keyword arguments for ``critique.figures.charts.finalise``."""
from __future__ import annotations

from critique.methods.coverage.analysis import FL, SE, CoverageAnalysis
from critique.datasets import glotip_rules
from critique.core.i18n import N_, _
from critique.methods.coverage.words import lower as _lower

TITLES = {
    "countries-reporting": N_("How many countries report detected victims, by year"),
    "se-share-all-vs-panel": N_("Sexual-exploitation share of detected victims: all reporters vs a fixed panel"),
    "latest-split": N_("The latest split by form: all reporters, without the driving country, and as UNODC printed it"),
    "change-decomposition": N_("Change in detected victims: entering, leaving and continuing countries"),
    "top-reporters-share": N_("How much of the 'global' count comes from the largest reporting countries"),
}


def _partial(a: CoverageAnalysis) -> list[str]:
    if not a.partial:
        return []
    return [_("Hatched: {label} ({years}); not a fall in reporting.", label=_(glotip_rules.PARTIAL_LABEL),
              years=", ".join(map(str, a.partial)))]


def caption(a: CoverageAnalysis, name: str) -> dict:
    """``title``, ``description``, ``caveat``, ``datasets`` (the release read), ``n`` and ``data``
    for chart ``name`` (one of :data:`TITLES`). Raises KeyError naming the charts for another name."""
    if name not in TITLES:
        raise KeyError(f"caption: no chart {name!r}; charts: {', '.join(TITLES)}")
    s = a.settings
    region = _("regions: {regions}", regions=", ".join(s.regions)) if s.regions else _("all regions")
    span = f"{s.year_start}-{s.year_end}"
    out = {"title": _(TITLES[name]), "datasets": [a.release], "caveat": [a.year_note] + _partial(a)}
    if name == "countries-reporting":
        out.update(description=_("Number of countries with at least one usable published count of detected "
                                 "trafficking victims (a total, or by form of exploitation), {span}, {region}. A "
                                 "suppressed cell (<5, 0 to 4) counts as a report; UNODC's placeholder rows do not. "
                                 "Dashed: leaving out country-years whose forms are all <5. A gap is a year with no "
                                 "such rows.", span=span, region=region),
                   n=_("{n} countries at most in one year", n=int(a.counts.max().max())), data=a.counts.reset_index())
    elif name == "se-share-all-vs-panel":
        who = a.without_unit
        extra = _(" Dashed: all reporters without {name}, the country flagged most often in these years (it holds "
                  "more than {max_share:.0%} of a year's victims by form, or moves the share by more than "
                  "{max_points:g} points).", name=who[1], max_share=s.max_share, max_points=s.max_points) if who else ""
        out.update(description=_("Bands are the bounds from suppressed cells (each <5 is 0 to 4). Blue: all countries "
                                 "reporting by form that year; orange: the countries reporting in every year "
                                 "{start}-{end} (grey). {region}.{extra}", start=s.panel_start, end=s.panel_end,
                                 region=region, extra=extra),
                   n=_("{n} countries at most (all); {panel} (panel)", n=int(a.share_all['units'].max()),
                       panel=len(a.panel)),
                   data=a.shares_table().reset_index(names="year"))
        out["caveat"] = [_("A share of detections, not of victims; the panel removes changes in who reports, not "
                           "changes in how much each country detects.")] + out["caveat"]
    elif name == "latest-split":
        printed = _(", and as UNODC's {edition} report printed them", edition=a.printed['edition']) if a.printed else ""
        if not a.printed:
            out["title"] = _("The latest split by form: all reporters and without the country that drives it")
        out.update(description=_("Shares of {se} and {fl} among detected victims with a form, {year}: summed over all "
                                 "reporters, without {name}, with each country's {year} 'or most recent' year (back "
                                 "to {back}){printed}.", se=_lower(SE), fl=_lower(FL), year=a.influence_year,
                                 name=a.influence.top['name'], back=a.influence_year - s.lookback, printed=printed),
                   n=_("{n} countries reporting by form in {year}", n=a.influence.units, year=a.influence_year),
                   data=split_data(a))
        out["caveat"] = [a.influence_sentence(), a.year_note]
        if a.printed:
            out["datasets"] = [a.release, "glotip-editions"]
    elif name == "change-decomposition":
        r = a.rise
        note = ([_("Of the {entering:,.0f} detected victims of countries entering in {year}, {share:.0%} are "
                   "{name}'s ({release}).", entering=r['entering'], year=r['year'], share=r['entering_top_share'],
                   name=r['entering_top_name'], release=a.release)]
                if r and r["entering_top_share"] > s.max_share else [])
        out.update(description=_("Each bar splits the change in the summed total of detected victims into countries "
                                 "that entered, left, or continued; the black tick is the net change. The parts add up "
                                 "exactly (largest error {error:.1g}). {region}.", error=a.error, region=region),
                   n=_("{n} countries at most in one year", n=int(a.counts['total'].max())),
                   data=a.decomposition.reset_index())
        out["caveat"] = note + [_("Suppressed cells taken at 0 (low bound); at most 4 more per suppressed cell.")] \
            + out["caveat"]
    else:
        out.update(title=_("How much of the 'global' count comes from the {k} largest reporting countries", k=s.top_k),
                   description=_("Share of each year's summed total of detected victims reported by the {k} countries "
                                 "with the largest counts that year (band: bounds from suppressed cells). {region}.",
                                 k=s.top_k, region=region),
                   n=_("{n} countries at most in one year", n=int(a.top['units'].max())),
                   data=a.top.reset_index(names="year"))
    return out


def split_data(a: CoverageAnalysis):
    """The numbers behind the latest-split chart: the recounts and UNODC's printed shares."""
    import pandas as pd

    from critique.methods.coverage import pooling

    rows = a.splits.assign(source=a.release, pooling=pooling.shown(a.splits["pooling"]))
    if a.printed:
        p = a.printed
        rows = pd.concat([rows, pd.DataFrame([{"pooling": _("UNODC {edition} report ({verification})",
                                                              edition=p['edition'], verification=p['verification']),
                                               "excluded": "", SE: p["se"], FL: p["fl"],
                                               "source": "glotip-editions"}])], ignore_index=True)
    return rows
