"""Campaigns: create one for an organisation, its dashboard, and its printable invitation.

The team report, its PDF and the exports live in ``app/advisor/team.py`` (``/campaigns/<id>/report``...).
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, url_for
from wtforms import SelectChoice

from .. import campaigns
from ..qr import qr_svg
from . import bp
from .access import campaign_or_404, organisation_or_404
from .forms import CampaignForm


@bp.route("/organisations/<int:organisation_id>/campaigns/new", methods=["GET", "POST"])
def new_campaign(organisation_id: int):
    org = organisation_or_404(organisation_id)
    form = CampaignForm()
    form.slugs.choices = [SelectChoice(s, t) for s, t in campaigns.questionnaire_titles().items()]
    if form.validate_on_submit():
        campaign = campaigns.create_campaign(org, form.title.data, form.slugs.data, form.opens_on.data,
                                             form.closes_on.data, form.department_names)
        return redirect(url_for("advisor.campaign", campaign_id=campaign.id))
    return render_template("advisor/campaign_form.html", org=org, form=form), 400 if form.errors else 200


def invite_url(campaign) -> str:
    return url_for("respondent.invite", code=campaign.invite_code, _external=True)


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    return render_template("advisor/campaign.html", campaign=campaign, org=campaign.organisation,
                           rows=campaigns.dashboard(campaign), k=campaigns.anonymity_k(),
                           invite_url=invite_url(campaign),
                           has_team_report="advisor.team_report" in current_app.view_functions)


@bp.get("/campaigns/<int:campaign_id>/invitation")
def invitation(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    url = invite_url(campaign)
    return render_template("advisor/invitation.html", campaign=campaign, org=campaign.organisation,
                           invite_url=url, qr=qr_svg(url))
