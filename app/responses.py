"""Storing responses: start, save page by page, resume, submit, look up a report.

Views call these functions; each one commits a complete change or nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import and_, bindparam, literal, null, select, union_all

from scoring import Questionnaire, evaluate

from .codes import code_hash, new_code
from .definitions import get_definitions
from .extensions import db
from .models import NextStep, Organisation, Response, SharedReport, utcnow
from .plain_read import PlainSelect


def results_by_language(slug: str, answers: Mapping[str, int | None], profile: Mapping[str, str],
                        *, validate: bool = True, languages: tuple[str, ...] = ("nl", "en")) -> dict[str, Any]:
    """The API result object in every UI language (stored, so a report never changes later)."""
    defs = get_definitions()
    evaluation = evaluate(defs, slug, answers, profile, validate=validate)
    return {lang: evaluation.to_dict(defs, lang) for lang in languages}


def start(q: Questionnaire, profile: Mapping[str, str], lang: str, campaign_id: int | None = None,
          department_id: int | None = None) -> tuple[Response, str]:
    """A new response with its profile (and campaign link); returns it and its resume code (shown once)."""
    code = new_code()
    response = Response(slug=q.slug, version=q.version, lang=lang, profile=dict(profile),
                        answers={}, status=Response.STARTED, resume_hash=code_hash(code),
                        campaign_id=campaign_id, department_id=department_id)
    db.session.add(response)
    db.session.commit()
    return response, code


@functools.cache
def _plain(build: Callable[[], Any]) -> PlainSelect:
    """The read-only select ``build()`` makes, compiled once (app.plain_read)."""
    return PlainSelect(build())


def _read(build: Callable[[], Any], params: dict) -> list[tuple]:
    """The rows of the read-only select ``build()`` makes, read without an ORM session or a
    SQLAlchemy Connection: for the page requests that only read, those cost more than the query."""
    return _plain(build).rows(db.engine, params)


@functools.cache
def _started_query(*columns):
    """The select of ``columns`` of the unfinished response a resume code opens, built once."""
    return select(*columns).where(Response.resume_hash == bindparam("resume_hash"), Response.slug == bindparam("slug"),
                                  Response.status == Response.STARTED)


def find_started(slug: str, resume_code: str | None) -> Response | None:
    """The unfinished response of ``slug`` that ``resume_code`` opens, if any."""
    if not resume_code:
        return None
    return db.session.scalar(_started_query(Response), {"resume_hash": code_hash(resume_code), "slug": slug})


def _started_answers_query():
    return _started_query(Response.answers)


def started_answers(slug: str, resume_code: str | None) -> dict[str, Any] | None:
    """The answers saved so far in the unfinished response ``resume_code`` opens (only that column),
    or None when it opens none: what a question page shows."""
    if not resume_code:
        return None
    rows = _read(_started_answers_query, {"resume_hash": code_hash(resume_code), "slug": slug})
    return (rows[0][0] or {}) if rows else None


def save_answers(response: Response, answers: Mapping[str, int | None]) -> None:
    """Merge one page's answers into the response and commit them at once."""
    merged = dict(response.answers or {})
    merged.update(answers)
    response.answers = merged
    db.session.commit()


def save_profile(response: Response, profile: Mapping[str, str], lang: str) -> None:
    response.profile = dict(profile)
    response.lang = lang
    db.session.commit()


def first_unfinished_step(q: Questionnaire, response: Response) -> int:
    """The 1-based section number of the first section with an item not yet answered."""
    answered = response.answers or {}
    for number, section in enumerate(q.sections, start=1):
        if any(item.id not in answered for item in section.items):
            return number
    return len(q.sections)


def submit(response: Response) -> str:
    """Score the response, store the result and return its report code (shown once)."""
    q = get_definitions().questionnaires[response.slug]
    answers = {i.id: response.answers.get(i.id) for i in q.items}
    response.result = results_by_language(q.slug, answers, response.profile, validate=False)
    response.version = q.version
    code = new_code()
    response.report_hash = code_hash(code)
    response.resume_hash = None
    response.status = Response.COMPLETED
    response.completed_at = utcnow()
    db.session.commit()
    return code


def create_completed(q: Questionnaire, answers: Mapping[str, int | None], profile: Mapping[str, str],
                     lang: str, campaign_id: int | None = None,
                     department_id: int | None = None) -> tuple[Response, str]:
    """Validate, score and store a whole response in one transaction (the API's path)."""
    result = results_by_language(q.slug, answers, profile)
    code = new_code()
    response = Response(slug=q.slug, version=q.version, lang=lang, profile=dict(profile),
                        answers=dict(answers), result=result, status=Response.COMPLETED,
                        report_hash=code_hash(code), completed_at=utcnow(), campaign_id=campaign_id,
                        department_id=department_id)
    db.session.add(response)
    db.session.commit()
    return response, code


def find_report(code: str) -> Response | None:
    """The completed response that report ``code`` opens, if any."""
    return db.session.scalar(select(Response).where(
        Response.report_hash == code_hash(code), Response.status == Response.COMPLETED))


@functools.cache
def _report_state_query():
    """The query of ``report_page_state``, built once (building it took longer than running it)."""
    opened = and_(Response.report_hash == bindparam("report_hash"), Response.status == Response.COMPLETED)
    steps = (select(literal(1).label("kind"), NextStep.intervention_id.label("step"), NextStep.due_date.label("due"),
                    NextStep.position.label("position"), null().label("name"))
             .join(Response, Response.id == NextStep.response_id).where(opened))
    found = select(literal(0), null(), null(), null(), null()).select_from(Response).where(opened)
    shares = (select(literal(2), null(), null(), null(), Organisation.name).select_from(Organisation)
              .join(SharedReport, SharedReport.organisation_id == Organisation.id)
              .join(Response, Response.id == SharedReport.response_id).where(opened))
    return union_all(steps, found, shares).order_by("kind", "position", "name")


def report_page_state(code: str) -> tuple[tuple, tuple] | None:
    """What a report page depends on besides its unchanging result, in one query: the saved next
    steps ``(intervention_id, due_date, position)`` in order, and the names of the organisations the
    report is shared with; None when ``code`` opens no completed report (see app.page_cache)."""
    rows = _read(_report_state_query, {"report_hash": code_hash(code)})
    if not any(row[0] == 0 for row in rows):
        return None
    return (tuple((row[1], row[2], row[3]) for row in rows if row[0] == 1),
            tuple(row[4] for row in rows if row[0] == 2))


def delete(response: Response) -> None:
    """Delete ``response`` for good, with its cached charts and next steps, in one transaction."""
    db.session.delete(response)
    db.session.commit()
