"""A worker writes a development plan on a 360 px phone, fixes a mistake, saves steps without losing it,
and puts the look-back date in the calendar only by ticking that; in Dutch and in English."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from .flows import assert_accessible, finish_check_up, phone_page, screenshot

pytestmark = pytest.mark.browser

WORDS = {
    "nl": {"title": "Mijn ontwikkelplan", "goal": "Wat wil je bereiken?", "helper": "Wie helpt je daarbij?",
           "date": "Wanneer kijk je terug?", "tick": "Zet de datum om terug te kijken in mijn agenda-bestand",
           "save": "Bewaar mijn plan", "not_saved": "Je plan is nog niet bewaard", "change": "Pas mijn plan aan",
           "need_date": "Kies een datum om terug te kijken. Die datum komt in je agenda.",
           "steps": "Bewaar mijn stappen", "look_back": "Terugkijken op mijn plan",
           "text": "Ik wil volgend jaar leren lassen, ook als dat buiten mijn werk is."},
    "en": {"title": "My development plan", "goal": "What do you want to achieve?", "helper": "Who helps you with it?",
           "date": "When will you look back?", "tick": "Put the date to look back into my calendar file",
           "save": "Save my plan", "not_saved": "Your plan has not been saved yet", "change": "Change my plan",
           "need_date": "Choose a date to look back. That date goes into your calendar.",
           "steps": "Save my steps", "look_back": "Look back on my plan",
           "text": "Next year I want to learn to weld, even if that is outside my job."},
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_worker_writes_a_plan_on_a_phone(live_server, browser, lang):
    words = WORDS[lang]
    with phone_page(browser, lang) as page:
        finish_check_up(page, live_server, lang=lang)
        section = page.locator("#mijn-plan")
        section.scroll_into_view_if_needed()
        assert section.get_by_role("heading", name=words["title"]).is_visible()
        form = section.locator("form")
        form.get_by_label(words["goal"]).fill(words["text"])
        form.get_by_label(words["helper"]).fill("Leerwerkloket")
        form.get_by_label(words["tick"]).check()  # ticked, but no date yet: a clear message, nothing lost
        form.get_by_role("button", name=words["save"]).click()
        expect(page.get_by_role("heading", name=words["not_saved"])).to_be_visible()
        expect(page.locator("#look_back-error")).to_have_text(re.compile(re.escape(words["need_date"]) + "$"))
        assert page.get_by_label(words["goal"]).input_value() == words["text"]
        assert_accessible(page)
        # The date field's box fits the phone's width.
        box = page.get_by_label(words["date"]).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360

        day = date.today() + timedelta(days=180)
        page.get_by_label(words["date"]).fill(day.isoformat())
        page.locator("#mijn-plan form").get_by_role("button", name=words["save"]).click()
        page.wait_for_url(re.compile(r"/r/[\w-]{22,}#mijn-plan$"))
        saved = page.locator("#mijn-plan .plan-saved")
        assert words["text"] in saved.inner_text() and "Leerwerkloket" in saved.inner_text()
        assert page.locator("#mijn-plan details").get_attribute("open") is None
        assert_accessible(page)
        screenshot(page, f"report-plan-{lang}")

        # Saving next steps afterwards keeps the plan.
        steps = page.locator("#volgende-stappen form")
        steps.locator("input[type=checkbox]").first.check()
        steps.locator("input[type=date]").first.fill((date.today() + timedelta(days=7)).isoformat())
        steps.get_by_role("button", name=words["steps"]).click()
        page.wait_for_url(re.compile(r"#volgende-stappen$"))
        assert words["text"] in page.locator("#mijn-plan .plan-saved").inner_text()

        with page.expect_download() as info:
            page.locator("#mijn-plan").get_by_role("link", name=re.compile("(agenda|calendar)")).click()
        events = Calendar.from_ical(Path(info.value.path()).read_bytes()).walk("VEVENT")
        assert (words["look_back"], day) in [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events]
