"""The claims-verdict chart speaks to readers: rows labelled with the register's short claim label and
what checked it, never with claim or check ids."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from critique import datasets  # noqa: E402
from critique.figures import claims as figs  # noqa: E402
from critique.methods import claims  # noqa: E402
from critique.publish.keyfindings import INTERNAL_ID  # noqa: E402

REGISTER = datasets.load("claims")


def test_every_check_and_every_register_row_has_a_readers_label():
    assert set(figs.CHECK_LABELS) == set(claims.CHECK_IDS) | {claims.UNTESTABLE}
    assert REGISTER["label"].notna().all() and (REGISTER["label"].str.len() <= 90).all()
    ids = set(REGISTER["claim_id"]) | set(claims.CHECK_IDS)
    for text in list(REGISTER["label"]) + list(figs.CHECK_LABELS.values()):
        assert not INTERNAL_ID.search(text), text
        assert not [i for i in ids if i in text], text


def test_verdict_chart_rows_are_the_labels_not_the_ids():
    summary = pd.DataFrame({"claim_id": ["un-80-percent", "covid-online"],
                            "label": ["80% of 2.4 million victims are sexual slaves", "Covid-19 made it worse"],
                            "test": ["share-applied-to-stock", "untestable"],
                            "word": [claims.VERDICTS[0], claims.CANNOT_TEST], "verdict": ["x", "y"]})
    fig = figs.verdict_overview(summary)
    rows = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert rows == ["80% of 2.4 million victims are sexual slaves\nchecked against: ILO's 2005 estimate and its split by form",
                    "Covid-19 made it worse\nchecked against: no count of the same definition exists"]
    assert not any("un-80-percent" in r or "share-applied-to-stock" in r for r in rows)
    plt.close(fig)


def test_a_check_without_a_label_is_named():
    with pytest.raises(KeyError, match="no reader's label for check 'new-check'"):
        figs.row_label("A claim", "new-check")


def test_summary_table_carries_the_label_and_marks_an_unverified_claim():
    reg = REGISTER[REGISTER["claim_id"] == "un-80-percent"].assign(verification="unverified")
    check = claims.ClaimCheck("share-applied-to-stock", "un-80-percent", claims.CANNOT_TEST, "reason (read: x).",
                              read=("x",))
    row = claims.summary_table([check], reg).iloc[0]
    assert row["label"] == "UNVERIFIED: " + reg["label"].iloc[0]


# --- how a check's sources were read (critique.methods.claims.rules.sources_sentence) ---

def test_sources_sentence_on_both_sides_of_all_one_grade():
    from critique.core.errors import ParameterError
    from critique.methods.claims.rules import sources_sentence

    same = sources_sentence(["AP, 3 Apr 2012 [secondary]", "ITUC [secondary]"], "secondary")
    assert same == "the claim and all 2 documents it was checked against were read in secondary copies"
    mixed = sources_sentence(["GAO-21-385 [primary]", "ITUC [secondary]", "glotip release of 2024-12-11"], "secondary")
    assert mixed == ("the claim was read in secondary copies; of the 3 documents it was checked against, "
                     "2 read in the publishers' own documents, 1 read in secondary copies")
    assert sources_sentence(["AP [secondary]"], "primary").startswith("the claim was read in the publishers' own")
    with pytest.raises(ParameterError, match="grade 'rumour'"):
        sources_sentence(["AP [rumour]"], "secondary")


def test_the_80_percent_check_read_only_secondary_copies_as_its_rows_say():
    """Recount from the tables: every figure the check reads and the claim row itself are graded secondary."""
    from critique.methods.claims import shares
    from critique.methods.claims.rules import sources_sentence

    evidence = datasets.load("claim-evidence")
    editions = datasets.load("glotip-editions")
    ids = ["ap2012-claimed-share", "ap2012-stock", "ilo2005-trafficked", "ilo2005-share-cse", "ilo2005-share-mixed"]
    grades = set(evidence.set_index("evidence_id").loc[ids, "verification"])
    grades |= set(editions[editions["edition"].isin([2009, 2012])]["verification"])
    grades |= set(REGISTER.loc[REGISTER["claim_id"] == "un-80-percent", "verification"])
    assert grades == {"secondary"}
    check = shares.check_share_applied_to_stock(evidence, editions)
    assert sources_sentence(check.read, "secondary").startswith("the claim and all ")
    assert sources_sentence(check.read, "secondary").endswith("were read in secondary copies")


def test_verdict_count_table_counts_checks_and_claims_per_word_with_zeros_kept():
    import pandas as pd

    from critique.figures.claims import verdict_count_table, verdict_counts
    from critique.methods.claims.rules import VERDICTS

    summary = pd.DataFrame({"claim_id": ["a", "a", "b", "c"],
                            "word": [VERDICTS[0], VERDICTS[6], VERDICTS[6], VERDICTS[3]]})
    table = verdict_count_table(summary)
    assert list(table["verdict"]) == list(VERDICTS)
    assert dict(zip(table["verdict"], table["checks"])) == {**{w: 0 for w in VERDICTS}, VERDICTS[0]: 1,
                                                           VERDICTS[6]: 2, VERDICTS[3]: 1}
    assert table.loc[table["verdict"] == VERDICTS[6], "claims"].item() == 2
    fig = verdict_counts(summary)
    assert [p.get_width() for p in fig.axes[0].patches] == list(table["checks"])


def test_cited_caption_counts_the_figures_drawn_not_every_figure_read():
    import pandas as pd

    from critique.figures.claims import CAPTIONS, CITED_LABELS, cited_caption

    class Check:
        test_id = "gao-fosta"
        data = pd.DataFrame({"evidence_id": list(CITED_LABELS["gao-fosta"])[:3] + ["read-not-drawn"]})

    cap = cited_caption(Check())
    assert cap["n"] == "3 cited figures" and cap["title"] == CAPTIONS["gao-fosta"]["title"]
    assert cap["data"] is Check.data and cap["datasets"] == ["claim-evidence"]


def test_verdict_counts_caption_says_checks_not_claims_and_counts_capped_verdicts():
    import pandas as pd

    from critique.figures.claims import verdict_counts_caption

    summary = pd.DataFrame({"claim_id": ["a", "a", "b"],
                            "verdict": ["the data contradict it", "the data cannot test it (capped: unverified input)",
                                        "the data cannot test it"]})
    text = verdict_counts_caption(summary)["description"]
    assert "Bars count checks, not claims: 3 checks of 2 claims" in text and "1 verdict(s) capped" in text
