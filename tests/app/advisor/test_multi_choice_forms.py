"""Multi-choice fields of the advisor forms (a campaign's questionnaires, an organisation's advisors) are
checkbox groups: every ticked value is kept, and the group is a fieldset with its legend, hint and error."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Campaign, Organisation
from tests.support.advisor_world import login, page_text, post_form

TODAY = date.today()
BOTH = ["loopbaan-apk", "leercultuur"]


def _campaign_data(**changes) -> dict:
    return {"title": "Najaar", "slugs": BOTH, "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + timedelta(days=14)).isoformat(), "departments": ""} | changes


def _group(html: str, name: str) -> str:
    """The fieldset of the field ``name``."""
    match = re.search(rf'<fieldset[^>]*\bid="{name}".*?</fieldset>', html, re.S)
    assert match, f"no fieldset for {name}"
    return match.group(0)


def _boxes(group: str) -> list[str]:
    return re.findall(r"<input[^>]*>", group)


def test_the_campaign_form_draws_the_questionnaires_as_checkboxes_in_a_fieldset(client, world):
    login(client, "a@example.org")
    html = client.get(f"/advisor/organisations/{world.org_a}/campaigns/new").get_data(as_text=True)
    group = _group(html, "slugs")
    assert "<legend>Vragenlijsten</legend>" in group
    assert 'aria-describedby="slugs-hint"' in group and 'id="slugs-hint"' in group
    boxes = _boxes(group)
    assert len(boxes) == 2 and all('type="checkbox"' in b and 'name="slugs"' in b for b in boxes)
    assert not any("required" in b for b in boxes)  # a required box would ask for every box
    for box in boxes:  # each box has its own label
        box_id = re.search(r'id="([^"]+)"', box).group(1)
        assert f'<label class="choice" for="{box_id}">' in group
    assert 'type="radio"' not in group


def test_a_campaign_created_with_both_questionnaires_keeps_both_and_an_edit_keeps_them(app, client, world):
    login(client, "a@example.org")
    response = post_form(client, f"/advisor/organisations/{world.org_a}/campaigns/new", _campaign_data())
    assert response.status_code == 302
    campaign_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).slugs == BOTH

    group = _group(client.get(f"/advisor/campaigns/{campaign_id}/edit").get_data(as_text=True), "slugs")
    assert all("checked" in box for box in _boxes(group))  # the edit form shows both ticked

    edited = post_form(client, f"/advisor/campaigns/{campaign_id}/edit", _campaign_data(title="Najaar 2027"))
    assert edited.status_code == 302
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert (campaign.title, campaign.slugs) == ("Najaar 2027", BOTH)


def test_no_questionnaire_ticked_is_an_error_tied_to_the_group(app, client, world):
    login(client, "a@example.org")
    response = post_form(client, f"/advisor/organisations/{world.org_a}/campaigns/new",
                         _campaign_data(slugs=[]))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    group = _group(html, "slugs")
    assert 'aria-describedby="slugs-hint slugs-error"' in group
    assert 'id="slugs-error"' in group and "Kies minstens één vragenlijst." in page_text(response)
    assert all('aria-invalid="true"' in box for box in _boxes(group))
    assert 'href="#slugs-error"' in html  # the error summary links to it
    with app.app_context():
        assert db.session.scalar(select(Campaign).where(Campaign.title == "Najaar")) is None


def test_an_unknown_questionnaire_is_refused(client, world):
    login(client, "a@example.org")
    response = post_form(client, f"/advisor/organisations/{world.org_a}/campaigns/new",
                         _campaign_data(slugs=["loopbaan-apk", "onbekend"]))
    assert response.status_code == 400


def test_an_organisation_saved_with_two_advisors_keeps_both(app, client, world):
    login(client, "admin@example.org")
    url = f"/advisor/organisations/{world.org_a}/edit"
    group = _group(client.get(url).get_data(as_text=True), "advisors")
    assert "<legend>Adviseurs van deze organisatie</legend>" in group
    boxes = _boxes(group)
    assert len(boxes) == 2 and all('type="checkbox"' in b and "required" not in b for b in boxes)
    assert [("checked" in b) for b in boxes] == [True, False]  # a@ is org A's advisor, b@ is not

    response = post_form(client, url, {"name": "Bakkerij Alfa", "sector": "", "size": "10_49",
                                       "advisors": [str(world.advisor_a), str(world.advisor_b)]})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organisation, world.org_a)
        assert sorted(u.id for u in org.advisors) == sorted([world.advisor_a, world.advisor_b])
    group = _group(client.get(url).get_data(as_text=True), "advisors")
    assert all("checked" in box for box in _boxes(group))

    # Both advisors now see the organisation.
    for email in ("a@example.org", "b@example.org"):
        other = app.test_client()
        login(other, email)
        assert other.get(f"/advisor/organisations/{world.org_a}").status_code == 200


def test_a_new_organisation_with_two_advisors_keeps_both(app, client, world):
    login(client, "admin@example.org")
    response = post_form(client, "/advisor/organisations/new",
                         {"name": "Drukkerij Delta", "sector": "Grafisch", "size": "1_9",
                          "advisors": [str(world.advisor_a), str(world.advisor_b)]})
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Drukkerij Delta"))
        assert sorted(u.id for u in org.advisors) == sorted([world.advisor_a, world.advisor_b])
