"""Campaigns: create, change and delete one (and an organisation with its campaigns); the threshold k."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, select

from scoring.aggregate import check_k

from ..definitions import get_definitions
from ..extensions import db
from ..i18n import current_language
from ..models import CAMPAIGN_SLUGS, Campaign, Department, Organisation, Response

MAX_DEPARTMENT = 100


def anonymity_k() -> int:
    """The deployment's threshold k (``ANONYMITY_K``, 3 to 10)."""
    return check_k(int(current_app.config["ANONYMITY_K"]))


def questionnaire_titles() -> dict[str, str]:
    """The title of each questionnaire a campaign can use, in the current language."""
    lang = current_language()
    questionnaires = get_definitions().questionnaires
    return {slug: questionnaires[slug].title(lang) for slug in CAMPAIGN_SLUGS if slug in questionnaires}


# The export's name for the rows outside a shown department, in both languages: a department of
# that name could not be told apart from it.
RESERVED_DEPARTMENTS = frozenset({"overig", "other"})


def parse_departments(text: str) -> tuple[list[str], str | None]:
    """One department per line: trimmed, empty lines skipped, duplicates (any case) once; or an error
    (``too_long:<name>``, or ``reserved:<name>`` for the export's "Overig"/"Other")."""
    names: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if not name:
            continue
        if len(name) > MAX_DEPARTMENT:
            return [], f"too_long:{name[:30]}"
        if name.casefold() in RESERVED_DEPARTMENTS:
            return [], f"reserved:{name}"
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names, None


def create_campaign(org: Organisation, title: str, slugs: Sequence[str], opens_on: date, closes_on: date,
                    departments: Iterable[str] = (), uses_codes: bool = False) -> Campaign:
    """Store a campaign (already validated) with its departments and a new invite code."""
    slugs = [s for s in CAMPAIGN_SLUGS if s in slugs]
    if not slugs or closes_on < opens_on:
        raise ValueError("a campaign needs a questionnaire and closes_on >= opens_on")
    campaign = Campaign(organisation=org, title=title.strip(), slugs=slugs, opens_on=opens_on,
                        closes_on=closes_on, departments=[Department(name=n) for n in departments],
                        uses_codes=bool(uses_codes))
    db.session.add(campaign)
    db.session.commit()
    return campaign


def in_use(campaign: Campaign) -> tuple[set[str], set[str]]:
    """The questionnaires (slugs) and department names that responses of ``campaign`` already have:
    an edit may not take those away (their answers would lose their questionnaire or group)."""
    slugs = set(db.session.scalars(select(Response.slug).where(Response.campaign_id == campaign.id).distinct()))
    departments = set(db.session.scalars(
        select(Department.name).join(Response, Response.department_id == Department.id)
        .where(Department.campaign_id == campaign.id).distinct()))
    return slugs, departments


def update_campaign(campaign: Campaign, title: str, slugs: Sequence[str], opens_on: date, closes_on: date,
                    departments: Iterable[str], uses_codes: bool | None = None) -> None:
    """Store a validated edit: title, questionnaires, dates, and departments (new ones added, unused
    ones that are no longer listed removed). The invite code stays, so printed invitations keep working."""
    slugs = [s for s in CAMPAIGN_SLUGS if s in slugs]
    answered_slugs, used_departments = in_use(campaign)
    wanted = {name.casefold(): name for name in departments}  # a name typed in other capitals: renamed
    if (not slugs or closes_on < opens_on or not answered_slugs <= set(slugs)
            or not {name.casefold() for name in used_departments} <= wanted.keys()):
        raise ValueError("an edit keeps a questionnaire, closes_on >= opens_on and everything in use")
    campaign.title, campaign.slugs, campaign.opens_on, campaign.closes_on = title.strip(), slugs, opens_on, closes_on
    if uses_codes is not None:
        campaign.uses_codes = bool(uses_codes)
    kept = [d for d in campaign.departments if d.name.casefold() in wanted]
    for department in kept:
        department.name = wanted[department.name.casefold()]
    have = {d.name.casefold() for d in kept}
    campaign.departments = kept + [Department(name=name) for key, name in wanted.items() if key not in have]
    db.session.commit()


def response_count(campaign: Campaign) -> int:
    """How many responses (started or completed) belong to ``campaign``."""
    return db.session.scalars(select(func.count()).select_from(Response)
                              .where(Response.campaign_id == campaign.id)).one()


def delete_campaign(campaign: Campaign) -> None:
    """Delete ``campaign`` with its departments and every response given through it (and with those,
    their saved steps and their places in client files): all in one transaction."""
    db.session.execute(delete(Response).where(Response.campaign_id == campaign.id))
    db.session.delete(campaign)
    db.session.commit()


def organisation_response_count(org: Organisation) -> int:
    """How many responses were given through the campaigns of ``org``."""
    return db.session.scalars(select(func.count()).select_from(Response).join(Campaign)
                              .where(Campaign.organisation_id == org.id)).one()


def delete_organisation(org: Organisation) -> None:
    """Delete ``org`` with its campaigns and every response given through them; reports that workers
    shared with it leave its file (the reports themselves stay theirs). One transaction."""
    campaign_ids = select(Campaign.id).where(Campaign.organisation_id == org.id)
    db.session.execute(delete(Response).where(Response.campaign_id.in_(campaign_ids)))
    db.session.delete(org)
    db.session.commit()
