"""Logging in and out, no account enumeration, the login rate limit, safe redirects, the create-user CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.support.advisor_world import login, page_text, post_form

WRONG = "Dit e-mailadres en wachtwoord horen niet bij elkaar"


def test_login_then_dashboard_then_logout(client, world):
    response = login(client, "A@Example.org ")
    assert response.status_code == 302 and response.location == "/advisor/"
    assert client.get("/advisor/").status_code == 200
    assert post_form(client, "/advisor/logout", {}, page_url="/advisor/").status_code == 302
    assert client.get("/advisor/").status_code == 302


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, world):
    wrong_password = login(client, "a@example.org", "not the password!")
    unknown = login(client, "nobody@example.org", "not the password!")
    assert wrong_password.status_code == unknown.status_code == 400
    assert WRONG in page_text(wrong_password)
    assert page_text(wrong_password) == page_text(unknown)
    assert client.get("/advisor/").status_code == 302


def test_login_is_limited_to_ten_posts_a_minute(client, world):
    for _ in range(10):
        assert login(client, "a@example.org", "wrong password!!").status_code == 400
    limited = login(client, "a@example.org")  # even the right password
    assert limited.status_code == 429
    assert "Even geduld" in page_text(limited)


@pytest.mark.parametrize(("next_url", "target"), [
    ("/advisor/organisations/{org_a}", "/advisor/organisations/{org_a}"),
    ("https://evil.example/x", "/advisor/"),
    ("//evil.example/x", "/advisor/"),
    ("/\\evil.example", "/advisor/"),
])
def test_next_only_leads_to_a_local_path(client, world, next_url, target):
    response = login(client, "a@example.org", next_url=next_url.format(**vars(world)))
    assert response.location == target.format(**vars(world))


def test_anonymous_get_goes_to_login_and_comes_back(client, world):
    page = client.get(f"/advisor/campaigns/{world.campaign_a}")
    assert page.status_code == 302 and page.location == f"/advisor/login?next=/advisor/campaigns/{world.campaign_a}"


def test_logout_needs_post_with_csrf(client, world):
    login(client, "a@example.org")
    assert client.get("/advisor/logout").status_code == 405
    client.post("/advisor/logout", data={})
    assert client.get("/advisor/").status_code == 200


SESSION_COOKIE = "session"


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie (and its strong-protection identity)."""
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, client.get_cookie(SESSION_COOKIE).value, domain="localhost")
    return thief


def test_logout_ends_the_session_for_a_copied_cookie_too(app, client, world):
    login(client, "a@example.org")
    thief = copy_of(app, client)
    assert thief.get("/advisor/").status_code == 200  # the copy works while the session lasts
    assert post_form(client, "/advisor/logout", {}, page_url="/advisor/").status_code == 302
    assert thief.get("/advisor/").status_code == 302
    assert thief.get("/advisor/").location.startswith("/advisor/login")
    # Logging in again works, with a new session.
    assert login(client, "a@example.org").status_code == 302
    assert client.get("/advisor/").status_code == 200
    assert thief.get("/advisor/").status_code == 302


def test_a_session_holds_a_token_not_the_account_id(app, client, world):
    login(client, "a@example.org")
    with client.session_transaction() as session:
        held = session["_user_id"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "a@example.org"))
        assert held == user.session_token and held != str(user.id) and len(held) >= 40
    # A session that names the account by its id (as before this change) is not logged in.
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
    assert client.get("/advisor/").status_code == 302


def test_deactivating_an_account_ends_its_sessions(app, client, world):
    login(client, "a@example.org")
    from app import accounts

    with app.app_context():
        accounts.deactivate(db.session.scalar(select(User).where(User.email == "a@example.org")))
    assert client.get("/advisor/").status_code == 302


def test_session_protection_is_strong(app):
    from app.extensions import login_manager

    assert login_manager.session_protection == "strong"


def _users(app) -> list[User]:
    with app.app_context():
        users = list(db.session.scalars(select(User).order_by(User.id)))
        db.session.expunge_all()
        return users


def test_cli_creates_a_user_with_a_prompted_password(app, runner):
    result = runner.invoke(args=["create-user", "Admin@Example.org", "--role", "admin"],
                           input="correct horse battery\ncorrect horse battery\n")
    assert result.exit_code == 0, result.output
    (user,) = _users(app)
    assert user.email == "admin@example.org" and user.role == "admin" and user.active
    assert user.password_hash.startswith("scrypt:") and "correct horse" not in result.output
    assert login(app.test_client(), "admin@example.org", "correct horse battery").status_code == 302


def test_cli_generates_a_password_and_shows_it_once(app, runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--generate"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit(" ", 1)[-1]
    assert len(password) >= 16
    assert _users(app)[0].role == "advisor"
    assert login(app.test_client(), "a@example.org", password).status_code == 302


@pytest.mark.parametrize(("args", "password", "message"), [
    (["not-an-email"], "correct horse battery", "geen geldig e-mailadres"),
    (["a@example.org"], "too short", "minstens 12 tekens"),
])
def test_cli_refuses_bad_input_and_exits_non_zero(app, runner, args, password, message):
    result = runner.invoke(args=["create-user", *args], input=f"{password}\n{password}\n")
    assert result.exit_code != 0 and message in result.output
    assert _users(app) == []


def test_cli_refuses_a_duplicate_email(app, runner):
    assert runner.invoke(args=["create-user", "a@example.org", "--generate"]).exit_code == 0
    result = runner.invoke(args=["create-user", "A@example.org", "--generate"])
    assert result.exit_code != 0 and "al een account" in result.output
    assert len(_users(app)) == 1


def test_cli_refuses_an_unknown_role(app, runner):
    result = runner.invoke(args=["create-user", "a@example.org", "--role", "root", "--generate"])
    assert result.exit_code != 0 and _users(app) == []


def test_admin_creates_an_advisor_with_a_generated_password_and_deactivates_them(app, client, world):
    login(client, "admin@example.org")
    page = post_form(client, "/advisor/advisors", {"email": "new@example.org"})
    assert page.status_code == 200
    text = page_text(page)
    password = text.split("Het wachtwoord is:", 1)[1].split()[0]
    assert page.headers["Cache-Control"] == "no-store"
    duplicate = post_form(client, "/advisor/advisors", {"email": "new@example.org"})
    assert duplicate.status_code == 400 and "al een account" in page_text(duplicate)
    assert login(app.test_client(), "new@example.org", password).status_code == 302
    new_id = next(u.id for u in _users(app) if u.email == "new@example.org")
    post_form(client, f"/advisor/advisors/{new_id}/deactivate", {}, page_url="/advisor/advisors")
    assert login(app.test_client(), "new@example.org", password).status_code == 400


def test_admin_assigns_advisors_to_an_organisation(app, client, world):
    login(client, "admin@example.org")
    url = f"/advisor/organisations/{world.org_b}/edit"
    response = post_form(client, url, {"name": "Bouwbedrijf Beta", "size": "50_249",
                                       "advisors": [str(world.advisor_a), str(world.advisor_b)]})
    assert response.status_code == 302
    other = app.test_client()
    login(other, "a@example.org")
    assert other.get(f"/advisor/organisations/{world.org_b}").status_code == 200


def test_organisation_form_errors_are_in_dutch_and_change_nothing(app, client, world):
    login(client, "admin@example.org")
    response = post_form(client, "/advisor/organisations/new", {"name": "", "size": "huge"})
    assert response.status_code == 400
    text = page_text(response)
    assert "Vul de naam in." in text and "Not a valid choice" not in text
    with app.app_context():
        from app.models import Organisation

        assert db.session.scalar(select(db.func.count(Organisation.id))) == 2
