"""Loaders of the assessments of government action set beside the TIP tiers (issue 16).

Four catalogue ids, three files:

- ``gsi-2023-summary``: Walk Free, Global Slavery Index 2023 full dataset, sheet "GSI 2023 summary
  data": one row per country (180) with prevalence, the five vulnerability dimensions and their
  total (160 countries), the five government-response milestone percentages and the response
  total (176 countries; Afghanistan, South Sudan, Syria and Yemen were not assessed, CONTENTS note 1).
- ``gsi-2023-indicators``: the same workbook, sheets "Govt response - Indicators" (176 countries x
  141 indicator ratings 0/1, -1 for a negative indicator met) joined to the "Govt response
  framework" codebook (milestone, activity, indicator name and rating rule), one row per country and
  indicator. The codebook row and the column code are checked to agree (``M`` + milestone +
  activity + indicator number, ``NEG`` for a negative indicator).
- ``3p-index``: the 3P Anti-trafficking Policy Index (Cho, Dreher & Neumayer; prosecution,
  protection, prevention 1-5 and their unweighted sum 3-15) as assembled with TIP tiers by Kelley &
  Heiss (Stata file, read with ``pandas.read_stata``): every row of the file (3,021 country-years).
  The file's ``code`` column is a Correlates of War abbreviation, not ISO3 (``MAC`` is both
  Macedonia and Macau, ``SAF`` is South Africa), so ISO3 comes from the country name.
- ``oc-index``: GI-TOC Global Organized Crime Index 2021 and 2023, one row per country, edition
  and indicator (scores 1-10; expert assessments).

Every country row is kept; countries become ISO3 through ``critique.countries``.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from critique.datasets import DataError, register
from critique.datasets import schemas
from critique.datasets.upstream import _clean_text, _find_header, _iso3, _snake, _text

# ---------------------------------------------------------------- reading sheets


def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """Every row of one named sheet as tuples of cell values (openpyxl, values only)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        raise DataError(f"{path.name}: not a readable xlsx workbook ({type(exc).__name__}: "
                        f"{str(exc)[:120]}); delete it from the download cache and fetch it again") from None
    try:
        if sheet not in book.sheetnames:
            raise DataError(f"{path.name}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
        ws = book[sheet]
        ws.reset_dimensions()  # a stored dimension can be wrong (see the 2025 UNODC file)
        return list(ws.iter_rows(values_only=True))
    finally:
        book.close()


def _floats(values: list[object], *, file: str, column: str, first_row: int) -> np.ndarray:
    """Numeric cells as floats; blank (None, "", "-") is NaN; text that is not a number is an error."""
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        if v is None or (isinstance(v, str) and v.strip() in ("", "-")):
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            try:
                out[i] = float(str(v).replace(",", "").strip())
                continue
            except ValueError:
                raise DataError(f"{file}: column '{column}' value {v!r} at row {i + first_row} "
                                "is not a number") from None
        out[i] = float(v)
    return out


# ---------------------------------------------------------------- schemas (beside the loaders)


def _iso3_col(nullable: bool = False) -> pa.Column:
    from critique import countries

    return pa.Column("str", pa.Check(lambda s: s.isin(countries.valid_iso3()), element_wise=False,
                                     error="must be a valid ISO3 code"), nullable=nullable)


def _pct(lo: float = 0, nullable: bool = True) -> pa.Column:
    return pa.Column("float64", pa.Check.in_range(lo, 100, error=f"must be a percentage in {lo:g}..100"),
                     nullable=nullable)


GSI_SUMMARY_COLUMNS = {
    "Country": "country",
    "Population": "population",
    "Region": "region",
    "Estimated prevalence of modern slavery per 1,000 population": "prevalence_per_1000",
    "Estimated number of people in modern slavery": "estimated_number",
    "Governance issues": "vuln_governance",
    "Lack of basic needs": "vuln_basic_needs",
    "Inequality": "vuln_inequality",
    "Disenfranchised groups": "vuln_disenfranchised",
    "Effects of conflict": "vuln_conflict",
    "Total Vulnerability score (%)": "vulnerability_total",
    "Survivors of slavery are identified and supported to exit and remain out of modern slavery (%)":
        "response_m1_survivors",
    "Criminal justice mechanisms function effectively to prevent modern slavery (%)": "response_m2_justice",
    "Coordination occurs at the national and regional level and across borders, and governments are "
    "held to account for their response (%)": "response_m3_coordination",
    "Risk factors, such as attitudes, social systems, and institutions that enable modern slavery are "
    "addressed (%)": "response_m4_risk_factors",
    "Government and business stop sourcing goods and services produced by forced labour (%)":
        "response_m5_supply_chains",
    "Government response total (%)": "response_total",
}
GSI_MILESTONES = ("response_m1_survivors", "response_m2_justice", "response_m3_coordination",
                  "response_m4_risk_factors", "response_m5_supply_chains")
GSI_VULNERABILITY = ("vuln_governance", "vuln_basic_needs", "vuln_inequality", "vuln_disenfranchised",
                     "vuln_conflict", "vulnerability_total")

GSI_SUMMARY = pa.DataFrameSchema(
    {
        "iso3": _iso3_col(),
        "country": pa.Column("str"),
        "region": pa.Column("str", pa.Check.isin(schemas.GSI_REGIONS), nullable=False),
        "population": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "prevalence_per_1000": pa.Column("float64", pa.Check.in_range(0, 1000), nullable=True),
        "estimated_number": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        **{c: _pct() for c in GSI_VULNERABILITY},
        # a milestone can be negative: a negative activity met scores -2 (CONTENTS sheet)
        **{c: _pct(-100) for c in GSI_MILESTONES},
        "response_total": _pct(-100),
    },
    unique=["iso3"], strict=True, ordered=True, name="gsi-2023-summary",
)

GSI_INDICATORS = pa.DataFrameSchema(
    {
        "iso3": _iso3_col(),
        "country": pa.Column("str"),
        "region": pa.Column("str"),
        "code": pa.Column("str", pa.Check.str_matches(r"^M[1-5]\d{3}(NEG)?$", error="must be a code like M2212")),
        "milestone": pa.Column("int64", pa.Check.in_range(1, 5)),
        "activity": pa.Column("str", pa.Check.str_matches(r"^[1-5]\.\d\.\d$")),
        "indicator_number": pa.Column("int64", pa.Check.ge(1)),
        "negative": pa.Column("bool"),
        "rating": pa.Column("int64", pa.Check.isin([-1, 0, 1], error="must be -1, 0 or 1")),
        "milestone_name": pa.Column("str"),
        "activity_name": pa.Column("str"),
        "indicator_name": pa.Column("str"),
        "indicator_rule": pa.Column("str", nullable=True),
    },
    checks=[
        pa.Check(lambda f: ~f["negative"] | f["rating"].le(0), error="a negative indicator is rated 0 or -1"),
        pa.Check(lambda f: f["negative"] | f["rating"].ge(0), error="a positive indicator is rated 0 or 1"),
    ],
    unique=["iso3", "code"], strict=True, ordered=True, name="gsi-2023-indicators",
)

TIER_3P = {1.0: "1", 2.0: "2", 2.5: "2WL", 3.0: "3"}
TIER_3P_STATUS = {555.0: "not rated", 666.0: "special case"}

THREE_P = pa.DataFrameSchema(
    {
        "iso3": _iso3_col(),
        "country": pa.Column("str"),
        "year": pa.Column("int64", pa.Check.in_range(1999, 2014)),
        "ccode": pa.Column("int64"),
        "prosecution": pa.Column("float64", pa.Check.in_range(1, 5), nullable=True),
        "protection": pa.Column("float64", pa.Check.in_range(1, 5), nullable=True),
        "prevention": pa.Column("float64", pa.Check.in_range(1, 5), nullable=True),
        "score_3p": pa.Column("float64", pa.Check.in_range(3, 15), nullable=True),
        "tier_kh": pa.Column(pd.CategoricalDtype(list(schemas.TIERS), ordered=True), nullable=True),
        "tier_status": pa.Column("str", pa.Check.isin(["rated", "not rated", "special case", "missing"])),
    },
    checks=[
        pa.Check(lambda f: ~f[["prosecution", "protection", "prevention"]].notna().all(axis=1)
                 | f["score_3p"].eq(f[["prosecution", "protection", "prevention"]].sum(axis=1)),
                 error="score_3p must be the sum of prosecution, protection and prevention"),
    ],
    unique=["iso3", "year"], strict=True, ordered=True, name="3p-index",
)

OC_INDEX = pa.DataFrameSchema(
    {
        "iso3": _iso3_col(),
        "country": pa.Column("str"),
        "continent": pa.Column("str"),
        "region": pa.Column("str"),
        "edition": pa.Column("int64", pa.Check.isin([2021, 2023])),
        "pillar": pa.Column("str", pa.Check.isin(["criminality", "criminal markets", "criminal actors", "resilience"])),
        "indicator": pa.Column("str"),
        "is_average": pa.Column("bool"),
        "score": pa.Column("float64", pa.Check.in_range(1, 10, error="must be a score in 1..10")),
    },
    unique=["iso3", "edition", "indicator"], strict=True, ordered=True, name="oc-index",
)

schemas.SCHEMAS.update({"gsi-2023-summary": GSI_SUMMARY, "gsi-2023-indicators": GSI_INDICATORS,
                        "3p-index": THREE_P, "oc-index": OC_INDEX})

# ---------------------------------------------------------------- GSI 2023 full dataset

GSI_SUMMARY_SHEET = "GSI 2023 summary data"
GSI_INDICATOR_SHEET = "Govt response - Indicators"
GSI_FRAMEWORK_SHEET = "Govt response framework"


@register("gsi-2023-summary", version="1")
def parse_gsi_2023_summary(path: Path) -> pd.DataFrame:
    """Walk Free GSI 2023 full dataset, summary sheet: one row per country (180).

    Columns: iso3, country, region, population, prevalence_per_1000, estimated_number, the five
    vulnerability dimensions (``vuln_*``, %) and ``vulnerability_total`` (%), the five government
    response milestones (``response_m1_survivors`` ... ``response_m5_supply_chains``, %) and
    ``response_total`` (%). An empty cell stays missing (never 0). The column row is found by its
    content under the title and source rows. ``attrs``: ``with_response`` (176),
    ``with_vulnerability`` (160).
    """
    file = path.name
    rows = _sheet_rows(path, GSI_SUMMARY_SHEET)
    h = _find_header(rows, tuple(GSI_SUMMARY_COLUMNS), file=f"{file} [{GSI_SUMMARY_SHEET}]")
    names = [_clean_text(c) for c in rows[h]]
    index = {n: i for i, n in enumerate(names) if n}
    body = [r for r in rows[h + 1:] if r and r[index["Country"]] not in (None, "")]
    first = h + 2

    def col(name: str) -> list[object]:
        return [r[index[name]] if index[name] < len(r) else None for r in body]

    out: dict[str, object] = {}
    country = _text(col("Country"))
    out["iso3"] = _iso3(country, file=file, column="Country", src="name")
    out["country"] = country
    out["region"] = _text(col("Region"))
    for src, dst in GSI_SUMMARY_COLUMNS.items():
        if dst in ("country", "region"):
            continue
        values = _floats(col(src), file=file, column=src, first_row=first)
        if dst in ("population", "estimated_number"):
            out[dst] = pd.Series(values).round().astype("Int64")
        else:
            out[dst] = values
    frame = pd.DataFrame(out)
    frame = schemas.validate(frame, "gsi-2023-summary", file=file, row_offset=first)
    frame.attrs.update({"with_response": int(frame["response_total"].notna().sum()),
                        "with_vulnerability": int(frame["vulnerability_total"].notna().sum()),
                        "sheet": GSI_SUMMARY_SHEET})
    return frame


_CODE = re.compile(r"^M([1-5])(\d)(\d)(\d)(NEG)?$")


def _framework(path: Path) -> pd.DataFrame:
    """The 'Govt response framework' codebook: one row per indicator, names filled down."""
    file = path.name
    rows = _sheet_rows(path, GSI_FRAMEWORK_SHEET)
    want = ("Milestone number", "Milestone name", "Activity number", "Activity name",
            "Indicator number", "Indicator name", "Indicator description")
    h = _find_header(rows, want, file=f"{file} [{GSI_FRAMEWORK_SHEET}]")
    names = [_clean_text(c) for c in rows[h]]
    j = {n: names.index(n) for n in want}
    out, milestone, m_name, activity, a_name = [], None, None, None, None
    for k, r in enumerate(rows[h + 1:]):
        if r is None or all(c in (None, "") for c in r):
            continue
        if r[j["Milestone number"]] not in (None, ""):
            milestone, m_name = int(r[j["Milestone number"]]), _clean_text(r[j["Milestone name"]])
        if r[j["Activity number"]] not in (None, ""):
            raw = r[j["Activity number"]]
            activity = f"{float(raw):.1f}" if isinstance(raw, (int, float)) else _clean_text(raw)
            a_name = _clean_text(r[j["Activity name"]])
        number = r[j["Indicator number"]]
        if number in (None, ""):
            raise DataError(f"{file} [{GSI_FRAMEWORK_SHEET}]: row {h + 2 + k} has no indicator number")
        name = _clean_text(r[j["Indicator name"]])
        negative = name.upper().startswith("NEGATIVE")
        a1, a2 = activity.split(".")
        out.append({"code": f"M{milestone}{a1}{a2}{int(number)}" + ("NEG" if negative else ""),
                    "milestone": milestone, "activity": f"{milestone}.{activity}",
                    "indicator_number": int(number), "negative": negative,
                    "milestone_name": m_name, "activity_name": a_name, "indicator_name": name,
                    "indicator_rule": _clean_text(r[j["Indicator description"]]) or None})
    return pd.DataFrame(out)


@register("gsi-2023-indicators", version="1")
def parse_gsi_2023_indicators(path: Path) -> pd.DataFrame:
    """GSI 2023 government-response indicator ratings with their codebook: one row per country and
    indicator (176 countries x 141 indicators = 24,816 rows).

    ``rating``: 1 met, 0 not met, -1 a negative indicator met (CONTENTS sheet). ``activity`` is
    ``milestone.activity`` (e.g. "2.2.1" is milestone 2, activity 2.1); ``code`` the workbook's
    column heading (M2212 = milestone 2, activity 2.1, indicator 2). Rows below the countries
    (totals and regional totals) are not country rows and are not read; a missing rating is an
    error (the sheet has none).
    """
    file = path.name
    fw = _framework(path)
    rows = _sheet_rows(path, GSI_INDICATOR_SHEET)
    h = _find_header(rows, ("Region", "Country", "M1111"), file=f"{file} [{GSI_INDICATOR_SHEET}]")
    names = [_clean_text(c) for c in rows[h]]
    codes = [n for n in names if _CODE.match(n)]
    if codes != fw["code"].tolist():
        diff = [(a, b) for a, b in zip(codes, fw["code"]) if a != b][:3]
        raise DataError(f"{file}: indicator columns of '{GSI_INDICATOR_SHEET}' do not match the codes built "
                        f"from '{GSI_FRAMEWORK_SHEET}' ({len(codes)} vs {len(fw)}; first differences {diff})")
    ci, ri = names.index("Country"), names.index("Region")
    body = []
    for r in rows[h + 1:]:
        if r is None or r[ci] in (None, ""):
            break  # the totals row (no country) ends the country block
        body.append(r)
    first = h + 2
    country = _text([r[ci] for r in body])
    iso3 = _iso3(country, file=file, column="Country", src="name")
    cols = [names.index(c) for c in codes]
    ratings = np.array([[np.nan if r[j] is None else r[j] for j in cols] for r in body], dtype=float)
    if np.isnan(ratings).any():
        i, k = np.argwhere(np.isnan(ratings))[0]
        raise DataError(f"{file}: column '{codes[k]}' is empty at row {i + first}; expected -1, 0 or 1")
    n_c, n_i = ratings.shape
    frame = pd.DataFrame({
        "iso3": np.repeat(iso3.to_numpy(dtype=object), n_i),
        "country": np.repeat(country.to_numpy(dtype=object), n_i),
        "region": np.repeat(_text([r[ri] for r in body]).to_numpy(dtype=object), n_i),
        "code": np.tile(np.array(codes, dtype=object), n_c),
        "rating": ratings.reshape(-1).astype("int64"),
    })
    frame = frame.merge(fw, on="code", how="left", validate="many_to_one")
    order = ["iso3", "country", "region", "code", "milestone", "activity", "indicator_number", "negative",
             "rating", "milestone_name", "activity_name", "indicator_name", "indicator_rule"]
    frame = frame[order]
    for c in ("iso3", "country", "region", "code", "activity", "milestone_name", "activity_name",
              "indicator_name", "indicator_rule"):
        frame[c] = frame[c].astype("str")  # pandas' str dtype keeps a missing rule missing
    frame["milestone"] = frame["milestone"].astype("int64")
    frame["indicator_number"] = frame["indicator_number"].astype("int64")
    frame["negative"] = frame["negative"].astype(bool)
    frame = schemas.validate(frame, "gsi-2023-indicators", file=file, row_offset=first)
    frame.attrs.update({"countries": int(n_c), "indicators": int(n_i),
                        "negative_indicators": int(fw["negative"].sum()),
                        "activities": int(fw["activity"].nunique())})
    return frame


# ---------------------------------------------------------------- 3P index (Stata)

# Names in the Stata file that critique.countries cannot read, spelled out as Kelley & Heiss do in
# scorecard-diplomacy analysis/policy_index.R (CentralAfRep, DomRep, SaoT&P, SolomanIs, UArabEmir);
# PapuaNG and UK added here. The file's own `code` is a Correlates of War abbreviation, not ISO3.
THREE_P_NAMES = {
    "CentralAfRep": "Central African Republic",
    "DomRep": "Dominican Republic",
    "PapuaNG": "Papua New Guinea",
    "SaoT&P": "Sao Tome and Principe",
    "SolomanIs": "Solomon Islands",
    "UArabEmir": "United Arab Emirates",
    "UK": "United Kingdom",
}


@register("3p-index", version="1")
def parse_3p_index(path: Path) -> pd.DataFrame:
    """3P Anti-trafficking Policy Index with TIP tiers (Kelley & Heiss's Stata assembly): every row.

    Columns: iso3, country (the file's ``name``), year, ccode (Correlates of War number), prosecution,
    protection, prevention (1 worst - 5 best), score_3p (their unweighted sum, 3-15; the file's
    ``p``), tier_kh (the file's ``tierupdated``: 1, 2, 2.5 = Watch List, 3) and tier_status
    ("rated"; 555 "not rated"; 666 "special case", as Kelley & Simmons's replication code treats
    both codes as no tier; "missing" for a blank). Read with ``pandas.read_stata``.
    """
    file = path.name
    try:
        raw = pd.read_stata(path, convert_categoricals=False)
    except Exception as exc:  # pandas raises ValueError / struct.error on a damaged file
        raise DataError(f"{file}: not a readable Stata file ({type(exc).__name__}: {str(exc)[:120]})") from None
    need = ["name", "year", "ccode", "tierupdated", "prosecution", "protection", "prevention", "p"]
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise DataError(f"{file}: column(s) {missing} missing (found: {list(raw.columns)})")
    name = _text(raw["name"].astype(str).str.replace("\x92", "'", regex=False))
    iso3 = _iso3(name.replace(THREE_P_NAMES), file=file, column="name", src="name")
    tier_raw = raw["tierupdated"].astype(float)
    known = tier_raw.isna() | tier_raw.isin(list(TIER_3P) + list(TIER_3P_STATUS))
    if not known.all():
        i = int(np.argmax(~known.to_numpy()))
        raise DataError(f"{file}: column 'tierupdated' value {tier_raw.iloc[i]!r} at row {i + 1} is not a "
                        "tier code (1, 2, 2.5, 3, 555 not rated, 666 special case)")
    status = np.where(tier_raw.isna(), "missing",
                      np.where(tier_raw.isin(list(TIER_3P)), "rated", tier_raw.map(TIER_3P_STATUS).fillna("")))
    frame = pd.DataFrame({
        "iso3": iso3,
        "country": name,
        "year": raw["year"].astype("int64"),
        "ccode": raw["ccode"].astype("int64"),
        "prosecution": raw["prosecution"].astype("float64"),
        "protection": raw["protection"].astype("float64"),
        "prevention": raw["prevention"].astype("float64"),
        "score_3p": raw["p"].astype("float64"),
        "tier_kh": pd.Categorical(tier_raw.map(TIER_3P), categories=list(schemas.TIERS), ordered=True),
        "tier_status": pd.Series(status, dtype="str"),
    })
    frame = schemas.validate(frame, "3p-index", file=file, row_offset=1)
    parts = frame[["prosecution", "protection", "prevention"]]
    frame.attrs.update({
        "rows": int(len(frame)),
        "score_without_all_parts": int((frame["score_3p"].notna() & parts.isna().any(axis=1)).sum()),
    })
    return frame


# ---------------------------------------------------------------- GI-TOC Organized Crime Index

OC_SHEETS = {2021: "2021_dataset", 2023: "2023_dataset"}
_OC_AVERAGES = {"criminality": "criminality", "criminal markets": "criminal markets",
                "criminal actors": "criminal actors", "resilience": "resilience"}


def _oc_name(raw: object) -> str:
    """'Criminality avg,' (2023) and 'Criminality' (2021) -> 'Criminality'."""
    text = _clean_text(raw).rstrip(",").strip()
    return re.sub(r"\s+avg$", "", text)


@register("oc-index", version="1")
def parse_oc_index(path: Path) -> pd.DataFrame:
    """GI-TOC Global Organized Crime Index 2021 and 2023: one row per country, edition, indicator.

    ``pillar`` follows the column order of the sheets (criminal markets, then criminal actors, then
    resilience); ``is_average`` marks the published averages (Criminality, Criminal markets,
    Criminal actors, Resilience). Scores run 1-10: for markets and actors higher means more
    organized crime, for resilience higher means more resilience. 193 countries per edition.
    """
    file = path.name
    parts = []
    for edition, sheet in OC_SHEETS.items():
        rows = _sheet_rows(path, sheet)
        h = _find_header(rows, ("Continent", "Region", "Country"), file=f"{file} [{sheet}]")
        names = [_oc_name(c) for c in rows[h]]
        body = [r for r in rows[h + 1:] if r and r[names.index("Country")] not in (None, "")]
        first = h + 2
        country = _text([r[names.index("Country")] for r in body])
        iso3 = _iso3(country, file=file, column="Country", src="name")
        pillar = None
        for j, name in enumerate(names):
            if name in ("Continent", "Region", "Country") or not name:
                continue
            key = name.lower()
            if key in _OC_AVERAGES:
                pillar = _OC_AVERAGES[key]
                this_pillar, is_avg = pillar, True
            else:
                if pillar is None or pillar == "criminality":
                    raise DataError(f"{file} [{sheet}]: column '{name}' comes before any pillar average")
                this_pillar, is_avg = pillar, False
            scores = _floats([r[j] if j < len(r) else None for r in body], file=f"{file} [{sheet}]",
                             column=name, first_row=first)
            if np.isnan(scores).any():
                i = int(np.argmax(np.isnan(scores)))
                raise DataError(f"{file} [{sheet}]: column '{name}' is empty at row {i + first}")
            parts.append(pd.DataFrame({
                "iso3": iso3, "country": country,
                "continent": _text([r[names.index("Continent")] for r in body]),
                "region": _text([r[names.index("Region")] for r in body]),
                "edition": edition, "pillar": this_pillar, "indicator": name,
                "is_average": is_avg, "score": scores,
            }))
    frame = pd.concat(parts, ignore_index=True)
    frame["edition"] = frame["edition"].astype("int64")
    for c in ("iso3", "country", "continent", "region", "pillar", "indicator"):
        frame[c] = frame[c].astype("str")
    frame = schemas.validate(frame, "oc-index", file=file, row_offset=0)
    frame.attrs.update({"countries_2021": int(frame.loc[frame.edition == 2021, "iso3"].nunique()),
                        "countries_2023": int(frame.loc[frame.edition == 2023, "iso3"].nunique())})
    return frame


def snake(name: str) -> str:
    """An OC Index indicator name as a column name ("Victim and witness support" -> victim_and_witness_support)."""
    return _snake(name)
