"""Delete my answers: a confirmation page, then the response is gone for good and its code gives 404."""

from __future__ import annotations

from flask import abort, redirect, render_template, session, url_for

from .. import request_language, responses
from ..definitions import get_definitions
from . import bp
from .step_forms import DeleteForm
from .views import REPORT_HEADERS, report_or_404

#: Set for one page view, so that the confirmation only shows right after a delete.
DELETED = "deleted"


@bp.get("/r/<code>/verwijderen")
def confirm_delete(code: str):
    response = report_or_404(code)
    title = get_definitions().questionnaires[response.slug].title(request_language())
    return render_template("respondent/delete_confirm.html", form=DeleteForm(), code=code, title=title,
                           completed_at=response.completed_at), 200, REPORT_HEADERS


@bp.post("/r/<code>/verwijderen")
def delete(code: str):
    response = report_or_404(code)
    if not DeleteForm().validate_on_submit():
        abort(400)
    responses.delete(response)
    session[DELETED] = True
    return redirect(url_for(".deleted"))


@bp.get("/verwijderd")
def deleted():
    if not session.pop(DELETED, False):
        return redirect(url_for(".home"))
    return render_template("respondent/deleted.html")
