"""Error responses: the error page in the user's language, and for the API the JSON error shape
``{"error": {"message": ..., "details": [{"field", "problem"}]}}`` (DESIGN.md)."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from scoring import InputProblem

from .protection.ratelimits import retry_minutes
from .responses.store import Busy

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait after the database did not answer (``Retry-After``).
RETRY_AFTER = 5
#: The database did not answer, or not in time: a restart, a dropped connection, a locked SQLite
#: file, a full connection pool, or other requests changing the same response on every attempt.
#: Such a request committed nothing; trying again in a moment is the right advice, not a 500.
#: (Of these classes, only the errors :func:`is_transient` accepts: a missing column is a 500.)
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout, Busy)
#: PostgreSQL's SQLSTATEs that pass: connection exceptions (class 08), operator intervention such as a
#: shutdown (57P), a serialization failure, a deadlock, too many connections.
TRANSIENT_SQLSTATES = ("08", "57P", "40001", "40P01", "53300")
#: SQLite's: the file is locked by another writer for longer than the busy timeout.
TRANSIENT_SQLITE = ("SQLITE_BUSY", "SQLITE_LOCKED")


def is_transient(error: Exception) -> bool:
    """Whether ``error`` says the database is away for a moment, not that something is wrong for good."""
    if isinstance(error, (PoolTimeout, Busy)) or getattr(error, "connection_invalidated", False):
        return True
    orig = getattr(error, "orig", None)
    if orig is None:
        return isinstance(error, InterfaceError)
    sqlite_name = getattr(orig, "sqlite_errorname", None)
    if sqlite_name is not None:
        return any(sqlite_name.startswith(name) for name in TRANSIENT_SQLITE)
    sqlstate = getattr(orig, "sqlstate", None)
    # No SQLSTATE: no answer from the server at all (refused, closed, timed out).
    return sqlstate is None or sqlstate.startswith(TRANSIENT_SQLSTATES)

MESSAGES = {
    400: "The request is invalid.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    415: "The request body must be JSON (Content-Type: application/json).",
    429: "Too many requests. Wait a moment and try again.",
    500: "Internal server error.",
    503: "The service is unavailable for a moment. Try again shortly.",
}


class ApiError(HTTPException):
    """An API error with a status, a message and per-field details."""

    def __init__(self, code: int, message: str | None = None, details: list[dict] | None = None):
        super().__init__(message or MESSAGES.get(code, ""))
        self.code = code
        self.message = message or MESSAGES.get(code, "")
        self.details = details or []


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def details_from(problems: list[InputProblem]) -> list[dict]:
    return [{"field": p.field, "problem": p.message} for p in problems]


def api_error_response(error: Exception):
    code = getattr(error, "code", None) or 500
    message = getattr(error, "message", None) or MESSAGES.get(code, "Error.")
    body = {"error": {"message": message, "details": getattr(error, "details", [])}}
    return jsonify(body), code, extra_headers(error)


def extra_headers(error: Exception) -> list[tuple[str, str]]:
    """What the exception says besides its body, e.g. ``Allow`` on a 405 (RFC 9110), ``Retry-After`` on a 429."""
    if not isinstance(error, HTTPException):
        return []
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


#: Statuses that get the error page (or, under /api/, the JSON error).
HANDLED = (400, 401, 403, 404, 405, 413, 415, 429, 500)


def init_app(app: Flask) -> None:
    """The error page for every status in :data:`HANDLED`; under ``/api/`` the JSON error shape instead."""
    app.register_error_handler(ApiError, api_error_response)

    def handler(code: int):
        def handle(error: Exception):
            if is_api_request():
                return api_error_response(error)
            # A 429 says how long to wait: a minute, or the minutes left of an hourly limit.
            wait = retry_minutes() if code == 429 else None
            # A 404 of a known kind of link (app/not_found.py) says which link was not found.
            link = getattr(error, "link", None)
            return render_template("error.html", code=code, retry_minutes=wait, link=link), code, extra_headers(error)
        return handle

    for code in HANDLED:
        app.register_error_handler(code, handler(code))
    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)


def database_unavailable(error: Exception):
    """503 with ``Retry-After``: the page "probeer het zo opnieuw", or the API's JSON error.

    Logged with the route pattern and the error's class, never the path (it may hold a code).
    """
    if not is_transient(error):
        raise error  # a lasting fault (a missing migration, a broken query): Flask's 500, logged with its traceback
    rule = request.url_rule.rule if request.url_rule else None
    orig = getattr(error, "orig", None)
    detail = getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None) or ""
    logger.warning("database unavailable: %s %s (%s %s %s)", request.method, rule, type(error).__name__,
                   type(orig).__name__ if orig is not None else "", detail)
    headers = [("Retry-After", str(RETRY_AFTER))]
    if is_api_request():
        body, code, _ = api_error_response(ApiError(503))
        return body, code, headers
    return render_template("error.html", code=503), 503, headers
