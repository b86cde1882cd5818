"""Mijn volgende stappen: choosing up to three steps with dates, the rules, and the .ics download."""

from __future__ import annotations

import html as htmllib
import re
from datetime import timedelta

import pytest
from flask_babel import format_date
from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.models import NextStep
from tests.support.flows import csrf_token
from tests.support.steps import Report, finish_report, in_days, post_steps


@pytest.fixture
def report(client, defs) -> Report:
    return finish_report(client, defs.questionnaires["loopbaan-apk"])


@pytest.fixture
def stored(app):
    """A function returning the stored steps as (intervention id, knob, due date, position), in order."""
    def load() -> list[tuple]:
        with app.app_context():
            rows = db.session.scalars(select(NextStep).order_by(NextStep.response_id, NextStep.position))
            return [(s.intervention_id, s.knob, s.due_date, s.position) for s in rows]
    return load


def steps_section(html: str) -> str:
    start = html.index('id="volgende-stappen"')
    return html[start:html.index("</section>", start)]


def saved_list(html: str) -> str:
    """The saved list only (not the form, which repeats the titles)."""
    match = re.search(r'<ol class="step-list print-keep">(.*?)</ol>', html, re.S)
    return match.group(1) if match else ""


def error_of(html: str, rec_id: str) -> str:
    match = re.search(rf'<p class="error" id="when_{re.escape(rec_id)}-error">(.*?)</p>', html, re.S)
    assert match, f"no error message at the date of {rec_id}"
    return htmllib.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def calendar_of(response) -> Calendar:
    assert response.status_code == 200
    return Calendar.from_ical(response.data)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_chosen_steps_are_stored_in_date_order_and_shown(app, client, report, stored, count):
    recs = report.recs[::3][:count]  # one from each knob
    picks = {rec["id"]: in_days(30 - 7 * n) for n, rec in enumerate(recs)}  # later knobs get earlier dates
    response = post_steps(client, report, picks)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{report.url}#volgende-stappen")
    expected = sorted(((rec["id"], rec["knob"], picks[rec["id"]]) for rec in recs), key=lambda s: s[2])
    assert stored() == [(*s, n) for n, s in enumerate(expected, start=1)]
    page = client.get(report.url).get_data(as_text=True)
    listed = saved_list(page)
    positions = [listed.index(htmllib.escape(rec["title"])) for rec in recs]
    assert positions == sorted(positions, reverse=True)  # date order, not report order
    with app.test_request_context():
        for rec in recs:
            assert format_date(picks[rec["id"]], "full") in htmllib.unescape(listed)
    assert "Knop:</strong> Richting" in listed
    assert 'href="/r/' in steps_section(page) and "stappen.ics" in steps_section(page)


def test_form_shows_saved_steps_checked_with_their_dates(client, report):
    rec = report.recs[1]
    post_steps(client, report, {rec["id"]: in_days(10)})
    section = steps_section(client.get(report.url).get_data(as_text=True))
    assert re.search(rf'<input checked id="step-\d" name="step" type="checkbox" value="{rec["id"]}">', section)
    assert section.count("<input checked") == 1
    assert f'value="{in_days(10).isoformat()}"' in section


def test_four_steps_are_refused_with_a_message_and_nothing_changes(client, report, stored):
    first = {report.recs[0]["id"]: in_days(5)}
    post_steps(client, report, first)
    before = stored()
    response = post_steps(client, report, {rec["id"]: in_days(9) for rec in report.recs[:4]})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="step-error"' in html
    assert "Kies maximaal drie stappen. Je koos er nu 4." in htmllib.unescape(html)
    assert 'aria-describedby="steps-hint step-error"' in html
    assert 'role="alert"' in html
    assert stored() == before


def test_step_without_date_gets_a_message_at_its_date(client, report, stored):
    with_date, without = report.recs[0]["id"], report.recs[4]["id"]
    response = post_steps(client, report, {with_date: in_days(3), without: None})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error_of(html, without) == "! Kies een datum voor deze stap."
    assert f'aria-describedby="when_{without}-error"' in html
    assert 'aria-invalid="true"' in html
    assert f'id="when_{with_date}-error"' not in html
    assert stored() == []  # all or nothing: the valid step was not stored either
    # What was typed stays: the chosen boxes are still checked, the date still filled in.
    assert html.count("<input checked") == 2
    assert f'value="{in_days(3).isoformat()}"' in html


def test_date_in_the_past_gets_a_message(client, report, stored):
    rec_id = report.recs[2]["id"]
    response = post_steps(client, report, {rec_id: in_days(-1)})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), rec_id) == "! Deze datum is al voorbij. Kies vandaag of later."
    assert stored() == []


def test_today_is_allowed_and_far_future_is_not(client, report, stored):
    today_id, far_id = report.recs[0]["id"], report.recs[1]["id"]
    response = post_steps(client, report, {today_id: in_days(0), far_id: in_days(6 * 366)})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error_of(html, far_id) == "! Kies een datum binnen vijf jaar."
    assert f'id="when_{today_id}-error"' not in html
    assert post_steps(client, report, {today_id: in_days(0)}).status_code == 302
    assert [s[2] for s in stored()] == [in_days(0)]


def test_dutch_date_notation_is_accepted_and_nonsense_is_not(client, report, stored):
    rec_id = report.recs[0]["id"]
    response = post_steps(client, report, {rec_id: "morgen"})
    assert response.status_code == 400
    assert error_of(response.get_data(as_text=True), rec_id) == "! Vul een datum in zoals 31-12-2026."
    assert stored() == []
    response = post_steps(client, report, {rec_id: in_days(4).strftime("%d-%m-%Y")})
    assert response.status_code == 302
    assert [s[2] for s in stored()] == [in_days(4)]


def test_a_date_without_a_chosen_step_is_ignored(client, report, stored):
    chosen, not_chosen = report.recs[0]["id"], report.recs[1]["id"]
    response = post_steps(client, report, {chosen: in_days(2)}, extra={f"when_{not_chosen}": "rubbish"})
    assert response.status_code == 302
    assert [s[0] for s in stored()] == [chosen]


@pytest.mark.parametrize("picks", [
    {"bestaat-niet": "2099-01-01"},
    {"je-werk-over-vijf-jaar-maar-anders": "2099-01-01"},
])
def test_unknown_intervention_is_400_and_stores_nothing(client, report, stored, picks):
    picks = {report.recs[0]["id"]: in_days(3), **picks}
    response = post_steps(client, report, picks)
    assert response.status_code == 400
    assert stored() == []


def test_recommendation_of_another_knob_set_is_unknown(client, report, stored, defs):
    """An intervention from the catalog that this report did not recommend is just as unknown."""
    recommended = {rec["id"] for rec in report.recs}
    other = next(i.id for i in defs.catalog.interventions if i.id not in recommended)
    assert post_steps(client, report, {other: in_days(3)}).status_code == 400
    assert stored() == []


def test_choosing_again_replaces_the_set(client, report, stored):
    a, b, c = (report.recs[i]["id"] for i in (0, 3, 6))
    post_steps(client, report, {a: in_days(5), b: in_days(6)})
    response = post_steps(client, report, {b: in_days(1), c: in_days(2)})  # b stays, with a new date
    assert response.status_code == 302
    assert [(s[0], s[2], s[3]) for s in stored()] == [(b, in_days(1), 1), (c, in_days(2), 2)]
    listed = saved_list(client.get(report.url).get_data(as_text=True))
    assert htmllib.escape(report.recs[0]["title"]) not in listed
    # Choosing nothing clears the set.
    assert post_steps(client, report, {}).status_code == 302
    assert stored() == []


def test_post_without_csrf_token_is_400(client, report, stored):
    response = post_steps(client, report, {report.recs[0]["id"]: in_days(3)}, with_token=False)
    assert response.status_code == 400
    assert stored() == []


def test_steps_of_unknown_report_are_404(client):
    token = csrf_token(client.get("/q/loopbaan-apk").get_data(as_text=True))
    response = client.post("/r/abcdefghijklmnopqrstuvwxyz/stappen", data={"csrf_token": token})
    assert response.status_code == 404
    assert client.get("/r/abcdefghijklmnopqrstuvwxyz/stappen.ics").status_code == 404


def test_report_without_steps_has_no_calendar(client, report):
    assert client.get(f"{report.url}/stappen.ics").status_code == 404
    assert "stappen.ics" not in steps_section(client.get(report.url).get_data(as_text=True))


def test_calendar_has_one_event_per_step_with_reminder_and_no_code(client, report):
    recs = [report.recs[0], report.recs[5]]
    picks = {recs[0]["id"]: in_days(20), recs[1]["id"]: in_days(8)}
    post_steps(client, report, picks)
    response = client.get(f"{report.url}/stappen.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mijn-volgende-stappen.ics"'
    assert response.headers["Cache-Control"] == "no-store"
    assert report.code.encode() not in response.data
    assert b"/r/" not in response.data
    cal = calendar_of(response)
    assert str(cal["VERSION"]) == "2.0" and "Regiekompas" in str(cal["PRODID"])
    events = cal.walk("VEVENT")
    assert len(events) == 2
    by_title = {str(e["SUMMARY"]): e for e in events}
    assert set(by_title) == {rec["title"] for rec in recs}
    for rec in recs:
        event = by_title[rec["title"]]
        due = picks[rec["id"]]
        assert event.decoded("DTSTART") == due  # a date: an all-day event
        assert event.decoded("DTEND") == due + timedelta(days=1)
        assert rec["text"] in str(event["DESCRIPTION"])
        assert "Eerste stap:" in str(event["DESCRIPTION"])
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(hours=-15)  # 09:00 the day before
        assert str(event["UID"]).endswith(f"-{rec['id']}@regiekompas")
    # Downloading again gives the same UIDs, so a calendar app updates instead of doubling.
    again = calendar_of(client.get(f"{report.url}/stappen.ics"))
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)


def test_calendar_uids_differ_between_reports(app, client, defs):
    first = finish_report(client, defs.questionnaires["loopbaan-apk"])
    second = finish_report(app.test_client(), defs.questionnaires["loopbaan-apk"])
    rec_id = first.recs[0]["id"]
    assert rec_id == second.recs[0]["id"]
    uids = []
    for report in (first, second):
        post_steps(client, report, {rec_id: in_days(3)})
        (event,) = calendar_of(client.get(f"{report.url}/stappen.ics")).walk("VEVENT")
        uids.append(str(event["UID"]))
    assert uids[0] != uids[1]


def test_english_calendar(client, report):
    rec = report.recs[3]
    post_steps(client, report, {rec["id"]: in_days(7)})
    english = client.get(f"/api/v1/reports/{report.code}?lang=en").get_json()["advice"][rec["knob"]]
    title = next(r["title"] for r in english if r["id"] == rec["id"])
    assert title != rec["title"]
    (event,) = calendar_of(client.get(f"{report.url}/stappen.ics?lang=en")).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert "First step:" in str(event["DESCRIPTION"])
    assert title in str(event.walk("VALARM")[0]["DESCRIPTION"])


def test_english_report_lists_steps_in_english(client, report):
    rec = report.recs[0]
    post_steps(client, report, {rec["id"]: in_days(7)})
    english = client.get(f"/api/v1/reports/{report.code}?lang=en").get_json()["advice"][rec["knob"]]
    title = next(r["title"] for r in english if r["id"] == rec["id"])
    listed = saved_list(client.get(f"{report.url}?lang=en").get_data(as_text=True))
    assert htmllib.escape(title) in listed


def test_language_switch_after_an_error_leads_back_to_the_report(client, report):
    response = client.get(f"{report.url}/stappen?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{report.url}?lang=en#volgende-stappen")
