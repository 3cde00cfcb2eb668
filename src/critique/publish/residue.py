"""English left on a page of another language: an independent count of what a reader still meets in English.

The catalogue count (:mod:`critique.publish.i18n_catalogue`) sees only strings that go through the
message catalogue; a sentence built in code that was never marked would escape it. This check reads
the pages a build wrote, as a reader's browser gets them, and finds the passages that are still
English prose: each block of visible text (a paragraph, list item, table cell, heading, caption) with
at least :data:`MIN_FUNCTION_WORDS` English function words making up at least :data:`MIN_SHARE` of its
words. Function words, not vocabulary, decide: proper names (``Home Office``, ``Global Report on
Trafficking in Persons``) carry few of them, and a translated sentence keeps almost none.

Left out, as the issue allows ("except for proper names and quoted sources"): quotations
(``<blockquote>``, ``<q>``, text in quotation marks), citations (``<cite>``), code and program output
(``<pre>``, ``<code>``), and any element a page marks ``lang="en"`` (the standard HTML way to say
"this part is English on purpose"). The result is a count and a list a build writes beside its pages
(``language-check.txt``) and prints in its log; a test fails a French page above a stated number.

Heuristic by construction: it can miss a two-word English label and can flag an English title the
rules do not exclude; the listing shows every flagged passage so a reader can judge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

#: English function words that French, Spanish, Russian and Chinese prose does not use
#: ("on", "in", "a", "as", "no", "per" are left out: they are words, or common Latin, in those languages)
FUNCTION_WORDS = frozenset("""the of and to is are was were that this with for from not which by it be has have
been its their than or but these those what when where who how each every only more most into between after
before there they can cannot does do would could should may will an""".split())
MIN_FUNCTION_WORDS = 3
MIN_SHARE = 0.25
SKIP_TAGS = {"script", "style", "code", "pre", "blockquote", "q", "cite", "svg", "math", "kbd", "samp", "head"}
BLOCK_TAGS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption", "dt", "dd",
              "summary", "title", "div", "section", "article", "body", "span"}
QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|„[^“”]*[“”]|「[^」]*」|‘[^’]*’|(?<!\w)'[^']{3,}'(?!\w)")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def is_english(text: str) -> bool:
    """Whether a block of visible text reads as English prose (quoted spans removed first)."""
    words = [w.lower().strip("'’-") for w in WORD.findall(QUOTED.sub(" ", text))]
    if not words:
        return False
    hits = sum(w in FUNCTION_WORDS for w in words)
    all_words = len(text.split()) or 1  # words of any script: a Russian sentence with one English name is not English
    return hits >= MIN_FUNCTION_WORDS and hits / max(all_words, len(words)) >= MIN_SHARE


def _blocks(html_text: str) -> list[str]:
    from bs4 import BeautifulSoup, NavigableString
    from bs4.element import Comment

    soup = BeautifulSoup(html_text, "html.parser")
    texts: dict[int, list[str]] = {}
    order: list[int] = []
    keep: dict[int, object] = {}
    for node in soup.descendants:
        if not isinstance(node, NavigableString) or isinstance(node, Comment) or not node.strip():
            continue
        skip, block = False, None
        for parent in node.parents:
            name = getattr(parent, "name", None)
            if name in SKIP_TAGS or str(parent.get("lang", "") if hasattr(parent, "get") else "").lower().startswith("en") \
                    and name != "html":
                skip = True
                break
            if block is None and name in BLOCK_TAGS:
                block = parent
        if skip or block is None:
            continue
        key = id(block)
        if key not in texts:
            texts[key], keep[key] = [], block
            order.append(key)
        texts[key].append(str(node))
    return [" ".join(" ".join(texts[k]).split()) for k in order]


def english_passages(html_text: str) -> list[str]:
    """The blocks of visible text on a page that are still English prose (see the module's rules)."""
    return [b for b in _blocks(html_text) if is_english(b)]


@dataclass
class Residue:
    """English passages found on a build's pages (page path relative to the build -> passages)."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    pages_read: int = 0

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.pages.values())

    def line(self) -> str:
        """One line for the build log."""
        return (f"English left on the pages: {self.count} passages on {len(self.pages)} of {self.pages_read} "
                f"pages (quotations, citations, code and lang=\"en\" parts not counted; listed in language-check.txt)")

    def report(self, missing: Sequence[str] = ()) -> str:
        """The listing written beside the pages; ``missing``: catalogue strings this build looked up
        and found no translation for (listed first, for translators)."""
        out = [self.line(), ""]
        if missing:
            out += [f"## Strings with no translation in the catalogue, shown in English ({len(missing)})"]
            out += [f"- {m[:300]}" for m in missing] + [""]
        for page, passages in sorted(self.pages.items()):
            out.append(f"## {page} ({len(passages)})")
            out += [f"- {p[:300]}" for p in passages]
            out.append("")
        return "\n".join(out)


def scan(out_root: Path) -> Residue:
    """Read every HTML page under ``out_root`` (notebook pages, index, summary, what-if pages)."""
    found = Residue()
    for page in sorted(Path(out_root).rglob("*.html")):
        if any(part.startswith(".") for part in page.relative_to(out_root).parts):
            continue  # staging folders
        found.pages_read += 1
        passages = english_passages(page.read_text(encoding="utf-8", errors="replace"))
        if passages:
            found.pages[str(page.relative_to(out_root))] = passages
    return found
