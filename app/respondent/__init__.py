"""Respondent pages: home, the questionnaire flow, the report."""

from flask import Blueprint

bp = Blueprint("respondent", __name__)

from . import views  # noqa: E402,F401  (registers the routes on bp)
