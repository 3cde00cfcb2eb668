"""A release people can cite and install: licence, citation, version everywhere, a clear error from a
non-editable install, dependency versions in the rebuild fingerprint, licences in a data pack."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from critique.datasets import catalog, pack, paths
from critique.publish import runner

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_licence_citation_and_changelog_agree_with_pyproject():
    assert PYPROJECT["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT"
    assert str(cff["version"]) == PYPROJECT["project"]["version"]
    assert f"## [{PYPROJECT['project']['version']}]" in (ROOT / "CHANGELOG.md").read_text()


def test_build_requirement_is_new_enough_for_the_spdx_licence_field():
    # setuptools 77.0 is the first to read `license = "MIT"` as an SPDX expression (PEP 639)
    req = PYPROJECT["build-system"]["requires"]
    assert req == ["setuptools>=77"]


def test_critique_version_prints_the_installed_version():
    from importlib.metadata import version

    out = subprocess.run([sys.executable, "-m", "critique.publish.cli", "--version"],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"critique-suite {version('critique-suite')}"


def test_findings_json_records_the_suite_version(tmp_path, monkeypatch):
    from importlib.metadata import version

    from critique.publish import findings

    monkeypatch.setenv("CRITIQUE_OUTPUT_DIR", str(tmp_path))
    findings.record("x", 1)
    payload = findings.finalise(tmp_path, "nb", {})
    assert payload["critique_version"] == version("critique-suite")


def test_a_dependency_upgrade_changes_the_rebuild_fingerprint(monkeypatch):
    from critique.publish import findings

    before = runner.code_fingerprint()
    real = findings.package_versions()
    monkeypatch.setattr(findings, "package_versions", lambda: {**real, "pandas": "99.0"})
    assert runner.code_fingerprint() != before


def test_installed_outside_a_checkout_the_error_names_what_to_set(tmp_path, monkeypatch):
    monkeypatch.delenv("CRITIQUE_ROOT", raising=False)
    monkeypatch.setattr(paths, "_PACKAGE_DIR", tmp_path / "site-packages" / "critique")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="set CRITIQUE_ROOT to the folder of a clone"):
        paths.root()
    # run from inside a clone, the clone is found
    monkeypatch.chdir(ROOT / "notebooks")
    assert paths.root() == ROOT


def test_pack_warns_on_each_file_whose_licence_reserves_redistribution():
    cat = catalog.load_catalog()
    # an independent recount of the catalogue: licences that say "all rights reserved"
    reserved = sorted(i for i, ds in cat.items() if "all rights reserved" in ds.licence.lower())
    warned = pack.redistribution_warnings()
    assert sorted(w.split(":")[1].split()[0] for w in warned) == reserved
    assert reserved, "the catalogue holds Walk Free files marked all rights reserved"
    assert "licence" in pack.MANIFEST_COLUMNS
