"""findings.record_all: one call records an analysis object's findings, whatever shape it keeps them in."""
from dataclasses import dataclass, field

import pytest

from critique.core.results import RecordsFindings
from critique.publish import findings


@dataclass
class _Triples(RecordsFindings):
    _findings: list = field(default_factory=list)


class _Method:
    def findings(self):
        return {"m1": 3}


class _Attribute:
    findings = {"a1": (1, 2)}  # a tuple value stays a value (no guessing of notes)


def test_record_all_records_every_shape_in_order_and_skips_sections_not_run(tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path))
    findings.record_all(_Triples([("t1", 1.5, "a note"), ("t2", "x", None)]), None, _Method(), _Attribute(),
                        {"plain": 7})
    state = findings.current()
    assert list(state["findings"].items()) == [("t1", 1.5), ("t2", "x"), ("m1", 3), ("a1", [1, 2]), ("plain", 7)]
    assert state["notes"] == {"t1": "a note"}


def test_record_all_names_what_it_cannot_record(tmp_path, monkeypatch):
    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path))
    with pytest.raises(TypeError, match="cannot record findings of a int"):
        findings.record_all(5)


def test_records_findings_mixin_keeps_order_and_notes():
    res = _Triples([("k", 1, "n"), ("j", 2, None)])
    got = []
    res.record(lambda k, v, n=None: got.append((k, v, n)))
    assert got == [("k", 1, "n"), ("j", 2, None)] == res.findings()
    assert res.findings() is not res._findings  # a copy: a caller cannot change the result
