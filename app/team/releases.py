"""A campaign's releases: the figures its pages show, stored, and made anew only by the rule of
:mod:`scoring.releases` while the campaign is open.

Every page with figures of a campaign (the campaign page's counts, the team report on screen and
as PDF, the comparison over time) asks :func:`current_release`, which makes a new release when
people are waiting to be let in and the rule allows it, and otherwise returns the last one. A
release stores per pool (questionnaire, department or rest, dimension) only sums — n, sum, sum of
squares, band counts — never a person's scores; the member keys of the pools are kept on the last
release only, to know who is in next time.

When the campaign has closed, the first page asks for its **closing release**: every figure made
anew over everyone, per department (no rest pool), which the static rules of
:mod:`scoring.aggregate` then protect as before. After that a late response waits for ``k`` like before.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scoring import Definitions, cronbach_alpha
from scoring.aggregate import SUPPRESSED, GroupFigure
from scoring.definitions import BANDS
from scoring.releases import REST, WHOLE, Cell, plan_release

from ..campaigns.codes import counted
from ..extensions import db
from ..models import Campaign, Release, Response, ResponseScore

COUNT = "n"  # the dimension that counts the completed responses of a group
COUNT_ONLY = frozenset({COUNT})


def factor_dim(factor: str) -> str:
    return f"f:{factor}"


def knob_dim(knob: str) -> str:
    return f"k:{knob}"


def _group_key(group: Hashable) -> str:
    return "-" if group is None else str(group)


def _group_of(text: str) -> Hashable:
    if text == "-":
        return None
    if text in (WHOLE, REST):
        return text
    return int(text)


def cell_key(cell: Cell) -> str:
    slug, group, dim = cell
    return f"{slug}|{_group_key(group)}|{dim}"


def cell_of(key: str) -> Cell:
    slug, group, dim = key.split("|", 2)
    return slug, _group_of(group), dim


def member_key(response: Any) -> str:
    """A response's key in a pool: a digest of its id and the moment it was made (an id alone can
    come back on SQLite after the last row is deleted), so a pool says nothing of a response that was
    deleted, not even when it was made."""
    made = getattr(response, "created_at", None)
    text = f"{response.id}@{made:%Y%m%d%H%M%S%f}" if made is not None else str(response.id)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def dims_of(response: Any) -> list[str]:
    """The dimensions a response counts for: the count, and every factor and knob it was scored on."""
    scores = response.scores
    return [COUNT, *(factor_dim(f) for f, s in scores.factors.items() if s.score is not None),
            *(knob_dim(kn) for kn, s in scores.knobs.items() if s.score is not None)]


def group_of(defs: Definitions, slug: str, department_id: int | None, departments: Mapping[int, str]) -> Hashable:
    """A response's group: its department (``None``: none chosen) for the check-up of a campaign with
    departments; :data:`WHOLE` otherwise."""
    q = defs.questionnaires.get(slug)
    if q is not None and q.audience == "worker" and departments:
        return department_id if department_id in departments else None
    return WHOLE


def group_cells(defs: Definitions, responses: Iterable[Any], departments: Mapping[int, str]) -> dict[Cell, list[Any]]:
    """The responses per group cell (questionnaire, group, dimension)."""
    cells: dict[Cell, list[Any]] = {}
    for r in responses:
        if r.slug not in defs.questionnaires:
            continue
        group = group_of(defs, r.slug, r.department_id, departments)
        for dim in dims_of(r):
            cells.setdefault((r.slug, group, dim), []).append(r)
    return cells


def current_members(defs: Definitions, campaign: Campaign,
                    departments: Mapping[int, str]) -> dict[Cell, frozenset[Hashable]]:
    """Who is in each group cell now, by member key, from two narrow queries (no answers, no scores:
    most page views only need to know that no one new can go in)."""
    completed = (counted(campaign), Response.status == Response.COMPLETED)
    rows = db.session.execute(select(Response.id, Response.created_at, Response.slug, Response.department_id)
                              .where(*completed)).all()
    known = {ResponseScore.FACTOR: set(defs.model.factor_ids), ResponseScore.KNOB: {kn.id for kn in defs.model.knobs}}
    dims: dict[int, list[str]] = {}
    for response_id, kind, dimension in db.session.execute(
            select(ResponseScore.response_id, ResponseScore.kind, ResponseScore.dimension)
            .join(Response, Response.id == ResponseScore.response_id)
            .where(*completed, ResponseScore.score.is_not(None))).all():
        if dimension not in known.get(kind, ()):
            continue  # a dimension the model no longer has counts for nothing (as in stored_result)
        prefix = "f" if kind == ResponseScore.FACTOR else "k"
        dims.setdefault(response_id, []).append(f"{prefix}:{dimension}")
    cells: dict[Cell, set[Hashable]] = {}
    for response_id, created_at, slug, department_id in rows:
        if slug not in defs.questionnaires:
            continue
        key = member_key(_Keyed(response_id, created_at))
        group = group_of(defs, slug, department_id, departments)
        for dim in (COUNT, *dims.get(response_id, ())):
            cells.setdefault((slug, group, dim), set()).add(key)
    return {cell: frozenset(keys) for cell, keys in cells.items()}


@dataclass(frozen=True)
class _Keyed:
    id: int
    created_at: datetime | None


@dataclass(frozen=True)
class PoolFigure:
    """The sums a pool's figure is made of; nothing of any one person."""

    n: int
    total: float = 0.0
    squares: float = 0.0
    bands: Mapping[str, int] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n, "sum": self.total, "sumsq": self.squares, "bands": dict(self.bands or {})}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PoolFigure:
        return cls(int(data["n"]), float(data.get("sum", 0.0)), float(data.get("sumsq", 0.0)),
                   dict(data.get("bands") or {}))


def pool_figure(dim: str, members: Sequence[Any]) -> PoolFigure:
    """The sums of ``members`` on ``dim`` (their stored scores)."""
    if dim == COUNT:
        return PoolFigure(len(members))
    kind, dimension = dim.split(":", 1)
    values = []
    bands = dict.fromkeys(BANDS, 0)
    for r in members:
        found = (r.scores.factors if kind == "f" else r.scores.knobs).get(dimension)
        if found is not None and found.score is not None:
            values.append(found.score)
            if found.band in bands:
                bands[found.band] += 1
    return PoolFigure(len(values), math.fsum(values), math.fsum(v * v for v in values), bands)


def combined(pools: Iterable[PoolFigure]) -> GroupFigure:
    """One figure over several pools (n, mean, SD with n − 1, band counts), not yet held to ``k``."""
    found = list(pools)
    n = sum(p.n for p in found)
    if not n:
        return SUPPRESSED
    total = math.fsum(p.total for p in found)
    mean = total / n
    squares = math.fsum(p.squares for p in found)
    sd = math.sqrt(max(squares - n * mean * mean, 0.0) / (n - 1)) if n > 1 else None
    bands = {b: sum((p.bands or {}).get(b, 0) for p in found) for b in BANDS}
    return GroupFigure(n, mean, sd, bands)


@dataclass(frozen=True)
class Figures:
    """What a release shows, per pool, with what cannot be summed (alpha, the employer's segments)."""

    pools: Mapping[Cell, PoolFigure]
    alpha: Mapping[str, float | None]  # worker factor → alpha over the current version, when computed
    alpha_basis: int  # responses to the current version of the check-up in the figures
    alpha_version: str = ""  # that version (alpha and its basis mean nothing for another)
    employer_segments: frozenset[str] = frozenset()
    number: int = 0  # the release's number (0: figures made on the spot, e.g. in a test)
    made_at: datetime | None = None
    closing: bool = False

    def of(self, slug: str, dim: str) -> list[tuple[Hashable, PoolFigure]]:
        return [(c[1], f) for c, f in self.pools.items() if c[0] == slug and c[2] == dim]

    def count(self, slug: str) -> int:
        return sum(f.n for _g, f in self.of(slug, COUNT))

    def whole(self, slug: str, dim: str) -> GroupFigure:
        return combined(f for _g, f in self.of(slug, dim))

    def group(self, slug: str, group: Hashable, dim: str) -> GroupFigure:
        return combined(f for g, f in self.of(slug, dim) if g == group)

    def department_counts(self, slug: str, dim: str = COUNT) -> dict[int | None, int]:
        """n per department id; ``None`` holds those without one *and* the rest pool: neither is shown,
        so for the suppression they are one group."""
        counts: dict[int | None, int] = {}
        for g, f in self.of(slug, dim):
            key = g if isinstance(g, int) else None
            counts[key] = counts.get(key, 0) + f.n
        return counts


Extras = tuple[dict[str, float | None], int, str, frozenset[str]]


def extras(defs: Definitions, members: Sequence[Any], k: int) -> Extras:
    """Alpha per worker factor over the current version's responses among ``members`` (when at least
    ``k``), how many those are and of which version, and the segments every employer scan shares (one
    scan, or ``k`` and more)."""
    from .profile import keyed_matrix, questionnaire_of

    alpha: dict[str, float | None] = {}
    q = questionnaire_of(defs, "worker")
    basis = 0
    if q is not None:
        current = [r for r in members if r.slug == q.slug and r.version == q.version]
        basis = len(current)
        if basis >= k:
            for f in defs.model.factors:
                scored = [r for r in current if (s := r.scores.factors.get(f.id)) is not None and s.score is not None]
                alpha[f.id] = cronbach_alpha(keyed_matrix(q, scored, f.id)).alpha if scored else None
    segments: frozenset[str] = frozenset()
    e = questionnaire_of(defs, "employer")
    if e is not None:
        scans = [r for r in members if r.slug == e.slug]
        if len(scans) == 1 or len(scans) >= k:
            segments = frozenset.intersection(*(e.segments_for(r.profile or {}) for r in scans))
    return alpha, basis, q.version if q is not None else "", segments


def snapshot(defs: Definitions, responses: Sequence[Any], departments: Mapping[int, str], k: int) -> Figures:
    """Figures over everyone, per group: the closing release's, and the figures of a set of responses
    when no release is involved (tests, benchmarks)."""
    _cells, pools, extra = _over_everyone(defs, responses, departments, k)
    alpha, basis, version, segments = extra
    return Figures(pools, alpha, basis, version, segments)


def _over_everyone(defs: Definitions, responses: Sequence[Any], departments: Mapping[int, str],
                   k: int) -> tuple[dict[Cell, list[Any]], dict[Cell, PoolFigure], Extras]:
    """Every group cell's responses, its pool figure over all of them, and the extras."""
    cells = group_cells(defs, responses, departments)
    return cells, {cell: pool_figure(cell[2], members) for cell, members in cells.items()}, extras(defs, responses, k)


def employer_slugs(defs: Definitions) -> frozenset[str]:
    return frozenset(q.slug for q in defs.questionnaires.values() if q.audience == "employer")


def figures_of(release: Release) -> Figures:
    """The figures a stored release holds."""
    data = release.figures or {}
    pools = {cell_of(key): PoolFigure.from_json(fig) for key, fig in (data.get("pools") or {}).items()}
    return Figures(pools, {f: (None if a is None else float(a)) for f, a in (data.get("alpha") or {}).items()},
                   int(data.get("alpha_basis", 0)), str(data.get("alpha_version", "")),
                   frozenset(data.get("employer_segments") or ()),
                   release.number, release.made_at, release.closing)


def _store(campaign: Campaign, previous: Release | None, pools: Mapping[Cell, PoolFigure],
           members: Mapping[Cell, frozenset[Hashable]], extra: Extras, closing: bool) -> Release | None:
    alpha, basis, version, segments = extra
    release = Release(campaign_id=campaign.id, number=(previous.number if previous else 0) + 1, closing=closing,
                      figures={"pools": {cell_key(c): f.as_json() for c, f in pools.items()},
                               "alpha": alpha, "alpha_basis": basis,
                               "alpha_version": version, "employer_segments": sorted(segments)},
                      pools={cell_key(c): sorted(m) for c, m in members.items()})
    if previous is not None:
        previous.pools = None  # who is in: only the last release needs to know
    db.session.add(release)
    try:
        db.session.commit()
    except IntegrityError:  # another request made this release at the same moment: use theirs
        db.session.rollback()
        return None
    return release


def latest_release(campaign: Campaign) -> Release | None:
    return db.session.scalars(select(Release).where(Release.campaign_id == campaign.id)
                              .order_by(Release.number.desc()).limit(1)).first()


def current_release(campaign: Campaign, k: int, today: date | None = None) -> Figures | None:
    """The figures the campaign's pages show now: the last release, after making a new one when due.
    ``None`` while no release could be made yet (fewer than ``k`` to let in)."""
    from .report import completed_responses

    defs = _definitions()
    previous = latest_release(campaign)
    departments = {d.id: d.name for d in campaign.departments}
    if campaign.closes_on < (today or date.today()) and not _closed_before(campaign):
        responses = completed_responses(campaign)
        if not responses:
            return figures_of(previous) if previous else None
        cells, pools, extra = _over_everyone(defs, responses, departments, k)
        everyone: dict[Cell, frozenset[Hashable]] = {cell: frozenset(member_key(r) for r in rs)
                                                     for cell, rs in cells.items()}
        made = _store(campaign, previous, pools, everyone, extra, closing=True)
        return current_release(campaign, k, today) if made is None else figures_of(made)
    state = (previous.number if previous else 0, k, id(defs), tuple(sorted(departments)), _responses_state(campaign))
    if _NOTHING_DUE.get(campaign.id) == state:  # nothing came or went since the rule last let no one in
        return figures_of(previous) if previous else None
    stored = {cell_of(key): frozenset(m) for key, m in ((previous.pools or {}) if previous else {}).items()}
    plan = plan_release(stored, current_members(defs, campaign, departments), k,
                        first_alone=employer_slugs(defs), counts_free=COUNT_ONLY)
    if not plan:
        _NOTHING_DUE[campaign.id] = state
        return figures_of(previous) if previous else None
    by_key = {member_key(r): r for r in completed_responses(campaign)}
    pools = dict(figures_of(previous).pools) if previous else {}
    members: dict[Cell, frozenset[Hashable]] = dict(stored)
    for cell, keys in plan.items():
        members[cell] = keys
        pools[cell] = pool_figure(cell[2], [by_key[str(key)] for key in keys])  # a new pool holds only who is here
    inside = sorted({str(key) for keys in members.values() for key in keys if key in by_key})
    made = _store(campaign, previous, pools, members, extras(defs, [by_key[key] for key in inside], k),
                  closing=False)
    return current_release(campaign, k, today) if made is None else figures_of(made)


# Per campaign, the state in which the rule last found no one to let in (this process only): a page
# view in the same state skips reading who is in each group. A new release, another k, other
# definitions or departments, or any response completed or deleted make another state.
_NOTHING_DUE: dict[int, tuple[Any, ...]] = {}


def _responses_state(campaign: Campaign) -> tuple[Any, ...]:
    """How many responses count, the sum of their ids and the last moment one was made: one more or
    one fewer changes it (an id that SQLite gives again after a deletion comes with a later moment)."""
    row = db.session.execute(select(func.count(Response.id), func.coalesce(func.sum(Response.id), 0),
                                    func.max(Response.created_at))
                             .where(counted(campaign), Response.status == Response.COMPLETED)).one()
    return tuple(row)


def _closed_before(campaign: Campaign) -> bool:
    """Whether the campaign's closing release was made already."""
    return bool(db.session.scalar(select(func.count(Release.id)).where(
        Release.campaign_id == campaign.id, Release.closing.is_(True))))


def _definitions() -> Definitions:
    from ..definitions import get_definitions

    return get_definitions()


def next_release_hint(campaign: Campaign, figures: Figures | None, slug: str,
                      today: date | None = None) -> date | None:
    """Roughly when the next release comes, from the pace of the releases so far: the released
    responses per day since the campaign opened, ``k`` more at that pace (never after closing)."""
    today = today or date.today()
    if figures is None or figures.made_at is None or campaign.closes_on < today:
        return None
    released = figures.count(slug)
    days = max((figures.made_at.date() - campaign.opens_on).days, 1)
    if not released:
        return None
    from ..campaigns.service import anonymity_k

    estimate = figures.made_at.date() + timedelta(days=math.ceil(anonymity_k() * days / released))
    return min(max(estimate, today), campaign.closes_on + timedelta(days=1))


def counted_started(campaign: Campaign, slug: str) -> int:
    """How many started (or completed) the questionnaire, counting as the figures count (codes)."""
    return int(db.session.scalar(select(func.count(Response.id)).where(counted(campaign), Response.slug == slug))
               or 0)

