"""Captions of notebook 10's UNODC charts, generated from a :class:`CoverageAnalysis`: the title,
what each chart shows, its caveats (partial and provisional years, the driving country and the
release) and its N, as keyword arguments for ``critique.figures.charts.finalise``."""
from __future__ import annotations

from critique.methods.coverage.analysis import FL, SE, CoverageAnalysis
from critique.datasets import glotip_rules

TITLES = {
    "countries-reporting": "How many countries report detected victims, by year",
    "se-share-all-vs-panel": "Sexual-exploitation share of detected victims: all reporters vs a fixed panel",
    "latest-split": "The latest split by form: all reporters, without the driving country, and as UNODC printed it",
    "change-decomposition": "Change in detected victims: entering, leaving and continuing countries",
    "top-reporters-share": "How much of the 'global' count comes from the largest reporting countries",
}


def _partial(a: CoverageAnalysis) -> list[str]:
    if not a.partial:
        return []
    return [f"Hatched: {glotip_rules.PARTIAL_LABEL} ({', '.join(map(str, a.partial))}); not a fall in reporting."]


def caption(a: CoverageAnalysis, name: str) -> dict:
    """``title``, ``description``, ``caveat``, ``datasets`` (the release read), ``n`` and ``data``
    for chart ``name`` (one of :data:`TITLES`). Raises KeyError naming the charts for another name."""
    if name not in TITLES:
        raise KeyError(f"caption: no chart {name!r}; charts: {', '.join(TITLES)}")
    s = a.settings
    region = f"regions: {', '.join(s.regions)}" if s.regions else "all regions"
    span = f"{s.year_start}-{s.year_end}"
    out = {"title": TITLES[name], "datasets": [a.release], "caveat": [a.year_note] + _partial(a)}
    if name == "countries-reporting":
        out.update(description=("Number of countries with at least one usable published count of detected trafficking "
                                f"victims (a total, or by form of exploitation), {span}, {region}. A suppressed cell "
                                "(<5, 0 to 4) counts as a report; UNODC's placeholder rows do not. Dashed: leaving out "
                                "country-years whose forms are all <5. A gap is a year with no such rows."),
                   n=f"{int(a.counts.max().max())} countries at most in one year", data=a.counts.reset_index())
    elif name == "se-share-all-vs-panel":
        who = a.without_unit
        extra = (f" Dashed: all reporters without {who[1]}, the country flagged most often in these years "
                 f"(it holds more than {s.max_share:.0%} of a year's victims by form, or moves the share by more "
                 f"than {s.max_points:g} points)." if who else "")
        out.update(description=("Bands are the bounds from suppressed cells (each <5 is 0 to 4). Blue: all countries "
                                "reporting by form that year; orange: the countries reporting in every year "
                                f"{s.panel_start}-{s.panel_end} (grey). {region}.{extra}"),
                   n=f"{int(a.share_all['units'].max())} countries at most (all); {len(a.panel)} (panel)",
                   data=a.shares_table().reset_index(names="year"))
        out["caveat"] = ["A share of detections, not of victims; the panel removes changes in who reports, not "
                         "changes in how much each country detects."] + out["caveat"]
    elif name == "latest-split":
        printed = f", and as UNODC's {a.printed['edition']} report printed them" if a.printed else ""
        if not a.printed:
            out["title"] = "The latest split by form: all reporters and without the country that drives it"
        out.update(description=(f"Shares of {SE.lower()} and {FL.lower()} among detected victims with a form, "
                                f"{a.influence_year}: summed over all reporters, without {a.influence.top['name']}, "
                                f"with each country's {a.influence_year} 'or most recent' year (back to "
                                f"{a.influence_year - s.lookback}){printed}."),
                   n=f"{a.influence.units} countries reporting by form in {a.influence_year}",
                   data=split_data(a))
        out["caveat"] = [a.influence_sentence(), a.year_note]
        if a.printed:
            out["datasets"] = [a.release, "glotip-editions"]
    elif name == "change-decomposition":
        r = a.rise
        note = ([f"Of the {r['entering']:,.0f} detected victims of countries entering in {r['year']}, "
                 f"{r['entering_top_share']:.0%} are {r['entering_top_name']}'s ({a.release})."]
                if r and r["entering_top_share"] > s.max_share else [])
        out.update(description=("Each bar splits the change in the summed total of detected victims into countries that "
                                "entered, left, or continued; the black tick is the net change. The parts add up "
                                f"exactly (largest error {a.error:.1g}). {region}."),
                   n=f"{int(a.counts['total'].max())} countries at most in one year", data=a.decomposition.reset_index())
        out["caveat"] = note + ["Suppressed cells taken at 0 (low bound); at most 4 more per suppressed cell."] + out["caveat"]
    else:
        out.update(title=f"How much of the 'global' count comes from the {s.top_k} largest reporting countries",
                   description=(f"Share of each year's summed total of detected victims reported by the {s.top_k} "
                                "countries with the largest counts that year (band: bounds from suppressed cells). "
                                f"{region}."),
                   n=f"{int(a.top['units'].max())} countries at most in one year", data=a.top.reset_index(names="year"))
    return out


def split_data(a: CoverageAnalysis):
    """The numbers behind the latest-split chart: the recounts and UNODC's printed shares."""
    import pandas as pd

    rows = a.splits.assign(source=a.release)
    if a.printed:
        p = a.printed
        rows = pd.concat([rows, pd.DataFrame([{"pooling": f"UNODC {p['edition']} report ({p['verification']})",
                                               "excluded": "", SE: p["se"], FL: p["fl"],
                                               "source": "glotip-editions"}])], ignore_index=True)
    return rows
