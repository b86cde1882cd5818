"""The next-steps form, built from a report's recommendations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs lag
from wtforms.widgets import CheckboxInput

from ..forms import DayField
from ..responses import next_steps
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
