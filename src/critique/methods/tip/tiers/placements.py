"""TIP tier placements: the two sources loaded and merged into one frame, which report years are
complete, and one country's placements (the rest of ``critique.methods.tip.tiers`` reads this frame)."""
from __future__ import annotations

from typing import Callable, Iterable, Literal, Sequence

import numpy as np
import pandas as pd

TIER_ORDER: tuple[str, ...] = ("1", "2", "2WL", "3")
TIER_DTYPE = pd.CategoricalDtype(list(TIER_ORDER), ordered=True)
EARLY_ID = "tip-tiers"
LATE_ID = "tip-tiers-2016-2025"
COVERAGE_ID = "tip-tiers-2016-2025-coverage"
Partial = Literal["error", "flag", "drop"]
PARTIAL_HELP = ("partial='error' (refuse), 'flag' (counts of transcribed rows, shares left missing) "
                "or 'drop' (leave partial years out)")


class IncompleteYearError(ValueError):
    """A computation needs complete report years and was given a partial one."""


# --------------------------------------------------------------------------------------------
# Loading and merging
# --------------------------------------------------------------------------------------------
def _map_names(names: Iterable[str], to_iso3: Callable[[str], str | None]) -> dict[str, str]:
    """Name -> ISO3 through ``to_iso3``; every unmapped name is listed in one error."""
    out, bad = {}, []
    for name in sorted(set(names)):
        try:
            code = to_iso3(name)
        except Exception:  # the converter's own error names one country; we want them all
            code = None
        if code is None or (isinstance(code, float) and np.isnan(code)) or not str(code).strip():
            bad.append(name)
        else:
            out[name] = str(code)
    if bad:
        from critique.core.errors import DataError

        raise DataError(f"{LATE_ID}: column 'country': no ISO3 code for {bad}; add them to the "
                        "explicit exceptions of critique.datasets.countries")
    return out


def merge_tiers(early: pd.DataFrame, late: pd.DataFrame, coverage: pd.DataFrame,
                to_iso3: Callable[[str], str | None], *, include_unverified: bool = False) -> pd.DataFrame:
    """Merge the 2001-2015 coded tiers with the 2016-2025 transcription into one frame.

    Parameters
    ----------
    early: ``tip-tiers`` (iso3, country, report_year, tier with categories 1 < 2 < 2WL < 3; missing =
        not rated). Not-rated rows are dropped: in a complete year absence means not rated.
    late: ``tip-tiers-2016-2025`` (report_year, country, tier incl. ``special_case``, flag,
        source_url, verification).
    coverage: ``tip-tiers-2016-2025-coverage`` (report_year, complete).
    to_iso3: name -> ISO3 (``critique.datasets.countries.to_iso3``).
    include_unverified: count a listed year holding ``unverified`` rows as complete. By default such
        a year (2021 and 2025 in the transcription: rows resting on one third-party list) is not
        complete, so it stays out of shares, panels and transitions unless asked for.

    Returns one row per country and report year with a placement: iso3, country, report_year,
    tier (ordered categorical, missing for a special case), special_case, complete_year, source,
    verification, flag, source_url.
    """
    e = early.loc[early["tier"].notna()].copy()
    e = e.loc[(e["report_year"] >= 2001) & (e["report_year"] <= 2015)]
    # Codes that are not ISO3 in the coded file (Kelley & Heiss write Kosovo as "KOS") are
    # re-mapped from the name so both sources share one code per country.
    fixes = {code: to_iso3(str(name)) for code, name in
             e.loc[e["iso3"].isin(["KOS"]), ["iso3", "country"]].drop_duplicates().itertuples(index=False)}
    early_out = pd.DataFrame({
        "iso3": e["iso3"].astype(str).replace({k: v for k, v in fixes.items() if v}),
        "country": e["country"].astype(str),
        "report_year": e["report_year"].astype(int),
        "tier": e["tier"].astype(str),
        "special_case": False,
        "complete_year": True,
        "source": EARLY_ID,
        "verification": "secondary",  # coded by Kelley & Heiss from the reports
        "flag": pd.NA,
        "source_url": "https://github.com/andrewheiss/scorecard-diplomacy",
    })
    complete = dict(zip(coverage["report_year"].astype(int), coverage["complete"].astype(bool)))
    if not include_unverified:  # a year with an unverified placement is not an established list
        for year in set(late.loc[late["verification"].astype(str).eq("unverified"), "report_year"].astype(int)):
            complete[year] = False
    years = set(late["report_year"].astype(int))
    missing = sorted(years - set(complete))
    if missing:
        from critique.core.errors import DataError

        raise DataError(f"{COVERAGE_ID}: no completeness row for report years {missing}")
    codes = _map_names(late["country"].astype(str), to_iso3)
    is_sc = late["tier"].astype(str).eq("special_case")
    late_out = pd.DataFrame({
        "iso3": late["country"].astype(str).map(codes),
        "country": late["country"].astype(str),
        "report_year": late["report_year"].astype(int),
        "tier": late["tier"].astype(str).where(~is_sc, None),
        "special_case": is_sc.astype(bool),
        "complete_year": late["report_year"].astype(int).map(complete).astype(bool),
        "source": LATE_ID,
        "verification": late["verification"].astype(str),
        "flag": late["flag"],
        "source_url": late["source_url"].astype(str),
    })
    out = pd.concat([early_out, late_out], ignore_index=True)
    dup = out.duplicated(["iso3", "report_year"], keep=False)
    if dup.any():
        from critique.core.errors import DataError

        rows = out.loc[dup, ["iso3", "country", "report_year"]].to_dict("records")[:6]
        raise DataError(f"tiers: two placements for one country and year after ISO3 mapping: {rows}")
    out["tier"] = out["tier"].astype(TIER_DTYPE)
    out["flag"] = out["flag"].astype("string")
    return out.sort_values(["report_year", "iso3"], ignore_index=True)


def load_tiers(*, include_unverified: bool = False) -> pd.DataFrame:
    """Tier placements 2001-2025 in one frame (see :func:`merge_tiers` for the columns)."""
    from critique import datasets
    from critique.datasets import countries

    return merge_tiers(datasets.load(EARLY_ID), datasets.load(LATE_ID),
                       datasets.load(COVERAGE_ID), countries.to_iso3,
                       include_unverified=include_unverified)


def year_coverage(tiers: pd.DataFrame) -> pd.DataFrame:
    """Per report year: complete (bool), rated (placements with a tier), special_cases, source."""
    g = tiers.groupby("report_year")
    return pd.DataFrame({
        "complete": g["complete_year"].all(),
        "rated": g["tier"].count(),
        "special_cases": g["special_case"].sum().astype(int),
        "source": g["source"].first(),
    }).reset_index()


def _check_years(tiers: pd.DataFrame, years: Sequence[int] | None, partial: Partial) -> list[int]:
    """The requested years that may be used; raises for partial years under ``partial='error'``."""
    cov = year_coverage(tiers).set_index("report_year")
    if years is None:
        years = list(cov.index)
    years = [int(y) for y in years]
    unknown = [y for y in years if y not in cov.index]
    if unknown:
        raise ValueError(f"tiers: no placements for report years {unknown} "
                         f"(available {cov.index.min()}-{cov.index.max()})")
    if partial not in ("error", "flag", "drop"):
        raise ValueError(f"tiers: partial={partial!r}; use {PARTIAL_HELP}")
    part = [y for y in years if not cov.at[y, "complete"]]
    if part and partial == "error":
        raise IncompleteYearError(
            f"tiers: report years {part} are partial transcriptions or hold unverified placements "
            f"(a missing country is unknown, "
            f"not Tier 2), so their tier distribution cannot be computed as if complete; "
            f"use {PARTIAL_HELP}")
    if partial == "drop":
        years = [y for y in years if y not in part]
    return years


def complete_years(tiers: pd.DataFrame) -> list[int]:
    """Report years whose placements are complete."""
    cov = year_coverage(tiers)
    return [int(y) for y in cov.loc[cov["complete"], "report_year"]]


# --------------------------------------------------------------------------------------------
# Per-country view
# --------------------------------------------------------------------------------------------
def country_tiers(iso3: str, tiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One country's placements in every report year of the data, with what a gap means.

    ``status`` is ``rated``, ``special case``, ``not rated`` (absent from a complete year) or
    ``unknown (partial year)`` (absent from a partial transcription: not Tier 2, just unknown).
    """
    tiers = load_tiers() if tiers is None else tiers
    code = iso3.upper()
    if code not in set(tiers["iso3"]):
        raise ValueError(f"country_tiers: no placement for iso3={iso3!r} in any report year")
    cov = year_coverage(tiers).set_index("report_year")
    own = tiers.loc[tiers["iso3"] == code].set_index("report_year")
    out = pd.DataFrame(index=pd.Index(cov.index, name="report_year"))
    out["complete_year"] = cov["complete"]
    out = out.join(own[["country", "tier", "special_case", "source", "verification", "flag"]])
    status = np.where(out["tier"].notna(), "rated",
                      np.where(out["special_case"].fillna(False).astype(bool), "special case",
                               np.where(out["complete_year"], "not rated", "unknown (partial year)")))
    out["status"] = status
    out["iso3"] = code
    return out.reset_index()
