"""Campaigns: create one, find it by invite code, link responses to it, and its dashboard figures.

Dashboard figures per department appear only when the department has at least ``k`` completed
responses, with complementary suppression (``scoring.aggregate.suppress_groups``), so no hidden
department can be derived from the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import case, delete, func, select

from scoring.aggregate import check_k, suppress_groups

from .definitions import get_definitions
from .extensions import db
from .models import CAMPAIGN_SLUGS, Campaign, Department, Organisation, Response

MAX_DEPARTMENT = 100


def anonymity_k() -> int:
    """The deployment's threshold k (``ANONYMITY_K``, 3 to 10)."""
    return check_k(int(current_app.config["ANONYMITY_K"]))


def questionnaire_titles() -> dict[str, str]:
    """The title of each questionnaire a campaign can use, in the current language."""
    lang = str(get_locale() or "nl")
    questionnaires = get_definitions().questionnaires
    return {slug: questionnaires[slug].title(lang) for slug in CAMPAIGN_SLUGS if slug in questionnaires}


def parse_departments(text: str) -> tuple[list[str], str | None]:
    """One department per line: trimmed, empty lines skipped, duplicates (any case) once; or an error."""
    names: list[str] = []
    seen: set[str] = set()
    for line in (text or "").splitlines():
        name = " ".join(line.split())
        if not name:
            continue
        if len(name) > MAX_DEPARTMENT:
            return [], f"too_long:{name[:30]}"
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names, None


def create_campaign(org: Organisation, title: str, slugs: Sequence[str], opens_on: date, closes_on: date,
                    departments: Iterable[str] = ()) -> Campaign:
    """Store a campaign (already validated) with its departments and a new invite code."""
    slugs = [s for s in CAMPAIGN_SLUGS if s in slugs]
    if not slugs or closes_on < opens_on:
        raise ValueError("a campaign needs a questionnaire and closes_on >= opens_on")
    campaign = Campaign(organisation=org, title=title.strip(), slugs=slugs, opens_on=opens_on,
                        closes_on=closes_on, departments=[Department(name=n) for n in departments])
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
                    departments: Iterable[str]) -> None:
    """Store a validated edit: title, questionnaires, dates, and departments (new ones added, unused
    ones that are no longer listed removed). The invite code stays, so printed invitations keep working."""
    slugs = [s for s in CAMPAIGN_SLUGS if s in slugs]
    answered_slugs, used_departments = in_use(campaign)
    wanted = {name.casefold(): name for name in departments}  # a name typed in other capitals: renamed
    if (not slugs or closes_on < opens_on or not answered_slugs <= set(slugs)
            or not {name.casefold() for name in used_departments} <= wanted.keys()):
        raise ValueError("an edit keeps a questionnaire, closes_on >= opens_on and everything in use")
    campaign.title, campaign.slugs, campaign.opens_on, campaign.closes_on = title.strip(), slugs, opens_on, closes_on
    kept = [d for d in campaign.departments if d.name.casefold() in wanted]
    for department in kept:
        department.name = wanted[department.name.casefold()]
    have = {d.name.casefold() for d in kept}
    campaign.departments = kept + [Department(name=name) for key, name in wanted.items() if key not in have]
    db.session.commit()


def response_count(campaign: Campaign) -> int:
    """How many responses (started or completed) belong to ``campaign``."""
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.campaign_id == campaign.id))


def delete_campaign(campaign: Campaign) -> None:
    """Delete ``campaign`` with its departments and every response given through it (and with those,
    their saved steps and their places in client files): all in one transaction."""
    db.session.execute(delete(Response).where(Response.campaign_id == campaign.id))
    db.session.delete(campaign)
    db.session.commit()


def organisation_response_count(org: Organisation) -> int:
    """How many responses were given through the campaigns of ``org``."""
    return db.session.scalar(select(func.count()).select_from(Response).join(Campaign)
                             .where(Campaign.organisation_id == org.id))


def delete_organisation(org: Organisation) -> None:
    """Delete ``org`` with its campaigns and every response given through them; reports that workers
    shared with it leave its file (the reports themselves stay theirs). One transaction."""
    campaign_ids = select(Campaign.id).where(Campaign.organisation_id == org.id)
    db.session.execute(delete(Response).where(Response.campaign_id.in_(campaign_ids)))
    db.session.delete(org)
    db.session.commit()


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


@dataclass(frozen=True)
class Counts:
    """Started (all, including completed) and completed responses; ``None`` when hidden below k."""

    started: int | None
    completed: int | None

    @property
    def rate(self) -> int | None:
        """Completion rate in whole percent."""
        if not self.started or self.completed is None:
            return None
        return round(100 * self.completed / self.started)

    @property
    def hidden(self) -> bool:
        return self.completed is None


@dataclass(frozen=True)
class DepartmentRow:
    name: str | None  # None: respondents who chose no department
    counts: Counts


@dataclass(frozen=True)
class QuestionnaireRow:
    slug: str
    counts: Counts
    departments: list[DepartmentRow]


def _counts(campaign: Campaign, slug: str) -> dict[int | None, tuple[int, int]]:
    """(started, completed) per department id (None: no department) for ``slug``."""
    completed = func.sum(case((Response.status == Response.COMPLETED, 1), else_=0))
    rows = db.session.execute(
        select(Response.department_id, func.count(Response.id), completed)
        .where(Response.campaign_id == campaign.id, Response.slug == slug)
        .group_by(Response.department_id))
    return {dept: (int(n), int(done or 0)) for dept, n, done in rows}


def dashboard(campaign: Campaign, k: int | None = None) -> list[QuestionnaireRow]:
    """Per questionnaire the totals, and per department the figures at or above ``k`` only."""
    k = anonymity_k() if k is None else check_k(k)
    rows = []
    for slug in campaign.slugs:
        counts = _counts(campaign, slug)
        total = Counts(sum(s for s, _ in counts.values()), sum(c for _, c in counts.values()))
        departments: list[DepartmentRow] = []
        if campaign.departments:
            groups = [(d.id, d.name) for d in campaign.departments] + [(None, None)]
            done = {str(i): counts.get(i, (0, 0))[1] for i, _ in groups}
            # An empty group has nothing to protect; left in, it would hide a sibling for nothing.
            hidden = suppress_groups({g: n for g, n in done.items() if n}, k) | {g for g, n in done.items() if not n}
            for dept_id, name in groups:
                shown = str(dept_id) not in hidden
                departments.append(DepartmentRow(name, Counts(*counts[dept_id]) if shown else Counts(None, None)))
        rows.append(QuestionnaireRow(slug, total, departments))
    return rows
