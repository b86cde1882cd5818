"""Rate limits through gunicorn with 4 workers: on Redis the workers share one count (10 login posts a
minute pass, the rest get 429, whichever worker answers); with ``memory://`` each worker counts alone;
when Redis goes down every worker answers, logs one warning and counts in its own memory. Marked ``load``.

The servers here run with the limits on (the other load tests switch them off). Each test starts its own
redis-server (tests/support/redis_server.py) and skips without one.
"""

from __future__ import annotations

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.support.flows import csrf_token

from .server import Server, gunicorn

pytestmark = pytest.mark.load

PIDS_CONFIG = Path(__file__).with_name("gunicorn_pids.conf.py")
FALLBACK_WARNING = "Rate limit storage unreachable - falling back to in-memory storage"
WORKERS = 4


def limited_server(tmp_path: Path, storage_uri: str):
    """gunicorn (4 workers, SQLite) with the rate limits on, counting in ``storage_uri``, and an access log
    of worker pid, method and status (tests/load/gunicorn_pids.conf.py)."""
    env = {"FLASK_RATELIMIT_ENABLED": "true", "FLASK_RATELIMIT_STORAGE_URI": storage_uri,
           "ACCESS_LOG": str(tmp_path / "access.log")}
    return gunicorn("sqlite", tmp_path, workers=WORKERS, config=PIDS_CONFIG, env=env)


def login_attempt(base: str) -> int:
    """One browser's login: open the page (a session and its CSRF token), post a wrong password; the status."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(base + "/advisor/login", timeout=60) as page:
        token = csrf_token(page.read().decode())
    data = urllib.parse.urlencode({"email": "nobody@example.org", "password": "not the password at all",
                                   "csrf_token": token}).encode()
    try:
        with opener.open(urllib.request.Request(base + "/advisor/login", data=data), timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def login_attempts(server: Server, count: int, threads: int = 8) -> list[int]:
    """``count`` login posts from ``threads`` browsers at once (so that every worker gets some)."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: login_attempt(server.base), range(count)))


def access_lines(tmp_path: Path) -> list[str]:
    return (tmp_path / "access.log").read_text().splitlines()


def posts_by_worker(tmp_path: Path, after: int = 0) -> dict[str, Counter]:
    """Per worker pid, the statuses of the POSTs it answered (from the access log, after line ``after``)."""
    by_worker: dict[str, Counter] = {}
    for line in access_lines(tmp_path)[after:]:
        pid, method, status = line.split()
        if method == "POST":
            by_worker.setdefault(pid, Counter())[int(status)] += 1
    return by_worker


def test_on_redis_ten_login_posts_a_minute_pass_whichever_of_four_workers_answers(tmp_path, redis_server):
    with limited_server(tmp_path, redis_server.url) as server:
        statuses = login_attempts(server, 30)
    assert Counter(statuses) == {400: 10, 429: 20}  # 400: the wrong password, answered; 429: refused
    by_worker = posts_by_worker(tmp_path)
    assert sum(by_worker.values(), Counter()) == {400: 10, 429: 20}
    # Several workers answered, and the refusals came from several of them: one count for all.
    assert len(by_worker) >= 2, by_worker
    assert len([pid for pid, answered in by_worker.items() if answered[429]]) >= 2, by_worker


def test_with_memory_counters_each_worker_counts_alone(tmp_path):
    """What the Redis storage is for: with ``memory://`` (the default) four workers let up to 40 through."""
    with limited_server(tmp_path, "memory://") as server:
        statuses = login_attempts(server, 40)
    passed = statuses.count(400)
    assert 10 < passed <= 10 * WORKERS, Counter(statuses)
    assert set(statuses) <= {400, 429}
    assert all(answered[400] <= 10 for answered in posts_by_worker(tmp_path).values())


def test_when_redis_goes_down_every_worker_answers_logs_one_warning_and_counts_alone(tmp_path, redis_server):
    with limited_server(tmp_path, redis_server.url) as server:
        assert Counter(login_attempts(server, 5)) == {400: 5}
        for _ in range(100):  # a worker logs a request just after answering it
            if sum(posts_by_worker(tmp_path).values(), Counter())[400] == 5:
                break
            time.sleep(0.05)
        before = len(access_lines(tmp_path))
        redis_server.stop()
        started = time.monotonic()
        with urllib.request.urlopen(server.base + "/advisor/login", timeout=60) as page:  # noqa: S310 - local
            assert page.status == 200
        statuses = login_attempts(server, 60)
        elapsed = time.monotonic() - started
    counts = Counter(statuses)
    assert set(counts) <= {400, 429}, counts  # never a 500: the limits fail open, not off
    # Each worker counts in its own memory from 0, at most 10 each; 60 posts are more than 4 x 10.
    assert 10 <= counts[400] <= 10 * WORKERS and counts[429] >= 60 - 10 * WORKERS, counts
    assert all(answered[400] <= 10 for answered in posts_by_worker(tmp_path, after=before).values())
    errors = (tmp_path / "gunicorn.err").read_text()
    warnings = [line for line in errors.splitlines() if FALLBACK_WARNING in line]
    assert 1 <= len(warnings) <= WORKERS, errors[-3000:]  # one line per worker that met the outage
    assert len({re.sub(r"^\[[^]]*\]", "", line) for line in warnings}) == 1
    assert "Traceback" not in errors, errors[-3000:]
    assert elapsed < 30, elapsed  # a refused connection costs no request seconds (no long retries)
