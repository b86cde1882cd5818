"""Next steps (*Mijn volgende stappen*): up to three of a report's recommendations, each with a date.

Views call these functions. The rules live here, once: at most :data:`MAX_STEPS` steps, every
chosen step has a date, the date is not in the past and not beyond :data:`HORIZON_YEARS`.
Saving replaces the whole set in one transaction, or changes nothing; two saves at once (two tabs)
happen one after the other, and the set is the one saved last. The development plan is kept apart
(:mod:`app.responses.plan`): saving steps never touches it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from ..definitions import get_definitions
from ..extensions import db
from ..models import NextStep, Response, insert_on_conflict
from .store import report_write, stored_result

if TYPE_CHECKING:
    from .plan import Plan

MAX_STEPS = 3
#: A step is a small, near action; a date further away than this is almost surely a typing error.
HORIZON_YEARS = 5
#: The respondents live in the Netherlands: "today" is today there, not on the server's clock.
TIMEZONE = ZoneInfo("Europe/Amsterdam")
#: An all-day event starts at midnight: 15 hours before is 09:00 on the day before.
REMINDER = timedelta(hours=-15)


@dataclass(frozen=True)
class Pick:
    """One chosen recommendation as the form delivers it; ``due`` is ``None`` when left empty."""

    intervention_id: str
    due: date | None


@dataclass(frozen=True)
class Problem:
    """A rule a choice breaks: ``intervention_id`` names the step, ``None`` the set as a whole."""

    intervention_id: str | None
    message: str


@dataclass(frozen=True)
class Step:
    """A saved step, in the words of the report's language."""

    intervention_id: str
    title: str
    text: str
    knob: str
    knob_label: str
    due: date


class UnknownRecommendation(LookupError):
    """A chosen id is not one of the report's recommendations (a tampered or stale form)."""


def today() -> date:
    return datetime.now(TIMEZONE).date()


def recommendations(response: Response, lang: str) -> list[dict[str, Any]]:
    """The report's recommendations in knob order, each with its ``knob_label``, in ``lang``."""
    stored = stored_result(response, lang)["advice"]
    return [{**rec, "knob": knob.id, "knob_label": knob.label(lang)}
            for knob in get_definitions().model.knobs for rec in stored.get(knob.id, [])]


def problems(picks: Sequence[Pick], on: date) -> list[Problem]:
    """Every rule ``picks`` break when chosen on day ``on`` (empty when they may be saved)."""
    found = []
    if len(picks) > MAX_STEPS:
        found.append(Problem(None, _l("Kies maximaal drie stappen. Je koos er nu %(n)s.", n=len(picks))))
    for pick in picks:
        message = _l("Kies een datum voor deze stap.") if pick.due is None else date_problem(pick.due, on)
        if message is not None:
            found.append(Problem(pick.intervention_id, message))
    return found


def date_problem(due: date, on: date) -> Any:
    """Why ``due`` cannot be chosen on day ``on`` (a lazy message), or ``None``: today up to five years on."""
    if due < on:
        return _l("Deze datum is al voorbij. Kies vandaag of later.")
    if due > _horizon(on):
        return _l("Kies een datum binnen vijf jaar.")
    return None


def _horizon(on: date) -> date:
    try:
        return on.replace(year=on.year + HORIZON_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year + HORIZON_YEARS, day=28)


def replace(response: Response, picks: Sequence[Pick], on: date) -> None:
    """Make ``picks`` the response's next steps, in date order; all or nothing.

    ``picks`` must break none of the rules of :func:`problems` (the steps form checks them); an id
    that is not in the report raises :class:`UnknownRecommendation`, a broken rule ``ValueError``,
    and then nothing is stored.
    """
    knob_of = {rec["id"]: rec["knob"] for rec in recommendations(response, "nl")}
    unknown = [p.intervention_id for p in picks if p.intervention_id not in knob_of]
    if unknown or len({p.intervention_id for p in picks}) != len(picks):
        raise UnknownRecommendation(", ".join(unknown) or "duplicate")
    found = problems(picks, on)
    if found:
        raise ValueError("; ".join(str(p.message) for p in found))
    order = list(knob_of)
    ranked = sorted(picks, key=lambda p: (p.due, order.index(p.intervention_id)))
    response_id = response.id  # read before the write: a failed one expires the response
    with report_write(response_id):
        db.session.execute(delete(NextStep).where(NextStep.response_id == response_id,
                                                  NextStep.intervention_id.not_in([p.intervention_id for p in picks])))
        if ranked:
            insert_on_conflict(NextStep, [
                {"response_id": response_id, "intervention_id": p.intervention_id,
                 "knob": knob_of[p.intervention_id], "due_date": p.due, "position": n}
                for n, p in enumerate(ranked, start=1)],
                ["response_id", "intervention_id"], update=("knob", "due_date", "position"))


def saved(response: Response, lang: str) -> list[Step]:
    """The response's next steps in their order, with title, text and knob in ``lang``."""
    recs = {rec["id"]: rec for rec in recommendations(response, lang)}
    return [Step(s.intervention_id, recs[s.intervention_id]["title"], recs[s.intervention_id]["text"],
                 s.knob, recs[s.intervention_id]["knob_label"], s.due_date)
            for s in response.next_steps if s.intervention_id in recs]


def calendar(response: Response, steps: Sequence[Step], plan: Plan | None = None) -> bytes:
    """An iCalendar file with one all-day event per step and a reminder the day before at 09:00; and the
    plan's look-back date with its goal, only when the worker ticked that (``plan.for_calendar``).

    The file never holds the report code or link: it is the only key to the report, and calendar
    files get shared and synced. The UIDs derive from the stored hash, so they stay the same
    when the file is downloaded again and a calendar app updates the events instead of doubling them.
    """
    from icalendar import Alarm, Calendar, Event  # imported where used: few requests need a calendar file

    cal = Calendar()
    cal.add("prodid", "-//Regiekompas//Mijn volgende stappen//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Mijn volgende stappen"))
    uid_base = hashlib.sha256(f"next-step:{response.report_hash}".encode()).hexdigest()[:24]
    stamp = datetime.now(UTC)
    events = [(step.intervention_id, step.due, step.title, f"{step.text}\n\n{_('Knop')}: {step.knob_label}")
              for step in steps]
    if plan is not None and plan.for_calendar and plan.look_back is not None:
        helper = f"\n{_('Wie helpt:')} {plan.helper}" if plan.helper else ""
        events.append(("development-plan", plan.look_back, _("Terugkijken op mijn plan"),
                       f"{_('Mijn doel:')} {plan.goal}{helper}"))
    for key, day, title, description in events:
        event = Event()
        event.add("uid", f"{uid_base}-{key}@regiekompas")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("summary", title)
        event.add("description", description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Morgen: %(title)s", title=title))
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
