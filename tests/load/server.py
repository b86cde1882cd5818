"""gunicorn for fault and load tests: the real entry point and settings, a temporary instance, a free port.

Also a small JSON client (urllib), so the tests speak HTTP the way a phone or an integration would.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tests.support.databases import database_url, migrated
from tests.support.flows import WORKER_PROFILE

REPO = Path(__file__).resolve().parents[2]
SLUG = "loopbaan-apk"


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    database: str
    log: Path

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.database)

    def request_log(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 60) -> tuple[int, dict]:
    """``(status, JSON body)`` of a GET (no body) or POST (JSON body) to ``url``."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a local test server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def worker_body(item_ids: list[str], seed: int) -> dict:
    """A complete, valid worker check-up; ``seed`` varies the answers, so every response differs."""
    return {"answers": {item: (seed + n) % 5 + 1 for n, item in enumerate(item_ids)},
            "profile": dict(WORKER_PROFILE)}


@contextmanager
def gunicorn(db_kind: str, tmp_path: Path, *, workers: int = 4, config: Path = REPO / "gunicorn.conf.py",
             env: dict | None = None):
    """gunicorn serving ``app.wsgi:app`` on a migrated database of ``db_kind``; stopped afterwards.

    SQLite: the default database file in a temporary instance folder. PostgreSQL: the test server.
    Rate limits are off (``FLASK_RATELIMIT_ENABLED=false``), as for any load test.
    """
    instance = tmp_path / "instance"
    instance.mkdir()
    url = (f"sqlite:///{instance / 'regiekompas.sqlite'}" if db_kind == "sqlite"
           else database_url(db_kind, tmp_path))
    port = free_port()
    log = tmp_path / "gunicorn.out"
    child_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    child_env |= {"REGIEKOMPAS_INSTANCE_PATH": str(instance), "FLASK_RATELIMIT_ENABLED": "false",
                  "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers), **(env or {})}
    if db_kind != "sqlite":
        child_env["DATABASE_URL"] = url
    with migrated(url), log.open("w") as out, (tmp_path / "gunicorn.err").open("w") as err:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(config), "app.wsgi:app"],
                                   cwd=REPO, env=child_env, stdout=out, stderr=err)
        server = Server(f"http://127.0.0.1:{port}", process, url, log)
        try:
            wait_until_healthy(server, tmp_path / "gunicorn.err")
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_healthy(server: Server, errors: Path, attempts: int = 300) -> None:
    """Poll /healthz (at most ``attempts`` times, 0.1 s apart) until gunicorn answers 200."""
    for _ in range(attempts):
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {errors.read_text()[-2000:]}")
        try:
            if call(server.base + "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer: {errors.read_text()[-2000:]}")


def stored_rows(server: Server) -> list[tuple]:
    """``(status, has result, report hash)`` of every stored response."""
    engine = server.engine()
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sa.text(
                "SELECT status, result IS NOT NULL, report_hash FROM response ORDER BY id"))]
    finally:
        engine.dispose()


class PageFlow:
    """One respondent on the web pages: a cookie jar, CSRF tokens read from each form, redirects followed."""

    def __init__(self, base: str, slug: str = SLUG):
        self.base, self.slug = base, slug
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read().decode()

    def post(self, path: str, fields: dict[str, str], headers: dict | None = None) -> tuple[int, str, str]:
        """``(status, final URL, page)`` after posting the form at ``path`` with its CSRF token."""
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.get(path)[1]).group(1)
        data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.url, response.read().decode()

    def start(self, profile: dict[str, str]) -> None:
        self.post(f"/q/{self.slug}", {f"p_{key}": value for key, value in profile.items()})

    def answer(self, step: int, answers: dict[str, int], headers: dict | None = None) -> tuple[int, str, str]:
        fields = {f"a_{item}": str(value) for item, value in answers.items()} | {"action": "next"}
        return self.post(f"/q/{self.slug}/stap/{step}", fields, headers)
