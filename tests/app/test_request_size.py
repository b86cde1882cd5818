"""The request-size limit for a body sent without a length (``Transfer-Encoding: chunked``): 413 over the
limit, as with a ``Content-Length``, on a page form and on the API; a streamed body within the limit works.

gunicorn hands such a body on with ``wsgi.input_terminated`` set (it ends the stream itself); the test
client is told to do the same. tests/load/test_request_size.py sends the same requests through gunicorn.
"""

from __future__ import annotations

import io
import json

from tests.support.flows import WORKER_PROFILE, csrf_token

SCORE = "/api/v1/questionnaires/loopbaan-apk/score"
LIMIT = 256 * 1024  # MAX_CONTENT_LENGTH
TOO_BIG = 300 * 1024


def streamed(client, url: str, body: bytes, content_type: str):
    """POST ``body`` without a Content-Length, as gunicorn passes on a chunked request."""
    return client.post(url, input_stream=io.BytesIO(body), content_type=content_type,
                       headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})


def _form(client, **fields: str) -> bytes:
    token = csrf_token(client.get("/q/loopbaan-apk").get_data(as_text=True))
    pairs = {"csrf_token": token, **{f"p_{k}": v for k, v in WORKER_PROFILE.items()}, **fields}
    return "&".join(f"{name}={value}" for name, value in pairs.items()).encode()


def _score_body(defs, padding: int = 0) -> bytes:
    q = defs.questionnaires["loopbaan-apk"]
    body = json.dumps({"answers": {i.id: 3 for i in q.items}, "profile": WORKER_PROFILE}).encode()
    return body + b" " * padding


def test_a_streamed_form_over_the_limit_gets_the_413_page(client, responses):
    response = streamed(client, "/q/loopbaan-apk", _form(client, x="x" * TOO_BIG), "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "text/html" in response.content_type and "Te veel gegevens" in response.get_data(as_text=True)
    assert responses() == []


def test_a_streamed_api_body_over_the_limit_gets_the_json_413(client, defs):
    response = streamed(client, SCORE, _score_body(defs, TOO_BIG), "application/json")
    assert response.status_code == 413
    assert response.get_json() == {"error": {"message": "The request body is too large.", "details": []}}


def test_streamed_bodies_within_the_limit_are_read_whole(client, defs, responses):
    body = _score_body(defs)
    exactly = streamed(client, SCORE, body + b" " * (LIMIT - len(body)), "application/json")
    assert exactly.status_code == 200 and "factors" in exactly.get_json()
    started = streamed(client, "/q/loopbaan-apk", _form(client), "application/x-www-form-urlencoded")
    assert started.status_code == 302 and len(responses()) == 1
