"""The strict Content-Security-Policy breaks nothing: no page triggers a violation, charts keep their looks."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

import app.rendering.charts as charts

from .flows import ADMIN_PASSWORD, choose_profile

pytestmark = pytest.mark.browser

# Runs before any page script, through DevTools, so the CSP does not block it.
COLLECT = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""
WORKER = {"sector": "techniek", "age_band": "45_54", "education": "practical", "contract": "flex",
          "org_size": "10_49"}
BAR = "rgb(29, 78, 137)"  # charts.BAR


@pytest.fixture
def strict_page(browser):
    """A page that records CSP violations (events and console messages) in ``page.violations()``."""
    context = browser.new_context(viewport={"width": 1024, "height": 800}, locale="nl-NL")
    context.add_init_script(COLLECT)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.violations = lambda: page.evaluate("window.__csp") + console
    yield page
    context.close()


def store(page, base: str, value: int) -> str:
    """A completed worker report stored through the API; its code."""
    answers = {item["id"]: value for section in
               page.request.get(f"{base}/api/v1/questionnaires/loopbaan-apk").json()["sections"]
               for item in section["items"]}
    response = page.request.post(f"{base}/api/v1/questionnaires/loopbaan-apk/responses",
                                 data={"answers": answers, "profile": WORKER})
    assert response.status == 201, response.text()
    return response.json()["report_code"]


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_load_state("load")
    assert page.violations() == [], url


def bar_fills(page) -> set[str]:
    return set(page.eval_on_selector_all("figure svg path", "els => els.map(e => getComputedStyle(e).fill)"))


def test_respondent_pages_cause_no_csp_violation(live_server, strict_page):
    page = strict_page
    visit(page, live_server + "/")
    visit(page, live_server + "/q/loopbaan-apk")
    page.get_by_role("button", name="Volgende").click()  # errors shown next to the fields
    assert page.get_by_role("alert").first.is_visible()
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/stap/1$"))
    assert page.violations() == []
    visit(page, live_server + "/bestaat-niet")


def test_report_with_every_chart_and_next_steps_causes_no_csp_violation(live_server, strict_page):
    page = strict_page
    earlier = store(page, live_server, 2)
    code = store(page, live_server, 4)
    report = f"{live_server}/r/{code}"

    visit(page, report)
    assert BAR in bar_fills(page)  # the chart's colours survive the CSP
    visit(page, report + "?grafiek=radar")
    assert page.locator("figure.chart-radar svg").is_visible()
    visit(page, report)
    form = page.locator("form.compare-form")  # a POST: the earlier code goes in the body, not the URL
    form.get_by_role("textbox").fill(earlier)
    form.get_by_role("button", name="Vergelijk").click()
    page.wait_for_load_state("load")
    assert earlier not in page.url
    assert page.violations() == []
    page.get_by_role("button", name="Kopieer de link").click()  # report.js copies the link
    # The clipboard answers asynchronously (granted or refused): wait for the status to say which.
    expect(page.get_by_role("status").filter(has_text="gekopieerd").or_(
        page.get_by_role("status").filter(has_text="Kopiëren lukte niet"))).to_be_visible(timeout=15_000)
    compare = page.locator("svg[id^='compare-'], svg:has(g[id^='compare-'])")
    assert compare.count() == 1 and compare.is_visible()
    assert BAR in set(compare.locator("path").evaluate_all("els => els.map(e => getComputedStyle(e).fill)"))

    visit(page, report)
    steps = page.locator("#volgende-stappen form")
    steps.locator("input[type=checkbox]").first.check()
    steps.get_by_role("button").last.click()
    page.wait_for_load_state("load")
    assert page.violations() == []
    visit(page, report + "/verwijderen")


def test_advisor_pages_cause_no_csp_violation(live_server, strict_page, admin):
    page = strict_page
    visit(page, live_server + "/advisor/")
    page.get_by_label("E-mailadres").fill(admin)
    page.get_by_label("Wachtwoord").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server + "/advisor/")
    for path in ("/advisor/", "/advisor/organisations/new", "/advisor/advisors"):
        visit(page, live_server + path)
        assert page.locator("form").count() >= 1, path
    assert page.violations() == []


def test_charts_look_the_same_as_with_matplotlibs_own_css(page, monkeypatch):
    """Each chart, drawn with matplotlib's style attributes and with our presentation attributes, renders
    to the same pixels."""
    from PIL import Image, ImageChops

    bars = [charts.Bar("Motivatie", 62, "62 · gemiddeld"), charts.Bar("Kansen", None, "te weinig antwoorden"),
            charts.Bar("Middelen", 81, "81 · hoog")]
    draw = [lambda: charts.profile_bars(bars, (50, 75), "Profiel", ("gemiddeld vanaf 50", "hoog vanaf 75")),
            lambda: charts.profile_radar(bars, (50, 75), "Profiel", ("gemiddeld vanaf 50", "hoog vanaf 75")),
            lambda: charts.profile_compare([charts.Pair("Motivatie", 40, 70)], (50, 75), "Toen en nu",
                                           ("Eerder", "Nu"), ("eerder", "nu"))]

    def shot(svg: str):
        page.set_content(f"<!doctype html><body>{svg}</body>")
        return Image.open(io.BytesIO(page.locator("svg").screenshot())).convert("RGB")

    converted = [shot(d()) for d in draw]
    monkeypatch.setattr(charts, "without_inline_css", lambda svg: svg)
    for ours, draw_original in zip(converted, draw, strict=True):
        original = draw_original()
        assert "style=" in original
        assert ImageChops.difference(ours, shot(original)).getbbox() is None
