"""A campaign's dashboard figures: started and completed responses per questionnaire and department.

Figures per department appear only when the department has at least ``k`` completed responses,
with complementary suppression, so no hidden department can be derived from the total. Which
departments are hidden is decided by ``scoring.aggregate.hidden_departments`` (keyed by department
id), the same function the team report and the export ask, so the pages never hide different ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from scoring.aggregate import check_k, hidden_departments

from ..extensions import db
from ..models import Campaign, Response
from .codes import counted
from .service import anonymity_k


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
class DepartmentCounts:
    name: str | None  # None: respondents who chose no department
    counts: Counts


@dataclass(frozen=True)
class QuestionnaireRow:
    slug: str
    counts: Counts
    departments: list[DepartmentCounts]


def _counts(campaign: Campaign, slug: str) -> dict[int | None, tuple[int, int]]:
    """(started, completed) per department id (None: no department, or one not of the campaign) for ``slug``;
    with personal codes, of the check-ups that came in with one only (:func:`app.campaigns.codes.counted`)."""
    completed = func.sum(case((Response.status == Response.COMPLETED, 1), else_=0))
    rows = db.session.execute(
        select(Response.department_id, func.count(Response.id), completed)
        .where(counted(campaign), Response.slug == slug)
        .group_by(Response.department_id))
    known = {d.id for d in campaign.departments}
    found: dict[int | None, tuple[int, int]] = {}
    for dept, n, done in rows:
        key = dept if dept in known else None  # as the team report counts it
        started, finished = found.get(key, (0, 0))
        found[key] = (started + int(n), finished + int(done or 0))
    return found


def dashboard(campaign: Campaign, k: int | None = None) -> list[QuestionnaireRow]:
    """Per questionnaire the totals, and per department the figures at or above ``k`` only."""
    k = anonymity_k() if k is None else check_k(k)
    rows = []
    for slug in campaign.slugs:
        counts = _counts(campaign, slug)
        total = Counts(sum(s for s, _ in counts.values()), sum(c for _, c in counts.values()))
        departments: list[DepartmentCounts] = []
        if campaign.departments:
            groups: list[tuple[int | None, str | None]] = [(d.id, d.name) for d in campaign.departments]
            groups.append((None, None))
            done = {i: counts.get(i, (0, 0))[1] for i, _ in groups}
            # An empty group has nothing to protect (not counted, not shown).
            hidden = hidden_departments(done, k) | {g for g, n in done.items() if not n}
            for dept_id, name in groups:
                shown = dept_id not in hidden
                departments.append(DepartmentCounts(name, Counts(*counts[dept_id]) if shown else Counts(None, None)))
        rows.append(QuestionnaireRow(slug, total, departments))
    return rows
