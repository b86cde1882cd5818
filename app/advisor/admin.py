"""Admin pages: the advisors (list, create with a generated password shown once, deactivate)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import accounts
from ..extensions import db
from ..forms import EmptyForm
from ..models import User
from .access import admin_only
from .blueprint import bp
from .forms import AdvisorForm


@bp.route("/advisors", methods=["GET", "POST"])
def advisors():
    """The list of accounts, and the form to create an advisor (the password is shown once)."""
    admin_only()
    form = AdvisorForm()
    created = password = None
    if form.validate_on_submit():
        password = accounts.generate_password()
        try:
            created = accounts.create_user(form.email.data, password, User.ADVISOR)
        except accounts.AccountError as exc:
            form.email.errors.append(exc.message)
            password = None
        else:
            form = AdvisorForm(formdata=None)
    users = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    status = 400 if form.errors else 200
    return render_template("advisor/advisors.html", form=form, users=users, created=created, password=password,
                           action_form=EmptyForm()), status


@bp.post("/advisors/<int:user_id>/deactivate")
def deactivate_advisor(user_id: int):
    admin_only()
    user = db.session.get(User, user_id)
    if user is None or user.id == current_user.id:
        abort(404)
    if EmptyForm().validate_on_submit():
        accounts.deactivate(user)
        flash(_("Het account van %(email)s is niet meer actief.", email=user.email))
    return redirect(url_for("advisor.advisors"))
