"""Reader sentences of the methods layer part B (claims, policy, MSE) and the datasets layer in French
(issue 26): each is one catalogue template with its numbers written the French way (CLDR: U+202F
groups thousands, U+00A0 before %, a decimal comma), and the same call in English is unchanged.

The French strings are the catalogue's draft translations, written out here in full, so a test fails
when a template, its placeholders or the locale formatting change."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from critique.core import i18n

NNBSP, NBSP = "\u202f", "\u00a0"


def both(call):
    """The call's result in English and in French."""
    with i18n.using("en"):
        en = call()
    with i18n.using("fr"):
        fr = call()
    return en, fr


# --- claims -----------------------------------------------------------------------------------

def test_counts_sentence_in_french_and_unchanged_in_english():
    from critique.methods.claims import rules

    en, fr = both(lambda: rules.counts_sentence({rules.CONTRADICT: 1, rules.CANNOT_TEST: 1233},
                                                n_checks=1234, n_claims=12))
    assert en == "Of 1234 checks of 12 circulating claims, 1 'the data contradict it', 1233 'the data cannot test it'."
    assert fr == ("Sur 1234 vérifications de 12 affirmations en circulation : 1 « les données la contredisent », "
                  "1233 « les données ne peuvent pas la tester ».")


def test_sources_sentence_agrees_with_claim_and_documents_in_french():
    from critique.methods.claims import rules

    read = ["GAO-21-385 [primary]", "ITUC [secondary]", "glotip release of 2024-12-11"]
    en, fr = both(lambda: rules.sources_sentence(read, "secondary"))
    assert en == ("the claim was read in secondary copies; of the 3 documents it was checked against, "
                  "2 read in the publishers' own documents, 1 read in secondary copies")
    assert fr == ("l’affirmation a été lue dans des copies secondaires ; sur les 3 documents auxquels elle a été "
                  "confrontée : 2 : lecture dans les documents mêmes des éditeurs, 1 : lecture dans des copies secondaires")
    en, fr = both(lambda: rules.sources_sentence(["AP [secondary]", "ITUC [secondary]"], "secondary"))
    assert en == "the claim and all 2 documents it was checked against were read in secondary copies"
    assert fr == ("l’affirmation et les 2 documents auxquels elle a été confrontée ont tous été lus dans des "
                  "copies secondaires")


def test_partial_verdict_phrase_and_percent_range():
    from critique.methods.claims import rules, verdict

    en, fr = both(lambda: rules.phrase(rules.Verdict(rules.PARTIAL, rules.SMALLER)))
    assert en == "tested on part of the claim's scope; on that part, a smaller change than claimed"
    assert fr == "testée sur une partie de la portée de l'affirmation ; sur cette partie, une variation plus petite qu’affirmé"
    assert both(lambda: verdict.pct_range(-12.4, 3.2)) == ("-12% to +3%", f"-12{NBSP}% à +3{NBSP}%")


def test_untestable_reason_in_french():
    from critique.methods.claims import untestable_check

    row = {"claim_id": "x", "verification": "secondary", "note": "No register counts it."}
    en, fr = both(lambda: untestable_check(row).reason)
    assert en == ("The register declares that no count of the same definition exists: No register counts it "
                  "(read: claims register row x [secondary]).")
    assert fr == ("Le registre déclare qu’aucun décompte de même définition n’existe : No register counts it "
                  "(lu : ligne x du registre des affirmations [secondary]).")


def test_a_cited_check_reason_has_french_numbers():
    from critique.methods.claims import cited

    ids = ["wc2006-claimed", "wc2006-known-victims-per-year", "wc2006-detection-assumption", "wc2006-cases-found"]
    ev = pd.DataFrame({"evidence_id": ids, "value": [40000, 1000, 0.1, 5], "unit": ["people", "people", "share", "cases"],
                       "verification": ["secondary"] * 4, "citation": ["Hennig et al. 2007, IOM report"] * 4})
    en, fr = both(lambda: cited.check_worldcup_followup(ev).reason)
    assert en == ("No count of people trafficked for the event exists and the forecast of 40,000 came with no data; "
                  "IOM's follow-up gives about 1,000 known victims of sexual exploitation a year in Germany, or 10,000 "
                  "a year under its own assumption that 10% are discovered (4.0 times fewer than the forecast for a "
                  "four-week event), and a news report gave 5 cases linked to the event (read: Hennig et al. 2007 "
                  "[secondary]).")
    assert fr == (f"Aucun décompte des personnes victimes de traite pour l’événement n’existe et la prévision de "
                  f"40{NNBSP}000 n’était étayée par aucune donnée ; le suivi de l’OIM donne environ 1{NNBSP}000 victimes "
                  f"connues d’exploitation sexuelle par an en Allemagne, soit 10{NNBSP}000 par an selon sa propre "
                  f"hypothèse que 10{NBSP}% sont découvertes (4,0 fois moins que la prévision pour un événement de "
                  f"quatre semaines), et un article de presse faisait état de 5 cas liés à l’événement (lu : Hennig "
                  f"et al. 2007 [secondary]).")


# --- policy -----------------------------------------------------------------------------------

def test_range_reading_and_fit_line_in_french():
    from critique.methods.policy import reading as R

    en, fr = both(lambda: R.range_reading(1200, 0, 3))
    assert en == "1200 of 1203 specifications exclude no change, all on the side of a fall in the count; 3 include it"
    assert fr == ("1200 sur 1203 spécifications excluent l’absence de changement, toutes du côté d’une baisse du "
                  "décompte ; 3 l’incluent")
    s = {"years": [2008, 2009], "level_change_pct": -1234.4, "level_ci_pct": [-2000.2, 15.0], "mde_pct": 45.2}
    en, fr = both(lambda: R.fit_line("poisson", s))
    assert en == "poisson from 2008: -1234% (-2000 to +15); MDE 45%"
    assert fr == f"poisson à partir de 2008 : -1{NNBSP}234{NBSP}% (-2{NNBSP}000 à +15) ; EMD 45{NBSP}%"


def test_result_row_headers_and_words_in_french():
    from critique.methods.policy.views import result_row

    a = SimpleNamespace(fitted=True, summary=lambda: {
        "first_post_year": 2009, "n_pre": 6, "n_post": 12, "level_change_pct": -12.4, "level_ci_pct": [-1234.5, 20.1],
        "mde_pct": 45.0, "placebo_time_rank": 3, "placebo_time_n": 11, "placebo_time_p": 0.25,
        "diagnostics": {"dispersion": 2.34}})
    en, fr = both(lambda: result_row("SWE-1999", "Total", a, 0.05))
    assert en == {"policy_id": "SWE-1999", "series": "Total", "status": "fitted", "first post year": 2009,
                  "n before/after": "6/12", "level change %": -12, "95% interval %": "-1234 to 20", "MDE %": 45,
                  "placebo in time": "rank 3 of 12, p=0.25", "placebo across units": "not run", "dispersion": 2.3}
    assert fr == {"policy_id": "SWE-1999", "série": "Total", "statut": "ajusté", "première année postérieure": 2009,
                  "n avant/après": "6/12", "changement de niveau %": -12, f"intervalle à 95{NBSP}% (%)": f"-1{NNBSP}234 à 20",
                  "EMD %": 45, "placebo dans le temps": "rang 3 sur 12, p=0,25", "placebo entre unités": "non exécuté",
                  "dispersion": 2.3}


def test_a_policy_caption_in_french():
    from critique.methods.policy.captions import chart_caption
    from critique.methods.policy.result import PolicySettings

    res = SimpleNamespace(settings=PolicySettings(ucr_year_start=2014, ucr_panel_start=2015),
                          ucr={"panel": [1, 2, 3], "agencies": 1240}, ucr_chart_data=None)
    en, fr = both(lambda: chart_caption(res, "fbi-ucr-fosta"))
    assert (en["n"], en["title"]) == ("1240 agencies, 7 years",
                                      "FBI UCR human-trafficking offences around FOSTA-SESTA (April 2018)")
    assert (fr["n"], fr["title"]) == ("1240 services, 7 années", "Infractions de traite des êtres humains de l’UCR "
                                      "du FBI autour de FOSTA-SESTA (avril 2018)")


def test_an_enforcement_sentence_in_french():
    from critique.methods.policy import enforcement_outputs as E

    en, fr = both(lambda: E.read_outputs("Northern Ireland", "2015-2018", 12214, 1500, "purchasing sexual services"))
    assert en == ("Northern Ireland, 2015-2018: 12,214 arrests and 1,500 convictions for purchasing sexual services. "
                  "That is what the law produced in enforcement, not a count of buyers.")
    assert fr == (f"Northern Ireland, 2015-2018 : 12{NNBSP}214 arrestations et 1{NNBSP}500 condamnations pour "
                  f"purchasing sexual services. C’est ce que la loi a produit en matière répressive, non un décompte "
                  f"des acheteurs.")


# --- MSE --------------------------------------------------------------------------------------

def test_near_best_text_in_french():
    from critique.methods.mse import reading as M

    avg = SimpleNamespace(n_models=100, total=11000.4, sd_between=1234.5, effective_models=7.2)
    spread = {"n_existing": 1024, "min": 9000.0, "max": 15000.0, "median": 12000.0, "n_no_finite_estimate": 3}
    en, fr = both(lambda: M.near_best_text(pd.DataFrame({"total": [10234.0, 12214.0]}), 5.99, avg, spread))
    assert en == ("Near-best set (5.99 BIC, Occam's window): **2 models**, totals **10,234 to 12,214**. BIC-weighted "
                  "average over the 100 models kept: **11,000** (between-model standard deviation 1,234; about 7 models "
                  "carry the weight). With pairwise links only and non-overlapping links refused, the 1024 models run "
                  "from 9,000 to 15,000 (median 12,000); 3 more have no finite estimate.")
    assert fr == (f"Ensemble quasi optimal (5.99 de BIC, fenêtre d’Occam) : **2 modèles**, totaux de **10{NNBSP}234 à "
                  f"12{NNBSP}214**. Moyenne pondérée par le BIC sur les 100 modèles retenus : **11{NNBSP}000** (écart "
                  f"type entre modèles 1{NNBSP}234 ; environ 7 modèles portent le poids). Avec seulement des liens deux "
                  f"à deux et les liens sans chevauchement refusés, les 1024 modèles vont de 9{NNBSP}000 à "
                  f"15{NNBSP}000 (médiane 12{NNBSP}000) ; 3 autres n’ont pas d’estimation finie.")


def test_procedure_description_in_french():
    from critique.methods.mse.procedure import Procedure

    en, fr = both(lambda: Procedure(method="stepwise", pthresh=0.02).describe(5))
    assert en == ("forward stepwise over pairwise interactions (Chan, Silverman & Vincent 2021), p < 0.02; a pair "
                  "sharing nobody admitted when its extended MLE exists")
    assert fr == ("sélection pas à pas ascendante sur les interactions deux à deux (Chan, Silverman & Vincent 2021), "
                  "p < 0.02 ; une paire sans personne en commun admise quand son EMV étendu existe")


# --- datasets ---------------------------------------------------------------------------------

def test_verification_summary_and_publisher_quote_in_french():
    from critique.datasets import published, publisher_caveats

    frame = pd.DataFrame({"verification": ["secondary"] * 1214 + ["unverified"] * 4})
    assert both(lambda: published.summary_phrase(frame)) == (
        "1218 rows: 1214 read in secondary copies, 4 unverified",
        "1218 lignes : 1214 : lecture dans des copies secondaires, 4 : sans vérification")
    cav = pd.DataFrame({"caveat_id": ["a"], "publisher": ["Home Office"], "quote": ["These are not victims."],
                        "verification": ["primary"]})
    assert both(lambda: publisher_caveats.publisher_says(cav, "a")) == (
        'What the publisher itself says: "These are not victims." (Home Office; read on its own site).',
        "Ce que dit l’éditeur lui-même : « These are not victims. » (Home Office ; lue sur son propre site).")


def test_corrections_reader_table_headers_in_french():
    from critique.datasets import corrections

    empty = pd.DataFrame(columns=["dataset", "status", "action", "problem", "evidence", "suite_does", "verification"])
    en, fr = both(lambda: list(corrections.reader_table(empty).columns))
    assert en == ["dataset", "status", "action", "problem", "evidence", "what the suite does", "evidence status"]
    assert fr == ["jeu de données", "statut", "action", "problème", "éléments de preuve", "ce que fait la suite",
                  "statut des éléments de preuve"]


@pytest.mark.parametrize("lang", ["es", "ru", "zh"])
def test_the_other_languages_have_the_counts_sentence_with_their_numbers(lang):
    from critique.methods.claims import rules

    with i18n.using(lang):
        got = rules.counts_sentence({rules.CONSISTENT: 2}, n_checks=2, n_claims=2)
    assert got == {"es": "De 2 comprobaciones de 2 afirmaciones en circulación: 2 «{w}».",
                   "ru": "Из проверок (2) распространённых утверждений (2): «{w}»: 2.",
                   "zh": "在对 2 条流传说法所做的 2 项核查中，“{w}”2 项。"}[lang].format(w=i18n._(rules.CONSISTENT, lang=lang))


def test_a_cached_mse_run_is_described_in_the_language_of_the_build_reading_it():
    """A run computed (and memoised or cached on disk) in French is described in English when an
    English build reads it again, and the other way round."""
    from critique.methods import mse

    table = pd.DataFrame({"A": [1, 0, 1], "B": [0, 1, 1], "count": [30, 40, 10]})
    proc = mse.Procedure(method="bic")
    with i18n.using("fr"):
        fr = mse.run(table, proc, intervals=False)
    with i18n.using("en"):
        en = mse.run(table, proc, intervals=False)
    assert fr.description.startswith("valeur la plus basse du critère BIC avec les personnes observées comme "
                                  "taille d’échantillon parmi tous les modèles hiérarchiques")
    assert en.description.startswith("lowest BIC with the people observed as sample size among all hierarchical")
    assert en.total == fr.total
