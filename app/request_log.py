"""Structured request log: one JSON line per request, with nothing that could identify an answer.

A line holds the time (UTC), the method, the route *pattern* (``/r/<code>``, never the path: report,
resume and campaign codes are keys), the endpoint, the status and the duration in milliseconds. No
query string, no body, no client address, no user agent.

The lines go to standard output, each with a single ``write()`` of its own: lines from several
gunicorn workers sharing one pipe never interleave (a write of less than ``PIPE_BUF`` bytes to a pipe
is atomic), and a worker that dies loses no line it has logged. ``REQUEST_LOG=False`` turns it off.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Request
from werkzeug.routing import Rule

FIELDS = ("time", "method", "route", "endpoint", "status", "duration_ms")


def write_line(line: str) -> None:
    """Write ``line`` and a newline to standard output in one call, past any buffer."""
    data = (line + "\n").encode()
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by one without a file (a test's capture)
        stream.write(data.decode())
        stream.flush()
        return
    stream.flush()  # anything print()ed before this line comes first
    os.write(fd, data)


@functools.lru_cache(maxsize=512)
def _middle(method: str, route: str | None, endpoint: str | None) -> str:
    """The JSON of the fields that repeat from request to request (methods and routes are few)."""
    return json.dumps({"method": method, "route": route, "endpoint": endpoint})[1:-1]


_last_second: list[tuple[int | None, str]] = [(None, "")]  # the last whole second stamped, with its text


def utc_stamp(at: float) -> str:
    """``at`` (seconds since the epoch) as ``datetime.isoformat(timespec="milliseconds")`` writes it in
    UTC; the text of the whole second is kept, since many requests share it (as one tuple, replaced
    whole, so threads never pair one second with another's text)."""
    second, millis = divmod(round(at * 1_000_000) // 1000, 1000)  # microseconds rounded, as datetime does
    last, text = _last_second[0]
    if last != second:
        text = datetime.fromtimestamp(second, UTC).isoformat()[:19]
        _last_second[0] = (second, text)
    return f"{text}.{millis:03d}+00:00"


def log_line(at: float, method: str, route: str | None, endpoint: str | None, status: int,
             duration_ms: float) -> str:
    """One request's JSON line (the same object ``json.dumps`` of the six fields would give); ``at``
    in seconds since the epoch."""
    stamp = utc_stamp(at)
    middle = _middle(method, route, endpoint)
    return f'{{"time": "{stamp}", {middle}, "status": {status}, "duration_ms": {duration_ms}}}'


RULE_KEY = "regiekompas.url_rule"


class RoutedRequest(Request):
    """Flask's request, keeping the rule Flask matched it to in the WSGI environment as well, where
    the request log finds it after Flask is done with the request (and has let go of this object)."""

    @property
    def url_rule(self) -> Rule | None:  # type: ignore[override]
        return self.environ.get(RULE_KEY)

    @url_rule.setter
    def url_rule(self, rule: Rule | None) -> None:
        self.environ[RULE_KEY] = rule


class RequestLog:
    """WSGI middleware writing the line of each request once the app has answered it.

    The route pattern and endpoint come from the rule Flask matched (``RoutedRequest``); a request
    that matched no route logs ``null`` for both.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], write: Callable[[str], None] = write_line) -> None:
        self.app = app
        self.write = write

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        status = [500]  # unless the app answers: an exception that got past Flask is a server error

        def start(status_line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = int(status_line[:3])
            return start_response(status_line, headers, exc_info)

        try:
            return self.app(environ, start)
        finally:
            duration = round((time.perf_counter() - started) * 1000, 1)
            rule = environ.get(RULE_KEY)
            self.write(log_line(time.time(), str(environ.get("REQUEST_METHOD", "")),
                                rule.rule if rule is not None else None,
                                rule.endpoint if rule is not None else None, status[0], duration))


class _NoPathsFilter(logging.Filter):
    """Drops the development server's own access lines: they carry the full path (report codes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return '] "%s" %s %s' not in str(record.msg)


def init_app(app: Flask) -> None:
    """Log every request of ``app`` (unless ``REQUEST_LOG`` is false); keep werkzeug's paths out."""
    werkzeug_logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoPathsFilter) for f in werkzeug_logger.filters):
        werkzeug_logger.addFilter(_NoPathsFilter())
    if not issubclass(app.request_class, RoutedRequest):
        app.request_class = RoutedRequest
    if app.config.get("REQUEST_LOG", True):
        app.wsgi_app = RequestLog(app.wsgi_app)  # type: ignore[method-assign]
