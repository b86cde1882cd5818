"""Storing responses: start, save page by page, resume, submit, look up a report.

Views call these functions; each one commits a complete change or nothing.

An unfinished response may be written by two requests at once (two tabs, a phone and a laptop, a
double tap on "Versturen"). Every write of one is a compare-and-set: ``UPDATE … WHERE status =
'started' AND revision = <the revision read>``, which bumps the revision. A write that finds the row
changed reads it again and merges its page once more (a few times at most), so two pages saved at
once both keep their answers, and a response is submitted exactly once. This needs no row locks, so
it works on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.exc import IntegrityError

from scoring import DimensionScore, Questionnaire, ScoreResult, evaluate

from ..campaigns.codes import CodeUsed
from ..campaigns.codes import use as use_personal_code
from ..definitions import get_definitions
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import ReplacedResumeLink, Response, ResponseScore, utcnow
from .codes import code_hash, new_code

#: How often a write of an unfinished response is tried when other requests keep changing it.
ATTEMPTS = 5


class NotStarted(Exception):
    """The response was submitted or deleted by another request meanwhile; nothing was written."""


class ReportDeleted(LookupError):
    """The response was deleted (in another tab) before what hangs off its report could be saved."""


@contextmanager
def report_write(response_id: int) -> Iterator[None]:
    """One write of what the worker keeps with a report (next steps, the plan) at a time; committed at the
    end, or nothing is stored. Raises :class:`ReportDeleted` when the response is gone.

    PostgreSQL locks the response's row until the commit; SQLite (where FOR UPDATE means nothing) lets one
    transaction write at a time anyway, and a delete committed in between shows up at the commit, as the
    foreign key of the new rows.
    """
    if db.session.scalar(select(Response.id).where(Response.id == response_id).with_for_update()) is None:
        db.session.rollback()
        raise ReportDeleted(response_id)
    try:
        yield
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ReportDeleted(response_id) from error
    except BaseException:
        db.session.rollback()
        raise


class Busy(Exception):
    """Other requests changed the response on every attempt; nothing was written (try again)."""


def results_by_language(slug: str, answers: Mapping[str, int | None], profile: Mapping[str, str],
                        *, validate: bool = True, languages: tuple[str, ...] = LANGUAGES) -> dict[str, Any]:
    """The API result object in every UI language (stored, so a report never changes later)."""
    return evaluated(slug, answers, profile, validate=validate, languages=languages)[0]


def evaluated(slug: str, answers: Mapping[str, int | None], profile: Mapping[str, str], *,
              validate: bool = True, languages: tuple[str, ...] = LANGUAGES) -> tuple[dict[str, Any], ScoreResult]:
    """:func:`results_by_language` and the scores it was made from (one evaluation, scored once)."""
    defs = get_definitions()
    evaluation = evaluate(defs, slug, answers, profile, validate=validate)
    return {lang: evaluation.to_dict(defs, lang) for lang in languages}, evaluation.result


def score_rows(response_id: int, result: ScoreResult) -> list[dict[str, Any]]:
    """The :class:`~app.models.ResponseScore` rows of ``result``: one per factor and per knob."""
    def rows(kind: str, dimensions: Mapping[str, DimensionScore]) -> list[dict[str, Any]]:
        return [{"response_id": response_id, "kind": kind, "dimension": dimension, "score": s.score,
                 "band": s.band, "answered": s.answered, "items": s.items} for dimension, s in dimensions.items()]

    return rows(ResponseScore.FACTOR, result.factors) + rows(ResponseScore.KNOB, result.knobs)


def add_scores(response_id: int, result: ScoreResult) -> None:
    """Add the score rows of a response being completed to the session's transaction (not committed)."""
    rows = score_rows(response_id, result)
    if rows:
        db.session.execute(insert(ResponseScore), rows)


def start(q: Questionnaire, profile: Mapping[str, str], lang: str, campaign_id: int | None = None,
          department_id: int | None = None, personal_code_hash: str | None = None) -> tuple[Response, str]:
    """A new response with its profile (and campaign link); returns it and its resume code (shown once).

    With ``personal_code_hash`` (a personal code of the campaign, app/campaigns/codes.py) the code is
    marked used in the same transaction and the response gets ``with_code``; when the code is no
    longer unused, :class:`~app.campaigns.codes.CodeUsed` is raised and nothing is stored.
    """
    code = new_code()
    response = Response(slug=q.slug, version=q.version, lang=lang, profile=dict(profile),
                        answers={}, status=Response.STARTED, resume_hash=code_hash(code),
                        campaign_id=campaign_id, department_id=department_id,
                        with_code=personal_code_hash is not None and campaign_id is not None)
    if response.with_code:
        try:
            use_personal_code(campaign_id, personal_code_hash)  # type: ignore[arg-type]
        except CodeUsed:
            db.session.rollback()
            raise
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
    """Merge one page's answers into the response and commit them at once (raises :class:`NotStarted`,
    :class:`Busy`); answers another request saved meanwhile are kept."""
    _write_started(response, lambda current: {"answers": {**(current.answers or {}), **answers}})


def save_profile(response: Response, profile: Mapping[str, str], lang: str) -> None:
    """Replace the profile answers and the language (raises :class:`NotStarted`, :class:`Busy`)."""
    _write_started(response, lambda _current: {"profile": dict(profile), "lang": lang})


def _write_started(response: Response, values: Callable[[Response], dict[str, Any]],
                   then: Callable[[], None] | None = None) -> Response:
    """Write ``values(current)`` to the unfinished ``response`` as a compare-and-set on its revision, and
    commit; on a conflict read it again and retry. Returns the response as written.

    ``values`` may raise :class:`NotStarted` when the current row no longer allows the write; ``then``
    adds what goes into the same transaction once the write succeeded.
    """
    response_id = response.id
    current: Response | None = response
    for _ in range(ATTEMPTS):
        if current is None or current.status != Response.STARTED:
            raise NotStarted(response_id)
        written = cast(CursorResult[Any], db.session.execute(
            update(Response)
            .where(Response.id == response_id, Response.status == Response.STARTED,
                   Response.revision == current.revision)
            .values(revision=Response.revision + 1, **values(current))
            .execution_options(synchronize_session=False)))
        if written.rowcount == 1:
            if then is not None:
                then()
            db.session.commit()  # expires ``current``: it is read again when used
            return current
        db.session.rollback()
        current = db.session.scalar(select(Response).where(Response.id == response_id))
    raise Busy(response_id)


def take_over(response: Response, code: str) -> str:
    """Continue ``response``, opened with resume link ``code``, on this device: it gets a new resume code
    (returned, shown once) and ``code`` stops opening it; opening ``code`` later says it was replaced.

    Raises :class:`NotStarted` when the response was submitted, or another device took it over with
    ``code`` first (then only that device goes on).
    """
    new = new_code()
    old_hash = code_hash(code)
    response_id = response.id

    def replace_code(current: Response) -> dict[str, Any]:
        if current.resume_hash != old_hash:
            raise NotStarted(current.id)
        return {"resume_hash": code_hash(new)}

    _write_started(response, replace_code,
                   then=lambda: db.session.add(ReplacedResumeLink(code_hash=old_hash, response_id=response_id)))
    return new


def was_replaced(code: str | None) -> bool:
    """Whether resume link ``code`` opened a response that was taken over on another device since."""
    if not code:
        return False
    return db.session.get(ReplacedResumeLink, code_hash(code)) is not None


def first_unfinished_step(q: Questionnaire, response: Response) -> int:
    """The 1-based section number of the first section with an item not yet answered."""
    answered = response.answers or {}
    for number, section in enumerate(q.sections, start=1):
        if any(item.id not in answered for item in section.items):
            return number
    return len(q.sections)


def submit(response: Response, report_code: str) -> None:
    """Score the response and store the result (and its score rows) under ``report_code`` (the code the
    respondent's session holds since the start), exactly once: a concurrent or repeated submit raises
    :class:`NotStarted`.

    The code is known before the commit, so a response that committed always returns its code.
    """
    q = get_definitions().questionnaires[response.slug]
    response_id = response.id
    scored: list[ScoreResult] = []  # the scores of the attempt that was written (the last one)

    def completed(current: Response) -> dict[str, Any]:
        answers = {i.id: (current.answers or {}).get(i.id) for i in q.items}
        results, scores = evaluated(q.slug, answers, current.profile, validate=False)
        scored[:] = [scores]
        return {"result": results, "version": q.version, "report_hash": code_hash(report_code),
                "resume_hash": None, "status": Response.COMPLETED, "completed_at": utcnow()}

    # The score rows go into the submission's own transaction: a completed response always has them.
    _write_started(response, completed, then=lambda: add_scores(response_id, scored[-1]))


def create_completed(q: Questionnaire, answers: Mapping[str, int | None], profile: Mapping[str, str],
                     lang: str, campaign_id: int | None = None,
                     department_id: int | None = None) -> tuple[dict[str, Any], str]:
    """Validate, score and store a whole response, with its score rows, in one transaction (the API's
    path); its result object per language and its report code, both known before the commit (nothing
    is read after it)."""
    result, scores = evaluated(q.slug, answers, profile)
    code = new_code()
    response = Response(slug=q.slug, version=q.version, lang=lang, profile=dict(profile),
                        answers=dict(answers), result=result, status=Response.COMPLETED,
                        report_hash=code_hash(code), completed_at=utcnow(), campaign_id=campaign_id,
                        department_id=department_id)
    db.session.add(response)
    db.session.flush()  # its id, for the score rows
    add_scores(response.id, scores)
    db.session.commit()
    return result, code


def stored_result(response: Response, lang: str) -> dict[str, Any]:
    """The stored result object of a completed ``response`` in ``lang`` (else in the default language)."""
    result = response.result or {}
    return result[lang] if lang in result else result[DEFAULT_LANGUAGE]


def find_report(code: str) -> Response | None:
    """The completed response that report ``code`` opens, if any."""
    return db.session.scalar(select(Response).where(
        Response.report_hash == code_hash(code), Response.status == Response.COMPLETED))


def delete(response: Response) -> None:
    """Delete ``response`` for good, with its cached charts, next steps and scores, in one transaction."""
    db.session.delete(response)
    db.session.commit()
