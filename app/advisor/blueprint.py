"""The advisor blueprint under ``/advisor``: login required for every page but the login page.

The login check is done once, for the whole blueprint (``before_request``), so a new view cannot
forget it. What a logged-in user may see is decided by :mod:`app.advisor.access`.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("advisor", __name__, url_prefix="/advisor")

#: Endpoints open without login.
PUBLIC_ENDPOINTS = frozenset({"advisor.login"})


@bp.before_request
def require_login():
    """Anonymous: a GET goes to the login page (and comes back after), anything else gets 401."""
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(url_for("advisor.login", next=request.full_path.rstrip("?")))
    abort(401)


@bp.after_request
def no_store(response):
    """Advisor pages hold client data: no shared or browser cache keeps a copy."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response
