"""Campaign invites: find a campaign by one of its invite codes, and which campaign a new response joins.

A campaign has two invite links, one per audience:

* the **worker link** ``/c/<invite_code>`` offers only the worker check-up (loopbaan-APK), with the
  department question; it is the link on the printed invitation and its QR code;
* the **employer link** ``/c/<employer_invite_code>`` offers only the employer scan (leercultuur),
  without a department question. The advisor gives it to the employer alone.

So a worker can no longer pick the employer scan and be counted as the employer. A link whose
questionnaire the campaign does not have says so and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from ..definitions import get_definitions
from ..extensions import db
from ..models import Campaign, Department

#: The department of a respondent who chose none (or would rather not say), in forms and in groups.
NO_DEPARTMENT = ""

WORKER = "worker"
EMPLOYER = "employer"


@dataclass(frozen=True)
class Invite:
    """An invite link: its campaign, and the audience the link is for (``worker`` or ``employer``)."""

    campaign: Campaign
    audience: str

    @property
    def slug(self) -> str | None:
        """The questionnaire this link offers, or ``None`` when the campaign does not have it."""
        return audience_slug(self.campaign, self.audience)

    @property
    def code(self) -> str:
        return self.campaign.employer_invite_code if self.audience == EMPLOYER else self.campaign.invite_code


def audience_slug(campaign: Campaign, audience: str) -> str | None:
    """The questionnaire of ``campaign`` for ``audience`` (``worker``/``employer``), if it has one."""
    questionnaires = get_definitions().questionnaires
    return next((s for s in campaign.slugs if s in questionnaires and questionnaires[s].audience == audience), None)


def find_invite(code: str | None) -> Invite | None:
    """The invite link ``code`` is: a campaign's worker link or its employer link."""
    if not code or len(code) > 64:
        return None
    campaign = db.session.scalar(select(Campaign).where(
        or_(Campaign.invite_code == code, Campaign.employer_invite_code == code)))
    if campaign is None:
        return None
    return Invite(campaign, EMPLOYER if campaign.employer_invite_code == code else WORKER)


def find_by_invite(code: str | None) -> Campaign | None:
    """The campaign of invite ``code`` (either link)."""
    invite = find_invite(code)
    return invite.campaign if invite else None


def open_campaign_for(code: str | None, slug: str, today: date | None = None) -> Campaign | None:
    """The campaign of invite ``code`` when it is open today and the link offers questionnaire ``slug``."""
    invite = find_invite(code)
    if invite is None or invite.slug != slug or not invite.campaign.is_open(today):
        return None
    return invite.campaign


#: Days after accepting an invite (while the campaign was open) in which the worker's response still
#: joins it: a campaign that closes at midnight does not drop someone who is busy with the first page.
INVITE_GRACE_DAYS = 1


def campaign_for_accepted_invite(code: str | None, slug: str, accepted_on: date | None,
                                 today: date | None = None) -> Campaign | None:
    """The campaign a new response of ``slug`` joins: the invite's campaign (when the link offers
    ``slug``) when it is open today, or when the invite was accepted while it was open, at most
    ``INVITE_GRACE_DAYS`` ago."""
    today = today or date.today()
    invite = find_invite(code)
    if invite is None or invite.slug != slug:
        return None
    campaign = invite.campaign
    if campaign.is_open(today):
        return campaign
    accepted_in_time = accepted_on is not None and 0 <= (today - accepted_on).days <= INVITE_GRACE_DAYS
    return campaign if accepted_in_time and campaign.is_open(accepted_on) else None


def department_of(campaign: Campaign, department_id: int | None) -> Department | None:
    return next((d for d in campaign.departments if d.id == department_id), None)
