"""Security headers, the session cookie, the request-size limit, API rate limits, CSRF over HTTPS."""

from __future__ import annotations

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app
from app.extensions import db
from app.protection.security import CSP
from tests.support.flows import csrf_token, post_profile
from tests.support.reports import store_report

SCORE = "/api/v1/questionnaires/loopbaan-apk/score"


@pytest.fixture
def make_app(tmp_path):
    """A function returning a migrated app with extra config (a new database each call)."""
    made = []

    def make(**config):
        from flask_migrate import upgrade

        app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / f'db{len(made)}.sqlite'}",
                          **config})
        with app.app_context():
            upgrade()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("path", ["/", "/q/loopbaan-apk", "/static/style.css", "/api/v1/questionnaires",
                                  "/api/v1/openapi.json", "/bestaat-niet", "/api/v1/bestaat-niet", "/healthz"])
def test_every_response_has_the_security_headers(client, path):
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"] == CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored anyway


def test_csp_allows_no_inline_code_and_no_framing():
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert "unsafe" not in CSP
    assert directives["script-src"] == directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == directives["base-uri"] == "'none'"


def test_report_pages_keep_their_own_referrer_policy(app, client):
    code = store_report(app)
    for path in (f"/r/{code}", f"/r/{code}/verwijderen"):
        headers = client.get(path).headers
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Content-Security-Policy"] == CSP


def test_hsts_only_over_https(client):
    assert client.get("/", base_url="https://localhost").headers["Strict-Transport-Security"].startswith("max-age=")


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, "the page set no session cookie"
    return cookies[0]


def test_session_cookie_is_httponly_and_lax_and_not_secure_over_http(client):
    cookie = _session_cookie(client.get("/q/loopbaan-apk"))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(client):
    assert "Secure" in _session_cookie(client.get("/q/loopbaan-apk", base_url="https://localhost"))


def test_session_cookie_secure_can_be_forced(make_app):
    client = make_app(SESSION_COOKIE_SECURE=True).test_client()
    assert "Secure" in _session_cookie(client.get("/q/loopbaan-apk"))


@pytest.mark.parametrize(("proxies", "secure"), [(0, False), (1, True)])
def test_forwarded_proto_counts_only_behind_a_trusted_proxy(make_app, proxies, secure):
    app = make_app()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=proxies)  # as app/wsgi.py does with PROXY_FIX_X_PROTO
    response = app.test_client().get("/q/loopbaan-apk", headers={"X-Forwarded-Proto": "https"})
    assert ("Secure" in _session_cookie(response)) is secure


def test_forms_on_report_pages_work_over_https_without_a_referer(app, client):
    """Report pages send no Referer; Flask-WTF's strict HTTPS Referer check would refuse their forms."""
    code = store_report(app)
    https = "https://localhost"
    page = client.get(f"/r/{code}/verwijderen", base_url=https)
    response = client.post(f"/r/{code}/verwijderen", base_url=https,
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert client.get(f"/r/{code}").status_code == 404


def test_a_post_without_csrf_token_is_still_refused_over_https(app, client):
    code = store_report(app)
    assert client.post(f"/r/{code}/verwijderen", base_url="https://localhost").status_code == 400
    assert client.get(f"/r/{code}").status_code == 200


TOO_BIG = 300 * 1024  # MAX_CONTENT_LENGTH is 256 KiB


def test_too_large_form_post_gets_the_413_page(client):
    response = client.post("/q/loopbaan-apk", data={"p_sector": "x" * TOO_BIG})
    assert response.status_code == 413
    assert "text/html" in response.content_type


def test_too_large_api_post_gets_the_json_413(client):
    response = client.post(SCORE, data=b'{"answers": {}, "x": "' + b"x" * TOO_BIG + b'"}',
                           content_type="application/json")
    assert response.status_code == 413
    assert response.get_json() == {"error": {"message": "The request body is too large.", "details": []}}


def test_api_posts_are_limited_per_client_with_the_json_error_and_retry_after(make_app):
    client = make_app(API_RATELIMIT_POST="3/minute").test_client()
    assert [client.post(SCORE, json={}).status_code for _ in range(3)] == [400, 400, 400]
    limited = client.post(SCORE, json={})
    assert limited.status_code == 429
    assert limited.get_json()["error"]["message"] == "Too many requests. Wait a moment and try again."
    assert int(limited.headers["Retry-After"]) > 0
    # GETs have their own budget, and another client address its own counter.
    assert client.get("/api/v1/questionnaires").status_code == 200
    assert client.post(SCORE, json={}, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 400


def test_api_gets_are_limited_too(make_app):
    client = make_app(API_RATELIMIT_GET="2/minute").test_client()
    assert [client.get("/api/v1/questionnaires").status_code for _ in range(3)] == [200, 200, 429]


def test_pages_are_not_limited_by_the_api_budget(make_app):
    client = make_app(API_RATELIMIT_POST="1/minute", API_RATELIMIT_GET="1/minute").test_client()
    assert [client.get("/q/loopbaan-apk").status_code for _ in range(3)] == [200, 200, 200]


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(make_app):
    app = make_app(API_RATELIMIT_POST="1/minute")
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1)  # as app/wsgi.py does with PROXY_FIX_X_FOR
    client = app.test_client()
    first = {"X-Forwarded-For": "198.51.100.1"}
    assert client.post(SCORE, json={}, headers=first).status_code == 400
    assert client.post(SCORE, json={}, headers=first).status_code == 429
    assert client.post(SCORE, json={}, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 400


def test_rate_limits_can_be_switched_off_for_one_app_only(make_app):
    off = make_app(RATELIMIT_ENABLED=False, API_RATELIMIT_POST="1/minute").test_client()
    assert {off.post(SCORE, json={}).status_code for _ in range(3)} == {400}
    on = make_app(API_RATELIMIT_POST="1/minute").test_client()  # the next app limits again
    assert [on.post(SCORE, json={}).status_code for _ in range(2)] == [400, 429]


def test_respondent_pages_leave_the_session_cookie_alone(client, defs):
    """Once a check-up is started, showing its pages changes nothing in the session: no new cookie
    per page (Flask-Login's "strong" protection used to rewrite every worker's session)."""
    worker = defs.questionnaires["loopbaan-apk"]
    started = post_profile(client, worker)
    assert "session=" in started.headers.get("Set-Cookie", "")
    for path in ("/q/loopbaan-apk/stap/1", "/q/loopbaan-apk/stap/2", "/q/loopbaan-apk", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        assert response.headers["Vary"] == "Cookie", path  # read from the session: caches must know
    with client.session_transaction() as session:
        assert set(session) == {"csrf_token", "resume", "report"}


def test_error_pages_carry_the_security_headers_and_what_the_error_says(tmp_path):
    app = create_app({"TESTING": False, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    failed, not_allowed = client.get("/boom"), client.post("/")
    assert (failed.status_code, not_allowed.status_code) == (500, 405)
    for response in (failed, not_allowed):
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert response.headers["X-Frame-Options"] == "DENY"
    assert set(not_allowed.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
