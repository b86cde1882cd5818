"""Default settings and the instance secret."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

DEFAULTS = {
    # pool_pre_ping: on by default for server databases (app/__init__.py), off for SQLite files.
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "BABEL_DEFAULT_LOCALE": "nl",
    # Dates are stored in UTC and shown (and put in file names) as the date in the Netherlands.
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "DEFINITIONS_DIR": str(Path(__file__).resolve().parent.parent / "questionnaires"),
    "ANONYMITY_K": 5,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    # Report pages send no Referer (their URL holds the report code), so the forms they hold would
    # fail Flask-WTF's HTTPS Referer check; the CSRF token and SameSite=Lax cookies still protect them.
    "WTF_CSRF_SSL_STRICT": False,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Explicit, because Flask-Limiter keeps the last app's value as its default for the next app.
    "RATELIMIT_ENABLED": True,
    "API_RATELIMIT_POST": "60/minute",  # per client address, all API POSTs together
    "API_RATELIMIT_GET": "600/minute",
    # app/protection/ratelimits.py; why these values: README, "Security". New responses are counted only when one
    # is stored: per browser session, and per client address and campaign (pages and API together).
    "RESPONSES_RATELIMIT_SESSION": "10/hour",
    "RESPONSES_RATELIMIT_ADDRESS": "30/hour",
    # PDFs (report and team report together), per browser session and per client address; at most 5
    # in 10 seconds from one address, so that a burst does not hold every worker for long.
    "PDF_RATELIMIT_SESSION": "10/minute",
    "PDF_RATELIMIT_ADDRESS": "5/10seconds;30/minute",
    "RESPONDENT_RATELIMIT_POST": "600/minute",  # per client address, all respondent page POSTs together
    "LOGIN_RATELIMIT": "10/minute",  # per client address, advisor login POSTs
    "SESSION_COOKIE_SECURE": False,  # False still sets Secure on HTTPS requests (app/protection/security.py)
}


def database_url(url: str) -> str:
    """``url`` with PostgreSQL's driver made explicit: hosts hand out ``postgres://`` or ``postgresql://``,
    which SQLAlchemy would open with psycopg2; Regiekompas installs psycopg (3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_or_create_secret(instance: Path) -> str:
    """The secret kept in ``instance/secret_key``, created with 256 random bits the first time."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_hex(32)
    # Written in full to a file of our own, then linked into place: when several workers start at
    # once, exactly one link succeeds and the others read the winner's secret, never a half-written
    # or empty file (which an O_EXCL create followed by a write would show for a moment).
    fd, draft = tempfile.mkstemp(prefix=".secret_key.", dir=instance)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secret)
        try:
            os.link(draft, path)
        except FileExistsError:
            return path.read_text().strip()
        return secret
    finally:
        os.unlink(draft)
