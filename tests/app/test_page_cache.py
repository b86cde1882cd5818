"""Rendered report pages are remembered, never served stale, and carry each visitor's own CSRF token."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from app.extensions import db
from app.models import Organisation, SharedReport, User
from app.page_cache import CSRF_PLACEHOLDER, PageCache
from app.respondent import views

from ..conftest import csrf_token
from .reports import store_report
from .step_actions import finish_report, in_days, post_steps


def without_tokens(html: str) -> str:
    """``html`` without its CSRF tokens: they carry a timestamp in seconds, so two views may differ there."""
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+"', r"\1", html)


@pytest.fixture
def renders(monkeypatch):
    """The number of times the report template was rendered."""
    count = {"report": 0}
    real = views.render_template

    def counting(template, **context):
        if template == "respondent/report.html":
            count["report"] += 1
        return real(template, **context)

    monkeypatch.setattr(views, "render_template", counting)
    return count


def test_a_repeated_view_is_not_rendered_again(app, client, renders):
    code = store_report(app)
    first = client.get(f"/r/{code}")
    second = client.get(f"/r/{code}")
    assert first.status_code == second.status_code == 200
    assert renders["report"] == 1
    assert second.headers["Cache-Control"] == "no-store"  # remembered by the server, never by a browser
    assert without_tokens(second.get_data(as_text=True)) == without_tokens(first.get_data(as_text=True))


def test_each_visitor_gets_their_own_working_csrf_token(app, defs):
    report = finish_report(app.test_client(), defs.questionnaires["loopbaan-apk"])
    owner, other = app.test_client(), app.test_client()
    owner_page = owner.get(report.url).get_data(as_text=True)
    other_page = other.get(report.url).get_data(as_text=True)  # from the cache
    assert CSRF_PLACEHOLDER not in other_page
    assert csrf_token(owner_page) != csrf_token(other_page)
    # The token in the remembered page works for the visitor it was served to.
    response = post_steps(other, report, {report.recs[0]["id"]: in_days(5)})
    assert response.status_code == 302


def test_saved_steps_show_at_once(app, client, defs, renders):
    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    before = client.get(report.url).get_data(as_text=True)
    assert 'class="step-list' not in before
    rec = report.recs[0]
    assert post_steps(client, report, {rec["id"]: in_days(5)}).status_code == 302
    after = client.get(report.url).get_data(as_text=True)
    assert re.search(r'<h3 class="step-title">[^<]*</h3>', after)
    assert renders["report"] == 2


def test_sharing_shows_at_once(app, client, renders):
    code = store_report(app)
    assert "gedeeld met je adviseur" not in client.get(f"/r/{code}").get_data(as_text=True)
    with app.app_context():
        from app import responses

        user = User(email="a@example.org", password_hash="x", role="advisor", active=True)
        org = Organisation(name="Bakkerij De Korenaar", size="10_49")
        db.session.add_all([user, org])
        db.session.flush()
        db.session.add(SharedReport(organisation_id=org.id, response_id=responses.find_report(code).id,
                                    added_by=user.id))
        db.session.commit()
    page = client.get(f"/r/{code}").get_data(as_text=True)
    assert "Bakkerij De Korenaar" in page
    assert renders["report"] == 2


def test_language_and_chart_choice_are_separate_pages(app, client, renders):
    code = store_report(app)
    dutch = client.get(f"/r/{code}?lang=nl").get_data(as_text=True)
    english = client.get(f"/r/{code}?lang=en").get_data(as_text=True)
    radar = client.get(f"/r/{code}?lang=en&grafiek=radar").get_data(as_text=True)
    assert "Jouw uitslag" in dutch and "Your report" in english
    assert 'aria-current="true">radar chart<' in radar and 'aria-current="true">radar chart<' not in english
    assert renders["report"] == 3
    client.get(f"/r/{code}?grafiek=radar&lang=en")
    assert renders["report"] == 3


def test_comparison_is_always_rendered_afresh(app, client, renders):
    earlier, later = store_report(app, value=2), store_report(app, value=4)
    client.get(f"/r/{later}?vergelijk={earlier}")
    client.get(f"/r/{later}?vergelijk={earlier}")
    assert renders["report"] == 2


def test_deleted_report_is_gone_even_when_remembered(app, client):
    code = store_report(app)
    assert client.get(f"/r/{code}").status_code == 200
    with app.app_context():
        from app import responses

        responses.delete(responses.find_report(code))
    assert client.get(f"/r/{code}").status_code == 404


def test_cache_keeps_the_most_recently_used_pages():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "x"
    cache = PageCache(size=2)
    with app.test_request_context():
        for key in ("a", "b", "a", "c"):  # "b" is the least recently used when "c" comes
            cache.page(key, lambda k=key: f"<p>{k}</p>")
        drawn = []
        cache.page("b", lambda: drawn.append("b") or "<p>b</p>")
        cache.page("c", lambda: drawn.append("c") or "<p>c</p>")
    assert drawn == ["b"]
    assert len(cache) == 2


def test_size_zero_switches_the_cache_off():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "x"
    cache = PageCache(size=0)
    with app.test_request_context():
        drawn = []
        for _ in range(2):
            cache.page("a", lambda: drawn.append(1) or "<p>a</p>")
    assert len(drawn) == 2 and len(cache) == 0


def test_a_new_report_never_gets_the_page_of_a_deleted_one(app, client):
    from app import responses

    first = store_report(app, value=2)
    first_page = client.get(f"/r/{first}").get_data(as_text=True)
    with app.app_context():
        gone = responses.find_report(first)
        gone_id = gone.id
        responses.delete(gone)
    second = store_report(app, value=4)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":  # SQLite hands out the freed id again; PostgreSQL never does
            assert responses.find_report(second).id == gone_id
    second_page = client.get(f"/r/{second}").get_data(as_text=True)
    assert first not in second_page and second in second_page
    assert second_page != first_page.replace(first, second)


def test_report_page_state_reads_steps_and_shares_of_that_report_only(app, client, defs):
    from datetime import date

    from app import responses
    from app.models import NextStep

    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    other = store_report(app)
    with app.app_context():
        response, other_response = responses.find_report(report.code), responses.find_report(other)
        user = User(email="b@example.org", password_hash="x", role="advisor", active=True)
        orgs = [Organisation(name=name, size="10_49") for name in ("Zuivel BV", "Atelier Noord", "Elders")]
        db.session.add_all([user, *orgs])
        db.session.flush()
        db.session.add_all([SharedReport(organisation_id=orgs[0].id, response_id=response.id, added_by=user.id),
                            SharedReport(organisation_id=orgs[1].id, response_id=response.id, added_by=user.id),
                            SharedReport(organisation_id=orgs[2].id, response_id=other_response.id,
                                         added_by=user.id)])
        db.session.add_all([NextStep(response_id=response.id, intervention_id="b", knob="room",
                                     due_date=date(2031, 5, 2), position=2),
                            NextStep(response_id=response.id, intervention_id="a", knob="room",
                                     due_date=date(2031, 5, 1), position=1)])
        db.session.commit()
        assert responses.report_page_state(report.code) == (
            (("a", date(2031, 5, 1), 1), ("b", date(2031, 5, 2), 2)), ("Atelier Noord", "Zuivel BV"))
        assert responses.report_page_state(other) == ((), ("Elders",))
        assert responses.report_page_state("no-such-code") is None


def test_csrf_tokens_are_flask_wtfs_signed_once_a_minute_per_session(app, monkeypatch):
    import time

    from flask import g, session
    from flask_wtf.csrf import generate_csrf, validate_csrf

    from app import page_cache

    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    with app.test_request_context("/"):
        first = page_cache.csrf_token()  # a new session: a raw token made for it
        raw = session["csrf_token"]
        assert len(raw) == 40
        validate_csrf(first)  # raises when Flask-WTF would refuse it
        assert generate_csrf() == first  # the rest of the request sees the same token
    with app.test_request_context("/"):
        session["csrf_token"] = raw
        assert page_cache.csrf_token() == first  # signed less than a minute ago: handed out again
    clock[0] += page_cache.CSRF_REUSE_SECONDS
    with app.test_request_context("/"):
        session["csrf_token"] = raw
        validate_csrf(page_cache.csrf_token())
        assert g.csrf_token is not None
    with app.test_request_context("/"):
        session["csrf_token"] = "another session's raw token"
        other = page_cache.csrf_token()
        assert other != first
        validate_csrf(other)
