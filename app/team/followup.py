"""A campaign's follow-up: how its response grew, release by release, and an organisation's
campaigns over time with the team profile of each one's release.

Built from the stored releases only (:mod:`app.team.releases`), never from the live responses: the
history can never show more than the releases did, so a sixth response in an open campaign changes
nothing here until the release rule lets it in. Figures are read, not computed: the counts are
:meth:`Figures.count`, the means those :func:`app.team.profile.profile_of` shows (only at or above ``k``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from ..definitions import get_definitions
from ..extensions import db
from ..models import Campaign, Organisation, Release
from ..rendering.team_charts import history_chart
from .profile import TeamProfile, profile_of, questionnaire_of
from .releases import Figures, current_release, figures_of


@dataclass(frozen=True)
class HistoryRow:
    """One release of a campaign: when it was made and how many completed the questionnaire in it."""

    number: int
    made_at: datetime
    closing: bool
    completed: int
    added: int  # since the release before (both are on the page; the difference tells nothing more)


def release_history(campaign: Campaign, slug: str) -> list[HistoryRow]:
    """Per stored release of ``campaign``, oldest first, the completed count of ``slug`` in it."""
    releases = db.session.scalars(select(Release).where(Release.campaign_id == campaign.id)
                                  .order_by(Release.number)).all()
    rows: list[HistoryRow] = []
    before = 0
    for release in releases:
        completed = figures_of(release).count(slug)
        rows.append(HistoryRow(release.number, release.made_at, release.closing, completed, completed - before))
        before = completed
    return rows


def release_name(row: HistoryRow) -> str:
    return _("eindstand") if row.closing else _("stand %(n)s", n=row.number)


def history_svg(rows: list[HistoryRow], title: str) -> str:
    """The chart of ``rows`` (the same numbers as their table); empty without releases."""
    if not rows:
        return ""
    return history_chart([(f"{release_name(r)} · {format_date(r.made_at, 'long')}", r.completed) for r in rows],
                         _("Ingevulde vragenlijsten per stand: %(title)s", title=title))


@dataclass(frozen=True)
class CampaignProfile:
    """A campaign on its organisation's page: the release its pages show now, and that release's profile."""

    campaign: Campaign
    release: Figures | None
    completed: int  # completed check-ups in that release
    profile: TeamProfile


def organisation_history(org: Organisation, k: int, lang: str) -> list[CampaignProfile]:
    """The organisation's campaigns, oldest first, each with the team profile of its current release
    (the one its campaign page and team report show; made first when the rule says one is due)."""
    defs = get_definitions()
    worker = questionnaire_of(defs, "worker")
    found = []
    for campaign in sorted(org.campaigns, key=lambda c: (c.opens_on, c.id)):
        figures = current_release(campaign, k)
        if figures is None or worker is None:
            profile, completed = TeamProfile(k, False), 0
        else:
            departments = {d.id: d.name for d in campaign.departments}
            profile = profile_of(defs, figures, k, lang, departments, figures.employer_segments)
            completed = figures.count(worker.slug)
        found.append(CampaignProfile(campaign, figures, completed, profile))
    return found
