"""Charts of the team report (matplotlib Figure API, inline SVG through :func:`app.rendering.charts.to_svg`).

Every chart writes its numbers on it and uses hatching next to colour, so no meaning rests on
colour alone; the report repeats the same numbers in a table under each chart.

A chart is never more precise than its table: the tables show whole numbers, so every value a chart
draws (bar lengths, the ends of the spread line, the numbers written) is first rounded to the whole
number the table shows (:func:`shown`). Exact means in the SVG's geometry could be read back to a
few thousandths, and with the counts next to them, give away more than the figures the report shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .charts import BAR, INK, MUTED, Pair, new_figure, new_patch, open_axes, score_axis, to_svg

#: Band fill, hatch and text colour: low light and cross-hatched, medium light and striped, high dark.
BAND_STYLE = {"low": ("#fbe3d0", "xx", INK), "medium": ("#d6e0ee", "//", INK), "high": (BAR, None, "#ffffff")}


def shown(value: float) -> int:
    """``value`` as the report's tables show it: a whole number (Python's ``round``, as Jinja's ``round``)."""
    return int(round(value))


def shown_pairs(pairs: Sequence[Pair]) -> list[Pair]:
    """The pairs of a comparison chart (employer and workers, earlier and now) rounded as their table."""
    return [Pair(p.label, shown(p.before), shown(p.after)) for p in pairs]


@dataclass(frozen=True)
class Spread:
    """One factor's team mean and standard deviation on 0-100."""

    label: str
    mean: float
    sd: float | None


def spread_chart(rows: Sequence[Spread], cutoffs: tuple[float, float], title: str,
                 cutoff_labels: tuple[str, str]) -> str:
    """Per factor a bar to the team mean, a line from mean − SD to mean + SD, and both numbers written,
    each rounded to the whole number the table shows."""
    n = len(rows)
    height = 0.8 * n + 1.0
    fig = new_figure(figsize=(4.2, height))
    ax = fig.add_subplot()
    for row, spread in enumerate(rows):
        y = n - 1 - row
        mean = shown(spread.mean)  # no more precise than the table
        sd = None if spread.sd is None else shown(spread.sd)
        ax.barh(y, 100, height=0.34, color="#e4e9ef")
        ax.barh(y, max(mean, 0.8), height=0.34, color=BAR)
        if sd is not None:
            low, high = max(mean - sd, 0), min(mean + sd, 100)
            ax.plot([low, high], [y - 0.3, y - 0.3], color=INK, linewidth=1.5)
            ax.plot([low, low], [y - 0.38, y - 0.22], color=INK, linewidth=1.5)
            ax.plot([high, high], [y - 0.38, y - 0.22], color=INK, linewidth=1.5)
        caption = f"{mean}" + (f" ± {sd}" if sd is not None else "")
        ax.text(0, y + 0.24, spread.label, va="bottom", ha="left", fontsize=11, color=INK, fontweight="bold")
        ax.text(100, y + 0.24, caption, va="bottom", ha="right", fontsize=11, color=INK)
    score_axis(ax, cutoffs, (-0.5, n - 0.1))
    ax.set_title(title, fontsize=11, color=INK, loc="left")
    ax.set_xlabel(" · ".join(cutoff_labels), fontsize=9, color=MUTED, loc="left")
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.5 / height, bottom=0.55 / height)
    return to_svg(fig, "team-spread")


@dataclass(frozen=True)
class BandCount:
    """How many team members fall in each band for one factor."""

    label: str
    counts: Mapping[str, int]


def bands_chart(rows: Sequence[BandCount], band_labels: Mapping[str, str], title: str) -> str:
    """Per factor one bar of 100%, split into the bands low, medium, high (each hatched differently).

    Each part carries its band name and count when it is wide enough; the legend repeats the hatching.
    The widths are the counts over their total, both whole numbers in the table: nothing more precise.
    """
    n = len(rows)
    height = 0.8 * n + 1.3
    fig = new_figure(figsize=(4.2, height))
    ax = fig.add_subplot()
    for row, count in enumerate(rows):
        y = n - 1 - row
        total = sum(count.counts.values()) or 1
        left = 0.0
        ax.text(0, y + 0.24, count.label, va="bottom", ha="left", fontsize=11, color=INK, fontweight="bold")
        for band, (fill, hatch, ink) in BAND_STYLE.items():
            value = count.counts.get(band, 0)
            width = value / total * 100
            if width:
                ax.barh(y, width, left=left, height=0.34, color=fill, hatch=hatch, edgecolor="white", linewidth=1)
                if width >= 14:
                    ax.text(left + width / 2, y, f"{value}", va="center", ha="center", fontsize=10,
                            color=ink, fontweight="bold",
                            bbox={"boxstyle": "round,pad=0.1", "facecolor": fill, "edgecolor": "none"})
            left += width
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.45, n - 0.1)
    ax.set_yticks([])
    ax.set_xticks([0, 50, 100], ["0%", "50%", "100%"])
    ax.tick_params(axis="x", colors=MUTED, labelsize=9, length=0)
    open_axes(ax)
    ax.set_title(title, fontsize=11, color=INK, loc="left", pad=24)
    handles = [new_patch(facecolor=fill, hatch=hatch, edgecolor=MUTED if hatch else fill, linewidth=0.5)
               for fill, hatch, _ink in BAND_STYLE.values()]
    fig.legend(handles, [band_labels[b] for b in BAND_STYLE], loc="upper left", ncols=3, frameon=False,
               fontsize=9, handlelength=1.6, labelcolor=INK, bbox_to_anchor=(0.02, 1 - 0.4 / height))
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.75 / height, bottom=0.4 / height)
    return to_svg(fig, "team-bands")


def history_chart(rows: Sequence[tuple[str, int]], title: str) -> str:
    """Completed questionnaires per release: one bar per release (its label, e.g. "stand 1 · 2 maart"),
    its count written at its end. Counts are whole numbers, the same as in the table under it."""
    n = len(rows)
    height = 0.6 * n + 0.9
    top = max((count for _label, count in rows), default=0) or 1
    fig = new_figure(figsize=(4.2, height))
    ax = fig.add_subplot()
    for row, (label, count) in enumerate(rows):
        y = n - 1 - row
        ax.barh(y, max(count, top * 0.005), height=0.3, color=BAR)
        ax.text(0, y + 0.2, label, va="bottom", ha="left", fontsize=10, color=INK, fontweight="bold")
        ax.text(top * 1.1, y, f"{count}", va="center", ha="right", fontsize=10, color=INK)
    ax.set_xlim(0, top * 1.1)
    ax.set_ylim(-0.4, n - 0.1)
    ax.set_yticks([])
    ax.set_xticks([])
    open_axes(ax)
    ax.set_title(title, fontsize=11, color=INK, loc="left")
    fig.subplots_adjust(left=0.03, right=0.97, top=1 - 0.4 / height, bottom=0.1 / height)
    return to_svg(fig, "history")
