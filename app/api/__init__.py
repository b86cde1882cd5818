"""The JSON API v1 (contract in DESIGN.md); OpenAPI document at /api/v1/openapi.json."""

from flask import Blueprint

from ..extensions import limiter
from ..security import api_limit

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Per client address: POSTs (scoring, storing) share one budget, GETs have a generous one.
limiter.shared_limit(api_limit("POST"), scope="api-post", methods=["POST"])(bp)
limiter.shared_limit(api_limit("GET"), scope="api-get", methods=["GET"])(bp)

from . import views  # noqa: E402,F401  (registers the routes on bp)
