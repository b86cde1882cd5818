"""Storing responses: start, save page by page, resume, submit, look up a report.

Views call these functions; each one commits a complete change or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from scoring import Questionnaire, evaluate

from ..definitions import get_definitions
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import Response, utcnow
from .codes import code_hash, new_code


def results_by_language(slug: str, answers: Mapping[str, int | None], profile: Mapping[str, str],
                        *, validate: bool = True, languages: tuple[str, ...] = LANGUAGES) -> dict[str, Any]:
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


def find_started(slug: str, resume_code: str | None) -> Response | None:
    """The unfinished response of ``slug`` that ``resume_code`` opens, if any."""
    if not resume_code:
        return None
    return db.session.scalar(select(Response).where(
        Response.resume_hash == code_hash(resume_code), Response.slug == slug, Response.status == Response.STARTED))


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


def stored_result(response: Response, lang: str) -> dict[str, Any]:
    """The stored result object of a completed ``response`` in ``lang`` (else in the default language)."""
    result = response.result or {}
    return result[lang] if lang in result else result[DEFAULT_LANGUAGE]


def find_report(code: str) -> Response | None:
    """The completed response that report ``code`` opens, if any."""
    return db.session.scalar(select(Response).where(
        Response.report_hash == code_hash(code), Response.status == Response.COMPLETED))


def delete(response: Response) -> None:
    """Delete ``response`` for good, with its cached charts and next steps, in one transaction."""
    db.session.delete(response)
    db.session.commit()
