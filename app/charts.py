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
    """Horizontal bars on 0-100 with dashed lines at the band cut-offs."""
    fig = Figure(figsize=(6.4, 0.62 * len(bars) + 1.1))
    ax = fig.add_subplot()
    positions = list(range(len(bars)))[::-1]
    for y, bar in zip(positions, bars, strict=True):
        if bar.score is not None:
            ax.barh(y, bar.score, height=0.56, color=BAR)
        ax.text(101, y, bar.caption, va="center", ha="left", fontsize=10, color=INK)
    for x, name in zip(cutoffs, cutoff_labels, strict=True):
        ax.axvline(x, color=MUTED, linestyle="--", linewidth=1)
        ax.text(x, len(bars) - 0.35, name, ha="center", va="bottom", fontsize=8, color=MUTED)
    ax.set_yticks(positions, [b.label for b in bars], fontsize=11, color=INK)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(bars) - 0.1)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="x", colors=MUTED, labelsize=9)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, fontsize=12, color=INK, loc="left")
    fig.subplots_adjust(left=0.2, right=0.72, top=0.84, bottom=0.12)
    return _to_svg(fig)
