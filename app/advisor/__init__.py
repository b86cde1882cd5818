"""The HR advisor workspace: organisations, campaigns, team reports, shared reports, accounts."""

from . import admin, campaigns, organisations, team, views
from .blueprint import bp

__all__ = ["admin", "bp", "campaigns", "organisations", "team", "views"]
