"""Generated files are written whole or not at all."""
from __future__ import annotations

import json

import pytest

from critique.core.atomicio import write_json_atomic, write_text_atomic


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


def test_modes_follow_the_umask(tmp_path):
    import os

    from critique.core import atomicio

    old = os.umask(0o027)
    try:
        assert (atomicio.file_mode(), atomicio.dir_mode(), atomicio.file_mode(read_only=True)) == (0o640, 0o750, 0o440)
        target = write_text_atomic(tmp_path / "deep" / "page.html", "x")
        folder = atomicio.make_temp_dir(tmp_path, prefix=".staging.")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "deep").stat().st_mode & 0o777 == 0o750
    assert folder.stat().st_mode & 0o777 == 0o750


def test_a_failed_atomic_file_leaves_nothing(tmp_path):
    from critique.core import atomicio

    with pytest.raises(OSError):
        with atomicio.atomic_file(tmp_path / "x.bin") as tmp:
            tmp.write_bytes(b"half")
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []
