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
from sqlalchemy.orm import Session

from app.models import Response

HEADER = "X-Test-Pause-Before-Commit"


def pause_before_commit(session: Session, _flush_context) -> None:
    if not has_request_context() or request.headers.get(HEADER) != "1":
        return
    # After a flush the session still lists what it flushed: the completed response is among them.
    if not any(isinstance(o, Response) and o.status == Response.COMPLETED for o in (*session.new, *session.dirty)):
        return
    folder = Path(os.environ["FAULT_DIR"])
    (folder / "paused.tmp").write_text(str(os.getpid()))
    (folder / "paused.tmp").rename(folder / "paused")
    time.sleep(120)


def install() -> None:
    event.listen(Session, "after_flush", pause_before_commit)
