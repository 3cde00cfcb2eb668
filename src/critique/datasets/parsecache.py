"""A catalogue file parsed once per content (issue 29: a report build asked for ``data/catalog.yml``
about a hundred times, each a full parse with PyYAML's pure-Python loader).

:func:`parsed_once` wraps a loader ``load(path) -> mapping``: an unchanged text at the same path
returns a fresh shallow copy of the first result (its values must be immutable, as the catalogue's
frozen datasets are), so a caller may add or drop entries without touching the next caller's copy;
a changed text is parsed again; an error (a missing file, bad YAML, a missing field) is never
cached, so every caller sees it. :data:`SAFE_LOADER` is libyaml's safe loader when PyYAML was built
with it (the same constructor as ``yaml.SafeLoader``, about twice as fast), else PyYAML's own.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, TypeVar

import yaml

from critique.datasets import paths

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
M = TypeVar("M", bound=dict)
_PARSED: dict[str, tuple[str, dict]] = {}


def parsed_once(load: Callable[[Path | None], M]) -> Callable[[Path | None], M]:
    """Wrap ``load(path=None)`` (None: ``paths.catalog_file()``) to parse each content once."""
    @functools.wraps(load)
    def wrapper(path: Path | None = None) -> M:
        path = Path(path or paths.catalog_file())
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return load(path)  # the loader's own error, naming the file
        key = str(path.resolve())
        hit = _PARSED.get(key)
        if hit is not None and hit[0] == text:
            return type(hit[1])(hit[1])  # type: ignore[return-value]
        out = load(path)
        _PARSED[key] = (text, type(out)(out))
        return out

    return wrapper
