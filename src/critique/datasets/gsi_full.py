"""Loaders of the Walk Free Global Slavery Index 2023 full dataset (issue 16), schemas beside them.

- ``gsi-2023-summary``: sheet "GSI 2023 summary data": one row per country (180) with prevalence,
  the five vulnerability dimensions and their total (160 countries), the five government-response
  milestone percentages and the response total (176 countries; Afghanistan, South Sudan, Syria and
  Yemen were not assessed, CONTENTS note 1).
- ``gsi-2023-indicators``: sheets "Govt response - Indicators" (176 countries x 141 indicator
  ratings 0/1, -1 for a negative indicator met) joined to the "Govt response framework" codebook
  (milestone, activity, indicator name and rating rule), one row per country and indicator. The
  codebook row and the column code are checked to agree (``M`` + milestone + activity + indicator
  number, ``NEG`` for a negative indicator).

Every country row is kept; countries become ISO3 through ``critique.datasets.countries``.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from critique.datasets import DataError, register
from critique.datasets import schemas
from critique.datasets.upstream import _clean_text, _find_header, _iso3, _text
from critique.datasets.sheets import floats as _floats
from critique.datasets.sheets import iso3_col as _iso3_col
from critique.datasets.sheets import pct as _pct
from critique.datasets.sheets import sheet_rows as _sheet_rows

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

schemas.SCHEMAS.update({"gsi-2023-summary": GSI_SUMMARY, "gsi-2023-indicators": GSI_INDICATORS})

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
