"""Secret codes (report and resume links): 176 random bits, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import re
import secrets


def new_code() -> str:
    """A URL-safe code with 176 bits of randomness (the design asks for at least 128)."""
    return secrets.token_urlsafe(22)


def code_hash(code: str) -> str:
    """The hex SHA-256 of ``code``; a fast hash is enough for 176 random bits."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


#: A report code as :func:`new_code` makes it (URL-safe base64), alone or inside a report link.
_CODE = r"[A-Za-z0-9_-]{16,}"
_CODE_IN_LINK = re.compile(rf"/r/({_CODE})(?:[/?#]|$)")
_CODE_ALONE = re.compile(_CODE)


def code_from(text: str | None) -> str | None:
    """The report code in ``text``: either the code itself or a pasted report link.

    A link may carry ``/pdf``, a query or a fragment after the code; spaces around are ignored.
    """
    text = (text or "").strip()
    match = _CODE_IN_LINK.search(text)
    if match:
        return match.group(1)
    return text if _CODE_ALONE.fullmatch(text) else None
