"""The questionnaire definitions, loaded and validated once when the app starts."""

from __future__ import annotations

from flask import Flask, current_app

from scoring import Definitions, Questionnaire, load_definitions

from .not_found import QUESTIONNAIRE, UnknownLink

KEY = "regiekompas.definitions"


def init_app(app: Flask) -> None:
    """Load ``DEFINITIONS_DIR``; an invalid folder stops the start with every problem listed."""
    app.extensions[KEY] = load_definitions(app.config["DEFINITIONS_DIR"])


def get_definitions() -> Definitions:
    return current_app.extensions[KEY]


def get_questionnaire_or_404(slug: str) -> Questionnaire:
    q = get_definitions().questionnaires.get(slug)
    if q is None:
        raise UnknownLink(QUESTIONNAIRE)
    return q
