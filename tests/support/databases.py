"""Which databases a test can run on: SQLite always, PostgreSQL when ``TEST_DATABASE_URL`` names one.

``make test-postgres`` (and ``.ci/run``) creates a throwaway PostgreSQL database and sets
``TEST_DATABASE_URL``; without it the PostgreSQL variants skip with the reason.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db

NO_POSTGRES = ("no PostgreSQL server for this run: `make test-postgres` creates a throwaway database "
               "(or set TEST_DATABASE_URL=postgresql+psycopg://user:password@host/db)")


def postgres_url() -> str | None:
    """``TEST_DATABASE_URL`` when it names a PostgreSQL database, else None."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


def database_url(kind: str, folder: Path) -> str:
    """A database URL of ``kind`` ("sqlite": a new file in ``folder``; "postgresql": the test server)."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'test.sqlite'}"
    url = postgres_url()
    if url is None:
        pytest.skip(NO_POSTGRES)
    return url


#: Parametrize a ``db_kind`` argument with this to run a test on both databases.
KINDS = ["sqlite", "postgresql"]


@contextmanager
def migrated(url: str, **config):
    """An app on ``url`` migrated to the latest revision; migrated back to nothing afterwards."""
    from flask_migrate import downgrade, upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
                      "SERVER_NAME": "localhost", **config})
    with app.app_context():
        upgrade()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            downgrade(revision="base")
            db.engine.dispose()
