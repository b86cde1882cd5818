"""The report's two forms: the next steps (built from the report's recommendations) and the plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs lag
from wtforms.widgets import CheckboxInput

from ..forms import DayField
from ..responses import next_steps, plan
from ..responses.next_steps import Pick

STEP = "step"
DATE_PREFIX = "when_"


class StepsForm(FlaskForm):
    """Base class: one checkbox per recommendation (``step``) and one date per recommendation."""

    recs: Sequence[dict[str, Any]] = ()
    today: date

    def box(self, rec_id: str):
        return next(option for option in self[STEP] if option.data == rec_id)

    def when(self, rec_id: str) -> DayField:
        return self[DATE_PREFIX + rec_id]

    def groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """The recommendations per knob label, in the report's order."""
        return [(label, list(recs)) for label, recs in groupby(self.recs, key=lambda r: r["knob_label"])]

    def chosen(self) -> list[str]:
        return list(self[STEP].data or [])

    def unknown(self) -> bool:
        """Whether the posted choice holds an id that is not one of the recommendations."""
        known = {rec["id"] for rec in self.recs}
        return any(rec_id not in known for rec_id in self.chosen())

    def picks(self) -> list[Pick]:
        return [Pick(rec_id, self.when(rec_id).data) for rec_id in self.chosen()]

    def validate(self, extra_validators=None) -> bool:
        """Field checks (CSRF, date format), then the rules of :func:`app.responses.next_steps.problems`."""
        super().validate(extra_validators)
        for rec in self.recs:
            if rec["id"] not in self.chosen():  # the hint says so: a date without a tick does not count
                self.when(rec["id"]).errors = []
        unreadable = {rec_id for rec_id in self.chosen() if self.when(rec_id).errors}
        for problem in next_steps.problems(self.picks(), self.today):
            if problem.intervention_id is None:
                self[STEP].errors.append(problem.message)
            elif problem.intervention_id not in unreadable:  # its format message says enough
                field = self.when(problem.intervention_id)
                field.errors = [*field.errors, problem.message]
        return not self.errors


def steps_form(recs: Sequence[dict[str, Any]], today: date) -> type[StepsForm]:
    """A form class for ``recs`` (from :func:`app.responses.next_steps.recommendations`)."""
    attrs: dict[str, Any] = {
        STEP: SelectMultipleField(_l("Mijn volgende stappen"),
                                  choices=[SelectChoice(r["id"], r["title"]) for r in recs],
                                  validate_choice=False, option_widget=CheckboxInput()),
        "recs": list(recs),
        "today": today,
    }
    for rec in recs:
        attrs[DATE_PREFIX + rec["id"]] = DayField(_l("Datum voor: %(title)s", title=rec["title"]))
    return type("StepsForm", (StepsForm,), attrs)


def steps_defaults(steps: Sequence[next_steps.Step]) -> dict[str, Any]:
    """The saved steps as form data, so that choosing again starts from what was chosen."""
    return {STEP: [s.intervention_id for s in steps], **{DATE_PREFIX + s.intervention_id: s.due for s in steps}}


class PlanForm(FlaskForm):
    """Mijn ontwikkelplan: every field may stay empty (then saving removes the plan); the rules are those of
    :func:`app.responses.plan.problems`."""

    goal = TextAreaField(_l("Wat wil je bereiken?"), filters=[plan.normalised])
    helper = StringField(_l("Wie helpt je daarbij?"), filters=[plan.normalised])
    look_back = DayField(_l("Wanneer kijk je terug?"))
    in_calendar = BooleanField(_l("Zet de datum om terug te kijken in mijn agenda-bestand"))
    goal_max = plan.GOAL_MAX
    helper_max = plan.HELPER_MAX

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def entered(self) -> plan.Plan:
        return plan.Plan(self.goal.data or "", self.helper.data or "", self.look_back.data,
                         bool(self.in_calendar.data))

    def validate(self, extra_validators=None) -> bool:
        """Field checks (CSRF, date format), then the rules of :func:`app.responses.plan.problems`."""
        super().validate(extra_validators)
        for name, message in plan.problems(self.entered(), self.today).items():
            field = self[name]
            if not field.errors:  # a date's format message says enough
                field.errors = [message]
        return not self.errors


def plan_defaults(saved: plan.Plan | None) -> dict[str, Any]:
    """The saved plan as form data."""
    if saved is None:
        return {}
    return {"goal": saved.goal, "helper": saved.helper, "look_back": saved.look_back,
            "in_calendar": saved.in_calendar}
