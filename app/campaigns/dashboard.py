"""A campaign's dashboard figures: started and completed responses per questionnaire and department.

Figures per department appear only when the department has at least ``k`` completed responses,
with complementary suppression (``scoring.aggregate.suppress_groups``), so no hidden department
can be derived from the total.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from scoring.aggregate import check_k, suppress_groups

from ..extensions import db
from ..models import Campaign, Response
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
        departments: list[DepartmentCounts] = []
        if campaign.departments:
            groups = [(d.id, d.name) for d in campaign.departments] + [(None, None)]
            done = {str(i): counts.get(i, (0, 0))[1] for i, _ in groups}
            # An empty group has nothing to protect; left in, it would hide a sibling for nothing.
            hidden = suppress_groups({g: n for g, n in done.items() if n}, k) | {g for g, n in done.items() if not n}
            for dept_id, name in groups:
                shown = str(dept_id) not in hidden
                departments.append(DepartmentCounts(name, Counts(*counts[dept_id]) if shown else Counts(None, None)))
        rows.append(QuestionnaireRow(slug, total, departments))
    return rows
