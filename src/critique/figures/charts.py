"""House style and the one way to save a figure: :func:`finalise`.

Every chart states its source, caveats and N under it (the BBC's finaliser will not save a chart
without a source line; Kelley & Heiss save a caption file beside each figure). ``finalise`` writes
PNG and SVG plus a ``.txt`` caption (title, what the chart shows, source, caveats, N) that the
reports use as alt text, and a ``.json`` sidecar the report index reads.
"""
from __future__ import annotations

import json
import math
import re
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib
import pandas as pd

matplotlib.use("Agg")  # reports are made headless; JupyterLab still renders inline
import matplotlib.pyplot as plt  # noqa: E402

from critique.figures import layout as chartlayout  # noqa: E402
from critique.datasets import paths
from critique.core.i18n import N_, _, ngettext

STYLE_FILE = paths.package_dir() / "figures" / "critique.mplstyle"
SCENARIO_LABEL = N_("SCENARIO (illustrative assumptions, not a measurement)")
#: words from the data shown on charts, translated where drawn (``word``)
WORDS = {w: w for w in (
    N_("primary"), N_("secondary"), N_("unverified"), N_("prosecutions"), N_("convictions"),
    N_("victims identified"), N_("sexual exploitation"), N_("forced labour"), N_("other forms"), N_("other"),
    N_("total"), N_("all"), N_("adults"), N_("children"), N_("adult"), N_("child"), N_("unknown"))}


def word(text: object) -> str:
    """A category word from the data (a verification status, a measure or form with ``_`` for
    spaces) in the reader's language when the catalogue has it; other values are shown as they are
    (names, ids)."""
    plain = str(text).replace("_", " ")
    return _(plain) if plain in WORDS else plain


def num(value: float, spec: str = ",.0f") -> str:
    """One number written the reader's way (``num(12214)`` is ``12,214`` in English, ``12 214`` in
    French): ``format(value, spec)`` through :class:`critique.core.i18n.LocaleFormatter`."""
    from critique.core import i18n

    return i18n.format_locale("{v:" + spec + "}", {"v": value})


def number_formatter(spec: str = ",.0f") -> "matplotlib.ticker.FuncFormatter":
    """A tick formatter writing numbers the reader's way, read when the chart is drawn (English:
    as ``StrMethodFormatter("{x:" + spec + "}")``)."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, pos=None: num(x, spec))


class ChartError(Exception):
    """A figure that cannot be saved as it stands (no source, bad name...)."""


@dataclass
class Caption:
    """What travels with a saved figure."""

    name: str
    title: str
    description: str
    source: str
    caveats: list[str] = field(default_factory=list)
    n: str | None = None
    scenario: bool = False
    datasets: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    own_caveats: int = 0  # how many of ``caveats`` are the chart's own (they come first)
    footer_caveats_shown: int = 0  # how many of ``caveats`` are printed on the image
    layout_problems: list[str] = field(default_factory=list)

    def _ipython_display_(self) -> None:
        """Show nothing when a cell ends with ``charts.finalise(...)``: the figure is already shown."""

    def text(self) -> str:
        """The caption as plain text (the ``.txt`` file and the HTML alt text)."""
        lines = [(_("Scenario: {title}", title=self.title) if self.scenario and not
                  self.title.lower().startswith("scenario") else self.title), "", self.description, "",
                 _("Source: {source}", source=self.source)]
        if self.scenario:
            lines.append(_(SCENARIO_LABEL))
        for caveat in self.caveats:
            lines.append(_("Caveat: {caveat}", caveat=caveat))
        lines.append(_("N: {n}", n=self.n) if self.n is not None else _("N: not applicable"))
        return "\n".join(lines) + "\n"


def use_style() -> None:
    """Apply the house style (call once at the top of a notebook); tables displayed from here on
    are formatted for readers (:func:`critique.figures.tables.register`)."""
    plt.style.use(str(STYLE_FILE))
    from critique.figures import fonts, tables

    fonts.register()  # Noto after DejaVu Sans: Chinese and Cyrillic titles draw without boxes

    tables.register()


def integer_years(ax: "plt.Axes") -> None:
    """Year ticks as whole numbers (matplotlib would otherwise show 2002.5)."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise ChartError(f"finalise: figure name {name!r} has no letters or digits")
    return slug


def finalise(
    fig: "plt.Figure",
    name: str,
    *,
    title: str,
    description: str,
    source: str | None = None,
    datasets: Sequence[str] = (),
    caveat: str | Iterable[str] | None = None,
    n: int | str | None = None,
    scenario: bool = False,
    outdir: Path | None = None,
    footer_caveats: int = 2,
    data: "pd.DataFrame | None" = None,
) -> Caption:
    """Label ``fig`` with title, source, caveats and N, and save PNG, SVG and caption files.

    Parameters
    ----------
    name: file stem (slugified), unique within a notebook.
    title, description: what the chart is and what it shows, in plain words.
    source: the source line; when omitted it is built from ``datasets``. A figure with neither is
        refused: no chart leaves without its source.
    datasets: ids passed to ``critique.datasets.load``; their caveats are added to the caption.
    caveat: caveat(s) the notebook adds.
    n: the number of observations behind the chart (countries, records, tables...).
    scenario: mark the chart as a scenario in its title and caption.
    footer_caveats: how many caveats at least are printed on the image (the chart's own always
        are; all go in the caption, and the PDF prints the rest under the image).
    data: the numbers behind the chart, saved beside it as ``<name>.csv`` (as Kelley & Heiss and
        Our World in Data publish them) and listed in the caption's files.
    """
    from critique import datasets as ds

    if not title or not title.strip():
        raise ChartError(f"finalise({name!r}): a title is required")
    if not description or not description.strip():
        raise ChartError(f"finalise({name!r}): a description of what the chart shows is required")
    sources = [source.strip()] if source and source.strip() else []
    if not sources:
        sources = [ds.source_line(d) for d in datasets]
    if not sources:
        raise ChartError(f"finalise({name!r}): refusing to save a figure without a source "
                         "(pass source= or datasets=)")
    own = [c.strip() for c in ([caveat] if isinstance(caveat, str) else list(caveat or [])) if c and c.strip()]
    caveats: list[str] = []
    for c in own + [c for d in datasets for c in ds.caveats(d)]:  # the chart's own caveats first
        if c and c not in caveats:
            caveats.append(c)
    stem = _slug(name)
    shown_title = title if not scenario or title.lower().startswith("scenario") else _("Scenario: {title}", title=title)
    cap = Caption(name=stem, title=shown_title, description=description.strip(),
                  source="; ".join(sources), caveats=caveats,
                  n=None if n is None else _n_text(n), scenario=scenario, datasets=list(datasets),
                  own_caveats=len([c for c in own if c in caveats]))
    cap.footer_caveats_shown = max(footer_caveats, cap.own_caveats)  # never drop the chart's own
    placed = _lay_out(fig, cap)
    cap.layout_problems = chartlayout.problems(fig, placed=placed)

    outdir = Path(outdir) if outdir else paths.figures_dir()
    outdir.mkdir(parents=True, exist_ok=True)
    for ext in ("png", "svg"):
        target = outdir / f"{stem}.{ext}"
        fig.savefig(target, format=ext)
        cap.files[ext] = target.name
    (outdir / f"{stem}.txt").write_text(cap.text(), encoding="utf-8")
    cap.files["txt"] = f"{stem}.txt"
    if data is not None:
        data.to_csv(outdir / f"{stem}.csv", index=not isinstance(data.index, pd.RangeIndex))
        cap.files["csv"] = f"{stem}.csv"
    (outdir / f"{stem}.json").write_text(json.dumps(asdict(cap), indent=2), encoding="utf-8")
    plt.close(fig)
    _display_inline(outdir / cap.files["png"], cap)
    return cap


def _n_text(n: int | str) -> str:
    """N as the reader's language writes it: a whole number grouped the locale's way outside
    English (``12 214`` in French); English and text values are kept as given."""
    from critique.core import i18n, locale_format

    if isinstance(n, int) and not isinstance(n, bool) and i18n.current() != i18n.DEFAULT:
        return locale_format.number(n)
    return str(n)


def _lay_out(fig: "plt.Figure", cap: Caption) -> bool:
    """Title at the top and footer at the bottom, both wrapped to the figure's width and measured,
    then the axes fitted between them (so neither the title nor the footer is ever cut off).

    Returns whether the figure was placed (:func:`critique.figures.layout.lay_out_text`) after its
    last change, so the layout check need not place it again."""
    from critique.figures import fonts

    fonts.register()
    width_in = fig.get_figwidth()
    if fig._suptitle is None:  # keep a notebook's own suptitle
        fig.suptitle(fonts.wrap(cap.title, max(30, int(width_in * 9.5))), x=0.01, y=0.99,
                     ha="left", va="top", fontsize=12, fontweight="bold")
    footer = [_("Source: {source}", source=cap.source)]
    if cap.scenario:
        footer.append(_(SCENARIO_LABEL))
    shown = cap.caveats[:cap.footer_caveats_shown]
    footer += [_("Caveat: {caveat}", caveat=c) for c in shown]
    if len(cap.caveats) > len(shown):
        more = len(cap.caveats) - len(shown)
        footer.append(ngettext("(+{n} further caveat in the caption)", "(+{n} further caveats in the caption)", more))
    footer.append(_("N: {n}", n=cap.n) if cap.n is not None else "")
    wrapped = "\n".join(fonts.wrap(line, max(40, int(width_in * 17))) for line in footer if line)
    note = fig.text(0.01, 0.005, wrapped, ha="left", va="bottom", fontsize=7, color="#444444")
    # the title and the footer sit in figure coordinates: their extents need the renderer, not a draw
    renderer = fig.canvas.get_renderer()
    height = fig.bbox.height
    bottom = min(0.6, note.get_window_extent(renderer).y1 / height + 0.015)
    top = 0.97
    if fig._suptitle is not None:
        top = fig._suptitle.get_window_extent(renderer).y0 / height - 0.01
        fig._suptitle.set_in_layout(False)  # placed by hand above; tight_layout would reserve it twice
    import warnings

    rect = (0, bottom, 1, max(bottom + 0.1, top))
    with warnings.catch_warnings():  # tight_layout warns on axes it cannot fit; the layout check reports it
        warnings.simplefilter("ignore")
        fig.tight_layout(rect=rect)
        for _attempt in range(3):  # a y-label longer than its axes runs into the title or the footer: wrap it
            if not _wrap_long_ylabels(fig, rect):
                return True  # placed just now, and nothing changed since
            fig.tight_layout(rect=rect)
    return False


def _wrap_long_ylabels(fig: "plt.Figure", rect: tuple[float, float, float, float]) -> bool:
    """Wrap each y-axis label that reaches above or below the band ``rect`` (figure fractions)
    left for the axes, onto as many lines as its axes' height needs. True when one was wrapped."""
    renderer = chartlayout.lay_out_text(fig)
    height = fig.bbox.height
    lo, hi = rect[1] * height, rect[3] * height
    changed = False
    for ax in fig.axes:
        label = ax.yaxis.label
        text = label.get_text()
        if not (ax.get_visible() and label.get_visible() and text.strip()):
            continue
        bb = label.get_window_extent(renderer)
        room = min(ax.bbox.height, hi - lo)
        if bb.y0 >= lo - 1 and bb.y1 <= hi + 1 and bb.height <= room + 1:
            continue
        flat = " ".join(text.split())
        lines = max(2, text.count("\n") + 2, math.ceil(bb.height / max(room * 0.9, 1.0)))
        wrapped = textwrap.fill(flat, max(8, math.ceil(len(flat) / lines) + 2))
        if wrapped != text:
            label.set_text(wrapped)
            changed = True
    return changed


def _display_inline(png: Path, cap: Caption) -> None:
    """Show the saved figure in a running notebook, with its caption as alt text and figcaption."""
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return
    if get_ipython() is None:
        return
    import base64
    import html

    data = base64.b64encode(png.read_bytes()).decode()
    # the image already shows title, source, its caveats and N: below it, only what it does not show
    below = [cap.description] + [_("Further caveat: {caveat}", caveat=c) for c in cap.caveats[cap.footer_caveats_shown:]]
    caption = "<br>".join(html.escape(line) for line in below if line)
    display(HTML(
        f'<figure class="critique-figure"><img src="data:image/png;base64,{data}" '
        f'alt="{html.escape(cap.text())}" style="max-width:100%">'
        f'<figcaption style="font-size:0.85em;color:#444">{caption}</figcaption></figure>'))
