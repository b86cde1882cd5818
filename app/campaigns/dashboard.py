"""A campaign's dashboard figures: started and completed responses per questionnaire and department.

Figures per department appear only when the department has at least ``k`` completed responses,
with complementary suppression, so no hidden department can be derived from the total. Which
departments are hidden is decided by ``scoring.aggregate.hidden_departments`` (keyed by department
id), the same function the team report and the export ask, so the pages never hide different ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.aggregate import check_k, hidden_departments

from ..definitions import get_definitions
from ..models import Campaign
from ..team.releases import Figures, counted_started, current_release
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


def dashboard(campaign: Campaign, k: int | None = None, figures: Figures | None = None) -> list[QuestionnaireRow]:
    """Per questionnaire the totals, and per department the figures at or above ``k`` only, as the
    campaign's current release has them (:func:`app.team.releases.current_release`): completed
    responses count when they are let into the figures, so this page changes when the team report
    does. *Started* is counted now, for the whole questionnaire only (it holds no answers)."""
    k = anonymity_k() if k is None else check_k(k)
    figures = current_release(campaign, k) if figures is None else figures
    defs = get_definitions()
    rows = []
    for slug in campaign.slugs:
        completed = figures.count(slug) if figures is not None else 0
        total = Counts(counted_started(campaign, slug), completed)
        departments: list[DepartmentCounts] = []
        q = defs.questionnaires.get(slug)
        if campaign.departments and q is not None and q.audience == "worker":
            done = figures.department_counts(slug) if figures is not None else {}
            hidden = hidden_departments(done, k) | {g for g, n in done.items() if not n}
            for d in campaign.departments:
                n = done.get(d.id, 0)
                shown = n and d.id not in hidden
                departments.append(DepartmentCounts(d.name, Counts(None, n) if shown else Counts(None, None)))
        rows.append(QuestionnaireRow(slug, total, departments))
    return rows
