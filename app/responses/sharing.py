"""Individual reports a worker shares with the advisors of an organisation, by giving the report code.

Only the link (organisation, response) is stored, never the code. When the worker deletes their
answers, the link goes with them (ON DELETE CASCADE). Campaign responses cannot be shared this way
by anyone but the worker, because only the worker has the code.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation, Response, SharedReport, User
from .codes import code_from
from .store import find_report


def share(org: Organisation, text: str, user: User) -> tuple[SharedReport | None, str | None]:
    """Add the report that ``text`` (a code or a report link) opens to ``org``'s file; or a message why not."""
    code = code_from(text)
    response = find_report(code) if code else None
    if response is None:
        return None, _("Met deze code vinden we geen uitslag. Controleer de code of de link en probeer het opnieuw.")
    existing = db.session.scalar(select(SharedReport).where(SharedReport.organisation_id == org.id,
                                                            SharedReport.response_id == response.id))
    if existing is not None:
        return existing, _("Deze uitslag staat al in het dossier van %(org)s.", org=org.name)
    shared = SharedReport(organisation_id=org.id, response_id=response.id, added_by=user.id)
    db.session.add(shared)
    db.session.commit()
    return shared, None


def remove(shared: SharedReport) -> None:
    db.session.delete(shared)
    db.session.commit()


def organisations_shared_with(response: Response) -> list[Organisation]:
    """The organisations in whose file this report is, by name."""
    return list(db.session.scalars(select(Organisation).join(SharedReport)
                                   .where(SharedReport.response_id == response.id).order_by(Organisation.name)))
