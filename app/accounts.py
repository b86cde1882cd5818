"""Accounts of the advisor workspace: create users, check passwords, log in; the ``create-user`` command.

Passwords are hashed with werkzeug's scrypt. A failed login never tells whether the account exists: the
same message, and (with a dummy hash) about the same time, for an unknown email and a wrong password.

A login session holds the account's session token, not its id; logging out replaces the token, so the
session ends on the server, for every copy of its cookie.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_login import logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db, login_manager
from .models import User
from .protection.input_check import storable, unstorable_message

MIN_PASSWORD = 12
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def _dummy_hash() -> str:
    """A hash to check unknown accounts against, made on the first login (scrypt is slow on purpose)."""
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


class AccountError(ValueError):
    """A user could not be created; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    return email.strip().lower()


def generate_password() -> str:
    """A strong password of 20 URL-safe characters (120 random bits)."""
    return secrets.token_urlsafe(15)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, password: str, role: str = User.ADVISOR) -> User:
    """Store a new active user; ``AccountError`` for a bad or taken email, a short password, a bad role."""
    if not (storable(email) and storable(password)):  # the create-user command reaches no request check
        raise AccountError("email" if not storable(email) else "password", unstorable_message())
    email = normalise_email(email)
    if not EMAIL.match(email) or len(email) > 254:
        raise AccountError("email", _("Dit is geen geldig e-mailadres."))
    if role not in User.ROLES:
        raise AccountError("role", _("Kies de rol admin of advisor."))
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", _("Het wachtwoord moet minstens %(n)s tekens hebben.", n=MIN_PASSWORD))
    if find_user(email) is not None:
        raise AccountError("email", _("Er is al een account met dit e-mailadres."))
    user = User(email=email, password_hash=generate_password_hash(password, method="scrypt"), role=role,
                active=True)
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (without saying which part was wrong)."""
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)  # same work as for a real account
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    return user


def deactivate(user: User) -> None:
    """The account can no longer log in, and every session it has ends now."""
    user.active = False
    user.end_sessions()
    db.session.commit()


def log_out(user: User) -> None:
    """End this session, and every other session of ``user`` (a copied cookie too): a new session token."""
    user.end_sessions()
    db.session.commit()
    logout_user()


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(User.ROLES), default=User.ADVISOR, show_default=True)
@click.option("--generate", is_flag=True, help="Generate a strong password and show it once.")
@with_appcontext
def create_user_command(email: str, role: str, generate: bool) -> None:
    """Create an account for the advisor workspace (password prompted, or generated with --generate)."""
    password = (generate_password() if generate
                else click.prompt("Password", hide_input=True, confirmation_prompt=True))
    try:
        with current_app.test_request_context():  # messages in the default language (Dutch)
            user = create_user(email, password, role)
    except AccountError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Created {user.role} {user.email}.")
    if generate:
        click.echo(f"Password (shown only now): {password}")


def init_app(app: Flask) -> None:
    """Flask-Login with strong session protection, the login page of the advisor workspace, the CLI."""
    # No ``current_user`` in every template: loading the user with "strong" session protection
    # rewrites a session that holds no login (every worker's), so only advisor pages get it.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.session_protection = "strong"
    login_manager.login_view = "advisor.login"
    login_manager.login_message = None  # the login page itself explains what to do

    @login_manager.user_loader
    def load_user(session_token: str) -> User | None:
        """The active user whose current session token the session holds (``User.get_id``): a session
        from before a logout, a deactivation or an upgrade holds an old one and is not logged in."""
        user = db.session.scalar(select(User).where(User.session_token == session_token))
        return user if user is not None and user.is_active else None

    app.cli.add_command(create_user_command)
