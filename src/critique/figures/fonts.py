"""Chart fonts that draw every script the briefing is published in: Latin, Cyrillic and Chinese.

matplotlib's default font (DejaVu Sans) draws Latin and Cyrillic but no Chinese: a Chinese title
came out as empty boxes ("tofu") with the warning "Glyph ... missing from current font". Since
matplotlib 3.6 a text falls back glyph by glyph along the families of ``font.family``, so
:func:`register` names the Noto families there after DejaVu Sans: Noto Sans CJK (Debian's
``fonts-noto-cjk``, Google's Noto project, SIL Open Font License) for Chinese, Noto Sans (Debian's
``fonts-noto-core``) as a second Latin/Cyrillic face. The project's set-up installs both
(``.ci/run``, as it installs Chromium and poppler; on another system install the Noto CJK fonts
from its package manager). :func:`missing_families` says which are absent, and
:func:`missing_glyphs` which characters of a text no registered face can draw.

The same fonts serve the PDF: Typst finds the system's Noto faces by their family names.
"""
from __future__ import annotations

import functools
import glob
from pathlib import Path

#: the fallback chain, in order; the first face that has a glyph draws it
FAMILIES = ("DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP")
#: where Debian (and most Linux distributions) put the Noto files; macOS/Windows fonts are found by
#: matplotlib's own scan of the system font folders
SEARCH = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
          "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
          "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
          "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
          "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc")


@functools.lru_cache(maxsize=1)
def _add_files() -> tuple[str, ...]:
    """Add the Noto files found on this system to matplotlib (once); the available families."""
    from matplotlib import font_manager

    for pattern in SEARCH:
        for path in glob.glob(pattern):
            if Path(path).is_file():
                font_manager.fontManager.addfont(path)
    known = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(f for f in FAMILIES if f in known)


def register() -> tuple[str, ...]:
    """Add the Noto files found on this system to matplotlib and make the fallback chain the font
    family. Returns the families of :data:`FAMILIES` that are available (idempotent)."""
    import matplotlib

    available = _add_files()
    rest = [f for f in matplotlib.rcParams["font.sans-serif"] if f not in available]
    # the families named one by one: matplotlib falls back glyph by glyph only across the families
    # of font.family, and expands the generic "sans-serif" to its first available font alone
    matplotlib.rcParams["font.family"] = list(available) + ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = list(available) + rest
    return available


def missing_families() -> list[str]:
    """What this system lacks for every script: ``DejaVu Sans`` (Latin, Cyrillic) and a Noto Sans
    CJK face (Chinese). Empty when every script can be drawn."""
    available = register()
    out = [] if "DejaVu Sans" in available else ["DejaVu Sans"]
    if not any(f.startswith("Noto Sans CJK") for f in available):
        out.append("Noto Sans CJK")
    return out


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` (spaces and controls aside) that no face of the fallback chain
    can draw: what would show as a box."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    available = register()
    faces = [FT2Font(font_manager.findfont(font_manager.FontProperties(family=f), fallback_to_default=False))
             for f in available]
    out = []
    for ch in dict.fromkeys(text):
        if ch.isspace() or not ch.isprintable():
            continue
        if not any(face.get_char_index(ord(ch)) for face in faces):
            out.append(ch)
    return out


def wrap(text: str, width: int) -> str:
    """``textwrap.fill`` for any script: ``width`` is in Latin characters, and a text with wide
    (Chinese, Japanese, Korean) characters, which take about two Latin widths each and have no spaces
    to break at, is wrapped at half as many characters."""
    import textwrap
    import unicodedata

    wide = any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)
    return textwrap.fill(text, max(2, width // 2) if wide else width)
