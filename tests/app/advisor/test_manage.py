"""Changing and deleting campaigns, and deleting organisations: what responses use stays, deleting
asks for confirmation when answers go with it, and it all happens in one step or not at all."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Campaign, Department, Organisation, Response, SharedReport
from tests.support.advisor_world import login, page_text, post_form, worker_response

TODAY = date.today()


def _edit(client, campaign_id: int, **changes):
    data = {"title": "Voorjaar", "slugs": ["loopbaan-apk"], "opens_on": (TODAY - timedelta(days=1)).isoformat(),
            "closes_on": (TODAY + timedelta(days=10)).isoformat(), "departments": "Winkel\nBakkerij"} | changes
    return post_form(client, f"/advisor/campaigns/{campaign_id}/edit", data)


def _campaign(app, campaign_id: int) -> tuple[Campaign | None, list[str]]:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        names = sorted(d.name for d in campaign.departments) if campaign else []
        if campaign:
            db.session.expunge(campaign)
        return campaign, names


def _responses(app, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(Response)
        for column, value in where.items():
            query = query.where(getattr(Response, column) == value)
        return db.session.scalar(query)


def test_the_edit_form_shows_the_campaign_as_it_is(client, world):
    login(client, "a@example.org")
    text = page_text(client.get(f"/advisor/campaigns/{world.campaign_a}/edit"))
    assert "Campagne wijzigen" in text and "De uitnodigingslink blijft dezelfde" in text
    html = client.get(f"/advisor/campaigns/{world.campaign_a}/edit").get_data(as_text=True)
    assert 'value="Voorjaar"' in html and "Bakkerij\nWinkel</textarea>" in html


def test_an_advisor_changes_title_dates_and_departments_and_the_invite_link_stays(app, client, world):
    login(client, "a@example.org")
    closes = TODAY + timedelta(days=30)
    response = _edit(client, world.campaign_a, title="Voorjaar 2027", closes_on=closes.isoformat(),
                     departments="winkel\nKantoor\n", slugs=["loopbaan-apk", "leercultuur"])
    assert response.status_code == 302 and response.location == f"/advisor/campaigns/{world.campaign_a}"
    campaign, departments = _campaign(app, world.campaign_a)
    assert (campaign.title, campaign.closes_on, campaign.slugs) == ("Voorjaar 2027", closes,
                                                                     ["loopbaan-apk", "leercultuur"])
    assert departments == ["Kantoor", "winkel"]  # Bakkerij (unused) removed, Winkel renamed, Kantoor added
    assert campaign.invite_code == world.invite_a
    assert "De campagne is gewijzigd." in page_text(client.get(response.location))


def test_a_questionnaire_or_department_in_use_cannot_be_taken_away(app, client, world, defs):
    with app.app_context():
        winkel = db.session.scalar(select(Department).where(Department.campaign_id == world.campaign_a,
                                                            Department.name == "Winkel"))
        winkel_id = winkel.id
        worker_response(defs, campaign_id=world.campaign_a, department_id=winkel_id)
    login(client, "a@example.org")
    refused = _edit(client, world.campaign_a, slugs=["leercultuur"], departments="Bakkerij", title="Anders")
    assert refused.status_code == 400
    text = page_text(refused)
    assert "Deze vragenlijst is al ingevuld en blijft in de campagne: Loopbaan-APK" in text
    assert "Deze afdelingen zijn al gekozen door deelnemers en blijven staan: Winkel." in text
    campaign, departments = _campaign(app, world.campaign_a)
    assert (campaign.title, campaign.slugs, departments) == ("Voorjaar", ["loopbaan-apk"], ["Bakkerij", "Winkel"])
    # Dropping only the unused department is fine, and the used one keeps its id (and so its answers).
    assert _edit(client, world.campaign_a, departments="Winkel").status_code == 302
    _, departments = _campaign(app, world.campaign_a)
    assert departments == ["Winkel"]
    with app.app_context():
        assert db.session.get(Department, winkel_id).name == "Winkel"


def test_deleting_a_campaign_with_answers_needs_a_tick_and_then_takes_them_along(app, client, world):
    login(client, "a@example.org")
    url = f"/advisor/campaigns/{world.campaign_a}/delete"
    text = page_text(client.get(url))
    assert "Via deze campagne zijn 5 vragenlijsten ingevuld of begonnen." in text
    assert "Ja, verwijder ook de ingevulde vragenlijsten" in text
    refused = post_form(client, url, {})
    assert refused.status_code == 400
    assert "Zet een vinkje om te bevestigen" in page_text(refused)
    assert _campaign(app, world.campaign_a)[0] is not None and _responses(app, campaign_id=world.campaign_a) == 5
    all_before = _responses(app)

    deleted = post_form(client, url, {"confirm": "y"})
    assert deleted.status_code == 302 and deleted.location == f"/advisor/organisations/{world.org_a}"
    assert _campaign(app, world.campaign_a)[0] is None
    assert _responses(app, campaign_id=world.campaign_a) == 0
    assert _responses(app) == all_before - 5  # only that campaign's answers
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Department)
                                 .where(Department.campaign_id == world.campaign_a)) == 0
    assert "De campagne Voorjaar is verwijderd." in page_text(client.get(deleted.location))
    assert client.get(f"/c/{world.invite_a}").status_code == 404  # the printed link no longer works


def test_an_empty_campaign_is_deleted_without_a_tick(app, client, world):
    login(client, "b@example.org")
    url = f"/advisor/campaigns/{world.campaign_b}/delete"
    text = page_text(client.get(url))
    assert "Er is nog geen vragenlijst via deze campagne ingevuld of begonnen." in text
    assert "Ja, verwijder ook" not in text
    assert post_form(client, url, {}).status_code == 302
    assert _campaign(app, world.campaign_b)[0] is None


def test_an_admin_deletes_an_organisation_its_campaigns_and_their_answers_but_not_shared_reports(app, client, world):
    with app.app_context():
        shared_response = db.session.get(SharedReport, world.shared_a).response_id
    url = f"/advisor/organisations/{world.org_a}/delete"
    advisor = app.test_client()
    login(advisor, "a@example.org")
    assert advisor.get(url).status_code == 403  # advisors do not delete organisations
    assert post_form(advisor, url, {"confirm": "y"}, page_url="/advisor/").status_code == 403
    login(client, "admin@example.org")
    text = page_text(client.get(url))
    assert "U verwijdert Bakkerij Alfa met 1 campagne" in text
    assert "Via de campagnes zijn 5 vragenlijsten ingevuld of begonnen." in text
    assert post_form(client, url, {}).status_code == 400
    with app.app_context():
        assert db.session.get(Organisation, world.org_a) is not None

    deleted = post_form(client, url, {"confirm": "y"})
    assert deleted.status_code == 302 and deleted.location == "/advisor/"
    with app.app_context():
        assert db.session.get(Organisation, world.org_a) is None
        assert db.session.get(Campaign, world.campaign_a) is None
        assert db.session.get(SharedReport, world.shared_a) is None
        assert db.session.get(Response, shared_response) is not None  # the worker keeps their report
        assert db.session.get(Organisation, world.org_b) is not None
    assert _responses(app, campaign_id=world.campaign_a) == 0
    assert "De organisatie Bakkerij Alfa is verwijderd." in page_text(client.get("/advisor/"))
