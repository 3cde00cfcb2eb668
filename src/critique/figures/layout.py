"""Is a figure fit for a slide? Text inside the canvas and not clipped, no text over text, no legend
over data, no empty panel, whole-number year ticks.

:func:`problems` draws the figure and inspects what the renderer placed: every visible text
(titles, axis labels, tick labels, legend entries, annotations, the footer) must lie inside the
canvas; no two texts may overlap, nor a legend overlap a text outside it; an axis whose label
mentions a year, or whose ticks all lie in 1900-2100, must have whole-number ticks (2002.5 is
not a year). A text drawn with clipping on must lie inside its clip box (a label cut by the axes
edge); a visible panel with axes must show some data (a line, marker, bar, area or image); a legend
must not lie over a line, marker or bar. :func:`critique.figures.charts.finalise` runs it on every chart and records the problems in
the caption's JSON, and a test runs it over every figure of the smoke build.
"""
from __future__ import annotations

from typing import Any

TOLERANCE_PX = 1.5  # touching is not overlapping (antialiasing, rounding)


def _visible_text(text: Any) -> bool:
    return bool(text.get_visible() and text.get_text().strip() and text.get_alpha() != 0)


def _drawn_ticks(axis: Any) -> list[Any]:
    try:
        return list(axis._update_ticks())  # the ticks matplotlib actually draws (inside the view)
    except Exception:
        return list(axis.get_major_ticks())


def _texts(fig: Any) -> list[tuple[str, Any, Any]]:
    """(label, artist, owner) of every visible text; owner groups texts that may touch (a legend)."""
    out: list[tuple[str, Any, Any]] = []
    if fig._suptitle is not None and _visible_text(fig._suptitle):
        out.append(("title", fig._suptitle, None))
    for t in fig.texts:
        if t is not fig._suptitle and _visible_text(t):
            out.append((f"figure text '{t.get_text()[:30]}'", t, None))
    for i, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for t in (ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label):
            if _visible_text(t):
                out.append((f"axes {i} '{t.get_text()[:30]}'", t, None))
        for t in ax.texts:
            if _visible_text(t):
                out.append((f"axes {i} text '{t.get_text()[:30]}'", t, None))
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if not axis.get_visible():
                continue
            for tick in _drawn_ticks(axis):
                for lab in (tick.label1, tick.label2):
                    if _visible_text(lab):
                        out.append((f"axes {i} {name} tick '{lab.get_text()}'", lab, None))
        legends = [ax.get_legend()] if ax.get_legend() is not None else []
        for leg in legends:
            for t in [leg.get_title(), *leg.get_texts()]:
                if _visible_text(t):
                    out.append((f"axes {i} legend '{t.get_text()[:30]}'", t, leg))
    for leg in fig.legends:
        for t in [leg.get_title(), *leg.get_texts()]:
            if _visible_text(t):
                out.append((f"figure legend '{t.get_text()[:30]}'", t, leg))
    return out


def _overlap(a: Any, b: Any) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > TOLERANCE_PX
            and min(a.y1, b.y1) - max(a.y0, b.y0) > TOLERANCE_PX)


def _year_axis(axis: Any, label: str, ticks: list[float]) -> bool:
    if "year" in label.lower():
        return True
    return len(ticks) >= 2 and all(1900 <= t <= 2100 for t in ticks) and axis.get_scale() == "linear" \
        and axis.axis_name == "x"


def lay_out_text(fig: Any) -> Any:
    """Place every artist of ``fig`` as a draw would, without painting a pixel, and return the renderer.

    Matplotlib's ``Figure.draw_without_rendering`` runs the whole draw (tick updates, label and legend
    placement, text layout) on the canvas's own renderer at the figure's dpi with its paint calls
    switched off, so every extent read afterwards is the one a full ``canvas.draw()`` gives, at a
    fraction of the cost (issue 29: each chart was painted about five times before its two saves).
    """
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def problems(fig: Any, *, placed: bool = False) -> list[str]:
    """Layout problems of ``fig`` in words (empty when the figure is fit to print).

    ``placed``: the caller has just laid the figure out (:func:`lay_out_text`) and changed nothing
    since, so it is not placed again."""
    renderer = fig.canvas.get_renderer() if placed else lay_out_text(fig)
    canvas = fig.bbox
    found: list[str] = []
    boxes = []
    for label, artist, owner in _texts(fig):
        bb = artist.get_window_extent(renderer)
        if bb.width <= 0 or bb.height <= 0:
            continue
        if bb.x0 < canvas.x0 - TOLERANCE_PX or bb.y0 < canvas.y0 - TOLERANCE_PX or \
                bb.x1 > canvas.x1 + TOLERANCE_PX or bb.y1 > canvas.y1 + TOLERANCE_PX:
            found.append(f"{label} is cut off at the edge of the figure")
        elif _clipped(artist, bb):
            found.append(f"{label} is clipped by the edge of its axes")
        boxes.append((label, bb, owner, artist))
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            la, a, oa, _ = boxes[i]
            lb, b, ob, _ = boxes[j]
            if oa is not None and oa is ob:
                continue
            if _overlap(a, b):
                found.append(f"{la} overlaps {lb}")
    legends = [(f"legend of axes {i}", ax.get_legend()) for i, ax in enumerate(fig.axes)
               if ax.get_legend() is not None and ax.get_legend().get_visible()]
    legends += [("figure legend", leg) for leg in fig.legends if leg.get_visible()]
    for name, leg in legends:
        lb = leg.get_window_extent(renderer)
        for label, bb, owner, _ in boxes:
            if owner is not leg and _overlap(lb, bb):
                found.append(f"{name} overlaps {label}")
    for name, leg in legends:
        covered = _data_under(leg.axes if leg.axes is not None else None, fig, leg.get_window_extent(renderer))
        if covered:
            found.append(f"{name} lies over data ({covered})")
    for i, ax in enumerate(fig.axes):
        if ax.get_visible() and ax.axison and not _has_data(ax):
            found.append(f"axes {i} is an empty panel (no data drawn; axes "
                         f"{_span(ax.get_xlim())} by {_span(ax.get_ylim())})")
    for i, ax in enumerate(fig.axes):
        for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel())):
            lo, hi = sorted(axis.get_view_interval())
            ticks = [t for t in axis.get_majorticklocs() if lo - 1e-9 <= t <= hi + 1e-9]
            labelled = [t for t, tick in zip(axis.get_majorticklocs(), axis.get_major_ticks())
                        if lo - 1e-9 <= t <= hi + 1e-9 and tick.label1.get_text().strip()]
            if _year_axis(axis, label, ticks) and any(abs(t - round(t)) > 1e-9 for t in labelled or ticks):
                bad = [f"{t:g}" for t in ticks if abs(t - round(t)) > 1e-9][:3]
                found.append(f"axes {i} {axis.axis_name}-axis shows years as fractions ({', '.join(bad)})")
    return found


def _named(kind: str, label: str) -> str:
    """'line 'label'' or, for an artist matplotlib named itself (_child0, _container1), 'an unlabelled line'."""
    return f"an unlabelled {kind}" if not label or label.startswith("_") else f"{kind} '{label}'"


def _span(lim: Any) -> str:
    return f"{lim[0]:g} to {lim[1]:g}"


def _clipped(artist: Any, bb: Any) -> bool:
    """A text drawn with clipping on that reaches outside its clip box (so part of it is not drawn)."""
    if not artist.get_clip_on():
        return False
    box = artist.get_clip_box()
    if box is None:
        return False
    return (bb.x0 < box.x0 - TOLERANCE_PX or bb.x1 > box.x1 + TOLERANCE_PX
            or bb.y0 < box.y0 - TOLERANCE_PX or bb.y1 > box.y1 + TOLERANCE_PX)


def _data_artists(ax: Any) -> list[Any]:
    """The visible artists of ``ax`` that show data (not its frame, grid, legend or texts)."""
    arts = [a for a in (*ax.lines, *ax.collections, *ax.patches, *ax.images) if a.get_visible()]
    out = []
    for a in arts:
        if hasattr(a, "get_xydata") and len(a.get_xydata()) == 0:
            continue
        if hasattr(a, "get_offsets") and hasattr(a, "get_paths") and len(a.get_offsets()) == 0 \
                and not any(len(p.vertices) for p in a.get_paths()):
            continue
        out.append(a)
    return out


def _has_data(ax: Any) -> bool:
    import numpy as np

    for a in _data_artists(ax):
        if hasattr(a, "get_xydata"):
            xy = np.asarray(a.get_xydata(), dtype=float)
            if xy.size and np.isfinite(xy).all(axis=1).any():
                return True
            continue
        return True
    return False


def _data_under(ax: Any, fig: Any, box: Any) -> str:
    """What data of the figure's axes lies under ``box`` (display units): '' when none.

    Lines and their markers (the drawn path, so a line crossing the box counts), scatter markers and
    bars; shaded areas (fill_between, translucent spans) and reference lines (axhline) do not count,
    since a legend may sit over a light band.
    """
    import numpy as np
    from matplotlib.collections import PolyCollection
    from matplotlib.transforms import Bbox

    inner = Bbox.from_extents(box.x0 + TOLERANCE_PX, box.y0 + TOLERANCE_PX,
                              box.x1 - TOLERANCE_PX, box.y1 - TOLERANCE_PX)
    for axes in ([ax] if ax is not None else fig.axes):
        for a in _data_artists(axes):
            if hasattr(a, "get_xydata"):  # Line2D; a reference line (axhline, in axes units) is not data
                if a.get_transform() is not axes.transData:
                    continue
                path = a.get_transform().transform_path(a.get_path())
                if len(path.vertices) and (path.intersects_bbox(inner, filled=False)
                                           or inner.count_contains(path.vertices) > 0):
                    return _named("line", a.get_label())
            elif isinstance(a, PolyCollection) or (a.get_alpha() is not None and a.get_alpha() < 0.6):
                continue  # shaded areas and translucent spans
            elif hasattr(a, "get_offsets") and len(a.get_offsets()):
                pts = a.get_offset_transform().transform(np.asarray(a.get_offsets(), dtype=float))
                if inner.count_contains(pts[np.isfinite(pts).all(axis=1)]) > 0:
                    return _named("markers", a.get_label())
            elif hasattr(a, "get_width") and hasattr(a, "get_window_extent"):  # a bar (Rectangle)
                bar = a.get_window_extent()
                if bar.width > 0 and bar.height > 0 and inner.overlaps(bar):
                    owner = [c for c in axes.containers if a in c]
                    return _named("bar", owner[0].get_label() if owner else a.get_label())
    return ""
