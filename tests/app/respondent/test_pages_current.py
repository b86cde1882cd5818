"""Question and report pages always show the current state, and each visitor's own link and token."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Organisation, SharedReport, User
from tests.support.flows import complete, csrf_token, post_page, post_profile, take_over
from tests.support.reports import store_report
from tests.support.steps import finish_report, in_days, post_steps

SLUG = "loopbaan-apk"


def resume_link(html: str) -> str:
    links = set(re.findall(rf'http://localhost/q/{SLUG}/verder/[A-Za-z0-9_-]+', html))
    assert len(links) == 1, links
    return links.pop()


def started(app, worker):
    client = app.test_client()
    post_profile(client, worker)
    return client


def test_each_respondent_gets_their_own_resume_link_and_csrf_token(app, defs):
    worker = defs.questionnaires[SLUG]
    alice, bob = started(app, worker), started(app, worker)
    alice_page = alice.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    bob_page = bob.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    alice_link, bob_link = resume_link(alice_page), resume_link(bob_page)
    assert alice_link != bob_link
    assert alice_link.rsplit("/", 1)[1] not in bob_page
    assert csrf_token(alice_page) != csrf_token(bob_page)
    response = bob.post(f"/q/{SLUG}/stap/1", data={"csrf_token": csrf_token(bob_page), "action": "back"})
    assert response.status_code == 302
    # Bob's link opens Bob's response in a fresh browser, which then shows a link of its own.
    other = app.test_client()
    assert take_over(other, bob_link.replace("http://localhost", "")).status_code == 302
    other_link = resume_link(other.get(f"/q/{SLUG}/stap/1").get_data(as_text=True))
    assert other_link not in (alice_link, bob_link)


def test_saved_answers_show_at_once(app, defs):
    worker = defs.questionnaires[SLUG]
    client = started(app, worker)
    items = worker.sections[0].items
    assert "checked" not in client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    post_page(client, worker, 1, {i.id: 5 for i in items})
    page = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    assert len(re.findall(r'<input checked [^>]*value="5"', page)) == len(items)


def test_language_and_step_show_on_the_question_page(app, defs):
    client = started(app, defs.questionnaires[SLUG])
    dutch = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    english = client.get(f"/q/{SLUG}/stap/1?lang=en").get_data(as_text=True)
    second = client.get(f"/q/{SLUG}/stap/2?lang=en").get_data(as_text=True)
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    assert "Stap 2 van" in dutch and "Step 2 of" in english and "Step 3 of" in second


def test_a_page_with_errors_says_so_and_the_next_view_is_clean(app, defs):
    client = started(app, defs.questionnaires[SLUG])
    page = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    response = client.post(f"/q/{SLUG}/stap/1", data={"csrf_token": csrf_token(page), "action": "next"})
    assert response.status_code == 400
    assert "Nog niet alles is ingevuld" in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert "Nog niet alles is ingevuld" not in client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)


def test_a_submitted_response_has_no_question_pages(app, defs):
    worker = defs.questionnaires[SLUG]
    client = started(app, worker)
    resume = resume_link(client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True))
    complete(client, worker)
    response = client.get(f"/q/{SLUG}/stap/1")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/q/{SLUG}")
    fresh = app.test_client()
    assert fresh.get(resume.replace("http://localhost", "")).status_code == 404
    assert fresh.get(f"/q/{SLUG}/stap/1").status_code == 302


def test_each_visitor_of_a_report_gets_their_own_working_csrf_token(app, defs):
    report = finish_report(app.test_client(), defs.questionnaires[SLUG])
    owner, other = app.test_client(), app.test_client()
    owner_page = owner.get(report.url).get_data(as_text=True)
    other_page = other.get(report.url).get_data(as_text=True)
    assert csrf_token(owner_page) != csrf_token(other_page)
    assert post_steps(other, report, {report.recs[0]["id"]: in_days(5)}).status_code == 302


def test_saved_steps_show_at_once(client, defs):
    report = finish_report(client, defs.questionnaires[SLUG])
    assert 'class="step-list' not in client.get(report.url).get_data(as_text=True)
    assert post_steps(client, report, {report.recs[0]["id"]: in_days(5)}).status_code == 302
    assert re.search(r'<h3 class="step-title">[^<]*</h3>', client.get(report.url).get_data(as_text=True))


def test_sharing_shows_at_once(app, client):
    code = store_report(app)
    assert "gedeeld met je adviseur" not in client.get(f"/r/{code}").get_data(as_text=True)
    with app.app_context():
        from app.responses import store as responses

        user = User(email="a@example.org", password_hash="x", role="advisor", active=True)
        org = Organisation(name="Bakkerij De Korenaar", size="10_49")
        db.session.add_all([user, org])
        db.session.flush()
        db.session.add(SharedReport(organisation_id=org.id, response_id=responses.find_report(code).id,
                                    added_by=user.id))
        db.session.commit()
    assert "Bakkerij De Korenaar" in client.get(f"/r/{code}").get_data(as_text=True)


def test_language_and_chart_choice_show_on_the_report(app, client):
    code = store_report(app)
    dutch = client.get(f"/r/{code}?lang=nl").get_data(as_text=True)
    english = client.get(f"/r/{code}?lang=en").get_data(as_text=True)
    radar = client.get(f"/r/{code}?lang=en&grafiek=radar").get_data(as_text=True)
    assert "Jouw uitslag" in dutch and "Your report" in english
    assert 'aria-current="true">radar chart<' in radar and 'aria-current="true">radar chart<' not in english


def test_a_deleted_report_is_gone(app, client):
    code = store_report(app)
    assert client.get(f"/r/{code}").status_code == 200
    with app.app_context():
        from app.responses import store as responses

        responses.delete(responses.find_report(code))
    assert client.get(f"/r/{code}").status_code == 404


def test_a_new_report_never_shows_a_deleted_ones_charts(app, client):
    """SQLite hands out a deleted response's id again: its cached charts must have gone with it."""
    from app.responses import store as responses

    first = store_report(app, value=2)
    first_page = client.get(f"/r/{first}").get_data(as_text=True)
    with app.app_context():
        responses.delete(responses.find_report(first))
    second = store_report(app, value=4)
    second_page = client.get(f"/r/{second}").get_data(as_text=True)
    assert first not in second_page and second in second_page
    assert second_page != first_page.replace(first, second)
