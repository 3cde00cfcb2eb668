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

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import yaml

from critique.core import i18n
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


def _in_language(sentence: str, found: dict[str, Any]) -> str:
    """A declared sentence in the reader's language (its catalogue translation, else English,
    counted as missing), filled with numbers written the language's way. A translation that cannot
    be filled falls back to the English template; an English template that cannot be filled raises."""
    template = i18n._(sentence)
    if template != sentence:
        try:
            return i18n.format_locale(template, found)
        except (KeyError, IndexError, ValueError, TypeError):
            pass
    return i18n.format_locale(sentence, found)


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
            text = _in_language(sentence, dict(found))
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


# ---------------------------------------------------------------------------------------------
# The brief: 6-8 plain-language headlines chosen in notebooks/key_findings/_brief.yml.

BRIEF_FILE = "_brief.yml"
BRIEF_SIZE = (6, 8)
BRIEF_ENTRY_KEYS = {"notebook": str, "chart": str, "sentence": str, "scenario": bool, "optional": bool}
# What a reader must not meet in a headline: a catalogue id with its release (glotip@2023-05-30),
# a snake_case or kebab-case identifier with a digit (mse-uk-2013-5), or a statistical term left
# unexplained. Each is a tested rule (tests/test_keyfindings.py).
INTERNAL_ID = re.compile(r"[A-Za-z0-9_.-]+@[0-9]{4}[0-9-]*|\b[a-z0-9]+(?:_[a-z0-9]+)+\b"
                         r"|\b[a-z]+(?:-[a-z0-9]+)*-[0-9]+(?:-[a-z0-9]+)*\b")
JARGON = re.compile(r"\b(?:BIC|AIC|placebo|posterior|bootstrap|log-linear|Spearman|"
                    r"decomposable|latent class|PFNCA)\b|\bp\s*[=<>]", re.IGNORECASE)


@dataclass(frozen=True)
class Brief:
    """The brief: what the briefing is, and its headlines (each a :class:`KeyFinding`)."""

    about: str
    headlines: list[KeyFinding]
    errors: dict[str, list[str]] = field(default_factory=dict)  # by notebook stem ("_brief": the file)
    skipped: list[str] = field(default_factory=list)


def reader_problems(text: str) -> list[str]:
    """Internal ids and unexplained statistical terms in a sentence meant for any reader."""
    found = [f"internal id '{m.group(0)}'" for m in INTERNAL_ID.finditer(text)]
    found += [f"statistical term '{m.group(0)}'" for m in JARGON.finditer(text)]
    return found


def load_brief(directory: Path | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The brief's ``about`` text and headline entries; a malformed file is refused naming the entry."""
    path = declaration_file(BRIEF_FILE[:-4], directory)
    if not path.exists():
        return "", []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("headlines"), list):
        raise ValueError(f"{path}: expected 'about: ...' and 'headlines:' (a list of entries)")
    entries = []
    for i, entry in enumerate(raw["headlines"], start=1):
        if not isinstance(entry, dict):
            raise ValueError(f"{path}: headline {i} must be a mapping (notebook, chart, sentence)")
        unknown = set(entry) - set(BRIEF_ENTRY_KEYS)
        if unknown:
            raise ValueError(f"{path}: headline {i} has unknown key(s) {', '.join(sorted(unknown))}")
        for key, kind in BRIEF_ENTRY_KEYS.items():
            if kind is bool and key not in entry:
                continue
            if not isinstance(entry.get(key), kind) or (kind is str and not entry[key].strip()):
                raise ValueError(f"{path}: headline {i}, field '{key}' must be "
                                 f"{'true or false' if kind is bool else 'a non-empty string'}")
        entries.append({k: (v.strip() if isinstance(v, str) else v) for k, v in entry.items()})
    n = len(entries)
    if not BRIEF_SIZE[0] <= n <= BRIEF_SIZE[1] + sum(bool(e.get("optional")) for e in entries):
        raise ValueError(f"{path}: {n} headlines; the brief holds {BRIEF_SIZE[0]} to {BRIEF_SIZE[1]}")
    return str(raw.get("about", "")).strip(), entries


def brief(pages: Sequence[Mapping[str, Any]], directory: Path | None = None) -> Brief:
    """Render the brief from the built pages.

    ``pages``: dicts with ``stem``, ``found`` (the notebook's recorded findings) and ``figures``
    (dicts with ``name``, ``title``, ``source``, ``png``). A headline whose notebook is not in this
    build is left out (listed in ``skipped``); one whose key is missing, or whose filled sentence
    shows an internal id or jargon, is an error naming the notebook and the key or the word.
    """
    try:
        about, entries = load_brief(directory)
    except ValueError as exc:
        return Brief("", [], {"_brief": [str(exc)]})
    by_stem = {p["stem"]: p for p in pages}
    out = Brief(i18n._(about) if about else about, [])
    if reader_problems(about):
        out.errors["_brief"] = [f"brief ({BRIEF_FILE}): 'about' shows {', '.join(reader_problems(about))}"]
    for entry in entries:
        page = by_stem.get(entry["notebook"])
        if page is None or "found" not in page:
            out.skipped.append(f"{entry['notebook']}: not in this build")
            continue
        figures = {f["name"]: f for f in page.get("figures", [])}
        rendered = render(entry["notebook"], [entry], page["found"], figures)
        errors = out.errors.setdefault(entry["notebook"], [])
        errors.extend(f"brief ({BRIEF_FILE}): {e}" for e in rendered.errors)
        out.skipped.extend(rendered.skipped)
        for kf in rendered.findings:
            problems = reader_problems(kf.sentence)
            if problems:
                errors.append(f"brief ({BRIEF_FILE}): {kf.notebook}: headline shows "
                                  f"{', '.join(problems)}: {kf.sentence[:80]}")
            else:
                out.headlines.append(kf)
        if not errors:
            del out.errors[entry["notebook"]]
    return out
