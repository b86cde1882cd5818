"""Who may see what in the advisor workspace: the ONE place every advisor view asks.

An admin sees every organisation; an advisor only those assigned to them. Anything outside that
(an organisation, its campaigns, its shared reports) is a 404, so a URL never tells that it exists.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, select

from ..extensions import db
from ..models import Campaign, Organisation, SharedReport, organisation_advisor


def _visible(query: Select) -> Select:
    """``query`` on Organisation limited to what the current user may see."""
    if current_user.is_admin:
        return query
    return query.join(organisation_advisor).where(organisation_advisor.c.user_id == current_user.id)


def visible_organisations() -> list[Organisation]:
    return list(db.session.scalars(_visible(select(Organisation)).order_by(Organisation.name)))


def organisation_or_404(organisation_id: int) -> Organisation:
    """The organisation when the current user may see it; otherwise 404."""
    org = db.session.scalar(_visible(select(Organisation)).where(Organisation.id == organisation_id))
    if org is None:
        abort(404)
    return org


def campaign_or_404(campaign_id: int) -> Campaign:
    """The campaign when the current user may see its organisation; otherwise 404."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    organisation_or_404(campaign.organisation_id)
    return campaign


def shared_report_or_404(organisation_id: int, shared_id: int) -> SharedReport:
    """A report in the file of a visible organisation; otherwise 404."""
    org = organisation_or_404(organisation_id)
    shared = db.session.get(SharedReport, shared_id)
    if shared is None or shared.organisation_id != org.id:
        abort(404)
    return shared


def admin_only() -> None:
    """403 unless the current user is an admin (for the pages that manage accounts and organisations)."""
    if not current_user.is_admin:
        abort(403)
