"""Generated files are written whole or not at all."""
from __future__ import annotations

import json

import pytest

from critique.atomicio import write_json_atomic, write_text_atomic


def test_write_text_atomic_replaces_whole_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "index.html"
    write_text_atomic(target, "first")
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_failed_write_keeps_the_last_good_file(tmp_path):
    target = tmp_path / "findings.json"
    write_json_atomic(target, {"a": 1})
    with pytest.raises(TypeError):
        write_json_atomic(target, {"a": object()})  # not serialisable: fails before any rename
    assert json.loads(target.read_text()) == {"a": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["findings.json"]
