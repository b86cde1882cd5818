"""The questionnaire flow: home, start (profile questions), one page per section, resume."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError  # type: ignore[import-untyped]  # only flask_wtf itself is ignored (pyproject)
from werkzeug.datastructures import MultiDict

from scoring import Questionnaire

from ..campaigns.codes import CodeUsed
from ..definitions import get_definitions, get_questionnaire_or_404
from ..forms import EmptyForm
from ..i18n import LANGUAGES, current_language
from ..protection.ratelimits import mark_response_created, new_responses_per_address, new_responses_per_session
from ..responses import store
from ..responses.codes import new_code
from ..responses.page import QUESTION_HEADERS, REPORT_HEADERS
from .blueprint import bp
from .forms import (
    PageForm,
    answer_defaults,
    answers_from,
    overwrites_other_tab,
    page_seen,
    profile_form,
    profile_from,
    section_form,
)
from .session import has_invite, pending_invite_code, remember, report_code, resume_code, submitted, take_campaign_link


@bp.get("/")
def home():
    # The worker check-up first: on a phone it is the first choice a person sees (sorted() keeps the rest's order).
    questionnaires = sorted(get_definitions().questionnaires.values(), key=lambda q: q.audience != "worker")
    return render_template("respondent/home.html", questionnaires=questionnaires)


@bp.route("/q/<slug>", methods=["GET", "POST"])
@new_responses_per_session
@new_responses_per_address
def start(slug: str):
    q = get_questionnaire_or_404(slug)
    current = store.find_started(slug, resume_code(slug))
    defaults = {f"p_{k}": v for k, v in (current.profile if current else {}).items()}
    form_class = profile_form(q, current_language())
    form = form_class(formdata=request.form if request.method == "POST" else MultiDict(defaults))
    if request.method == "POST" and form.validate():
        profile = profile_from(form, q)
        try:
            if current is None:
                raise store.NotStarted
            store.save_profile(current, profile, current_language())
        except store.NotStarted:  # none yet, or submitted meanwhile: begin a new one
            invite_code = pending_invite_code(slug)
            try:
                _started, code = store.start(q, profile, current_language(), **take_campaign_link(slug))
            except CodeUsed:  # another device started with this personal code meanwhile: nothing stored
                flash(_("Deze code is al gebruikt. Elke persoonlijke code werkt maar één keer."))
                return redirect(url_for(".invite", code=invite_code) if invite_code else url_for(".home"))
            mark_response_created()
            remember(slug, code, new_code())
        return redirect(url_for(".page", slug=slug, step=1))
    sent = _sent_report_code(slug) if current is None else None
    replaced = current is None and store.was_replaced(resume_code(slug))
    # With a link to a report, the page is as private as the report itself; with answers, as a question page.
    headers = REPORT_HEADERS if sent else QUESTION_HEADERS if current else {}
    for_campaign = has_invite(slug) or bool(current is not None and current.campaign_id)
    return render_template("respondent/start.html", q=q, form=form, current=current, sent=sent,
                           replaced=replaced, for_campaign=for_campaign, step=1, steps=len(q.sections) + 1), \
        400 if form.errors else 200, headers


@bp.route("/q/<slug>/stap/<int:step>", methods=["GET", "POST"])
def page(slug: str, step: int):
    q = get_questionnaire_or_404(slug)
    if not 1 <= step <= len(q.sections):
        abort(404)
    section = q.sections[step - 1]
    current = store.find_started(slug, resume_code(slug))
    if current is None:
        return _not_started(slug, q)
    if report_code(slug) is None:  # a session from before report codes were made at the start
        remember(slug, resume_code(slug), new_code())
    segments = q.segments_for(current.profile or {})  # the wording and "does not apply" for them
    form_class = section_form(q, section, current_language(), segments)
    saved = current.answers or {}
    if request.method == "GET":
        return _question_page(q, step, form_class(formdata=MultiDict(answer_defaults(section, saved))), saved)
    form = form_class()
    posted = answers_from(q, section, request.form, segments)
    if overwrites_other_tab(section, saved, posted, request.form.get("seen")):
        # Another tab saved this page after this copy was shown: save nothing, show what is saved now
        # (with this post's answers to the questions not saved yet), and say so.
        shown = MultiDict({**answer_defaults(section, posted), **answer_defaults(section, saved)})
        return _question_page(q, step, form_class(formdata=shown), saved, 409, changed_elsewhere=True)
    try:
        store.save_answers(current, posted)
        if request.form.get("action") == "back":
            return redirect(url_for(".page", slug=slug, step=step - 1) if step > 1 else url_for(".start", slug=slug))
        if not form.validate():
            return _question_page(q, step, form, {**saved, **posted}, 400)
        if step < len(q.sections):
            return redirect(url_for(".page", slug=slug, step=step + 1))
        code = report_code(slug) or new_code()
        store.submit(current, code)
    except store.NotStarted:  # another post (a double tap, a resend, another tab) submitted it first
        return _not_started(slug, q)
    submitted(slug, code)
    return redirect(url_for(".report", code=code))


def _sent_report_code(slug: str) -> str | None:
    """The report code of this browser's submitted response to ``slug``, if it was submitted."""
    code = report_code(slug)
    return code if code and store.find_report(code) is not None else None


def _not_started(slug: str, q: Questionnaire):
    """Where a page of ``slug`` leads when this browser has no unfinished response to it: the report,
    once it is submitted under the code the session holds (a repeated or concurrent post); the page
    "not saved" for a post (the browser lost its session cookie); else the start."""
    code = _sent_report_code(slug)
    if code is None:
        if store.was_replaced(resume_code(slug)):  # another device went on with this browser's link
            return _replaced(q)
        if request.method == "POST":
            return _session_lost(q)
        return redirect(url_for(".start", slug=slug))
    if request.method == "POST":
        submitted(slug, code)
        worker = get_questionnaire_or_404(slug).audience == "worker"
        flash(_("Je hebt deze check al verstuurd. Hieronder staat je uitslag.") if worker
              else _("U hebt deze scan al verstuurd. Hieronder staat uw uitslag."))
        return redirect(url_for(".report", code=code))
    return redirect(url_for(".start", slug=slug))


def _question_page(q: Questionnaire, step: int, form: PageForm, saved: dict[str, int | None], status: int = 200,
                   changed_elsewhere: bool = False) -> tuple[str, int, dict[str, str]]:
    """Question page ``step``; ``saved``: the answers as saved when it is made (what its ``seen`` digests)."""
    code = resume_code(q.slug)
    resume_url = url_for(".resume", slug=q.slug, code=code, _external=True)
    section = q.sections[step - 1]
    return render_template("respondent/page.html", q=q, section=section, form=form, step=step + 1,
                           steps=len(q.sections) + 1, resume_url=resume_url, resume=code,
                           seen=page_seen(section, saved), changed_elsewhere=changed_elsewhere), \
        status, QUESTION_HEADERS


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    """A form of the questionnaire posted without this browser's session (the cookie was cleared, or the
    browser was closed meanwhile) or with another session's token: nothing is saved; say so and how to go
    on. Other forms get the ordinary error page."""
    q = get_definitions().questionnaires.get((request.view_args or {}).get("slug", ""))
    if q is None or request.endpoint not in ("respondent.page", "respondent.start"):
        return render_template("error.html", code=400), 400
    return _session_lost(q)


def _session_lost(q: Questionnaire):
    """The page "not saved" (400): what happened, and the person's own resume link when the post carried
    one that still opens an unfinished response (it goes to the confirmation page, so a planted one
    changes nothing)."""
    # The language was in the lost session too: the form says which one the page was in, and the links
    # carry it on (?lang= is remembered again).
    lang = request.form.get("lang")
    lang = lang if lang in LANGUAGES else current_language()
    code = request.form.get("resume")
    own = code if code and store.find_started(q.slug, code) is not None else None
    resume_url = url_for(".resume", slug=q.slug, code=own, lang=lang, _external=True) if own else None
    with force_locale(lang):
        return render_template("respondent/session_lost.html", q=q, resume_url=resume_url,
                               start_url=url_for(".start", slug=q.slug, lang=lang),
                               first=request.endpoint == "respondent.start"), 400, REPORT_HEADERS


@bp.route("/q/<slug>/verder/<code>", methods=["GET", "POST"])
def resume(slug: str, code: str):
    """A resume link: continue an unfinished response on this device.

    A link can be planted (a cross-site GET carries the session cookie), so opening one changes
    nothing: it shows what continuing does, and only the button (a POST with the CSRF token) takes the
    response over. Then this device gets a new resume link and the old one stops working; the device
    that had it is told so (``replaced``). The browser's own current link goes straight on.
    """
    q = get_questionnaire_or_404(slug)
    current = store.find_started(slug, code)
    if current is None:
        if store.was_replaced(code):
            return _replaced(q)
        return render_template("respondent/resume_invalid.html", q=q), 404, REPORT_HEADERS
    if code == resume_code(slug):
        return redirect(url_for(".page", slug=slug, step=store.first_unfinished_step(q, current)))
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            new = store.take_over(current, code)
        except store.NotStarted:  # submitted meanwhile, or taken over with this link by another device
            return _replaced(q) if store.was_replaced(code) else (
                render_template("respondent/resume_invalid.html", q=q), 404, REPORT_HEADERS)
        # A report code of this browser's own: whichever device submits first, its code is the report's.
        remember(slug, new, new_code())
        return redirect(url_for(".page", slug=slug, step=store.first_unfinished_step(q, current)))
    own = resume_code(slug)
    own_url = (url_for(".resume", slug=slug, code=own, _external=True)
               if own and store.find_started(slug, own) is not None else None)
    return render_template("respondent/resume_confirm.html", q=q, form=form, own_url=own_url,
                           answered=len(current.answers or {})), 400 if form.errors else 200, REPORT_HEADERS


def _replaced(q: Questionnaire):
    """The page for a resume link (or a session holding one) that another device's resume replaced."""
    return render_template("respondent/resume_replaced.html", q=q), 410, REPORT_HEADERS
