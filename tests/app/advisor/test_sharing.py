"""Individual reports shared by a worker with the advisor of an organisation (by the report code)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import DevelopmentPlan, SharedReport
from tests.support.advisor_world import login, page_text, post_form, worker_response


def _shared(app) -> list[tuple[int, int]]:
    with app.app_context():
        return [(s.organisation_id, s.response_id) for s in db.session.scalars(select(SharedReport))]


def test_sharing_flow_advisor_adds_opens_and_the_worker_sees_it(app, client, world, defs):
    with app.app_context():
        response, code = worker_response(defs)
        response_id = response.id
    login(client, "a@example.org")
    org_url = f"/advisor/organisations/{world.org_a}"
    added = post_form(client, f"{org_url}/reports", {"code": f"http://localhost/r/{code}"}, page_url=org_url)
    assert added.status_code == 302
    assert (world.org_a, response_id) in _shared(app)
    with app.app_context():
        shared_id = db.session.scalar(select(SharedReport.id).where(SharedReport.response_id == response_id))
    report = client.get(f"{org_url}/reports/{shared_id}")
    text = page_text(report)
    assert report.status_code == 200 and report.headers["Cache-Control"] == "no-store"
    assert "gedeeld met de adviseur van Bakkerij Alfa" in text
    assert code not in report.get_data(as_text=True)  # the advisor never sees the worker's key
    assert "Verwijder mijn antwoorden" not in text and "data-print" in report.get_data(as_text=True)
    worker = app.test_client().get(f"/r/{code}")
    assert "Je hebt deze uitslag gedeeld met je adviseur van Bakkerij Alfa." in page_text(worker)


def test_adding_the_same_report_twice_keeps_one_and_says_so(app, client, world, defs):
    with app.app_context():
        _, code = worker_response(defs)
    login(client, "a@example.org")
    org_url = f"/advisor/organisations/{world.org_a}"
    post_form(client, f"{org_url}/reports", {"code": code}, page_url=org_url)
    again = post_form(client, f"{org_url}/reports", {"code": code}, page_url=org_url)
    assert again.status_code == 400 and "staat al in het dossier" in page_text(again)
    assert len(_shared(app)) == 3  # two from the world, one new


def test_an_unknown_code_gets_a_clear_message_and_stores_nothing(app, client, world):
    login(client, "a@example.org")
    org_url = f"/advisor/organisations/{world.org_a}"
    for bad in ("nonsense", "A" * 30, ""):
        response = post_form(client, f"{org_url}/reports", {"code": bad}, page_url=org_url)
        assert response.status_code == 400
        assert "Met deze code vinden we geen uitslag" in page_text(response) or "Vul de code" in page_text(response)
    assert len(_shared(app)) == 2


def test_a_deleted_response_leaves_the_file(app, client, world, defs):
    with app.app_context():
        response, code = worker_response(defs)
        db.session.add(SharedReport(organisation_id=world.org_a, response_id=response.id))
        db.session.commit()
    worker = app.test_client()
    page = worker.get(f"/r/{code}/verwijderen")
    assert page.status_code == 200
    post_form(worker, f"/r/{code}/verwijderen", {}, page_url=f"/r/{code}/verwijderen")
    assert len(_shared(app)) == 2


def test_advisors_can_remove_a_report_from_the_file(app, client, world):
    login(client, "a@example.org")
    org_url = f"/advisor/organisations/{world.org_a}"
    post_form(client, f"{org_url}/reports/{world.shared_a}/remove", {}, page_url=org_url)
    assert [org for org, _ in _shared(app)] == [world.org_b]


def test_organisation_page_lists_no_campaign_answers(app, client, world):
    login(client, "a@example.org")
    html = client.get(f"/advisor/organisations/{world.org_a}").get_data(as_text=True)
    assert html.count(f'href="/advisor/organisations/{world.org_a}/reports/') == 1  # only the shared one


def test_the_advisor_sees_the_steps_the_worker_chose_but_cannot_change_them(app, client, world, defs):
    from datetime import date, timedelta

    from app.responses import next_steps

    with app.app_context():
        response, _ = worker_response(defs, value=2)
        recs = next_steps.recommendations(response, "nl")
        due = date.today() + timedelta(days=20)
        next_steps.replace(response, [next_steps.Pick(recs[0]["id"], due)], date.today())
        db.session.add(SharedReport(organisation_id=world.org_a, response_id=response.id, added_by=world.advisor_a))
        db.session.commit()
        shared_id = db.session.scalar(select(SharedReport.id).where(SharedReport.response_id == response.id))
        title = recs[0]["title"]
    login(client, "a@example.org")
    report = client.get(f"/advisor/organisations/{world.org_a}/reports/{shared_id}")
    html, text = report.get_data(as_text=True), page_text(report)
    assert report.status_code == 200
    assert title in text and f'datetime="{due.isoformat()}"' in html
    assert "Kies mijn stappen" not in text and "/stappen" not in html and ".ics" not in html


def test_the_advisor_of_a_shared_report_does_not_see_the_workers_plan(app, client, world, defs):
    with app.app_context():
        response, code = worker_response(defs)
        db.session.add(DevelopmentPlan(response_id=response.id, goal="Mijn eigen doel, alleen voor mij.",
                                       helper="Mijn zus"))
        db.session.commit()
    login(client, "a@example.org")
    org_url = f"/advisor/organisations/{world.org_a}"
    post_form(client, f"{org_url}/reports", {"code": code}, page_url=org_url)
    with app.app_context():
        shared_id = db.session.scalar(select(SharedReport.id).where(SharedReport.organisation_id == world.org_a)
                                      .order_by(SharedReport.id.desc()))
    text = page_text(client.get(f"{org_url}/reports/{shared_id}"))
    assert "Bakkerij Alfa" in text
    assert "Mijn eigen doel" not in text and "Mijn zus" not in text and "Mijn ontwikkelplan" not in text
    assert "Mijn eigen doel" in page_text(app.test_client().get(f"/r/{code}"))
