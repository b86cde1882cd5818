"""Respondent pages: home, the questionnaire flow, a campaign's invite, the report and what hangs off it."""

from . import invite, report, views
from .blueprint import bp

__all__ = ["bp", "invite", "report", "views"]
