"""The team report page's view model: a campaign's responses → profile, comparisons, charts, choices.

Views call :func:`build_team_report`; everything it shows obeys the threshold ``k`` (``ANONYMITY_K``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from ..campaigns.service import anonymity_k
from ..definitions import get_definitions
from ..extensions import db
from ..i18n import band_label
from ..models import Campaign, Response
from ..rendering.charts import Pair, profile_compare
from ..rendering.team_charts import BandCount, Spread, bands_chart, spread_chart
from .compare import EmployerComparison, TimeRow, compare_employer, over_time
from .profile import Answered, TeamProfile, by_audience, questionnaire_of, team_profile


def completed_responses(campaign: Campaign) -> list[Answered]:
    """Every completed response given through ``campaign``: what the team report reads of each.

    Rows of the needed columns, not whole ``Response`` objects: group figures are scored again
    from the answers, and the stored per-person result (the largest column) is never read, which
    keeps a campaign of thousands light to load.
    """
    return list(db.session.execute(
        select(Response.id, Response.slug, Response.version, Response.answers, Response.profile,
               Response.department_id)
        .where(Response.campaign_id == campaign.id, Response.status == Response.COMPLETED)
        .order_by(Response.id)))


def department_map(campaign: Campaign) -> dict[int, str]:
    return {d.id: d.name for d in campaign.departments}


def earlier_campaigns(campaign: Campaign) -> list[Campaign]:
    """The other campaigns of the same organisation that opened before (or on the same day as) this one."""
    return [c for c in campaign.organisation.campaigns
            if c.id != campaign.id and (c.opens_on, c.id) < (campaign.opens_on, campaign.id)]


@dataclass
class Baseline:
    """The chosen earlier campaign and the comparison with it (empty rows below k in either)."""

    campaign: Campaign
    enough: bool
    rows: tuple[TimeRow, ...]
    chart_svg: str = ""


@dataclass
class TeamReport:
    campaign: Campaign
    k: int
    profile: TeamProfile
    employer_done: bool  # an employer scan was completed within the campaign
    employer: EmployerComparison | None = None
    charts: dict[str, str] = field(default_factory=dict)
    earlier: list[Campaign] = field(default_factory=list)
    baseline: Baseline | None = None


def employer_segments(responses: Sequence[Answered]) -> frozenset[str]:
    """The segments every employer scan's profile puts the organisation in (e.g. small_org, no_hr)."""
    defs = get_definitions()
    q = questionnaire_of(defs, "employer")
    if q is None:
        return frozenset()
    scans = [r for r in by_audience(defs, responses, "employer") if r.slug == q.slug]
    found = [q.segments_for(r.profile or {}) for r in scans]
    return frozenset.intersection(*found) if found else frozenset()


def _profile(campaign: Campaign, responses: Sequence[Answered], k: int, lang: str) -> TeamProfile:
    return team_profile(get_definitions(), responses, k, lang, department_map(campaign), employer_segments(responses))


def _cutoffs() -> tuple[float, float]:
    q = questionnaire_of(get_definitions(), "worker")
    return (q.scoring.medium, q.scoring.high) if q else (50.0, 75.0)


def _cutoff_labels(cutoffs: tuple[float, float]) -> tuple[str, str]:
    return _("gemiddeld vanaf %(n)s", n=int(cutoffs[0])), _("hoog vanaf %(n)s", n=int(cutoffs[1]))


def build_team_report(campaign: Campaign, lang: str, baseline: Campaign | None = None) -> TeamReport:
    """The team report of ``campaign`` in ``lang``, compared with ``baseline`` when one is chosen."""
    k = anonymity_k()
    defs = get_definitions()
    responses = completed_responses(campaign)
    profile = _profile(campaign, responses, k, lang)
    report = TeamReport(campaign, k, profile, bool(by_audience(defs, responses, "employer")),
                        earlier=earlier_campaigns(campaign))
    if not profile.enough:
        return report
    cutoffs = _cutoffs()
    shown = [f for f in profile.factors if f.mean is not None]
    spreads = [Spread(f.label, f.mean, f.sd) for f in profile.factors if f.mean is not None]
    report.charts["spread"] = spread_chart(spreads, cutoffs,
                                           _("Gemiddelde en spreiding per factor (0 tot 100)"), _cutoff_labels(cutoffs))
    report.charts["bands"] = bands_chart([BandCount(f.label, f.bands) for f in shown if f.bands],
                                         {b: band_label(b) for b in ("low", "medium", "high")},
                                         _("Aantal werkenden per niveau"))
    report.employer = compare_employer(defs, responses, profile, lang)
    if report.employer is not None:
        gaps = [*report.employer.factors, *report.employer.knobs]
        report.charts["employer"] = profile_compare(
            [Pair(g.label, g.employer, g.workers) for g in gaps], cutoffs,
            _("Werkgever en werkenden (0 tot 100)"), (_("Werkgever"), _("Werkenden")),
            (_("Wat de werkgever denkt"), _("Wat werkenden ervaren")), prefix="team-employer", right=0.7)
    if baseline is not None:
        before = _profile(baseline, completed_responses(baseline), k, lang)
        rows = over_time(before, profile)
        report.baseline = Baseline(baseline, before.enough, rows)
        if rows:
            report.baseline.chart_svg = profile_compare(
                [Pair(r.label, r.before, r.after) for r in rows], cutoffs, _("Nulmeting en vervolg (0 tot 100)"),
                (_("Eerder"), _("Nu")), (_("Eerder: %(title)s", title=baseline.title), _("Nu: %(title)s",
                                                                                        title=campaign.title)),
                prefix="team-time")
    return report
