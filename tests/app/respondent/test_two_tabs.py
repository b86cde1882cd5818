"""Two tabs of one questionnaire, and a session cookie lost halfway (issue 17).

A reload shows the answers as saved now; a page posted from a copy shown before another tab saved
it replaces nothing unseen (409, the saved answers shown, a notice). A post without the session (the
cookie cleared, the browser closed) saves nothing and says so in the page's language (400), with the
person's own resume link when the page carried it.
"""

from __future__ import annotations

import re

import pytest

from tests.support.flows import csrf_token, post_page, post_profile, take_over

SLUG = "loopbaan-apk"
SESSION_COOKIE = "session"
CHANGED = {"nl": "Deze bladzijde is intussen veranderd", "en": "This page has changed meanwhile"}
LOST = {"nl": "Je antwoorden op deze bladzijde zijn niet bewaard", "en": "Your answers on this page were not saved"}
OWN_LINK = {"nl": "Verder met mijn check", "en": "Continue my check-up"}
AGAIN = {"nl": "Opnieuw beginnen", "en": "Start again"}


@pytest.fixture
def worker(defs):
    return defs.questionnaires[SLUG]


def shown_form(html: str) -> dict[str, str]:
    """The hidden fields of a question page's form (CSRF token, ``seen``, ``resume``, ``lang``)."""
    fields = dict(re.findall(r'<input[^>]*name="(csrf_token|seen|resume|lang)"[^>]*value="([^"]*)"', html))
    fields["csrf_token"] = csrf_token(html)
    return fields


def filled(form: dict[str, str], section, value: int, action: str = "next") -> dict[str, str]:
    return {**form, **{f"a_{i.id}": str(value) for i in section.items}, "action": action}


def checked(html: str, value: str) -> int:
    """How many answers ``value`` a question page shows as chosen."""
    return len(re.findall(rf'<input checked [^>]*value="{value}"', html))


def saved_answers(responses) -> dict[str, int | None]:
    (row,) = responses()
    return dict(row.answers or {})


def page_one(client) -> str:
    return client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True)


def test_a_reload_in_the_other_tab_shows_the_answers_saved_in_the_first(client, worker):
    post_profile(client, worker)
    items = worker.sections[0].items
    assert checked(page_one(client), "4") == 0  # tab B opens page 1 before anything is saved
    post_page(client, worker, 1, {i.id: 4 for i in items})  # tab A answers it and goes on
    assert checked(page_one(client), "4") == len(items)  # tab B reloads


def test_an_older_copy_of_a_page_replaces_nothing_unseen(client, worker, responses):
    post_profile(client, worker)
    section = worker.sections[0]
    stale = shown_form(page_one(client))  # tab B: page 1, nothing saved yet
    post_page(client, worker, 1, {i.id: 4 for i in section.items})  # tab A saves 4s and goes on
    response = client.post(f"/q/{SLUG}/stap/1", data=filled(stale, section, 2))  # tab B posts 2s
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert CHANGED["nl"] in html and 'role="alert"' in html
    assert checked(html, "4") == len(section.items) and checked(html, "2") == 0  # what is saved now
    assert set(saved_answers(responses).values()) == {4}  # nothing replaced
    # Seen and chosen again from the page that says so, the person's choice is saved.
    again = client.post(f"/q/{SLUG}/stap/1", data=filled(shown_form(html), section, 2))
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/q/{SLUG}/stap/2")
    assert set(saved_answers(responses).values()) == {2}


def test_going_back_from_an_older_copy_is_checked_too(client, worker, responses):
    post_profile(client, worker)
    section = worker.sections[0]
    stale = shown_form(page_one(client))
    post_page(client, worker, 1, {i.id: 4 for i in section.items})
    response = client.post(f"/q/{SLUG}/stap/1", data=filled(stale, section, 1, action="back"))
    assert response.status_code == 409
    assert set(saved_answers(responses).values()) == {4}


def test_an_older_copy_that_agrees_or_answers_other_questions_goes_on(client, worker, responses):
    post_profile(client, worker)
    first, second = worker.sections[0], worker.sections[1]
    stale_one = shown_form(page_one(client))
    stale_two = shown_form(client.get(f"/q/{SLUG}/stap/2").get_data(as_text=True))
    post_page(client, worker, 1, {i.id: 4 for i in first.items})
    # The same answers as saved meanwhile: nothing would be lost.
    assert client.post(f"/q/{SLUG}/stap/1", data=filled(stale_one, first, 4)).status_code == 302
    # Another page than the one saved meanwhile: its copy is not out of date.
    assert client.post(f"/q/{SLUG}/stap/2", data=filled(stale_two, second, 3)).status_code == 302
    saved = saved_answers(responses)
    assert {saved[i.id] for i in first.items} == {4} and {saved[i.id] for i in second.items} == {3}


def test_a_changed_page_keeps_the_posted_answers_to_questions_not_saved_yet(client, worker, responses):
    post_profile(client, worker)
    section = worker.sections[0]
    head, *rest = section.items
    stale = shown_form(page_one(client))
    post_page(client, worker, 1, {head.id: 5})  # tab A saves one answer ("Vorige" saves too)
    response = client.post(f"/q/{SLUG}/stap/1", data=filled(stale, section, 2))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert checked(html, "5") == 1 and checked(html, "2") == len(rest)
    assert saved_answers(responses) == {head.id: 5}


def lost_cookie_post(client, worker, lang: str, step: int = 2):
    """Start in ``lang``, answer page 1, open page ``step``; then the cookie goes and Next is pressed."""
    client.get(f"/q/{SLUG}", query_string={"lang": lang})
    post_profile(client, worker)
    post_page(client, worker, 1, {i.id: 4 for i in worker.sections[0].items})
    form = shown_form(client.get(f"/q/{SLUG}/stap/{step}").get_data(as_text=True))
    assert form["lang"] == lang and form["resume"]
    client.delete_cookie(SESSION_COOKIE, domain="localhost")
    return form, client.post(f"/q/{SLUG}/stap/{step}", data=filled(form, worker.sections[step - 1], 2))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_lost_cookie_saves_nothing_and_offers_the_own_link(app, client, worker, responses, lang):
    form, response = lost_cookie_post(client, worker, lang)
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert f"<h1>{LOST[lang]}</h1>" in html and f'<html lang="{lang}"' in html
    link = f"/q/{SLUG}/verder/{form['resume']}?lang={lang}"
    assert f'href="http://localhost{link}"' in html and OWN_LINK[lang] in html
    saved = saved_answers(responses)
    assert not any(i.id in saved for i in worker.sections[1].items)  # page 2 not half-stored
    assert len(saved) == len(worker.sections[0].items)
    # The link asks first, then goes on with page 2 and what was saved.
    went_on = take_over(client, link)
    assert went_on.status_code == 302 and went_on.headers["Location"].endswith(f"/q/{SLUG}/stap/2")
    assert checked(page_one(client), "4") == len(worker.sections[0].items)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_lost_cookie_without_a_usable_link_says_how_to_go_on(client, worker, responses, lang):
    form, _ = lost_cookie_post(client, worker, lang)
    for resume in ("", "Zz9" + "x" * 27):  # none, or one that opens nothing: no link offered
        client.delete_cookie(SESSION_COOKIE, domain="localhost")
        response = client.post(f"/q/{SLUG}/stap/2", data=filled({**form, "resume": resume}, worker.sections[1], 2))
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert f"<h1>{LOST[lang]}</h1>" in html and "/verder/" not in html
        assert AGAIN[lang] in html and f'href="/q/{SLUG}?lang={lang}"' in html
    assert len(saved_answers(responses)) == len(worker.sections[0].items)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_lost_cookie_on_the_start_page_stores_nothing(client, worker, responses, lang):
    html = client.get(f"/q/{SLUG}", query_string={"lang": lang}).get_data(as_text=True)
    data = {"csrf_token": csrf_token(html), "lang": lang, "p_sector": "techniek"}
    client.delete_cookie(SESSION_COOKIE, domain="localhost")
    response = client.post(f"/q/{SLUG}", data=data)
    assert response.status_code == 400
    assert f"<h1>{LOST[lang]}</h1>" in response.get_data(as_text=True)
    assert responses() == []


def test_other_forms_keep_the_ordinary_error_page(client, worker):
    response = client.post(f"/q/{SLUG}/verder/{'Zz9' + 'x' * 27}", data={})
    assert response.status_code == 400
    assert LOST["nl"] not in response.get_data(as_text=True)
