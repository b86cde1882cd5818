"""Database models: responses and their cached charts; the advisor workspace (users, organisations,
campaigns, departments, shared reports)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import Flask
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import Model, db

logger = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored in UTC and read back timezone-aware in UTC on every database.

    PostgreSQL keeps ``timestamp with time zone`` but answers in the session's zone; SQLite keeps no
    zone at all and would store the wall-clock time of whatever zone a value came in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime cannot be stored: give it a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Response(Model):
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
    # Bumped by every write of an unfinished response, which compares it first (app/responses/store.py).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    report_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A response given through a campaign invite: linked to the campaign (and department), never to a person.
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE",
                                                               name="fk_response_campaign_id_campaign"),
                                                    nullable=True, index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id", ondelete="SET NULL",
                                                                 name="fk_response_department_id_department"),
                                                      nullable=True)
    # Whether it came in with a personal code of its campaign (app/campaigns/codes.py): the code itself,
    # or anything that would tell which one, is not kept.
    with_code: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    charts: Mapped[list[ReportChart]] = relationship(back_populates="response", cascade="all, delete-orphan")
    next_steps: Mapped[list[NextStep]] = relationship(back_populates="response", cascade="all, delete-orphan",
                                                      order_by="NextStep.position")
    plan: Mapped[DevelopmentPlan | None] = relationship(back_populates="response", cascade="all, delete-orphan",
                                                        uselist=False)

    STARTED = "started"
    COMPLETED = "completed"


class ResponseScore(Model):
    """One factor or knob score of a completed response, as it was computed at submission with the
    response's own questionnaire version (``Response.version``).

    Team figures, comparisons and exports read these rows instead of scoring the answers again, so a
    later change of the definitions never changes what a response scored. Written in the same
    transaction as the submission (app/responses/store.py); deleted with the response (the database
    cascades). ``score`` and ``band`` are ``None`` when too few items were answered.
    """

    __tablename__ = "response_score"
    __table_args__ = (
        PrimaryKeyConstraint("response_id", "kind", "dimension", name="pk_response_score"),
        CheckConstraint("kind IN ('factor', 'knob')", name="ck_response_score_kind"),
        # Figures per dimension straight in SQL (e.g. the mean of one factor over many responses).
        Index("ix_response_score_kind_dimension", "kind", "dimension"),
    )

    FACTOR = "factor"
    KNOB = "knob"

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE",
                                                        name="fk_response_score_response_id_response"))
    kind: Mapped[str] = mapped_column(String(8))
    dimension: Mapped[str] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    band: Mapped[str | None] = mapped_column(String(16), nullable=True)
    answered: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)


class ReplacedResumeLink(Model):
    """A resume link that a later resume replaced (its hash): opening it says the check went on elsewhere.

    Deleted with its response; it never opens the response.
    """

    __tablename__ = "replaced_resume_link"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE",
                                                        name="fk_replaced_resume_link_response_id_response"),
                                             index=True)


class ReportChart(Model):
    """A rendered chart of a report, so that a repeated view does not render it again."""

    __tablename__ = "report_chart"
    __table_args__ = (UniqueConstraint("response_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    svg: Mapped[str] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="charts")


class NextStep(Model):
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


class DevelopmentPlan(Model):
    """The worker's small development plan (*Mijn ontwikkelplan*): a goal in their own words, who helps,
    a date to look back. Apart from the next steps, so that saving one never touches the other.

    It belongs to the report alone: only the report's code shows it (not an advisor the report is shared
    with), no team figure or export reads it, and deleting the report deletes it.
    """

    __tablename__ = "development_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), unique=True)
    goal: Mapped[str] = mapped_column(Text)
    helper: Mapped[str] = mapped_column(String(120), default="", server_default="")
    look_back: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Whether the look-back date goes into the calendar file: only when the worker ticks it (a work
    # calendar may be shared with others).
    in_calendar: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    response: Mapped[Response] = relationship(back_populates="plan")


ORG_SIZES = ("1_9", "10_49", "50_249", "250plus")
CAMPAIGN_SLUGS = ("loopbaan-apk", "leercultuur")

organisation_advisor = Table(
    "organisation_advisor",
    db.metadata,
    Column("organisation_id", ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, Model):
    """An account of the advisor workspace: role ``admin`` (all organisations) or ``advisor``."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="advisor")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What a login session holds instead of the id (Flask-Login's alternative id): logging out, a
    # deactivation replaces it, and every session holding the old one ends, on every device.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: new_session_token())

    organisations: Mapped[list[Organisation]] = relationship(secondary=organisation_advisor,
                                                             back_populates="advisors")

    ADMIN = "admin"
    ADVISOR = "advisor"
    ROLES = (ADMIN, ADVISOR)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot log in
        return bool(self.active)

    @property
    def is_admin(self) -> bool:
        return self.role == self.ADMIN

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return self.session_token

    def end_sessions(self) -> None:
        """Give the account a new session token: sessions holding the old one end (commit to take effect)."""
        self.session_token = new_session_token()


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class Organisation(Model):
    """A client organisation of the advisors, with its campaigns and shared individual reports."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    advisors: Mapped[list[User]] = relationship(secondary=organisation_advisor, back_populates="organisations",
                                                order_by="User.email")
    campaigns: Mapped[list[Campaign]] = relationship(back_populates="organisation", cascade="all, delete-orphan",
                                                     order_by="Campaign.opens_on.desc()")
    shared_reports: Mapped[list[SharedReport]] = relationship(back_populates="organisation",
                                                              cascade="all, delete-orphan",
                                                              order_by="SharedReport.created_at.desc()")


class Campaign(Model):
    """A round of one or both questionnaires at an organisation, entered through its invite links:
    ``/c/<invite_code>`` for workers (the check-up only; the printed invitation) and
    ``/c/<employer_invite_code>`` for the employer (the scan only; app/campaigns/invites.py).

    Both codes are stored in plain so the links can be shown and printed again; they grant entry to
    the questionnaire only, never access to data.
    """

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slugs: Mapped[list[str]] = mapped_column(JSON, default=list)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    invite_code: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(16))
    employer_invite_code: Mapped[str] = mapped_column(String(64), unique=True,
                                                      default=lambda: secrets.token_urlsafe(16))
    # Personal codes: each opens the workers' check-up once; the team figures then count only the
    # responses that came in with one (app/campaigns/codes.py).
    uses_codes: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="campaigns")
    departments: Mapped[list[Department]] = relationship(back_populates="campaign", cascade="all, delete-orphan",
                                                         order_by="Department.name")

    def is_open(self, today: date | None = None) -> bool:
        """Open from ``opens_on`` up to and including ``closes_on``."""
        today = today or date.today()
        return self.opens_on <= today <= self.closes_on


class PersonalCode(Model):
    """A single-use invitation code of a campaign, stored only as a hash, with whether it was used.

    Deliberately nothing else: no id, no time and no link to the response it started, so a used code
    cannot be matched to a response (``Response.with_code`` only says that one was used).
    """

    __tablename__ = "personal_code"
    __table_args__ = (PrimaryKeyConstraint("campaign_id", "code_hash", name="pk_personal_code"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE",
                                                        name="fk_personal_code_campaign_id_campaign"))
    code_hash: Mapped[str] = mapped_column(String(64))
    used: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Release(Model):
    """A campaign's figures as its pages show them, made anew only by the rule of
    ``scoring/releases.py`` while the campaign is open (app/team/releases.py).

    ``figures`` holds sums per pool (n, sum, sum of squares, band counts) and alpha per factor, never
    a person's scores; ``pools`` the member keys per pool, kept on the last release only.
    """

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("campaign_id", "number", name="uq_release_campaign_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closing: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Read only when a new release is planned (deferred: every page view loads the last release).
    pools: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, deferred=True)


class Department(Model):
    """A department respondents may choose when entering a campaign (optional for them)."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))

    campaign: Mapped[Campaign] = relationship(back_populates="departments")


class SharedReport(Model):
    """An individual report a worker shared with the advisors of an organisation by giving its code.

    Deleting the response (the worker deletes their answers) removes it from the client's file.
    """

    __tablename__ = "shared_report"
    __table_args__ = (UniqueConstraint("organisation_id", "response_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="shared_reports")
    response: Mapped[Response] = relationship()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers work during a write; the busy timeout waits instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def insert_on_conflict(model: type[Model], rows: list[dict[str, Any]], keys: list[str],
                       update: Sequence[str] = ()) -> None:
    """Insert ``rows`` into ``model``'s table; a row whose unique ``keys`` are already stored (perhaps by
    another transaction a moment ago) is skipped, or, with ``update``, has those columns set from the
    new row: the dialect's ``ON CONFLICT DO NOTHING`` / ``DO UPDATE``, on SQLite and PostgreSQL alike.

    Without ``update``, for rows derived from data that never changes (a report's charts): when two
    requests store the same one at once, the second keeps the first's row instead of failing.
    """
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # SQLite is the only other database the app supports (DATABASE_URL in the README).
    statement = insert(model).values(rows)
    if update:
        statement = statement.on_conflict_do_update(index_elements=keys,
                                                    set_={column: statement.excluded[column] for column in update})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    db.session.execute(statement)


def _end_session(_error: BaseException | None) -> None:
    """End the request's session before Flask-SQLAlchemy's own teardown does, so that a connection the
    server dropped after the view had answered (a restart) does not turn a finished answer into a 500:
    the failed ROLLBACK is logged, and the dead connection is discarded, not returned to the pool."""
    try:
        db.session.remove()
    except (OperationalError, InterfaceError) as error:
        logger.warning("database connection lost while ending a request (%s); discarded", type(error).__name__)
        db.session().invalidate()  # the Session itself: scoped_session does not proxy invalidate()
        db.session.remove()


def init_app(app: Flask) -> None:
    # Registered after db.init_app: Flask runs teardown functions last-registered first.
    app.teardown_appcontext(_end_session)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            if not event.contains(engine, "connect", _sqlite_pragmas):
                event.listen(engine, "connect", _sqlite_pragmas)
