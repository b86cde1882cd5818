"""Read-only selects for the hot page requests, run on a DBAPI connection kept for reading.

A question page and a remembered report page each need one small read. Through SQLAlchemy's
``Connection.execute`` that read cost several times the query itself (a Connection object, a
compiled-cache lookup, a result object, the connection's reset events): a sixth of such a page's
time. ``PlainSelect`` runs the same SQL, compiled once per database dialect, and converts each value
with the same per-type processors SQLAlchemy itself applies, so the rows are the ones ``execute``
would give.

Only for selects of plain columns and bound parameters (no ``IN`` lists expanded at run time).

The connection. Taking one from the pool and giving it back (with its rollback) still cost a tenth
of a question page under load, so each thread keeps one connection of its own for these reads
(``read_connection``):

* made by the engine's pool, so with the engine's settings and ``connect`` events (the SQLite
  PRAGMAs), then detached from the pool: the pool keeps its full size for everything else;
* in autocommit mode, so each select sees what is committed at that moment and the connection never
  sits in an open transaction (on PostgreSQL: no "idle in transaction", no locks held);
* replaced when it fails: a read that raises a database error is tried once more on a new
  connection (after a database restart, say), which is what the pool's pre-ping would have done;
* closed by the thread that kept it when its engine is disposed, and never used by another process:
  a worker forked from a process that kept one makes its own and forgets the inherited one without
  closing it, as ``Engine.dispose(close=False)`` does with the pool's (closing it could end the
  parent's session on a database server);
* only for engines with a ``QueuePool`` (SQLite files and server databases): an in-memory SQLite
  database lives in its one pooled connection, which the pooled path below keeps using.

A database server sees one more connection per worker thread than the pool's own.
"""

from __future__ import annotations

import contextlib
import os
import threading
import weakref
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from sqlalchemy import Engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.pool import QueuePool
from sqlalchemy.sql import Select
from sqlalchemy.sql.selectable import CompoundSelect


class _Prepared(NamedTuple):
    sql: str
    defaults: dict[str, Any]  # the parameters with a value written into the query
    required: frozenset[str]  # the others: each call must give them
    bind_processors: dict[str, Callable[[Any], Any]]
    order: tuple[str, ...] | None  # the parameter names in order, for positional DBAPIs (SQLite)
    result_processors: tuple[Callable[[Any], Any] | None, ...] | None  # None when no column needs one


class PlainSelect:
    """``query`` compiled once per dialect; ``rows(engine, params)`` runs it."""

    def __init__(self, query: Select | CompoundSelect) -> None:
        self.query = query
        self._prepared: dict[Dialect, _Prepared] = {}

    def _prepare(self, dialect: Dialect) -> _Prepared:
        compiled = self.query.compile(dialect=dialect)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("PlainSelect takes no parameters expanded at execution time")
        binds = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                binds[name] = processor
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in self.query.selected_columns)
        # The values written into the query (literals); a parameter without one must be given.
        defaults = {name: value for name, value in compiled.params.items() if not compiled.binds[name].required}
        return _Prepared(str(compiled), defaults, frozenset(compiled.params) - defaults.keys(), binds,
                         tuple(compiled.positiontup) if compiled.positional else None,
                         results if any(results) else None)

    def rows(self, engine: Engine, params: Mapping[str, Any]) -> list[tuple]:
        prepared = self._prepared.get(engine.dialect)
        if prepared is None:
            prepared = self._prepared[engine.dialect] = self._prepare(engine.dialect)
        if missing := prepared.required - params.keys():
            raise KeyError(f"no value for the parameters {sorted(missing)}")
        values = {**prepared.defaults, **params}
        for name, processor in prepared.bind_processors.items():
            values[name] = processor(values[name])
        arguments = tuple(values[name] for name in prepared.order) if prepared.order is not None else values
        if isinstance(engine.pool, QueuePool):
            try:
                rows = _fetch(read_connection(engine), prepared.sql, arguments)
            except engine.dialect.loaded_dbapi.Error:
                drop_read_connection(engine)  # broken, or the database went away: once more on a new one
                rows = _fetch(read_connection(engine), prepared.sql, arguments)
        else:
            connection = engine.raw_connection()
            try:
                rows = _fetch(connection, prepared.sql, arguments)
            finally:
                connection.close()  # back to the pool, rolled back
        if prepared.result_processors is None:
            return [tuple(row) for row in rows]
        processors = prepared.result_processors
        return [tuple(value if p is None else p(value) for p, value in zip(processors, row, strict=True))
                for row in rows]


def _fetch(connection: Any, sql: str, arguments: Any) -> list:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, arguments)
        return cursor.fetchall()
    finally:
        cursor.close()


class _Kept(NamedTuple):
    pid: int  # the process that made it
    generation: int  # of its engine (see _disposed)
    connection: Any  # the DBAPI connection


class _ThreadConnections(threading.local):
    def __init__(self) -> None:
        self.by_engine: dict[Engine, _Kept] = {}


_threads = _ThreadConnections()
#: Each engine's generation, counted up when it is disposed: a connection of an older one is not used.
_generations: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()


def read_connection(engine: Engine) -> Any:
    """This thread's DBAPI connection for reading from ``engine`` (autocommit), made when needed."""
    kept = _threads.by_engine.get(engine)
    if kept is not None and kept.pid == os.getpid() and kept.generation == _generations.get(engine, 0):
        return kept.connection
    _sweep()
    pooled = engine.raw_connection()  # the engine's connect arguments and events
    pooled.detach()  # ours to keep and close, not the pool's
    connection = pooled.dbapi_connection
    try:
        engine.dialect.set_isolation_level(connection, "AUTOCOMMIT")
    except Exception:
        connection.close()
        raise
    if engine not in _generations:
        _generations[engine] = 0
        event.listen(engine, "engine_disposed", _disposed)
    _threads.by_engine[engine] = _Kept(os.getpid(), _generations[engine], connection)
    return connection


def drop_read_connection(engine: Engine) -> None:
    """Close this thread's reading connection to ``engine``, if it keeps one (and made it)."""
    kept = _threads.by_engine.pop(engine, None)
    if kept is not None:
        _close(kept)


def _close(kept: _Kept) -> None:
    if kept.pid != os.getpid():  # the parent's: forgotten, not closed (as dispose(close=False) does)
        return
    with contextlib.suppress(Exception):  # a connection that cannot even close is gone already
        kept.connection.close()


def _sweep() -> None:
    """Close this thread's connections that may not be used any more (another process's, or of a
    disposed or dropped engine)."""
    pid = os.getpid()
    for engine, kept in list(_threads.by_engine.items()):
        if kept.pid != pid or kept.generation != _generations.get(engine, 0):
            del _threads.by_engine[engine]
            _close(kept)


def _disposed(engine: Engine) -> None:
    """``Engine.dispose()``: no thread uses its kept connection again; this thread closes its own now
    (others close theirs the next time they read)."""
    _generations[engine] = _generations.get(engine, 0) + 1
    drop_read_connection(engine)
