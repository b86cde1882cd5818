"""Charts for reports, drawn with matplotlib's object API (never pyplot in a server) as SVG.

Every bar carries its number and band in words, so no meaning rests on colour alone. Every text is drawn
literally, as it is written (``text.parse_math`` off: a ``$`` in a campaign title is no mathematics).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@cache
def _mpl() -> SimpleNamespace:
    """matplotlib, imported and set up on the first chart rather than at app start: it is slow to
    import, and most requests draw no chart (rendered charts are stored with their report)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; must come before the backends are touched
    matplotlib.rcParams["svg.hashsalt"] = "regiekompas"  # stable ids: same input, same SVG
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, readable by tools
    # Every text is drawn literally: a campaign title such as "$\foo$" or "50$ en $x^2$" is words, not
    # mathematics (matplotlib would parse it as mathtext and fail). The default of every Text's
    # ``parse_math``, so titles, labels, legends and ticks alike; charts use no mathtext themselves.
    matplotlib.rcParams["text.parse_math"] = False
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    return SimpleNamespace(Figure=Figure, Patch=Patch, Canvas=FigureCanvasSVG)


def new_figure(**kwargs) -> Figure:
    """A matplotlib ``Figure`` (the object API: never pyplot in a server)."""
    return _mpl().Figure(**kwargs)


def new_patch(**kwargs):
    """A matplotlib ``Patch``, for legend entries."""
    return _mpl().Patch(**kwargs)

INK = "#1f2933"
BAR = "#1d4e89"
MUTED = "#52606d"


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    caption: str  # e.g. "62 · gemiddeld" or "te weinig antwoorden"


def to_svg(fig: Figure, prefix: str) -> str:
    """The figure as an SVG element to inline into HTML.

    matplotlib names its elements ``figure_1``, ``patch_1``, ...; several charts on one page would
    repeat those ids (and a reference could reach the wrong chart), so each chart kind prefixes its own.
    """
    buf = io.StringIO()
    _mpl().Canvas(fig).print_svg(buf, metadata={"Date": None})  # no timestamp: same input, same SVG
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    for old in ('id="', 'url(#', 'href="#'):
        svg = svg.replace(old, old + prefix + "-")
    return without_inline_css(svg)


#: CSS properties matplotlib writes that SVG also accepts as presentation attributes.
PRESENTATION = frozenset({
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset", "opacity", "clip-path",
    "font-family", "font-size", "font-style", "font-weight", "font-variant", "font-stretch", "text-anchor",
    "dominant-baseline", "alignment-baseline", "letter-spacing", "white-space",
})
_STYLE_ATTR = re.compile(r' style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r'\s*<defs>\s*<style type="text/css">\*\{([^}]*)\}</style>\s*</defs>')


def _attributes(declarations: str) -> str:
    """``fill: #fff; stroke-width: 0.8`` as ``fill="#fff" stroke-width="0.8"`` (values stay escaped)."""
    attrs = []
    for declaration in filter(str.strip, declarations.split(";")):
        name, _, value = declaration.partition(":")
        name = name.strip()
        if name not in PRESENTATION:
            raise ValueError(f"chart CSS property {name!r} has no SVG presentation attribute")
        attrs.append(f'{name}="{value.strip()}"')
    return " ".join(attrs)


def without_inline_css(svg: str) -> str:
    """The SVG with matplotlib's ``style`` attributes and ``<style>`` element as presentation attributes.

    A Content-Security-Policy without 'unsafe-inline' blocks both in an SVG inlined into HTML, and the
    chart would lose its colours. The global rule (``*{stroke-linejoin: round; ...}``) becomes attributes
    on the root element, which its children inherit; an element's own attribute still overrides them.
    """
    match = _STYLE_ELEMENT.search(svg)
    if match:
        svg = svg[:match.start()] + svg[match.end():]
        svg = svg.replace("<svg ", f"<svg {_attributes(match.group(1))} ", 1)
    if "<style" in svg:
        raise ValueError("chart SVG has a <style> element that cannot become attributes")
    return _STYLE_ATTR.sub(lambda m: " " + _attributes(m.group(1)) if m.group(1).strip() else "", svg)


#: The width a report chart gets on a 360 px phone (the page's 1 rem padding on each side) and the body
#: text size there: a chart's text must render at least as large as the text around it.
PHONE_CHART_PX = 360 - 2 * 16
BODY_PX = 16
#: Report charts are this wide (inches; 72 user units an inch in the SVG): the font sizes follow from it.
CHART_WIDTH_IN = 4.2


def font_size(width_in: float = CHART_WIDTH_IN, px: float = BODY_PX, at_px: float = PHONE_CHART_PX) -> float:
    """The font size (in the SVG's user units, points) that renders at least ``px`` pixels when a chart
    ``width_in`` inches wide is drawn ``at_px`` pixels wide (the SVG scales with its width)."""
    return math.ceil(px * width_in * 72 / at_px * 10) / 10


def profile_bars(bars: Sequence[Bar], cutoffs: tuple[float, float], title: str,
                 cutoff_labels: tuple[str, str]) -> str:
    """One full-width bar per dimension on 0-100, its name and value written above it."""
    return to_svg(bars_figure(bars, cutoffs, title, cutoff_labels), "bars")


def bars_figure(bars: Sequence[Bar], cutoffs: tuple[float, float], title: str,
                cutoff_labels: tuple[str, str]) -> Figure:
    """The figure of :func:`profile_bars`. Dashed lines mark the band cut-offs, named below the axis.
    Every text is body-sized on a 360 px phone (:func:`font_size`)."""
    size = font_size()
    n = len(bars)
    row, extra = 1.0, 1.75  # inches per bar; title, axis and the two cut-off lines
    height = row * n + extra
    fig = new_figure(figsize=(CHART_WIDTH_IN, height))
    ax = fig.add_subplot()
    for i, bar in enumerate(bars):
        y = n - 1 - i
        ax.barh(y, 100, height=0.3, color="#e4e9ef")
        if bar.score is not None:
            ax.barh(y, max(bar.score, 0.8), height=0.3, color=BAR)
        ax.text(0, y + 0.2, bar.label, va="bottom", ha="left", fontsize=size, color=INK, fontweight="bold")
        ax.text(100, y + 0.2, bar.caption, va="bottom", ha="right", fontsize=size, color=INK)
    score_axis(ax, cutoffs, (-0.4, n - 0.05), size)
    ax.set_title(title, fontsize=size, color=INK, loc="left")
    ax.set_xlabel("\n".join(cutoff_labels), fontsize=size, color=MUTED, loc="left", linespacing=1.2)
    fig.subplots_adjust(left=0.03, right=0.94, top=1 - 0.45 / height, bottom=1.0 / height)
    return fig


def open_axes(ax) -> None:
    for side in ax.spines:
        ax.spines[side].set_visible(False)


def score_axis(ax, cutoffs: tuple[float, float], ylim: tuple[float, float], labelsize: float = 9) -> None:
    """A frameless 0-100 axis for horizontal bars: dashed lines and ticks at the band cut-offs, no y ticks."""
    for x in cutoffs:
        ax.axvline(x, color=MUTED, linestyle="--", linewidth=1, ymax=0.97)
    ax.set_xlim(0, 100)
    ax.set_ylim(*ylim)
    ax.set_yticks([])
    ax.set_xticks([0, *cutoffs, 100], ["0", *(f"{int(c)}" for c in cutoffs), "100"])
    ax.tick_params(axis="x", colors=MUTED, labelsize=labelsize, length=0)
    open_axes(ax)


def profile_radar(points: Sequence[Bar], cutoffs: tuple[float, float], title: str,
                  cutoff_labels: tuple[str, str]) -> str:
    """The same profile as a radar (spider) chart: one spoke per dimension on 0-100."""
    return to_svg(radar_figure(points, cutoffs, title, cutoff_labels), "radar")


def spoke_angles(n: int) -> list[float]:
    """Clockwise from the top; turned by half a step when a spoke would lie flat (4 spokes: the diagonals),
    so that every spoke's label goes in the band above or below the circle."""
    start = math.pi / 2
    if any(abs(math.sin(start - 2 * math.pi * i / n)) < 1e-9 for i in range(n)):
        start += math.pi / n
    return [start - 2 * math.pi * i / n for i in range(n)]


#: Characters per line of a spoke's caption: two labels side by side each get half the chart's width.
CAPTION_CHARS = 15


def radar_figure(points: Sequence[Bar], cutoffs: tuple[float, float], title: str,
                 cutoff_labels: tuple[str, str]) -> Figure:
    """The figure of :func:`profile_radar`, laid out for a phone with body-sized text.

    Each point has its number written next to it and each spoke its name and caption, so the chart reads
    without colour; dashed circles mark the band cut-offs. A dimension without a score has no point; the
    polygon is then drawn only between scored neighbours.

    The labels never overlap: a spoke's label goes in a band above the circle (spokes pointing up) or
    below it (pointing down), never beside it. In a band, one label is centred, two share the row (one at
    the left edge, one at the right), three or more get a row each.
    """
    size = font_size()
    n = len(points)
    angles = spoke_angles(n)
    line = size * 1.35 / 72  # inches per line of text (line spacing 1.3: the lines' boxes do not touch)
    texts = [f"{p.label}\n{textwrap.fill(p.caption, CAPTION_CHARS)}" for p in points]
    lines = [t.count("\n") + 1 for t in texts]
    bands: dict[str, list[int]] = {"top": [], "bottom": []}
    for i, a in enumerate(angles):
        bands["top" if math.sin(a) > 0 else "bottom"].append(i)
    rows: dict[str, list[list[int]]] = {}
    for name, members in bands.items():
        members.sort(key=lambda i: (math.cos(angles[i]), i))
        rows[name] = [members] if len(members) <= 2 else [[i] for i in members]

    def band_height(name: str) -> float:
        return sum(max(lines[i] for i in row) * line for row in rows[name] if row) + (0.1 if rows[name] else 0)

    width = CHART_WIDTH_IN
    diameter = width * 0.62
    title_h, footer_h, gap = line + 0.2, 2 * line + 0.15, 0.12
    top_h, bottom_h = band_height("top"), band_height("bottom")
    height = title_h + top_h + gap + diameter + gap + bottom_h + footer_h
    fig = new_figure(figsize=(width, height))

    def fy(inches_from_top: float) -> float:
        return 1 - inches_from_top / height

    circle_top = title_h + top_h + gap
    ax = fig.add_axes(((1 - diameter / width) / 2, fy(circle_top + diameter), diameter / width, diameter / height),
                      projection="polar")
    ax.set_ylim(0, 100)
    ring = [a / 100 * 2 * math.pi for a in range(101)]
    for c in cutoffs:
        ax.plot(ring, [c] * len(ring), color=MUTED, linestyle="--", linewidth=1)
    ax.plot(ring, [100] * len(ring), color="#c5ccd3", linewidth=1)
    for a in angles:
        ax.plot([a, a], [0, 100], color="#c5ccd3", linewidth=1)
    values = [p.score if p.score is not None else math.nan for p in points]
    closed_angles, closed_values = [*angles, angles[0]], [*values, values[0]]
    ax.plot(closed_angles, closed_values, color=BAR, linewidth=2)
    if all(p.score is not None for p in points):
        ax.fill(closed_angles, closed_values, color=BAR, alpha=0.15)
    for a, p in zip(angles, points, strict=True):
        if p.score is not None:
            ax.plot([a], [p.score], marker="o", markersize=6, color=BAR)
            ax.text(a, p.score + 22 if p.score <= 70 else p.score - 22, f"{round(p.score)}", ha="center",
                    va="center", fontsize=size, fontweight="bold", color=INK,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    open_axes(ax)

    margin = 0.04
    for name, start in (("top", title_h), ("bottom", circle_top + diameter + gap)):
        y = start
        for row in rows[name]:
            for i in row:
                if len(row) == 2:
                    ha = "left" if i == row[0] else "right"
                else:
                    c = math.cos(angles[i])
                    ha = "center" if abs(c) < 0.3 else ("left" if c < 0 else "right")
                x = {"left": margin, "center": 0.5, "right": 1 - margin}[ha]
                fig.text(x, fy(y), texts[i], ha=ha, va="top", fontsize=size, color=INK, linespacing=1.3,
                         fontweight="normal")
            y += max(lines[i] for i in row) * line
    fig.suptitle(title, x=margin, y=fy(0.1), ha="left", va="top", fontsize=size, color=INK)
    fig.text(margin, fy(height - footer_h + 0.05), "\n".join(cutoff_labels) + " (- - -)", ha="left", va="top",
             fontsize=size, color=MUTED, linespacing=1.3)
    return fig


@dataclass(frozen=True)
class Pair:
    """One dimension in a comparison: its earlier and its current score (0-100)."""

    label: str
    before: float
    after: float


EARLIER = "#6b7f99"  # 4.1:1 against white (WCAG 1.4.11 asks 3:1 for graphics)


def profile_compare(pairs: Sequence[Pair], cutoffs: tuple[float, float], title: str,
                    names: tuple[str, str], legend: tuple[str, str], prefix: str = "compare",
                    right: float = 0.77, text_size: float | None = None) -> str:
    """Two bars per dimension, the earlier (light, hatched) above the current (dark, solid).

    Each bar has its series name (``names``: short, e.g. "Eerder", "Nu") and number written at its
    end, and the ``legend`` repeats the hatching, so the two are told apart without colour. Two of
    these charts on one page need different ``prefix`` es (for their SVG ids); longer ``names`` need
    a smaller ``right`` (where the bars end, as a fraction of the width) to stay inside the chart.
    With ``text_size`` (a worker's report: :func:`font_size`) every text has that size, the legend
    one entry a line, and the bars end earlier to leave room for the bigger numbers.
    """
    big = text_size is not None
    size = text_size if text_size is not None else 9.0
    title_size = text_size if text_size is not None else 11.0
    n = len(pairs)
    row, legend_h = (1.35, 2 * size * 1.4 / 72) if big else (1.15, 0.0)
    height = row * n + 1.2 + legend_h + (0.3 if big else 0)
    fig = new_figure(figsize=(4.2, height))
    ax = fig.add_subplot()
    for i, pair in enumerate(pairs):
        y = n - 1 - i
        ax.text(0, y + 0.36, pair.label, va="bottom", ha="left", fontsize=title_size, color=INK, fontweight="bold")
        for offset, value, color, hatch, name in ((0.18, pair.before, EARLIER, "////", names[0]),
                                                  (-0.14, pair.after, BAR, None, names[1])):
            ax.barh(y + offset, 100, height=0.26, color="#eef1f5")
            ax.barh(y + offset, max(value, 0.8), height=0.26, color=color, hatch=hatch,
                    edgecolor="white" if hatch else color, linewidth=0)
            ax.text(102, y + offset, f"{name} {round(value)}", va="center", ha="left", fontsize=size, color=INK)
    score_axis(ax, cutoffs, (-0.5, n - 0.05), size)
    ax.set_title(title, fontsize=title_size, color=INK, loc="left", pad=26 + (legend_h * 72 if big else 0))
    handles = [new_patch(facecolor=EARLIER, hatch="////", edgecolor="white", linewidth=0), new_patch(facecolor=BAR)]
    fig.legend(handles, legend, loc="upper left", bbox_to_anchor=(0.02, 1 - (0.5 if big else 0.42) / height),
               ncols=1 if big else 2, frameon=False, fontsize=size, handlelength=1.6, columnspacing=1.2,
               labelcolor=INK)
    top = 1 - (0.8 + legend_h) / height if big else 1 - 0.72 / height
    fig.subplots_adjust(left=0.03, right=0.66 if big else right, top=top, bottom=(0.5 if big else 0.4) / height)
    return to_svg(fig, prefix)
