"""The team report reads at every width and on paper (issue 18): alpha explained for every value, and
the team PDF read back page by page with pdftotext — no nearly empty page, no page holding only a
heading or ending on one, the page number on one line.

The layout at 1280 and 360 px is checked in a browser: tests/browser/test_layout_followup.py.
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import subprocess

import pytest

from app.team.reading import alpha_level
from tests.support.team_data import EMPLOYER_BY_KNOB, WORKERS, fill, logged_in, make_campaign

LONG_TITLE = "Nulmeting leercultuur en loopbaan-APK voor alle vestigingen in Noord-Nederland, voorjaar"
MM = 72 / 25.4  # PDF points per millimetre


@pytest.mark.parametrize(("alpha", "level"), [(None, "none"), (-7.0, "low"), (0.59, "low"), (0.6, "enough"),
                                              (0.79, "enough"), (0.8, "good"), (1.0, "good")])
def test_every_alpha_has_a_level(alpha, level):
    assert alpha_level(alpha) == level


@pytest.fixture
def team(app):
    """Five workers (three in Productie, two in Kantoor), the employer, and an earlier campaign to compare."""
    earlier_id, org_id, _ = make_campaign(app, title="Nulmeting 2025")
    fill(app, earlier_id, WORKERS)
    from datetime import date

    campaign_id, _org, deps = make_campaign(app, title=LONG_TITLE, departments=("Productie", "Kantoor"),
                                            org_id=org_id, opens_on=date(2026, 4, 1))
    fill(app, campaign_id, WORKERS, [deps["Productie"]] * 3 + [deps["Kantoor"]] * 2, employers=[EMPLOYER_BY_KNOB])
    return campaign_id, earlier_id, logged_in(app, "adviseur@example.org", (org_id,))


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


@pytest.mark.parametrize(("lang", "words", "legend"), [
    ("nl", ["1,00 (goed)", "0,99 (goed)", "-7,00 (laag)", "– (niet te berekenen)"], "Vanaf 0,8 is dat goed"),
    ("en", ["1.00 (good)", "0.99 (good)", "-7.00 (low)", "– (not computable)"], "From 0.8 on that is good")])
def test_the_report_names_the_level_of_every_alpha(app, team, lang, words, legend):
    campaign_id, _earlier, advisor = team
    text = _text(advisor.get(f"/advisor/campaigns/{campaign_id}/report?lang={lang}"))
    table = text[text.index("Motiva" if lang == "nl" else "Motivation"):]
    for w in words:
        assert w in table
    assert legend in text


def _pages(path) -> list[tuple[float, list[tuple[float, float, str]]]]:
    """Per page its height and its words as (top, bottom, text), from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.finditer(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [(float(top), float(bottom), word) for top, bottom, word in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', page[2])]
        pages.append((float(page[1]), words))
    return pages


def _lines(words: list[tuple[float, float, str]]) -> list[str]:
    lines: dict[int, list[str]] = {}
    for top, _bottom, word in words:
        lines.setdefault(round(top), []).append(word)
    return [" ".join(lines[y]) for y in sorted(lines)]


def _captions(html: str) -> list[str]:
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", html, re.S)]


def _figure_at_top(words: list[tuple[float, float, str]], captions: list[str]) -> float | None:
    """The height of the figure a page opens with (from its first word to its caption's first line), or
    None when the page opens with text: a figure never splits, so one that does not fit goes on."""
    by_line: dict[int, list[tuple[float, float, str]]] = {}
    for word in words:
        by_line.setdefault(round(word[0]), []).append(word)
    top = min(w[0] for w in words)
    for y in sorted(by_line):
        line = htmllib.unescape(" ".join(w[2] for w in by_line[y]))
        if any(caption.startswith(line) for caption in captions):
            return max(w[1] for w in by_line[y]) - top if y != round(top) else None
    return None


def _headings(html: str) -> set[str]:
    return {" ".join(re.sub(r"<[^>]+>", " ", h).split())
            for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)}


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext not installed (Debian's poppler-utils)")
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("compare", [False, True])
def test_the_team_pdf_page_by_page(app, team, tmp_path, lang, compare):
    campaign_id, earlier_id, advisor = team
    query = f"?lang={lang}" + (f"&vergelijk={earlier_id}" if compare else "")
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/report.pdf{query}")
    assert response.status_code == 200
    html = advisor.get(f"/advisor/campaigns/{campaign_id}/report{query}").get_data(as_text=True)
    headings, captions = _headings(html), [htmllib.unescape(c) for c in _captions(html)]
    path = tmp_path / "team.pdf"
    path.write_bytes(response.data)
    pages = _pages(path)
    assert len(pages) >= 2
    for number, (height, words) in enumerate(pages, 1):
        foot = height - 20 * MM  # the bottom margin: the running footer
        body = [w for w in words if w[1] <= foot]
        lines = _lines(body)
        assert lines, f"page {number} is empty"
        # Never a page holding only headings, and never one that ends on a heading.
        assert [line for line in lines if line not in headings], f"page {number} holds only a heading: {lines}"
        assert lines[-1] not in headings, f"page {number} ends on the heading {lines[-1]!r}"
        if number < len(pages):
            # Every page but the last is filled for at least half, unless the next page opens with a
            # figure that was taller than the room left here.
            used = max(w[1] for w in body)
            figure = _figure_at_top([w for w in pages[number][1] if w[1] <= pages[number][0] - 20 * MM], captions)
            assert used > 0.5 * foot or (figure is not None and figure > foot - used), \
                f"page {number} is nearly empty: {lines}"
        # The page number is one line: "3 / 6", not "3 /" over "6".
        footer = _lines([w for w in words if w[0] > foot])
        assert f"{number} / {len(pages)}" in footer, (number, footer)
    text = " ".join(" ".join(_lines(words)) for _h, words in pages)
    assert ("Nulmeting en vervolg" in text or "Baseline and follow-up" in text) == compare
