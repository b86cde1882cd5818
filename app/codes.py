"""Secret codes (report and resume links): 176 random bits, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets


def new_code() -> str:
    """A URL-safe code with 176 bits of randomness (the design asks for at least 128)."""
    return secrets.token_urlsafe(22)


def code_hash(code: str) -> str:
    """The hex SHA-256 of ``code``; a fast hash is enough for 176 random bits."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
