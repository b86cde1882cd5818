"""Issue 17 on a 360 × 740 phone, in Dutch and English, axe clean: keeping the report (the panel, copying,
the QR code, Back, forgetting it), the comparison in points, error pages that name the link, the favicon and
meta description, and tap targets of at least 44 × 44 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .flows import (
    BUTTONS,
    PHONE,
    answer_page,
    assert_accessible,
    choose_profile,
    finish_check_up,
    phone_page,
    screenshot,
)

pytestmark = pytest.mark.browser

WORDS = {
    "nl": {"keep": "Bewaar je uitslag", "copy": "Kopieer de link", "copied": "De link is gekopieerd.",
           "pdf": "Download als PDF", "print": "Afdrukken", "forget": "Vergeet hem op dit apparaat",
           "forgotten": "Deze uitslag is vergeten op dit apparaat.",
           "forgotten_title": "Deze uitslag is vergeten op dit apparaat", "open_anyway": "Toch openen",
           "sent": "Je hebt deze check al ingevuld",
           "to_report": "naar je uitslag", "compare": "Vergelijk", "changed": "Wat is er veranderd?",
           "change": r"(Motivatie|Bewustzijn|Middelen|Kansen): van \d+ naar \d+, (\d+ punten? (hoger|lager)|even hoog) "
                     r"\((van \w+ naar \w+|bleef \w+)\)",
           "report_404": "Deze uitslag kunnen we niet vinden", "invite_404": "Deze uitnodiging kunnen we niet vinden",
           "questionnaire_404": "Deze vragenlijst bestaat niet"},
    "en": {"keep": "Keep your report", "copy": "Copy the link", "copied": "The link has been copied.",
           "pdf": "Download as PDF", "print": "Print", "forget": "Forget it on this device",
           "forgotten": "This device has forgotten the report.",
           "forgotten_title": "This device has forgotten this report", "open_anyway": "Open it anyway",
           "sent": "You have already filled in this check-up",
           "to_report": "go to your report", "compare": "Compare", "changed": "What has changed?",
           "change": r"(Motivation|Awareness|Resources|Opportunities): from \d+ to \d+, "
                     r"(\d+ points? (higher|lower)|the same) \((from \w+ to \w+|stayed \w+)\)",
           "report_404": "We cannot find this report", "invite_404": "We cannot find this invitation",
           "questionnaire_404": "This questionnaire does not exist"},
}
#: What a person taps: every visible one must be at least 44 × 44 CSS pixels (inline links in running text
#: are exempt under WCAG 2.5.8 and are not in this list).
TAP_TARGETS = ("a.button, button, .brand, .lang-switch a, label.choice, select, input[type=text], input[type=date], "
               "summary, .chart-choice a, .code-link a")


@pytest.fixture
def phone(browser, lang):
    """A phone that may use the clipboard (the copy button), in ``lang``'s locale."""
    with phone_page(browser, lang, permissions=["clipboard-read", "clipboard-write"]) as page:
        yield page


def fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def small_tap_targets(page) -> list[str]:
    """The visible tap targets smaller than 44 × 44 px, described."""
    return page.evaluate("""selector => [...document.querySelectorAll(selector)]
        .filter(e => e.offsetParent !== null || getComputedStyle(e).position === 'fixed')
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
        .map(([e, r]) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}" `
                         + `${Math.round(r.width)}×${Math.round(r.height)}`)""", TAP_TARGETS)


def test_keep_the_report_right_after_sending(live_server, phone, lang):
    page, words = phone, WORDS[lang]
    report = finish_check_up(page, live_server, lang=lang)
    panel = page.locator("#bewaar")
    heading = panel.get_by_role("heading", name=words["keep"])
    assert heading.is_visible()
    assert heading.bounding_box()["y"] < PHONE["height"]  # on the first screen
    assert panel.get_by_role("link", name=report).is_visible()
    qr = panel.get_by_role("img", name=re.compile("QR"))
    assert qr.is_visible() and qr.bounding_box()["width"] >= 100
    assert panel.get_by_role("link", name=words["pdf"]).is_visible()
    assert panel.get_by_role("button", name=words["print"]).is_visible()
    # The copy button (shown by report.js) puts the link on the clipboard and says so.
    panel.get_by_role("button", name=words["copy"]).click()
    expect(panel.get_by_role("status").filter(has_text=words["copied"])).to_be_visible()  # the clipboard answers later
    assert page.evaluate("navigator.clipboard.readText()") == report
    fits_the_phone(page)
    assert small_tap_targets(page) == []
    assert_accessible(page)
    screenshot(page, f"report-keep-{lang}")

    # Back after sending: the start page offers the report (and still a new check-up).
    page.go_back()
    page.wait_for_load_state()
    if "/stap/" in page.url:  # the browser showed the page it kept: asking for it again goes to the start page
        page.reload()
    page.wait_for_url(re.compile(r"/q/loopbaan-apk$"))
    notice = page.get_by_role("status").filter(has_text=words["sent"])
    assert notice.is_visible()
    assert page.get_by_role("button", name=BUTTONS[lang][0]).is_visible()  # a new one can begin
    fits_the_phone(page)
    assert small_tap_targets(page) == []
    assert_accessible(page)
    notice.get_by_role("link", name=words["to_report"]).click()
    page.wait_for_url(report)

    # Not theirs: forget it on this device; the start page then offers nothing.
    page.get_by_role("button", name=words["forget"]).click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("status").filter(has_text=words["forgotten"]).is_visible()
    assert_accessible(page)
    # The next person presses Back: the report is not shown without asking.
    page.go_back()
    page.wait_for_url(report)
    assert page.get_by_role("heading", level=1, name=words["forgotten_title"]).is_visible()
    assert page.locator("#summary-title").count() == 0
    fits_the_phone(page)
    assert small_tap_targets(page) == []
    assert_accessible(page)
    page.goto(f"{live_server}/q/loopbaan-apk")
    assert page.get_by_role("status").filter(has_text=words["sent"]).count() == 0
    # Their own after all: "Toch openen" shows it, without the panel first or the forget button.
    page.goto(report)
    page.get_by_role("button", name=words["open_anyway"]).click()
    page.wait_for_url(report)
    assert page.get_by_role("button", name=words["forget"]).count() == 0
    assert page.locator("#bewaar").bounding_box()["y"] > page.locator("#summary-title").bounding_box()["y"]


def test_keep_panel_without_javascript(live_server, browser, lang):
    """Progressive enhancement: the link is there as text, only the buttons that need JavaScript stay away."""
    context = browser.new_context(viewport=PHONE, locale="nl-NL", is_mobile=True, java_script_enabled=False)
    page = context.new_page()
    try:
        words = WORDS[lang]
        report = finish_check_up(page, live_server, lang=lang)
        panel = page.locator("#bewaar")
        assert panel.get_by_role("link", name=report).is_visible()
        assert panel.get_by_role("button", name=words["copy"]).count() == 0  # hidden: it would do nothing
        assert panel.get_by_role("button", name=words["print"]).count() == 0
        assert panel.get_by_role("link", name=words["pdf"]).is_visible()
        panel.get_by_role("button", name=words["forget"]).click()  # a plain form post
        page.wait_for_url(f"{live_server}/")
        assert page.get_by_text(words["forgotten"]).is_visible()
    finally:
        context.close()


def test_comparison_in_points_posted_not_in_the_url(live_server, phone, lang):
    page, words = phone, WORDS[lang]
    earlier = finish_check_up(page, live_server, choice=3, lang=lang)
    later = finish_check_up(page, live_server, choice=1, lang=lang)
    page.goto(later)
    form = page.locator("form.compare-form")
    form.get_by_role("textbox").fill(earlier)
    form.get_by_role("button", name=words["compare"]).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name=words["changed"]).is_visible()
    lines = page.locator(".changes li").all_inner_texts()
    assert len(lines) == 4
    for line in lines:
        assert re.fullmatch(words["change"], line), line
    earlier_code = earlier.rsplit("/", 1)[1]
    assert earlier_code not in page.url
    assert not [url for url in page.evaluate("[...document.querySelectorAll('a[href], form[action]')]"
                                             ".map(e => e.href || e.action)") if earlier_code in url]
    fits_the_phone(page)
    assert small_tap_targets(page) == []
    assert_accessible(page)
    screenshot(page, f"report-comparison-phone-{lang}")
    # The PDF of the comparison is a form post too.
    with page.expect_download() as info:
        page.get_by_role("button", name=words["pdf"]).click()
    assert info.value.suggested_filename.startswith("loopbaan-apk-")
    assert earlier_code not in info.value.url


def test_error_pages_name_the_link(live_server, phone, lang):
    page, words = phone, WORDS[lang]
    for path, heading in ((f"/r/{'Zz9' + 'x' * 27}", "report_404"), (f"/c/{'Qq7' + 'y' * 19}", "invite_404"),
                          ("/q/geen-vragenlijst", "questionnaire_404")):
        response = page.goto(f"{live_server}{path}?lang={lang}")
        assert response.status == 404
        assert page.get_by_role("heading", level=1, name=words[heading]).is_visible()
        fits_the_phone(page)
        assert small_tap_targets(page) == []
        assert_accessible(page)


def test_favicon_meta_description_and_tap_targets_on_public_pages(live_server, phone, lang):
    page = phone
    page.goto(f"{live_server}/?lang={lang}")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(live_server + icon)
    assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert len(page.locator("meta[name=description]").get_attribute("content")) >= 50
    # The language switch is a tap target of its own.
    switch = page.locator(".lang-switch a").bounding_box()
    assert switch["width"] >= 44 and switch["height"] >= 44
    assert small_tap_targets(page) == []
    assert_accessible(page)
    page.goto(f"{live_server}/q/loopbaan-apk")
    assert page.locator("meta[name=description]").count() == 1
    assert small_tap_targets(page) == []
    choose_profile(page)
    page.get_by_role("button", name=BUTTONS[lang][0]).click()
    answer_page(page, choice=1)
    assert small_tap_targets(page) == []  # a question page with its answers chosen
    assert page.locator("meta[name=description]").count() == 0  # a private page
    assert_accessible(page)
