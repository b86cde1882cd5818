"""Error responses: the error page in the user's language, and for the API the JSON error shape
``{"error": {"message": ..., "details": [{"field", "problem"}]}}`` (DESIGN.md)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from scoring import InputProblem

MESSAGES = {
    400: "The request is invalid.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "The request body is too large.",
    415: "The request body must be JSON (Content-Type: application/json).",
    429: "Too many requests. Wait a moment and try again.",
    500: "Internal server error.",
}


class ApiError(HTTPException):
    """An API error with a status, a message and per-field details."""

    def __init__(self, code: int, message: str | None = None, details: list[dict] | None = None):
        super().__init__(message or MESSAGES.get(code, ""))
        self.code = code
        self.message = message or MESSAGES.get(code, "")
        self.details = details or []


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def details_from(problems: list[InputProblem]) -> list[dict]:
    return [{"field": p.field, "problem": p.message} for p in problems]


def api_error_response(error: Exception):
    code = getattr(error, "code", None) or 500
    message = getattr(error, "message", None) or MESSAGES.get(code, "Error.")
    body = {"error": {"message": message, "details": getattr(error, "details", [])}}
    return jsonify(body), code, extra_headers(error)


def extra_headers(error: Exception) -> list[tuple[str, str]]:
    """What the exception says besides its body, e.g. ``Allow`` on a 405 (RFC 9110), ``Retry-After`` on a 429."""
    if not isinstance(error, HTTPException):
        return []
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


#: Statuses that get the error page (or, under /api/, the JSON error).
HANDLED = (400, 401, 403, 404, 405, 413, 415, 429, 500)


def init_app(app: Flask) -> None:
    """The error page for every status in :data:`HANDLED`; under ``/api/`` the JSON error shape instead."""
    app.register_error_handler(ApiError, api_error_response)

    def handler(code: int):
        def handle(error: Exception):
            if is_api_request():
                return api_error_response(error)
            return render_template("error.html", code=code), code, extra_headers(error)
        return handle

    for code in HANDLED:
        app.register_error_handler(code, handler(code))
