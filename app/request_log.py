"""Structured request log: one JSON line per request, with nothing that could identify an answer.

A line holds the method, the route *pattern* (``/r/<code>``, never the path: report, resume and
campaign codes are keys), the endpoint, the status and the duration in milliseconds. No query
string, no body, no client address, no user agent.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from flask import Flask, Response, g, request

LOGGER_NAME = "regiekompas.access"
logger = logging.getLogger(LOGGER_NAME)


def request_record(status: int, started: float | None) -> dict:
    """The fields logged for the current request."""
    rule = request.url_rule
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": request.method,
        "route": rule.rule if rule is not None else None,
        "endpoint": request.endpoint,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started is not None else None,
    }


class _NoPathsFilter(logging.Filter):
    """Drops the development server's own access lines: they carry the full path (report codes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return '] "%s" %s %s' not in str(record.msg)


def init_app(app: Flask) -> None:
    """Log every request of ``app``; without a handler of its own, the logger writes to stdout."""
    werkzeug_logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoPathsFilter) for f in werkzeug_logger.filters):
        werkzeug_logger.addFilter(_NoPathsFilter())
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def start_timer() -> None:
        g.request_started = time.perf_counter()

    def log_request(response: Response) -> Response:
        if app.config.get("REQUEST_LOG", True):
            logger.info(json.dumps(request_record(response.status_code, g.get("request_started"))))
        return response

    # First, so that the time counts from before any other hook (rate limits, sessions).
    app.before_request_funcs.setdefault(None, []).insert(0, start_timer)
    app.after_request(log_request)
