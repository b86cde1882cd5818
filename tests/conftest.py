"""Shared fixtures: an app on a fresh database (migrated), its client and CLI runner."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select

from app import create_app
from app.definitions import KEY as DEFINITIONS_KEY
from app.extensions import db
from app.models import Response
from scoring import Definitions
from tests.support.redis_server import redis_server  # noqa: F401 - a fixture, for every test folder


@pytest.fixture
def app(tmp_path):
    """An app on a new SQLite file (or on ``TEST_DATABASE_URL``), migrated to the latest revision."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "localhost",
    })
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        upgrade()
    # No app context stays open during the test: each request gets its own, as in production.
    yield app
    with app.app_context():
        downgrade(revision="base")
        db.engine.dispose()


@pytest.fixture
def defs(app) -> Definitions:
    return app.extensions[DEFINITIONS_KEY]


@pytest.fixture
def responses(app):
    """A function returning every stored response (detached, attributes loaded)."""
    def load() -> list[Response]:
        with app.app_context():
            rows = list(db.session.scalars(select(Response).order_by(Response.id)))
            db.session.expunge_all()
            return rows
    return load


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
