"""A 404 that knows which kind of link was not found, so that the error page speaks of the link actually
used: a report link, an invite link or a questionnaire link (app/errors.py, templates/error.html)."""

from __future__ import annotations

from werkzeug.exceptions import NotFound

REPORT = "report"
INVITE = "invite"
QUESTIONNAIRE = "questionnaire"


class UnknownLink(NotFound):
    """404 for a link of kind ``link`` (:data:`REPORT`, :data:`INVITE`, :data:`QUESTIONNAIRE`)."""

    def __init__(self, link: str):
        super().__init__()
        self.link = link
