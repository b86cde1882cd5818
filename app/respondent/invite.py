"""Entering through a campaign invite: ``/c/<code>`` shows the campaign, then starts ``/q/<slug>``.

The chosen campaign and department are kept in the session until the questionnaire's first page
creates the response; then they are set on that response. Nothing about the person is stored.
"""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired, Optional

from .. import campaigns
from ..definitions import get_definitions
from ..models import Campaign
from . import bp
from .views import _remember

INVITE_KEY = "invite"
NO_DEPARTMENT = "none"


class InviteForm(FlaskForm):
    """Fields are set per campaign: a department (optional) and, with two questionnaires, which one."""


def invite_form(campaign: Campaign, lang: str) -> InviteForm:
    attrs = {}
    if campaign.departments:
        choices = [SelectChoice(str(d.id), d.name) for d in campaign.departments]
        attrs["department"] = RadioField(_l("Bij welke afdeling werk je?"),
                                         choices=[*choices, SelectChoice(NO_DEPARTMENT, _l("Zeg ik liever niet"))],
                                         validators=[Optional()])
    if len(campaign.slugs) > 1:
        titles = {s: get_definitions().questionnaires[s].title(lang) for s in campaign.slugs}
        attrs["questionnaire"] = RadioField(_l("Welke vragenlijst vul je in?"),
                                            choices=[SelectChoice(s, t) for s, t in titles.items()],
                                            validators=[InputRequired(message=_l("Kies een vragenlijst."))])
    return type("CampaignInviteForm", (InviteForm,), attrs)()


@bp.route("/c/<code>", methods=["GET", "POST"])
def invite(code: str):
    campaign = campaigns.find_by_invite(code)
    if campaign is None:
        abort(404)
    lang = str(get_locale() or "nl")
    if not campaign.is_open():
        return render_template("respondent/invite.html", campaign=campaign, form=None, closed=True,
                               not_yet=date.today() < campaign.opens_on)
    form = invite_form(campaign, lang)
    if form.validate_on_submit():
        slug = form.questionnaire.data if "questionnaire" in form else campaign.slugs[0]
        department = form.department.data if "department" in form else None
        invites = dict(session.get(INVITE_KEY, {}))
        invites[slug] = [campaign.invite_code, None if department in (None, NO_DEPARTMENT) else int(department),
                         date.today().isoformat()]
        session[INVITE_KEY] = invites
        _remember(slug, None)  # a fresh response, linked to this campaign
        return redirect(url_for(".start", slug=slug))
    return render_template("respondent/invite.html", campaign=campaign, form=form, closed=False,
                           k=campaigns.anonymity_k()), 400 if form.errors else 200


def take_campaign_link(slug: str) -> dict[str, int | None]:
    """The ``campaign_id``/``department_id`` the session carries for a new response of ``slug``.

    Used once (removed from the session); empty when there is no invite, or when the campaign has
    closed and the invite was not accepted while it was open, the day before at most
    (``campaigns.campaign_for_accepted_invite``).
    """
    invites = dict(session.get(INVITE_KEY, {}))
    entry = invites.pop(slug, None)
    if not entry:
        return {}
    session[INVITE_KEY] = invites
    code, department_id, *accepted = entry
    try:
        accepted_on = date.fromisoformat(accepted[0]) if accepted else None
    except (TypeError, ValueError):
        accepted_on = None
    campaign = campaigns.campaign_for_accepted_invite(code, slug, accepted_on)
    if campaign is None:
        return {}
    department = campaigns.department_of(campaign, department_id)
    return {"campaign_id": campaign.id, "department_id": department.id if department else None}
