"""The employer's own link, and a worker who types a personal code on a phone."""

from __future__ import annotations

import re

import pytest

from .flows import answer_every_page, assert_accessible, choose_profile, open_campaign

pytestmark = pytest.mark.browser


@pytest.fixture
def code_campaign(live_app):
    """An open campaign with both questionnaires and personal codes; its links and one code."""
    from app.campaigns.codes import generate
    from app.models import Department

    with live_app.app_context():
        campaign = open_campaign("Garage Zuid", "Codes voorjaar", departments=[Department(name="Werkplaats")],
                                 uses_codes=True)
        (code,) = generate(campaign, 1)
        return campaign.invite_code, campaign.employer_invite_code, code


def test_the_employer_link_says_up_front_the_scan_is_not_anonymous(live_server, page, code_campaign):
    _workers, employer, _code = code_campaign
    page.goto(f"{live_server}/c/{employer}")
    assert page.get_by_text(re.compile("Let op: uw antwoorden op deze scan zijn niet anoniem")).is_visible()
    assert page.locator("fieldset").count() == 0  # no department, no choice of questionnaire
    assert_accessible(page)
    page.get_by_role("button", name="Begin").click()
    page.wait_for_url(re.compile(r"/q/leercultuur$"))
    assert page.get_by_text(re.compile("Let op: uw antwoorden op deze scan zijn niet anoniem")).is_visible()
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    answer_every_page(page, choice=2)


def test_a_worker_types_a_personal_code_on_a_phone(live_server, phone, code_campaign):
    workers, _employer, code = code_campaign
    page = phone
    page.goto(f"{live_server}/c/{workers}")
    field = page.get_by_label("Je persoonlijke code")
    assert field.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Begin").click()
    assert page.get_by_role("alert").get_by_text("Je persoonlijke code").is_visible()  # the error summary
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Je persoonlijke code").fill(f"{code[:4].lower()} {code[4:].lower()}")
    page.get_by_label("Zeg ik liever niet").check()
    page.get_by_role("button", name="Begin").click()
    page.wait_for_url(re.compile(r"/q/loopbaan-apk$"))
    choose_profile(page)
    page.get_by_role("button", name="Volgende").click()
    answer_every_page(page, choice=1)

    # The same code again (the QR link fills it in): used already, said plainly.
    page.goto(f"{live_server}/c/{workers}?code={code}")
    assert page.get_by_text("Deze code is al gebruikt. Elke persoonlijke code werkt maar één keer.").first.is_visible()
    assert_accessible(page)
