"""Charts for reports, drawn with matplotlib's object API (never pyplot in a server) as SVG.

Every bar carries its number and band in words, so no meaning rests on colour alone.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no display on a server; must come before the backends are touched

from matplotlib.backends.backend_svg import FigureCanvasSVG  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

matplotlib.rcParams["svg.hashsalt"] = "regiekompas"  # stable ids: same input, same SVG
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, readable by tools

INK = "#1f2933"
BAR = "#1d4e89"
MUTED = "#52606d"


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    caption: str  # e.g. "62 · gemiddeld" or "te weinig antwoorden"


def _to_svg(fig: Figure) -> str:
    buf = io.StringIO()
    FigureCanvasSVG(fig).print_svg(buf)
    svg = buf.getvalue()
    # Drop the XML prolog and DOCTYPE: the SVG is inlined into HTML.
    return svg[svg.index("<svg"):]


def profile_bars(bars: Sequence[Bar], cutoffs: tuple[float, float], title: str,
                 cutoff_labels: tuple[str, str]) -> str:
    """One full-width bar per dimension on 0-100, its name and value written above it.

    Dashed lines mark the band cut-offs. Sized to stay legible when a phone shows it 330 px wide.
    """
    n = len(bars)
    fig = Figure(figsize=(4.2, 0.78 * n + 1.0))
    ax = fig.add_subplot()
    for row, bar in enumerate(bars):
        y = n - 1 - row
        ax.barh(y, 100, height=0.34, color="#e4e9ef")
        if bar.score is not None:
            ax.barh(y, max(bar.score, 0.8), height=0.34, color=BAR)
        ax.text(0, y + 0.24, bar.label, va="bottom", ha="left", fontsize=11, color=INK, fontweight="bold")
        ax.text(100, y + 0.24, bar.caption, va="bottom", ha="right", fontsize=11, color=INK)
    for x in cutoffs:
        ax.axvline(x, color=MUTED, linestyle="--", linewidth=1, ymax=0.97)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.45, n - 0.1)
    ax.set_yticks([])
    ax.set_xticks([0, *cutoffs, 100], ["0", *(f"{int(c)}" for c in cutoffs), "100"])
    ax.tick_params(axis="x", colors=MUTED, labelsize=9, length=0)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=11, color=INK, loc="left")
    ax.set_xlabel(" · ".join(cutoff_labels), fontsize=9, color=MUTED, loc="left")
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.5 / (0.78 * n + 1.0), bottom=0.55 / (0.78 * n + 1.0))
    return _to_svg(fig)
