"""The app's request class reads a body of declared length in one call, and otherwise exactly as
werkzeug does: the same bytes, the same errors, the same state afterwards."""

from __future__ import annotations

import io

import pytest
from flask import Flask, Request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.test import EnvironBuilder

from app.wrappers import AppRequest

LIMIT = 1024


@pytest.fixture(scope="module")
def flask_app():
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = LIMIT
    return app


class CountingInput(io.BytesIO):
    """A WSGI input that counts the calls made to read it."""

    reads = 0

    def read(self, size=-1):
        self.reads += 1
        return super().read(size)


def environ(body: bytes, *, length: int | None = None, **extra) -> dict:
    env = EnvironBuilder(method="POST", data=body, content_type="application/json").get_environ()
    env["wsgi.input"] = CountingInput(body)
    if length is None:
        env.pop("CONTENT_LENGTH", None)
    else:
        env["CONTENT_LENGTH"] = str(length)
    env.update(extra)
    return env


def outcome(flask_app, request_class, env: dict, **kwargs):
    """What ``get_data(**kwargs)`` gives (or raises), then what the stream and a second call give."""
    with flask_app.test_request_context(environ_base=env):
        request = request_class(dict(env))
        try:
            first = request.get_data(**kwargs)
        except Exception as exc:  # noqa: BLE001 - the exception's type is what is compared
            return type(exc)
        return first, request.stream.read(), request.get_data(**kwargs)


BODY = b'{"answers": {"m1": 4}, "profile": {}}'
TEXT = '{"naam": "Zoë"}'.encode()
CASES = {
    "declared length": (environ(BODY, length=len(BODY)), {}),
    "not cached": (environ(BODY, length=len(BODY)), {"cache": False}),
    "as text": (environ(TEXT, length=len(TEXT)), {"as_text": True}),
    "exactly the limit": (environ(b"x" * LIMIT, length=LIMIT), {}),
    "over the limit": (environ(b"x" * (LIMIT + 1), length=LIMIT + 1), {}),
    "empty": (environ(b"", length=0), {}),
    "no length": (environ(BODY), {}),
    "no length, server-terminated": (environ(BODY, **{"wsgi.input_terminated": True}), {}),
    "chunked": (environ(BODY, length=len(BODY), HTTP_TRANSFER_ENCODING="chunked",
                        **{"wsgi.input_terminated": True}), {}),
    "cut short": (environ(BODY[:10], length=len(BODY)), {}),
    "invalid length": (environ(BODY, CONTENT_LENGTH="many"), {}),
    "form data asked for": (environ(BODY, length=len(BODY)), {"parse_form_data": True}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_body_reads_as_werkzeug_reads_it(flask_app, case):
    env, kwargs = CASES[case]
    body = env["wsgi.input"].getvalue()
    expected = outcome(flask_app, Request, {**env, "wsgi.input": CountingInput(body)}, **kwargs)
    assert outcome(flask_app, AppRequest, {**env, "wsgi.input": CountingInput(body)}, **kwargs) == expected


def test_a_body_of_declared_length_is_read_in_one_call(flask_app):
    env = environ(BODY, length=len(BODY))
    with flask_app.test_request_context(environ_base=env):
        assert AppRequest(env).get_data() == BODY
    assert env["wsgi.input"].reads == 1


def test_a_body_cut_short_is_a_client_that_went_away(flask_app):
    env = environ(BODY[:10], length=len(BODY))
    with flask_app.test_request_context(environ_base=env), pytest.raises(ClientDisconnected):
        AppRequest(env).get_data()


def test_a_body_over_the_limit_is_refused_unread(flask_app):
    env = environ(b"x" * (LIMIT + 1), length=LIMIT + 1)
    with flask_app.test_request_context(environ_base=env), pytest.raises(RequestEntityTooLarge):
        AppRequest(env).get_data()
    assert env["wsgi.input"].tell() == 0


def test_the_app_uses_it(app, client):
    assert issubclass(app.request_class, AppRequest)
    body = b'{"answers": {}, "profile": {}, "lang": "en"}'
    response = client.post("/api/v1/questionnaires/loopbaan-apk/score", data=body, content_type="application/json")
    assert response.status_code == 400  # read and parsed: the profile's required fields are listed
    assert {d["field"] for d in response.get_json()["error"]["details"]} >= {"profile.sector"}
