"""The JSON API v1 (contract in DESIGN.md); OpenAPI document at /api/v1/openapi.json."""

from . import views
from .blueprint import bp

__all__ = ["bp", "views"]
