"""Campaigns: create, change or delete one for an organisation, its dashboard, and its printable invitation.

The team report, its PDF and the exports live in ``app/advisor/team.py`` (``/campaigns/<id>/report``...).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs lag

from ..campaigns import codes
from ..campaigns import service as campaigns
from ..campaigns.dashboard import dashboard
from ..campaigns.invites import EMPLOYER, WORKER, audience_slug
from ..models import Campaign
from ..rendering.qr import qr_svg
from ..team.followup import history_svg, release_history
from ..team.releases import current_release, next_release_hint
from .access import campaign_or_404, organisation_or_404
from .blueprint import bp
from .forms import CampaignForm, ConfirmDeleteForm, EditCampaignForm, PersonalCodesForm


@bp.route("/organisations/<int:organisation_id>/campaigns/new", methods=["GET", "POST"])
def new_campaign(organisation_id: int) -> ResponseReturnValue:
    org = organisation_or_404(organisation_id)
    form = CampaignForm()
    form.slugs.choices = [SelectChoice(s, t) for s, t in campaigns.questionnaire_titles().items()]
    if form.validate_on_submit():
        campaign = campaigns.create_campaign(org, *form.values(), form.department_names,
                                             uses_codes=form.uses_codes.data)
        return redirect(url_for("advisor.campaign", campaign_id=campaign.id))
    return render_template("advisor/campaign_form.html", org=org, form=form, campaign=None), \
        400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
def edit_campaign(campaign_id: int) -> ResponseReturnValue:
    campaign = campaign_or_404(campaign_id)
    titles = campaigns.questionnaire_titles()
    answered, used_departments = campaigns.in_use(campaign)
    form = EditCampaignForm(answered={s: titles.get(s, s) for s in sorted(answered)},
                            used_departments=used_departments,
                            obj=campaign if request.method == "GET" else None)
    form.slugs.choices = [SelectChoice(s, t) for s, t in titles.items()]
    if request.method == "GET":
        form.departments.data = "\n".join(d.name for d in campaign.departments)
    if form.validate_on_submit():
        campaigns.update_campaign(campaign, *form.values(), form.department_names, uses_codes=form.uses_codes.data)
        flash(_("De campagne is gewijzigd."))
        return redirect(url_for("advisor.campaign", campaign_id=campaign.id))
    return render_template("advisor/campaign_form.html", org=campaign.organisation, form=form, campaign=campaign), \
        400 if form.errors else 200


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["GET", "POST"])
def delete_campaign(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    org, count = campaign.organisation, campaigns.response_count(campaign)
    form = ConfirmDeleteForm()
    if form.confirmed(count):
        title = campaign.title
        campaigns.delete_campaign(campaign)
        flash(_("De campagne %(title)s is verwijderd.", title=title))
        return redirect(url_for("advisor.organisation", organisation_id=org.id))
    return render_template("advisor/delete_campaign.html", campaign=campaign, org=org, form=form, count=count), \
        400 if form.errors or request.method == "POST" else 200


def invite_url(campaign: Campaign) -> str:
    """The workers' link (the printed invitation's): the check-up only."""
    return url_for("respondent.invite", code=campaign.invite_code, _external=True)


def employer_invite_url(campaign: Campaign) -> str:
    """The employer's link: the employer scan only, without a department question."""
    return url_for("respondent.invite", code=campaign.employer_invite_code, _external=True)


@bp.get("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    campaign = campaign_or_404(campaign_id)
    k = campaigns.anonymity_k()
    figures = current_release(campaign, k)
    worker_slug = audience_slug(campaign, WORKER)
    history = release_history(campaign, worker_slug) if worker_slug else []  # after current_release: it may make one
    titles = campaigns.questionnaire_titles()
    chart = history_svg(history, titles.get(worker_slug or "", worker_slug or ""))
    return render_template("advisor/campaign.html", campaign=campaign, org=campaign.organisation, history=history,
                           history_chart=chart,
                           rows=dashboard(campaign, k, figures), k=k, release=figures,
                           next_release=next_release_hint(campaign, figures, worker_slug or ""),
                           invite_url=invite_url(campaign), without_code=codes.without_code(campaign),
                           code_counts=codes.code_counts(campaign) if campaign.uses_codes else None,
                           employer_url=employer_invite_url(campaign),
                           worker_slug=worker_slug, employer_slug=audience_slug(campaign, EMPLOYER))


def _printable(campaign_id: int, template: str):
    """A printable page for workers with the workers' link and its QR code (invitation, reminder)."""
    campaign = campaign_or_404(campaign_id)
    if audience_slug(campaign, WORKER) is None:  # no check-up in this campaign: nothing to invite workers to
        abort(404)
    url = invite_url(campaign)
    return render_template(template, campaign=campaign, org=campaign.organisation, invite_url=url, qr=qr_svg(url))


@bp.get("/campaigns/<int:campaign_id>/invitation")
def invitation(campaign_id: int):
    return _printable(campaign_id, "advisor/invitation.html")


@bp.get("/campaigns/<int:campaign_id>/reminder")
def reminder(campaign_id: int):
    """The printable reminder: the invitation's link and QR code, a friendly text with the closing date."""
    return _printable(campaign_id, "advisor/reminder.html")


def code_url(campaign: Campaign, code: str) -> str:
    """What a personal code's QR code holds: the workers' link with the code."""
    return url_for("respondent.invite", code=campaign.invite_code, _external=True) + "?code=" + code


@bp.route("/campaigns/<int:campaign_id>/codes", methods=["GET", "POST"])
def personal_codes(campaign_id: int) -> ResponseReturnValue:
    """Generate personal codes; the answer to the POST is the printable sheet, the only time they are shown."""
    campaign = campaign_or_404(campaign_id)
    enabled = campaign.uses_codes and audience_slug(campaign, WORKER) is not None
    form = PersonalCodesForm()
    total, used = codes.code_counts(campaign)
    if not enabled:  # says how to switch them on; makes nothing
        return render_template("advisor/codes.html", campaign=campaign, org=campaign.organisation, form=None,
                               total=total, used=used, max_batch=codes.MAX_BATCH), \
            400 if request.method == "POST" else 200
    if form.validate_on_submit():
        count = form.number
        if total + count > codes.MAX_CODES:
            form.count.errors = [_("Een campagne heeft hoogstens %(n)s codes.", n=codes.MAX_CODES)]
        else:
            made = codes.generate(campaign, count)
            cards = [(codes.grouped(c), code_url(campaign, c), qr_svg(code_url(campaign, c))) for c in made]
            return render_template("advisor/code_sheet.html", campaign=campaign, org=campaign.organisation,
                                   cards=cards, invite_url=invite_url(campaign)), 200, {"Cache-Control": "no-store"}
    return render_template("advisor/codes.html", campaign=campaign, org=campaign.organisation, form=form,
                           total=total, used=used, max_batch=codes.MAX_BATCH), 400 if form.errors else 200
