"""A person fills in both questionnaires in a real browser and reads the report."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEFAULT_MODEL

from .flows import answer_every_page, answer_page, assert_accessible, choose_profile, finish_check_up, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.both_models
def test_worker_fills_in_check_up_on_a_phone_and_reads_report(live_server, live_defs, phone, definitions_dir):
    page = phone
    page.goto(live_server + "/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Begin.*Loopbaan", re.S)).click()
    assert page.get_by_text(re.compile(r"Stap 1 van \d")).is_visible()
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    assert page.get_by_text(re.compile(r"Stap 2 van \d")).is_visible()
    assert_accessible(page)
    # Nothing fits wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shots = definitions_dir == DEFAULT_MODEL  # the README's screenshots are of the default model
    if shots:
        screenshot(page, "question-page")

    steps = int(re.search(r"Stap 2 van (\d)", page.content()).group(1))
    for step in range(2, steps + 1):
        answer_page(page, choice=1 + step % 3)
        page.get_by_role("button", name=re.compile("Volgende|Versturen")).click()
    page.wait_for_url(re.compile(r"/r/[\w-]{22,}$"))
    assert page.get_by_role("heading", name=re.compile("Jouw uitslag")).is_visible()
    for knob in ("Richting", "Ruimte", "Ruggensteun"):
        assert page.get_by_role("heading", name=knob).is_visible()
    assert page.locator("figure svg:visible").count() == 1  # bars; the radar only in print or on request
    factors = page.locator("table.scores").first.locator("tbody th")
    assert factors.all_inner_texts() == [f.label.nl for f in live_defs.model.factors]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    if shots:
        screenshot(page, "report")


def test_validation_message_appears_next_to_the_missing_item(live_server, page):
    page.goto(live_server + "/q/loopbaan-apk")
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Volgende").click()  # nothing answered
    first = page.locator("fieldset").first
    assert first.get_by_text("Kies een antwoord bij deze vraag.").is_visible()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)


def test_keyboard_only_person_can_answer_and_go_back(live_server, page):
    page.goto(live_server + "/q/leercultuur")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Naar de inhoud"
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/stap/1$"))  # count the question page's groups, not the profile's
    groups = page.locator("fieldset").count()
    page.locator("fieldset input").first.focus()
    for _ in range(groups):
        page.keyboard.press("ArrowRight")  # moves to, and checks, the next option in the group
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Tab")
    assert page.locator("fieldset input:checked").count() == groups
    page.keyboard.press("Enter")  # the first button is "Volgende"
    page.wait_for_url(re.compile(r"/stap/2$"))
    page.get_by_role("button", name="Vorige").click()
    page.wait_for_url(re.compile(r"/stap/1$"))
    assert page.locator("fieldset input:checked").count() == groups


def test_employer_completes_scan_and_sees_knob_scores(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("link", name=re.compile("Begin.*Leercultuur", re.S)).click()
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    answer_every_page(page, choice=3)
    assert page.get_by_role("heading", name="Scores per knop").is_visible()
    assert_accessible(page)


def test_english_home_page(live_server, page):
    page.goto(live_server + "/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page)


def test_back_after_sending_and_sending_again_shows_the_same_report(live_server, phone):
    """Press Back after sending, send the last page again: the same report, saying it was sent already;
    the start page then offers the report. Both pages pass axe."""
    page = phone
    report = finish_check_up(page, live_server)
    page.go_back()
    page.wait_for_load_state()
    if "/stap/" in page.url:  # the browser kept the last page: send it again as it is
        answer_page(page, choice=2)
        page.get_by_role("button", name="Versturen").click()
        page.wait_for_url(re.compile(r"/r/[\w-]{22,}$"))
        assert page.url == report
        assert page.get_by_role("status").filter(has_text="Je hebt deze check al verstuurd").is_visible()
        assert_accessible(page)
    else:  # the browser asked for the page again: it is gone, and the start page says why
        assert page.url.endswith("/q/loopbaan-apk")
    page.goto(f"{live_server}/q/loopbaan-apk")
    notice = page.get_by_role("status").filter(has_text="Je hebt deze check al ingevuld")
    assert notice.is_visible()
    assert_accessible(page)
    screenshot(page, "start-after-sending")
    notice.get_by_role("link", name="naar je uitslag").click()
    page.wait_for_url(report)


def test_a_check_up_moves_from_phone_to_laptop_with_its_resume_link(live_server, phone, page):
    """The phone's link, opened on a laptop, asks first; going on gives the laptop a new link, and the
    phone is told its link was replaced (axe clean on both pages)."""
    phone.goto(live_server + "/q/loopbaan-apk")
    choose_profile(phone)
    phone.get_by_role("button", name="Volgende").click()
    answer_page(phone, choice=2)
    phone.get_by_role("button", name="Volgende").click()
    old_link = phone.locator(".resume .code-link a").inner_text()

    laptop = page
    laptop.goto(old_link)
    assert laptop.get_by_role("heading", name="Verder met een check die al begonnen is?").is_visible()
    assert_accessible(laptop)
    laptop.get_by_role("button", name="Ja, ga verder").click()
    laptop.wait_for_url(re.compile(r"/q/loopbaan-apk/stap/\d$"))
    new_link = laptop.locator(".resume .code-link a").inner_text()
    assert new_link != old_link
    laptop.get_by_role("button", name="Vorige").click()
    assert laptop.locator("input[type=radio]:checked").count() > 0  # the phone's answers are here

    phone.reload()
    assert phone.get_by_role("heading", name="Deze link is vervangen; ga verder met de nieuwe").is_visible()
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
