"""Rate limits against floods: new responses, PDFs, respondent posts, logins; where the counters live.

Every limit is read from the config at request time (``FLASK_<NAME>``, defaults in app/config.py), and
each has its own key (README, "Security"):

* **address**: the client address (``request.remote_addr``; behind a proxy, as ``ProxyFix`` in
  app/wsgi.py makes it);
* **session**: a digest of the browser session's CSRF token. A browser that posts a form or opened a
  page with one has that token already, so the limits add nothing to the session cookie; a client
  without a session (no cookies) has no session budget to reset either, and meets the address limits;
* **address and campaign**: the address with the campaign a new response would join (the invite the
  session carries, or the API's ``campaign`` field), "no campaign" being a bucket of its own. Codes are
  keys, so only a digest of one goes into a counter's name.

New responses are counted only when one was stored (:func:`mark_response_created`, Flask-Limiter's
``deduct_when``): the limit is checked before the view runs and counted after it. So a profile posted
again, a form with errors or a refused request costs nothing, and the request over the limit stores
nothing. Requests at the very same moment can each pass the check: the overshoot is at most the
number in flight.

Counters: ``memory://`` by default, per process (each gunicorn worker counts on its own);
``FLASK_RATELIMIT_STORAGE_URI=redis://host:6379/0`` shares them between workers and hosts. When Redis
does not answer, every worker logs one warning and counts in its own memory until Redis answers again
(Flask-Limiter's in-memory fallback, checked again after 1, 2, 4 … 32 seconds): the limits hold per
worker, and no page fails because of the counters (``swallow_errors``, app/extensions.py).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from time import time

from flask import Flask, current_app, g, request, session
from flask.logging import default_handler
from flask.wrappers import Response
from flask_limiter.util import get_remote_address
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db, limiter
from ..request_log import add_redaction

#: A Redis that does not answer costs a request at most this long (connect and each reply), and a
#: dropped connection is retried once: redis-py's own default retries ten times with a back-off of
#: up to a second each, seconds per request until the fallback takes over.
REDIS_TIMEOUT = 0.5
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://")
#: Where a view notes that it stored a new response (see :func:`mark_response_created`).
CREATED = "ratelimit_response_created"
UPDATES = "ratelimit_updates_started_response"
#: The session key of Flask-WTF's CSRF token, unless ``WTF_CSRF_FIELD_NAME`` says otherwise.
CSRF_FIELD = "csrf_token"


def configured(name: str) -> Callable[[], str]:
    """The limit in the setting ``name``, read when a request is checked (so each app has its own)."""
    return lambda: str(current_app.config[name])


def mark_response_created() -> None:
    """Called by a view right after it stored a new response: this request counts as one."""
    setattr(g, CREATED, True)


def _response_created(_response: Response) -> bool:
    return bool(g.get(CREATED, False))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def session_key() -> str:
    """This browser session's key: a digest of its CSRF token; "" without one (see :func:`no_session`)."""
    token = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", CSRF_FIELD))
    return "session:" + _digest(token) if isinstance(token, str) and token else ""


def no_session() -> bool:
    """No session to count for (a client without cookies): only the address limits apply."""
    return not session_key()


def updates_started_response() -> bool:
    """The questionnaire's first page posted again for this session's unfinished response: it changes
    that response and creates none, so no new-response limit applies (someone going back to change the
    profile is never told to wait an hour). Checked in the database, not only in the session: a cookie
    kept from before its response was sent would otherwise start new responses uncounted."""
    if request.blueprint == "api":
        return False
    if UPDATES not in g:  # asked once per limit: looked up once per request
        setattr(g, UPDATES, _finds_started_response())
    return bool(g.get(UPDATES))


def _finds_started_response() -> bool:
    from ..respondent.session import resume_code
    from ..responses.store import find_started

    slug = (request.view_args or {}).get("slug")
    code = resume_code(slug) if isinstance(slug, str) else None
    if not isinstance(slug, str) or not code:
        return False
    try:
        return find_started(slug, code) is not None
    except SQLAlchemyError:  # the database is away: the view answers that (503); the limits apply meanwhile
        db.session.rollback()
        return False


def _campaign_code() -> str | None:
    """The invite code of the campaign a new response would join: the API's ``campaign`` field, or the
    invite this session accepted for the questionnaire in the URL."""
    if request.blueprint == "api":
        body = request.get_json(silent=True)
        code = body.get("campaign") if isinstance(body, dict) else None
    else:
        from ..respondent.session import INVITE_KEY

        invites = session.get(INVITE_KEY)
        entry = invites.get((request.view_args or {}).get("slug")) if isinstance(invites, dict) else None
        code = entry[0] if isinstance(entry, list) and entry else None
    return code if isinstance(code, str) and code else None


def address_and_campaign_key() -> str:
    """The client address with the campaign a new response would join, or "no campaign"."""
    code = _campaign_code()
    return f"{get_remote_address()}|campaign:{_digest(code) if code else 'none'}"


#: New responses per browser session (the questionnaire's first page).
new_responses_per_session = limiter.shared_limit(
    configured("RESPONSES_RATELIMIT_SESSION"), scope="new-responses-session", key_func=session_key,
    methods=["POST"], exempt_when=lambda: no_session() or updates_started_response(),
    deduct_when=_response_created, override_defaults=False)
#: New responses per address and campaign: the pages and the API count in one bucket.
new_responses_per_address = limiter.shared_limit(
    configured("RESPONSES_RATELIMIT_ADDRESS"), scope="new-responses-address", key_func=address_and_campaign_key,
    methods=["POST"], exempt_when=updates_started_response, deduct_when=_response_created,
    override_defaults=False)
#: PDFs (the report's and the team report's together) per browser session, and per address.
pdfs_per_session = limiter.shared_limit(
    configured("PDF_RATELIMIT_SESSION"), scope="pdf-session", key_func=session_key, exempt_when=no_session,
    override_defaults=False)
pdfs_per_address = limiter.shared_limit(configured("PDF_RATELIMIT_ADDRESS"), scope="pdf-address",
                                        override_defaults=False)
#: Login attempts per address.
logins = limiter.limit(configured("LOGIN_RATELIMIT"), methods=["POST"])


def retry_minutes() -> int | None:
    """Whole minutes until the limit this request broke lets it through again; None when unknown."""
    current = limiter.current_limit
    if current is None or not current.breached:
        return None
    try:
        return max(1, round(int(current.reset_at - time()) / 60))  # Retry-After's seconds, in minutes
    except Exception:  # the counters' storage did not answer: the page says "a minute"
        return None


def init_app(app: Flask) -> None:
    """Before ``limiter.init_app(app)``: short timeouts on a Redis storage; the limiter's warnings in the
    error log."""
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    if uri.startswith(REDIS_SCHEMES):
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        options = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT,
                   "retry": Retry(NoBackoff(), 1)}
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {**options, **(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})}
    # Flask-Limiter logs to "flask-limiter" with only a NullHandler, so its warning that the storage is
    # unreachable would go nowhere. Warnings and errors go where Flask's own do (the WSGI error stream:
    # gunicorn's error log); its INFO lines name the client's key (an address) and stay out.
    log = limiter.logger
    log.setLevel(logging.WARNING)
    if default_handler not in log.handlers:
        log.addHandler(default_handler)
    add_redaction(log.name)
