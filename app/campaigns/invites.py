"""Campaign invites: find a campaign by its invite code, and which campaign a new response joins."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Campaign, Department

#: The department of a respondent who chose none (or would rather not say), in forms and in groups.
NO_DEPARTMENT = ""


def find_by_invite(code: str | None) -> Campaign | None:
    if not code or len(code) > 64:
        return None
    return db.session.scalar(select(Campaign).where(Campaign.invite_code == code))


def open_campaign_for(code: str | None, slug: str, today: date | None = None) -> Campaign | None:
    """The campaign of invite ``code`` when it is open today and includes questionnaire ``slug``."""
    campaign = find_by_invite(code)
    if campaign is None or slug not in campaign.slugs or not campaign.is_open(today):
        return None
    return campaign


#: Days after accepting an invite (while the campaign was open) in which the worker's response still
#: joins it: a campaign that closes at midnight does not drop someone who is busy with the first page.
INVITE_GRACE_DAYS = 1


def campaign_for_accepted_invite(code: str | None, slug: str, accepted_on: date | None,
                                 today: date | None = None) -> Campaign | None:
    """The campaign a new response of ``slug`` joins: the invite's campaign when it is open today, or
    when the invite was accepted while it was open, at most ``INVITE_GRACE_DAYS`` ago."""
    today = today or date.today()
    campaign = find_by_invite(code)
    if campaign is None or slug not in campaign.slugs:
        return None
    if campaign.is_open(today):
        return campaign
    accepted_in_time = accepted_on is not None and 0 <= (today - accepted_on).days <= INVITE_GRACE_DAYS
    return campaign if accepted_in_time and campaign.is_open(accepted_on) else None


def department_of(campaign: Campaign, department_id: int | None) -> Department | None:
    return next((d for d in campaign.departments if d.id == department_id), None)
