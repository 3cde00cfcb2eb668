"""The only module that knows where things are.

Every other module and every notebook asks this one for a path, so that a notebook gives the
same answer whether it is started from the project root, from ``notebooks/`` or by the runner
(papermill resolves relative paths from wherever it is started: papermill issues 251 and 316).

Environment variables:

- ``CRITIQUE_ROOT``: the project root (default: the checkout this package is installed from).
- ``CRITIQUE_DATA_DIR``: the download cache of upstream files (default ``data/raw``).
- ``CRITIQUE_CACHE_DIR``: parsed-table cache (default ``data/cache``).
- ``CRITIQUE_DATA_MIRROR``: a folder or base URL holding upstream files by file name.
- ``CRITIQUE_OUTPUT_DIR``: where a running notebook writes figures and findings (set by the runner).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/critique (this file is in datasets/)


def root() -> Path:
    """The project root: ``CRITIQUE_ROOT`` or the checkout that holds ``src/critique``."""
    env = os.environ.get("CRITIQUE_ROOT")
    if env:
        return Path(env).resolve()
    checkout = _PACKAGE_DIR.parents[1]
    if (checkout / "data" / "catalog.yml").exists():
        return checkout
    # installed without -e (site-packages): the checkout the command is run from, if any
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / "data" / "catalog.yml").exists() and (folder / "notebooks").is_dir():
            return folder
    raise FileNotFoundError(f"no critique-suite checkout found (the package is installed in "
                            f"{_PACKAGE_DIR}, with no data/catalog.yml beside it); set CRITIQUE_ROOT "
                            "to the folder of a clone, or run from inside one")


def package_dir() -> Path:
    """The installed ``critique`` package (style sheet, committed lookup tables)."""
    return _PACKAGE_DIR


def data_dir() -> Path:
    """``data/``: the catalogue, published tables, caches."""
    return root() / "data"


def catalog_file() -> Path:
    """``data/catalog.yml``: every upstream dataset."""
    return data_dir() / "catalog.yml"


def published_dir() -> Path:
    """``data/published/``: tables typed in from publications, each row cited."""
    return data_dir() / "published"


def raw_dir() -> Path:
    """The download cache (never edited): ``CRITIQUE_DATA_DIR`` or ``data/raw``."""
    env = os.environ.get("CRITIQUE_DATA_DIR")
    return Path(env).resolve() if env else data_dir() / "raw"


def cache_dir() -> Path:
    """Parsed tables (parquet keyed by the source's sha256): ``CRITIQUE_CACHE_DIR`` or ``data/cache``."""
    env = os.environ.get("CRITIQUE_CACHE_DIR")
    return Path(env).resolve() if env else data_dir() / "cache"


def mirror() -> str | None:
    """``CRITIQUE_DATA_MIRROR`` (a folder or a base URL), or None when unset or empty."""
    value = os.environ.get("CRITIQUE_DATA_MIRROR", "").strip()
    return value or None


def notebooks_dir() -> Path:
    """``notebooks/``: the analysis notebooks (output-free in git)."""
    return root() / "notebooks"


def params_dir() -> Path:
    """``notebooks/params/``: named parameter sets (briefing, smoke, workshop)."""
    return notebooks_dir() / "params"


def reports_dir() -> Path:
    """``reports/``: generated, ignored by git."""
    return root() / "reports"


def output_dir() -> Path:
    """Where the current run writes figures and findings.

    The runner sets ``CRITIQUE_OUTPUT_DIR`` for each notebook; an interactive session (JupyterLab)
    writes to ``reports/scratch/``.
    """
    env = os.environ.get("CRITIQUE_OUTPUT_DIR")
    path = Path(env) if env else reports_dir() / "scratch"
    path.mkdir(parents=True, exist_ok=True)
    return path


def figures_dir() -> Path:
    """``<output dir>/figures``."""
    path = output_dir() / "figures"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def environment(**overrides: str) -> Iterator[None]:
    """Set environment variables for the duration of a block, then restore what was there."""
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
