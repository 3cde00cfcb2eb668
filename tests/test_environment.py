"""environment.yml lists the same dependencies, with the same version bounds, as pyproject.toml."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _split(req: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert match, req
    name = match.group(1).lower().replace("_", "-")
    return name, match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return dict(_split(r) for r in reqs)


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    # PyPI-only packages are listed in the pip: section (not "-e ." itself)
    deps += [d for sub in env["dependencies"] if isinstance(sub, dict) for d in sub.get("pip", [])
             if not d.startswith("-")]
    out = dict(_split(d) for d in deps)
    out.pop("pip", None)
    out.pop("python", None)
    return out


def test_environment_yml_matches_pyproject():
    py, conda = _pyproject(), _conda()
    assert sorted(set(py) - set(conda)) == [], "in pyproject.toml only"
    assert sorted(set(conda) - set(py)) == [], "in environment.yml only"
    for name in py:
        assert py[name] == conda[name], f"{name}: pyproject {py[name]} vs environment.yml {conda[name]}"


def test_python_versions_agree():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert data["project"]["requires-python"] == ">=3.11"
    assert "python>=3.11" in env["dependencies"]


def test_environment_installs_the_project_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip


# --- requirements.lock: the tested environment (make lock writes it, make env-locked installs it) ---

def _parse_lock(text: str) -> dict[str, str]:
    """Pins of a lock file by normalised name; a line that is not ``name==version`` is a ValueError."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, sep, version = line.partition("==")
        if not (sep and version.strip() and re.fullmatch(r"[A-Za-z0-9_.\-]+", name.strip())):
            raise ValueError(f"requirements.lock: '{line}' is not pinned as name==version")
        pins[re.sub(r"[-_.]+", "-", name.strip().lower())] = version.strip()
    return pins


def test_lock_pins_every_dependency_within_its_bounds():
    from packaging.specifiers import SpecifierSet

    pins = _parse_lock((ROOT / "requirements.lock").read_text())
    for name, spec in _pyproject().items():
        key = re.sub(r"[-_.]+", "-", name)
        assert key in pins, f"requirements.lock does not pin {name} (run make lock after make env)"
        assert pins[key] in SpecifierSet(spec), f"requirements.lock pins {name}=={pins[key]}, outside pyproject's {spec}"


def test_lock_reader_refuses_a_bound_or_a_url_and_normalises_names():
    assert _parse_lock("# header\nPy_Yaml==6.0.2\n") == {"py-yaml": "6.0.2"}
    for bad in ("pandas>=2.2", "critique-suite @ file:///tmp/x", "numpy=="):
        with pytest.raises(ValueError, match="not pinned"):
            _parse_lock(bad)


def test_make_env_locked_installs_from_the_lock():
    make = (ROOT / "Makefile").read_text()
    rule = make.split("\nenv-locked:", 1)[1].split("\n\n", 1)[0]
    assert "-c $(LOCK)" in rule and "LOCK := requirements.lock" in make
    assert (ROOT / "requirements.lock").read_text().startswith("# The tested environment")
