"""One country's figures reported to UNODC beside its TIP tier (workshop 3, country profiles)."""
from __future__ import annotations

import pandas as pd

from critique.methods.tip.tiers import country_tiers


def country_enforcement_view(iso3: str, glotip: pd.DataFrame, tiers: pd.DataFrame | None = None,
                             *, lag: int = 1) -> pd.DataFrame:
    """One country's figures reported to UNODC by data year, beside its TIP tier.

    Columns: data_year, detected_victims, persons_prosecuted, persons_convicted (national totals;
    missing when not reported; a suppressed "<5" cell shows as missing with ``*_suppressed``
    True), then report_year (= data_year + ``lag``: a report assesses the previous year), tier and
    tier_status from :func:`critique.methods.tip.tiers.country_tiers` (``unknown (partial year)`` where the
    transcription is partial).
    """
    code = iso3.upper()
    sub = glotip.loc[(glotip["iso3"] == code) & (glotip["dimension"] == "Total")
                     & (glotip["category"] == "Total") & (glotip["sex"] == "Total")
                     & (glotip["age"] == "Total")]
    names = {"Detected trafficking victims": "detected_victims",
             "Persons prosecuted": "persons_prosecuted", "Persons convicted": "persons_convicted"}
    years = pd.Index(range(int(glotip["year"].min()), int(glotip["year"].max()) + 1),
                     name="data_year")
    out = pd.DataFrame(index=years)
    for ind, col in names.items():
        rows = sub.loc[sub["indicator"] == ind].groupby("year")
        out[col] = rows["value"].max().reindex(years)
        out[f"{col}_suppressed"] = rows["suppressed"].any().reindex(years).fillna(False).astype(bool)
    out = out.reset_index()
    out["report_year"] = out["data_year"] + lag
    t = country_tiers(code, tiers)
    out = out.merge(t[["report_year", "tier", "status"]].rename(columns={"status": "tier_status"}),
                    on="report_year", how="left")
    out["tier_status"] = out["tier_status"].fillna("no TIP data for this report year")
    out.insert(0, "iso3", code)
    return out
