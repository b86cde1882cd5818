"""Organisations (create, edit and delete: admin) and the client's file of shared individual reports."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; stubs lag

from ..campaigns import service as campaigns
from ..extensions import db
from ..forms import EmptyForm, required
from ..i18n import current_language
from ..models import Organisation, User
from ..responses import sharing
from ..responses.page import REPORT_HEADERS, report_page_context
from ..responses.report import stored_charts
from ..team.followup import organisation_history
from .access import admin_only, organisation_or_404, shared_report_or_404
from .blueprint import bp
from .forms import ConfirmDeleteForm, OrganisationForm, ShareForm


def _organisation_form(org: Organisation | None) -> OrganisationForm:
    form = OrganisationForm(obj=org) if request.method == "GET" else OrganisationForm()
    advisors = db.session.scalars(select(User).where(User.role == User.ADVISOR).order_by(User.email)).all()
    form.advisors.choices = [SelectChoice(u.id, u.email if u.active else _("%(email)s (niet actief)", email=u.email))
                             for u in advisors]
    if request.method == "GET":
        form.advisors.data = [u.id for u in org.advisors] if org else []
    return form


def _save(org: Organisation, form: OrganisationForm) -> None:
    org.name, org.size = required(form.name.data).strip(), form.size.data
    org.sector = (form.sector.data or "").strip() or None
    org.advisors = list(db.session.scalars(select(User).where(User.id.in_(form.advisors.data or []))))
    db.session.add(org)
    db.session.commit()


@bp.route("/organisations/new", methods=["GET", "POST"])
def new_organisation():
    admin_only()
    form = _organisation_form(None)
    if form.validate_on_submit():
        org = Organisation()
        _save(org, form)
        return redirect(url_for("advisor.organisation", organisation_id=org.id))
    return render_template("advisor/organisation_form.html", form=form, org=None), 400 if form.errors else 200


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit_organisation(organisation_id: int):
    admin_only()
    org = organisation_or_404(organisation_id)
    form = _organisation_form(org)
    if form.validate_on_submit():
        _save(org, form)
        return redirect(url_for("advisor.organisation", organisation_id=org.id))
    return render_template("advisor/organisation_form.html", form=form, org=org), 400 if form.errors else 200


@bp.route("/organisations/<int:organisation_id>/delete", methods=["GET", "POST"])
def delete_organisation(organisation_id: int):
    admin_only()
    org = organisation_or_404(organisation_id)
    count = campaigns.organisation_response_count(org)
    form = ConfirmDeleteForm()
    if form.confirmed(count):
        name = org.name
        campaigns.delete_organisation(org)
        flash(_("De organisatie %(name)s is verwijderd.", name=name))
        return redirect(url_for("advisor.dashboard"))
    return render_template("advisor/delete_organisation.html", org=org, form=form, count=count), \
        400 if form.errors or request.method == "POST" else 200


@bp.get("/organisations/<int:organisation_id>")
def organisation(organisation_id: int):
    org = organisation_or_404(organisation_id)
    return render_template("advisor/organisation.html", org=org, share_form=ShareForm(formdata=None),
                           remove_form=EmptyForm(), history=_history(org))


def _history(org: Organisation) -> list:
    return organisation_history(org, campaigns.anonymity_k(), current_language())


@bp.post("/organisations/<int:organisation_id>/reports")
def share_report(organisation_id: int) -> ResponseReturnValue:
    org = organisation_or_404(organisation_id)
    form = ShareForm()
    if form.validate_on_submit():
        shared, problem = sharing.share(org, required(form.code.data), current_user)
        if problem is None:
            flash(_("De uitslag staat nu in het dossier van %(org)s.", org=org.name))
            return redirect(url_for("advisor.organisation", organisation_id=org.id, _anchor="uitslagen"))
        form.code.errors = [*form.code.errors, problem]
    return render_template("advisor/organisation.html", org=org, share_form=form, remove_form=EmptyForm(),
                           history=_history(org)), 400


@bp.get("/organisations/<int:organisation_id>/reports/<int:shared_id>")
def shared_report(organisation_id: int, shared_id: int):
    shared = shared_report_or_404(organisation_id, shared_id)
    lang = current_language()
    context = report_page_context(shared.response, None, lang, stored_charts(shared.response, lang))
    context["advisor_view"] = shared.organisation
    return render_template("respondent/report.html", **context), 200, REPORT_HEADERS


@bp.post("/organisations/<int:organisation_id>/reports/<int:shared_id>/remove")
def remove_shared_report(organisation_id: int, shared_id: int):
    shared = shared_report_or_404(organisation_id, shared_id)
    if EmptyForm().validate_on_submit():
        sharing.remove(shared)
        flash(_("De uitslag is uit het dossier gehaald."))
    return redirect(url_for("advisor.organisation", organisation_id=organisation_id, _anchor="uitslagen"))
