"""Five workers and the employer respond through a campaign's invite link; the advisor reads the team report."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DEFAULT_MODEL

from .flows import assert_accessible, choose_profile, open_campaign, screenshot

pytestmark = pytest.mark.browser

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def campaign(live_app):
    """An open campaign with both questionnaires and an advisor assigned to its organisation."""
    from app.accounts import create_user
    from app.extensions import db
    from app.models import Organisation

    with live_app.app_context():
        campaign = open_campaign("Installatiebedrijf Noord", "Nulmeting team")
        org = campaign.organisation
        user = create_user("teamrapport@example.org", PASSWORD)
        org = db.session.get(Organisation, org.id)
        org.advisors.append(user)
        db.session.commit()
        return campaign.id, campaign.invite_code, campaign.employer_invite_code


def respond(browser, base: str, code: str, shift: int) -> None:
    """One person, in a fresh browser session: an invite link (the workers' or the employer's, each
    with its one questionnaire), the questionnaire, the report."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base}/c/{code}")
    page.get_by_role("button", name="Begin").click()
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    page.wait_for_url(re.compile(r"/stap/1$"))  # the first question page, before reading its progress
    steps = int(re.search(r"Stap 2 van (\d)", page.content()).group(1))
    for step in range(2, steps + 1):
        page.wait_for_url(re.compile(rf"/stap/{step - 1}$"))
        for number, fieldset in enumerate(page.locator("fieldset").all()):
            fieldset.locator("label.choice").nth((shift + step + number) % 5).click()
        page.get_by_role("button", name=re.compile("Volgende|Versturen")).click()
    page.wait_for_url(re.compile(r"/r/[\w-]{22,}$"))
    context.close()


@pytest.mark.both_models
def test_team_report_after_five_workers_and_the_employer(live_server, live_defs, browser, page, campaign,
                                                         definitions_dir):
    campaign_id, workers, employer = campaign
    for shift in range(5):
        respond(browser, live_server, workers, shift)
    respond(browser, live_server, employer, 3)

    page.goto(f"{live_server}/advisor/campaigns/{campaign_id}/report")
    page.get_by_label("E-mailadres").fill("teamrapport@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Inloggen|Log in", re.I)).click()
    page.wait_for_url(re.compile(rf"/advisor/campaigns/{campaign_id}/report$"))

    assert page.get_by_role("heading", name="Teamrapport: Nulmeting team").is_visible()
    assert page.get_by_role("heading", name="Het profiel van het team").is_visible()
    factors = page.locator("table.team-table").first.locator("tbody tr")
    assert factors.locator("th").all_inner_texts() == [f.label.nl for f in live_defs.model.factors]
    assert factors.first.locator("td").first.inner_text() == "5"  # five workers, none hidden
    assert page.get_by_role("heading", name="Werkgever en werkenden").is_visible()
    assert page.locator("figure [role=img] svg").count() == 3
    assert page.get_by_role("link", name="Download als PDF").is_visible()
    assert_accessible(page)
    if definitions_dir == DEFAULT_MODEL:  # the README's screenshot is of the default model
        screenshot(page, "team-report")
