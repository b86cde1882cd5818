"""The report on paper and over time, in a real browser: print media, the PDF download, the radar
chart, the comparison with an earlier report, and the English version — with axe-core clean."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .flows import assert_accessible, finish_check_up, screenshot

pytestmark = pytest.mark.browser


def test_print_media_shows_the_report_without_screen_controls(live_server, live_defs, page):
    report_url = finish_check_up(page, live_server)
    print_button = page.get_by_role("button", name="Afdrukken")
    assert print_button.is_visible()  # report.js reveals it; without JavaScript it stays hidden

    page.emulate_media(media="print")
    for control in ("Download als PDF", "Afdrukken", "Bewaar mijn stappen", "Vergelijk"):
        assert not page.get_by_role("button", name=control).or_(
            page.get_by_role("link", name=control)).first.is_visible()
    assert not page.locator(".site-header").is_visible()  # brand and language switch
    assert not page.get_by_role("link", name="English").is_visible()
    # Both charts are on paper, side by side, whatever the screen showed.
    assert page.locator("figure.chart-bars svg").is_visible()
    assert page.locator("figure.chart-radar svg").is_visible()
    footer = page.locator(".print-footer")
    assert footer.is_visible()
    version = re.escape(live_defs.questionnaires["loopbaan-apk"].version)
    assert re.search(rf"Ingevuld op \d{{1,2}} \w+ \d{{4}} · versie {version}", footer.inner_text())
    # An A4 PDF of what the browser prints: the content fits, nothing is cut off.
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    page.emulate_media(media="screen")
    assert page.url == report_url


def test_pdf_download_has_the_report_text(live_server, page, tmp_path):
    finish_check_up(page, live_server)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als PDF").click()
    download = info.value
    assert re.fullmatch(r"loopbaan-apk-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename)
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed: install Debian's poppler-utils (.ci/run does)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for word in ("Jouw uitslag", "Motivatie", "Bewustzijn", "Middelen", "Kansen", "Richting", "Ruimte", "Ruggensteun"):
        assert word in text


def test_radar_chart_is_chosen_by_link_and_stays_accessible(live_server, page):
    finish_check_up(page, live_server)
    page.get_by_role("link", name="radardiagram").click()
    page.wait_for_url(re.compile(r"grafiek=radar"))
    assert page.locator("figure.chart-radar svg").is_visible()
    assert not page.locator("figure.chart-bars svg").is_visible()
    radar = page.get_by_role("img", name=re.compile("Radardiagram"))
    assert radar.is_visible()
    assert page.get_by_role("link", name="radardiagram").get_attribute("aria-current") == "true"
    assert_accessible(page)


def test_comparison_with_an_earlier_report(live_server, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="nl-NL")
    page = context.new_page()
    try:
        earlier_url = finish_check_up(page, live_server, choice=3)  # "oneens" on every item
        later_url = finish_check_up(page, live_server, choice=1)

        page.goto(later_url)
        form = page.locator("form", has=page.get_by_role("button", name="Vergelijk"))
        form.get_by_role("textbox").fill("niet-een-code")
        form.get_by_role("button", name="Vergelijk").click()
        assert page.get_by_text("Bij deze code hoort geen uitslag").is_visible()

        form = page.locator("form", has=page.get_by_role("button", name="Vergelijk"))
        form.get_by_role("textbox").fill(earlier_url)  # the whole link works as well as the code
        form.get_by_role("button", name="Vergelijk").click()
        heading = page.get_by_role("heading", name="Wat is er veranderd?")
        assert heading.is_visible()
        changes = page.locator(".changes")
        assert changes.count() >= 1
        assert re.search(r"(Motivatie|Bewustzijn|Middelen|Kansen): van \d+ naar \d+, \d+ punten? (hoger|lager) "
                         r"\((van \w+ naar \w+|bleef \w+)\)", changes.first.inner_text())
        assert earlier_url.rsplit("/", 1)[1] not in page.url  # posted, not in the query string
        assert page.get_by_role("img", name=re.compile("score van toen")).is_visible()
        screenshot(page, "report-comparison")
        assert_accessible(page)
    finally:
        context.close()


def test_english_report_and_pdf(live_server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        finish_check_up(page, live_server, choice=1, lang="en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", name=re.compile("^Your report")).is_visible()
        for label in ("Motivation", "Awareness", "Resources", "Opportunities"):
            assert page.get_by_role("row", name=re.compile(label)).is_visible()
        assert page.get_by_role("heading", name="Direction").is_visible()
        assert page.get_by_role("link", name="Download as PDF").is_visible()
        assert_accessible(page)
        with page.expect_download() as info:
            page.get_by_role("link", name="Download as PDF").click()
        data = Path(info.value.path()).read_bytes()
        if shutil.which("pdftotext"):
            path = tmp_path / "en.pdf"
            path.write_bytes(data)
            text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
            assert "Your report" in text and "Opportunities" in text
            assert "Jouw uitslag" not in text
        # The language switch on the page leads back to Dutch.
        page.get_by_role("link", name=re.compile("Nederlands")).click()
        assert page.locator("html").get_attribute("lang") == "nl"
        assert page.get_by_role("heading", name=re.compile("^Jouw uitslag")).is_visible()
    finally:
        context.close()
