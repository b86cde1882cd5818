"""The JSON API v1 (contract in DESIGN.md); OpenAPI document at /api/v1/openapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import views  # noqa: E402,F401  (registers the routes on bp)
