"""Notebook 12's analysis in one call (:func:`analyse` -> :class:`RevisionAnalysis`): the same data
years in two UNODC releases, the change split exactly into added, dropped and revised countries, the
largest revisions, one headline in each release, and which country drives each of those changes
(:func:`critique.methods.coverage.influence.influence`). Methods and references: :mod:`critique.methods.revisions`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from critique.methods.coverage import influence as inf_
from critique.core.errors import ParameterError
from critique.core.i18n import N_, _, format_locale
from critique.methods.revisions import (PARTS, Headline, decompose, headline, headline_table, largest_revisions,
                                pair_countries, year_totals)

REV_CAVEAT = N_("Sums over countries with a national total; UNODC's aggregate rows are left out, so these are not "
              "UNODC's published totals.")
BOUND_NOTE = N_("a '<5' cell counts 0 at the low bound and 4 at the high bound")
SUPPRESSED_TEXT = N_("'<5' (0 to 4)")
BOUNDS = (N_("low"), N_("high"))  # the bound of a "<5" cell, as the captions name it


def _count_text(row: pd.Series, col: str) -> str:
    """A count as the reader sees it: ``'<5' (0 to 4)`` for a suppressed cell, else grouped digits."""
    if row[f"suppressed_{col}"]:
        return _(SUPPRESSED_TEXT)
    return format_locale("{n:,.0f}", {"n": row[f"count_{col}"]})


@dataclass
class RevisionAnalysis:
    """Two releases' national totals (``A`` older, ``B`` newer) and every comparison notebook 12 shows."""

    older: str
    newer: str
    labels: dict
    A: pd.DataFrame
    B: pd.DataFrame
    bound: str
    by_year: pd.DataFrame
    by_region: pd.DataFrame
    focus_year: int
    largest: pd.DataFrame
    headlines: list[Headline]  # older, newer, and the newer without the driving country when it is flagged
    focus_influence: inf_.Influence
    headline_influence: inf_.Influence

    @property
    def errors(self) -> int:
        """Largest abs(added + dropped + revised - change) over years and both bounds (0: exact)."""
        D = self.by_year
        return max(int((D[f"change_{x}"] - D[[f"{p}_{x}" for p in PARTS]].sum(axis=1)).abs().max()) for x in ("low", "high"))

    def chart_years(self) -> pd.DataFrame:
        """The by-year decomposition for the years the older release covers (what the chart draws)."""
        return self.by_year[self.by_year["countries_a"] > 0]

    def totals(self) -> dict[str, pd.DataFrame]:
        return {self.labels[self.older]: year_totals(self.A), self.labels[self.newer]: year_totals(self.B)}

    def totals_data(self) -> pd.DataFrame:
        t = self.totals()
        return pd.concat([t[self.labels[r]].assign(release=r) for r in (self.older, self.newer)])

    def region_table(self) -> pd.DataFrame:
        return self.by_region[self.by_region["year"] == self.focus_year]

    def headline_table(self) -> pd.DataFrame:
        return headline_table(self.headlines)

    def reading(self) -> dict[str, str]:
        f = self.focus_influence
        h = self.headline_influence
        r = f.top
        if f.flagged:
            focus = _("Data year {year}: {value:+.0f}% from {older} to {newer} over all countries; {name} holds "
                      "{holds:.0%} of one release's total and without it the change is {without:+.0f}% ({flag}).",
                      year=self.focus_year, value=f.value, older=self.older, newer=self.newer, name=r['name'],
                      holds=r['holds'], without=r['without'], flag=r['flag'])
        else:
            focus = _("Data year {year}: {value:+.0f}% from {older} to {newer} over all countries; no single country "
                      "holds more than {max_share:.0%} of either release's total or moves the change by more than "
                      "{max_points:g} points.", year=self.focus_year, value=f.value, older=self.older,
                      newer=self.newer, max_share=f.max_share, max_points=f.max_points)
        a_last, b_last = int(self.A["year"].max()), int(self.B["year"].max())
        d = self.by_year.set_index("year")
        years = _("{older} reaches data year {a_last} and {newer} {b_last}; the comparison covers the years the older "
                  "release holds. {a_last}, the older release's latest year, was still being reported there: {n_a} "
                  "countries in it against {n_b} in the newer release.", older=self.older, a_last=a_last,
                  newer=self.newer, b_last=b_last, n_a=int(d.at[a_last, 'countries_a']),
                  n_b=int(d.at[a_last, 'countries_b']))
        return {"compare": _("Comparing **{older}** with **{newer}**. {years}", older=self.older, newer=self.newer,
                             years=years), "years": years, "focus": focus,
                "headline": h.reading(), "largest": self.largest_sentence()}

    def largest_sentence(self) -> str:
        if self.largest.empty:
            return _("No country-year changed between the two releases.")
        t = self.largest.iloc[0]
        return _("The largest single revision is {country} {year}: {a} detected victims in {older}, {b} in {newer}.",
                 country=t['country'], year=int(t['year']), a=_count_text(t, "a"), older=self.older,
                 b=_count_text(t, "b"), newer=self.newer)

    def findings(self) -> dict[str, object]:
        """Every key the notebook records (keys of notebooks/key_findings/12-revisions.yml and more)."""
        b, D, RA = self.bound, self.by_year, self.by_region
        out: dict[str, object] = {
            "release_older": self.older, "release_newer": self.newer,
            "decomposition_exact_max_error": self.errors,
            "decomposition": {int(r.year): {"change": int(getattr(r, f"change_{b}")), "added": int(getattr(r, f"added_{b}")),
                                            "dropped": int(getattr(r, f"dropped_{b}")), "revised": int(getattr(r, f"revised_{b}")),
                                            "countries_older": int(r.countries_a), "countries_newer": int(r.countries_b)}
                              for r in D.itertuples()},
            "decomposition_by_region": {
                int(y): {r.region: {"change": int(getattr(r, f"change_{b}")), "added": int(getattr(r, f"added_{b}")),
                                    "dropped": int(getattr(r, f"dropped_{b}")), "revised": int(getattr(r, f"revised_{b}"))}
                         for r in g.itertuples()}
                for y, g in RA[RA["countries_a"] > 0].groupby("year")},
            "focus_year": self.focus_year,
            **self.focus_influence.findings("focus_influence"),
            **self.headline_influence.findings("headline_influence"),
        }
        f = D[D["year"] == self.focus_year].iloc[0]
        for x in ("low", "high"):
            for part in ("total_a", "total_b", "change", *PARTS):
                name = part.replace("total_a", "total_older").replace("total_b", "total_newer")
                out[f"focus_{name}_{x}"] = int(f[f"{part}_{x}"])
        out.update({"focus_countries_older": int(f["countries_a"]), "focus_countries_newer": int(f["countries_b"]),
                    "focus_only_newer": int(f["only_b"]), "focus_only_older": int(f["only_a"]),
                    "focus_revised_countries": int(f["revised_countries"])})
        if len(self.largest):
            t = self.largest.iloc[0]
            out.update({"largest_revision": {"iso3": t["iso3"], "country": t["country"], "year": int(t["year"]),
                                             "count_older": float(t["count_a"]), "count_newer": float(t["count_b"])},
                        "largest_revision_country": str(t["country"]), "largest_revision_year": int(t["year"]),
                        "largest_revision_older": float(t["count_a"]), "largest_revision_newer": float(t["count_b"])})
            for who, col in (("older", "a"), ("newer", "b")):
                out[f"largest_revision_{who}_text"] = _count_text(t, col)
        for who, h in (("older", self.headlines[0]), ("newer", self.headlines[1])):
            out[f"headline_pct_{who}_low"] = round(h.change_pct[0], 1)
            out[f"headline_pct_{who}_high"] = round(h.change_pct[1], 1)
            out[f"headline_panel_pct_{who}_low"] = round(h.panel_change_pct[0], 1)
            out[f"headline_panel_pct_{who}_high"] = round(h.panel_change_pct[1], 1)
        out.update({"headline_from": self.headlines[0].year_from, "headline_to": self.headlines[0].year_to})
        return out

    def caption(self, name: str) -> dict:
        """Caption keywords for ``charts.finalise`` (names: totals-by-release, decomposition-by-year,
        decomposition-by-region, largest-revisions, headline-by-release)."""
        o, n, b, fy = self.older, self.newer, self.bound, self.focus_year
        D = self.by_year
        driver = ([self.reading()["focus"]] if self.focus_influence.flagged else [])
        caps = {
            "totals-by-release": dict(
                title=_("Summed detected victims per data year, as each release gives them"),
                description=_("Sum of national totals of detected victims per data year in two UNODC releases, with "
                              "bounds from cells published as <5 ({note}), and the number of reporting countries.",
                              note=_(BOUND_NOTE)),
                caveat=[_(REV_CAVEAT)] + driver,
                n=_("{a} and {b} countries", a=self.A['iso3'].nunique(), b=self.B['iso3'].nunique()),
                data=self.totals_data()),
            "decomposition-by-year": dict(
                title=_("Why the same data year sums differently in two releases"),
                description=_("Change in the summed detected victims per data year from {older} to {newer}, split into "
                              "countries only in the newer release, countries only in the older release and revised "
                              "counts of countries in both ({bound} bound of <5 cells). Years the older release does not "
                              "cover are left out.", older=o, newer=n, bound=_(b)),
                caveat=[_(REV_CAVEAT)] + driver,
                n=_("{n} countries at most in one year", n=int(D['countries_b'].max())), data=D),
            "decomposition-by-region": dict(
                title=_("Data year {year}: the change between releases by region", year=fy),
                description=_("Change in summed detected victims for data year {year} from {older} to {newer}, by "
                              "UNODC region, split into added, dropped and revised countries ({bound} bound of <5 "
                              "cells).", year=fy, older=o, newer=n, bound=_(b)),
                caveat=[_(REV_CAVEAT)] + driver,
                n=_("{n} countries in the newer release", n=int(D.loc[D['year'] == fy, 'countries_b'].iloc[0])),
                data=self.region_table()),
            "largest-revisions": dict(
                title=_("The largest revisions of a country's count between releases"),
                description=_("The {n} country-years present in both releases whose count of detected victims changed "
                              "most from {older} to {newer}.", n=len(self.largest), older=o, newer=n),
                caveat=[_("A '<5' cell (0 to 4) is drawn at its upper bound, 4."), _(REV_CAVEAT),
                        self.largest_sentence()],
                n=_("{n} country-years", n=len(self.largest)), data=self.largest),
            "headline-by-release": dict(
                title=_("'Detected victims rose ...% from {start} to {end}', in each release",
                        start=self.headlines[0].year_from, end=self.headlines[0].year_to),
                description=(_("Percentage change in summed detected victims from {start} to {end} as each release "
                               "gives it, over all reporting countries and over the countries reporting in both years; "
                               "the third group is the newer release without {name}.",
                               start=self.headlines[0].year_from, end=self.headlines[0].year_to,
                               name=self.headline_influence.top['name'])
                             if len(self.headlines) > 2 else
                             _("Percentage change in summed detected victims from {start} to {end} as each release "
                               "gives it, over all reporting countries and over the countries reporting in both years.",
                               start=self.headlines[0].year_from, end=self.headlines[0].year_to)),
                caveat=[_(REV_CAVEAT)] + ([self.headline_influence.reading()] if self.headline_influence.flagged else []),
                n=_("{n} countries in {year} (newer release)", n=self.headlines[1].countries_to,
                    year=self.headlines[1].year_to),
                data=self.headline_table()),
        }
        if name not in caps:
            raise KeyError(f"caption: no chart {name!r}; charts: {', '.join(caps)}")
        return {**caps[name], "datasets": [o, n]}


def analyse(A: pd.DataFrame, B: pd.DataFrame, older: str, newer: str, labels: dict, *, focus_year: int,
            headline_from: int, headline_to: int, top_n: int = 15, bound: str = "high",
            max_share: float = inf_.MAX_SHARE, max_points: float = inf_.MAX_POINTS) -> RevisionAnalysis:
    """``A``, ``B``: :func:`critique.methods.revisions.national_totals` of the older and newer release.
    Raises ParameterError when the older release has no data for ``focus_year`` or a headline year
    has no reporting country, or ``bound`` is not low or high."""
    if bound not in ("low", "high"):
        raise ParameterError(f"parameter bound={bound!r}; choose low or high")
    D = decompose(A, B, by=["year"])
    F = D[D["year"] == focus_year]
    if F.empty or int(F["countries_a"].iloc[0]) == 0:
        raise ParameterError(f"focus_year={focus_year}: the older release {older} has no data for it "
                             f"(years {int(A['year'].min())}-{int(A['year'].max())})")
    pairs = pair_countries(A, B)
    fy = pairs[pairs["year"] == focus_year]
    long = pd.concat([fy.assign(release="older", value=fy[f"{bound}_a"]), fy.assign(release="newer", value=fy[f"{bound}_b"])])
    focus = inf_.influence(long, "value", "iso3", "release", measure="change", base="older", part="newer",
                           max_share=max_share, max_points=max_points, release=_("{older} to {newer}", older=older, newer=newer),
                           label=_("Summed detected victims of data year {year}, older to newer release",
                                   year=focus_year))
    heads = [headline(T, headline_from, headline_to, release=r) for r, T in ((older, A), (newer, B))]
    span = B[B["year"].isin([headline_from, headline_to])]
    head_inf = inf_.influence(span, bound, "iso3", "year", measure="change", base=headline_from, part=headline_to,
                              max_share=max_share, max_points=max_points, release=newer,
                              label=_("Detected victims {start} to {end}, all reporters", start=headline_from,
                                      end=headline_to))
    if head_inf.flagged:  # the flagged chart draws the headline without the country that drives it
        who = str(head_inf.top["unit"])
        heads.append(headline(B[B["iso3"] != who], headline_from, headline_to,
                              release=_("{release} without {name}", release=newer, name=head_inf.top['name'])))
    return RevisionAnalysis(older, newer, labels, A, B, bound, D, decompose(A, B, by=["year", "region"]),
                            focus_year, largest_revisions(A, B, n=top_n), heads, focus, head_inf)
