"""DATABASE_URL as hosts hand it out: PostgreSQL URLs get the installed driver (psycopg)."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import database_url


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://rk:pw@db/regiekompas", "postgresql+psycopg://rk:pw@db/regiekompas"),
    ("postgresql://rk@db:5433/regiekompas?sslmode=require", "postgresql+psycopg://rk@db:5433/regiekompas?sslmode=require"),
    ("postgresql+psycopg://rk@db/regiekompas", "postgresql+psycopg://rk@db/regiekompas"),
    ("sqlite:////srv/regiekompas.sqlite", "sqlite:////srv/regiekompas.sqlite"),
])
def test_database_url_names_the_installed_driver(given, used):
    assert database_url(given) == used


def test_the_app_opens_a_plain_postgresql_url_with_psycopg(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIEKOMPAS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgresql://rk@127.0.0.1:1/regiekompas")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://rk@127.0.0.1:1/regiekompas"
    with app.app_context():
        from app.extensions import db

        assert db.engine.dialect.driver == "psycopg"
