"""Where the rate-limit counters live: in Redis they outlive the process that counted (every worker and
host shares them); when Redis is down the app answers, logs one warning and counts in memory.

Each test starts its own redis-server (tests/support/redis_server.py) and skips without one. The gunicorn
versions, with four workers, are in tests/load/test_rate_limits.py.
"""

from __future__ import annotations

import logging
import time

import pytest
import redis

from app import create_app
from app.extensions import db, limiter
from tests.support.databases import migrated
from tests.support.redis_server import RedisServer

FALLBACK_WARNING = "Rate limit storage unreachable - falling back to in-memory storage"


def config(storage_uri: str) -> dict:
    return {"RATELIMIT_STORAGE_URI": storage_uri, "WTF_CSRF_ENABLED": False}


def login_posts(app, count: int) -> list[int]:
    client = app.test_client()
    return [client.post("/advisor/login", data={"email": "nobody@example.org", "password": "wrong password!!"})
            .status_code for _ in range(count)]


def another_app(app, storage_uri: str):
    """A second app on the same database: another gunicorn worker, or another host."""
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
                       "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **config(storage_uri)})


def test_counters_in_redis_are_shared_by_every_app_and_memory_counters_are_not(tmp_path, redis_server):
    with migrated(f"sqlite:///{tmp_path / 'db.sqlite'}", **config(redis_server.url)) as first:
        assert login_posts(first, 6) == [400] * 6
        second = another_app(first, redis_server.url)
        assert login_posts(second, 5) == [400] * 4 + [429]  # the first app's six counted
        keys = redis.Redis.from_url(redis_server.url).keys("LIMITS*")
        assert keys and all(b"advisor.login" in key for key in keys)
        with second.app_context():
            db.engine.dispose()
    with migrated(f"sqlite:///{tmp_path / 'other.sqlite'}", **config("memory://")) as first:
        assert login_posts(first, 6) == [400] * 6
        second = another_app(first, "memory://")
        assert login_posts(second, 5) == [400] * 5  # memory: each process counts from zero
        with second.app_context():
            db.engine.dispose()


@pytest.fixture
def recovers(tmp_path):
    """Afterwards, Flask-Limiter counts in its storage again, not in its fallback.

    The limiter is one object for every app of the test run, and "the storage is down" is its state: it
    ends only when its next check (1, 2, 4 … 32 s after the last) finds the storage answering. Left
    behind, a later test would switch from the fallback's counts to its own storage's in the middle.
    """
    yield
    with migrated(f"sqlite:///{tmp_path / 'recover.sqlite'}", **config("memory://")) as app:
        client = app.test_client()
        deadline = time.monotonic() + 40
        while limiter.limiter.storage is not limiter.storage:  # the fallback's strategy, not the storage's
            assert time.monotonic() < deadline, "Flask-Limiter did not go back to its storage"
            client.get("/")  # every request lets the limiter check its storage when the time has come
            time.sleep(0.1)


def test_when_redis_goes_down_the_app_answers_logs_one_warning_and_limits_in_memory(tmp_path, redis_server,
                                                                                    caplog, recovers):
    with migrated(f"sqlite:///{tmp_path / 'db.sqlite'}", **config(redis_server.url)) as app:
        assert login_posts(app, 3) == [400] * 3
        redis_server.stop()
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="flask-limiter"):
            assert app.test_client().get("/advisor/login").status_code == 200
            statuses = login_posts(app, 12)
        elapsed = time.monotonic() - started
    assert statuses == [400] * 10 + [429] * 2  # the limit holds, counted in this process from zero
    assert [r.getMessage() for r in caplog.records if r.name == "flask-limiter"] == [FALLBACK_WARNING]
    # A refused connection is not retried for seconds on every request: with redis-py's default
    # retries (ten, backing off up to a second each) these 13 requests take minutes. The bound is far
    # above what the fallback takes (well under a second here), so a busy CI machine cannot fail it.
    assert elapsed < 30, elapsed


def test_the_app_starts_and_answers_when_redis_is_not_there_at_all(tmp_path, caplog, recovers):
    nobody = RedisServer("redis-server", tmp_path)  # only its free port and URL: never started
    assert not nobody.ping()
    with migrated(f"sqlite:///{tmp_path / 'db.sqlite'}", **config(nobody.url)) as app, \
            caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert app.test_client().get("/").status_code == 200
        assert login_posts(app, 11) == [400] * 10 + [429]
    assert [r.getMessage() for r in caplog.records if r.name == "flask-limiter"] == [FALLBACK_WARNING]
