"""Entering through a campaign invite: ``/c/<code>`` shows the campaign, then starts ``/q/<slug>``.

Each link offers one questionnaire (app/campaigns/invites.py): the worker link the check-up, with
the department question; the employer link the scan, without one, and it says up front that the
employer's answers are not anonymous. A link whose questionnaire the campaign does not have says so
and stores nothing.

The chosen campaign and department are kept in the session until the questionnaire's first page
creates the response; then they are set on that response. Nothing about the person is stored.
"""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for

from ..campaigns.codes import USED as USED_CODE
from ..campaigns.codes import check as check_personal_code
from ..campaigns.codes import grouped, normalise
from ..campaigns.invites import NO_DEPARTMENT, WORKER, find_invite
from ..campaigns.service import anonymity_k
from ..definitions import get_definitions
from ..not_found import INVITE, UnknownLink
from .blueprint import bp
from .forms import PERSONAL_CODE_MESSAGES, PersonalCodeForm, invite_form
from .session import accept_invite


@bp.route("/c/<code>", methods=["GET", "POST"])
def invite(code: str):
    found = find_invite(code)
    if found is None:
        raise UnknownLink(INVITE)
    campaign, slug = found.campaign, found.slug
    context = {"campaign": campaign, "audience": found.audience, "k": anonymity_k()}
    if slug is None:  # the campaign has no questionnaire for this link
        return render_template("respondent/invite.html", form=None, closed=False, missing=True, q=None,
                               **context), 404
    q = get_definitions().questionnaires[slug]
    if not campaign.is_open():
        return render_template("respondent/invite.html", form=None, closed=True, missing=False, q=q,
                               not_yet=date.today() < campaign.opens_on, **context)
    form = invite_form(found)
    if form.validate_on_submit():
        chosen = form.department.data if "department" in form else NO_DEPARTMENT
        department_id = ({str(d.id): d.id for d in campaign.departments}.get(chosen or NO_DEPARTMENT)
                         if found.audience == WORKER else None)
        accept_invite(found, slug, department_id, getattr(form, "personal_code_hash", None))
        return redirect(url_for(".start", slug=slug))
    status = 400 if form.errors else 200
    if request.method == "GET" and isinstance(form, PersonalCodeForm) and request.args.get("code"):
        # The QR code of a personal code: the code filled in, and said at once when it was used already.
        form.code.data = request.args["code"][:20]
        personal = normalise(form.code.data)
        if personal is not None and check_personal_code(campaign, personal) == USED_CODE:
            form.code.errors = [PERSONAL_CODE_MESSAGES[USED_CODE]]
            status = 409
        elif personal is not None:
            form.code.data = grouped(personal)
    return render_template("respondent/invite.html", form=form, closed=False, missing=False, q=q,
                           **context), status
