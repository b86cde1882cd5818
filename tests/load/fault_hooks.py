"""Test-only hook for the kill test, installed in each gunicorn worker by gunicorn_faults.conf.py.

A request with the header ``X-Test-Pause-Before-Commit: 1`` that completes a response pauses right
after its INSERT or UPDATE was sent to the database and before COMMIT: the worker writes its pid to
``$FAULT_DIR/paused`` and sleeps, so the test can kill it at the worst moment.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

HEADER = "X-Test-Pause-Before-Commit"


def pause_before_commit(_connection, _cursor, statement: str, parameters, _context, _executemany) -> None:
    if not has_request_context() or request.headers.get(HEADER) != "1":
        return
    # The statement that completes a response: the API's INSERT or the last page's UPDATE, whose
    # values hold the new status.
    if not statement.lstrip().upper().startswith(("INSERT INTO RESPONSE", "UPDATE RESPONSE")):
        return
    if "'completed'" not in repr(parameters):
        return
    folder = Path(os.environ["FAULT_DIR"])
    (folder / "paused.tmp").write_text(str(os.getpid()))
    (folder / "paused.tmp").rename(folder / "paused")
    time.sleep(120)


def install() -> None:
    event.listen(Engine, "after_cursor_execute", pause_before_commit)


#: A request with this header fails inside Flask (a view's error: Flask logs "Exception on …").
RAISE_IN_APP = "X-Test-Raise-In-App"
#: A request with this header fails outside Flask, in WSGI middleware (gunicorn logs "Error handling request …").
RAISE_OUTSIDE = "X-Test-Raise-Outside-App"


class RaiseOutsideApp:
    """WSGI middleware that fails a request carrying :data:`RAISE_OUTSIDE` before Flask sees it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_" + RAISE_OUTSIDE.upper().replace("-", "_")) == "1":
            raise RuntimeError("a test failure outside the app")
        return self.wsgi_app(environ, start_response)


def install_failures(flask_app) -> None:
    """Make ``flask_app`` fail the requests that ask for it (see :data:`RAISE_IN_APP`, :data:`RAISE_OUTSIDE`)."""
    def raise_in_app() -> None:
        if request.headers.get(RAISE_IN_APP) == "1":
            raise RuntimeError("a test failure inside a view")

    flask_app.before_request(raise_in_app)
    flask_app.wsgi_app = RaiseOutsideApp(flask_app.wsgi_app)
