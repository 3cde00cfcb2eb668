"""Country profiles: one page per country for a briefing, and ``critique profiles``.

A profile (``notebooks/profiles/country-profile.ipynb``, parameter ``iso3``) shows the country's
UNODC detected-victim series by form of exploitation with its coverage and suppressed cells, its
TIP tier history, the TIP and global-estimate context, its Global Slavery Index estimate against
what it detects, any policy change in the policy table, and a "what not to conclude" box that
:func:`what_not_to_conclude` builds from the data.

The data functions here are pure (frames in, frames out); :func:`build_profiles` renders many
profiles into ``reports/countries/<ISO3>/`` through :func:`critique.reports.run_jobs` (the
runner's validated parameters, atomic output and run-key skip) and writes an index; with
``batch=True`` it runs several countries per kernel instead (:func:`run_batch`), which keeps
papermill's parameter model (``parameterize_notebook``) and the runner's output layout.

The runner's ``choices:`` cannot list some 200 codes, so :func:`check_iso3` validates codes before
anything runs: an unknown code is refused with the closest codes (``countries.closest_iso3``).
"""
from __future__ import annotations

import argparse
import difflib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from critique import paths

FORMS = ("Sexual exploitation", "Forced labour", "Other forms of exploitation")
INDICATOR = "Detected trafficking victims"
SHORT_SERIES_YEARS = 5  # fewer reported years than this: no trend is read (see what_not_to_conclude)
OTHER_SPLIT_YEAR = 2017  # the 2023 workbook splits "Other forms" into sub-forms from 2017


def notebook() -> Path:
    """The profile notebook."""
    return paths.notebooks_dir() / "profiles" / "country-profile.ipynb"


def out_root() -> Path:
    """``reports/countries/``."""
    return paths.reports_dir() / "countries"


# --------------------------------------------------------------------------------------------
# Which countries, and checking a requested code
# --------------------------------------------------------------------------------------------
def countries_with_data(glotip: pd.DataFrame) -> list[str]:
    """ISO3 codes with at least one usable UNODC cell (a value or a suppressed "<5") for any
    indicator (rows flagged in ``exclude_reason``, such as placeholders, do not count)."""
    from critique.datasets.glotip_rules import usable

    glotip = usable(glotip)
    has = glotip["value"].notna() | glotip["suppressed"].astype(bool)
    codes = glotip.loc[has & glotip["iso3"].notna(), "iso3"].astype(str).unique()
    return sorted(codes)


def check_iso3(codes: Iterable[str], available: Sequence[str]) -> list[str]:
    """Upper-cased codes, each one in ``available``; otherwise a ParameterError naming the code
    and the closest codes (a real ISO3 without UNODC data is told so, with close codes that have).
    """
    avail = set(available)
    out: list[str] = []
    for raw in codes:
        code = str(raw).strip().upper()
        if code in avail:
            out.append(code)
            continue
        # imported only to refuse: runner pulls in nbformat/jsonschema (3 s) and countries builds
        # country_converter's table, which a profile run that passes the check does not need
        from critique import countries
        from critique.errors import ParameterError

        if code in countries.valid_iso3():
            close = difflib.get_close_matches(code, sorted(avail), n=3, cutoff=0.5)
            raise ParameterError(
                f"iso3 '{raw}' ({countries.name_of(code)}) has no UNODC data in glotip, so it has no "
                f"profile" + (f"; close codes with data: {', '.join(close)}" if close else ""))
        close = [c for c in countries.closest_iso3(str(raw), n=5) if c in avail][:3]
        if not close:
            close = difflib.get_close_matches(code, sorted(avail), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ParameterError(f"iso3 '{raw}' is not an ISO 3166-1 alpha-3 code of a country with "
                             f"UNODC data{hint} ({len(avail)} countries have a profile)")
    return out


# --------------------------------------------------------------------------------------------
# The UNODC series by form, with coverage and suppressed cells
# --------------------------------------------------------------------------------------------
def form_series(glotip: pd.DataFrame, iso3: str) -> pd.DataFrame:
    """Detected victims by form of exploitation and year (sex and age Total), plus the national total.

    Columns: year, form (the three forms and ``Total``), value (sum of published numbers; missing
    when any part is suppressed: then only the bounds are known), low and high (bounds: a "<5" cell counts 0 and 4),
    suppressed (any part was "<5"), parts (rows summed: "Other forms" has sub-forms from 2017),
    all_suppressed (every part was "<5"). Only usable cells appear (``exclude_reason`` missing:
    UNODC's placeholder rows and a form row repeating the total are left out): a missing year is
    *not reported*, not zero.
    """
    from critique.datasets.glotip_rules import usable

    glotip = usable(glotip)
    sel = glotip.loc[(glotip["iso3"] == iso3) & (glotip["indicator"] == INDICATOR)
                     & (glotip["sex"] == "Total") & (glotip["age"] == "Total")
                     & (((glotip["dimension"] == "by form of exploitation") & glotip["category"].isin(FORMS))
                        | ((glotip["dimension"] == "Total") & (glotip["category"] == "Total")))]
    sel = sel.loc[sel["value"].notna() | sel["suppressed"].astype(bool)]
    if sel.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int), "form": pd.Series(dtype=str),
                             "value": pd.Series(dtype=float), "low": pd.Series(dtype=float),
                             "high": pd.Series(dtype=float), "suppressed": pd.Series(dtype=bool),
                             "parts": pd.Series(dtype=int), "all_suppressed": pd.Series(dtype=bool)})
    frame = pd.DataFrame({
        "year": sel["year"].astype(int).to_numpy(),
        "form": np.where(sel["dimension"].to_numpy() == "Total", "Total", sel["category"].astype(str).to_numpy()),
        "value": sel["value"].astype(float).to_numpy(),
        "low": sel["value"].fillna(sel["value_low"]).astype(float).to_numpy(),
        "high": sel["value"].fillna(sel["value_high"]).astype(float).to_numpy(),
        "suppressed": sel["suppressed"].astype(bool).to_numpy(),
    })
    out = frame.groupby(["year", "form"], as_index=False).agg(
        value=("value", lambda v: v.sum(min_count=1)), low=("low", "sum"), high=("high", "sum"),
        suppressed=("suppressed", "any"), parts=("value", "size"),
        all_suppressed=("suppressed", "all"))
    # a sum with a suppressed part is only known as bounds: never show a partial sum as the value
    out["value"] = out["value"].mask(out["suppressed"])
    return out.sort_values(["year", "form"]).reset_index(drop=True)


def coverage(series: pd.DataFrame, years: Sequence[int], partial: Sequence[int] = ()) -> pd.DataFrame:
    """Per data year: whether a total and which forms were reported, and suppressed cells.

    Columns: year, total_reported, forms_reported (0-3), suppressed_cells, status
    (``not reported``, ``total only``, ``forms only``, ``total and forms``; ``"all <5"`` is added
    when every form cell of the year is "<5", i.e. 0 to 4 each: no mix of forms can be read; a
    year in ``partial`` (the release's incomplete latest year) that has nothing is ``not yet
    reported (release lag)``, not ``not reported``).
    """
    yrs = pd.Index(list(years), name="year")
    tot = series.loc[series["form"] == "Total"].set_index("year")
    forms = series.loc[series["form"] != "Total"]
    out = pd.DataFrame(index=yrs)
    out["total_reported"] = yrs.isin(tot.index)
    out["forms_reported"] = forms.groupby("year")["form"].nunique().reindex(yrs).fillna(0).astype(int)
    out["suppressed_cells"] = series.groupby("year")["suppressed"].sum().reindex(yrs).fillna(0).astype(int)
    status = np.select([out["total_reported"] & (out["forms_reported"] > 0), out["total_reported"],
                        out["forms_reported"] > 0], ["total and forms", "total only", "forms only"],
                       "not reported")
    all_sup = forms.groupby("year")["all_suppressed"].all() if "all_suppressed" in forms else pd.Series(dtype=bool)
    all_sup = all_sup.reindex(yrs).fillna(False).astype(bool).to_numpy() & (out["forms_reported"].to_numpy() > 0)
    status = np.where(all_sup, np.char.add(status.astype(str), " (forms all <5)"), status)
    lag = yrs.isin([int(y) for y in partial]) & (status == "not reported")
    out["status"] = np.where(lag, "not yet reported (release lag)", status)
    return out.reset_index()


# --------------------------------------------------------------------------------------------
# The "what not to conclude" box
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Caution:
    """One thing the data do not support, with the figures that trigger it."""

    key: str
    text: str


def _runs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of years: [2003, 2004, 2007] -> [(2003, 2004), (2007, 2007)]."""
    runs: list[tuple[int, int]] = []
    for y in sorted(set(int(v) for v in years)):
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def _span(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def what_not_to_conclude(series: pd.DataFrame, *, tier_statuses: Sequence[str] = (),
                         tier_changes: int = 0, policies: pd.DataFrame | None = None,
                         gsi_estimate: float | None = None,
                         short_years: int = SHORT_SERIES_YEARS) -> list[Caution]:
    """The cautions a reader of this country's profile needs, generated from its data.

    Rules (each fires only when its condition holds in the data):

    - ``no-data``: no detected-victim cell at all;
    - ``short-series``: fewer than ``short_years`` years with a national total: no trend;
    - ``gaps``: years missing inside the reported span (a missing year is not zero, and a change
      across a gap mixes reporting with trafficking);
    - ``suppressed``: "<5" cells (a value of 0 to 4, shown as bounds; a share built on them is a
      range);
    - ``forms-partial``: years with a total but no split by form, or forms that do not add up to the
      total (shares of the reported forms are not shares of all detected victims);
    - ``other-split``: "Other forms" recorded as several sub-forms from 2017 (a recording change);
    - ``detection``: always, when there are data: counts are victims detected, which rise with
      policing and coverage (UNODC GLOTIP 2018: a rise "can reflect ... enhanced efforts by
      authorities to identify victims and/or a larger trafficking problem");
    - ``tier``: a tier change grades government effort as judged by the US State Department, not
      the extent of trafficking (Kelley 2017); ``tier-gaps`` when report years are unknown;
    - ``policy``: a policy change in the table: a before/after difference in detected counts is not
      its effect; an ``unverified`` row's date is not established;
    - ``gsi``: a Global Slavery Index figure is a model extrapolation, so detected/estimate is not
      a detection rate.
    """
    out: list[Caution] = []
    tot = series.loc[series["form"] == "Total"]
    forms = series.loc[series["form"] != "Total"]
    all_years = sorted(set(series["year"].astype(int)))
    if not all_years:
        out.append(Caution("no-data", "UNODC has no detected-victim figure for this country: absence "
                           "of data says nothing about the absence of trafficking."))
    else:
        total_years = sorted(set(tot["year"].astype(int)))
        if len(total_years) < short_years:
            shown = ", ".join(str(y) for y in total_years) or "none"
            out.append(Caution("short-series", f"Short series: a national total in only "
                               f"{len(total_years)} year(s) ({shown}); no trend can be read from it."))
        runs = _runs(all_years)
        if len(runs) > 1:
            gaps = [_span(a[1] + 1, b[0] - 1) for a, b in zip(runs, runs[1:])]
            out.append(Caution("gaps", f"Breaks in reporting: nothing reported in {', '.join(gaps)}. "
                               "A missing year is not zero, and a change across a gap mixes a change "
                               "in reporting with any change in trafficking."))
        n_sup = int(series["suppressed"].sum())
        if n_sup:
            out.append(Caution("suppressed", f"{n_sup} of {len(series)} cells are suppressed (\"<5\": "
                               "a value from 0 to 4). They are shown as bounds; any share or change "
                               "built on them is a range, not a number."))
        no_forms = [y for y in total_years if y not in set(forms["year"].astype(int))]
        both = tot.set_index("year")[["value"]].join(
            forms.groupby("year")[["low", "high"]].sum(), how="inner")
        mismatch = both.loc[both["value"].notna() & ((both["high"] < both["value"])
                                                     | (both["low"] > both["value"]))].index.tolist()
        if no_forms or mismatch:
            parts = []
            if no_forms:
                parts.append(f"no split by form in {', '.join(_span(a, b) for a, b in _runs(no_forms))}")
            if mismatch:
                parts.append(f"forms do not add up to the total in {', '.join(_span(a, b) for a, b in _runs(mismatch))}")
            out.append(Caution("forms-partial", "Forms of exploitation are partial: " + "; ".join(parts)
                               + ". A share of the reported forms is not a share of all detected victims."))
        if (forms.loc[forms["form"] == "Other forms of exploitation", "parts"] > 1).any():
            out.append(Caution("other-split", f"From {OTHER_SPLIT_YEAR} 'Other forms' are recorded as "
                               "several sub-forms (added up here): a change in recording, not in exploitation."))
        out.append(Caution("detection", "These are victims detected and reported by national "
                           "authorities: a rise can mean more policing, more training or wider coverage, "
                           "and the mix of forms may follow where detection happens (UNODC's 2009 report "
                           "called the predominance of sexual exploitation a possible 'optical illusion': "
                           "a hypothesis, not a measurement)."))
    if tier_changes:
        out.append(Caution("tier", f"The TIP tier changed {tier_changes} time(s). A tier grades government "
                           "effort as judged by the US State Department (Kelley 2017; a Reuters investigation, "
                           "3 Aug 2015, reported diplomatic pressure on ratings, which the Department "
                           "denied), not the extent of trafficking."))
    unknown = sum(1 for s in tier_statuses if str(s).startswith("unknown"))
    if unknown:
        out.append(Caution("tier-gaps", f"The tier is unknown in {unknown} report year(s) (partial "
                           "transcription): an unlisted year is not Tier 2."))
    if policies is not None and len(policies):
        unverified = policies.loc[policies["verification"] == "unverified", "policy_id"].astype(str).tolist()
        text = ("A policy change is in the policy table: a before/after difference in detected counts is "
                "not its effect (detection changes with the policy itself; see notebook 50).")
        if unverified:
            text += f" Unverified (date not established): {', '.join(unverified)}."
        out.append(Caution("policy", text))
    if gsi_estimate is not None and not pd.isna(gsi_estimate):
        out.append(Caution("gsi", "The Global Slavery Index figure is a model-based extrapolation from "
                           "surveys in other countries and includes forced marriage: detected victims "
                           "divided by it is not a detection rate."))
    return out


def caution_box_html(cautions: Sequence[Caution]) -> str:
    """The box as HTML (for the notebook and its HTML page)."""
    import html

    items = "".join(f"<li><b>{html.escape(c.key)}</b>: {html.escape(c.text)}</li>" for c in cautions)
    return ("<div style='border:2px solid #b35900;background:#fff4e6;padding:0.6em 1em;margin:1em 0'>"
            "<h3 style='margin-top:0'>What not to conclude from this page</h3>"
            f"<ul>{items}</ul></div>")


# --------------------------------------------------------------------------------------------
# Context: tiers, GSI, TIP totals, policies
# --------------------------------------------------------------------------------------------
def tier_history(iso3: str, tiers_frame: pd.DataFrame) -> pd.DataFrame:
    """``critique.tiers.country_tiers`` or, for a country never rated, an empty frame of its columns."""
    from critique import tiers

    try:
        return tiers.country_tiers(iso3, tiers_frame)
    except ValueError:
        return pd.DataFrame(columns=["report_year", "complete_year", "tier", "status", "iso3"])


def tier_changes(history: pd.DataFrame) -> int:
    """How many times the tier differs from the previous *known* tier (unknown years skipped)."""
    known = history.loc[history["tier"].notna(), "tier"].astype(str).tolist()
    return int(sum(a != b for a, b in zip(known, known[1:])))


def gsi_vs_detected(iso3: str, gsi: pd.DataFrame, series: pd.DataFrame) -> dict[str, Any]:
    """The GSI 2023 estimate (reference year 2021) beside the latest national total UNODC has.

    ``ratio`` = detected / estimate for the latest year with a total; it is *not* a detection rate
    (see :func:`what_not_to_conclude`, rule ``gsi``). Missing values are None.
    """
    row = gsi.loc[gsi["iso3"] == iso3]
    est = row["estimated_number"].iloc[0] if len(row) else None
    est = None if est is None or pd.isna(est) else float(est)
    prev = row["prevalence_per_1000"].iloc[0] if len(row) else None
    prev = None if prev is None or pd.isna(prev) else float(prev)
    tot = series.loc[series["form"] == "Total"].sort_values("year")
    latest = tot.iloc[-1] if len(tot) else None
    detected = None if latest is None else float(latest["value"] if pd.notna(latest["value"]) else latest["high"])
    return {"gsi_estimate": est, "gsi_prevalence_per_1000": prev,
            "latest_year": None if latest is None else int(latest["year"]),
            "latest_detected": detected,
            "latest_suppressed": None if latest is None else bool(latest["suppressed"]),
            "ratio": (detected / est) if detected is not None and est else None}


def assessment_row(iso3: str, long: pd.DataFrame) -> pd.DataFrame:
    """The country's row of the assessments set beside the TIP tiers (notebook 32).

    ``long``: ``critique.scorecards.align.long_scores`` (iso3, measure, year, score; higher = better
    for assessments). For each measure, its latest edition: the country's score, its rank among the
    countries in that edition (1 = best; ties share the best rank) and how many there were. Context
    measures (vulnerability, the trafficking *market*) are shown without a rank. A measure that
    does not cover the country says "not assessed".
    """
    from critique.scorecards.align import MEASURES

    rows = []
    for name, m in MEASURES.items():
        sub = long.loc[long["measure"] == name]
        if sub.empty:
            continue
        ed = sub.loc[sub["year"] == sub["year"].max()]
        hit = ed.loc[ed["iso3"] == iso3, "score"]
        score = float(hit.iloc[0]) if len(hit) else None
        rank = int((ed["score"] > score).sum() + 1) if score is not None and m.assessment else None
        rows.append({"measure": m.label, "edition": int(ed["year"].iloc[0]), "scale": m.scale,
                     "score": score, "rank": rank, "of": int(len(ed)) if m.assessment else None,
                     "status": "assessed" if score is not None else "not assessed"})
    return pd.DataFrame(rows, columns=["measure", "edition", "scale", "score", "rank", "of", "status"])


def country_policies(iso3: str, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the policy-changes table for ``iso3`` (every verification status, shown as such)."""
    cols = ["policy_id", "jurisdiction", "policy_type", "instrument", "year_in_force", "verification", "citation"]
    return table.loc[table["iso3"] == iso3, cols].reset_index(drop=True)


def world_context(series: pd.DataFrame, tip_table: pd.DataFrame, glotip: pd.DataFrame) -> pd.DataFrame:
    """The country's national total beside the world's, per year with a total.

    Columns: year, country_detected (upper bound where suppressed), unodc_world (sum of national
    totals of every reporting country that year, suppressed cells at 1: a lower bound),
    unodc_reporting_countries, tip_victims_identified and its verification (TIP global table;
    unverified cells are left out: ``published.established``).
    """
    from critique.datasets import published

    tot = series.loc[series["form"] == "Total", ["year", "value", "high"]]
    from critique.datasets.glotip_rules import usable

    glotip = usable(glotip)
    world = glotip.loc[(glotip["indicator"] == INDICATOR) & (glotip["dimension"] == "Total")
                       & (glotip["category"] == "Total") & (glotip["sex"] == "Total")
                       & (glotip["age"] == "Total") & glotip["iso3"].notna()]
    world = world.assign(v=world["value"].fillna(world["value_low"]))
    w = world.groupby("year").agg(unodc_world=("v", "sum"), unodc_reporting_countries=("iso3", "nunique"))
    tip = published.established(tip_table)[["data_year", "victims_identified", "verification"]]
    tip = tip.dropna(subset=["victims_identified"]).rename(
        columns={"data_year": "year", "victims_identified": "tip_victims_identified",
                 "verification": "tip_verification"})
    tip["year"] = tip["year"].astype(int)
    out = pd.DataFrame({"year": tot["year"].astype(int),
                        "country_detected": tot["value"].fillna(tot["high"]).astype(float)})
    out = out.merge(w.reset_index(), on="year", how="left").merge(tip, on="year", how="left")
    out["country_share_of_unodc_world"] = out["country_detected"] / out["unodc_world"]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Rendering many profiles
# --------------------------------------------------------------------------------------------
@dataclass
class ProfilesResult:
    """What a profiles build did."""

    out_root: Path
    ran: list[str]
    skipped: list[str]
    failed: dict[str, str]
    index: Path | None
    timings: dict[str, float] = field(default_factory=dict)


def available(edition: str = "newest") -> list[str]:
    """Every ISO3 that has a profile (UNODC data), read from the glotip release of ``edition``."""
    from critique import datasets

    return countries_with_data(datasets.load("glotip", edition=edition))


def _params(code: str, edition: str) -> dict[str, str]:
    """A country's notebook parameters; ``edition`` only when not the default (same run keys as before)."""
    return {"iso3": code} if edition == "newest" else {"iso3": code, "edition": edition}


def build_profiles(codes: Sequence[str] | None = None, *, n_jobs: int = 1, force: bool = False,
                   root: Path | None = None, progress: bool = True, batch: bool = False,
                   index: bool = True, edition: str = "newest") -> ProfilesResult:
    """Render profiles (``codes`` or all) into ``root`` (default ``reports/countries/<ISO3>/``).

    ``edition`` is the notebooks' catalogue edition (``newest`` or a date; see
    ``critique.datasets.edition_id``).

    Unknown codes are refused before anything runs. ``batch=False`` runs each country through the
    runner (one kernel each, :func:`critique.reports.run_jobs`); ``batch=True`` runs the countries
    in ``n_jobs`` kernels (:func:`run_batch`). Both skip a country whose run key is unchanged.
    """
    from critique import reports

    avail = available(edition)
    codes = check_iso3(codes, avail) if codes else avail
    root = Path(root) if root else out_root()
    root.mkdir(parents=True, exist_ok=True)
    if batch:
        ran, skipped, failed = run_batch(codes, root, n_jobs=n_jobs, force=force, progress=progress,
                                         edition=edition)
    else:
        jobs = [reports.Job(c, notebook(), _params(c, edition), root / c) for c in codes]
        ran, skipped, failed = reports.run_jobs(jobs, n_jobs=n_jobs, force=force, progress=progress,
                                                label="profiles")
    idx = write_index(root, failures=failed) if index else None
    return ProfilesResult(root, ran, skipped, failed, idx)


def write_index(root: Path, failures: dict[str, str] | None = None) -> Path:
    """``index.html``: one row per rendered country (name, years reported, latest total, cautions).

    A simpler index than :func:`critique.reports.write_index_and_pack` (which lists every figure
    and expects ``<stem>/<stem>.html``): some 200 countries x 3 figures would bury the links.
    """
    import datetime as dt
    import html
    import json

    rows = []
    for folder in sorted(p for p in Path(root).iterdir() if (p / "findings.json").exists()):
        f = json.loads((folder / "findings.json").read_text(encoding="utf-8"))["findings"]
        latest = "-" if f.get("latest_detected") is None else (
            f"{f['latest_detected']:,.0f} ({f['latest_year']})" + (" &lt;5" if f.get("latest_suppressed") else ""))
        span = "-" if f.get("first_year") is None else f"{f['first_year']}-{f['last_year']}"
        rows.append(f"<tr><td><a href='{folder.name}/country-profile.html'>{html.escape(str(f.get('country', folder.name)))}</a>"
                    f"</td><td>{folder.name}</td><td>{span}</td><td>{f.get('years_reported', 0)}</td>"
                    f"<td>{latest}</td><td>{html.escape(', '.join(f.get('cautions', [])))}</td></tr>")
    failed = "".join(f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in sorted((failures or {}).items()))
    now = dt.datetime.now(dt.timezone.utc)
    page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Country profiles</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:0.2em 0.6em;border-bottom:1px solid #ddd;"
            "text-align:left;font-size:0.9em}</style></head><body><h1>critique-suite: country profiles</h1>"
            f"<p>{len(rows)} countries, built {now:%Y-%m-%d %H:%M UTC}. Figures are victims <em>detected</em> and "
            "reported to UNODC (data_glotip.xlsx, release of 30 May 2023): they measure detection and reporting "
            "as much as trafficking. Each page carries its own 'what not to conclude' box.</p>"
            + (f"<h2>Failed</h2><ul>{failed}</ul>" if failed else "")
            + "<table><tr><th>Country</th><th>ISO3</th><th>Years</th><th>Years reported</th>"
            "<th>Latest national total</th><th>Cautions</th></tr>" + "".join(rows) + "</table></body></html>")
    from critique.atomicio import write_text_atomic

    return write_text_atomic(Path(root) / "index.html", page)


# --------------------------------------------------------------------------------------------
# Several parameter sets per kernel
# --------------------------------------------------------------------------------------------
_RESET = """
%reset -f
import os as _os
_os.environ['CRITIQUE_OUTPUT_DIR'] = {out!r}
import matplotlib.pyplot as _plt
_plt.close('all')
del _os, _plt
"""


def _batch_worker(codes: Sequence[str], root: str, force: bool, code_fp: str,
                  timeout: int, edition: str = "newest") -> tuple[list[str], list[str], dict[str, str], dict[str, float]]:
    """Run ``codes`` one after another in one kept kernel (see :func:`run_batch`)."""
    import contextlib
    import tempfile
    import time

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from papermill.parameterize import parameterize_notebook

    from critique import runner

    nb_path = notebook()
    source_bytes = nb_path.read_bytes()
    source = runner.read_notebook(nb_path)
    ran: list[str] = []
    skipped: list[str] = []
    failed: dict[str, str] = {}
    timing = {"kernel_start_s": 0.0, "cells_s": 0.0, "write_s": 0.0}
    env = runner.kernel_environment(Path(root))
    env.pop("CRITIQUE_OUTPUT_DIR")  # set per country by the reset cell
    restore_env = contextlib.ExitStack()
    restore_env.enter_context(paths.environment(**env))
    client = None
    try:
        for code in codes:
            out_dir = Path(root) / code
            params = _params(code, edition)
            if not force and runner.is_up_to_date(nb_path, params, out_dir, code_fp):
                skipped.append(code)
                continue
            if client is None:
                t0 = time.perf_counter()
                client = NotebookClient(nbformat.from_dict(source), kernel_name=runner.KERNEL_NAME,
                                        timeout=timeout, resources={"metadata": {"path": str(paths.root())}})
                client.km = client.create_kernel_manager()
                client.start_new_kernel()
                client.start_new_kernel_client()
                timing["kernel_start_s"] += time.perf_counter() - t0
            staging = runner.make_staging(out_dir)
            nb = nbformat.from_dict(source)
            nb.metadata["papermill"] = {"parameters": {}, "environment_variables": {},
                                        "input_path": str(nb_path), "output_path": ""}  # as papermill's loader
            nb = parameterize_notebook(nb, params, report_mode=False)
            client.nb = nb
            t0 = time.perf_counter()
            client.execute_cell(nbformat.v4.new_code_cell(_RESET.format(out=str(staging))), 0,
                                store_history=False)
            try:
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
            except Exception as exc:  # a cell error, a timeout, a dead kernel
                nbformat.write(nb, str(staging / f"{nb_path.stem}.ipynb"))  # partial, for inspection
                what = (f"failed: {str(exc).strip().splitlines()[-1][:300]}" if isinstance(exc, CellExecutionError)
                        else runner.failure_reason(exc, timeout))
                if not isinstance(exc, CellExecutionError):  # busy or dead: the next country gets a new kernel
                    with contextlib.suppress(Exception):
                        client.km.shutdown_kernel(now=True)
                    client = None
                error = runner.keep_failed(
                    staging, out_dir, f"{nb_path.name} iso3={code}: cell {index} {what}", f"{nb_path.stem}.ipynb")
                failed[code] = str(error)
                timing["cells_s"] += time.perf_counter() - t0
                continue
            timing["cells_s"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            executed = staging / f"{nb_path.stem}.ipynb"
            nbformat.write(nb, str(executed))
            runner.finish_run(staging, executed, nb_path, source_bytes, params, code_fp, out_dir)
            timing["write_s"] += time.perf_counter() - t0
            ran.append(code)
    finally:
        restore_env.close()
        if client is not None:
            client._cleanup_kernel() if hasattr(client, "_cleanup_kernel") else client.km.shutdown_kernel(now=True)
    return ran, skipped, failed, timing


def run_batch(codes: Sequence[str], root: Path, *, n_jobs: int = 1, force: bool = False,
              progress: bool = True, timeout: int = 600,
              timings: dict[str, float] | None = None,
              edition: str = "newest") -> tuple[list[str], list[str], dict[str, str]]:
    """Run the profile for each code, several countries per kernel, in ``n_jobs`` processes.

    Each country is parameterised with papermill's own ``parameterize_notebook`` (the same injected
    ``parameters`` cell as a papermill run), executed cell by cell with nbclient in a kernel kept
    across countries, after ``%reset -f`` clears the namespace and ``CRITIQUE_OUTPUT_DIR`` is
    pointed at the country's staging folder. Output, findings, HTML, run key and the atomic swap
    are those of :func:`critique.runner.run_notebook`. Imports stay loaded between countries
    (``%reset`` clears names, not ``sys.modules``): that is the saving, and also why profile
    code must not keep state in module globals.
    """
    import multiprocessing

    from critique import runner

    runner.validate_parameters(notebook(), _params(codes[0], edition) if codes else {})
    runner.ensure_kernel()
    Path(root).mkdir(parents=True, exist_ok=True)
    code_fp = runner.code_fingerprint()
    chunks = [list(codes[i::max(1, n_jobs)]) for i in range(max(1, n_jobs))]
    chunks = [c for c in chunks if c]
    ran: list[str] = []
    skipped: list[str] = []
    failed: dict[str, str] = {}
    totals = timings if timings is not None else {}
    try:
        if len(chunks) <= 1:
            results = [_batch_worker(chunks[0] if chunks else [], str(root), force, code_fp, timeout, edition)]
        else:
            from critique import parallel

            with parallel.process_pool(len(chunks), context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(_batch_worker, c, str(root), force, code_fp, timeout, edition) for c in chunks]
                results = [f.result() for f in futures]
    except KeyboardInterrupt:
        for c in codes:  # workers and kernels are gone; tidy the staging folders they left
            runner.recover(Path(root) / c)
        raise runner.Interrupted("country profiles stopped; last good profiles untouched") from None
    for r, s, f, t in results:
        ran += r
        skipped += s
        failed.update(f)
        for k, v in t.items():
            totals[k] = totals.get(k, 0.0) + v
    if progress:
        print(f"profiles (batch): {len(ran)} run, {len(skipped)} unchanged, {len(failed)} failed",
              file=sys.stderr)
    return ran, skipped, failed


# --------------------------------------------------------------------------------------------
# CLI: critique profiles [--all | ISO3...] [--jobs N] [--force]
# --------------------------------------------------------------------------------------------
def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Render country profiles into reports/countries/<ISO3>/ with an index."
    parser.add_argument("codes", nargs="*", metavar="ISO3", help="countries (ISO3 codes)")
    parser.add_argument("--all", action="store_true", help="every country with UNODC data")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="re-run profiles even when unchanged")
    parser.add_argument("--batch", action="store_true",
                        help="run several countries per kernel (faster for many profiles)")
    parser.add_argument("--edition", default="newest",
                        help="catalogue edition: newest, or a date YYYY-MM-DD (each source at its newest release by then)")


def _command(args: argparse.Namespace) -> int:
    from critique.errors import ParameterError

    if args.all == bool(args.codes):
        raise ParameterError("critique profiles: give ISO3 codes or --all (not both, not neither)")
    res = build_profiles(None if args.all else args.codes, n_jobs=args.jobs, force=args.force,
                         batch=args.batch, edition=args.edition)
    print(f"profiles: {len(res.ran)} run, {len(res.skipped)} unchanged, {len(res.failed)} failed -> {res.index}")
    for name, err in res.failed.items():
        print(f"FAILED {name}: {err}", file=sys.stderr)
    return 1 if res.failed else 0


def _register() -> None:
    from critique import cli

    cli.EXTRA_COMMANDS["profiles"] = (_add_arguments, _command)


_register()
