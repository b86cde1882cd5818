"""Structured request log: one JSON line per request, with nothing that could identify an answer.

A line holds the time (UTC), the method, the route *pattern* (``/r/<code>``, never the path: report,
resume and campaign codes are keys), the endpoint, the status and the duration in milliseconds. No
query string, no body, no client address, no user agent.

The lines go through the ``regiekompas.requests`` logger to standard output, one record each: a
short line written with one ``write()`` to a pipe is never split by another gunicorn worker's.
``REQUEST_LOG=False`` turns it off.

No other log line carries a code either. Flask's log of an unhandled exception names the route
pattern (:class:`App`), and :class:`RedactCodes` is a safety net on the loggers that write paths
(werkzeug's development server, Flask's, gunicorn's error log, installed by ``app/wsgi.py``): it
replaces anything in a line or its traceback that looks like a code by ``<code>``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request

FIELDS = ("time", "method", "route", "endpoint", "status", "duration_ms")
logger = logging.getLogger("regiekompas.requests")


def log_line(at: datetime, method: str, route: str | None, endpoint: str | None, status: int,
             duration_ms: float) -> str:
    """One request's line: the JSON object of the six fields."""
    return json.dumps({"time": at.isoformat(timespec="milliseconds"), "method": method, "route": route,
                       "endpoint": endpoint, "status": status, "duration_ms": duration_ms})


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    started = g.get("request_started")
    duration = round((time.perf_counter() - started) * 1000, 1) if started is not None else 0.0
    rule = request.url_rule
    logger.info(log_line(datetime.now(UTC), request.method, rule.rule if rule else None,
                         rule.endpoint if rule else None, response.status_code, duration))
    return response


#: A code as made by :func:`app.responses.codes.new_code` or a campaign's invite code: 16 or more URL-safe
#: characters after a ``/`` or ``=`` with at least one capital or digit (so module and file names in a
#: traceback, all lower case, stay readable). A random code of 22 characters or more has one but for
#: odds of about 1 in 100,000.
_CODE = re.compile(r"(?<=[/=])(?=[a-z_-]*[A-Z0-9])[A-Za-z0-9_-]{16,}")


#: A query string in a logged URI: it may hold a pasted report link, percent-encoded (``?vergelijk=…``).
_QUERY = re.compile(r"\?[^\s\"']*")


def redact(text: str) -> str:
    """``text`` with every query string replaced by ``?<query>`` and every code by ``<code>``."""
    return _CODE.sub("<code>", _QUERY.sub("?<query>", text))


class RedactCodes(logging.Filter):
    """Rewrites a record's message and traceback with :func:`redact`, before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # a handler that formats the exception itself would skip the redaction
        return True


def add_redaction(logger_name: str) -> None:
    """Put :class:`RedactCodes` on the logger ``logger_name`` (once)."""
    target = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactCodes) for f in target.filters):
        target.addFilter(RedactCodes())


class App(Flask):
    """Flask, with its log of an unhandled exception naming the route pattern instead of the path."""

    def log_exception(self, exc_info) -> None:
        rule = request.url_rule.rule if has_request_context() and request.url_rule else None
        method = request.method if has_request_context() else None
        self.logger.error("Exception on %s [%s]", rule or "<no route>", method, exc_info=exc_info)


class _NoPathsFilter(logging.Filter):
    """Drops the development server's own access lines: they carry the full path (report codes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return '] "%s" %s %s' not in str(record.msg)


class StdoutHandler(logging.Handler):
    """Writes each record as one line to the current standard output, flushed at once."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:  # logging must never break a request
            self.handleError(record)


def init_app(app: Flask) -> None:
    """Log every request of ``app`` (unless ``REQUEST_LOG`` is false); keep werkzeug's paths out."""
    werkzeug_logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoPathsFilter) for f in werkzeug_logger.filters):
        werkzeug_logger.addFilter(_NoPathsFilter())
    add_redaction("werkzeug")
    add_redaction(app.logger.name)
    if not logger.handlers:
        logger.addHandler(StdoutHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    if app.config.get("REQUEST_LOG", True):
        app.before_request(_start_timer)
        app.after_request(_log_request)
