"""Parsers of the upstream CSV sources: Kelley & Heiss TIP tiers, Walk Free GSI 2023, CTDC 2020 and
the FBI's UCR human-trafficking file. The rules they share are in ``critique.datasets.upstream``'s
docstring; the strict number and text parsing in ``critique.datasets.parsing``.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from critique.datasets import register
from critique.datasets.parsing import _bools, _integers, _iso3, _numbers, _read_csv, _text
from critique.datasets.schemas import validate
from critique.core.errors import DataError


# ---------------------------------------------------------------- Kelley & Heiss TIP tiers

TIER_CODES = {"1": "1", "2": "2", "3": "2WL", "4": "3"}  # Kelley & Heiss coding; NA = not rated
FIRST_RATED_YEAR = 2001


@register("tip-tiers", version="1")
def parse_tip_tiers(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Kelley & Heiss ``map_tiers.csv``: one row per country and report year 2001-2015.

    Tier codes 1, 2, 3, 4 are Tier 1, Tier 2, Tier 2 Watch List, Tier 3; ``NA`` (not rated) is a
    missing tier, never a tier. Rows for 1999-2000 (before the first report) are dropped after
    checking that none is rated (``attrs["dropped_rows"]``).
    """
    file = path.name
    raw = _read_csv(path, ("countryname", "iso", "year", "ccode", "tier"))
    offset = 2
    years = _integers(_numbers(raw["year"], file=file, column="year", row_offset=offset)[0],
                      file=file, column="year", row_offset=offset, nullable=False)
    tier_text = _text(raw["tier"], blanks=frozenset({"", "NA"}))
    unknown = tier_text.notna() & ~tier_text.isin(list(TIER_CODES))
    if unknown.any():
        i = int(np.argmax(unknown.to_numpy()))
        raise DataError(f"{file}: column 'tier' value {raw['tier'].iloc[i]!r} at row {i + offset} is not "
                        "a tier code (1, 2, 3 = Watch List, 4 = Tier 3, NA = not rated)")
    early = (years < FIRST_RATED_YEAR).to_numpy()
    rated_early = early & tier_text.isin(list(TIER_CODES)).to_numpy()
    if rated_early.any():
        i = int(np.argmax(rated_early))
        raise DataError(f"{file}: row {i + offset} rates a country in {years.iloc[i]}, before the first "
                        f"TIP report ({FIRST_RATED_YEAR})")
    ccode, _ = _numbers(raw["ccode"], file=file, column="ccode", row_offset=offset, blanks=frozenset({"", "NA"}))
    frame = pd.DataFrame({
        "iso3": _iso3(_text(raw["iso"]), file=file, column="iso", src="ISO3"),
        "country": _text(raw["countryname"]),
        "report_year": years,
        "tier": pd.Categorical(tier_text.map(TIER_CODES), categories=list(TIER_CODES.values()), ordered=True),
        "ccode": _integers(ccode, file=file, column="ccode", row_offset=offset, nullable=True),
    })
    frame = frame[~early]
    # validate before resetting the index so that errors name the file's row
    validate(frame, "tip-tiers", file=file, row_offset=offset, years=year_range)
    frame = frame.reset_index(drop=True)
    frame.attrs.update({"dropped_rows": int(early.sum()),
                        "dropped_reason": f"report years before {FIRST_RATED_YEAR}: no TIP report, none rated",
                        "unrated_rows": int(frame["tier"].isna().sum())})
    return frame


# ---------------------------------------------------------------- Walk Free GSI 2023

GSI_COLUMNS = {
    "Country": "country",
    "Population": "population",
    "Region": "region",
    "Estimated prevalence of modern slavery per 1,000 population": "prevalence_per_1000",
    "Estimated number of people in modern slavery": "estimated_number",
}


@register("gsi-2023", version="1")
def parse_gsi_2023(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """Walk Free Global Slavery Index 2023 country estimates: one row per country (180).

    Numbers are text with thousands separators and stray spaces; a population of ``-`` and an
    empty estimate are missing (20 countries have no estimate), never 0.
    """
    file = path.name
    raw = _read_csv(path, tuple(GSI_COLUMNS), strip_header=True)
    offset = 2
    dash = frozenset({"", "-"})
    nums = {}
    for src, dst in GSI_COLUMNS.items():
        if dst in ("population", "prevalence_per_1000", "estimated_number"):
            nums[dst], _ = _numbers(raw[src], file=file, column=src, row_offset=offset, blanks=dash)
    frame = pd.DataFrame({
        "iso3": _iso3(_text(raw["Country"]), file=file, column="Country", src="name"),
        "country": _text(raw["Country"]),
        "region": _text(raw["Region"]),
        "population": _integers(nums["population"], file=file, column="Population", row_offset=offset, nullable=True),
        "prevalence_per_1000": nums["prevalence_per_1000"],
        "estimated_number": _integers(nums["estimated_number"], file=file,
                                      column="Estimated number of people in modern slavery",
                                      row_offset=offset, nullable=True),
    })
    validate(frame, "gsi-2023", file=file, row_offset=offset, years=year_range)
    frame.attrs.update({"countries_without_estimate": int(frame["estimated_number"].isna().sum()),
                        "population_missing": int(frame["population"].isna().sum())})
    return frame


# ---------------------------------------------------------------- CTDC 2020

CTDC_COLUMNS = ("yearOfRegistration", "gender", "ageBroad", "citizenship", "isForcedLabour",
                "isSexualExploit", "CountryOfExploitation")
# The third-party subset writes an unknown country as "0"; CTDC's own missing code is -99.
CTDC_COUNTRY_SENTINELS = frozenset({"0", "-99", "00"})


def exploitation_type(forced_labour: pd.Series, sexual: pd.Series) -> pd.Series:
    """Form of exploitation from CTDC's two flags.

    "Both" (both True), "Sexual exploitation" / "Forced labour" (that flag True, the other False or
    missing), "Neither" (both flags recorded as False: another form such as forced marriage or
    an unrecorded one), "Not recorded" (no flag True and at least one missing). Keeping "Neither"
    apart from "Not recorded" matters: folding it into "Not recorded" would drop ~1,000 records
    from the denominator of any share among records with a recorded form.
    """
    fl = forced_labour.fillna(False).to_numpy(dtype=bool)
    se = sexual.fillna(False).to_numpy(dtype=bool)
    both_false = (forced_labour == False).fillna(False).to_numpy(dtype=bool) & (sexual == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712
    out = np.select([fl & se, se, fl, both_false],
                    ["Both", "Sexual exploitation", "Forced labour", "Neither"], default="Not recorded")
    return pd.Series(out, index=forced_labour.index, dtype="str")


@register("ctdc-2020", version="1")
def parse_ctdc_2020(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """CTDC k-anonymised case records (2020 release, third-party column subset): one row per record.

    Case-level: this frame stays inside the process; only aggregates, with small cells suppressed
    (``critique.datasets.privacy.suppress_small``), may leave it. The third party's added name, coordinate
    and ISO3 columns are not used: ISO2 codes are converted here. ``-99`` and the country code ``0``
    become missing (``attrs`` count them).
    """
    file = path.name
    raw = _read_csv(path, CTDC_COLUMNS)
    offset = 2
    years, n_year_sentinel = _numbers(raw["yearOfRegistration"], file=file, column="yearOfRegistration",
                                      row_offset=offset)
    counts = {"year_sentinels": n_year_sentinel}
    iso: dict[str, pd.Series] = {}
    for src, dst in (("citizenship", "citizenship_iso3"), ("CountryOfExploitation", "exploitation_iso3")):
        text = _text(raw[src])
        sentinel = text.isin(CTDC_COUNTRY_SENTINELS)
        counts[f"{src}_sentinels"] = int(sentinel.sum())
        iso[dst] = _iso3(text.where(~sentinel), file=file, column=src, src="ISO2")
    blanks = frozenset({"", "-99"})
    fl = _bools(raw["isForcedLabour"], file=file, column="isForcedLabour", row_offset=offset)
    se = _bools(raw["isSexualExploit"], file=file, column="isSexualExploit", row_offset=offset)
    frame = pd.DataFrame({
        "year": _integers(years, file=file, column="yearOfRegistration", row_offset=offset, nullable=True),
        "gender": _text(raw["gender"], blanks=blanks),
        "age_broad": _text(raw["ageBroad"], blanks=blanks),
        "citizenship_iso3": iso["citizenship_iso3"],
        "exploitation_iso3": iso["exploitation_iso3"],
        "is_forced_labour": fl,
        "is_sexual_exploit": se,
        "exploitation_type": exploitation_type(fl, se),
    })
    validate(frame, "ctdc-2020", file=file, row_offset=offset, years=year_range)
    frame.attrs.update({k: int(v) for k, v in counts.items()})
    return frame


# ---------------------------------------------------------------- FBI UCR human trafficking

FBI_COLUMNS = ("DATA_YEAR", "ORI", "PUB_AGENCY_NAME", "AGENCY_TYPE_NAME", "STATE_ABBR",
               "OFFENSE_SUBCAT_NAME", "ACTUAL_COUNT", "UNFOUNDED_COUNT", "CLEARED_COUNT",
               "JUVENILE_CLEARED_COUNT", "POPULATION_GROUP_DESC")


@register("fbi-ucr-ht", version="1")
def parse_fbi_ucr_ht(path: Path, *, year_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """FBI UCR human-trafficking offences 2013-2020: one row per row of the file (4,417).

    Rows are not unique by (year, agency, offence): the file repeats agency-year-offence keys
    (2,142 repeats), so counts must be summed, not looked up. ``actual`` may be negative (UCR
    adjustments: an offence reported earlier and unfounded later); ``actual + unfounded`` may not.
    """
    file = path.name
    raw = _read_csv(path, FBI_COLUMNS)
    offset = 2

    def count(col: str) -> pd.Series:
        floats, _ = _numbers(raw[col], file=file, column=col, row_offset=offset)
        return _integers(floats, file=file, column=col, row_offset=offset, nullable=False)

    frame = pd.DataFrame({
        "year": count("DATA_YEAR"),
        "ori": _text(raw["ORI"]),
        "agency": _text(raw["PUB_AGENCY_NAME"]),
        "agency_type": _text(raw["AGENCY_TYPE_NAME"]),
        "state": _text(raw["STATE_ABBR"]),
        "offence": _text(raw["OFFENSE_SUBCAT_NAME"]),
        "actual": count("ACTUAL_COUNT"),
        "unfounded": count("UNFOUNDED_COUNT"),
        "cleared": count("CLEARED_COUNT"),
        "juvenile_cleared": count("JUVENILE_CLEARED_COUNT"),
        "population_group": _text(raw["POPULATION_GROUP_DESC"]),
    })
    validate(frame, "fbi-ucr-ht", file=file, row_offset=offset, years=year_range)
    frame.attrs.update({
        "negative_actual_rows": int((frame["actual"] < 0).sum()),
        "repeated_keys": int(frame.duplicated(["year", "ori", "offence"]).sum()),
    })
    return frame
