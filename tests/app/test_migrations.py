"""Migrations go up and down cleanly on SQLite and PostgreSQL and end at exactly the models' schema."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.support.databases import KINDS, database_url


def schema_differences() -> list:
    """What alembic autogenerate would change to make the database match the models (nothing, we hope)."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.mark.parametrize("db_kind", KINDS)
def test_upgrade_downgrade_upgrade_matches_the_models(db_kind, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": database_url(db_kind, tmp_path)})
    with app.app_context():
        try:
            upgrade()
            assert schema_differences() == []
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert schema_differences() == []
            assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
        finally:
            downgrade(revision="base")
            db.engine.dispose()
