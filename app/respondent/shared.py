"""The report says with whom it is shared, so a worker knows which advisors can open it."""

from __future__ import annotations

from ..models import Response
from ..sharing import organisations_shared_with
from . import report_context


@report_context
def shared_context(response: Response, code: str | None, lang: str) -> dict:
    """``shared_with``: the names of the organisations in whose file (with their advisors) this report is."""
    return {"shared_with": [org.name for org in organisations_shared_with(response)]}
