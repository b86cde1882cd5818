"""Nothing lost on the questionnaire pages: one report per submission however often the last page is
posted, both pages' answers when two are saved at once, the same next steps saved twice at once.

The ``app`` fixture runs on SQLite, and on PostgreSQL under ``make test-postgres``. The concurrent
cases hold both requests at a barrier after each has read the response and before either writes, so
the race happens on every run instead of now and then.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import NextStep, Response
from app.responses import next_steps, store
from tests.support.flows import complete, csrf_token, post_page, post_profile, take_over

SLUG = "loopbaan-apk"
SESSION_COOKIE = "session"


def twin(app, client):
    """A second test client with the same session cookie: the same browser, another request."""
    other = app.test_client()
    other.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value, domain="localhost")
    return other


def last_page_form(client, q) -> dict[str, str]:
    """The last page's form, filled in and with its CSRF token, ready to be posted (more than once)."""
    last = len(q.sections)
    token = csrf_token(client.get(f"/q/{q.slug}/stap/{last}").get_data(as_text=True))
    return {**{f"a_{i.id}": "4" for i in q.sections[-1].items}, "action": "next", "csrf_token": token}


def fill_all_but_last(client, q) -> None:
    post_profile(client, q)
    for step, section in enumerate(q.sections[:-1], start=1):
        post_page(client, q, step, {i.id: 4 for i in section.items})


def at_once(calls, barrier_target, name: str, monkeypatch):
    """Run ``calls`` (functions) in threads; ``barrier_target.name`` waits until every thread reached it."""
    barrier = threading.Barrier(len(calls), timeout=30)
    original = getattr(barrier_target, name)

    def held(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(barrier_target, name, held)
    results: list[object] = [None] * len(calls)

    def run(n: int) -> None:
        results[n] = calls[n]()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(barrier_target, name, original)
    return results


def completed(app) -> list[Response]:
    with app.app_context():
        rows = list(db.session.scalars(select(Response).where(Response.status == Response.COMPLETED)))
        db.session.expunge_all()
        return rows


def test_the_last_page_posted_twice_ends_on_the_same_report(app, client, defs):
    q = defs.questionnaires[SLUG]
    fill_all_but_last(client, q)
    form = last_page_form(client, q)
    first = client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=form)
    again = client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=form)  # a double tap, a resend
    assert first.status_code == again.status_code == 302
    assert first.location.startswith("/r/")
    assert again.location == first.location
    page = client.get(again.location)
    assert page.status_code == 200
    assert "Je hebt deze check al verstuurd" in page.get_data(as_text=True)
    assert len(completed(app)) == 1


def test_two_posts_of_the_last_page_at_once_end_on_the_one_report(app, client, defs, monkeypatch):
    q = defs.questionnaires[SLUG]
    fill_all_but_last(client, q)
    form = last_page_form(client, q)
    clients = [client, twin(app, client)]
    path = f"/q/{SLUG}/stap/{len(q.sections)}"
    # Both requests have read the unfinished response when they reach submit; then both go on.
    results = at_once([lambda c=c: c.post(path, data=form) for c in clients], store, "submit", monkeypatch)
    locations = {r.location for r in results}
    assert len(locations) == 1, locations
    (location,) = locations
    assert location.startswith("/r/")
    assert client.get(location).status_code == 200
    rows = completed(app)
    assert len(rows) == 1
    assert rows[0].resume_hash is None


def test_back_and_send_again_later_says_it_was_sent_and_leads_to_the_report(client, defs):
    q = defs.questionnaires[SLUG]
    fill_all_but_last(client, q)
    form = last_page_form(client, q)
    report = client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=form).location
    # Back to a question page: it is gone, and the start page says the check was sent, with the report.
    back = client.get(f"/q/{SLUG}/stap/2")
    assert back.status_code == 302 and back.location == f"/q/{SLUG}"
    start = client.get(f"/q/{SLUG}").get_data(as_text=True)
    assert "Je hebt deze check al ingevuld" in start
    assert f'href="{report}">naar je uitslag</a>' in start
    # The page the browser kept, sent again: the report, with the same words.
    again = client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=form)
    assert again.location == report
    assert "Je hebt deze check al verstuurd" in client.get(report).get_data(as_text=True)


def test_a_new_check_after_sending_starts_afresh_with_a_new_report(app, client, defs):
    q = defs.questionnaires[SLUG]
    first = complete(client, q).location
    second = complete(client, q).location
    assert first != second
    assert client.get(first).status_code == client.get(second).status_code == 200
    assert len(completed(app)) == 2
    # The start page now points to the newest report only.
    start = client.get(f"/q/{SLUG}").get_data(as_text=True)
    assert f'href="{second}"' in start and f'href="{first}"' not in start


def test_a_resumed_response_sent_from_two_devices_has_one_report(app, client, defs):
    q = defs.questionnaires[SLUG]
    fill_all_but_last(client, q)
    phone_form = last_page_form(client, q)
    page = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    resume = page.split(f"/q/{SLUG}/verder/")[1].split('"')[0].split("<")[0]
    laptop = app.test_client()
    assert take_over(laptop, f"/q/{SLUG}/verder/{resume}").status_code == 302
    laptop_report = laptop.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=last_page_form(laptop, q)).location
    assert laptop_report.startswith("/r/")
    # The phone's page is now stale: sending it says the link went on elsewhere, and makes no second report.
    late = client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=phone_form)
    assert late.status_code == 410 and "Deze link is vervangen" in late.get_data(as_text=True)
    assert len(completed(app)) == 1


def test_two_pages_saved_at_once_both_keep_their_answers(app, client, defs, monkeypatch):
    q = defs.questionnaires[SLUG]
    post_profile(client, q)
    other = twin(app, client)
    forms = []
    for step in (1, 2):
        token = csrf_token(client.get(f"/q/{SLUG}/stap/{step}").get_data(as_text=True))
        forms.append((step, {**{f"a_{i.id}": "2" for i in q.sections[step - 1].items},
                             "action": "next", "csrf_token": token}))
    calls = [lambda c=c, step=step, form=form: c.post(f"/q/{SLUG}/stap/{step}", data=form)
             for c, (step, form) in zip([client, other], forms, strict=True)]
    # Both requests have read the answers so far when they reach the save; then both write.
    results = at_once(calls, store, "save_answers", monkeypatch)
    assert [r.status_code for r in results] == [302, 302]
    with app.app_context():
        (response,) = db.session.scalars(select(Response))
        expected = {i.id for section in q.sections[:2] for i in section.items}
        assert expected <= set(response.answers)
        assert response.revision == 2  # one write per page (the profile came with the start)


def test_a_page_saved_after_the_response_was_sent_changes_nothing(app, client, defs):
    q = defs.questionnaires[SLUG]
    fill_all_but_last(client, q)
    stale = twin(app, client)
    token = csrf_token(client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True))
    client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=last_page_form(client, q))
    before = completed(app)[0]
    late = stale.post(f"/q/{SLUG}/stap/1", data={**{f"a_{i.id}": "1" for i in q.sections[0].items},
                                                 "action": "next", "csrf_token": token})
    assert late.status_code == 302 and late.location.startswith("/r/")
    after = completed(app)[0]
    assert after.answers == before.answers and after.result == before.result


def test_next_steps_saved_twice_at_once_keep_one_set(app, client, defs, monkeypatch):
    q = defs.questionnaires[SLUG]
    code = complete(client, q, value=2).location.removeprefix("/r/")
    with app.app_context():
        response = store.find_report(code)
        recs = [r["id"] for r in next_steps.recommendations(response, "nl")][:3]
    day = next_steps.today() + timedelta(days=7)
    choices = [recs[:2], recs[1:3]]

    def save(chosen):
        with app.app_context():
            response = store.find_report(code)
            next_steps.replace(response, [next_steps.Pick(r, day) for r in chosen], next_steps.today())

    # Both have read the report when they check their choice and write; the second waits for the first.
    at_once([lambda chosen=chosen: save(chosen) for chosen in choices], next_steps, "problems", monkeypatch)
    with app.app_context():
        saved = sorted(db.session.scalars(select(NextStep.intervention_id)))
    assert saved in (sorted(choices[0]), sorted(choices[1]))


@pytest.mark.parametrize("step", [1, 2])
def test_the_same_next_steps_saved_at_once_never_fail(app, client, defs, monkeypatch, step):
    q = defs.questionnaires[SLUG]
    code = complete(client, q, value=2).location.removeprefix("/r/")
    with app.app_context():
        recs = [r["id"] for r in next_steps.recommendations(store.find_report(code), "nl")][:step]
    day = next_steps.today() + timedelta(days=3)
    errors: list[BaseException] = []

    def save():
        try:
            with app.app_context():
                next_steps.replace(store.find_report(code), [next_steps.Pick(r, day) for r in recs],
                                   next_steps.today())
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(exc)

    at_once([save, save], next_steps, "problems", monkeypatch)
    assert errors == []
    with app.app_context():
        assert sorted(db.session.scalars(select(NextStep.intervention_id))) == sorted(recs)


def test_a_session_from_before_report_codes_still_ends_on_one_report(app, client, defs):
    """A check-up started before sessions carried a report code: the code is made at the submit and kept."""
    q = defs.questionnaires[SLUG]
    fill_all_but_last(client, q)
    with client.session_transaction() as session:
        del session["report"]
    form = last_page_form(client, q)
    first = client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=form).location
    assert client.post(f"/q/{SLUG}/stap/{len(q.sections)}", data=form).location == first
    assert len(completed(app)) == 1


def test_deleting_the_report_forgets_it_on_this_device(client, defs):
    q = defs.questionnaires[SLUG]
    report = complete(client, q).location
    page = client.get(f"{report}/verwijderen").get_data(as_text=True)
    assert client.post(f"{report}/verwijderen", data={"csrf_token": csrf_token(page)}).status_code == 302
    with client.session_transaction() as session:
        assert SLUG not in session.get("report", {})
    assert "al ingevuld" not in client.get(f"/q/{SLUG}").get_data(as_text=True)
