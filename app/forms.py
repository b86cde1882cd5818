"""Form pieces both audiences use: a date field in plain Dutch, a form that is only its CSRF token, and
:func:`required` for the data of a validated required field."""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField

T = TypeVar("T")


def required(data: T | None) -> T:
    """``data`` of a field that a validator (``InputRequired``) keeps from being empty, once the form validated.

    ``None`` there means the form was not validated first: a programming error, not the user's.
    """
    if data is None:
        raise ValueError("a required field is empty: validate the form before reading it")
    return data


class DayField(DateField):
    """A date input that accepts 2026-12-31 (what a date picker sends) or 31-12-2026 (typed); empty is ``None``.

    Whether it may stay empty is up to its validators (``InputRequired`` where a date is needed).
    """

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d-%m-%Y"])
        kwargs.setdefault("invalid_value_message", _l("Vul een datum in zoals 31-12-2026."))
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata([v.strip() for v in valuelist])


class EmptyForm(FlaskForm):
    """Only the CSRF token: for POST-only buttons (log out, delete, deactivate, remove)."""
