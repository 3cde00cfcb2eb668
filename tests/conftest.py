"""Shared fixtures: the data mirror, isolated caches, and notebook runs through the runner."""
from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MIRROR = ROOT.parent / "shared" / "data" / "mirror"

# Tests read upstream files from the mirror (CI sets CRITIQUE_DATA_MIRROR; default: ../shared/data/mirror).
if not os.environ.get("CRITIQUE_DATA_MIRROR") and DEFAULT_MIRROR.is_dir():
    os.environ["CRITIQUE_DATA_MIRROR"] = str(DEFAULT_MIRROR)


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The mirror folder of upstream files (tests that need it skip... no: they fail clearly)."""
    value = os.environ.get("CRITIQUE_DATA_MIRROR")
    if not value or not Path(value).is_dir():
        pytest.fail("CRITIQUE_DATA_MIRROR is not set to a folder of upstream files "
                    "(the tests expect ../shared/data/mirror)")
    return Path(value)


@pytest.fixture(scope="session")
def smoke_dir(tmp_path_factory) -> Path:
    """Where the smoke-set notebook runs of this test session go.

    Under pytest-xdist every worker of one session shares this folder (the parent of the workers' own
    temporary folders), so that a notebook runs once per session, not once per worker.
    """
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "smoke"
    folder.mkdir(exist_ok=True)
    return folder


_SMOKE_CACHE: dict[str, dict] = {}


@pytest.fixture(scope="session")
def smoke_run(smoke_dir, mirror_dir):
    """Run a notebook (by stem) through the runner with notebooks/params/smoke.yml; return findings.json.

    Each notebook runs once per test session, however many tests (and xdist workers) ask for it: the
    first asker runs it under an exclusive lock on ``<stem>.lock``, the others wait and read its
    ``findings.json``. A run that failed is not cached: the next asker runs it again and sees the error.
    """
    from critique.datasets import paths
    from critique.publish import runner

    _, per_notebook = runner.load_param_set(paths.params_dir() / "smoke.yml")

    def run(stem: str) -> dict:
        if stem not in _SMOKE_CACHE:
            matches = sorted(paths.notebooks_dir().rglob(f"{stem}.ipynb"))
            assert matches, f"no notebook named {stem}.ipynb under notebooks/"
            out = smoke_dir / stem
            with open(smoke_dir / f"{stem}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    if not (out / "findings.json").exists():
                        runner.run_notebook(matches[0], per_notebook.get(stem, {}), out, timeout=600)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
            data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
            data["_out_dir"] = str(out)
            _SMOKE_CACHE[stem] = data
        return _SMOKE_CACHE[stem]

    return run
