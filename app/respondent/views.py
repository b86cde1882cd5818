"""Respondent views: thin — read the form, call ``app.responses``, redirect."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from werkzeug.datastructures import MultiDict

from .. import next_steps, request_language, responses
from ..codes import code_hash
from ..definitions import get_definitions, get_questionnaire_or_404
from ..models import Response
from ..page_cache import PageCache
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
    if request.method == "GET":
        resume_code = _resume_code(slug)
        answers = responses.started_answers(slug, resume_code)
        if answers is None:
            return redirect(url_for(".start", slug=slug))
        return _question_page(q, step, answer_defaults(section, answers), resume_code)
    current = responses.find_started(slug, _resume_code(slug))
    if current is None:
        return redirect(url_for(".start", slug=slug))
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


def _site() -> tuple[str, str, str]:
    """What this request's absolute links (``url_for(..., _external=True)``) are built from: scheme,
    host and script root. A remembered page is kept per site (``request.root_url`` says the same, but
    builds and decodes a URL to do so)."""
    current = request._get_current_object()  # one proxy lookup, not three
    return current.scheme, current.host, current.root_path


#: Placeholder of the resume code in a remembered question page (see app.page_cache).
RESUME_PLACEHOLDER = "\x1fresume-code\x1f"
QUESTION_CACHE_KEY = "regiekompas.question_pages"


def _question_page(q, step: int, answers: dict[str, str], resume_code: str) -> tuple[bytes, int]:
    """A question page as first shown (no errors: those pages are never remembered), remembered per
    worker like the report pages.

    It depends on the questionnaire, the step, the language, the answers already given on this page
    and the host (the resume link is absolute); the respondent's resume code is a secret, taken out
    before the page is remembered and filled in per request.
    """
    lang = request_language()

    def render() -> str:
        form = section_form(q, q.sections[step - 1], lang)(formdata=MultiDict(answers))
        return _render_question_page(q, step, form)

    key = (q.slug, q.version, step, lang, _site(), tuple(sorted(answers.items())))
    cache = current_app.extensions[QUESTION_CACHE_KEY]
    return cache.page(key, render, {RESUME_PLACEHOLDER: resume_code}), 200


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


#: Query parameters a remembered report page may differ by; any other (``vergelijk``) renders afresh.
CACHEABLE_ARGS = frozenset({"lang", "grafiek"})
PAGE_CACHE_KEY = "regiekompas.report_pages"


@bp.record_once
def _create_page_cache(state) -> None:
    state.app.extensions[PAGE_CACHE_KEY] = PageCache(state.app.config.get("REPORT_PAGE_CACHE_SIZE", 256))
    state.app.extensions[QUESTION_CACHE_KEY] = PageCache(state.app.config["QUESTION_PAGE_CACHE_SIZE"])


@bp.get("/r/<code>")
def report(code: str):
    lang = request_language()

    def render() -> str:
        return render_template("respondent/report.html", **report_page_context(report_or_404(code), code, lang))

    if not set(request.args) <= CACHEABLE_ARGS:
        return render(), 200, REPORT_HEADERS
    # A remembered page is found without loading the response: one query reads what else the page
    # depends on (app.page_cache). The report hash, not the id: a database may give a deleted
    # response's id to the next one.
    state = responses.report_page_state(code)
    if state is None:
        abort(404)
    steps, shared_with = state
    key = (code_hash(code), lang, request.args.get("grafiek"), _site(), next_steps.today(), steps, shared_with)
    html = current_app.extensions[PAGE_CACHE_KEY].page(key, render)
    return html, 200, REPORT_HEADERS
