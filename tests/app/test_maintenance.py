"""Operator commands: online SQLite backup (also while the app writes) and the retention purge."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from app import create_app
from app.extensions import db
from app.maintenance import months_before, purge
from app.models import DevelopmentPlan, NextStep, ReportChart, Response
from tests.support.databases import migrated
from tests.support.reports import store_report


def backup_rows(path) -> list[tuple]:
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return copy.execute("SELECT status, result IS NOT NULL, report_hash IS NOT NULL FROM response").fetchall()


@pytest.fixture
def sqlite_app(tmp_path):
    # Rate limits off: the writer below stores as fast as it can from one address, which the
    # per-address limit on new responses would (rightly) stop after 30.
    with migrated(f"sqlite:///{tmp_path / 'live.sqlite'}", RATELIMIT_ENABLED=False) as app:
        yield app


def test_backup_copies_and_verifies_the_sqlite_database(sqlite_app, tmp_path):
    for value in (2, 4, 5):
        store_report(sqlite_app, value=value)
    target = tmp_path / "backup.sqlite"
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Backup written to {target} and verified (3 responses)." in result.output
    assert backup_rows(target) == [("completed", 1, 1)] * 3
    again = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code == 1 and "exists already" in again.output  # never overwrites


def test_backup_into_a_missing_folder_is_refused(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "nope" / "b.sqlite")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_backup_while_the_app_writes_is_consistent(sqlite_app, tmp_path):
    """Responses are stored from another thread during the backups; each copy holds only complete ones."""
    done = threading.Event()
    stored: list[str] = []

    def write():
        while not done.is_set() and len(stored) < 400:
            stored.append(store_report(sqlite_app, value=3))

    writer = threading.Thread(target=write)
    writer.start()
    counts = []
    try:
        for number in range(5):
            while len(stored) < 5 * (number + 1) and writer.is_alive():
                done.wait(0.01)
            target = tmp_path / f"backup{number}.sqlite"
            result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
            assert result.exit_code == 0, result.output
            rows = backup_rows(target)
            assert set(rows) == {("completed", 1, 1)}
            counts.append(len(rows))
    finally:
        done.set()
        writer.join()
    assert counts == sorted(counts) and counts[0] >= 5
    assert counts[-1] <= len(stored)


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://rk:secret@db.internal:5432/regiekompas"})
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.dump")])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output
    assert "postgresql://rk@db.internal:5432/regiekompas" in result.output
    assert "secret" not in result.output
    assert not (tmp_path / "b.dump").exists()


@pytest.mark.parametrize(("moment", "months", "expected"), [
    (datetime(2026, 3, 31, 12, tzinfo=UTC), 1, datetime(2026, 2, 28, 12, tzinfo=UTC)),
    (datetime(2028, 3, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
    (datetime(2026, 1, 15, tzinfo=UTC), 24, datetime(2024, 1, 15, tzinfo=UTC)),
    (datetime(2026, 1, 15, tzinfo=UTC), 13, datetime(2024, 12, 15, tzinfo=UTC)),
])
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
CUTOFF = datetime(2024, 6, 15, 12, 0, tzinfo=UTC)  # 24 months before NOW


def stored_response(app, *, completed_at=None, updated_at, with_children=False) -> int:
    """A stored response with the given times (completed when ``completed_at`` is given); its id."""
    code = store_report(app)
    with app.app_context():
        response = db.session.scalars(select(Response).order_by(Response.id.desc())).first()
        assert response is not None
        if with_children:
            db.session.add(ReportChart(response=response, key="bars-nl", svg="<svg/>"))
            db.session.add(NextStep(response=response, intervention_id="x", knob="room",
                                    due_date=date(2024, 1, 1), position=1))
            db.session.add(DevelopmentPlan(response=response, goal="Een doel."))
            db.session.commit()
        values = {"updated_at": updated_at, "completed_at": completed_at}
        if completed_at is None:
            values |= {"status": Response.STARTED, "result": None, "report_hash": None}
        db.session.execute(update(Response).where(Response.id == response.id).values(**values))
        db.session.commit()
        assert code
        return response.id


def ids_and_children(app) -> tuple[set[int], int, int, int]:
    with app.app_context():
        return (set(db.session.scalars(select(Response.id))),
                *(db.session.scalar(select(func.count()).select_from(table))
                  for table in (ReportChart, NextStep, DevelopmentPlan)))


def test_purge_boundaries(app):
    second = timedelta(seconds=1)
    old_done = stored_response(app, completed_at=CUTOFF - second, updated_at=NOW, with_children=True)
    new_done = stored_response(app, completed_at=CUTOFF + second, updated_at=CUTOFF - second, with_children=True)
    at_cutoff = stored_response(app, completed_at=CUTOFF, updated_at=CUTOFF)
    old_started = stored_response(app, updated_at=CUTOFF - second)
    new_started = stored_response(app, updated_at=CUTOFF + second)
    with app.app_context():
        assert purge(24, dry_run=True, now=NOW) == (2, CUTOFF)
    assert ids_and_children(app) == ({old_done, new_done, at_cutoff, old_started, new_started}, 2, 2, 2)
    with app.app_context():
        assert purge(24, now=NOW) == (2, CUTOFF)
    assert ids_and_children(app) == ({new_done, at_cutoff, new_started}, 1, 1, 1)
    with app.app_context():
        assert purge(24, now=NOW) == (0, CUTOFF)
        with pytest.raises(ValueError):
            purge(0, now=NOW)


def test_purge_command(app, runner):
    now = datetime.now(UTC)
    old = stored_response(app, completed_at=now - timedelta(days=800), updated_at=now)
    recent = stored_response(app, completed_at=now - timedelta(days=45), updated_at=now)
    dry = runner.invoke(args=["purge", "--older-than", "24", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.startswith("Would delete 1 responses completed or last changed before ")
    assert ids_and_children(app)[0] == {old, recent}
    done = runner.invoke(args=["purge", "--older-than", "24"])
    assert done.exit_code == 0 and done.output.startswith("Deleted 1 responses")
    assert ids_and_children(app)[0] == {recent}
    one_month = runner.invoke(args=["purge", "--older-than", "1"])
    assert one_month.output.startswith("Deleted 1 responses")
    assert ids_and_children(app)[0] == set()


@pytest.mark.parametrize("months", ["0", "-3", "twee"])
def test_purge_refuses_less_than_one_month(app, runner, months):
    store_report(app)
    result = runner.invoke(args=["purge", "--older-than", months])
    assert result.exit_code == 2
    assert "--older-than" in result.output
    assert len(ids_and_children(app)[0]) == 1


@pytest.mark.parametrize("months", ["99999999999", "1201"])
def test_purge_refuses_an_absurd_number_of_months_with_a_message(app, runner, months):
    """Beyond 100 years the cut-off would fall before the year 1: a clear error, not a traceback."""
    store_report(app)
    result = runner.invoke(args=["purge", "--older-than", months])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--older-than'" in result.output and "1<=x<=1200" in result.output
    assert len(ids_and_children(app)[0]) == 1
    with app.app_context(), pytest.raises(ValueError, match="from 1 to 1200"):
        purge(int(months), now=NOW)
    assert runner.invoke(args=["purge", "--older-than", "1200"]).exit_code == 0


def test_a_backup_is_readable_by_its_owner_only_from_its_first_moment(sqlite_app, tmp_path, monkeypatch):
    """Mode 0600 (it holds every answer), and already when SQLite opens the file to write the copy."""
    store_report(sqlite_app)
    target = tmp_path / "backup.sqlite"
    modes_at_open = []
    connect = sqlite3.connect

    def watched(database, *args, **kwargs):
        if str(database) == str(target):
            modes_at_open.append(stat.S_IMODE(target.stat().st_mode) if target.exists() else None)
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", watched)
    umask = os.umask(0o022)  # the usual umask: files 0644 unless made otherwise
    try:
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    assert modes_at_open == [0o600]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert backup_rows(target) == [("completed", 1, 1)]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup")) == ["backup.sqlite"]
