"""Next steps on the report: choose up to three, save them, download them as a calendar file."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from .. import next_steps, request_language
from . import bp, report_context
from .step_forms import steps_defaults, steps_form
from .views import REPORT_HEADERS, report_or_404, report_page_context

ANCHOR = "volgende-stappen"
ICS_NAME = "mijn-volgende-stappen.ics"


@report_context
def steps_context(response, code: str, lang: str) -> dict:
    """The saved steps and the form to choose them (again), filled in with what was chosen."""
    steps = next_steps.saved(response, lang)
    form_class = steps_form(next_steps.recommendations(response, lang), next_steps.today())
    # formdata=None: on another feature's POST this form must show the saved steps, not that post.
    return {"next_steps": steps, "steps_form": form_class(formdata=None, data=steps_defaults(steps))}


@bp.post("/r/<code>/stappen")
def save_steps(code: str):
    response = report_or_404(code)
    lang = request_language()
    form = steps_form(next_steps.recommendations(response, lang), next_steps.today())()
    if form.unknown():
        abort(400)
    if form.validate():
        try:
            next_steps.replace(response, form.picks(), form.today)
        except next_steps.UnknownRecommendation:
            abort(400)
        return redirect(url_for(".report", code=code, _anchor=ANCHOR))
    context = report_page_context(response, code, lang) | {"steps_form": form}
    return render_template("respondent/report.html", **context), 400, REPORT_HEADERS


@bp.get("/r/<code>/stappen")
def steps(code: str):
    """Where the language switch of a form with errors leads: back to the report."""
    report_or_404(code)
    lang = request.args.get("lang")
    return redirect(url_for(".report", code=code, lang=lang if lang in ("nl", "en") else None, _anchor=ANCHOR))


@bp.get("/r/<code>/stappen.ics")
def steps_calendar(code: str):
    response = report_or_404(code)
    steps = next_steps.saved(response, request_language())
    if not steps:
        abort(404)
    headers = {**REPORT_HEADERS, "Content-Type": "text/calendar; charset=utf-8",
               "Content-Disposition": f'attachment; filename="{ICS_NAME}"'}
    return next_steps.calendar(response, steps), 200, headers
