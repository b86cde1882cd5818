"""Report charts on a phone: every text renders at least as large as body text at 360 px, and no two texts
of the radar (spoke labels, numbers, title, legend) overlap or leave the chart. The browser test
(tests/browser/test_first_screen.py) measures the same on the page itself."""

from __future__ import annotations

import itertools
import re

import pytest

from app.rendering.charts import (
    BODY_PX,
    PHONE_CHART_PX,
    Bar,
    bars_figure,
    profile_bars,
    profile_radar,
    radar_figure,
)

CUTOFFS = (50.0, 75.0)
LABELS = {"nl": ("Motivatie", "Bewustzijn", "Middelen", "Kansen"),
          "en": ("Motivation", "Awareness", "Resources", "Opportunities")}
CAPTIONS = {"nl": ("100 · gemiddeld", "te weinig antwoorden", "0 · laag", "75 · hoog"),
            "en": ("100 · medium", "too few answers", "0 · low", "75 · high")}
CUTOFF_LABELS = {"nl": ("gemiddeld vanaf 50", "hoog vanaf 75"), "en": ("medium from 50", "high from 75")}


def profiles():
    """Every language with scores at the extremes (0, 100, none) and the longest captions in turn."""
    for lang in ("nl", "en"):
        for scores in itertools.product((0.0, 100.0, None), repeat=2):
            for shift in range(4):
                values = [scores[0], scores[1], 50.0, 74.0]
                values = values[shift:] + values[:shift]
                points = [Bar(label, v, CAPTIONS[lang][1] if v is None else CAPTIONS[lang][(i + shift) % 4])
                          for i, (label, v) in enumerate(zip(LABELS[lang], values, strict=True))]
                yield lang, points


def extents(fig):
    fig.draw_without_rendering()
    renderer = fig._get_renderer()
    texts = [t for t in fig.findobj(lambda a: type(a).__name__ == "Text") if t.get_visible() and t.get_text()]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in texts], fig.bbox


def overlapping(boxes) -> list[tuple[str, str]]:
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2) if ba.overlaps(bb)]


@pytest.mark.parametrize(("lang", "points"), list(profiles()))
def test_radar_texts_never_overlap_and_stay_inside(lang, points):
    boxes, figure = extents(radar_figure(points, CUTOFFS, "Je profiel (0 tot 100)", CUTOFF_LABELS[lang]))
    assert not overlapping(boxes)
    for text, box in boxes:
        assert figure.x0 <= box.x0 and box.x1 <= figure.x1 and figure.y0 <= box.y0 and box.y1 <= figure.y1, text


@pytest.mark.parametrize("n", [3, 5, 6])
def test_radar_labels_do_not_overlap_with_other_numbers_of_spokes(n):
    points = [Bar(f"Opportunities {i}"[:13], 10.0 * i, "too few answers") for i in range(n)]
    boxes, _figure = extents(radar_figure(points, CUTOFFS, "Profile", CUTOFF_LABELS["en"]))
    assert len([t for t, _b in boxes if t.startswith("Opportunities")]) == n
    assert not overlapping(boxes)


@pytest.mark.parametrize(("lang", "points"), list(profiles())[::4])
def test_bar_texts_never_overlap(lang, points):
    boxes, _figure = extents(bars_figure(points, CUTOFFS, "Je profiel (0 tot 100)", CUTOFF_LABELS[lang]))
    assert not overlapping(boxes)


@pytest.mark.parametrize("draw", [profile_bars, profile_radar])
def test_chart_text_renders_at_least_body_size_on_a_phone(draw):
    lang, points = next(profiles())
    svg = draw(points, CUTOFFS, "Je profiel", CUTOFF_LABELS[lang])
    width_pt = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))
    scale = PHONE_CHART_PX / width_pt  # the SVG is drawn the chart's width on the page
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
    assert sizes and min(sizes) * scale >= BODY_PX


def test_the_workers_comparison_chart_is_body_size_and_its_texts_do_not_overlap():
    from app.rendering.charts import Pair, font_size, profile_compare

    pairs = [Pair("Opportunities", 100.0, 0.0), Pair("Bewustzijn", 46.0, 25.0)]
    svg = profile_compare(pairs, CUTOFFS, "Eerder en nu (0 tot 100)", ("Eerder", "Nu"),
                          ("Eerder (12 november 2026)", "Nu (2 december 2026)"), text_size=font_size())
    width_pt = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg).group(1))
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)]
    assert min(sizes) * PHONE_CHART_PX / width_pt >= BODY_PX
    assert max(float(x) for x in re.findall(r'<text [^>]*\bx="([\d.]+)"', svg)) < width_pt
