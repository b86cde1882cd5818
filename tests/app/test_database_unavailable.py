"""When the database blinks (a locked SQLite file, a dropped or refused PostgreSQL connection), a page says
"probeer het zo opnieuw" and the API answers its JSON error, both with 503 and ``Retry-After``; never a
500, nothing half-stored, and the next try works."""

from __future__ import annotations

import sqlite3

import pytest
from flask import request
from sqlalchemy import select, text

from app import create_app
from app.errors import RETRY_AFTER
from app.extensions import db
from app.models import Response
from app.responses import store
from tests.support.flows import WORKER_PROFILE, csrf_token, post_page, post_profile

SLUG = "loopbaan-apk"


def api_body(defs) -> dict:
    q = defs.questionnaires[SLUG]
    return {"answers": {i.id: 3 for i in q.items}, "profile": WORKER_PROFILE}


def assert_retry_after(response) -> None:
    # Flask-Limiter raises it to the end of the current rate-limit window where that is later.
    assert int(response.headers["Retry-After"]) >= RETRY_AFTER


def assert_try_again_page(response) -> None:
    assert response.status_code == 503
    assert_retry_after(response)
    page = response.get_data(as_text=True)
    assert "Probeer het over een paar seconden opnieuw" in page
    assert "Traceback" not in page


def assert_try_again_json(response) -> None:
    assert response.status_code == 503
    assert_retry_after(response)
    assert response.get_json() == {"error": {"message": "The service is unavailable for a moment. Try again "
                                                        "shortly.", "details": []}}


def test_a_server_that_does_not_answer_gives_503_on_pages_and_api(tmp_path, defs):
    # Nothing listens on port 9 of this machine: every connection is refused.
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SERVER_NAME": "localhost",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"})
    client = app.test_client()
    assert client.get("/").status_code == 200  # the home page needs no database
    assert_try_again_page(client.get("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
    assert_try_again_json(client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=api_body(defs)))
    english = client.get("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?lang=en")
    assert english.status_code == 503 and "Try again in a few seconds" in english.get_data(as_text=True)


@pytest.fixture
def locked(app):
    """Take the SQLite file's write lock from another connection, as a long write would; release after."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("the write lock of a SQLite file")
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)

    def hold() -> None:
        connection.execute("BEGIN IMMEDIATE")

    def release() -> None:
        connection.execute("ROLLBACK")

    yield hold, release
    connection.close()


def test_a_locked_sqlite_file_gives_503_and_stores_nothing_then_the_retry_works(app, client, defs, locked):
    hold, release = locked
    q = defs.questionnaires[SLUG]
    post_profile(client, q)
    token = csrf_token(client.get(f"/q/{SLUG}/stap/1").get_data(as_text=True))
    form = {**{f"a_{i.id}": "2" for i in q.sections[0].items}, "action": "next", "csrf_token": token}
    hold()
    try:
        assert_try_again_page(client.post(f"/q/{SLUG}/stap/1", data=form))
        assert_try_again_json(client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=api_body(defs)))
    finally:
        release()
    with app.app_context():
        (response,) = db.session.scalars(select(Response))
        assert response.answers == {} and response.revision == 0
    again = client.post(f"/q/{SLUG}/stap/1", data=form)
    assert again.status_code == 302 and again.location == f"/q/{SLUG}/stap/2"


def drop_own_connection() -> None:
    """End this session's database connection from the server side, as a restart does."""
    pid = db.session.scalar(text("SELECT pg_backend_pid()"))
    with db.engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_a_connection_dropped_while_submitting_gives_503_and_the_retry_ends_on_one_report(app, client, defs,
                                                                                         monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a PostgreSQL connection ended by the server (make test-postgres)")
    q = defs.questionnaires[SLUG]
    post_profile(client, q)
    for step, section in enumerate(q.sections[:-1], start=1):
        post_page(client, q, step, {i.id: 4 for i in section.items})
    last = len(q.sections)
    token = csrf_token(client.get(f"/q/{SLUG}/stap/{last}").get_data(as_text=True))
    form = {**{f"a_{i.id}": "4" for i in q.sections[-1].items}, "action": "next", "csrf_token": token}
    original = store.submit

    def submit_on_a_dropped_connection(response, code):
        drop_own_connection()
        return original(response, code)

    monkeypatch.setattr(store, "submit", submit_on_a_dropped_connection)
    assert_try_again_page(client.post(f"/q/{SLUG}/stap/{last}", data=form))
    monkeypatch.setattr(store, "submit", original)
    with app.app_context():
        assert db.session.scalar(select(Response.status)) == Response.STARTED
    again = client.post(f"/q/{SLUG}/stap/{last}", data=form)
    assert again.status_code == 302 and again.location.startswith("/r/")
    assert client.get(again.location).status_code == 200


def test_a_connection_dropped_between_requests_is_replaced_without_an_error(app, client, defs):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a PostgreSQL connection ended by the server (make test-postgres)")
    created = client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=api_body(defs))
    code = created.get_json()["report_code"]
    with app.app_context():
        db.session.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    # The pool's pre-ping finds the dead connections and opens new ones.
    assert client.get(f"/r/{code}").status_code == 200


def test_a_connection_dropped_after_the_answer_was_made_still_delivers_it(app, client, defs):
    """The view has answered from its reads; then the server ends the connection (a fast shutdown), and
    ending the request's session fails on ROLLBACK. The answer goes out all the same, not gunicorn's 500."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a PostgreSQL connection ended by the server (make test-postgres)")

    @app.after_request
    def drop_connection(response):
        if request.headers.get("X-Drop") == "1":
            drop_own_connection()
        return response

    created = client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=api_body(defs))
    code = created.get_json()["report_code"]
    assert client.get(f"/r/{code}", headers={"X-Drop": "1"}).status_code == 200
    assert client.get(f"/api/v1/reports/{code}", headers={"X-Drop": "1"}).status_code == 200
    assert client.get(f"/api/v1/reports/{code}").status_code == 200  # and the next request gets a live connection


def test_a_lasting_database_fault_is_a_500_not_try_again(tmp_path, defs):
    """A missing column (a deploy without ``flask db upgrade``) is no blink: the 500 page, logged in full."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    app = create_app({"TESTING": False, "SECRET_KEY": "t", "SERVER_NAME": "localhost",
                      "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(revision="22c161bfd3ca")  # the schema before the response's revision column
    client = app.test_client()
    response = client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=api_body(defs))
    assert response.status_code == 500
    assert response.get_json()["error"]["message"] == "Internal server error."


def test_next_steps_saved_while_the_report_is_deleted_gives_404_not_500(app, client, defs, monkeypatch):
    """On SQLite the check that the report still exists takes no lock: a delete committed in between shows
    up as the new rows' foreign key, and the page says the report is gone. (PostgreSQL locks the row.)"""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("PostgreSQL holds the report's row lock: a delete in between waits for the save")
    from datetime import timedelta

    from app.responses import next_steps
    from tests.support.flows import complete

    code = complete(client, defs.questionnaires[SLUG], value=2).location.removeprefix("/r/")
    page = client.get(f"/r/{code}").get_data(as_text=True)
    with app.app_context():
        rec = next_steps.recommendations(store.find_report(code), "nl")[0]["id"]
    original = next_steps.delete  # the statement of the save's first write, built right after the check

    def deleted_meanwhile(*args, **kwargs):
        other = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
        other.execute("PRAGMA foreign_keys=ON")
        other.execute("DELETE FROM response")
        other.commit()
        other.close()
        return original(*args, **kwargs)

    monkeypatch.setattr(next_steps, "delete", deleted_meanwhile)
    day = (next_steps.today() + timedelta(days=5)).isoformat()
    response = client.post(f"/r/{code}/stappen", data={"csrf_token": csrf_token(page), "step": rec,
                                                      f"when_{rec}": day})
    assert response.status_code == 404
