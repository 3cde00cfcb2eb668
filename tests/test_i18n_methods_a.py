"""Reader sentences of the methods layer, part A (issue 26): one sentence per changed module rendered in
French, with its numbers written the French way (CLDR: U+202F groups thousands, U+00A0 before %), and the
same sentence in English exactly as the code wrote it before it went through the catalogue.

The English strings are those the f-strings produced (hand-checked against the rule each function states;
``reconcile.fbi`` against the example in its docstring); the French ones are the catalogue's draft
translations (``src/critique/publish/locale/fr``), filled with the locale formatter."""
from __future__ import annotations

import importlib

import pandas as pd
import pytest

from critique.core import i18n

NN, NB = "\u202f", "\u00a0"  # French thousands separator; space before %


def _frame():
    return pd.DataFrame({"iso3": ["AAA", "BBB"], "country": ["Aland", "Bland"], "value_high": [12214.0, 4790.0]})


def _fbi_comparison():
    return pd.DataFrame({"area": ["US", "US"], "published": [1196, 654], "measure": ["offences", "cleared"],
                         "data_year": [2016, 2016], "file": [1280, 593], "difference": [84, -61],
                         "difference_pct": [7.02, -9.33]})


def _render(name):
    m = lambda path: importlib.import_module(f"critique.methods.{path}")  # noqa: E731
    if name == "coverage.influence":
        return m("coverage.influence").influence(_frame(), "value_high", "iso3", release="r").reading()
    if name == "coverage.sources":
        return m("coverage.sources").CtdcConcentration(12214, "USA", 0.5, 0.25, 0.1, None, None, None, 0, 10).reading()
    if name == "revisions.analysis":
        return m("revisions.analysis")._count_text(pd.Series({"suppressed_a": False, "count_a": 12214.0}), "a")
    if name == "revisions.sections":
        return m("revisions.sections").years_text([2008, 2010, 2011])
    if name == "detection.bias_analysis":
        return m("detection.bias_analysis").ratio_prior("lognormal", 1.0, 8.0).describe()
    if name == "reconcile.classify":
        Recount = m("reconcile.recount").Recount
        return m("reconcile.classify").classify(bounds=(95, 105), unit="count", recount=Recount(1200.0, 1200.0, 1, {}),
                                                recount_label="glotip@x").reason
    if name == "reconcile.fbi":
        return m("reconcile.fbi").year_sentences(_fbi_comparison())[0]
    if name == "identification.sentences":
        Change = m("identification.referrals").Change
        c = Change(pd.Period("2020Q1", "Q-DEC"), pd.Period("2020Q2", "Q-DEC"), 2871, 2209)
        return m("identification.sentences").change_sentence(c, "")
    if name == "identification.summary":
        yearly = pd.DataFrame({"year": [2014, 2023], "referrals": [2340, 17004]})
        return m("identification.summary").referrals_sentence(yearly)
    if name == "misid.reading":
        return m("misid.reading").band_share_sentence(0.25)
    if name == "misid.distributions":
        d = m("misid.distributions")
        return d._describe(d.Beta(2.0, 3.0))
    if name == "tip.enforcement":
        return m("tip.enforcement.analysis").fill_sentence(True, 1, 10, 2)
    if name == "tip.exercise":
        return m("tip.exercise").comparison_sentence(12214.0, 17004.0, (2013, 2014))
    if name == "tip.tiers":
        return m("tip.tiers.analysis").growth_sentence(80, 120, 0.1, 0.2, 0.15, 0.25, 60, 3.5)
    if name == "scorecards.analysis":
        rc = m("scorecards.agreement").RankCorrelation("spearman", 0.5234, 0.31, 0.69, 142, 0.95)
        return m("scorecards.analysis").three_p_sentence(2013, rc)
    raise KeyError(name)


CASES = {
    "coverage.influence": (
        "Sum of value_high (r): Aland holds 72% of it (12,214 of 17,004); without Aland it is 4,790.",
        f"Somme de value_high (r) : Aland en représente 72{NB}% (12{NN}214 sur 17{NN}004) ; sans Aland, il est de "
        f"4{NN}790."),
    "coverage.sources": (
        "12,214 CTDC records: 50% exploited in USA; 25% have no exploitation type; 10% no country of exploitation.",
        f"12{NN}214 dossiers CTDC : 50{NB}% avec USA comme pays d'exploitation ; 25{NB}% sans type d'exploitation ; "
        f"10{NB}% sans pays d'exploitation."),
    "revisions.analysis": ("12,214", f"12{NN}214"),
    "revisions.sections": ("2008, 2010 and 2011", "2008, 2010 et 2011"),
    "detection.bias_analysis": (
        "log-normal prior on r: median 2.83, 90% of its mass between 1 and 8",
        f"a priori log-normal sur r : médiane 2,83, 90{NB}% de sa masse entre 1 et 8"),
    "reconcile.classify": (
        "the recount on glotip@x is 1,200; no rule of the suite accounts for the 1,095 beyond the printed rounding",
        f"le recomptage sur glotip@x donne 1{NN}200 ; aucune règle de la suite n'explique les 1{NN}095 au-delà de "
        "l'arrondi imprimé"),
    "reconcile.fbi": (
        "2016: offences 1,280 in the file against 1,196 in the FBI's table (+84, +7.0%); cleared 593 against 654 "
        "(-61, -9.3%).",
        f"2016 : infractions 1{NN}280 dans le fichier contre 1{NN}196 dans le tableau du FBI (+84, +7,0{NB}%); "
        f"élucidées 593 contre 654 (-61, -9,3{NB}%)."),
    "identification.sentences": (
        "Referrals of potential victims fell by 23% from 2,871 in 2020 Q1 to 2,209 in 2020 Q2. The counts show that "
        "fewer referrals were made, not why: a change in how many people first responders met and referred, a change "
        "in exploitation and a change in recording would each move them, and the counts cannot tell these apart.",
        f"Les orientations de victimes potentielles ont baissé de 23{NB}%, de 2{NN}871 au T1 2020 à 2{NN}209 au T2 "
        "2020. Les chiffres montrent que moins d'orientations ont été faites, pas pourquoi : un changement du nombre "
        "de personnes que les premiers intervenants ont rencontrées et orientées, un changement de l'exploitation et un "
        "changement de l'enregistrement les feraient chacun varier, et les chiffres ne peuvent pas les distinguer."),
    "identification.summary": (
        "Referrals of potential victims to the UK National Referral Mechanism rose from 2,340 in 2014 to 17,004 in "
        "2023 (as the release named below counts them; later releases restate past periods). A referral is made when "
        "a first responder meets someone it believes may have been exploited: the count measures referrals made, not "
        "how many people are exploited.",
        f"Les orientations de victimes potentielles vers le mécanisme national d'orientation du Royaume-Uni ont "
        f"augmenté de 2{NN}340 en 2014 à 17{NN}004 en 2023 (selon le décompte de la publication citée ci-dessous ; "
        "les publications ultérieures révisent les périodes passées). Une orientation est faite quand un "
        "premier intervenant rencontre une personne qu'il pense avoir pu être exploitée : le chiffre mesure les "
        "orientations faites, pas le nombre de personnes exploitées."),
    "misid.reading": (
        "The band from the studies' sampling error covers 25% of that range: the assumptions, not the sampling "
        "error, decide the answer.",
        f"La bande issue de l'erreur d'échantillonnage des études couvre 25{NB}% de cette fourchette : ce sont les "
        "hypothèses, pas l'erreur d'échantillonnage, qui décident de la réponse."),
    "misid.distributions": ("Beta(2, 3) (mean 0.400)", "Beta(2, 3) (moyenne 0,400)"),
    "tip.enforcement": (
        "1 figure filled from Kelley & Heiss's secondary tabulation; of the 10 figures both tabulations give, "
        "2 differ.",
        "1 chiffre complété à partir de la tabulation secondaire de Kelley & Heiss ; sur les 10 chiffres que donnent "
        "les deux tabulations, 2 diffèrent."),
    "tip.exercise": (
        "Detected victims reported to UNODC went from 12,214 (2013) to 17,004 (2014); a change in detections "
        "measures detection and reporting as much as trafficking.",
        f"Les victimes détectées déclarées à l'UNODC sont passées de 12{NN}214 (2013) à 17{NN}004 (2014) ; une "
        "variation des détections mesure la détection et la déclaration autant que la traite."),
    "tip.tiers": (
        "Rated countries grew from 80 (2001) to 120 (2005). Tier 1 share, all rated: 10.0% -> 20.0% (+10.0 pp); "
        "panel of 60 rated since 2001: 15.0% -> 25.0% (+10.0 pp). Largest gap between the views: 3.5 pp.",
        f"Les pays classés sont passés de 80 (2001) à 120 (2005). Part de la catégorie 1, tous les pays classés : 10,0{NB}% "
        f"-> 20,0{NB}% (+10,0 pp) ; panel de 60 pays classés depuis 2001 : 15,0{NB}% -> 25,0{NB}% (+10,0 pp). Plus "
        "grand écart entre les vues : 3,5 pp."),
    "scorecards.analysis": (
        "TIP tier and 3P index, 2013: Spearman 0.52 (95% 0.31 to 0.69), n=142. Both are read from the same TIP "
        "reports, so agreement is partly built in; the 3P index scores which prosecution, protection and prevention "
        "policies a report describes, the tier grades effort against the US minimum standards: two constructs, not "
        "one ranking checked twice.",
        f"Catégorie TIP et indice 3P, 2013 : Spearman 0,52 (95{NB}% 0,31 à 0,69), n=142. Les deux sont lus dans les "
        "mêmes rapports TIP, donc la concordance est en partie construite ; l'indice 3P note les politiques de "
        "poursuite, de protection et de prévention qu'un rapport décrit, la catégorie évalue l'effort au regard des "
        "normes minimales des États-Unis : deux constructions, pas un même classement vérifié deux fois."),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_methods_sentence_in_english_is_unchanged_and_in_french_is_translated(name):
    english, french = CASES[name]
    with i18n.using("en"):
        assert _render(name) == english
    with i18n.using("fr"):
        assert _render(name) == french


def test_internal_verdict_words_stay_english_and_the_reader_table_translates_them():
    from critique.methods import reconcile
    from critique.methods.reconcile import classify as cl

    table = pd.DataFrame([{c: "x" for c in reconcile.READER_COLUMNS} | {"verdict": cl.EQUAL, "verification": "primary"}])
    with i18n.using("fr"):
        reader = reconcile.reader_table(table)
        caveats = reconcile.CAVEATS
    assert cl.EQUAL == "equal within rounding"  # compared in code and findings keys: never translated there
    assert list(reader.columns)[-3:] == ["verdict", "pourquoi", "statut"]
    assert reader.iloc[0]["verdict"] == "égal à l'arrondi près" and reader.iloc[0]["statut"] == "primaire"
    assert caveats[0].startswith("Les chiffres imprimés comptent")
    with i18n.using("en"):
        assert reconcile.CAVEATS[0].startswith("Printed figures count")
        assert reconcile.reader_table(table).iloc[0]["verdict"] == "equal within rounding"


def test_a_flag_reason_is_written_in_the_readers_language_and_the_flag_logic_is_unchanged():
    from critique.methods.coverage import influence as inf

    frame = pd.DataFrame({"iso3": ["A", "B", "C"], "category": ["Sexual exploitation"] * 3,
                          "value_high": [80.0, 10.0, 10.0]})
    with i18n.using("fr"):
        fr = inf.influence(frame, "value_high", "iso3", max_share=0.5)
    with i18n.using("en"):
        en = inf.influence(frame, "value_high", "iso3", max_share=0.5)
    assert en.flagged_units == fr.flagged_units == ["A"]
    assert en.top["flag"] == "holds 80% of the total" and fr.top["flag"] == f"représente 80{NB}% du total"
