"""The briefing's opening: headline sentences rendered from each notebook's ``findings.json``.

Each notebook declares its key findings in ``notebooks/key_findings/<notebook-stem>.yml``, a list::

    - sentence: "Stepwise selection gives {uk6_stepwise_estimate:,.0f} (95% interval {uk6_stepwise_lo:,.0f} to {uk6_stepwise_hi:,.0f})."
      chart: procedures        # the figure name passed to charts.finalise in that notebook
      scenario: false          # true: the summary labels it a scenario
      optional: false          # true: a finding some editions cannot have (say, two releases needed)

A ``{key}`` placeholder is a key the notebook records with ``findings.record``; Python's format
mini-language applies (``{share:.1%}``, ``{n:,}``), and ``{key[sub]}`` reads a recorded mapping or
list (``{range[0]:.2f}``). No number is ever typed into a sentence by hand: a placeholder whose key
is missing or empty, or a chart the notebook did not save, is an error naming the notebook and the key
(or chart), and the report index marks that page. An entry marked ``optional: true`` is left out
without an error when its keys or its chart are absent (it is listed in ``Rendered.skipped``): for a
finding that some editions or parameters cannot produce; a present key that is empty or does not fit
its format is still an error.
"""
from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

from critique.datasets import paths

ENTRY_KEYS = {"sentence": str, "chart": str, "scenario": bool, "optional": bool}


@dataclass(frozen=True)
class KeyFinding:
    """One rendered headline sentence with the chart it comes from."""

    notebook: str
    sentence: str
    chart: str
    chart_title: str
    source: str
    scenario: bool = False
    png: str | None = None  # path of the chart's PNG relative to the report root


@dataclass
class Rendered:
    """The key findings of one notebook, and the errors met rendering them."""

    notebook: str
    findings: list[KeyFinding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # optional entries this run could not produce


def declaration_file(stem: str, directory: Path | None = None) -> Path:
    """Where a notebook's key findings are declared."""
    return (directory or paths.notebooks_dir() / "key_findings") / f"{stem}.yml"


def load_declarations(stem: str, directory: Path | None = None) -> list[dict[str, Any]]:
    """The declared entries of a notebook (``[]`` when it declares none); a malformed file is refused."""
    path = declaration_file(stem, directory)
    if not path.exists():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of entries (- sentence: ..., chart: ...)")
    entries = []
    for i, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: entry {i} must be a mapping with keys sentence, chart, scenario")
        unknown = set(entry) - set(ENTRY_KEYS)
        if unknown:
            raise ValueError(f"{path}: entry {i} has unknown key(s) {', '.join(sorted(unknown))} "
                             f"(allowed: {', '.join(ENTRY_KEYS)})")
        for key, kind in ENTRY_KEYS.items():
            if key in ("scenario", "optional") and key not in entry:
                continue
            if not isinstance(entry.get(key), kind) or (kind is str and not entry[key].strip()):
                raise ValueError(f"{path}: entry {i}, field '{key}' must be "
                                 f"{'true or false' if kind is bool else 'a non-empty string'}, "
                                 f"got {entry.get(key)!r}")
        entries.append({"sentence": entry["sentence"].strip(), "chart": entry["chart"].strip(),
                        "scenario": bool(entry.get("scenario", False)),
                        "optional": bool(entry.get("optional", False))})
    return entries


def placeholders(sentence: str) -> list[str]:
    """The recorded keys a sentence reads (``{a[0]:.1f}`` reads ``a``)."""
    keys = []
    for _, name, _, _ in string.Formatter().parse(sentence):
        if name is None:
            continue
        root = name.split("[", 1)[0].split(".", 1)[0]
        if not root:
            raise ValueError(f"placeholder {{{name}}} must name a recorded key")
        keys.append(root)
    return keys


def _has_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_empty(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_empty(v) for v in value)
    return False


def render(stem: str, entries: Sequence[Mapping[str, Any]], found: Mapping[str, Any],
           figures: Mapping[str, Mapping[str, Any]]) -> Rendered:
    """Fill each declared sentence from ``found`` (the ``findings`` of findings.json).

    ``figures``: the notebook's figure captions by name (``title``, ``source``, ``png``).
    A missing or empty key, a format that does not fit the value, or an unknown chart is an error
    naming the notebook and the key; that entry is left out of the summary.
    """
    out = Rendered(stem)
    for entry in entries:
        sentence, chart = entry["sentence"], entry["chart"]
        try:
            keys = placeholders(sentence)
        except ValueError as exc:
            out.errors.append(f"{stem}: key finding '{sentence[:60]}': {exc}")
            continue
        keys = list(dict.fromkeys(keys))
        missing = [k for k in keys if k not in found]
        if entry.get("optional") and (missing or chart not in figures):
            out.skipped.append(f"{stem}: '{sentence[:60]}...' (optional; not produced by this run)")
            continue
        empty = [k for k in keys if k in found and _has_empty(found[k])]
        if missing or empty:
            for key in missing:
                out.errors.append(f"{stem}: key finding needs key '{key}', which findings.json does not record")
            for key in empty:
                out.errors.append(f"{stem}: key finding needs key '{key}', recorded empty (no value)")
            continue
        try:
            text = sentence.format_map(dict(found))
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            out.errors.append(f"{stem}: key finding '{sentence[:60]}...' cannot be filled "
                              f"({type(exc).__name__}: {exc})")
            continue
        fig = figures.get(chart)
        if fig is None:
            out.errors.append(f"{stem}: key finding names chart '{chart}', which the notebook did not save "
                              f"(charts: {', '.join(sorted(figures)) or 'none'})")
            continue
        out.findings.append(KeyFinding(stem, text, chart, fig.get("title", chart), fig.get("source", ""),
                                       bool(entry.get("scenario")), fig.get("png")))
    return out


def for_notebook(stem: str, found: Mapping[str, Any], figures: Mapping[str, Mapping[str, Any]],
                 directory: Path | None = None) -> Rendered:
    """Load and render one notebook's key findings; a malformed declaration becomes an error."""
    try:
        entries = load_declarations(stem, directory)
    except ValueError as exc:
        return Rendered(stem, errors=[str(exc)])
    return render(stem, entries, found, figures)
