"""The API blueprint under ``/api/v1``, with its rate limits per client address."""

from flask import Blueprint

from ..extensions import limiter
from ..protection.security import api_limit

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Per client address: POSTs (scoring, storing) share one budget, GETs have a generous one.
limiter.shared_limit(api_limit("POST"), scope="api-post", methods=["POST"])(bp)
limiter.shared_limit(api_limit("GET"), scope="api-get", methods=["GET"])(bp)
