"""The brief's 'Data read' line: a publisher with many tables is one line, so the brief keeps to its pages."""
from critique.publish.pdf import releases_read


def _row(id_, title, publisher, citation="c"):
    return {"id": id_, "title": title, "publisher": publisher, "citation": citation}


def test_a_publisher_with_three_or_more_tables_is_one_line_with_its_releases():
    home = "UK Home Office (National Referral Mechanism statistics); re-shaped by the British Red Cross"
    rows = [_row("nrm-referrals", "UK NRM referrals per quarter", home),
            _row("nrm-first-responders@2022-q2", "UK NRM by responder - Q2 2022", home),
            _row("nrm-first-responders@2023-q4", "UK NRM by responder - Q4 2023", home),
            _row("nrm-police@2022-q3", "UK NRM police - Q3 2022", home),
            _row("glotip@2023-05-30", "UNODC country data", "UNODC"),
            _row("glotip@2025-04-14", "UNODC country data", "UNODC"),
            _row("raid-outcomes", "Raid studies", "", citation="typed in from publications; every row cited")]
    assert releases_read(rows) == [
        "UK Home Office (National Referral Mechanism statistics): 3 tables from the quarterly files for 2022-q2 to 2023-q4, "
        "each listed in the full report",
        "UNODC country data (release of 2023-05-30)", "UNODC country data (release of 2025-04-14)",
        "and 1 table of figures typed in from publications, each row cited"]


def test_two_tables_of_one_publisher_stay_apart_and_one_release_is_named():
    rows = [_row("a", "Table A", "P"), _row("b", "Table B", "P")]
    assert releases_read(rows) == ["Table A", "Table B"]
    rows.append(_row("c@2020-01-01", "Table C", "P; reshaped"))
    assert releases_read(rows) == ["P: 3 tables from the file of 2020-01-01, each listed in the full report"]
    rows += [_row("d@2021-q1", "Table D", "P"), _row("e@2022-05-01", "Table E", "P")]
    assert releases_read(rows) == ["P: 5 tables from the quarterly file for 2021-q1 and the files of 2020-01-01 to 2022-05-01, "
                                   "each listed in the full report"]
