"""Entering through a campaign invite: ``/c/<code>`` shows the campaign, then starts ``/q/<slug>``.

The chosen campaign and department are kept in the session until the questionnaire's first page
creates the response; then they are set on that response. Nothing about the person is stored.
"""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, url_for

from ..campaigns.invites import NO_DEPARTMENT, find_by_invite
from ..campaigns.service import anonymity_k
from ..i18n import current_language
from .blueprint import bp
from .forms import invite_form
from .session import accept_invite


@bp.route("/c/<code>", methods=["GET", "POST"])
def invite(code: str):
    campaign = find_by_invite(code)
    if campaign is None:
        abort(404)
    if not campaign.is_open():
        return render_template("respondent/invite.html", campaign=campaign, form=None, closed=True,
                               not_yet=date.today() < campaign.opens_on)
    form = invite_form(campaign, current_language())
    if form.validate_on_submit():
        slug = form.questionnaire.data if "questionnaire" in form else campaign.slugs[0]
        chosen = form.department.data if "department" in form else NO_DEPARTMENT
        accept_invite(campaign, slug, {str(d.id): d.id for d in campaign.departments}.get(chosen or NO_DEPARTMENT))
        return redirect(url_for(".start", slug=slug))
    return render_template("respondent/invite.html", campaign=campaign, form=form, closed=False,
                           k=anonymity_k()), 400 if form.errors else 200
