"""Database models: a response to a questionnaire and the charts cached for its report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Flask
from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class Response(db.Model):
    """One person's response: answers, profile and, once submitted, the stored result.

    Nothing here identifies a person. The resume and report codes are kept only as hashes.
    ``result`` holds the API result object per language, computed with ``version``.
    """

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8), default="nl")
    status: Mapped[str] = mapped_column(String(16), default="started", index=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    report_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    charts: Mapped[list[ReportChart]] = relationship(back_populates="response", cascade="all, delete-orphan")
    next_steps: Mapped[list[NextStep]] = relationship(back_populates="response", cascade="all, delete-orphan",
                                                      order_by="NextStep.position")

    STARTED = "started"
    COMPLETED = "completed"


class ReportChart(db.Model):
    """A rendered chart of a report, so that a repeated view does not render it again."""

    __tablename__ = "report_chart"
    __table_args__ = (UniqueConstraint("response_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    svg: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="charts")


class NextStep(db.Model):
    """A recommendation of the report that the respondent chose as a next step, with its date.

    Only the intervention id is stored: title and text come from the report's stored result,
    so a step reads the same as the advice it was chosen from, in either language.
    """

    __tablename__ = "next_step"
    __table_args__ = (UniqueConstraint("response_id", "intervention_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    intervention_id: Mapped[str] = mapped_column(String(64))
    knob: Mapped[str] = mapped_column(String(64))
    due_date: Mapped[date] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)

    response: Mapped[Response] = relationship(back_populates="next_steps")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work during a write; the busy timeout waits instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def init_app(app: Flask) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            if not event.contains(engine, "connect", _sqlite_pragmas):
                event.listen(engine, "connect", _sqlite_pragmas)
