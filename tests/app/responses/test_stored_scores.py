"""Every completed response keeps its factor and knob scores as rows (``ResponseScore``), written with the
submission, deleted with the response, and filled in by the migration for responses stored before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.maintenance import purge
from app.models import Response, ResponseScore
from app.responses import store as responses
from tests.support.databases import KINDS, database_url
from tests.support.flows import WORKER_PROFILE, post_page, post_profile
from tests.support.team_data import EMPLOYER_BY_KNOB, WORKERS, employer_keyed, questionnaire, raw, store


def score_rows(app, response_id: int | None = None) -> dict[tuple[int, str, str], tuple]:
    """(response id, kind, dimension) → (score, band, answered, items) of the stored rows."""
    with app.app_context():
        query = select(ResponseScore)
        if response_id is not None:
            query = query.where(ResponseScore.response_id == response_id)
        return {(s.response_id, s.kind, s.dimension): (s.score, s.band, s.answered, s.items)
                for s in db.session.scalars(query)}


def of(rows: dict, kind: str) -> dict[str, tuple]:
    return {dimension: value for (_id, k, dimension), value in rows.items() if k == kind}


def approx(score, band, answered, items):
    return (pytest.approx(score), band, answered, items)


# Worker r1 of tests/support/team_data.py, by hand: motivation all keyed 2 (8 items); awareness all 1;
# means mid_1-4 = 1, mid_5-7 = 5 (19/7); opportunities all 3. Knobs: direction (mot_6 2, bew_6 1,
# mid_7 5, kan_4 3) 2.75; room (mid_1 1, mid_3 1, kan_1/2/6 3) 2.2; backing (mid_6 5, kan_7/8/9 3) 3.5.
R1_FACTORS = {"motivation": approx(25, "low", 8, 8), "awareness": approx(0, "low", 7, 7),
              "means": approx(100 * (19 / 7 - 1) / 4, "low", 7, 7), "opportunities": approx(50, "medium", 7, 7)}
R1_KNOBS = {"direction": approx(43.75, "low", 4, 4), "room": approx(30, "low", 5, 5),
            "backing": approx(62.5, "medium", 4, 4)}


def test_a_check_up_submitted_page_by_page_stores_its_scores(app, client):
    q = questionnaire(app, "loopbaan-apk")
    answers = raw(q, WORKERS[0])
    post_profile(client, q)
    for step, section in enumerate(q.sections, start=1):
        last = post_page(client, q, step, {i.id: answers[i.id] for i in section.items})
    assert last.status_code == 302 and "/r/" in last.headers["Location"]
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert response.status == Response.COMPLETED
        stored_factors = response.result["nl"]["factors"]
    rows = score_rows(app)
    assert {response_id for response_id, _k, _d in rows} == {response.id}
    assert of(rows, "factor") == R1_FACTORS
    assert of(rows, "knob") == R1_KNOBS  # the check-up's knob scores, which its stored result leaves out
    # the same numbers as the result the respondent was shown (one evaluation)
    assert of(rows, "factor") == {f: tuple(d.values()) for f, d in stored_factors.items()}


def test_a_response_stored_through_the_api_stores_its_scores(app):
    worker = store(app, "loopbaan-apk", WORKERS[0])
    employer = store(app, "leercultuur", employer_keyed(questionnaire(app, "leercultuur"), EMPLOYER_BY_KNOB))
    rows = score_rows(app, worker)
    assert of(rows, "factor") == R1_FACTORS and of(rows, "knob") == R1_KNOBS
    # The employer scan (team_data): knobs 100, 75, 25 (8 items each); factors 50, 80, 62.5, 75.
    rows = score_rows(app, employer)
    assert of(rows, "knob") == {"direction": approx(100, "high", 8, 8), "room": approx(75, "high", 8, 8),
                                "backing": approx(25, "low", 8, 8)}
    assert of(rows, "factor") == {"motivation": approx(50, "medium", 6, 6), "awareness": approx(80, "high", 5, 5),
                                  "means": approx(62.5, "medium", 6, 6), "opportunities": approx(75, "high", 7, 7)}
    with app.app_context():
        result = db.session.get(Response, employer).result["en"]
    assert of(rows, "knob") == {k: tuple(d.values()) for k, d in result["knobs"].items()}


def test_scores_that_cannot_be_written_leave_the_response_unsubmitted(app, monkeypatch):
    def broken(_response_id, _result):
        raise RuntimeError("no score rows")

    q = questionnaire(app, "loopbaan-apk")
    with app.test_request_context():
        response, _code = responses.start(q, WORKER_PROFILE, "nl")
        response_id = response.id
        responses.save_answers(response, raw(q, WORKERS[0]))
        monkeypatch.setattr(responses, "add_scores", broken)
        with pytest.raises(RuntimeError):
            responses.submit(response, "a-report-code")
        db.session.rollback()
        with pytest.raises(RuntimeError):
            responses.create_completed(q, raw(q, WORKERS[1]), WORKER_PROFILE, "nl")
        db.session.rollback()
        # one transaction each: neither the submission nor the API's response was stored without its scores
        assert [(r.id, r.status, r.result) for r in db.session.scalars(select(Response))] == [
            (response_id, Response.STARTED, None)]
    assert score_rows(app) == {}


def test_an_unfinished_response_has_no_scores(app, client):
    q = questionnaire(app, "loopbaan-apk")
    post_profile(client, q)
    post_page(client, q, 1, {i.id: 3 for i in q.sections[0].items})
    assert score_rows(app) == {}


def test_deleting_a_response_deletes_its_scores(app):
    kept, gone = store(app, "loopbaan-apk", WORKERS[0]), store(app, "loopbaan-apk", WORKERS[1])
    with app.app_context():
        responses.delete(db.session.get(Response, gone))
    assert {response_id for response_id, _k, _d in score_rows(app)} == {kept}


def test_purging_old_responses_deletes_their_scores(app):
    old, new = store(app, "loopbaan-apk", WORKERS[0]), store(app, "loopbaan-apk", WORKERS[1])
    with app.app_context():
        db.session.get(Response, old).completed_at = datetime.now(UTC) - timedelta(days=400)
        db.session.commit()
        assert purge(12)[0] == 1
    assert {response_id for response_id, _k, _d in score_rows(app)} == {new}


# --- the migration fills the rows of responses stored before it ------------------------------------

BEFORE = "c4e2a9d1f6b3"  # the revision before response scores


def dimension(score, band, answered=7, items=7):
    return {"score": score, "band": band, "answered": answered, "items": items}


# Stored results with numbers that scoring the answers again would not give: the rows must copy them.
STORED_FACTORS = {"motivation": dimension(12.5, "low"), "awareness": dimension(None, None, 2),
                  "means": dimension(80.0, "high"), "opportunities": dimension(55.0, "medium", 6)}
STORED_KNOBS = {"direction": dimension(90.0, "high", 10, 10), "room": dimension(10.0, "low", 9, 10),
                "backing": dimension(50.0, "medium", 10, 10)}


@pytest.mark.parametrize("db_kind", KINDS)
def test_the_migration_fills_the_scores_of_stored_responses(db_kind, tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": database_url(db_kind, tmp_path)})
    response = sa.table("response", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                        sa.column("version", sa.String), sa.column("lang", sa.String), sa.column("status", sa.String),
                        sa.column("profile", sa.JSON), sa.column("answers", sa.JSON), sa.column("result", sa.JSON),
                        sa.column("created_at", sa.DateTime(timezone=True)),
                        sa.column("updated_at", sa.DateTime(timezone=True)))
    with app.app_context():
        try:
            upgrade(revision=BEFORE)
            q = questionnaire(app, "loopbaan-apk")
            now = datetime.now(UTC)

            def add(id_, slug, version, result, status="completed", answers=None):
                db.session.execute(response.insert().values(
                    id=id_, slug=slug, version=version, lang="nl", status=status, profile=WORKER_PROFILE,
                    answers=answers if answers is not None else raw(q, WORKERS[0]), result=result,
                    created_at=now, updated_at=now))

            add(1, "loopbaan-apk", q.version, {"nl": {"factors": STORED_FACTORS}, "en": {"factors": {}}})
            add(2, "leercultuur", "1.0.0", {"en": {"factors": STORED_FACTORS, "knobs": STORED_KNOBS}}, answers={})
            add(3, "loopbaan-apk", "0.9.0", {"nl": {"factors": STORED_FACTORS}})  # another version
            add(4, "loopbaan-apk", q.version, None, status="started")
            db.session.commit()
            upgrade()
            rows = score_rows(app)
        finally:
            db.session.remove()
            downgrade(revision="base")
            db.engine.dispose()
    expected = {f: tuple(d.values()) for f, d in STORED_FACTORS.items()}
    assert {response_id for response_id, _k, _d in rows} == {1, 2, 3}  # not the unfinished one
    assert of({k: v for k, v in rows.items() if k[0] == 1}, "factor") == expected  # copied, not scored again
    # the check-up's stored result has no knob scores: they come from its answers (its own version)
    assert of({k: v for k, v in rows.items() if k[0] == 1}, "knob") == R1_KNOBS
    # the employer scan's knobs from its stored result (in English: there was no Dutch one)
    assert of({k: v for k, v in rows.items() if k[0] == 2}, "knob") == {
        k: tuple(d.values()) for k, d in STORED_KNOBS.items()}
    assert of({k: v for k, v in rows.items() if k[0] == 2}, "factor") == expected
    # of another version: its stored factors, and no knob scores (its items are not known)
    assert of({k: v for k, v in rows.items() if k[0] == 3}, "factor") == expected
    assert of({k: v for k, v in rows.items() if k[0] == 3}, "knob") == {}
