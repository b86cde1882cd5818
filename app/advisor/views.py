"""Logging in and out, and the dashboard with the user's organisations."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from .. import accounts
from ..campaigns.service import anonymity_k, questionnaire_titles
from ..forms import EmptyForm
from ..protection.ratelimits import logins
from ..team.reading import alpha_word
from .access import visible_organisations
from .blueprint import bp
from .forms import SIZE_LABELS, LoginForm


@bp.context_processor
def advisor_context() -> dict:
    """Labels every advisor page may show: organisation sizes, questionnaire titles, and k; and the
    signed-in user (only here: see app.accounts)."""
    return {"size_labels": SIZE_LABELS, "titles": questionnaire_titles(), "k": anonymity_k(),
            "current_user": current_user, "alpha_word": alpha_word}


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site; otherwise the dashboard (no open redirect)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("advisor.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@logins
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        # The same words whether the account exists or not.
        error = _("Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is niet actief. "
                  "Controleer ze en probeer het opnieuw.")
    status = 400 if (error or form.errors) else 200
    return render_template("advisor/login.html", form=form, error=error), status


@bp.post("/logout")
def logout():
    if EmptyForm().validate_on_submit() and current_user.is_authenticated:
        accounts.log_out(current_user)
    return redirect(url_for("advisor.login"))


@bp.get("/")
def dashboard():
    return render_template("advisor/dashboard.html", organisations=visible_organisations())
