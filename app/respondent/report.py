"""The report and what hangs off it: the PDF, next steps and the development plan (with a calendar file),
the comparison with an earlier report, forgetting the report on this device, deleting the answers.

The earlier report's code is posted (the compare form, the PDF of a comparison), never put in a URL:
a URL ends up in the browser's history, in bookmarks and in screenshots of the address bar.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone

from ..definitions import get_definitions
from ..forms import EmptyForm
from ..i18n import LANGUAGES, current_language
from ..models import Response
from ..not_found import REPORT, UnknownLink
from ..protection.ratelimits import pdfs_per_address, pdfs_per_session
from ..rendering.pdf import render_pdf
from ..rendering.qr import qr_svg
from ..responses import next_steps, plan, store
from ..responses.page import REPORT_HEADERS, report_page_context
from ..responses.report import stored_charts
from .blueprint import bp
from .session import forget_on_this_device, forget_report, open_again, remembers_report, was_forgotten
from .step_forms import PlanForm, StepsForm, plan_defaults, steps_defaults, steps_form

STEPS_ANCHOR = "volgende-stappen"
PLAN_ANCHOR = "mijn-plan"
COMPARE_ANCHOR = "vergelijk"
#: The form field of the compare form (and of the PDF of a comparison): a code or a report link.
COMPARE_FIELD = "vergelijk"
ICS_NAME = "mijn-volgende-stappen.ics"
#: Set for one page view, so that the confirmation only shows right after a delete.
DELETED = "deleted"


def report_or_404(code: str) -> Response:
    response = store.find_report(code)
    if response is None:  # an unknown code, or the answers were deleted
        raise UnknownLink(REPORT)
    return response


def _report_context(response: Response, code: str, compare_text: str | None = None) -> dict[str, Any]:
    """The report page's context: the chart choice, and the comparison with ``compare_text`` if posted."""
    lang = current_language()
    chart_kind = request.form.get("grafiek") if request.method == "POST" else request.args.get("grafiek")
    context = report_page_context(response, code, lang, stored_charts(response, lang),
                                  chart_kind=chart_kind, compare_text=compare_text)
    # Right after sending (while this browser remembers the report), "Bewaar je uitslag" comes first.
    context["remembered"] = remembers_report(code)
    context["report_qr"] = qr_svg(context["report_url"])
    return context


def _report_page(response: Response, code: str, *, pdf: bool = False, form: StepsForm | None = None,
                 plan_form: PlanForm | None = None, context: dict[str, Any] | None = None) -> str:
    """The report page of ``response`` (with ``context``, else the plain page's), the steps form and the
    plan form as saved (or ``form`` / ``plan_form``, posted with errors)."""
    if context is None:
        context = _report_context(response, code)
    # formdata=None: a form shows what is saved, never what another form on the page posted.
    if form is None:
        form = steps_form(next_steps.recommendations(response, current_language()), next_steps.today())(
            formdata=None, data=steps_defaults(context["next_steps"]))
    if plan_form is None:
        plan_form = PlanForm(formdata=None, data=plan_defaults(context["plan"]), today=next_steps.today())
    return render_template("respondent/report.html", steps_form=form, plan_form=plan_form, pdf=pdf, **context)


@bp.get("/r/<code>")
def report(code: str):
    response = report_or_404(code)
    if was_forgotten(code):  # e.g. Back on a shared tablet after "Vergeet hem": ask first
        return render_template("respondent/forgotten.html", form=EmptyForm(), code=code), 200, REPORT_HEADERS
    return _report_page(response, code), 200, REPORT_HEADERS


@bp.post("/r/<code>/vergelijk")
def compare(code: str):
    """The report compared with the earlier report whose code or link is posted (400 with the reason when
    it cannot be compared). Rendered here, not redirected: a redirect would put the code in a URL."""
    response = report_or_404(code)
    context = _report_context(response, code, request.form.get(COMPARE_FIELD, ""))
    status = 400 if context["compare_error"] else 200
    return _report_page(response, code, context=context), status, REPORT_HEADERS


def _back_to_report(code: str, anchor: str):
    """Back to the report (at ``anchor``), in the language the switch asked for: where the language
    switch of a page that answered a POST leads (a GET of the POST's address)."""
    report_or_404(code)
    lang = request.args.get("lang")
    return redirect(url_for(".report", code=code, lang=lang if lang in LANGUAGES else None, _anchor=anchor))


@bp.get("/r/<code>/vergelijk")
def compare_again(code: str):
    """Where the language switch of a compared report leads: back to the report's compare form."""
    return _back_to_report(code, COMPARE_ANCHOR)


@bp.post("/r/<code>/vergeten")
def forget(code: str):
    """"Niet jouw uitslag? Vergeet hem op dit apparaat": this browser no longer offers the report, and
    asks before it shows it again (:func:`open_forgotten`). The link still opens it on any other device;
    only deleting the answers ends that."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    forget_on_this_device(code)
    flash(_("Deze uitslag is vergeten op dit apparaat. Wie de link heeft, kan hem nog wel openen."))
    return redirect(url_for(".home"))


@bp.post("/r/<code>/openen")
def open_forgotten(code: str):
    """"Toch openen": show a report this browser was asked to forget, after all."""
    report_or_404(code)
    if not EmptyForm().validate_on_submit():
        abort(400)
    open_again(code)
    return redirect(url_for(".report", code=code))


@bp.route("/r/<code>/pdf", methods=["GET", "POST"])
@pdfs_per_session
@pdfs_per_address
def report_pdf(code: str):
    """The report in the page's language as an A4 PDF named ``<questionnaire>-<completion date>.pdf``;
    posted from a compared report (the earlier code in the form), with the comparison."""
    response = report_or_404(code)
    compare_text = request.form.get(COMPARE_FIELD) if request.method == "POST" else None
    filename = f"{response.slug}-{to_user_timezone(response.completed_at):%Y-%m-%d}.pdf"
    headers = {**REPORT_HEADERS, "Content-Type": "application/pdf",
               "Content-Disposition": f'attachment; filename="{filename}"'}
    page = _report_page(response, code, pdf=True, context=_report_context(response, code, compare_text))
    return render_pdf(page, request.url_root), 200, headers


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
    except store.ReportDeleted:
        raise UnknownLink(REPORT) from None
    return redirect(url_for(".report", code=code, _anchor=STEPS_ANCHOR))


@bp.get("/r/<code>/stappen")
def steps(code: str):
    """Where the language switch of a form with errors leads: back to the report."""
    return _back_to_report(code, STEPS_ANCHOR)


@bp.post("/r/<code>/plan")
def save_plan(code: str):
    """Save "Mijn ontwikkelplan" (all fields empty: remove it); the next steps stay as they are."""
    response = report_or_404(code)
    form = PlanForm(today=next_steps.today())
    if not form.validate():
        return _report_page(response, code, plan_form=form), 400, REPORT_HEADERS
    try:
        plan.save(response, form.entered(), form.today)
    except store.ReportDeleted:
        raise UnknownLink(REPORT) from None
    return redirect(url_for(".report", code=code, _anchor=PLAN_ANCHOR))


@bp.get("/r/<code>/plan")
def plan_again(code: str):
    """Where the language switch of a plan form with errors leads: back to the report's plan."""
    return _back_to_report(code, PLAN_ANCHOR)


@bp.get("/r/<code>/stappen.ics")
def steps_calendar(code: str):
    """The next steps, and the plan's look-back date if the worker ticked that, as a calendar file."""
    response = report_or_404(code)
    saved = next_steps.saved(response, current_language())
    kept = plan.saved_plan(response)
    if not saved and not (kept and kept.for_calendar):
        abort(404)
    headers = {**REPORT_HEADERS, "Content-Type": "text/calendar; charset=utf-8",
               "Content-Disposition": f'attachment; filename="{ICS_NAME}"'}
    return next_steps.calendar(response, saved, kept), 200, headers


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
