"""Default settings and the instance secret."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "BABEL_DEFAULT_LOCALE": "nl",
    "LANGUAGES": ("nl", "en"),
    "DEFINITIONS_DIR": str(Path(__file__).resolve().parent.parent / "questionnaires"),
    "ANONYMITY_K": 5,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
}


def load_or_create_secret(instance: Path) -> str:
    """The secret kept in ``instance/secret_key``, created with 256 random bits the first time."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    secret = secrets.token_hex(32)
    # O_EXCL: when two workers start at once, one writes and the other reads what it wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(secret)
    return secret
