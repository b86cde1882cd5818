"""No report, resume or invite code in any log line: gunicorn's error log and the app's request log under
gunicorn, and the development server's log under ``flask run`` (``make run``), with requests that fail
inside Flask and outside it. Marked ``load`` (starts servers)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.flows import WORKER_PROFILE

from .fault_hooks import RAISE_IN_APP, RAISE_OUTSIDE
from .server import REPO, SLUG, PageFlow, call, free_port, gunicorn, wait_until_healthy, worker_body

pytestmark = pytest.mark.load

FAULTS_CONFIG = Path(__file__).with_name("gunicorn_faults.conf.py")
#: Codes that were never issued, asked for anyway (a typo, a guess): they must not be logged either.
UNKNOWN_REPORT = "Zz9" + "x" * 27
UNKNOWN_INVITE = "Qq7" + "y" * 19


def status_of(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=60) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (ConnectionError, urllib.error.URLError):
        return 0  # the connection was closed without an answer (gunicorn's own error)


def exercise(base: str) -> list[str]:
    """Walk every path that carries a code, let some requests fail inside and outside Flask; the codes used."""
    _, questionnaire = call(f"{base}/api/v1/questionnaires/{SLUG}")
    items = [i["id"] for section in questionnaire["sections"] for i in section["items"]]
    api_code = call(f"{base}/api/v1/questionnaires/{SLUG}/responses", worker_body(items, 1))[1]["report_code"]

    respondent = PageFlow(base)
    respondent.start(WORKER_PROFILE)
    page = respondent.get(f"/q/{SLUG}/stap/1")[1]
    resume_code = re.search(rf"/q/{SLUG}/verder/([A-Za-z0-9_-]+)", page).group(1)
    assert status_of(f"{base}/q/{SLUG}/verder/{resume_code}") == 200
    sections = [[i["id"] for i in section["items"]] for section in questionnaire["sections"]]
    for step, section in enumerate(sections, start=1):
        _, final_url, _ = respondent.answer(step, dict.fromkeys(section, 3))
    page_code = final_url.rsplit("/r/", 1)[1]

    # The compare form posts a pasted link to the earlier report; a code typed into the query string (the old
    # GET form, now ignored) is percent-encoded there, and must not be logged either.
    assert respondent.post(f"/r/{page_code}/vergelijk", {"vergelijk": f"{base}/r/{api_code}"})[0] == 200
    pasted = urllib.parse.quote_plus(f"{base}/r/{api_code}")
    assert status_of(f"{base}/r/{page_code}?vergelijk={pasted}") == 200
    assert status_of(f"{base}/r/{page_code}?vergelijk={pasted}", {RAISE_OUTSIDE: "1"}) in (0, 500)
    for code in (api_code, page_code):
        assert status_of(f"{base}/r/{code}") == 200
        assert status_of(f"{base}/r/{code}?grafiek=radar") == 200
        assert status_of(f"{base}/api/v1/reports/{code}") == 200
        assert status_of(f"{base}/r/{code}", {RAISE_IN_APP: "1"}) == 500
        assert status_of(f"{base}/r/{code}/stappen.ics", {RAISE_OUTSIDE: "1"}) in (0, 500)
    assert status_of(f"{base}/r/{UNKNOWN_REPORT}") == 404
    assert status_of(f"{base}/q/{SLUG}/verder/{UNKNOWN_REPORT}") == 404
    assert status_of(f"{base}/c/{UNKNOWN_INVITE}") == 404
    assert status_of(f"{base}/c/{UNKNOWN_INVITE}", {RAISE_IN_APP: "1"}) == 500
    return [api_code, page_code, resume_code, UNKNOWN_REPORT, UNKNOWN_INVITE]


def assert_no_codes(text: str, codes: list[str]) -> None:
    found = [code for code in codes if code in text]
    assert found == [], f"codes in the log: {found}"


def test_gunicorn_logs_hold_no_codes(tmp_path):
    with gunicorn("sqlite", tmp_path, workers=2, config=FAULTS_CONFIG,
                  env={"FAULT_DIR": str(tmp_path), "FLASK_REQUEST_LOG": "true"}) as server:
        codes = exercise(server.base)
        time.sleep(0.5)  # the last lines reach the files
    errors = (tmp_path / "gunicorn.err").read_text()
    out = (tmp_path / "gunicorn.out").read_text()
    assert_no_codes(errors + out, codes)
    # The failures were logged, with the route pattern or a placeholder where the path had a code.
    assert "Exception on /r/<code> [GET]" in errors
    assert "Exception on /c/<code> [GET]" in errors
    assert re.search(r"Error handling request (GET )?/r/<code>/stappen.ics", errors)
    routes = {json.loads(line)["route"] for line in out.splitlines() if line.startswith("{")}
    assert {"/r/<code>", "/q/<slug>/verder/<code>", "/c/<code>"} <= routes


def test_the_development_server_logs_hold_no_codes(tmp_path):
    """``make run`` serves with ``flask run``: werkzeug's lines and Flask's exception log, on stderr."""
    port = free_port()
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    env |= {"REGIEKOMPAS_INSTANCE_PATH": str(instance), "FLASK_RATELIMIT_ENABLED": "false"}
    flask = [sys.executable, "-m", "flask", "--app", "tests.load.fault_app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=REPO, env=env, check=True, capture_output=True, timeout=120)
    log = tmp_path / "flask-run.log"
    with log.open("w") as out:
        process = subprocess.Popen([*flask, "run", "--port", str(port)], cwd=REPO, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            server = type("Server", (), {"base": f"http://127.0.0.1:{port}", "process": process})()
            wait_until_healthy(server, log)
            codes = exercise(server.base)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    text = log.read_text()
    assert_no_codes(text, codes)
    assert "Exception on /r/<code> [GET]" in text
    assert "Error on request" in text  # werkzeug's own line for the failure outside Flask
