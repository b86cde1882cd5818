"""The worker's development plan (*Mijn ontwikkelplan*): a goal in their own words, who helps, and a date
to look back, one per report.

It is kept apart from the next steps (:mod:`app.responses.next_steps`): saving one never changes the
other. It is the worker's own: only the report's code shows it, no team figure, export or advisor view
reads it, and it goes into the calendar file only when the worker ticks that (a work calendar may be
shared with colleagues or a manager).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from ..extensions import db
from ..models import DevelopmentPlan, Response, insert_on_conflict, utcnow
from .next_steps import date_problem
from .store import report_write

#: A goal is a sentence or two in the worker's own words, not an essay.
GOAL_MAX = 300
HELPER_MAX = 120


@dataclass(frozen=True)
class Plan:
    """A plan as the form delivers it (texts stripped) or as it is stored."""

    goal: str
    helper: str = ""
    look_back: date | None = None
    in_calendar: bool = False

    @property
    def empty(self) -> bool:
        return not (self.goal or self.helper or self.look_back or self.in_calendar)

    @property
    def for_calendar(self) -> bool:
        """Whether the calendar file holds the look-back date (ticked, and with a date)."""
        return self.in_calendar and self.look_back is not None


def normalised(text: str | None) -> str:
    """``text`` stripped, with the line ends of any browser as ``\\n``."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def problems(plan: Plan, on: date) -> dict[str, Any]:
    """Per field (``goal``, ``helper``, ``look_back``), the rule ``plan`` breaks when saved on day ``on``
    (a lazy message); empty when it may be saved. An empty plan may always be saved: it removes the plan."""
    found: dict[str, Any] = {}
    if plan.empty:
        return found
    if not plan.goal:
        found["goal"] = _l("Schrijf op wat je wilt bereiken. Een zin is genoeg.")
    elif len(plan.goal) > GOAL_MAX:
        found["goal"] = _l("Je doel is %(n)s tekens. Houd het bij %(max)s tekens.", n=len(plan.goal), max=GOAL_MAX)
    if len(plan.helper) > HELPER_MAX:
        found["helper"] = _l("Houd dit bij %(max)s tekens.", max=HELPER_MAX)
    if plan.look_back is not None:
        message = date_problem(plan.look_back, on)
        if message is not None:
            found["look_back"] = message
    elif plan.in_calendar:
        found["look_back"] = _l("Kies een datum om terug te kijken. Die datum komt in je agenda.")
    return found


def saved_plan(response: Response) -> Plan | None:
    stored = response.plan
    if stored is None:
        return None
    return Plan(stored.goal, stored.helper, stored.look_back, stored.in_calendar)


def save(response: Response, plan: Plan, on: date) -> None:
    """Make ``plan`` the response's plan (an empty plan removes it); all or nothing.

    A plan that breaks a rule of :func:`problems` raises ``ValueError`` and nothing is stored; a response
    deleted meanwhile raises :class:`app.responses.store.ReportDeleted`. Two saves at once (two tabs)
    happen one after the other; the plan is the one saved last.
    """
    found = problems(plan, on)
    if found:
        raise ValueError("; ".join(f"{field}: {message}" for field, message in found.items()))
    response_id = response.id  # read before the write: a failed one expires the response
    with report_write(response_id):
        if plan.empty:
            db.session.execute(delete(DevelopmentPlan).where(DevelopmentPlan.response_id == response_id))
        else:
            insert_on_conflict(DevelopmentPlan, [
                {"response_id": response_id, "goal": plan.goal, "helper": plan.helper,
                 "look_back": plan.look_back, "in_calendar": plan.for_calendar, "updated_at": utcnow()}],
                ["response_id"], update=("goal", "helper", "look_back", "in_calendar", "updated_at"))
    db.session.expire(response, ["plan"])
