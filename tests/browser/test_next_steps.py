"""A worker picks next steps on the report, puts them in a calendar, then deletes the answers."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from icalendar import Calendar

from .flows import assert_accessible, finish_check_up, screenshot

pytestmark = pytest.mark.browser


def test_worker_chooses_steps_downloads_calendar_and_deletes_answers(live_server, page):
    report_url = finish_check_up(page, live_server)
    section = page.locator("#volgende-stappen")
    assert section.get_by_role("heading", name="Mijn volgende stappen").is_visible()
    form = section.locator("form")

    # Two steps from different knobs, each with its date, chosen the way a person does it.
    ruimte = form.get_by_role("group", name="Knop: Ruimte")
    steun = form.get_by_role("group", name="Knop: Ruggensteun")
    first_title = ruimte.locator("label.choice").first.inner_text().strip()
    second_title = steun.locator("label.choice").first.inner_text().strip()
    first_date, second_date = date.today() + timedelta(days=14), date.today() + timedelta(days=40)
    ruimte.get_by_label(first_title, exact=True).check()
    ruimte.get_by_label(f"Datum: {first_title}").fill(first_date.isoformat())
    steun.get_by_label(second_title, exact=True).check()
    steun.get_by_label(f"Datum: {second_title}").fill(second_date.isoformat())
    form.get_by_role("button", name="Bewaar mijn stappen").click()
    page.wait_for_url(re.compile(r"/r/[\w-]{22,}#volgende-stappen$"))

    saved = section.locator("ol.step-list > li")
    assert saved.count() == 2
    assert saved.nth(0).get_by_role("heading").inner_text() == first_title  # earliest date first
    assert saved.nth(1).get_by_role("heading").inner_text() == second_title
    assert "Knop: Ruimte" in saved.nth(0).inner_text()
    assert format_date(first_date, "full", locale="nl") in saved.nth(0).inner_text()
    assert section.locator("details").get_attribute("open") is None  # the form folds away once saved
    assert_accessible(page)
    screenshot(page, "report-with-steps")

    with page.expect_download() as info:
        section.get_by_role("link", name=re.compile("agenda")).click()
    download = info.value
    assert download.suggested_filename == "mijn-volgende-stappen.ics"
    data = Path(download.path()).read_bytes()
    assert report_url.rsplit("/", 1)[1].encode() not in data
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in events] == [
        (first_title, first_date), (second_title, second_date)]
    assert all(e.walk("VALARM") for e in events)

    page.get_by_role("link", name="Verwijder mijn antwoorden").click()
    page.wait_for_url(re.compile(r"/verwijderen$"))
    assert page.get_by_text("Weet je het zeker? Dit kan niet ongedaan worden.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Ja, verwijder")).click()
    assert page.get_by_role("heading", name="Je antwoorden zijn verwijderd").is_visible()
    assert_accessible(page)

    gone = page.goto(report_url)
    assert gone.status == 404
    assert page.get_by_role("heading", name="Deze uitslag kunnen we niet vinden").is_visible()


def test_too_many_steps_show_the_message_in_the_form(live_server, page):
    finish_check_up(page, live_server)
    form = page.locator("#volgende-stappen form")
    boxes = form.locator("input[type=checkbox]")
    for n in range(4):
        boxes.nth(n).check()
    form.locator("input[type=date]").first.fill((date.today() + timedelta(days=3)).isoformat())
    form.get_by_role("button", name="Bewaar mijn stappen").click()
    alert = page.get_by_role("alert")
    assert "Kies maximaal drie stappen" in alert.inner_text()
    assert form.locator("#step-error").is_visible()
    assert form.locator(".step-when .error").count() == 3  # the three ticked steps without a date
    # The message is announced with the group it belongs to.
    describedby = form.locator("fieldset.steps-set").get_attribute("aria-describedby")
    assert "step-error" in describedby.split()
    assert page.locator("ol.step-list").count() == 0  # nothing was saved
    assert_accessible(page)

