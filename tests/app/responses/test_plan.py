"""Mijn ontwikkelplan: a goal in the worker's words, who helps, a date to look back; stored apart from the
next steps, printed in the PDF, in the calendar file only when ticked, and the worker's own."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.extensions import db
from app.models import DevelopmentPlan, NextStep, Response
from tests.support.flows import csrf_token
from tests.support.steps import GOAL, Report, finish_report, in_days, post_plan, post_steps


@pytest.fixture
def report(client, defs) -> Report:
    return finish_report(client, defs.questionnaires["loopbaan-apk"])


def stored_plans(app) -> list[tuple]:
    with app.app_context():
        return [(p.goal, p.helper, p.look_back, p.in_calendar)
                for p in db.session.scalars(select(DevelopmentPlan))]


def plan_section(html: str) -> str:
    start = html.index('id="mijn-plan"')
    return html[start:html.index("</section>", start)]


def text_of(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_of(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    assert match, f"no error message at {field}"
    return text_of(match.group(1)).lstrip("! ")


def test_a_saved_plan_is_stored_and_shown(app, client, report):
    day = in_days(90)
    response = post_plan(client, report, goal=f"  {GOAL}\r\nEerst vraag ik wat er kan.  ", look_back=day)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{report.url}#mijn-plan")
    assert stored_plans(app) == [(f"{GOAL}\nEerst vraag ik wat er kan.", "Mijn leidinggevende", day, False)]
    section = plan_section(client.get(report.url).get_data(as_text=True))
    shown = text_of(section.split('<details', 1)[0])
    assert GOAL in shown and "Mijn leidinggevende" in shown and "Terugkijken op" in shown
    # The form starts from what is saved, closed now that there is a plan.
    assert f">{htmllib.escape(GOAL)}" in section and "<details class=\"steps-choose no-print\">" in section


def test_saving_steps_keeps_the_plan_and_saving_the_plan_keeps_the_steps(app, client, report):
    assert post_plan(client, report, look_back=in_days(60)).status_code == 302
    rec = report.recs[0]
    assert post_steps(client, report, {rec["id"]: in_days(7)}).status_code == 302
    assert post_steps(client, report, {}).status_code == 302  # all steps removed
    assert [p[0] for p in stored_plans(app)] == [GOAL]
    assert post_steps(client, report, {rec["id"]: in_days(7)}).status_code == 302
    assert post_plan(client, report, goal="Een ander doel.").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(NextStep.intervention_id)).all() == [rec["id"]]
    assert [p[0] for p in stored_plans(app)] == ["Een ander doel."]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"goal": ""}, "goal", "Schrijf op wat je wilt bereiken. Een zin is genoeg."),
    ({"goal": "x" * 301}, "goal", "Je doel is 301 tekens. Houd het bij 300 tekens."),
    ({"helper": "y" * 121}, "helper", "Houd dit bij 120 tekens."),
    ({"look_back": in_days(-1)}, "look_back", "Deze datum is al voorbij. Kies vandaag of later."),
    ({"look_back": in_days(6 * 366)}, "look_back", "Kies een datum binnen vijf jaar."),
    ({"look_back": "31-02-2027"}, "look_back", "Vul een datum in zoals 31-12-2026."),
    ({"in_calendar": True}, "look_back", "Kies een datum om terug te kijken. Die datum komt in je agenda."),
])
def test_a_plan_that_breaks_a_rule_is_refused_with_the_reason_and_changes_nothing(app, client, report, fields,
                                                                                   field, message):
    assert post_plan(client, report, goal="Het oude doel.").status_code == 302
    before = stored_plans(app)
    response = post_plan(client, report, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert error_of(page, field) == message
    assert "Je plan is nog niet bewaard" in page
    assert f'aria-describedby="{field}-hint {field}-error"' in page
    assert stored_plans(app) == before
    # What was typed stays in the form, so nothing typed is lost.
    typed = fields.get("goal", fields.get("helper"))
    if typed:
        assert typed in page


def test_an_empty_plan_removes_it(app, client, report):
    post_plan(client, report)
    assert post_plan(client, report, goal="", helper="").status_code == 302
    assert stored_plans(app) == []
    assert "Schrijf in je eigen woorden op" in plan_section(client.get(report.url).get_data(as_text=True))


def test_without_a_token_nothing_is_stored(app, client, report):
    assert post_plan(client, report, with_token=False).status_code == 400
    assert stored_plans(app) == []


def test_the_calendar_holds_the_plan_only_when_ticked(client, report):
    day = in_days(120)
    post_plan(client, report, look_back=day)
    assert client.get(f"{report.url}/stappen.ics").status_code == 404  # no steps, plan not ticked
    rec = report.recs[0]
    post_steps(client, report, {rec["id"]: in_days(3)})
    events = Calendar.from_ical(client.get(f"{report.url}/stappen.ics").data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [rec["title"]]
    assert GOAL not in client.get(f"{report.url}/stappen.ics").get_data(as_text=True)

    post_plan(client, report, look_back=day, in_calendar=True)
    post_steps(client, report, {})
    ics = client.get(f"{report.url}/stappen.ics")
    assert ics.status_code == 200
    (event,) = Calendar.from_ical(ics.data).walk("VEVENT")
    assert str(event["summary"]) == "Terugkijken op mijn plan"
    assert event.decoded("dtstart") == day
    assert GOAL in str(event["description"]) and "Mijn leidinggevende" in str(event["description"])
    assert report.code not in ics.get_data(as_text=True)


def test_the_plan_is_not_in_the_api_result_and_goes_with_the_report(app, client, report):
    post_plan(client, report)
    assert GOAL not in client.get(f"/api/v1/reports/{report.code}").get_data(as_text=True)
    token = csrf_token(client.get(f"{report.url}/verwijderen").get_data(as_text=True))
    assert client.post(f"{report.url}/verwijderen", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DevelopmentPlan)) == 0
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_the_plan_form_in_english(client, report):
    response = post_plan(client, report, goal="", lang="en")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert error_of(page, "goal") == "Write down what you want to achieve. One sentence is enough."
    assert "My development plan" in page
