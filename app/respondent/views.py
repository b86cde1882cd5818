"""Respondent views: thin — read the form, call ``app.responses``, redirect."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from .. import request_language, responses
from ..definitions import get_definitions, get_questionnaire_or_404
from ..models import Response
from ..report import build_report
from . import REPORT_CONTEXT, bp
from .forms import answer_defaults, answers_from, profile_form, profile_from, section_form

SESSION_KEY = "resume"


def _resume_code(slug: str) -> str | None:
    return session.get(SESSION_KEY, {}).get(slug)


def _remember(slug: str, code: str | None) -> None:
    codes = dict(session.get(SESSION_KEY, {}))
    if code is None:
        codes.pop(slug, None)
    else:
        codes[slug] = code
    session[SESSION_KEY] = codes


@bp.get("/")
def home():
    defs = get_definitions()
    return render_template("respondent/home.html", questionnaires=defs.questionnaires.values())


@bp.route("/q/<slug>", methods=["GET", "POST"])
def start(slug: str):
    q = get_questionnaire_or_404(slug)
    current = responses.find_started(slug, _resume_code(slug))
    form_class = profile_form(q, request_language())
    defaults = {f"p_{k}": v for k, v in (current.profile if current else {}).items()}
    form = form_class(formdata=request.form if request.method == "POST" else MultiDict(defaults))
    if request.method == "POST" and form.validate():
        profile = profile_from(form, q)
        if current is None:
            from .invite import take_campaign_link

            current, code = responses.start(q, profile, request_language(), **take_campaign_link(slug))
            _remember(slug, code)
        else:
            responses.save_profile(current, profile, request_language())
        return redirect(url_for(".page", slug=slug, step=1))
    return render_template("respondent/start.html", q=q, form=form, current=current,
                           step=1, steps=len(q.sections) + 1), 400 if form.errors else 200


@bp.route("/q/<slug>/stap/<int:step>", methods=["GET", "POST"])
def page(slug: str, step: int):
    q = get_questionnaire_or_404(slug)
    if not 1 <= step <= len(q.sections):
        abort(404)
    section = q.sections[step - 1]
    current = responses.find_started(slug, _resume_code(slug))
    if current is None:
        return redirect(url_for(".start", slug=slug))
    if request.method == "GET":
        saved = MultiDict(answer_defaults(section, current.answers or {}))
        return _render_question_page(q, step, section_form(q, section, request_language())(formdata=saved))
    form = section_form(q, section, request_language())()
    responses.save_answers(current, answers_from(q, section, request.form))
    if request.form.get("action") == "back":
        target = url_for(".page", slug=slug, step=step - 1) if step > 1 else url_for(".start", slug=slug)
        return redirect(target)
    if form.validate():
        if step < len(q.sections):
            return redirect(url_for(".page", slug=slug, step=step + 1))
        code = responses.submit(current)
        _remember(slug, None)
        return redirect(url_for(".report", code=code))
    return _render_question_page(q, step, form), 400


def _render_question_page(q, step: int, form) -> str:
    resume_url = url_for(".resume", slug=q.slug, code=_resume_code(q.slug), _external=True)
    return render_template("respondent/page.html", q=q, section=q.sections[step - 1], form=form, step=step + 1,
                           steps=len(q.sections) + 1, resume_url=resume_url)


@bp.get("/q/<slug>/verder/<code>")
def resume(slug: str, code: str):
    q = get_questionnaire_or_404(slug)
    current = responses.find_started(slug, code)
    if current is None:
        return render_template("respondent/resume_invalid.html", q=q), 404
    _remember(slug, code)
    return redirect(url_for(".page", slug=slug, step=responses.first_unfinished_step(q, current)))


#: A report URL holds its key: never send it on, never keep a copy in a cache.
REPORT_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


def report_or_404(code: str) -> Response:
    response = responses.find_report(code)
    if response is None:
        abort(404)
    return response


def report_page_context(response: Response, code: str | None, lang: str) -> dict:
    """Everything the report template needs: the view model plus each feature's context.

    Without ``code`` (an advisor opening a report shared with a client's file) the page is read-only:
    the parts that need the worker's code (PDF, steps form, compare, delete, the link) are left out.
    """
    context = {"report": build_report(response, lang), "code": code, "advisor_view": None,
               "report_url": url_for("respondent.report", code=code, _external=True) if code else None}
    for provide in REPORT_CONTEXT:
        context.update(provide(response, code, lang))
    return context


@bp.get("/r/<code>")
def report(code: str):
    response = report_or_404(code)
    context = report_page_context(response, code, request_language())
    return render_template("respondent/report.html", **context), 200, REPORT_HEADERS
