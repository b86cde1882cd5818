"""The team report page's view model: a campaign's responses → profile, comparisons, charts, choices.

Views call :func:`build_team_report`; everything it shows obeys the threshold ``k`` (``ANONYMITY_K``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from scoring import Definitions, DimensionScore, ScoreResult

from ..campaigns.codes import counted, without_code
from ..campaigns.service import anonymity_k
from ..definitions import get_definitions
from ..extensions import db
from ..i18n import band_label
from ..models import Campaign, Response, ResponseScore
from ..rendering.charts import Pair, profile_compare
from ..rendering.team_charts import BandCount, Spread, bands_chart, shown_pairs, spread_chart
from .compare import EmployerComparison, EmployerWithheld, TimeRow, compare_of, over_time
from .profile import TeamProfile, profile_of, questionnaire_of
from .releases import Figures, current_release, next_release_hint


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A completed response as the team report reads it, with the scores it was given at submission."""

    id: int
    slug: str
    version: str
    answers: Mapping[str, Any]
    profile: Mapping[str, Any]
    department_id: int | None
    scores: ScoreResult
    created_at: datetime | None = None  # with the id, the response's key in a release's pools


def completed_responses(campaign: Campaign) -> list[StoredResponse]:
    """Every completed response given through ``campaign`` that counts for its figures (with personal
    codes: the check-ups that came in with one), with its stored scores.

    Two queries for the whole campaign: the needed columns of the responses (not whole ``Response``
    objects: the stored per-person result, the largest column, is never read) and all their
    :class:`~app.models.ResponseScore` rows. Nothing is scored again: each response keeps the scores
    of its own questionnaire version.
    """
    # With personal codes, only the check-ups that came in with a code count (app/campaigns/codes.py).
    completed = (counted(campaign), Response.status == Response.COMPLETED)
    rows = db.session.execute(
        select(Response.id, Response.slug, Response.version, Response.answers, Response.profile,
               Response.department_id, Response.created_at).where(*completed).order_by(Response.id)).all()
    stored: dict[int, dict[str, dict[str, DimensionScore]]] = {}
    same: dict[tuple[Any, ...], DimensionScore] = {}  # many responses share a score: one object each
    # Plain rows through the connection (no ORM loading): a campaign of thousands has tens of thousands.
    for response_id, kind, dimension, score, band, answered, items in db.session.connection().execute(
            select(ResponseScore.response_id, ResponseScore.kind, ResponseScore.dimension, ResponseScore.score,
                   ResponseScore.band, ResponseScore.answered, ResponseScore.items)
            .join(Response, Response.id == ResponseScore.response_id).where(*completed)).all():
        key = (score, band, answered, items)
        found = same.get(key)
        if found is None:
            found = same[key] = DimensionScore(score, band, answered, items)
        stored.setdefault(response_id, {}).setdefault(kind, {})[dimension] = found
    defs = get_definitions()
    return [StoredResponse(r.id, r.slug, r.version, r.answers or {}, r.profile or {}, r.department_id,
                           stored_result(defs, r.slug, r.version, stored.get(r.id, {})), r.created_at)
            for r in rows]


UNSCORED = DimensionScore(None, None, 0, 0)


def stored_result(defs: Definitions, slug: str, version: str,
                  rows: Mapping[str, Mapping[str, DimensionScore]]) -> ScoreResult:
    """The :class:`ScoreResult` of one response from its stored rows (``kind`` → dimension → score).

    The model's factors and knobs, in its order: a factor that the response has no row for (one
    added to the model after it was given) counts as not scored; a knob without a row is left out,
    as is a dimension the model no longer has.
    """
    model = defs.model
    q = defs.questionnaires.get(slug)
    factors = rows.get(ResponseScore.FACTOR, {})
    knobs = rows.get(ResponseScore.KNOB, {})
    return ScoreResult(slug, version, q.audience if q is not None else "",
                       {f: factors.get(f, UNSCORED) for f in model.factor_ids},
                       {kn.id: knobs[kn.id] for kn in model.knobs if kn.id in knobs})


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
    employer: EmployerComparison | EmployerWithheld | None = None
    charts: dict[str, str] = field(default_factory=dict)
    earlier: list[Campaign] = field(default_factory=list)
    baseline: Baseline | None = None
    without_code: int = 0  # check-ups that came in without a personal code (campaigns with codes)
    release: Figures | None = None  # the release shown (None: none yet)
    next_release: date | None = None  # roughly when the next comes, while the campaign is open


def _worker_slug(defs: Definitions) -> str:
    q = questionnaire_of(defs, "worker")
    return q.slug if q is not None else ""


def _profile(campaign: Campaign, figures: Figures | None, k: int, lang: str) -> TeamProfile:
    if figures is None:
        return TeamProfile(k, False)
    return profile_of(get_definitions(), figures, k, lang, department_map(campaign), figures.employer_segments)


def _cutoffs() -> tuple[float, float]:
    q = questionnaire_of(get_definitions(), "worker")
    return (q.scoring.medium, q.scoring.high) if q else (50.0, 75.0)


def _cutoff_labels(cutoffs: tuple[float, float]) -> tuple[str, str]:
    return _("gemiddeld vanaf %(n)s", n=int(cutoffs[0])), _("hoog vanaf %(n)s", n=int(cutoffs[1]))


def build_team_report(campaign: Campaign, lang: str, baseline: Campaign | None = None) -> TeamReport:
    """The team report of ``campaign`` in ``lang``, compared with ``baseline`` when one is chosen."""
    k = anonymity_k()
    defs = get_definitions()
    figures = current_release(campaign, k)
    profile = _profile(campaign, figures, k, lang)
    employer = questionnaire_of(defs, "employer")
    report = TeamReport(campaign, k, profile,
                        bool(figures is not None and employer is not None and figures.count(employer.slug)),
                        earlier=earlier_campaigns(campaign), without_code=without_code(campaign),
                        release=figures, next_release=next_release_hint(campaign, figures, _worker_slug(defs)))
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
    assert figures is not None  # profile.enough
    report.employer = compare_of(defs, figures, profile, lang)
    if isinstance(report.employer, EmployerComparison):
        gaps = [*report.employer.factors, *report.employer.knobs]
        report.charts["employer"] = profile_compare(
            shown_pairs([Pair(g.label, g.employer, g.workers) for g in gaps]), cutoffs,
            _("Werkgever en werkenden (0 tot 100)"), (_("Werkgever"), _("Werkenden")),
            (_("Wat de werkgever denkt"), _("Wat werkenden ervaren")), prefix="team-employer", right=0.7)
    if baseline is not None:
        before = _profile(baseline, current_release(baseline, k), k, lang)
        rows = over_time(before, profile)
        report.baseline = Baseline(baseline, before.enough, rows)
        if rows:
            report.baseline.chart_svg = profile_compare(
                shown_pairs([Pair(r.label, r.before, r.after) for r in rows]), cutoffs,
                _("Nulmeting en vervolg (0 tot 100)"),
                (_("Eerder"), _("Nu")), (_("Eerder: %(title)s", title=baseline.title), _("Nu: %(title)s",
                                                                                        title=campaign.title)),
                prefix="team-time")
    return report
