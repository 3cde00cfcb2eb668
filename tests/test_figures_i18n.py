"""Charts and reader tables in the reader's language (issue 26): for each module of the figures layer,
one drawn sentence or label in French, read back from the figure, with its number written the
French way (CLDR: U+202F groups thousands, a comma marks decimals), and the same text in English
exactly as before the strings were put through the catalogue.

The expected French is the committed catalogue's translation typed out here, and the numbers are the
inputs written by hand the French way, so a lost translation, a dropped placeholder or a number
formatted the English way in French each fails a case.
"""
from __future__ import annotations

import datetime as dt

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from critique.core import i18n  # noqa: E402

NNBSP = "\u202f"  # CLDR's French group separator


def _texts(fig: "plt.Figure") -> set[str]:
    """Every text drawn on ``fig``: titles, axis labels, tick labels (after a draw), texts, legends."""
    fig.canvas.draw()
    out: set[str] = set()
    for ax in fig.axes:
        out |= {ax.get_title(loc=loc) for loc in ("left", "center", "right")}
        out |= {ax.get_xlabel(), ax.get_ylabel()}
        out |= {t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()}
        out |= {t.get_text() for t in ax.texts}
        if ax.get_legend() is not None:
            out |= {t.get_text() for t in ax.get_legend().get_texts()}
    for leg in fig.legends:
        out |= {t.get_text() for t in leg.get_texts()}
    plt.close(fig)
    return out


def _drawn(make, lang: str) -> set[str]:
    with i18n.using(lang):
        return _texts(make())


# --- one chart per module: (module, figure maker, English text, French text) ---------------------

def _enforcement():
    from critique.figures import enforcement

    return enforcement.source_disagreements(pd.DataFrame({
        "data_year": [2010], "measure": ["victims_identified"], "typed": [12214], "typed_edition": [2011],
        "typed_verification": ["primary"], "kh": [12300], "difference": [86], "relative": [86 / 12214]}))


def _tiers():
    from critique.figures import tiers

    return tiers.country_detections_and_tier(pd.DataFrame({
        "data_year": [2014, 2015], "detected_victims": [12214.0, float("nan")], "tier": ["2WL", "2WL"],
        "report_year": [2015, 2016]}))


def _scorecards():
    from critique.figures import scorecards

    table = pd.DataFrame({"a": ["x"], "b": ["y"], "estimate": [0.52], "low": [0.31], "high": [0.7], "n": [40]})
    return scorecards.agreement_matrix(table, ["x", "y"])


def _misid():
    from critique.figures import misid

    return misid.raid_follow_ups(pd.DataFrame({"id": ["study-a"], "numerator": [1234], "denominator": [5000],
                                               "measures": ["m"], "share": [1234 / 5000]}))


def _policy():
    from critique.figures import policy

    counts = pd.DataFrame({"year": [2000, 2001, 2002], "count": [3.0, 5.0, 8.0]})
    return policy.series_with_law(counts, [2003], 1999, label="law")


def _client_laws():
    from critique.figures import client_laws

    return client_laws.enforcement_outputs(pd.DataFrame({
        "jurisdiction": ["Sweden"], "short": ["fines"], "period": ["2010"], "value": [12214.0],
        "suppressed_below": [pd.NA], "verification": ["primary"]}))


def _coverage():
    from critique.figures import coverage

    return coverage.latest_split(pd.DataFrame({"pooling": ["recount"], "excluded": [""],
                                               "Sexual exploitation": [38.2], "Forced labour": [38.0]}))


def _detection():
    from critique.figures import detection

    table = pd.DataFrame({"estimate": ["GEMS 2022"], "detected": ["GLOTIP 2022"], "countries": [140],
                          "excluded": [""], "partial": [False], "denominator": ["se_fl"], "ratio": [2.0],
                          "ratio_low": [1.8], "ratio_high": [2.2]})
    return detection.implied_ratio_range(table, 1.5, 3.25)


def _mse():
    from critique.figures import mse

    path = pd.DataFrame({"step": [0, 1], "total": [10000.0, 11000.0], "added": ["", "A:B"]})
    return mse.stepwise_path(path, 2744)


def _nrm():
    from critique.figures import nrm

    table = pd.DataFrame({"quarter": [pd.Period("2023Q1", "Q-DEC")] * 2, "published": [4746, 4750],
                          "first_publication": [True, False], "first_release_tables": [4746, 4746]})
    annual = pd.DataFrame({"release_date": [dt.date(2024, 3, 7)], "potential_victims": [17004]})
    return nrm.restatements(table, annual, 2023)


def _revisions():
    from critique.figures import revisions

    return revisions.headline_by_release(pd.DataFrame({
        "release": ["release of 2024-12-11"], "countries_from": [100], "countries_to": [90],
        "change_pct_low": [12.0], "change_pct_high": [12.0], "panel_change_pct_low": [5.0],
        "panel_change_pct_high": [5.0], "year_from": [2019], "year_to": [2022]}))


def _reconcile():
    from critique.figures import reconcile

    return reconcile.fbi_file_vs_tables(pd.DataFrame({
        "area": ["US"], "published": [1000.0], "measure": ["offences"], "data_year": [2020], "file": [2234.0],
        "difference": [1234]}))


def _claims():
    from critique.figures import claims

    data = pd.DataFrame({"evidence_id": ["gao-platform-cases"], "value": [12214.0], "verification": ["primary"]})
    return claims.cited_bars(data, {"gao-platform-cases": claims.CITED_LABELS["gao-fosta"]["gao-platform-cases"]})


def _profile():
    from critique.figures import profile

    return profile.gsi_vs_detected({"gsi_estimate": 50000, "latest_detected": 4, "latest_year": 2022,
                                    "latest_suppressed": True})


def _overview():
    from critique.figures import overview

    return overview.coverage_by_year({"glotip": pd.Series([100.0, 120.0], index=[2020, 2021])},
                                     {"glotip": "countries"}, 2020)


CASES = {
    "enforcement": (_enforcement, "typed 12,214 (TIP 2011, primary); Kelley & Heiss 12,300",
                    f"saisi 12{NNBSP}214 (TIP 2011, primaire) ; Kelley & Heiss 12{NNBSP}300"),
    "tiers": (_tiers, "12,214", f"12{NNBSP}214"),
    "tiers-tick": (_tiers, "2014\nTier 2WL\n(2015)", "2014\nCat. 2WL\n(2015)"),
    "scorecards": (_scorecards, "0.52\n[0.31, 0.70]\nn=40", "0,52\n[0,31, 0,70]\nn=40"),
    "misid": (_misid, " 1,234 of 5,000 (m)", f" 1{NNBSP}234 sur 5{NNBSP}000 (m)"),
    "policy": (_policy, "detected victims (national total)", "victimes détectées (total national)"),
    "client_laws": (_client_laws, "12,214", f"12{NNBSP}214"),
    "coverage": (_coverage, "38%", "38\u00a0%"),  # CLDR: no-break space before %
    "detection": (_detection, "range without partial years: 1.50 to 3.25",
                  "intervalle hors années partielles : 1,50 à 3,25"),
    "mse": (_mse, "observed on at least one list: 2,744", f"observées sur au moins une liste : 2{NNBSP}744"),
    "nrm": (_nrm, "17,004", f"17{NNBSP}004"),
    "nrm-date": (_nrm, "07 Mar 2024", "07 mars\n2024"),
    "revisions": (_revisions, "release of 2024-12-11\n(100 -> 90 countries)",
                  "publication du 2024-12-11\n(100 -> 90 pays)"),
    "revisions-change": (_revisions, "+12%", "+12\u00a0%"),
    "reconcile": (_reconcile, "+1,234", f"+1{NNBSP}234"),
    "claims": (_claims, "12,214", f"12{NNBSP}214"),
    "profile": (_profile, " 50,000", f" 50{NNBSP}000"),
    "profile-label": (_profile, "UNODC detected (2022)", "détectées selon l'UNODC (2022)"),
    "overview": (_overview, "glotip (countries)", "glotip (pays)"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_chart_speaks_french_with_french_numbers_and_english_is_unchanged(case):
    make, english, french = CASES[case]
    assert english in _drawn(make, "en")
    got = _drawn(make, "fr")
    assert french in got, sorted(t for t in got if t)
    assert english == french or english not in got


def test_tick_numbers_follow_the_language():
    from critique.figures.charts import num, number_formatter

    assert num(12214) == "12,214" and num(0.381, ".1%") == "38.1%"
    with i18n.using("fr"):
        assert num(12214) == f"12{NNBSP}214" and num(0.381, ".1%") == "38,1\u00a0%"
        assert number_formatter()(17004.0) == f"17{NNBSP}004"
    with i18n.using("es"):
        assert number_formatter()(17004.0) == "17.004"


def test_charts_caption_in_french_from_the_claims_module():
    from critique.figures import claims

    summary = pd.DataFrame({"claim_id": ["a", "a", "b"],
                            "verdict": ["x", "the data cannot test it (capped: unverified input)", "y"]})
    english = claims.verdict_counts_caption(summary)
    assert english["description"].startswith("Bars count checks, not claims: 3 checks of 2 claims, a claim may have")
    with i18n.using("fr"):
        french = claims.verdict_counts_caption(summary)
        assert claims.caption("gao-fosta")["caveat"] == ("Les actions civiles et les poursuites des États ouvertes par "
                                                        "la loi ne figurent pas dans ces chiffres.")
    assert french["description"].startswith("Les barres comptent des vérifications, pas des affirmations : "
                                            "3 vérifications de 2 affirmations")
    assert "1 verdict(s) plafonné(s)" in french["description"]


def test_reader_tables_write_numbers_and_words_the_readers_way():
    from critique.figures import tables

    frame = pd.DataFrame({"n": [12214, 3], "x": [3.46, 0.5], "share": [0.25, 0.5], "ok": [True, False]})
    assert [tables.number(v) for v in (12214, 3.46, 12.5, 0.047)] == ["12,214", "3.46", "12.5", "0.047"]
    english = tables.reader_table(frame, percent=["share"], max_rows=1).to_html()
    assert "25.0%" in english and "(first 1 of 2 rows)" in english and ">yes<" in english
    with i18n.using("fr"):
        assert [tables.number(v) for v in (12214, 3.46, 12.5, 0.047)] == [f"12{NNBSP}214", "3,46", "12,5", "0,047"]
        french = tables.reader_table(frame, percent=["share"], max_rows=1).to_html()
    assert "25,0\u00a0%" in french and "(1 premières lignes sur 2)" in french and ">oui<" in french
