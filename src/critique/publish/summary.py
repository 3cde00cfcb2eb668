"""The community summary: one page, in the reader's language, of what the numbers can and cannot show.

Written for a trainer or member of a sex workers' organisation who will not open a notebook: short
sentences, three or four of the briefing's charts, and no statistical term left unexplained. It
opens the index (:func:`summary_html`) and is also its own PDF (:func:`write_pdf`, ``summary.pdf``).

Every sentence is a template in the message catalogue (so it is translated with the rest) whose
numbers are read from the findings a notebook recorded, never typed: a sentence whose notebook did
not run, or did not record its keys, is left out and listed in :attr:`Summary.left_out` (the page
says how many). Numbers are written the reader's way (:mod:`critique.core.locale_format`).

The points, and the findings each reads (the same keys the brief's headlines read,
``notebooks/key_findings/_brief.yml``):

- 60-claims: ``n_checks``, ``n_claims``, ``verdict_counts`` (the checks the data cannot test);
- 10-coverage-composition: ``largest_rise_change``, ``largest_rise_year``, ``largest_rise_entering``,
  ``largest_rise_n_entering``;
- 40-multiple-systems-estimation: ``uk_published_low``/``high``, ``uk6_stepwise_total``,
  ``uk5_bic_default_total``;
- 31-tip-tiers: ``share_changed_mean``, ``volatility_years``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from critique.core.i18n import N_, _, ngettext
from critique.core.locale_format import number, percent
from critique.methods.claims.rules import CANNOT_TEST


@dataclass
class Point:
    """One sentence of the summary and the chart that shows it."""

    notebook: str
    chart: str
    sentence: str


@dataclass
class Summary:
    """The summary in the active language."""

    title: str
    intro: str
    cannot: list[str]
    points: list[Point]
    left_out: list[str] = field(default_factory=list)  # "notebook: missing key" for each sentence left out


def _claims(f: Mapping[str, Any]) -> str:
    cannot = int(dict(f["verdict_counts"]).get(CANNOT_TEST, 0))
    first = _("This briefing made {checks} checks of {claims} claims about trafficking numbers that are "
              "often repeated.", checks=number(f["n_checks"]), claims=number(f["n_claims"]))
    second = ngettext("In {n} check, no count of the same thing exists, so the data cannot say whether "
                      "the claim is right. That does not make the claim false.",
                      "In {n} checks, no count of the same thing exists, so the data cannot say whether "
                      "the claim is right. That does not make the claim false.", cannot)
    return f"{first} {second}"


def _coverage(f: Mapping[str, Any]) -> str:
    n = int(f["largest_rise_n_entering"])
    first = ngettext("When the total of victims found by the authorities, added up over the countries that "
                     "reported, rose by {change} into {year}, {entering} of that rise came from {n} country "
                     "that had not reported the year before.",
                     "When the total of victims found by the authorities, added up over the countries that "
                     "reported, rose by {change} into {year}, {entering} of that rise came from {n} "
                     "countries that had not reported the year before.", n, change=number(f["largest_rise_change"]), year=str(f["largest_rise_year"]),
                     entering=number(f["largest_rise_entering"]))
    return first + " " + _("Part of a rise in such a total can be more countries sending numbers, not more victims.")


def _mse(f: Mapping[str, Any]) -> str:
    return _("The UK figure of {low} to {high} possible victims is not a count. It is worked out from "
             "several lists of known cases: from how often the same people appear on more than one list, "
             "it estimates how many people no list recorded. Worked out again from the same six lists, the "
             "procedure its author says was used gives about {stepwise}; with two of those lists merged "
             "into one (police and National Crime Agency), the same authors' later software, with its "
             "default settings, gives about {other}. Neither number should be quoted without the other.", low=number(f["uk_published_low"]), high=number(f["uk_published_high"]),
             stepwise=number(f["uk6_stepwise_total"]), other=number(f["uk5_bic_default_total"]))


def _tiers(f: Mapping[str, Any]) -> str:
    years = list(f["volatility_years"])
    return _("Each year the US government puts every country in a grade (a 'tier'). From {first} to "
             "{last}, on average {share} of the countries changed grade from one year's report to the "
             "next.", first=str(years[0]), last=str(years[-1]), share=percent(f["share_changed_mean"]))


#: (notebook, chart, keys read, sentence maker), in reading order
POINTS: tuple[tuple[str, str, tuple[str, ...], Callable[[Mapping[str, Any]], str]], ...] = (
    ("60-claims", "claims-verdict-counts", ("n_checks", "n_claims", "verdict_counts"), _claims),
    ("10-coverage-composition", "change-decomposition",
     ("largest_rise_change", "largest_rise_year", "largest_rise_entering", "largest_rise_n_entering"), _coverage),
    ("40-multiple-systems-estimation", "procedures-bootstrap",
     ("uk_published_low", "uk_published_high", "uk6_stepwise_total", "uk5_bic_default_total"), _mse),
    ("31-tip-tiers", "tier-volatility", ("share_changed_mean", "volatility_years"), _tiers),
)

CANNOT = (
    N_("The numbers in international reports count the victims that police, services and organisations "
       "found and recorded. They are not a count of everyone who is trafficked."),
    N_("A number that goes up or down can mean that people searched more, that more countries sent "
       "numbers, or that the rules for counting changed. It does not show on its own that trafficking "
       "grew or shrank."),
    N_("On their own, these numbers cannot show whether a law made things better or worse for sex workers or for "
       "victims."),
)


def build(pages: Sequence[Mapping[str, Any]]) -> Summary:
    """The summary for the briefing's pages (dicts with ``stem`` and ``found``: a notebook's findings)."""
    found = {p["stem"]: p.get("found") or {} for p in pages}
    points, left_out = [], []
    for notebook, chart, keys, make in POINTS:
        f = found.get(notebook)
        absent = [k for k in keys if f is None or k not in f]
        if absent:
            left_out.append(f"{notebook}: {', '.join(absent)}")
            continue
        points.append(Point(notebook, chart, make(f)))
    return Summary(
        title=_("Community summary"),
        intro=_("A one-page summary in plain words for people who work with sex workers and with people "
                "affected by trafficking. Every number below is taken from the briefing's own results."),
        cannot=[_(s) for s in CANNOT], points=points, left_out=left_out)


def opening(pages: Sequence[Mapping[str, Any]]) -> list[str]:
    """What opens the index: the organisation (only if the set names one), the draft-translation
    note (an unreviewed language), then the community summary."""
    from critique.publish import branding
    from critique.publish.i18n import draft_note_html

    out = [x for x in (branding.header_html(), draft_note_html()) if x]
    return out + summary_html(pages)


def summary_html(pages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The summary as the first section of the index (empty when no point could be filled)."""
    s = build(pages)
    if not s.points:
        return []
    pngs = {(p["stem"], fig["name"]): fig for p in pages for fig in p.get("figures", [])}
    esc = html.escape
    out = [f'<section id="community-summary" class="community-summary"><h2>{esc(s.title)}</h2>',
           f"<p>{esc(s.intro)}</p>", f"<h3>{esc(_('What the numbers cannot show'))}</h3><ul>"]
    out += [f"<li>{esc(c)}</li>" for c in s.cannot]
    out.append(f"</ul><h3>{esc(_('What the numbers do show'))}</h3><ul>")
    out += [f"<li>{esc(p.sentence)}</li>" for p in s.points]
    out.append("</ul>")
    for p in s.points:
        fig = pngs.get((p.notebook, p.chart))
        if fig:
            out.append(f'<figure><img src="{esc(fig["png"])}" alt="{esc(fig.get("title", ""))}"></figure>')
    if s.left_out:
        out.append("<p><small>" + esc(ngettext("{n} point was left out: its notebook gave no result in this run.",
                                                "{n} points were left out: their notebooks gave no result in this run.",
                                                len(s.left_out))) + "</small></p>")
    out.append(f'<p><a href="summary.pdf">{esc(_("This summary as a PDF"))}</a></p></section>')
    return out


def pdf_data(pages: Sequence[Mapping[str, Any]], *, title: str) -> dict[str, Any]:
    """What ``templates/summary.typ`` prints, as plain data."""
    from pathlib import Path

    from critique.core import i18n
    from critique.publish import branding
    from critique.publish.i18n import translator_line

    s = build(pages)
    lang = i18n.current()
    b = branding.active()
    svgs = {(p["stem"], fig["name"]): Path(fig["abs_png"]).with_suffix(".svg")
            for p in pages for fig in p.get("figures", []) if fig.get("abs_png")}
    charts = [str(svgs[(p.notebook, p.chart)].resolve()) for p in s.points
              if (p.notebook, p.chart) in svgs and svgs[(p.notebook, p.chart)].exists()]
    draft = "" if i18n.reviewed(lang) else (
        _("Draft translation: this page was translated by machine and has not been reviewed by a "
          "native speaker. Where a sentence is still in English, no translation exists yet. "
          "The English edition is the reference.") + " " + translator_line(lang))
    return {"title": s.title, "heading": s.title, "subtitle": title, "lang": lang, "author": b.metadata_author,
            "organisation": b.name, "logo": str(b.logo.resolve()) if b.logo else "", "draft": draft,
            "intro": s.intro, "cannot_heading": _("What the numbers cannot show"), "cannot": s.cannot,
            "show_heading": _("What the numbers do show"), "points": [p.sentence for p in s.points],
            "charts": charts[:4],
            "footer": _("Made by critique-suite from the briefing's own results; the full briefing gives "
                        "every source and caveat.")}


def write_pdf(target: "Any", pages: Sequence[Mapping[str, Any]], *, title: str) -> "Any":
    """Typeset the summary into ``target`` (``summary.pdf``) with Typst; written atomically.

    Raises ``RuntimeError`` naming the file when Typst refuses it."""
    import json
    import os
    import tempfile
    from importlib import resources
    from pathlib import Path

    import typst

    from critique.core import atomicio

    target = Path(target)
    template = resources.files("critique.publish") / "templates" / "summary.typ"
    with tempfile.TemporaryDirectory(prefix=".summary-", dir=target.parent) as tmp:
        data_file = Path(tmp) / "data.json"
        data_file.write_text(json.dumps(pdf_data(pages, title=title), ensure_ascii=False), encoding="utf-8")
        source = Path(tmp) / "summary.typ"
        source.write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
        out = Path(tmp) / target.name
        try:
            typst.compile(str(source), output=str(out), root="/", sys_inputs={"data": str(data_file.resolve())})
        except Exception as exc:  # typst raises its own TypstError
            raise RuntimeError(f"{target}: Typst could not typeset the community summary ({exc})") from None
        with atomicio.atomic_file(target) as final:
            os.replace(out, final)
    return target
