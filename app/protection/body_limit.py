"""The request-size limit (``MAX_CONTENT_LENGTH``) for a body sent without a length (``Transfer-Encoding: chunked``).

A body with ``Content-Length`` over the limit is refused by werkzeug before anything reads it (413). A
streamed body has no length to check: werkzeug wraps it in ``LimitedStream(..., is_max=True)``, which
raises 413 only when a read is attempted *after* the limit, while reading the whole body
(``request.get_data()``, the form parser, so Flask-WTF's CSRF check too) stops quietly at the limit. The
view then gets the first 256 KiB: a cut-off form has lost its CSRF token, a cut-off JSON body is
malformed, and the client got 400 instead of 413.

So a streamed body is read here first, at most one byte beyond the limit, and handed on with the length it
turned out to have (the WSGI ``CONTENT_LENGTH``): werkzeug then checks it as it checks any
``Content-Length``, and a body over the limit gets the app's 413 (the page, or the JSON error). Memory
stays bounded by the limit, as before.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from flask import Flask
from werkzeug.wsgi import get_content_length

CHUNK = 64 * 1024


def read_at_most(stream: Any, size: int) -> bytes:
    """Up to ``size`` bytes from ``stream``: fewer only when the stream ends first."""
    parts, left = [], size
    while left > 0:
        part = stream.read(min(CHUNK, left))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


class StreamedBodyLimit:
    """WSGI middleware: a streamed request body gets a ``CONTENT_LENGTH`` (see the module's text)."""

    def __init__(self, wsgi_app: Any, app: Flask):
        self.wsgi_app = wsgi_app
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        limit = self.app.config.get("MAX_CONTENT_LENGTH")
        # No length: none given, or a chunked body (whose Content-Length werkzeug ignores). Only a server that
        # ends the stream itself (``wsgi.input_terminated``: gunicorn, werkzeug's server) may be read so;
        # werkzeug gives the others an empty body.
        if limit is not None and environ.get("wsgi.input_terminated") and get_content_length(environ) is None:
            body = read_at_most(environ["wsgi.input"], limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)  # no longer chunked: a body of known length
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    app.wsgi_app = StreamedBodyLimit(app.wsgi_app, app)  # type: ignore[method-assign]
