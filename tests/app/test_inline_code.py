"""No inline CSS or JS anywhere the CSP would block it: templates and the charts' SVG."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from app.rendering.charts import Bar, Pair, profile_bars, profile_compare, profile_radar, without_inline_css
from tests.support.reports import store_report

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_templates_have_no_inline_css_or_js():
    found = [f"{path.relative_to(TEMPLATES)}: {kind}"
             for path in sorted(TEMPLATES.rglob("*.html")) for kind, pattern in INLINE.items()
             if pattern.search(path.read_text(encoding="utf-8"))]
    assert len(list(TEMPLATES.rglob("*.html"))) > 5
    assert not found


BARS = [Bar("Motivatie", 62, "62 · gemiddeld"), Bar("Kansen", None, "te weinig antwoorden"), Bar("Middelen", 81, "81")]
CHARTS = {
    "bars": lambda: profile_bars(BARS, (50, 75), "Profiel", ("gemiddeld vanaf 50", "hoog vanaf 75")),
    "radar": lambda: profile_radar(BARS, (50, 75), "Profiel", ("gemiddeld vanaf 50", "hoog vanaf 75")),
    "compare": lambda: profile_compare([Pair("Motivatie", 40, 70)], (50, 75), "Toen en nu", ("Eerder", "Nu"),
                                       ("eerder", "nu")),
}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("kind", CHARTS)
def test_charts_carry_their_looks_as_svg_attributes(kind):
    svg = CHARTS[kind]()
    root = ET.fromstring(svg)  # well-formed: no attribute was written twice
    assert "style" not in svg
    assert root.get("stroke-linejoin") == "round"  # the former global rule, now inherited from the root
    fills = {el.get("fill") for el in root.iter() if el.get("fill")}
    assert "#1d4e89" in fills  # the bar colour survived
    texts = [el for el in root.iter(f"{SVG}text")]
    assert texts and all(el.get("font-size") for el in texts)


def test_conversion_keeps_every_declaration_in_order():
    svg = ('<svg width="1"><defs>\n  <style type="text/css">*{stroke-linecap: butt}</style>\n </defs>'
           '<path style="fill: #fff; stroke-dasharray: 3.7,1.6; opacity: 0.85"/><g style=""/></svg>')
    assert without_inline_css(svg) == ('<svg stroke-linecap="butt" width="1">'
                                       '<path fill="#fff" stroke-dasharray="3.7,1.6" opacity="0.85"/><g/></svg>')


@pytest.mark.parametrize("svg", ['<svg><path style="transform: scale(2)"/></svg>',
                                 '<svg><defs><style>path { fill: red }</style></defs></svg>'])
def test_conversion_refuses_what_it_cannot_keep(svg):
    with pytest.raises(ValueError):
        without_inline_css(svg)


@pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
                    reason="pdftotext/pdftoppm not installed: install Debian's poppler-utils (.ci/run does)")
def test_pdf_still_draws_the_charts_from_their_attributes(app, client, tmp_path):
    """WeasyPrint ignores the CSP but must understand the presentation attributes: the chart text is
    there and the bars are drawn in their colour."""
    code = store_report(app)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"/r/{code}/pdf").data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # The cut-offs, one a line (body-sized text on a phone): below the bars' axis, and the radar's note.
    assert text.count("gemiddeld vanaf 50\nhoog vanaf 75") >= 2
    assert "hoog vanaf 75 (- - -)" in text
    subprocess.run(["pdftoppm", "-f", "1", "-l", "2", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    colours = set()
    for png in tmp_path.glob("page*.png"):
        colours |= {rgb for _, rgb in Image.open(png).convert("RGB").getcolors(1 << 16)}
    assert (0x1D, 0x4E, 0x89) in colours  # charts.BAR
