"""app.plain_read gives the rows SQLAlchemy's own execution gives, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import bindparam, literal, select

from app import responses
from app.extensions import db
from app.models import NextStep, Response
from app.plain_read import PlainSelect

from .helpers import post_profile
from .reports import store_report
from .step_actions import finish_report, post_steps


def both_ways(app, query, params):
    with app.app_context():
        with db.engine.connect() as connection:
            expected = [tuple(row) for row in connection.execute(query, params)]
        return PlainSelect(query).rows(db.engine, params), expected


def test_json_text_and_timestamps_come_back_as_sqlalchemy_gives_them(app):
    code = store_report(app, value=2)
    query = select(Response.answers, Response.result, Response.slug, Response.completed_at, Response.id).where(
        Response.status == Response.COMPLETED, Response.slug == bindparam("slug"))
    plain, expected = both_ways(app, query, {"slug": "loopbaan-apk"})
    assert plain == expected
    answers, result, slug, completed_at, _ = plain[0]
    assert isinstance(answers, dict) and set(answers.values()) == {2}
    assert result["nl"]["questionnaire"]["slug"] == slug == "loopbaan-apk"
    assert completed_at.tzinfo is not None  # UTCDateTime's own processing ran
    assert code


def test_a_union_with_literals_dates_and_a_parameter_used_three_times(app, client, defs):
    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    step = report.recs[0]["id"]
    assert post_steps(client, report, {step: date(2027, 3, 1)}).status_code == 302
    with app.app_context():
        query = responses._report_state_query()
    plain, expected = both_ways(app, query, {"report_hash": responses.code_hash(report.code)})
    assert plain == expected
    assert (1, step, date(2027, 3, 1)) in [row[:3] for row in plain]


def test_no_rows_and_null_values(app, client, defs):
    post_profile(client, defs.questionnaires["loopbaan-apk"])  # a started response: no result, no completion
    query = select(Response.result, Response.completed_at, Response.report_hash, literal(None).label("empty"))
    plain, expected = both_ways(app, query.where(Response.status == bindparam("status")), {"status": "started"})
    assert plain == expected == [(None, None, None, None)]
    none = select(NextStep.due_date).where(NextStep.id == bindparam("id"))
    assert both_ways(app, none, {"id": -1}) == ([], [])


def test_a_missing_parameter_is_an_error_not_a_guess(app):
    query = select(Response.id).where(Response.slug == bindparam("slug"))
    with app.app_context(), pytest.raises(KeyError):
        PlainSelect(query).rows(db.engine, {})


def test_parameters_expanded_at_execution_are_refused(app):
    query = select(Response.id).where(Response.slug.in_(bindparam("slugs", expanding=True)))
    with app.app_context(), pytest.raises(ValueError, match="expanded"):
        PlainSelect(query).rows(db.engine, {"slugs": ["loopbaan-apk"]})
