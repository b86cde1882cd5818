"""Next steps (*Mijn volgende stappen*): up to three of a report's recommendations, each with a date.

Views call these functions. The rules live here, once: at most :data:`MAX_STEPS` steps, every
chosen step has a date, the date is not in the past and not beyond :data:`HORIZON_YEARS`.
Saving replaces the whole set in one transaction, or changes nothing; two saves at once (two tabs)
happen one after the other, and the set is the one saved last.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..definitions import get_definitions
from ..extensions import db
from ..models import NextStep, Response, insert_on_conflict
from .store import stored_result

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


class ReportDeleted(LookupError):
    """The response was deleted (in another tab) before its steps could be saved; nothing was stored."""


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
    last = _horizon(on)
    for pick in picks:
        if pick.due is None:
            found.append(Problem(pick.intervention_id, _l("Kies een datum voor deze stap.")))
        elif pick.due < on:
            found.append(Problem(pick.intervention_id, _l("Deze datum is al voorbij. Kies vandaag of later.")))
        elif pick.due > last:
            found.append(Problem(pick.intervention_id, _l("Kies een datum binnen vijf jaar.")))
    return found


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
    response_id = response.id
    # One save of a response's steps at a time: PostgreSQL locks the response's row until the commit;
    # SQLite (where FOR UPDATE means nothing) lets one transaction write at a time anyway.
    if db.session.scalar(select(Response.id).where(Response.id == response_id).with_for_update()) is None:
        db.session.rollback()
        raise ReportDeleted(response_id)
    db.session.execute(delete(NextStep).where(NextStep.response_id == response_id,
                                              NextStep.intervention_id.not_in([p.intervention_id for p in picks])))
    try:
        if ranked:
            insert_on_conflict(NextStep, [
                {"response_id": response_id, "intervention_id": p.intervention_id,
                 "knob": knob_of[p.intervention_id], "due_date": p.due, "position": n}
                for n, p in enumerate(ranked, start=1)],
                ["response_id", "intervention_id"], update=("knob", "due_date", "position"))
        db.session.commit()
    except IntegrityError as error:
        # SQLite takes no lock with the SELECT above: a delete committed in between shows up here, as the
        # foreign key of the new rows (duplicates are refused before, and the upsert covers the rest).
        db.session.rollback()
        raise ReportDeleted(response_id) from error


def saved(response: Response, lang: str) -> list[Step]:
    """The response's next steps in their order, with title, text and knob in ``lang``."""
    recs = {rec["id"]: rec for rec in recommendations(response, lang)}
    return [Step(s.intervention_id, recs[s.intervention_id]["title"], recs[s.intervention_id]["text"],
                 s.knob, recs[s.intervention_id]["knob_label"], s.due_date)
            for s in response.next_steps if s.intervention_id in recs]


def calendar(response: Response, steps: Sequence[Step]) -> bytes:
    """An iCalendar file with one all-day event per step and a reminder the day before at 09:00.

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
    for step in steps:
        event = Event()
        event.add("uid", f"{uid_base}-{step.intervention_id}@regiekompas")
        event.add("dtstamp", stamp)
        event.add("dtstart", step.due)
        event.add("dtend", step.due + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        event.add("summary", step.title)
        event.add("description", f"{step.text}\n\n{_('Knop')}: {step.knob_label}")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Morgen: %(title)s", title=step.title))
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
