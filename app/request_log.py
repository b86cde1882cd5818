"""Structured request log: one JSON line per request, with nothing that could identify an answer.

A line holds the time (UTC), the method, the route *pattern* (``/r/<code>``, never the path: report,
resume and campaign codes are keys), the endpoint, the status and the duration in milliseconds. No
query string, no body, no client address, no user agent.

The lines go through the ``regiekompas.requests`` logger to standard output, one record each: a
short line written with one ``write()`` to a pipe is never split by another gunicorn worker's.
``REQUEST_LOG=False`` turns it off.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

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
    if not logger.handlers:
        logger.addHandler(StdoutHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False
    if app.config.get("REQUEST_LOG", True):
        app.before_request(_start_timer)
        app.after_request(_log_request)
