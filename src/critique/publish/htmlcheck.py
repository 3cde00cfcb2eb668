"""Check a report index as a reader's browser sees it: every link and image resolves, no page is empty.

Two layers: a static pass (every ``href``/``src`` of the index and its pages points to an existing,
non-empty file) and, where Chromium is installed (Debian's ``chromium``), a real render: a small
checker page loads the index in an iframe and asks the browser whether every image decoded
(``naturalWidth > 0``). Run with ``make check-html`` or ``python -m critique.publish.htmlcheck INDEX``.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--allow-file-access-from-files", "--virtual-time-budget=20000"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.text_chars = 0

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value:
                self.links.append((tag, value))

    def handle_data(self, data):
        self.text_chars += len(data.strip())


def static_problems(index: Path) -> list[str]:
    """Broken local links and images, and empty pages, reachable from ``index`` (one level deep)."""
    problems: list[str] = []
    if not index.exists():
        return [f"{index}: not found"]
    pages = [index]
    seen: set[Path] = set()
    while pages:
        page = pages.pop()
        if page in seen:
            continue
        seen.add(page)
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        if parser.text_chars < 20 and not any(t == "img" for t, _ in parser.links):
            problems.append(f"{page}: page is empty")
        for tag, link in parser.links:
            parsed = urlparse(link)
            if parsed.scheme in ("http", "https", "mailto", "data") or link.startswith("#"):
                continue
            target = (page.parent / unquote(parsed.path)).resolve()
            if not target.exists() or target.stat().st_size == 0:
                problems.append(f"{page.name}: <{tag}> {link} does not resolve")
            elif target.suffix == ".html" and page == index:
                pages.append(target)
    return problems


OPENINGS = {"The brief": "brief", "All findings, by notebook": "key-findings"}


def key_findings_problems(index: Path) -> list[str]:
    """The briefing index must open with its brief (or, in a build without headlines, all findings):
    the first section, holding at least one finding."""
    text = index.read_text(encoding="utf-8", errors="replace")
    first_h2 = re.search(r"<h2[^>]*>(.*?)</h2>", text, re.S)
    heading = first_h2.group(1).strip() if first_h2 else None
    if heading not in OPENINGS:
        return [f"{index}: does not open with the brief or the key findings (first section: "
                f"{heading or 'none'})"]
    section = text.split(f'<section id="{OPENINGS[heading]}"', 1)[-1].split("</section>", 1)[0]
    if "<li>" not in section:
        return [f"{index}: the section '{heading}' is empty"]
    return []


# What makes a browser fetch something: src/srcset/data of an element, <link href>, CSS url()/@import.
_LOADS = re.compile(r"""<(?:script|img|iframe|embed|source|video|audio|object|input)\b[^>]*?\s(?:src|srcset|data)\s*=\s*["']?([^"'\s>]+)"""
                    r"""|<link\b[^>]*?\shref\s*=\s*["']?([^"'\s>]+)"""
                    r"""|url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", re.IGNORECASE)


def external_resources(text: str) -> list[str]:
    """Addresses on another host that a page would load (scripts, styles, images, fonts, frames).

    A hyperlink a reader may follow (``<a href>``, say to a publisher's report) is not a load and is
    not listed. Protocol-relative ``//host/...`` counts as external.
    """
    found = []
    for match in _LOADS.finditer(text):
        url = next(g for g in match.groups() if g)
        if re.match(r"(?i)^(https?:)?//", url):
            found.append(url)
    return found


def offline_problems(index: Path) -> list[str]:
    """Pages reachable from ``index`` (it and the pages it links) that load anything from another host."""
    problems = []
    pages = [index] + [index.parent / unquote(urlparse(link).path) for tag, link in _links(index)
                       if tag == "a" and link.endswith(".html") and "//" not in link]
    for page in dict.fromkeys(pages):
        if page.exists():
            for url in external_resources(page.read_text(encoding="utf-8", errors="replace")):
                problems.append(f"{page.name}: loads {url} from another host")
    return problems


def _links(page: Path) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8", errors="replace"))
    return parser.links


def chromium() -> str | None:
    """The Chromium executable, if installed."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


CHECKER = """<!doctype html><html><body><iframe id="f" src="{src}" style="width:1200px;height:900px"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('f').onload = function () {{
  var doc = document.getElementById('f').contentDocument;
  var imgs = Array.from(doc.images);
  var bad = imgs.filter(function (i) {{ return !(i.complete && i.naturalWidth > 0); }});
  document.getElementById('result').textContent = 'IMAGES ' + imgs.length + ' BROKEN ' + bad.length +
    ' TEXT ' + doc.body.innerText.length + ' ' + bad.map(function (i) {{ return i.getAttribute('src'); }}).join(' ');
}};
</script></body></html>"""


def browser_problems(index: Path, timeout: int = 90) -> list[str]:
    """Render the index in headless Chromium; return images that failed to decode, or an empty page."""
    exe = chromium()
    if exe is None:
        return ["chromium is not installed (apt-get install chromium); browser check not run"]
    with tempfile.TemporaryDirectory() as profile:
        checker = index.parent / ".htmlcheck.html"
        checker.write_text(CHECKER.format(src=index.name), encoding="utf-8")
        try:
            proc = subprocess.run([exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                   checker.resolve().as_uri()], capture_output=True, text=True,
                                  timeout=timeout)
        finally:
            checker.unlink(missing_ok=True)
    match = re.search(r"IMAGES (\d+) BROKEN (\d+) TEXT (\d+)([^<]*)", proc.stdout)
    if not match:
        return [f"{index}: Chromium did not render the page (exit {proc.returncode})"]
    images, broken, text = int(match.group(1)), int(match.group(2)), int(match.group(3))
    problems = []
    if broken:
        problems.append(f"{index}: {broken} of {images} images did not load:{match.group(4)}")
    if text < 100:
        problems.append(f"{index}: rendered page is empty")
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    index = Path(argv[0] if argv else "reports/briefing/index.html")
    problems = static_problems(index) + (offline_problems(index) if index.exists() else [])
    if index.exists() and (index.parent / "briefing.pdf").exists():
        problems += key_findings_problems(index)
    browser = browser_problems(index) if not problems else []
    for p in problems + browser:
        print(p, file=sys.stderr)
    ok = not problems and not [b for b in browser if "not installed" not in b]
    print(f"{index}: {'ok' if ok else 'PROBLEMS'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
