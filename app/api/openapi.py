"""The OpenAPI 3.1 document of API v1; tests validate real responses against these schemas."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..i18n import LANGUAGES

_NULLABLE_NUMBER = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
_BAND = {"type": ["string", "null"], "enum": ["low", "medium", "high", None]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERRORS = {
    "400": _json(_ref("Error"), "Invalid request: unknown item ids, values off the scale, non-integers, "
                 "missing required profile values, malformed JSON, or text that cannot be stored (a NUL "
                 "character or a lone surrogate, in the body, the path or the query). Nothing is stored."),
    "404": _json(_ref("Error"), "Unknown questionnaire slug."),
    "413": _json(_ref("Error"), "Request body too large."),
    "415": _json(_ref("Error"), "Request body is not JSON."),
}
_TOO_MANY = {"429": {**_json(_ref("Error"), "Too many requests from this client address; try again later."),
                     "headers": {"Retry-After": {"description": "Seconds to wait before the next request.",
                                                 "schema": {"type": "integer", "minimum": 0}}}}}

_UNAVAILABLE = {"503": {**_json(_ref("Error"), "The database did not answer for a moment (a restart, a dropped "
                                 "connection); nothing was stored. Try again after Retry-After seconds."),
                        "headers": {"Retry-After": {"description": "Seconds to wait before trying again.",
                                                    "schema": {"type": "integer", "minimum": 0}}}}}

_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"},
         "description": "`loopbaan-apk` (worker check-up) or `leercultuur` (employer scan)"}
_LANG = {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": list(LANGUAGES)}}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object", "required": ["error"],
        "properties": {"error": {
            "type": "object", "required": ["message", "details"],
            "properties": {
                "message": {"type": "string"},
                "details": {"type": "array", "items": {
                    "type": "object", "required": ["field", "problem"],
                    "properties": {"field": {"type": "string"}, "problem": {"type": "string"}}}},
            }}},
    },
    "Dimension": {
        "type": "object", "required": ["score", "band", "answered", "items"],
        "properties": {"score": _NULLABLE_NUMBER, "band": _BAND,
                       "answered": {"type": "integer", "minimum": 0}, "items": {"type": "integer", "minimum": 0}},
    },
    "Recommendation": {
        "type": "object", "required": ["id", "title", "text", "knob", "addresses", "reason"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "text": {"type": "string"},
            "knob": {"type": "string"}, "addresses": {"type": "array", "items": {"type": "string"}},
            "reason": {"type": "string"},
            "effort": {"type": "string", "enum": ["small_step", "longer_route"]},
        },
    },
    "Result": {
        "type": "object", "required": ["questionnaire", "factors", "advice", "strengths"],
        "properties": {
            "questionnaire": {"type": "object", "required": ["slug", "version"],
                              "properties": {"slug": {"type": "string"}, "version": {"type": "string"}}},
            "factors": {"type": "object", "additionalProperties": _ref("Dimension")},
            "knobs": {"type": "object", "additionalProperties": _ref("Dimension"),
                      "description": "Employer scan only."},
            "advice": {"type": "object", "additionalProperties": {
                "type": "array", "minItems": 1, "maxItems": 3, "items": _ref("Recommendation")}},
            "strengths": {"type": "array", "items": {"type": "string"}},
        },
    },
    "StoredResult": {
        "allOf": [_ref("Result"), {
            "type": "object", "required": ["report_code", "report_url"],
            "properties": {"report_code": {"type": "string", "minLength": 22},
                           "report_url": {"type": "string", "format": "uri"}}}],
    },
    "Submission": {
        "type": "object", "additionalProperties": False,
        "properties": {
            "answers": {"type": "object", "additionalProperties": {"type": ["integer", "null"]},
                        "description": "Item id to a value on the scale; null = don't know / not answered; "
                                       "0 = does not apply, accepted only on an item whose `not_applicable_for` "
                                       "names a segment of the profile (e.g. the self-employed): it leaves the "
                                       "item out of the score and of the answer count, and is stored as 0."},
            "profile": {"type": "object", "additionalProperties": {"type": "string"}},
            "lang": {"type": "string", "enum": list(LANGUAGES)},
            "campaign": {"type": "string", "description": "Invite code of an open campaign that includes this "
                         "questionnaire (responses only): the workers' code for the worker check-up, the "
                         "employer's code for the employer scan; an unknown or closed code gives 400 with a "
                         "detail for the field `campaign`."},
        },
    },
    "QuestionnaireSummary": {
        "type": "object", "required": ["slug", "title", "audience", "version", "languages"],
        "properties": {"slug": {"type": "string"}, "title": {"type": "string"},
                       "audience": {"type": "string", "enum": ["worker", "employer"]},
                       "version": {"type": "string"}, "languages": {"type": "array", "items": {"type": "string"}}},
    },
    "Labelled": {"type": "object", "required": ["id", "label"],
                 "properties": {"id": {"type": "string"}, "label": {"type": "string"}}},
    "Questionnaire": {
        "type": "object",
        "required": ["slug", "version", "title", "audience", "scale", "factors", "knobs", "sections", "profile"],
        "properties": {
            "slug": {"type": "string"}, "version": {"type": "string"}, "title": {"type": "string"},
            "audience": {"type": "string", "enum": ["worker", "employer"]},
            "scale": {"type": "object", "required": ["min", "max", "labels"], "properties": {
                "min": {"type": "integer"}, "max": {"type": "integer"},
                "labels": {"type": "array", "items": {"type": "object", "required": ["value", "label"], "properties": {
                    "value": {"type": "integer"}, "label": {"type": "string"}}}},
                "not_applicable": {"type": "object", "required": ["value", "label"],
                                   "description": "The answer 'does not apply' (value 0, off the scale), when the "
                                                  "questionnaire offers it; see the items' not_applicable_for.",
                                   "properties": {"value": {"type": "integer", "const": 0},
                                                  "label": {"type": "string"}}}}},
            "factors": {"type": "array", "items": _ref("Labelled")},
            "knobs": {"type": "array", "items": _ref("Labelled")},
            "sections": {"type": "array", "items": {
                "type": "object", "required": ["id", "title", "items"], "properties": {
                "id": {"type": "string"}, "title": {"type": "string"},
                "items": {"type": "array", "items": {
                    "type": "object", "required": ["id", "text", "factor", "reverse", "allow_unknown"],
                    "properties": {"id": {"type": "string"}, "text": {"type": "string"},
                                   "factor": {"type": ["string", "null"],
                                              "description": "null for a knob item without a factor (what the "
                                                             "employer tells, compared on its knob)"},
                                   "knob": {"type": "string"},
                                   "reverse": {"type": "boolean"}, "allow_unknown": {"type": "boolean"},
                                   "not_applicable_for": {
                                       "type": "array", "items": {"type": "string"},
                                       "description": "Segments (from the profile) that may answer 0, "
                                                      "'does not apply' (an item about a manager or workplace)"}}}}}}},
            "profile": {"type": "array", "items": {
                        "type": "object", "required": ["id", "label", "required", "options"],
                        "properties": {"id": {"type": "string"}, "label": {"type": "string"},
                                       "required": {"type": "boolean"},
                                       "options": {"type": "array", "items": {
                                           "type": "object", "required": ["value", "label"],
                                           "properties": {"value": {"type": "string"},
                                                          "label": {"type": "string"}}}}}}},
        },
    },
}


def openapi_document(slugs: Sequence[str] = ()) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document; ``slugs``, when given, are the questionnaires this app serves."""
    body = {"required": True, "content": {"application/json": {"schema": _ref("Submission")}}}
    slug = {**_SLUG, "schema": {"type": "string", "enum": list(slugs)}} if slugs else _SLUG
    return {
        "openapi": "3.1.0",
        "info": {"title": "Regiekompas API", "version": "1.0.0",
                 "description": "Questionnaires, scoring and advice for self-direction in lifelong development."},
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/questionnaires": {"get": {
                "operationId": "listQuestionnaires", "parameters": [_LANG],
                "responses": {"200": _json({"type": "object", "required": ["questionnaires"], "properties": {
                    "questionnaires": {"type": "array", "items": _ref("QuestionnaireSummary")}}},
                    "The questionnaires."), "400": _ERRORS["400"], **_TOO_MANY}}},
            "/questionnaires/{slug}": {"get": {
                "operationId": "getQuestionnaire", "parameters": [slug, _LANG],
                "responses": {"200": _json(_ref("Questionnaire"), "The questionnaire definition."),
                              "400": _ERRORS["400"], "404": _ERRORS["404"], **_TOO_MANY}}},
            "/questionnaires/{slug}/score": {"post": {
                "operationId": "scoreAnswers", "parameters": [slug], "requestBody": body,
                "description": "Score and advise without storing anything.",
                "responses": {"200": _json(_ref("Result"), "The result."), **_ERRORS, **_TOO_MANY}}},
            "/questionnaires/{slug}/responses": {"post": {
                "operationId": "createResponse", "parameters": [slug], "requestBody": body,
                "description": "Score, advise and store; the report code is shown only here.",
                "responses": {"201": _json(_ref("StoredResult"), "Stored; with the report code."), **_ERRORS,
                              **_TOO_MANY, **_UNAVAILABLE}}},
            "/reports/{code}": {"get": {
                "operationId": "getReport",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}, _LANG],
                "responses": {"200": {**_json(_ref("Result"), "The stored result."), "headers": {
                                  "Cache-Control": {"description": "`no-store`: no cache keeps a report.",
                                                    "schema": {"type": "string", "const": "no-store"}}}},
                              "400": _ERRORS["400"],
                              "404": _json(_ref("Error"), "Unknown report code."), **_TOO_MANY,
                              **_UNAVAILABLE}}},
        },
        "components": {"schemas": SCHEMAS},
    }
