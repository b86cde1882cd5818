"""The multi-choice fields of the advisor forms, as an advisor uses them: a campaign with both
questionnaires made and changed through the form, an organisation saved with two advisors; axe-core is
clean on each form, also when it shows an error."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from .flows import ADMIN_PASSWORD, assert_accessible

pytestmark = pytest.mark.browser

TITLES = ("Loopbaan-APK", "Leercultuur-scan")


def _log_in(page, live_server: str, email: str) -> None:
    page.goto(live_server + "/advisor/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server + "/advisor/")


@pytest.fixture
def two_advisors(live_app) -> tuple[int, list[str]]:
    """An organisation with no advisor yet, and two advisor accounts; the organisation's id and the e-mails."""
    from sqlalchemy import select

    from app.accounts import create_user
    from app.extensions import db
    from app.models import Organisation, User

    emails = ["adviseur.een@example.org", "adviseur.twee@example.org"]
    with live_app.app_context():
        for email in emails:
            if db.session.scalar(select(User).where(User.email == email)) is None:
                create_user(email, ADMIN_PASSWORD, "advisor")
        org = Organisation(name="Timmerfabriek Tau", size="50_249")
        db.session.add(org)
        db.session.commit()
        return org.id, emails


def test_a_campaign_with_both_questionnaires_is_made_and_changed_through_the_form(live_server, page, admin,
                                                                                 two_advisors):
    org_id, _emails = two_advisors
    _log_in(page, live_server, admin)
    page.goto(f"{live_server}/advisor/organisations/{org_id}")
    page.get_by_role("link", name="Nieuwe campagne").click()
    group = page.get_by_role("group", name="Vragenlijsten")
    assert group.get_by_role("checkbox").count() == 2 and group.get_by_role("radio").count() == 0
    assert_accessible(page)

    page.get_by_label("Titel").fill("Leren op de werkvloer")
    today = date.today()
    page.get_by_label("Open vanaf").fill(today.isoformat())
    page.get_by_label("Open tot en met").fill((today + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Campagne maken").click()  # no questionnaire ticked: an error at the group
    assert page.get_by_text("Kies minstens één vragenlijst.").first.is_visible()
    group = page.get_by_role("group", name="Vragenlijsten")
    assert "Kies minstens één vragenlijst." in group.evaluate(
        "g => g.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id).textContent).join()")
    assert_accessible(page)

    for title in TITLES:
        group.get_by_label(title).check()
    assert all(group.get_by_label(title).is_checked() for title in TITLES)  # ticking one keeps the other
    page.get_by_role("button", name="Campagne maken").click()
    page.wait_for_url(re.compile(r"/advisor/campaigns/\d+$"))
    assert page.get_by_text("Loopbaan-APK, Leercultuur-scan").is_visible()
    assert page.get_by_text("Link voor de werkgever", exact=True).is_visible()
    assert not page.get_by_text("Deze campagne heeft geen scan voor de werkgever.").count()
    campaign_url = page.url

    page.get_by_role("link", name="Campagne wijzigen").click()
    group = page.get_by_role("group", name="Vragenlijsten")
    assert all(group.get_by_label(title).is_checked() for title in TITLES)
    assert_accessible(page)
    page.get_by_label("Titel").fill("Leren op de werkvloer 2027")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.wait_for_url(campaign_url)
    assert page.get_by_text("De campagne is gewijzigd.").is_visible()
    assert page.get_by_text("Loopbaan-APK, Leercultuur-scan").is_visible()
    page.get_by_role("link", name="Campagne wijzigen").click()
    assert all(page.get_by_role("group", name="Vragenlijsten").get_by_label(title).is_checked() for title in TITLES)


def test_an_organisation_saved_with_two_advisors_keeps_both(live_server, page, admin, two_advisors):
    org_id, emails = two_advisors
    _log_in(page, live_server, admin)
    page.goto(f"{live_server}/advisor/organisations/{org_id}/edit")
    group = page.get_by_role("group", name="Adviseurs van deze organisatie")
    assert group.get_by_role("radio").count() == 0
    assert_accessible(page)
    for email in emails:
        group.get_by_label(email).check()
    assert all(group.get_by_label(email).is_checked() for email in emails)
    page.get_by_role("button", name="Bewaren").click()
    page.wait_for_url(f"{live_server}/advisor/organisations/{org_id}")
    assert page.get_by_text(", ".join(emails)).is_visible()

    page.goto(f"{live_server}/advisor/organisations/{org_id}/edit")
    group = page.get_by_role("group", name="Adviseurs van deze organisatie")
    assert all(group.get_by_label(email).is_checked() for email in emails)
    page.get_by_label("Sector (mag leeg blijven)").fill("Hout")
    page.get_by_role("button", name="Bewaren").click()  # saved again, untouched: both stay
    page.wait_for_url(f"{live_server}/advisor/organisations/{org_id}")
    assert page.get_by_text(", ".join(emails)).is_visible()
    assert_accessible(page)
