"""app.plain_read gives the rows SQLAlchemy's own execution gives, on SQLite and on PostgreSQL, on a
connection each thread keeps."""

from __future__ import annotations

import gc
import os
import threading
from datetime import date

import pytest
from sqlalchemy import bindparam, create_engine, func, literal, select
from sqlalchemy.pool import QueuePool

from app import responses
from app.extensions import db
from app.models import NextStep, Response
from app.plain_read import PlainSelect, drop_read_connection, read_connection

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


# The connection each thread keeps for these reads (app.plain_read.read_connection).

COUNT = select(func.count(Response.id)).where(Response.slug == bindparam("slug"))


def count(engine) -> int:
    return PlainSelect(COUNT).rows(engine, {"slug": "loopbaan-apk"})[0][0]


def in_transaction(connection) -> bool:
    if hasattr(connection, "in_transaction"):  # sqlite3
        return connection.in_transaction
    from psycopg.pq import TransactionStatus

    return connection.info.transaction_status != TransactionStatus.IDLE


def test_a_thread_keeps_one_connection_and_sees_each_commit_at_once(app):
    with app.app_context():
        engine = db.engine
        checked_out = engine.pool.checkedout()
        assert count(engine) == 0
        kept = read_connection(engine)
        assert engine.pool.checkedout() == checked_out  # detached: the pool's size is untouched
        store_report(app)  # committed through the ORM, on a pooled connection
        assert count(engine) == 1  # autocommit: no old snapshot held between reads
        store_report(app)
        assert count(engine) == 2
        assert read_connection(engine) is kept
        assert not in_transaction(kept)  # between reads it holds no snapshot and no locks
        other = []
        thread = threading.Thread(target=lambda: other.append((read_connection(engine), count(engine))))
        thread.start()
        thread.join()
        assert other[0][0] is not kept and other[0][1] == 2


def test_a_broken_connection_is_replaced_and_the_read_still_answers(app):
    store_report(app)
    with app.app_context():
        engine = db.engine
        broken = read_connection(engine)
        broken.close()  # as if the server had gone away
        assert count(engine) == 1
        assert read_connection(engine) is not broken


def test_disposing_the_engine_closes_this_threads_connection(app):
    with app.app_context():
        engine = db.engine
        count(engine)
        old = read_connection(engine)
        engine.dispose()
        with pytest.raises(engine.dialect.loaded_dbapi.Error):
            old.cursor().execute("SELECT 1")  # closed
        assert read_connection(engine) is not old
        assert count(engine) == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_process_makes_its_own_and_leaves_the_parents_alone(app):
    store_report(app)
    with app.app_context():
        engine = db.engine
        parent = read_connection(engine)
        pid = os.fork()
        if pid == 0:  # the child: its own connection, the parent's neither used nor closed
            try:
                ok = read_connection(engine) is not parent and count(engine) == 1
                drop_read_connection(engine)
                gc.collect()
            finally:
                os._exit(0 if ok else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert read_connection(engine) is parent
        cursor = parent.cursor()  # still open: closing it in the child would end a PostgreSQL session
        cursor.execute("SELECT 1")
        assert cursor.fetchall() == [(1,)]


def test_an_in_memory_sqlite_database_reads_through_its_pool():
    engine = create_engine("sqlite://")
    Response.__table__.create(engine)
    with engine.begin() as connection:
        connection.execute(Response.__table__.insert(), [{"slug": "loopbaan-apk", "version": "1", "lang": "nl",
                                                         "status": "started", "profile": {}, "answers": {}}])
    assert not isinstance(engine.pool, QueuePool)
    assert count(engine) == 1  # a connection of its own would open another, empty database
    engine.dispose()
