"""Invites per audience: the workers' link offers only the check-up, the employer's link only the scan.

The attack: a worker opens the one link of a campaign and picks the employer scan, and the team
report then counts them as the employer. Now the workers' link has no employer scan to pick, and
the employer's link is a different code.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Campaign, Organisation
from tests.support.advisor_world import login, make_campaign, page_text, post_form
from tests.support.flows import complete

BOTH = ("loopbaan-apk", "leercultuur")
NOT_ANONYMOUS = ("Let op: uw antwoorden op deze scan zijn niet anoniem. De adviseur ziet ze, om ze te "
                 "vergelijken met die van uw medewerkers.")


def _campaign(app, world, slugs=BOTH, departments=("Winkel",)) -> tuple[int, str, str]:
    with app.app_context():
        campaign = make_campaign(db.session.get(Organisation, world.org_b), slugs=slugs, departments=departments)
        return campaign.id, campaign.invite_code, campaign.employer_invite_code


def test_each_campaign_has_an_employer_code_of_its_own(app, world):
    _, workers, employer = _campaign(app, world)
    _, workers_2, employer_2 = _campaign(app, world)
    assert len(employer) >= 21 and len({workers, employer, workers_2, employer_2}) == 4


def test_the_workers_link_offers_only_the_check_up(app, client, world, defs, responses):
    campaign_id, workers, _ = _campaign(app, world)
    page = client.get(f"/c/{workers}")
    text = page_text(page)
    assert page.status_code == 200 and "Bij welke afdeling werk je?" in text
    assert "Leercultuur" not in text and 'name="questionnaire"' not in page.get_data(as_text=True)
    # A worker who posts the employer scan's name anyway still gets the check-up.
    start = post_form(client, f"/c/{workers}", {"questionnaire": "leercultuur", "department": ""})
    assert start.status_code == 302 and start.location == "/q/loopbaan-apk"
    assert client.get("/q/leercultuur").status_code == 200  # the scan is not part of the invite…
    complete(client, defs.questionnaires["leercultuur"])  # …so a scan filled in after it joins nothing
    linked = [r.slug for r in responses() if r.campaign_id == campaign_id]
    assert linked == []
    complete(client, defs.questionnaires["loopbaan-apk"])
    assert [r.slug for r in responses() if r.campaign_id == campaign_id] == ["loopbaan-apk"]


def test_the_employer_link_offers_only_the_scan_without_a_department(app, client, world, defs, responses):
    campaign_id, _, employer = _campaign(app, world)
    page = client.get(f"/c/{employer}")
    text = page_text(page)
    assert page.status_code == 200 and NOT_ANONYMOUS in text
    assert "afdeling" not in text.lower().replace("geen vraag naar de afdeling", "")
    assert 'name="department"' not in page.get_data(as_text=True)
    start = post_form(client, f"/c/{employer}", {"department": "1"})
    assert start.status_code == 302 and start.location == "/q/leercultuur"
    assert NOT_ANONYMOUS in page_text(client.get("/q/leercultuur"))  # the scan's start page says it too
    complete(client, defs.questionnaires["leercultuur"])
    (scan,) = [r for r in responses() if r.campaign_id == campaign_id]
    assert scan.slug == "leercultuur" and scan.department_id is None


def test_the_scan_start_page_says_up_front_that_it_is_not_anonymous(client, world):
    text = page_text(client.get("/q/leercultuur"))
    assert "niet anoniem" in text and "De adviseur ziet ze, om ze te vergelijken met die van uw medewerkers." in text
    assert "niet anoniem" not in page_text(client.get("/q/loopbaan-apk"))


@pytest.mark.parametrize(("slugs", "link", "message"), [
    (("leercultuur",), "workers", "bij deze campagne hoort geen vragenlijst voor medewerkers"),
    (("loopbaan-apk",), "employer", "bij deze campagne hoort geen scan voor de werkgever"),
])
def test_a_link_without_its_questionnaire_says_so_and_stores_nothing(app, client, world, responses, slugs, link,
                                                                      message):
    _, workers, employer = _campaign(app, world, slugs=slugs)
    code = workers if link == "workers" else employer
    page = client.get(f"/c/{code}")
    assert page.status_code == 404 and message in page_text(page) and "Er is niets opgeslagen" in page_text(page)
    count = len(responses())
    post = post_form(client, f"/c/{code}", {"department": ""}, page_url="/q/loopbaan-apk")  # a valid token
    assert post.status_code == 404 and message in page_text(post)
    for slug in slugs:
        assert client.get(f"/q/{slug}/stap/1").status_code == 302  # nothing started
    assert len(responses()) == count


def test_the_api_takes_each_code_only_for_its_own_questionnaire(app, client, world, defs, responses):
    from tests.support.flows import EMPLOYER_PROFILE, WORKER_PROFILE

    campaign_id, workers, employer = _campaign(app, world)

    def post(slug, code, profile):
        q = defs.questionnaires[slug]
        return client.post(f"/api/v1/questionnaires/{slug}/responses",
                           json={"answers": {i.id: 3 for i in q.items}, "profile": dict(profile), "campaign": code})

    wrong = post("leercultuur", workers, EMPLOYER_PROFILE)
    assert wrong.status_code == 400
    assert {"field": "campaign", "problem": "this invite code is for the campaign's other questionnaire"} in \
        wrong.get_json()["error"]["details"]
    assert post("loopbaan-apk", employer, WORKER_PROFILE).status_code == 400
    assert [r for r in responses() if r.campaign_id == campaign_id] == []
    assert post("leercultuur", employer, EMPLOYER_PROFILE).status_code == 201
    assert post("loopbaan-apk", workers, WORKER_PROFILE).status_code == 201
    assert sorted(r.slug for r in responses() if r.campaign_id == campaign_id) == ["leercultuur", "loopbaan-apk"]


def test_the_campaign_page_shows_both_links_labelled(app, client, world):
    login(client, "b@example.org")
    campaign_id, workers, employer = _campaign(app, world)
    page = client.get(f"/advisor/campaigns/{campaign_id}")
    html, text = page.get_data(as_text=True), page_text(page)
    assert "Link voor medewerkers" in text and "Link voor de werkgever" in text
    assert f"http://localhost/c/{workers}" in html and f"http://localhost/c/{employer}" in html
    # The printable poster (and its QR) is the workers' link only.
    poster = client.get(f"/advisor/campaigns/{campaign_id}/invitation").get_data(as_text=True)
    assert f"http://localhost/c/{workers}" in poster and employer not in poster


def test_a_campaign_without_the_check_up_has_no_poster(app, client, world):
    login(client, "b@example.org")
    campaign_id, _, employer = _campaign(app, world, slugs=("leercultuur",))
    text = page_text(client.get(f"/advisor/campaigns/{campaign_id}"))
    assert "Deze campagne heeft geen vragenlijst voor medewerkers." in text
    assert "om af te drukken" not in text
    assert client.get(f"/advisor/campaigns/{campaign_id}/invitation").status_code == 404


def test_old_printed_worker_invitations_keep_working(app, client, world):
    """The existing invite code stays the workers' link; an edit changes neither code."""
    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_a)
        before = (campaign.invite_code, campaign.employer_invite_code)
    assert before[0] == world.invite_a
    assert post_form(client, f"/c/{world.invite_a}", {"department": ""}).location == "/q/loopbaan-apk"
    login(client, "a@example.org")
    assert post_form(client, f"/advisor/campaigns/{world.campaign_a}/edit", {
        "title": "Nieuw", "slugs": list(BOTH), "opens_on": "2020-01-01", "closes_on": "2099-01-01",
        "departments": "Winkel\nBakkerij"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Campaign.invite_code, ).where(Campaign.id == world.campaign_a)) == before[0]
        assert db.session.get(Campaign, world.campaign_a).employer_invite_code == before[1]
