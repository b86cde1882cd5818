"""Resume links cannot be planted: opening one changes nothing until the person presses the button;
continuing gives a new link, and the old one (and the device that had it) says it was replaced.

Runs on SQLite, and on PostgreSQL under ``make test-postgres``.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ReplacedResumeLink, Response
from tests.support.flows import csrf_token, post_page, post_profile, resume_link, take_over

SLUG = "loopbaan-apk"


@pytest.fixture
def worker(defs):
    return defs.questionnaires[SLUG]


def started_with_link(client, q, value: int = 3) -> str:
    """A check started in ``client`` with its first page answered ``value``; its resume link."""
    post_profile(client, q)
    post_page(client, q, 1, {i.id: value for i in q.sections[0].items})
    return resume_link(client.get(f"/q/{SLUG}/stap/2").get_data(as_text=True), SLUG)


def stored(app) -> list[Response]:
    with app.app_context():
        rows = list(db.session.scalars(select(Response).order_by(Response.id)))
        db.session.expunge_all()
        return rows


def checked(html: str, value: str) -> int:
    """How many answers ``value`` a question page shows as chosen."""
    return len(re.findall(rf'<input checked [^>]*value="{value}"', html))


def test_a_planted_link_changes_nothing_in_the_browser_that_opens_it(app, client, worker):
    planted = started_with_link(app.test_client(), worker, value=1)  # the attacker's own check
    victim = client
    started_with_link(victim, worker, value=5)
    opened = victim.get(planted)  # what a cross-site GET (an <img>, a link in a mail) does
    assert opened.status_code == 200
    html = opened.get_data(as_text=True)
    assert "Verder met een check die al begonnen is?" in html
    assert 'method="post"' in html and "Ja, ga verder" in html
    # The victim's own check is still the one on this device, with the victim's answers.
    page1 = victim.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    assert checked(page1, "5") == len(worker.sections[0].items) and checked(page1, "1") == 0
    # and the planted link was not used up.
    assert [r.resume_hash is not None for r in stored(app)] == [True, True]


def test_the_confirm_page_keeps_the_browsers_own_link_in_view(app, client, worker):
    planted = started_with_link(app.test_client(), worker)
    own = started_with_link(client, worker)
    html = client.get(planted).get_data(as_text=True)
    assert "al een andere check begonnen" in html and f"http://localhost{own}" in html


def test_the_confirm_page_is_private(app, client, worker):
    link = started_with_link(app.test_client(), worker)
    opened = client.get(link)
    assert opened.headers["Cache-Control"] == "no-store"
    assert opened.headers["Referrer-Policy"] == "no-referrer"


def test_continuing_needs_the_button_not_a_forged_post(app, client, worker):
    link = started_with_link(app.test_client(), worker)
    before = stored(app)[0].resume_hash
    forged = client.post(link, data={})  # a cross-site form has no CSRF token
    assert forged.status_code == 400
    assert stored(app)[0].resume_hash == before
    assert client.get(f"/q/{SLUG}/stap/1").status_code == 302  # still nothing started here


def test_continuing_gives_a_new_link_and_the_old_one_says_it_was_replaced(app, client, worker):
    phone = app.test_client()
    old = started_with_link(phone, worker)
    laptop = client
    went_on = take_over(laptop, old)
    assert went_on.status_code == 302 and went_on.location == f"/q/{SLUG}/stap/2"
    page = laptop.get(f"/q/{SLUG}/stap/2").get_data(as_text=True)
    new = resume_link(page, SLUG)
    assert new != old
    # The old link no longer opens the answers, for anyone.
    stranger = app.test_client().get(old)
    assert stranger.status_code == 410
    assert "Deze link is vervangen; ga verder met de nieuwe" in stranger.get_data(as_text=True)
    # The laptop goes on with the answers given on the phone.
    page1 = laptop.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    assert checked(page1, "3") == len(worker.sections[0].items)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(ReplacedResumeLink)) == 1


def test_the_device_that_had_the_old_link_is_told_and_cannot_write(app, client, worker):
    phone = client
    old = started_with_link(phone, worker)
    token = csrf_token(phone.get(f"/q/{SLUG}/stap/2").get_data(as_text=True))
    take_over(app.test_client(), old)
    before = stored(app)[0].answers
    shown = phone.get(f"/q/{SLUG}/stap/2")
    assert shown.status_code == 410 and "Deze link is vervangen" in shown.get_data(as_text=True)
    sent = phone.post(f"/q/{SLUG}/stap/2", data={**{f"a_{i.id}": "1" for i in worker.sections[1].items},
                                                  "action": "next", "csrf_token": token})
    assert sent.status_code == 410
    assert stored(app)[0].answers == before
    start = phone.get(f"/q/{SLUG}").get_data(as_text=True)
    assert "Deze link is vervangen; ga verder met de nieuwe." in start


def test_one_link_is_taken_over_once(app, client, worker):
    old = started_with_link(app.test_client(), worker)
    first, second = app.test_client(), client
    confirm = second.get(old).get_data(as_text=True)  # both opened the link before either pressed the button
    assert take_over(first, old).status_code == 302
    late = second.post(old, data={"csrf_token": csrf_token(confirm)})
    assert late.status_code == 410
    assert second.get(f"/q/{SLUG}/stap/1").status_code == 302  # nothing opened on the second device


def test_a_link_can_move_on_again_and_every_old_one_says_so(app, client, worker):
    first = started_with_link(app.test_client(), worker)
    laptop = app.test_client()
    take_over(laptop, first)
    second = resume_link(laptop.get(f"/q/{SLUG}/stap/2").get_data(as_text=True), SLUG)
    assert take_over(client, second).status_code == 302
    for old in (first, second):
        assert app.test_client().get(old).status_code == 410


def test_the_browsers_own_link_goes_straight_on(client, worker):
    own = started_with_link(client, worker)
    response = client.get(own)
    assert response.status_code == 302 and response.location == f"/q/{SLUG}/stap/2"


def test_the_confirm_page_in_english(app, client, worker):
    link = started_with_link(app.test_client(), worker)
    html = client.get(link + "?lang=en").get_data(as_text=True)
    assert "Continue a check-up that has already started?" in html
