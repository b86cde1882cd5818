"""Serving: the gunicorn settings, the WSGI entry point behind a proxy, /healthz and the request log."""

from __future__ import annotations

import json
import logging
import re
import runpy
from pathlib import Path

import pytest
from flask import request

from app import create_app
from app.request_log import FIELDS, log_line
from app.wsgi import behind_proxy
from tests.support.flows import complete, post_profile
from tests.support.reports import store_report

REPO = Path(__file__).resolve().parents[2]


def gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("BIND", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(REPO / "gunicorn.conf.py"))


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    default = gunicorn_settings(monkeypatch)
    assert default["bind"] == "127.0.0.1:8000"
    assert 3 <= default["workers"] <= 12
    assert default["preload_app"] is True
    assert default["accesslog"] is None  # its lines would hold report paths; the app logs instead
    assert gunicorn_settings(monkeypatch, PORT="8080")["bind"] == "0.0.0.0:8080"
    settings = gunicorn_settings(monkeypatch, PORT="8080", BIND="unix:/run/rk.sock", WEB_CONCURRENCY="3")
    assert settings["bind"] == "unix:/run/rk.sock"
    assert settings["workers"] == 3


def remote_addr_app(tmp_path, **config):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}", **config})
    app.add_url_rule("/whoami", "whoami", lambda: f"{request.scheme} {request.remote_addr}")
    return behind_proxy(app).test_client()


def test_forwarded_headers_count_only_when_configured(tmp_path):
    headers = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    direct = remote_addr_app(tmp_path).get("/whoami", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert direct.get_data(as_text=True) == "http 10.0.0.2"
    proxied = remote_addr_app(tmp_path, PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1).get(
        "/whoami", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert proxied.get_data(as_text=True) == "https 203.0.113.7"


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'missing' / 'db.sqlite'}"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


@pytest.fixture
def request_log(capfd):
    """A function returning the request-log lines written to standard output so far, parsed."""
    written: list[str] = []

    def lines() -> list[dict]:
        written.extend(capfd.readouterr().out.splitlines())
        return [json.loads(line) for line in written if line.startswith("{")]
    lines.text = lambda: (lines(), "\n".join(written))[1]
    return lines


def test_one_json_line_per_request_with_the_route_pattern(client, request_log):
    client.get("/healthz")
    client.get("/q/loopbaan-apk?lang=en")
    client.get("/bestaat-niet")
    health, start, missing = request_log()
    assert tuple(health) == FIELDS
    assert (health["method"], health["route"], health["status"]) == ("GET", "/healthz", 200)
    assert health["duration_ms"] >= 0
    assert (start["route"], start["endpoint"]) == ("/q/<slug>", "respondent.start")
    assert (missing["route"], missing["status"]) == (None, 404)


def test_request_log_holds_no_codes_answers_or_query_strings(app, client, defs, request_log):
    worker = defs.questionnaires["loopbaan-apk"]
    # The page flow: profile, a resume link used, every page, the report.
    post_profile(client, worker)
    page = client.get("/q/loopbaan-apk/stap/1?lang=nl").get_data(as_text=True)
    resume_code = re.search(r"/q/loopbaan-apk/verder/([A-Za-z0-9_-]+)", page).group(1)
    assert client.get(f"/q/loopbaan-apk/verder/{resume_code}").status_code == 302
    report_url = complete(client, worker, value=2).headers["Location"]
    page_code = report_url.rsplit("/", 1)[1]
    assert client.get(report_url).status_code == 200
    # The API: store a response, read it back with a query string.
    api_code = store_report(app, value=5)
    assert client.get(f"/api/v1/reports/{api_code}?lang=en").status_code == 200

    text = request_log.text()
    for secret in (resume_code, page_code, api_code, "lang=", "?"):
        assert secret not in text
    routes = {(line["method"], line["route"], line["status"]) for line in request_log()}
    assert {("GET", "/q/<slug>/verder/<code>", 302), ("GET", "/r/<code>", 200),
            ("POST", "/api/v1/questionnaires/<slug>/responses", 201),
            ("GET", "/api/v1/reports/<code>", 200)} <= routes
    for line in request_log():  # nothing but the six fields, none of them a free text
        assert tuple(line) == FIELDS


def test_development_server_does_not_log_paths(app, caplog, request_log):
    """``make run`` serves with werkzeug, whose access lines would hold the report code."""
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    code = store_report(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO):
            url = f"http://127.0.0.1:{server.server_port}/r/{code}?lang=en"
            with urllib.request.urlopen(url) as response:  # noqa: S310 (a local test server)
                assert response.status == 200
    finally:
        server.shutdown()
    text = "\n".join(r.getMessage() for r in caplog.records) + request_log.text()
    assert '"route": "/r/<code>"' in text  # the request was logged, as its pattern
    assert code not in text and "lang=en" not in text


def test_log_line_is_the_json_of_its_six_fields():
    from datetime import UTC, datetime

    at = datetime(2026, 11, 23, 9, 30, 5, 123456, tzinfo=UTC)
    line = log_line(at, "GET", "/r/<code>", "respondent.report", 200, 0.4)
    assert json.loads(line) == {"time": "2026-11-23T09:30:05.123+00:00", "method": "GET", "route": "/r/<code>",
                                "endpoint": "respondent.report", "status": 200, "duration_ms": 0.4}
    # A client's odd method is escaped, not copied into the JSON.
    odd = json.loads(log_line(at, 'X"}\n', None, None, 405, 1.0))
    assert (odd["method"], odd["route"], odd["endpoint"]) == ('X"}\n', None, None)


def test_a_view_that_raises_is_logged_as_500(tmp_path, request_log):
    app = create_app({"TESTING": False, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    assert app.test_client().get("/boom").status_code == 500
    (line,) = request_log()
    assert (line["route"], line["endpoint"], line["status"]) == ("/boom", "boom", 500)


def test_each_line_is_one_write_to_standard_output(monkeypatch):
    """Workers share one pipe: a line written in one ``write()`` and flushed at once is never split
    by another worker's."""
    import sys

    from app.request_log import logger

    calls: list[tuple[str, str]] = []

    class Stdout:
        def write(self, text: str) -> None:
            calls.append(("write", text))

        def flush(self) -> None:
            calls.append(("flush", ""))

    monkeypatch.setattr(sys, "stdout", Stdout())
    logger.info('{"a": 1}')
    logger.info('{"b": 2}')
    assert calls == [("write", '{"a": 1}\n'), ("flush", ""), ("write", '{"b": 2}\n'), ("flush", "")]



class FakeWorker:
    """The part of a gunicorn worker that ``post_request`` uses: ``alive`` and ``log.info``."""

    def __init__(self) -> None:
        self.alive = True
        self.lines: list[str] = []
        self.log = self

    def info(self, message: str, *args) -> None:
        self.lines.append(message % args)


class FakeResponse:
    """What gunicorn hands ``post_request`` as ``resp``: its ``headers`` are a list of (name, value)."""

    def __init__(self, content_type: str | None, name: str = "Content-Type") -> None:
        self.headers = [("Cache-Control", "no-store")] + ([(name, content_type)] if content_type else [])


PDF = FakeResponse("application/pdf")


def test_a_worker_is_retired_after_pdf_recycle_after_pdfs(monkeypatch):
    hook = gunicorn_settings(monkeypatch, PDF_RECYCLE_AFTER="3")["post_request"]
    worker = FakeWorker()
    for content_type in ("text/html; charset=utf-8", "image/png", "application/json", "text/calendar", None):
        hook(worker, None, {}, FakeResponse(content_type))
    hook(worker, None, {}, None)  # a request that failed before any response
    hook(worker, None, {}, PDF)
    hook(worker, None, {}, FakeResponse("text/html; charset=utf-8"))
    hook(worker, None, {}, PDF)
    assert worker.alive is True and worker.lines == []
    hook(worker, None, {}, PDF)  # the third PDF
    assert worker.alive is False
    assert worker.lines == ["Recycling worker after 3 PDFs (WeasyPrint memory)"]


def test_pdf_content_type_is_matched_without_case_or_parameters(monkeypatch):
    hook = gunicorn_settings(monkeypatch, PDF_RECYCLE_AFTER="1")["post_request"]
    worker = FakeWorker()
    hook(worker, None, {}, FakeResponse("text/html", name="content-type"))
    assert worker.alive
    hook(worker, None, {}, FakeResponse("Application/PDF; x=1", name="content-type"))
    assert not worker.alive


def test_each_worker_counts_its_own_pdfs(monkeypatch):
    hook = gunicorn_settings(monkeypatch, PDF_RECYCLE_AFTER="2")["post_request"]
    first, second = FakeWorker(), FakeWorker()
    hook(first, None, {}, PDF)
    hook(second, None, {}, PDF)
    assert first.alive and second.alive
    hook(first, None, {}, PDF)
    assert not first.alive and second.alive


def test_pdf_recycling_defaults_to_200_and_0_turns_it_off(monkeypatch):
    monkeypatch.delenv("PDF_RECYCLE_AFTER", raising=False)
    default = gunicorn_settings(monkeypatch)
    assert default["PDF_RECYCLE_AFTER"] == 200
    assert default["max_requests"] == 10000  # unchanged: the general safety net
    worker = FakeWorker()
    for _ in range(199):
        default["post_request"](worker, None, {}, PDF)
    assert worker.alive
    default["post_request"](worker, None, {}, PDF)
    assert not worker.alive

    hook = gunicorn_settings(monkeypatch, PDF_RECYCLE_AFTER="0")["post_request"]
    worker = FakeWorker()
    for _ in range(1000):
        hook(worker, None, {}, PDF)
    assert worker.alive and worker.lines == []


def test_the_hook_reads_gunicorns_own_response_and_config(monkeypatch):
    """A real gunicorn ``Response`` given the headers Flask sends for a PDF, through gunicorn's
    ``Config`` (which checks the hook takes worker, req, environ, resp)."""
    from flask import Response
    from gunicorn.config import Config
    from gunicorn.http.wsgi import Response as GunicornResponse

    config = Config()
    config.set("post_request", gunicorn_settings(monkeypatch, PDF_RECYCLE_AFTER="1")["post_request"])

    class Request:
        method = "GET"

    def sent(flask_response: Response) -> GunicornResponse:
        resp = GunicornResponse(Request(), None, config)
        resp.start_response(flask_response.status, flask_response.headers.to_wsgi_list())
        return resp

    worker = FakeWorker()
    config.post_request(worker, Request(), {}, sent(Response("<p>page</p>")))
    assert worker.alive
    config.post_request(worker, Request(), {}, sent(Response(b"%PDF-1.7", mimetype="application/pdf")))
    assert not worker.alive
