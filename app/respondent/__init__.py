"""Respondent pages: home, the questionnaire flow, the report and what hangs off it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

bp = Blueprint("respondent", __name__)

#: Functions ``(response, code, lang) -> dict`` whose results join the report's template context.
#: Each report feature (next steps, comparison, PDF, ...) registers one with :func:`report_context`.
REPORT_CONTEXT: list[Callable[..., dict[str, Any]]] = []


def report_context(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    REPORT_CONTEXT.append(func)
    return func


from . import compare, delete, invite, pdf, shared, steps, views  # noqa: E402,F401  (registers the routes and report context on bp)
