"""The printable briefing: a cover, the key findings, then one chart a page (matplotlib only).

Each chart's PNG already carries its title, source, the caveats printed on the image and N (see
:func:`critique.figures.charts.finalise`), so under the image a page prints only what the image does not
show: the description and any further caveats. The caption is printed once.
"""
from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any, Sequence

A4_LANDSCAPE = (11.69, 8.27)
SENTENCE_WIDTH = 120  # characters a line on an A4 landscape page at 11 pt


def under_image(fig_info: dict[str, Any]) -> str:
    """The caption text a page prints below a chart: what the image itself does not show."""
    sidecar = Path(fig_info["abs_png"]).with_suffix(".json")
    try:
        cap = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fig_info.get("caption_text", "")
    shown = int(cap.get("footer_caveats_shown", 2))
    lines = [cap.get("description", "")]
    rest = cap.get("caveats", [])[shown:]
    lines += [f"Further caveat: {c}" for c in rest]
    return "\n".join(line for line in lines if line)


def _key_finding_lines(key_findings: Sequence[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(text, style) lines of the key-findings pages, wrapped."""
    lines: list[tuple[str, dict[str, Any]]] = []
    for kf in key_findings:
        label = "SCENARIO (illustrative assumptions, not a measurement): " if kf.scenario else ""
        for i, line in enumerate(textwrap.wrap(label + kf.sentence, SENTENCE_WIDTH)):
            lines.append(("\u2022 " + line if i == 0 else "   " + line,
                          {"fontsize": 11, "color": "#7a1f00" if kf.scenario else "#111111"}))
        ref = f"Chart: {kf.chart_title} ({kf.notebook}). Source: {kf.source}"
        for line in textwrap.wrap(ref, int(SENTENCE_WIDTH * 1.25)):
            lines.append(("   " + line, {"fontsize": 8.5, "color": "#555555"}))
        lines.append(("", {"fontsize": 5}))
    return lines


def chart_pack(target: Path, figures: Sequence[dict[str, Any]], *, title: str,
               generated: dt.datetime, key_findings: Sequence[Any] = (),
               problems: Sequence[str] = ()) -> Path:
    """Write the PDF: cover, key findings (if any), one figure a page with what the image omits.

    ``figures``: dicts with ``abs_png`` (the PNG beside its caption ``.json``) and ``caption_text``.
    ``key_findings``: :class:`critique.publish.keyfindings.KeyFinding` objects, in briefing order.
    ``problems``: lines printed on the cover (failed notebooks, key findings that could not be filled).
    Written to a temporary file and renamed into place.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    from critique import atomicio

    with atomicio.atomic_file(target) as tmp:  # whole or not at all; mode from the umask
        with PdfPages(tmp) as pdf:
            cover = plt.figure(figsize=A4_LANDSCAPE)
            cover.text(0.08, 0.8, title, fontsize=22, fontweight="bold")
            cover.text(0.08, 0.72, f"Generated {generated:%Y-%m-%d %H:%M UTC}: "
                       f"{len(key_findings)} key findings, then {len(figures)} charts, each with its "
                       "source, caveats and N.", fontsize=11)
            y = 0.64
            for line in problems:
                for part in textwrap.wrap(line, 130):
                    cover.text(0.08, y, part, fontsize=9, color="#a00000")
                    y -= 0.03
            pdf.savefig(cover)
            plt.close(cover)
            page = None
            y = 0.0
            for text, style in _key_finding_lines(key_findings):
                if page is None or y < 0.06:  # a new page when the text reaches the bottom margin
                    if page is not None:
                        pdf.savefig(page)
                        plt.close(page)
                    page = plt.figure(figsize=A4_LANDSCAPE)
                    page.text(0.06, 0.93, "Key findings" + (" (continued)" if y else ""),
                              fontsize=16, fontweight="bold")
                    y = 0.87
                page.text(0.06, y, text, va="top", family="sans-serif", **style)
                y -= 0.0024 * style["fontsize"] + 0.004
            if page is not None:
                pdf.savefig(page)
                plt.close(page)
            for fig_info in figures:
                page = plt.figure(figsize=A4_LANDSCAPE)
                text = "\n".join(textwrap.fill(line, 175) for line in
                                  under_image(fig_info).splitlines() if line.strip())
                # the text below takes what it needs; the image gets the rest of the page
                text_height = min(0.45, 0.0165 * (text.count("\n") + 1) + 0.02)
                ax = page.add_axes((0.04, text_height + 0.02, 0.92, 0.96 - text_height))
                ax.imshow(plt.imread(fig_info["abs_png"]))
                ax.axis("off")
                page.text(0.04, text_height, text, fontsize=7.5, va="top", family="sans-serif")
                pdf.savefig(page)
                plt.close(page)
    return target
