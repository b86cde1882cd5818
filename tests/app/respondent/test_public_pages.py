"""What every page carries: a favicon; and a meta description on the public pages (home, start page)."""

from __future__ import annotations

import re

import pytest

from tests.support.reports import store_report

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


def test_the_favicon_is_an_svg_in_static_linked_from_every_page(client, app):
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200
    assert icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg ")
    assert "style" not in icon.get_data(as_text=True)  # the CSP allows no inline style
    link = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'
    for path in ("/", "/q/loopbaan-apk", f"/r/{store_report(app)}", "/bestaat-niet", "/advisor/login"):
        assert link in client.get(path).get_data(as_text=True), path


@pytest.mark.parametrize(("path", "lang", "words"), [
    ("/", "nl", "de loopbaan-APK voor werkenden"),
    ("/", "en", "the career check-up for workers"),
    ("/q/loopbaan-apk", "nl", "Duurt ongeveer 10 minuten."),
    ("/q/loopbaan-apk", "en", "Takes about 10 minutes."),
    ("/q/leercultuur", "nl", "Duurt ongeveer"),
])
def test_public_pages_have_a_meta_description(client, path, lang, words):
    html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
    (description,) = DESCRIPTION.findall(html)
    assert words in description
    assert 50 <= len(description) <= 200


def test_private_pages_have_no_description(client, app):
    code = store_report(app)
    for path in (f"/r/{code}", f"/r/{code}/verwijderen", "/bestaat-niet"):
        assert "name=\"description\"" not in client.get(path).get_data(as_text=True), path
