"""The respondent blueprint (no URL prefix); its views register on it."""

from flask import Blueprint

from ..extensions import limiter
from ..protection.ratelimits import configured

bp = Blueprint("respondent", __name__)
# Per client address, every POST of these pages together (a generous budget: app/protection/ratelimits.py).
limiter.shared_limit(configured("RESPONDENT_RATELIMIT_POST"), scope="respondent-post", methods=["POST"])(bp)
