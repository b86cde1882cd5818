"""The session cookie: app.security's serializer accepts exactly what Flask's own would, no more."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from uuid import UUID

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from hypothesis import example, given
from hypothesis import strategies as st
from itsdangerous import BadSignature, SignatureExpired
from markupsafe import Markup
from werkzeug.http import parse_cookie

from app.security import SessionInterface, SessionSerializer, cookie_value

DATA = {"csrf_token": "a" * 40, "resume": {"loopbaan-apk": "Zx9-code"}, "lang": "en", "_fresh": False}


def serializers(secret: str = "current", fallbacks: tuple[str, ...] = ()):
    """(ours, Flask's) for the same app settings."""
    app = Flask(__name__)
    app.secret_key = secret
    app.config["SECRET_KEY_FALLBACKS"] = list(fallbacks)
    ours = SessionInterface().get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    assert isinstance(ours, SessionSerializer)
    return app, ours, flasks


def test_cookies_go_both_ways_between_flask_and_us():
    app, ours, flasks = serializers()
    with app.app_context():
        assert ours.loads(flasks.dumps(DATA), max_age=3600) == DATA
        assert flasks.loads(ours.dumps(DATA), max_age=3600) == DATA
        big = {"notes": "herhaling " * 200}  # long enough to be worth compressing
        assert flasks.dumps(big).startswith(".") and ours.dumps(big).startswith(".")
        assert ours.loads(flasks.dumps(big)) == big == flasks.loads(ours.dumps(big))


@pytest.mark.parametrize("data", [
    {"when": datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "pair": (1, "a"), "raw": b"\x00\xff",
     "id": UUID(int=7), "html": Markup("<b>x</b>")},  # Flask's tagged values
    {"text": 'a value with {" t": [1]} in it', "nested": {" t": "a key like a tag, not alone"}},
    {"list": [{"a": [1, 2, {"b": None}]}, 1.5, True], "empty": {}, "unicode": "één"},
])
def test_tagged_and_plain_values_read_back_as_flask_reads_them(data):
    app, ours, flasks = serializers()
    with app.app_context():
        assert ours.loads(flasks.dumps(data), max_age=3600) == flasks.loads(flasks.dumps(data)) == data
        assert flasks.loads(ours.dumps(data), max_age=3600) == data


def test_the_serializer_is_made_once_per_secret():
    interface = SessionInterface()
    app = Flask(__name__)
    app.secret_key = "one"
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    app.secret_key = "two"
    assert interface.get_signing_serializer(app) is not first


@pytest.mark.parametrize("tamper", [
    lambda c: "f" + c[1:],  # the payload (JSON starts with '{"', which is "eyJ" in base64)
    lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # the signature
    lambda c: c.rpartition(".")[0],  # no signature
    lambda c: "",
    lambda c: "...",
    lambda c: c + ".",
])
def test_a_changed_cookie_is_refused_as_flask_refuses_it(tamper):
    app, ours, flasks = serializers()
    with app.app_context():
        bad = tamper(flasks.dumps(DATA))
        with pytest.raises(BadSignature):
            flasks.loads(bad, max_age=3600)
        with pytest.raises(BadSignature):
            ours.loads(bad, max_age=3600)


def test_another_secret_is_refused_unless_it_is_a_fallback():
    app, _, old = serializers(secret="old")
    with app.app_context():
        cookie = old.dumps(DATA)
    app, ours, _ = serializers(secret="new")
    with app.app_context(), pytest.raises(BadSignature):
        ours.loads(cookie)
    app, rotated, _ = serializers(secret="new", fallbacks=("old",))
    with app.app_context():
        assert rotated.loads(cookie, max_age=3600) == DATA


def test_an_old_or_future_cookie_is_expired(monkeypatch):
    app, ours, flasks = serializers()
    with app.app_context():
        cookie = flasks.dumps(DATA)
        now = time.time()
        monkeypatch.setattr(time, "time", lambda: now + 3601)
        with pytest.raises(SignatureExpired):
            ours.loads(cookie, max_age=3600)
        assert ours.loads(cookie) == DATA  # no max_age: no limit, as in itsdangerous
        monkeypatch.setattr(time, "time", lambda: now - 60)
        with pytest.raises(SignatureExpired):
            ours.loads(cookie, max_age=3600)


def session_app() -> Flask:
    """A bare Flask app with this session interface, for routes of a test's own."""
    app = Flask(__name__)
    app.secret_key = "s"
    app.session_interface = SessionInterface()
    return app


def test_a_session_survives_requests_and_a_tampered_one_starts_empty(tmp_path):
    app = session_app()

    @app.get("/set")
    def set_value():
        from flask import session
        session["resume"] = {"loopbaan-apk": "code"}
        return "ok"

    @app.get("/get")
    def get_value():
        from flask import session
        return session.get("resume", {}).get("loopbaan-apk", "none")

    client = app.test_client()
    client.get("/set")
    assert client.get("/get").get_data(as_text=True) == "code"
    cookie = client.get_cookie("session")
    assert cookie.value.startswith("eyJ")
    client.set_cookie("session", "f" + cookie.value[1:])
    assert client.get("/get").get_data(as_text=True) == "none"


# Cookie headers made of the pieces that matter to a parser: names, separators, spaces, tabs, "=".
_pieces = st.sampled_from(["session", "sessio", "session2", "remember_token", "=", ";", "; ", " ", "\t",
                           "eyJ.abc-_", "a=b", "x", ""])


@given(st.lists(_pieces, max_size=12).map("".join))
@example("session=abc")
@example("other=1; session=abc; session=def")
@example("session; session=abc")
@example("  session \t=\t abc  ;x=1")
@example("session=a b; session=c")
@example("session=a=b")
@example("session==")
@example(";;session=x;;")
def test_cookie_value_reads_a_header_as_werkzeug_does(header):
    assert cookie_value(header, "session") == parse_cookie(header).get("session", "")


def test_a_quoted_cookie_is_left_to_werkzeug():
    assert cookie_value('other="a;b"; session=abc', "session") is None


def test_the_session_is_read_among_other_cookies_and_from_a_quoted_value():
    app = session_app()

    @app.get("/get")
    def get_value():
        from flask import session
        return session.get("lang", "none")

    with app.app_context():
        cookie = app.session_interface.get_signing_serializer(app).dumps({"lang": "en"})
    client = app.test_client(use_cookies=False)  # the Cookie header as given
    for header in (f"a=1; session={cookie}; b=2", f'session="{cookie}"', f"session=; session={cookie}",
                   f"session=x{cookie}", "remember_token=1"):
        expected = "none" if header.startswith(("session=;", "session=x", "remember")) else "en"
        got = client.get("/get", headers={"Cookie": header}).get_data(as_text=True)
        assert got == expected, header


def test_a_session_is_written_only_when_changed_or_refreshed_and_vary_follows_reads():
    app = session_app()
    from flask import session

    @app.get("/read")
    def read():
        return str(session.get("n", "none"))

    @app.get("/read-vary")
    def read_with_own_vary():
        return str(session.get("n", "none")), {"Vary": "Accept-Language"}

    @app.get("/untouched")
    def untouched():
        return "ok"

    @app.get("/set/<int:n>")
    def set_value(n):
        session["n"] = n
        session.permanent = n == 2
        return "ok"

    client = app.test_client()
    first = client.get("/set/1")
    assert "session=" in first.headers["Set-Cookie"] and first.headers["Vary"] == "Cookie"
    only_read = client.get("/read")
    assert only_read.get_data(as_text=True) == "1"
    assert "Set-Cookie" not in only_read.headers and only_read.headers["Vary"] == "Cookie"
    assert client.get("/read-vary").headers["Vary"] == "Accept-Language, Cookie"
    neither = client.get("/untouched")
    assert "Set-Cookie" not in neither.headers and "Vary" not in neither.headers
    client.get("/set/2")  # permanent now: refreshed on every request (SESSION_REFRESH_EACH_REQUEST)
    for path in ("/read", "/untouched"):
        assert "session=" in client.get(path).headers.get("Set-Cookie", ""), path
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    assert "Set-Cookie" not in client.get("/read").headers
