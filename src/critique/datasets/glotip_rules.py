"""How to read the UNODC GLOTIP country data the way UNODC means it: row flags, a form-vs-total
check and the incomplete latest data year.

The loader (``critique.datasets.upstream.parse_glotip``) keeps every row and adds a column
``exclude_reason`` (missing: use the row; otherwise a short code). Downstream code uses only rows
whose reason is missing (:func:`usable`). The codes and the evidence for each rule, checked on the
releases of 30 May 2023 (``data_glotip.xlsx``) and 14 April 2025 (``data_glotip_2025-04-14.xlsx``):

``"<5"`` **means 0 to 4.** Neither release publishes a single count below 5 (no 0, 1, 2, 3 or 4 in
46,556 and 58,769 rows: the smallest number is 5), and in 90 (2023) / 116 (2025) country-years the
published forms of exploitation add up exactly to the published total while further form cells read
``"<5"``: those cells can only be 0. So a ``"<5"`` cell has bounds 0 and 4, and a row of ``"<5"``
may be a zero.

``placeholder`` **(by-form rows that are not a report by form).** A country-year's by-form rows
(sex = age = "Total") are placeholders when every one of them is ``"<5"`` and either

- the country-year has no total of the indicator in a year for which the release publishes totals
  (no total rows exist at all before 2007, so the rule is not applied there), or
- its published total is larger than the forms could add up to (4 per form cell).

Evidence: in 2017-2020 (2023 release) 90, 88, 96, 99 country-years have only ``"<5"`` form cells,
against 1-9 a year before 2017; 46-66 of them a year have no total and usually nothing else at all
(Mexico 2019: three ``"<5"`` rows and no other row, while Mexico published 731 detected victims in
2018 and 824 in 2020); 13-20 a year have a total the forms cannot reach (Russia 2017-2020: totals
209-342, every form ``"<5"``). Three countries have no other row at all than such placeholders
(Dominica, North Korea and San Marino, 2017-2020). Country-years whose forms are all ``"<5"`` and whose total is ``"<5"``
or small enough (Tonga 2017-2020: all 81 cells ``"<5"``; Singapore 2019-2021 beside 10-14 persons
brought into formal contact) are consistent small or zero reports and stay in. Countries reporting
by form, 2017-2020, under this rule: 113, 108, 102, 107 (2023 release) and 110, 108, 113, 123
(2025 release). Counting them out
too gives the lower count :func:`form_reporters` returns as ``strict``: 89, 91, 85, 82 (2023
release; the independent check of issue 13 found the same) and 90, 91, 94, 92 (2025 release).

``duplicate-total`` **(a form row that repeats the total).** A by-form row whose published value
equals the published total while the published numbers of the other form rows already add up to
exactly that total by their parts (none of them is itself equal to the total): it is the total
written again (Malaysia 2016: forced labour 160 + sexual exploitation 516 = 676 = total, and an
"Other forms" row of 676; in the 2025 release also Malaysia 2019, 91). Other
differences between forms and totals are not corrected: :func:`form_consistency` reports them
(forms above the total by more than 5% in 133 of 1,068 country-years with both, 2023 release; 163 of
1,256, 2025 release).

``subnational`` **(a part of a country).** Rows of a unit in ``critique/data/subnational_units.csv``
(UNODC's ``GBR_E_W``, ``GBR_S``, ``GBR_NI``, ``IRQ_C``, ``IRQ_KRI``, or their names) keep the
part's code in ``iso3_unodc`` with ``iso3`` missing, and are left out of country sums unless a
caller asks for them.

**Partial latest year.** Countries report to UNODC with a lag, so the newest data year of a
release holds only early reporters: the 2023 release has 55 countries with a total for 2021 against
125 for 2020, and the 2025 release, two years on, has 125 for that same 2021. The rule
(:func:`partial_years`): the latest data year is *partial* when fewer than ``PARTIAL_SHARE`` (70%)
of the previous year's countries report a total. Across both releases no earlier year falls below
86% of the year before (2003-2006 have no totals and are not judged); the 2023 release's 2021 is
at 44% (55 of 125) and the 2025 release's 2022 at 90% (112 of 125: not partial by this rule alone).
The evidence across releases is stronger (:data:`LATE_GROWTH`, :func:`year_status`): in the one
pair of releases measured, the older release's latest year gained 127% more reporting countries in
the newer release (2021: 55 -> 125) and its second and third latest years 14% and 16% (2020:
125 -> 143; 2019: 116 -> 134). So a year whose distance from the latest grew by more than a quarter
(:data:`PARTIAL_GROWTH`) is *partial* (in both releases, the latest year), and one that grew by
more than 5% (:data:`PROVISIONAL_GROWTH`) is *provisional*. Charts draw a partial year marked
"incomplete: release lag" and leave it out of changes, trends and panel ends by default; a
provisional year is used and marked. One pair of releases is thin evidence: the thresholds are
parameters, and the measured growth is recounted from both raw files in the tests.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from critique.datasets import countries
from critique.core.errors import DataError
from critique.core.i18n import N_, _

INDICATOR = "Detected trafficking victims"
FORM_DIMENSION = "by form of exploitation"
TOTAL = "Total"
REASONS = {
    "placeholder": "by-form rows all '<5' with no total, or a total the forms cannot reach",
    "duplicate-total": "a form row that repeats the country-year total",
    "subnational": "a part of a country (kept apart; not in country sums unless asked)",
}
SUPPRESSED_HIGH = 4.0
PARTIAL_SHARE = 0.70
PARTIAL_LABEL = N_("incomplete: release lag")
_KEY = ["unit", "indicator", "year"]


# ---------------------------------------------------------------- reading the flags


def usable(frame: pd.DataFrame, *, subnational: bool = False) -> pd.DataFrame:
    """Rows to use: ``exclude_reason`` missing (a frame without the column: every row).

    ``subnational=True`` also keeps rows flagged ``"subnational"`` (a caller that asked for the
    parts of a country, never for a sum with the whole country).
    """
    if "exclude_reason" not in frame.columns:
        return frame
    reason = frame["exclude_reason"]
    keep = reason.isna()
    if subnational:
        keep |= reason.eq("subnational")
    return frame.loc[keep]


def _unit(frame: pd.DataFrame) -> pd.Series:
    unit = frame["iso3"].astype("object")
    for fallback in ("iso3_unodc", "country"):
        if fallback in frame.columns:
            unit = unit.where(unit.notna(), frame[fallback].astype("object"))
    return unit


# ---------------------------------------------------------------- loader steps


def keep_subnational_apart(frame: pd.DataFrame) -> pd.DataFrame:
    """Move sub-national codes (``GBR_S`` ...) from ``iso3`` to ``iso3_unodc`` (``iso3`` missing).

    ``frame["iso3"]`` comes from ``countries.to_iso3(..., subnational="keep")``, so a part keeps its
    own code; here it leaves the ISO3 column so that no part is ever counted as its country.
    """
    codes = set(countries.subnational_units()["code"])
    part = frame["iso3"].isin(codes).to_numpy()
    if not part.any():
        return frame
    out = frame.copy()
    out["iso3_unodc"] = out["iso3_unodc"].where(~part, out["iso3"])
    out["iso3"] = out["iso3"].where(~part)
    return out


def check_unique_totals(frame: pd.DataFrame, *, file: str) -> None:
    """Raise DataError naming every unit-indicator-year with more than one national total row.

    The national total (dimension = category = sex = age = "Total") is one row per unit, indicator
    and year in both releases; two would be summed or picked arbitrarily downstream. (Breakdown rows
    do repeat: UNODC splits "Other forms" and some sex groups into unlabelled rows.)
    """
    tot = _totals(frame)
    dup = tot.loc[tot.duplicated(_KEY, keep=False)]
    if len(dup):
        keys = sorted({f"{u} {int(y)} ({i})" for u, i, y in dup[_KEY].itertuples(index=False)})
        more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
        raise DataError(f"{file}: more than one national total row for {', '.join(keys[:5])}{more}; "
                        "expected one row per country, indicator and year (dimension, category, sex "
                        "and age all 'Total')")


def _totals(frame: pd.DataFrame) -> pd.DataFrame:
    mask = ((frame["dimension"] == TOTAL) & (frame["category"] == TOTAL)
            & (frame["sex"] == TOTAL) & (frame["age"] == TOTAL))
    out = frame.loc[mask].copy()
    out["unit"] = _unit(out)
    return out


def _forms(frame: pd.DataFrame) -> pd.DataFrame:
    mask = (frame["dimension"] == FORM_DIMENSION) & (frame["sex"] == TOTAL) & (frame["age"] == TOTAL)
    out = frame.loc[mask].copy()
    out["unit"] = _unit(out)
    return out


def flag_rows(frame: pd.DataFrame, *, file: str = "glotip") -> pd.DataFrame:
    """The frame with ``exclude_reason`` set by the rules of this module's docstring.

    Input: the tidy glotip frame (``iso3``, ``iso3_unodc``, ``country``, ``indicator``,
    ``dimension``, ``category``, ``sex``, ``age``, ``year``, ``value``, ``suppressed``). Rows are
    never dropped. ``attrs`` gain ``excluded_<code>`` counts. Raises DataError (naming them) when a
    unit-indicator-year has two national totals.
    """
    check_unique_totals(frame, file=file)
    out = frame.copy()
    reason = pd.Series(pd.NA, index=out.index, dtype="string")
    codes = set(countries.subnational_units()["code"])
    reason[out["iso3_unodc"].isin(codes).to_numpy() & out["iso3"].isna().to_numpy()] = "subnational"

    forms = _forms(out)
    forms = forms.loc[reason.reindex(forms.index).isna()]
    totals = _totals(out)
    tot = totals.set_index(_KEY)[["value", "suppressed"]].rename(columns={"value": "t_value", "suppressed": "t_sup"})
    years_with_totals = totals[["indicator", "year"]].drop_duplicates().assign(year_has_totals=True)

    # one pass of vectorised group statistics (a loop over ~4,000 groups took 5 s)
    f = forms[[*_KEY, "value", "suppressed"]].copy()
    f["suppressed"] = f["suppressed"].astype(bool)
    grp = f.groupby(_KEY, sort=False)
    f["n"] = grp["value"].transform("size")
    f["all_sup"] = grp["suppressed"].transform("all")
    f["pub_sum"] = grp["value"].transform("sum")           # published numbers only ("<5" skipped)
    f["pub_n"] = grp["value"].transform("count")
    f = f.join(tot, on=_KEY)
    f = f.merge(years_with_totals, on=["indicator", "year"], how="left").set_axis(f.index)
    has_total = f["t_sup"].notna()
    t_sup = f["t_sup"].fillna(False).astype(bool)
    t_value = f["t_value"]
    f["eq_n"] = (f["value"] == t_value).groupby([f[k] for k in _KEY], sort=False).transform("sum")
    no_total = ~has_total & f["year_has_totals"].fillna(False).astype(bool)
    beyond = has_total & ~t_sup & (t_value > SUPPRESSED_HIGH * f["n"])
    placeholder_rows = f.index[(f["all_sup"] & (no_total | beyond)).to_numpy()]
    # the row equals the total, and the other published numbers (at least one, none itself equal
    # to the total) add up to exactly the total: published sum = 2 x total
    dup = (~f["all_sup"] & has_total & ~t_sup & (f["n"] >= 2) & (f["value"] == t_value)
           & (f["pub_n"] >= 2) & (f["eq_n"] == 1) & (f["pub_sum"] == 2 * t_value))
    duplicate_rows = f.index[dup.to_numpy()]
    reason[placeholder_rows] = "placeholder"
    reason[duplicate_rows] = "duplicate-total"
    out["exclude_reason"] = reason
    out.attrs.update(frame.attrs)
    for code in REASONS:
        out.attrs[f"excluded_{code.replace('-', '_')}"] = int((reason == code).sum())
    return out


# ---------------------------------------------------------------- views for methods and charts


def form_consistency(frame: pd.DataFrame, *, indicator: str = INDICATOR) -> pd.DataFrame:
    """Forms of exploitation against the national total, one row per unit and year.

    Uses usable rows of national units only (placeholders, repeated totals, UNODC's aggregate rows
    and parts of countries are out). Columns: unit,
    year, total_low, total_high (missing: no total), forms_low, forms_high (sums of the by-form
    rows at sex = age = "Total", ``"<5"`` as 0 and 4), form_cells, excess (``forms_low -
    total_high`` when positive: victims the forms count beyond the total, at the least), excess_share
    (excess / total_high), status: ``"no total"``, ``"forms exceed total"`` (excess > 5% of the
    total), ``"forms below total"`` (``forms_high`` < 95% of ``total_low``: victims with no form
    given), ``"consistent"``.
    """
    data = _national(frame)
    data = data.loc[data["indicator"] == indicator]
    forms = _forms(data)
    lo = forms["value"].fillna(0.0)
    hi = forms["value"].where(~forms["suppressed"].astype(bool), SUPPRESSED_HIGH)
    f = (forms.assign(lo=lo, hi=hi).groupby(["unit", "year"])
         .agg(forms_low=("lo", "sum"), forms_high=("hi", "sum"), form_cells=("lo", "size")))
    t = _totals(data)
    t = t.assign(lo=t["value"].fillna(0.0),
                 hi=t["value"].where(~t["suppressed"].astype(bool), SUPPRESSED_HIGH))
    t = t.groupby(["unit", "year"]).agg(total_low=("lo", "sum"), total_high=("hi", "sum"))
    out = f.join(t, how="left").reset_index()
    excess = (out["forms_low"] - out["total_high"]).clip(lower=0)
    out["excess"] = excess
    out["excess_share"] = excess / out["total_high"].replace(0, np.nan)
    out["status"] = np.select(
        [out["total_high"].isna(), out["excess"] > 0.05 * out["total_high"],
         out["forms_high"] < 0.95 * out["total_low"]],
        ["no total", "forms exceed total", "forms below total"], default="consistent")
    return out[["unit", "year", "total_low", "total_high", "forms_low", "forms_high", "form_cells",
                "excess", "excess_share", "status"]]


def _national(frame: pd.DataFrame) -> pd.DataFrame:
    """Usable rows of national units: a region (no UNODC aggregate rows) and not a sub-national part."""
    data = usable(frame)
    if "region" in data.columns:
        data = data.loc[data["region"].notna()]
    return data


def reporters_by_year(frame: pd.DataFrame, *, indicator: str = INDICATOR,
                      dimension: str = TOTAL) -> pd.Series:
    """Countries with at least one usable cell of ``indicator`` in ``dimension`` (sex = age = "Total"),
    by data year. Years in which no country has such a row are absent (no data, not zero)."""
    data = _national(frame)
    data = data.loc[(data["indicator"] == indicator) & (data["dimension"] == dimension)
                    & (data["sex"] == TOTAL) & (data["age"] == TOTAL)]
    return _unit(data).groupby(data["year"]).nunique().rename("countries").sort_index()


def form_reporters(frame: pd.DataFrame, *, indicator: str = INDICATOR) -> pd.DataFrame:
    """Countries reporting by form of exploitation, by year: ``countries`` under the loader's rule
    and ``strict`` (also leaving out country-years whose form cells are all ``"<5"`` whatever their
    total: the lower count). Years without by-form rows are absent."""
    data = _national(frame)
    forms = _forms(data.loc[data["indicator"] == indicator])
    all_sup = forms.groupby(["unit", "year"])["suppressed"].transform("all").astype(bool)
    out = pd.DataFrame({
        "countries": forms.groupby("year")["unit"].nunique(),
        "strict": forms.loc[~all_sup].groupby("year")["unit"].nunique(),
    })
    return out.fillna(0).astype(int).sort_index()


def partial_years(frame: pd.DataFrame, *, share: float = PARTIAL_SHARE,
                  indicator: str = INDICATOR, **rule: object) -> list[int]:
    """The data years of this release that are partial (release lag): the years
    :func:`year_status` marks ``"partial"`` (``rule``: its growth thresholds).

    A year is partial when it is the latest and fewer than ``share`` of the previous year's
    countries report a total of ``indicator`` (national units, usable rows), or when years at its
    distance from the latest gained more than a quarter of their reporting countries in the next
    release (:data:`LATE_GROWTH`: in the releases measured, the latest year of every release).
    Evidence and thresholds: see the module docstring. Input: the tidy glotip frame of ONE release
    (with or without ``exclude_reason``). Raises ValueError when ``share`` is not in (0, 1].
    """
    if not 0 < share <= 1:
        raise ValueError(f"partial_years: share must be in (0, 1], got {share}")
    st = year_status(frame, share=share, indicator=indicator, **rule)  # type: ignore[arg-type]
    return [int(y) for y in st.index[st["status"] == "partial"]]


def partial_year_table(frame: pd.DataFrame, *, indicator: str = INDICATOR) -> pd.DataFrame:
    """Per data year: countries reporting a total, the previous year's count, their ratio and
    whether the year is the release's latest (the evidence behind :func:`partial_years`)."""
    n = reporters_by_year(frame, indicator=indicator)
    out = pd.DataFrame({"countries": n, "previous": n.shift(1)})
    out["ratio"] = out["countries"] / out["previous"]
    out["is_latest"] = out.index == out.index.max()
    out.index.name = "year"
    return out


def complete_years(years: Iterable[int], partial: Iterable[int]) -> list[int]:
    """``years`` without the partial ones (for changes and trends, which leave partial years out)."""
    skip = {int(y) for y in partial}
    return [int(y) for y in years if int(y) not in skip]


# ---------------------------------------------------------------- how far a release's years reach

# Measured on the pair of releases of 30 May 2023 and 14 April 2025 (countries with a usable
# national total of detected victims; recounted from both raw files in tests/test_glotip_rules.py):
# the older release's data year at lag k (its latest year minus k) gained this fraction of
# reporting countries in the newer release. 2021 (lag 0): 55 -> 125; 2020: 125 -> 143; 2019:
# 116 -> 134; 2018: 126 -> 126; 2017: 136 -> 136.
LATE_GROWTH: dict[int, float] = {0: 125 / 55 - 1, 1: 143 / 125 - 1, 2: 134 / 116 - 1, 3: 0.0, 4: 0.0}
LATE_GROWTH_PAIR = ("glotip@2023-05-30", "glotip@2025-04-14")
PARTIAL_GROWTH = 0.25
PROVISIONAL_GROWTH = 0.05
PROVISIONAL_LABEL = "provisional: may still grow"


def late_growth(older: pd.DataFrame, newer: pd.DataFrame, *, indicator: str = INDICATOR) -> pd.DataFrame:
    """How much each data year of ``older`` grew in ``newer``: the evidence behind
    :data:`LATE_GROWTH`. Inputs: two tidy glotip releases. One row per data year of ``older``:
    ``countries_older``, ``countries_newer`` (usable national totals), ``growth`` (newer / older
    - 1) and ``lag`` (the older release's latest year minus the year)."""
    a, b = reporters_by_year(older, indicator=indicator), reporters_by_year(newer, indicator=indicator)
    out = pd.DataFrame({"countries_older": a, "countries_newer": b.reindex(a.index)})
    out["growth"] = out["countries_newer"] / out["countries_older"] - 1
    out["lag"] = int(a.index.max()) - out.index
    out.index.name = "year"
    return out


def year_status(frame: pd.DataFrame, *, share: float = PARTIAL_SHARE,
                growth: dict[int, float] | None = None, partial_growth: float = PARTIAL_GROWTH,
                provisional_growth: float = PROVISIONAL_GROWTH,
                indicator: str = INDICATOR) -> pd.DataFrame:
    """Each data year of one release: :func:`partial_year_table` plus ``lag`` (latest year minus
    the year), ``expected_growth`` (how much a year at that lag grew in the next release, from
    ``growth``, default :data:`LATE_GROWTH`; 0 past the lags measured) and ``status``:

    - ``"partial"``: the latest year with fewer than ``share`` of the previous year's countries, or
      any year whose lag grew by more than ``partial_growth`` (a quarter) in the next release: drawn
      marked, left out of changes, trends and panel ends;
    - ``"provisional"``: expected growth above ``provisional_growth`` (5%): used, marked;
    - ``"settled"``: otherwise.

    Raises ValueError when a threshold is out of range.
    """
    if not 0 < share <= 1:
        raise ValueError(f"year_status: share must be in (0, 1], got {share}")
    if not 0 < provisional_growth <= partial_growth:
        raise ValueError(f"year_status: need 0 < provisional_growth ({provisional_growth}) <= "
                         f"partial_growth ({partial_growth})")
    growth = LATE_GROWTH if growth is None else growth
    out = partial_year_table(frame, indicator=indicator)
    out["lag"] = int(out.index.max()) - out.index
    out["expected_growth"] = [float(growth.get(int(k), 0.0)) for k in out["lag"]]
    low_ratio = out["is_latest"] & (out["ratio"] < share)
    out["status"] = np.select(
        [low_ratio | (out["expected_growth"] > partial_growth), out["expected_growth"] > provisional_growth],
        ["partial", "provisional"], default="settled")
    return out


def last_complete_year(frame: pd.DataFrame, **rule: object) -> int:
    """The latest data year of the release that is not partial under :func:`year_status` (the end
    of any trend, change or fixed panel unless the user chooses otherwise)."""
    st = year_status(frame, **rule)  # type: ignore[arg-type]
    ok = st.index[st["status"] != "partial"]
    if not len(ok):
        raise DataError("last_complete_year: every data year of this release is partial")
    return int(ok.max())


def year_range_note(frame: pd.DataFrame, *, release: str = "") -> str:
    """Why a series of this release ends where it does, one paragraph (from :func:`year_status`, :data:`LATE_GROWTH`)."""
    st = year_status(frame)
    latest, end = int(st.index.max()), last_complete_year(frame)
    partial = [int(y) for y in st.index[st["status"] == "partial"]]
    prov = [int(y) for y in st.index[st["status"] == "provisional"]]
    values = dict(release=release, latest=latest, end=end, first=LATE_GROWTH_PAIR[0], second=LATE_GROWTH_PAIR[1],
                  **{f"g{i}": LATE_GROWTH[i] for i in range(3)})
    if release:
        text = _("The {release} release reaches data year {latest}; trends, changes and fixed panels end in {end}. "
                 "Countries report late: in the one pair of releases measured ({first} and {second}), a release's "
                 "latest data year gained {g0:.0%} more reporting countries in the next release and its second and "
                 "third latest years {g1:.0%} and {g2:.0%}.", **values)
    else:
        text = _("This release reaches data year {latest}; trends, changes and fixed panels end in {end}. Countries "
                 "report late: in the one pair of releases measured ({first} and {second}), a release's latest data "
                 "year gained {g0:.0%} more reporting countries in the next release and its second and third latest "
                 "years {g1:.0%} and {g2:.0%}.", **values)
    if partial:
        text += _(" The suite therefore treats {years} as incomplete ({n} countries report a total, against {previous} "
                  "the year before): charts mark it '{label}', and trends, changes and panel ends leave it out.",
                  years=", ".join(map(str, partial)), n=int(st.at[partial[-1], "countries"]),
                  previous=int(st.at[partial[-1], "previous"]), label=_(PARTIAL_LABEL))
    if prov:
        years = _(" and ").join(map(str, prov))
        text += _(" {years} are used, but late reports may still add countries to them (provisional).", years=years) \
            if len(prov) > 1 else _(" {years} is used, but late reports may still add countries to them (provisional).", years=years)
    return text
