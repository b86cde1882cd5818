"""API views: parse the JSON body, call scoring and the response service, return JSON."""

from __future__ import annotations

import math
from typing import Any

from flask import current_app, jsonify, request, url_for

from scoring import check_answers, check_profile
from scoring.definitions import NOT_APPLICABLE
from scoring.score import submitted_segments

from ..campaigns.invites import find_invite, open_campaign_for
from ..definitions import get_definitions
from ..errors import ApiError, details_from
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import Response
from ..protection.ratelimits import mark_response_created, new_responses_per_address
from ..responses import store
from .blueprint import bp
from .openapi import openapi_document

#: The fields a submission may have: to score it, and to store it (which may name a campaign).
FIELDS = frozenset({"answers", "profile", "lang"})
FIELDS_WITH_CAMPAIGN = FIELDS | {"campaign"}


def _questionnaire(slug: str):
    q = get_definitions().questionnaires.get(slug)
    if q is None:
        raise ApiError(404, f"Unknown questionnaire '{slug}'.")
    return q


def _lang(value: object, field: str = "lang") -> str:
    if value is None:
        return DEFAULT_LANGUAGE
    if value not in LANGUAGES:
        problem = "must be " + " or ".join(f"'{lang}'" for lang in LANGUAGES)
        raise ApiError(400, "Unsupported language.", [{"field": field, "problem": problem}])
    return str(value)


def _not_json(constant: str) -> float:
    raise ValueError(f"{constant} is not JSON")


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(f"{number} is beyond a double")
    return value


def _json_body() -> object:
    """The request body's JSON, or None when it is not JSON. Stricter than Python's reader as RFC 8259
    is: ``NaN``, ``Infinity`` and numbers beyond a double are not JSON."""
    try:
        return current_app.json.loads(request.get_data(), parse_constant=_not_json, parse_float=_finite)
    except (ValueError, RecursionError):  # malformed JSON, not UTF-8, a number above, or nested too deep to parse
        return None


def _submission(q, *, allow_campaign: bool) -> tuple[dict, dict, str, int | None]:
    """The validated ``answers``, ``profile``, ``lang`` and campaign id of the JSON body, or an ApiError."""
    if not request.is_json:
        raise ApiError(415)
    body = _json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "The body must be a JSON object.", [{"field": "", "problem": "malformed JSON"}])
    allowed = FIELDS_WITH_CAMPAIGN if allow_campaign else FIELDS
    details = [{"field": key, "problem": "unknown field"} for key in body if key not in allowed]
    answers, profile = body.get("answers", {}), body.get("profile", {})
    details += details_from(check_answers(q, answers, submitted_segments(q, profile)) + check_profile(q, profile))
    campaign = None
    if "campaign" in body:
        code = body["campaign"]
        campaign = open_campaign_for(code, q.slug) if isinstance(code, str) else None
        if campaign is None:
            details.append({"field": "campaign", "problem": _campaign_problem(code, q.slug)})
    try:
        lang = _lang(body.get("lang"))
    except ApiError as exc:
        details += exc.details
        lang = DEFAULT_LANGUAGE
    if details:
        raise ApiError(400, "The submission is invalid.", details)
    return answers, profile, lang, (campaign.id if campaign else None)


def _result(response: Response, lang: str) -> dict[str, Any]:
    """The stored result of a completed ``response`` in ``lang`` (every completed response has one)."""
    if response.result is None:
        raise ValueError(f"response {response.id} has no stored result")
    return response.result[lang]


def _campaign_problem(code: object, slug: str) -> str:
    invite = find_invite(code) if isinstance(code, str) else None
    if invite is None:
        return "unknown campaign code"
    if slug not in invite.campaign.slugs:
        return "this campaign does not include this questionnaire"
    if invite.slug != slug:
        return "this invite code is for the campaign's other questionnaire"
    return "the campaign is closed"


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(list(get_definitions().questionnaires)))


@bp.get("/questionnaires")
def list_questionnaires():
    defs = get_definitions()
    return {"questionnaires": [
        {"slug": q.slug, "title": q.title(_lang(request.args.get("lang"))), "audience": q.audience,
         "version": q.version, "languages": list(LANGUAGES)} for q in defs.questionnaires.values()]}


@bp.get("/questionnaires/<slug>")
def get_questionnaire(slug: str):
    q = _questionnaire(slug)
    lang = _lang(request.args.get("lang"))
    model = get_definitions().model
    return {
        "slug": q.slug, "version": q.version, "title": q.title(lang), "audience": q.audience,
        "scale": {"min": q.scale.min, "max": q.scale.max,
                  "labels": [{"value": lbl.value, "label": lbl.label(lang)} for lbl in q.scale.labels],
                  **({"not_applicable": {"value": NOT_APPLICABLE, "label": q.scale.not_applicable(lang)}}
                     if q.scale.not_applicable is not None else {})},
        "factors": [{"id": f.id, "label": f.label(lang)} for f in model.factors],
        "knobs": [{"id": k.id, "label": k.label(lang)} for k in model.knobs],
        "sections": [{"id": s.id, "title": s.title(lang), "items": [
            {"id": i.id, "text": i.text(lang), "factor": i.factor, **({"knob": i.knob} if i.knob else {}),
             "reverse": i.reverse, "allow_unknown": i.allow_unknown,
             "not_applicable_for": list(i.not_applicable_for)} for i in s.items]} for s in q.sections],
        "profile": [{"id": p.id, "label": p.label(lang), "required": p.required,
                     "options": [{"value": o.value, "label": o.label(lang)} for o in p.options]}
                    for p in q.profile],
    }


@bp.post("/questionnaires/<slug>/score")
def score(slug: str):
    q = _questionnaire(slug)
    answers, profile, lang, _ = _submission(q, allow_campaign=False)
    # _submission has checked the answers and profile; nothing is stored, so one language is enough.
    return store.results_by_language(q.slug, answers, profile, validate=False, languages=(lang,))[lang]


@bp.post("/questionnaires/<slug>/responses")
@new_responses_per_address
def create_response(slug: str) -> tuple[dict[str, Any], int]:
    q = _questionnaire(slug)
    answers, profile, lang, campaign_id = _submission(q, allow_campaign=True)
    # Nothing is read from the database after the commit: a response that committed returns its code.
    result, code = store.create_completed(q, answers, profile, lang, campaign_id=campaign_id)
    mark_response_created()
    report_url = url_for("respondent.report", code=code, _external=True)
    return {**result[lang], "report_code": code, "report_url": report_url}, 201


#: A report is opened by its code: no cache keeps a copy of one.
NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/reports/<code>")
def get_report(code: str) -> tuple[dict[str, Any], int, dict[str, str]]:
    response = store.find_report(code)
    if response is None:
        raise ApiError(404, "Unknown report code.")
    lang = _lang(request.args.get("lang", response.lang))
    return _result(response, lang), 200, NO_STORE
