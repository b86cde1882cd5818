"""Operator commands: ``flask --app app backup PATH`` and ``flask --app app purge --older-than N``.

Logic sits in plain functions (tested directly); the click commands only parse and print.
"""

from __future__ import annotations

import calendar
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.engine import URL

from .extensions import db
from .models import Response, utcnow


def pg_dump_hint(url: URL) -> str:
    """How to back up the PostgreSQL database at ``url`` (no password in the text: pg_dump asks, or
    reads PGPASSWORD or ~/.pgpass)."""
    libpq = URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                       database=url.database, query=url.query).render_as_string(hide_password=False)
    return ("This database is PostgreSQL: back it up with pg_dump, and restore with pg_restore:\n"
            f"  pg_dump --format=custom --file=regiekompas.dump '{libpq}'\n"
            "The backup command copies SQLite databases only.")


class BackupError(Exception):
    """A backup that was not made, with the reason."""


#: A backup holds every answer: only its owner may read it.
BACKUP_MODE = 0o600


def create_private(target: Path) -> None:
    """Create ``target`` empty, readable and writable by its owner only, from the first moment on (never
    with the umask's looser mode first); ``FileExistsError`` when it exists, even if made just now."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, BACKUP_MODE)
    try:
        os.fchmod(fd, BACKUP_MODE)  # exactly 0600, whatever the umask took away
    finally:
        os.close(fd)


def sqlite_backup(database: Path, target: Path) -> int:
    """Copy the live SQLite ``database`` into ``target`` (SQLite's online backup); the number of responses.

    The copy is a consistent snapshot even while the app writes. It is verified: it must pass
    ``PRAGMA integrity_check`` and its response table must be readable. A failed copy is removed.
    The file is made mode 0600 before SQLite opens it (an empty file is an empty database to SQLite,
    and the journal it makes beside it gets the same mode).
    """
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file name.")
    if not target.parent.is_dir():
        raise BackupError(f"folder {target.parent} does not exist.")
    if not database.is_file():
        raise BackupError(f"there is no database at {database}.")
    try:
        create_private(target)
    except FileExistsError as exc:
        raise BackupError(f"{target} exists already; choose a new file name.") from exc
    except OSError as exc:
        raise BackupError(f"cannot create {target}: {exc.strerror}.") from exc
    try:
        source = sqlite3.connect(database)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
                # One self-contained file: the copy does not need a -wal file beside it.
                copy.execute("PRAGMA journal_mode=DELETE")
                if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError("the copy failed its integrity check.")
                return copy.execute("SELECT count(*) FROM response").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
    except (sqlite3.Error, BackupError) as exc:
        target.unlink(missing_ok=True)
        raise exc if isinstance(exc, BackupError) else BackupError(str(exc)) from exc


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months; the day is clamped (31 March - 1 month = 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def expired(cutoff: datetime):
    """Responses completed before ``cutoff``, and unfinished ones last changed before it."""
    return or_(and_(Response.status == Response.COMPLETED, Response.completed_at < cutoff),
               and_(Response.status != Response.COMPLETED, Response.updated_at < cutoff))


#: The longest retention ``purge`` takes: 100 years (far longer reaches before the year 1, a ValueError).
MAX_MONTHS = 1200


def purge(months: int, *, dry_run: bool = False, now: datetime | None = None) -> tuple[int, datetime]:
    """Delete the responses older than ``months`` (see ``expired``) with their charts, next steps, plans
    and shares (the database cascades), in one transaction. Returns how many, and the cut-off used."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be from 1 to {MAX_MONTHS}")
    cutoff = months_before(now or utcnow(), months)
    count = db.session.scalars(select(func.count()).select_from(Response).where(expired(cutoff))).one()
    if not dry_run and count:
        db.session.execute(delete(Response).where(expired(cutoff)), execution_options={"synchronize_session": False})
        db.session.commit()
    return count, cutoff


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Copy the SQLite database into PATH while the app keeps running (PostgreSQL: use pg_dump)."""
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        raise click.ClickException(pg_dump_hint(url))
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(f"Cannot back up a {url.get_backend_name()} database.")
    try:
        count = sqlite_backup(Path(url.database or ""), path)
    except BackupError as exc:
        raise click.ClickException(f"No backup made: {exc}") from exc
    click.echo(f"Backup written to {path} and verified ({count} responses).")


@click.command("purge")
@with_appcontext
@click.option("--older-than", "months", type=click.IntRange(min=1, max=MAX_MONTHS), required=True, metavar="MONTHS",
              help="Delete responses completed, or (unfinished) last changed, more than MONTHS months ago.")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def purge_command(months: int, dry_run: bool) -> None:
    """Delete old responses with their charts and next steps (retention)."""
    count, cutoff = purge(months, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {count} responses completed or last changed before {cutoff:%Y-%m-%d %H:%M} UTC.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(purge_command)
