"""Delete my answers: a confirmation, then the response, its charts and its steps are gone; the code gives 404."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import NextStep, ReportChart, Response
from tests.support.flows import csrf_token
from tests.support.steps import Report, finish_report, in_days, post_steps


@pytest.fixture
def report(client, defs) -> Report:
    """A report that has been viewed (so its chart is cached) and has two next steps."""
    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    post_steps(client, report, {report.recs[0]["id"]: in_days(3), report.recs[4]["id"]: in_days(9)})
    client.get(report.url + "?lang=en")  # a second cached chart
    client.get(report.url + "?lang=nl")
    return report


@pytest.fixture
def counts(app):
    """A function returning how many responses, charts and next steps are stored."""
    def count() -> dict[str, int]:
        with app.app_context():
            return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
                    for model in (Response, ReportChart, NextStep)}
    return count


def confirm_page(client, report: Report):
    return client.get(f"{report.url}/verwijderen")


def test_report_links_to_the_confirmation(client, report):
    html = client.get(report.url).get_data(as_text=True)
    assert f'href="{report.url}/verwijderen"' in html


def test_confirmation_page_asks_first_and_deletes_nothing(client, report, counts):
    before = counts()
    response = confirm_page(client, report)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    html = response.get_data(as_text=True)
    assert "Weet je het zeker? Dit kan niet ongedaan worden." in html
    assert f'action="{report.url}/verwijderen"' in html
    assert 'name="csrf_token"' in html
    assert f'href="{report.url}"' in html  # the way back
    assert counts() == before
    assert client.get(report.url).status_code == 200


def test_delete_removes_response_charts_and_steps_for_good(client, report, counts):
    before = counts()
    assert before["response"] == 1 and before["report_chart"] >= 2 and before["next_step"] == 2
    token = csrf_token(confirm_page(client, report).get_data(as_text=True))
    response = client.post(f"{report.url}/verwijderen", data={"csrf_token": token})
    assert response.status_code == 302
    assert counts() == {"response": 0, "report_chart": 0, "next_step": 0}
    done = client.get(response.headers["Location"])
    assert done.status_code == 200
    assert "Je antwoorden zijn verwijderd" in done.get_data(as_text=True)
    # The confirmation is shown once; a later visit of that page goes home.
    assert client.get(response.headers["Location"]).status_code == 302
    for url in (report.url, f"{report.url}/stappen.ics", f"{report.url}/verwijderen", f"{report.url}/pdf"):
        assert client.get(url).status_code == 404, url
    api = client.get(f"/api/v1/reports/{report.code}")
    assert api.status_code == 404
    assert "error" in api.get_json()
    # Deleting again is 404 as well, not an error.
    assert client.post(f"{report.url}/verwijderen", data={"csrf_token": token}).status_code == 404


def test_delete_leaves_other_reports_alone(app, client, defs, report, counts):
    other = finish_report(app.test_client(), defs.questionnaires["loopbaan-apk"])
    post_steps(client, other, {other.recs[1]["id"]: in_days(4)})
    token = csrf_token(confirm_page(client, report).get_data(as_text=True))
    client.post(f"{report.url}/verwijderen", data={"csrf_token": token})
    assert counts()["response"] == 1 and counts()["next_step"] == 1
    assert client.get(other.url).status_code == 200
    assert client.get(f"{other.url}/stappen.ics").status_code == 200


def test_delete_without_csrf_token_is_400_and_deletes_nothing(client, report, counts):
    before = counts()
    response = client.post(f"{report.url}/verwijderen", data={})
    assert response.status_code == 400
    assert counts() == before
    assert client.get(report.url).status_code == 200


def test_unknown_code_has_no_confirmation_page(client):
    assert client.get("/r/abcdefghijklmnopqrstuvwxyz/verwijderen").status_code == 404


def test_database_removes_steps_with_their_response(app, report, counts):
    """The foreign key cascades too, for deletes that bypass the ORM (a cleanup script, psql)."""
    assert counts()["next_step"] == 2
    with app.app_context():
        db.session.execute(text("DELETE FROM response"))
        db.session.commit()
    assert counts() == {"response": 0, "report_chart": 0, "next_step": 0}
