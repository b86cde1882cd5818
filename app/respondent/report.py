"""The report and what hangs off it: the PDF, next steps (with a calendar file), deleting the answers."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import to_user_timezone

from ..definitions import get_definitions
from ..forms import EmptyForm
from ..i18n import LANGUAGES, current_language
from ..models import Response
from ..protection.ratelimits import pdfs_per_address, pdfs_per_session
from ..rendering.pdf import render_pdf
from ..responses import next_steps, store
from ..responses.page import REPORT_HEADERS, report_page_context
from ..responses.report import stored_charts
from .blueprint import bp
from .session import forget_report
from .step_forms import StepsForm, steps_defaults, steps_form

STEPS_ANCHOR = "volgende-stappen"
ICS_NAME = "mijn-volgende-stappen.ics"
#: Set for one page view, so that the confirmation only shows right after a delete.
DELETED = "deleted"


def report_or_404(code: str) -> Response:
    response = store.find_report(code)
    if response is None:
        abort(404)
    return response


def _report_page(response: Response, code: str, *, pdf: bool = False, form: StepsForm | None = None) -> str:
    """The report page of ``response``: the page's chart and comparison choices from the query string,
    the steps form as saved (or ``form``, posted with errors)."""
    lang = current_language()
    context = report_page_context(response, code, lang, stored_charts(response, lang),
                                  chart_kind=request.args.get("grafiek"), compare_text=request.args.get("vergelijk"))
    if form is None:
        # formdata=None: the form shows the saved steps, never what another form on the page posted.
        form = steps_form(next_steps.recommendations(response, lang), next_steps.today())(
            formdata=None, data=steps_defaults(context["next_steps"]))
    return render_template("respondent/report.html", steps_form=form, pdf=pdf, **context)


@bp.get("/r/<code>")
def report(code: str):
    return _report_page(report_or_404(code), code), 200, REPORT_HEADERS


@bp.get("/r/<code>/pdf")
@pdfs_per_session
@pdfs_per_address
def report_pdf(code: str):
    """The report in the page's language as an A4 PDF named ``<questionnaire>-<completion date>.pdf``."""
    response = report_or_404(code)
    filename = f"{response.slug}-{to_user_timezone(response.completed_at):%Y-%m-%d}.pdf"
    headers = {**REPORT_HEADERS, "Content-Type": "application/pdf",
               "Content-Disposition": f'attachment; filename="{filename}"'}
    return render_pdf(_report_page(response, code, pdf=True), request.url_root), 200, headers


@bp.post("/r/<code>/stappen")
def save_steps(code: str):
    response = report_or_404(code)
    form = steps_form(next_steps.recommendations(response, current_language()), next_steps.today())()
    if form.unknown():
        abort(400)
    if not form.validate():
        return _report_page(response, code, form=form), 400, REPORT_HEADERS
    try:
        next_steps.replace(response, form.picks(), form.today)
    except next_steps.UnknownRecommendation:
        abort(400)
    except next_steps.ReportDeleted:
        abort(404)
    return redirect(url_for(".report", code=code, _anchor=STEPS_ANCHOR))


@bp.get("/r/<code>/stappen")
def steps(code: str):
    """Where the language switch of a form with errors leads: back to the report."""
    report_or_404(code)
    lang = request.args.get("lang")
    return redirect(url_for(".report", code=code, lang=lang if lang in LANGUAGES else None, _anchor=STEPS_ANCHOR))


@bp.get("/r/<code>/stappen.ics")
def steps_calendar(code: str):
    response = report_or_404(code)
    saved = next_steps.saved(response, current_language())
    if not saved:
        abort(404)
    headers = {**REPORT_HEADERS, "Content-Type": "text/calendar; charset=utf-8",
               "Content-Disposition": f'attachment; filename="{ICS_NAME}"'}
    return next_steps.calendar(response, saved), 200, headers


@bp.get("/r/<code>/verwijderen")
def confirm_delete(code: str):
    response = report_or_404(code)
    title = get_definitions().questionnaires[response.slug].title(current_language())
    return render_template("respondent/delete_confirm.html", form=EmptyForm(), code=code, title=title,
                           completed_at=response.completed_at), 200, REPORT_HEADERS


@bp.post("/r/<code>/verwijderen")
def delete(code: str):
    response = report_or_404(code)
    if not EmptyForm().validate_on_submit():
        abort(400)
    store.delete(response)
    forget_report(code)
    session[DELETED] = True
    return redirect(url_for(".deleted"))


@bp.get("/verwijderd")
def deleted():
    if not session.pop(DELETED, False):
        return redirect(url_for(".home"))
    return render_template("respondent/deleted.html")
