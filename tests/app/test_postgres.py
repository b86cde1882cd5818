"""Database types behave the same on SQLite and PostgreSQL: JSON, timezone-aware times, booleans.

The round trips run on whatever database the suite uses (SQLite in ``make test``, PostgreSQL in
``make test-postgres``); the checks of the server and its column types skip without PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect, select, text

from app.extensions import db
from app.models import Response, User
from tests.support.databases import NO_POSTGRES, postgres_url

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
needs_postgres = pytest.mark.skipif(postgres_url() is None, reason=NO_POSTGRES)


@needs_postgres
def test_the_server_is_postgresql_15_or_later(app):
    with app.app_context():
        assert db.engine.dialect.name == "postgresql" and db.engine.dialect.driver == "psycopg"
        assert db.session.scalar(text("SHOW server_version_num")) >= "150000"


@needs_postgres
def test_postgresql_column_types(app):
    with app.app_context():
        columns = {c["name"]: c["type"] for c in inspect(db.engine).get_columns("response")}
        assert type(columns["answers"]).__name__ == "JSON"
        assert columns["completed_at"].timezone is True  # timestamp with time zone
        users = {c["name"]: c["type"] for c in inspect(db.engine).get_columns("user")}
        assert type(users["active"]).__name__ == "BOOLEAN"


def test_json_values_round_trip(app):
    answers = {"mot_1": 4, "mot_2": None, "aw_1": 1}  # None: "weet ik niet"
    profile = {"sector": "techniek", "note": "één — ß ✓"}
    result = {"nl": {"factors": {"motivation": {"score": 62.5, "band": None}}, "strengths": []}}
    with app.app_context():
        db.session.add(Response(slug="loopbaan-apk", version="1", answers=answers, profile=profile,
                                result=result, status=Response.COMPLETED))
        db.session.commit()
        db.session.expunge_all()
        stored = db.session.scalars(select(Response)).one()
        assert (stored.answers, stored.profile, stored.result) == (answers, profile, result)


def test_times_come_back_as_the_same_instant_in_utc(app):
    """A time given in any zone is stored as that instant and read back timezone-aware in UTC."""
    summer_night = datetime(2026, 3, 29, 3, 30, tzinfo=AMSTERDAM)  # just after the switch to summer time
    with app.app_context():
        db.session.add(Response(slug="loopbaan-apk", version="1", answers={}, profile={},
                                completed_at=summer_night, status=Response.COMPLETED))
        db.session.commit()
        db.session.expunge_all()
        stored = db.session.scalars(select(Response)).one()
        assert stored.completed_at == summer_night
        assert stored.completed_at.utcoffset() == timedelta(0)
        assert stored.created_at.tzinfo is not None and stored.created_at <= datetime.now(UTC)
        # Comparisons in SQL use the same instants.
        later = summer_night + timedelta(seconds=1)
        assert db.session.scalar(select(Response.id).where(Response.completed_at < later)) == stored.id
        assert db.session.scalar(select(Response.id).where(Response.completed_at < summer_night)) is None


def test_booleans_round_trip(app):
    with app.app_context():
        db.session.add_all([User(email="on@example.org", password_hash="x", active=True),
                            User(email="off@example.org", password_hash="x", active=False)])
        db.session.commit()
        db.session.expunge_all()
        active = {u.email: u.active for u in db.session.scalars(select(User))}
        assert active == {"on@example.org": True, "off@example.org": False}
        assert all(type(value) is bool for value in active.values())
        assert db.session.scalar(select(User.email).where(User.active.is_(False))) == "off@example.org"
