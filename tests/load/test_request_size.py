"""Chunked request bodies (``Transfer-Encoding: chunked``, no ``Content-Length``) through gunicorn: over the
size limit 413, on a page form and on the API (it was 400: the body was cut off at the limit); within it
the body arrives whole. Marked ``load`` (starts gunicorn)."""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse

import pytest

from tests.support.flows import WORKER_PROFILE

from .server import SLUG, gunicorn

pytestmark = pytest.mark.load

TOO_BIG = 300 * 1024  # MAX_CONTENT_LENGTH is 256 KiB
SCORE = f"/api/v1/questionnaires/{SLUG}/score"


def chunks(body: bytes, size: int = 16 * 1024):
    """``body`` as an iterable: http.client sends it chunked, with no Content-Length."""
    return (body[i:i + size] for i in range(0, len(body), size))


def post_chunked(base: str, path: str, body: bytes, content_type: str, cookie: str = "") -> tuple[int, str, str]:
    """``(status, Content-Type, body)`` of a chunked POST."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("POST", path, body=chunks(body), headers={"Content-Type": content_type, "Cookie": cookie})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def start_page(base: str) -> tuple[str, str]:
    """The session cookie and the CSRF token of a fresh start page."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("GET", f"/q/{SLUG}")
        response = connection.getresponse()
        cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.read().decode()).group(1)
        return cookie, token
    finally:
        connection.close()


def test_chunked_bodies_over_the_limit_get_413_through_gunicorn(tmp_path):
    with gunicorn("sqlite", tmp_path, workers=1) as server:
        cookie, token = start_page(server.base)
        profile = urllib.parse.urlencode({"csrf_token": token, **{f"p_{k}": v for k, v in WORKER_PROFILE.items()}})
        status, content_type, page = post_chunked(server.base, f"/q/{SLUG}", f"{profile}&x={'x' * TOO_BIG}".encode(),
                                                  "application/x-www-form-urlencoded", cookie)
        assert (status, content_type.split(";")[0]) == (413, "text/html") and "Te veel gegevens" in page

        status, content_type, body = post_chunked(server.base, SCORE, b'{"answers": {}}' + b" " * TOO_BIG,
                                                  "application/json")
        assert status == 413 and json.loads(body)["error"]["message"] == "The request body is too large."

        # Within the limit the whole body arrives: the profile starts a check-up, the JSON is read to its end.
        status, _type, _page = post_chunked(server.base, f"/q/{SLUG}", profile.encode(),
                                            "application/x-www-form-urlencoded", cookie)
        assert status == 302
        status, _type, body = post_chunked(server.base, SCORE, b" " * 1000 + b'{"answers": {}}', "application/json")
        assert status == 400 and json.loads(body)["error"]["message"] == "The submission is invalid."
