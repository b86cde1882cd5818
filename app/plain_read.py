"""Read-only selects for the hot page requests, run on a pooled DBAPI connection.

A question page and a remembered report page each need one small read. Through SQLAlchemy's
``Connection.execute`` that read cost several times the query itself (a Connection object, a
compiled-cache lookup, a result object, the connection's reset events): a sixth of such a page's
time. ``PlainSelect`` runs the same SQL, compiled once per database dialect, on a connection from
the same pool (pre-ping and the SQLite PRAGMAs included), and converts each value with the same
per-type processors SQLAlchemy itself applies, so the rows are the ones ``execute`` would give.

Only for selects of plain columns and bound parameters (no ``IN`` lists expanded at run time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
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
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            try:
                cursor.execute(prepared.sql, arguments)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        finally:
            connection.close()  # back to the pool, rolled back
        if prepared.result_processors is None:
            return [tuple(row) for row in rows]
        processors = prepared.result_processors
        return [tuple(value if p is None else p(value) for p, value in zip(processors, row, strict=True))
                for row in rows]
