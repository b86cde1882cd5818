"""An admin logs in, creates an organisation and a campaign, and prints the invitation; axe-core is
clean on every advisor page on the way (login, dashboard, forms, campaign, invitation)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from .flows import ADMIN_PASSWORD as PASSWORD
from .flows import assert_accessible, screenshot

pytestmark = pytest.mark.browser

def test_admin_creates_organisation_and_campaign_and_opens_the_invitation(live_server, page, admin):
    page.goto(live_server + "/advisor/")
    assert page.url.startswith(live_server + "/advisor/login")
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill(admin)
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_text("horen niet bij elkaar").is_visible()
    assert_accessible(page)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server + "/advisor/")
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwe organisatie").click()
    page.get_by_role("button", name="Bewaren").click()  # nothing filled in: errors next to the fields
    assert page.get_by_text("Vul de naam in.").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Naam").fill("Schildersbedrijf De Kwast")
    page.get_by_label("Sector (mag leeg blijven)").fill("Schilders")
    page.get_by_label("10 tot en met 49 mensen").check()
    page.get_by_role("button", name="Bewaren").click()
    assert page.get_by_role("heading", name="Schildersbedrijf De Kwast").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Nieuwe campagne").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Loopbaan-APK najaar")
    page.get_by_label("Loopbaan-APK").check()
    today = date.today()
    page.get_by_label("Open vanaf").fill(today.isoformat())
    page.get_by_label("Open tot en met").fill((today - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Campagne maken").click()
    assert page.get_by_text("De einddatum moet op of na de begindatum liggen.").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Open tot en met").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label(re.compile("Afdelingen")).fill("Binnen\nBuiten\n")
    page.get_by_role("button", name="Campagne maken").click()
    page.wait_for_url(re.compile(r"/advisor/campaigns/\d+$"))
    assert page.get_by_role("heading", name="Loopbaan-APK najaar").is_visible()
    assert_accessible(page)
    screenshot(page, "advisor-campaign")

    page.get_by_role("link", name=re.compile("Uitnodiging voor medewerkers om af te drukken")).click()
    assert page.locator("svg.qr").is_visible()
    link = page.locator(".invitation-link").inner_text()
    assert re.fullmatch(re.escape(live_server) + r"/c/[\w-]{20,}", link)
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".advisor-nav").is_visible() and page.locator("svg.qr").is_visible()
    page.emulate_media(media="screen")
    screenshot(page, "advisor-invitation")

    page.goto(link)  # the invite page a worker sees
    assert page.get_by_text("Schildersbedrijf De Kwast").first.is_visible()
    assert page.get_by_label("Zeg ik liever niet").is_visible()
    assert_accessible(page)


def test_admin_changes_and_deletes_a_campaign_then_the_organisation(live_server, page, admin, live_app):
    from app.campaigns.service import create_campaign
    from app.extensions import db
    from app.models import Organisation

    with live_app.app_context():
        org = Organisation(name="Garage Gamma", size="1_9")
        db.session.add(org)
        db.session.commit()
        today = date.today()
        campaign_id = create_campaign(org, "Najaar", ["loopbaan-apk"], today, today + timedelta(days=7),
                                      ["Werkplaats"]).id
    page.goto(live_server + "/advisor/login")
    page.get_by_label("E-mailadres").fill(admin)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(live_server + "/advisor/")

    page.goto(f"{live_server}/advisor/campaigns/{campaign_id}")
    page.get_by_role("link", name="Campagne wijzigen").click()
    assert page.get_by_label("Titel").input_value() == "Najaar"
    assert_accessible(page)
    page.get_by_label("Titel").fill("Najaar 2026")
    page.get_by_label(re.compile("Afdelingen")).fill("Werkplaats\nShowroom")
    page.get_by_role("button", name="Wijzigingen opslaan").click()
    page.wait_for_url(re.compile(rf"/advisor/campaigns/{campaign_id}$"))
    assert page.get_by_text("De campagne is gewijzigd.").is_visible()
    assert page.get_by_role("heading", name="Najaar 2026").is_visible()
    assert page.get_by_text("Showroom, Werkplaats").is_visible()

    page.get_by_role("link", name="Campagne verwijderen").click()
    assert page.get_by_text("Er is nog geen vragenlijst via deze campagne ingevuld of begonnen.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Campagne verwijderen").click()
    page.wait_for_url(re.compile(r"/advisor/organisations/\d+$"))
    assert page.get_by_text("De campagne Najaar 2026 is verwijderd.").is_visible()
    assert page.get_by_text("Nog geen campagnes.").is_visible()

    page.get_by_role("link", name="Organisatie verwijderen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Organisatie verwijderen").click()
    page.wait_for_url(live_server + "/advisor/")
    assert page.get_by_text("De organisatie Garage Gamma is verwijderd.").is_visible()
    assert not page.get_by_role("link", name="Garage Gamma").count()
