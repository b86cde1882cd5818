"""Rendered report pages, remembered per worker process.

A report page is expensive to render (a full template with two charts, tables, forms) and changes
rarely: the scored result of a response never changes, so a page depends only on its language, the
chart chosen, the date (the next-steps form's earliest date), the saved next steps and the names of
the organisations it is shared with. The key holds all of those, so a page is never served stale
and nothing needs invalidating; several workers or hosts each keep their own small cache.

The per-visitor parts, the CSRF token in the forms and any other secret a page shows (a question
page's resume link), are stored as placeholders and filled in for each request: a remembered page
never holds one visitor's secret for the next.
"""

from __future__ import annotations

import functools
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping

from flask import current_app, g, session
from itsdangerous import URLSafeTimedSerializer

CSRF_PLACEHOLDER = "\x1fcsrf-token\x1f"  # a control character never appears in rendered HTML
_CSRF_PLACEHOLDER = CSRF_PLACEHOLDER.encode()

#: How long a signed CSRF token is handed out again to the same session (seconds).
CSRF_REUSE_SECONDS = 60
_signed_tokens: dict[tuple, tuple[float, str]] = {}
_SIGNED_TOKENS_MAX = 10_000


@functools.lru_cache(maxsize=8)
def _csrf_serializer(secret: str | bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token")  # as flask_wtf.csrf.generate_csrf makes it


def csrf_token() -> str:
    """Flask-WTF's CSRF token for this request's forms (what ``generate_csrf`` returns), cheaper.

    ``generate_csrf`` builds a serializer and signs the session's raw token on every request (a
    fifth of a remembered page's time). Here the serializer is kept, and a session gets the token
    signed for it less than a minute ago: a signed token stays valid for ``WTF_CSRF_TIME_LIMIT`` from
    its signing (no limit by default), so it is as good. Kept per secret and raw token, which only
    that session's cookie holds; bounded. A session without a raw token gets a new random one.
    """
    app, per_request = current_app._get_current_object(), g._get_current_object()  # one proxy lookup each
    field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in per_request:
        return per_request.get(field)
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    raw = session.get(field)
    now = time.monotonic()
    if not isinstance(raw, str) or not raw:  # a new session: a raw token of its own
        raw = session[field] = secrets.token_hex(20)  # 40 hex digits, like Flask-WTF's (a SHA-1 of 64 random bytes)
    else:
        cached = _signed_tokens.get((secret, raw))
        if cached is not None and now - cached[0] < CSRF_REUSE_SECONDS:
            setattr(per_request, field, cached[1])  # what generate_csrf() returns for the rest of this request
            return cached[1]
    token = _csrf_serializer(secret).dumps(raw)
    setattr(per_request, field, token)
    if len(_signed_tokens) >= _SIGNED_TOKENS_MAX:
        _signed_tokens.clear()
    _signed_tokens[(secret, raw)] = (now, token)
    return token


class PageCache:
    """A thread-safe LRU of rendered pages with a bounded number of entries.

    A page is kept as UTF-8 pieces split at its placeholders, so serving it joins bytes: no search
    for the placeholders and no encoding of the whole page per request.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, list[bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def page(self, key: Hashable, render: Callable[[], str], secrets: Mapping[str, str] | None = None) -> bytes:
        """The page for ``key`` (UTF-8) with this request's CSRF token; ``render()`` draws it when missing.

        ``secrets`` maps further placeholders (control characters around a name, like
        ``CSRF_PLACEHOLDER``) to this request's values: each value is taken out of a freshly drawn
        page before it is remembered, and put into a remembered page for this request.
        """
        with self._lock:
            pieces = self._pages.get(key)
            if pieces is not None:
                self._pages.move_to_end(key)
        if pieces is None:
            fresh = render()
            # generate_csrf() after render(): the token the forms in ``fresh`` carry.
            html = _take_out(fresh, {CSRF_PLACEHOLDER: csrf_token(), **(secrets or {})})
            if self.size > 0 and html is not None:
                with self._lock:
                    self._pages[key] = _PLACEHOLDER.split(html.encode())
                    while len(self._pages) > self.size:
                        self._pages.popitem(last=False)
            return fresh.encode()
        values = {_CSRF_PLACEHOLDER: csrf_token().encode()}
        if secrets:
            for placeholder, value in secrets.items():
                values[placeholder.encode()] = value.encode()
        # Odd pieces are the placeholders (the pattern's group); one without a value stays as it is.
        filled = pieces.copy()
        filled[1::2] = [values.get(placeholder, placeholder) for placeholder in pieces[1::2]]
        return b"".join(filled)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


#: A placeholder: a name between two unit separators (never in rendered HTML), as a split pattern's group.
_PLACEHOLDER = re.compile(rb"(\x1f[a-z-]+\x1f)")


def _take_out(html: str, secrets: Mapping[str, str]) -> str | None:
    """``html`` with each secret value replaced by its placeholder; None when that is not safe."""
    for placeholder, value in secrets.items():
        if not value:
            return None  # an empty value cannot be found again: never remember such a page
        html = html.replace(value, placeholder)
    return html
