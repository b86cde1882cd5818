"""Question pages as first shown are remembered per worker: never stale, never another respondent's resume link."""

from __future__ import annotations

import re

import pytest

from app.respondent import views

from ..conftest import csrf_token
from .helpers import post_page, post_profile
from .test_page_cache import without_tokens

SLUG = "loopbaan-apk"


@pytest.fixture
def worker(defs):
    return defs.questionnaires[SLUG]


@pytest.fixture
def renders(monkeypatch):
    """The number of times the question page template was rendered."""
    count = {"page": 0}
    real = views.render_template

    def counting(template, **context):
        if template == "respondent/page.html":
            count["page"] += 1
        return real(template, **context)

    monkeypatch.setattr(views, "render_template", counting)
    return count


def resume_link(html: str) -> str:
    links = set(re.findall(rf'http://localhost/q/{SLUG}/verder/[A-Za-z0-9_-]+', html))
    assert len(links) == 1, links
    return links.pop()


def started(app, worker):
    client = app.test_client()
    post_profile(client, worker)
    return client


def test_a_repeated_view_is_not_rendered_again(app, worker, renders):
    client = started(app, worker)
    first = client.get(f"/q/{SLUG}/stap/1")
    second = client.get(f"/q/{SLUG}/stap/1")
    assert first.status_code == second.status_code == 200
    assert renders["page"] == 1
    assert without_tokens(second.get_data(as_text=True)) == without_tokens(first.get_data(as_text=True))


def test_each_respondent_gets_their_own_resume_link_and_csrf_token(app, worker, renders):
    alice, bob = started(app, worker), started(app, worker)
    alice_page = alice.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    bob_page = bob.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)  # the page Alice's visit left behind
    assert renders["page"] == 1
    alice_link, bob_link = resume_link(alice_page), resume_link(bob_page)
    assert alice_link != bob_link
    alice_code = alice_link.rsplit("/", 1)[1]
    assert alice_code not in bob_page
    assert "\x1f" not in bob_page
    assert csrf_token(alice_page) != csrf_token(bob_page)
    # Bob's link opens Bob's response, in a fresh browser.
    other = app.test_client()
    assert other.get(bob_link.replace("http://localhost", "")).status_code == 302
    assert resume_link(other.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)) == bob_link
    # Bob's token in the remembered page works for Bob.
    response = bob.post(f"/q/{SLUG}/stap/1", data={"csrf_token": csrf_token(bob_page), "action": "back"})
    assert response.status_code == 302


def test_saved_answers_show_at_once(app, worker, renders):
    client = started(app, worker)
    items = worker.sections[0].items
    assert 'checked' not in client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    post_page(client, worker, 1, {i.id: 5 for i in items})
    page = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    assert len(re.findall(r'<input checked [^>]*value="5"', page)) == len(items)
    # Another respondent with the same answers on this page gets that page from memory.
    other = started(app, worker)
    before = renders["page"]
    post_page(other, worker, 1, {i.id: 5 for i in items})
    assert renders["page"] == before  # post_page's GET was remembered; the POST redirected
    assert other.get(f"/q/{SLUG}/stap/1").get_data(as_text=True) != page  # own link and token
    assert renders["page"] == before


def test_language_and_step_are_separate_pages(app, worker, renders):
    client = started(app, worker)
    dutch = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    english = client.get(f"/q/{SLUG}/stap/1?lang=en").get_data(as_text=True)
    second = client.get(f"/q/{SLUG}/stap/2?lang=en").get_data(as_text=True)
    assert '<html lang="nl">' in dutch and '<html lang="en">' in english
    assert "Stap 2 van" in dutch and "Step 2 of" in english and "Step 3 of" in second
    assert renders["page"] == 3


def test_pages_with_errors_are_never_remembered(app, worker, renders):
    client = started(app, worker)
    page = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    for _ in range(2):
        response = client.post(f"/q/{SLUG}/stap/1", data={"csrf_token": csrf_token(page), "action": "next"})
        assert response.status_code == 400
        assert "Nog niet alles is ingevuld" in response.get_data(as_text=True)
    assert renders["page"] == 3
    again = client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)
    assert "Nog niet alles is ingevuld" not in again
    assert renders["page"] == 3


def test_a_remembered_page_is_not_served_once_the_response_is_submitted(app, worker):
    from .helpers import complete

    client = app.test_client()
    post_profile(client, worker)
    assert client.get(f"/q/{SLUG}/stap/1").status_code == 200
    resume = resume_link(client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True))
    complete(client, worker)
    response = client.get(f"/q/{SLUG}/stap/1")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/q/{SLUG}")
    fresh = app.test_client()
    assert fresh.get(resume.replace("http://localhost", "")).status_code == 404
    assert fresh.get(f"/q/{SLUG}/stap/1").status_code == 302
