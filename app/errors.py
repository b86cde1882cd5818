"""The API's error shape: ``{"error": {"message": ..., "details": [{"field", "problem"}]}}``."""

from __future__ import annotations

from flask import jsonify, request
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
    # Keep what the exception says besides its HTML body, e.g. ``Allow`` on a 405 (RFC 9110).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"] \
        if isinstance(error, HTTPException) else []
    return jsonify(body), code, headers
