"""Shared fixtures: an app on a fresh database (migrated), its client and CLI runner.

A test marked ``both_models`` runs once per shipped definition folder (:data:`MODELS`): the default
four-factor model in questionnaires/ and the five-factor variant in questionnaires/five-factor/. Its
``app`` (and the browser tests' ``live_app``) then loads that folder, through ``definitions_dir``; the
test reads factor ids, labels and items from the loaded definitions rather than naming them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from app import create_app
from app.definitions import KEY as DEFINITIONS_KEY
from app.extensions import db
from app.models import Response
from scoring import Definitions
from tests.support.redis_server import redis_server  # noqa: F401 - a fixture, for every test folder

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "questionnaires"
#: The shipped definition folders, by the id a ``both_models`` test gets for each.
MODELS = {"four-factor": DEFAULT_MODEL, "five-factor": DEFAULT_MODEL / "five-factor"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_models") is None:
        return
    if "definitions_dir" not in metafunc.fixturenames:
        raise pytest.UsageError(f"{metafunc.definition.nodeid} is marked both_models but uses no app")
    metafunc.parametrize("definitions_dir", list(MODELS.values()), ids=list(MODELS), indirect=True)


@pytest.fixture(scope="session")
def definitions_dir(request) -> Path:
    """The definition folder the app loads: the default one, or per ``both_models`` run one of :data:`MODELS`."""
    return getattr(request, "param", DEFAULT_MODEL)


@pytest.fixture
def app(tmp_path, definitions_dir):
    """An app on a new SQLite file (or on ``TEST_DATABASE_URL``), migrated to the latest revision."""
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({
        "TESTING": True,
        "DEFINITIONS_DIR": str(definitions_dir),
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
