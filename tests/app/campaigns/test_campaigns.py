"""Campaigns: creating one (validation), the invite flow, the API with a campaign code, the dashboard
below and above k (with complementary suppression), and the printable invitation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.campaigns.dashboard import dashboard
from app.campaigns.service import parse_departments
from app.extensions import db
from app.models import Campaign, Organisation, Response
from tests.support.advisor_world import login, make_campaign, page_text, post_form, worker_response
from tests.support.flows import WORKER_PROFILE, complete

TODAY = date.today()


def _campaign_data(**kw) -> dict:
    return {"title": "Najaar", "slugs": ["loopbaan-apk"], "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + timedelta(days=14)).isoformat(), "departments": ""} | kw


def _campaigns(app) -> list[Campaign]:
    with app.app_context():
        rows = list(db.session.scalars(select(Campaign).order_by(Campaign.id)))
        for c in rows:
            c.departments  # noqa: B018  (load before detaching)
        db.session.expunge_all()
        return rows


def test_advisor_creates_a_campaign_with_deduplicated_departments(app, client, world):
    login(client, "a@example.org")
    url = f"/advisor/organisations/{world.org_a}/campaigns/new"
    response = post_form(client, url, _campaign_data(
        slugs=["loopbaan-apk", "leercultuur"], departments="Winkel\n  winkel \n\nBakkerij   oven\nWinkel\n"))
    assert response.status_code == 302
    campaign = _campaigns(app)[-1]
    assert campaign.slugs == ["loopbaan-apk", "leercultuur"] and campaign.title == "Najaar"
    assert sorted(d.name for d in campaign.departments) == ["Bakkerij oven", "Winkel"]
    assert response.location == f"/advisor/campaigns/{campaign.id}"


@pytest.mark.parametrize(("data", "message"), [
    ({"slugs": []}, "Kies minstens één vragenlijst."),
    ({"slugs": ["onbekend"]}, "Not a valid choice"),
    ({"closes_on": (TODAY - timedelta(days=1)).isoformat()}, "De einddatum moet op of na de begindatum liggen."),
    ({"opens_on": "morgen"}, "Vul een datum in zoals 31-12-2026."),
    ({"title": ""}, "Vul een titel in."),
    ({"departments": "x" * 101}, "maximaal 100 tekens"),
    # The export's group of the departments not shown: a department of that name would pass for it.
    ({"departments": "Winkel\n overig "}, "Een afdeling mag niet 'overig' heten"),
    ({"departments": "Other"}, "Een afdeling mag niet 'Other' heten"),
])
def test_an_invalid_campaign_is_refused_with_a_message_and_nothing_is_stored(app, client, world, data, message):
    login(client, "a@example.org")
    before = len(_campaigns(app))
    response = post_form(client, f"/advisor/organisations/{world.org_a}/campaigns/new", _campaign_data(**data))
    assert response.status_code == 400
    if message != "Not a valid choice":
        assert message in page_text(response)
    assert len(_campaigns(app)) == before


def test_parse_departments():
    assert parse_departments(" A \n\nb\na\nB  c") == (["A", "b", "B c"], None)
    assert parse_departments("")[0] == []


def _invite(client, code: str, **data):
    return post_form(client, f"/c/{code}", data)


def test_invite_flow_links_the_response_to_campaign_and_department(app, client, world, defs, responses):
    page = client.get(f"/c/{world.invite_a}")
    text = page_text(page)
    assert page.status_code == 200
    assert "Bakkerij Alfa" in text and "Voorjaar" in text and "anoniem" in text and "minstens 5" in text
    assert "Zeg ik liever niet" in text
    campaign = _campaigns(app)[0]
    winkel = next(d for d in campaign.departments if d.name == "Winkel")
    start = _invite(client, world.invite_a, department=str(winkel.id))
    assert start.status_code == 302 and start.location == "/q/loopbaan-apk"
    before = {r.id for r in responses()}
    final = complete(client, defs.questionnaires["loopbaan-apk"])
    assert final.status_code == 302 and final.location.startswith("/r/")
    (new,) = [r for r in responses() if r.id not in before]
    assert new.campaign_id == world.campaign_a and new.department_id == winkel.id
    assert new.status == Response.COMPLETED


def test_invite_without_department_and_a_later_own_check_up_is_not_linked(app, client, world, defs, responses):
    _invite(client, world.invite_a, department="")
    complete(client, defs.questionnaires["loopbaan-apk"])
    complete(client, defs.questionnaires["loopbaan-apk"])  # straight through /q/: no campaign any more
    linked = [(r.campaign_id, r.department_id) for r in responses() if r.campaign_id]
    assert (world.campaign_a, None) in linked
    assert sum(1 for r in responses() if r.campaign_id == world.campaign_a) == 6  # 5 in the world + 1


def test_a_campaign_with_two_questionnaires_has_a_link_for_each(app, client, world):
    # More in tests/app/campaigns/test_invites_per_audience.py.
    with app.app_context():
        org = db.session.get(Organisation, world.org_b)
        campaign = make_campaign(org, slugs=("loopbaan-apk", "leercultuur"))
        workers, employer = campaign.invite_code, campaign.employer_invite_code
    assert "Welke vragenlijst" not in page_text(client.get(f"/c/{workers}"))
    assert _invite(client, workers, questionnaire="leercultuur").location == "/q/loopbaan-apk"
    assert _invite(client, employer).location == "/q/leercultuur"


@pytest.mark.parametrize(("days", "message"), [((2, 9), "nog niet open"), ((-9, -1), "is gesloten")])
def test_a_closed_campaign_says_so_and_starts_nothing(app, client, world, responses, days, message):
    with app.app_context():
        code = make_campaign(db.session.get(Organisation, world.org_b), days_open=days).invite_code
    page = client.get(f"/c/{code}")
    assert page.status_code == 200 and message in page_text(page) and "<form" not in page.get_data(as_text=True)
    count = len(responses())
    client.post(f"/c/{code}", data={})
    assert client.get("/q/loopbaan-apk/stap/1").status_code == 302
    assert len(responses()) == count


def test_an_unknown_invite_code_is_404(client, world):
    assert client.get("/c/no-such-code").status_code == 404


def _api_body(defs, **extra) -> dict:
    q = defs.questionnaires["loopbaan-apk"]
    return {"answers": {i.id: 3 for i in q.items}, "profile": dict(WORKER_PROFILE), **extra}


def test_api_response_with_a_campaign_code_is_linked(client, world, defs, responses):
    body = _api_body(defs, campaign=world.invite_a)
    response = client.post("/api/v1/questionnaires/loopbaan-apk/responses", json=body)
    assert response.status_code == 201
    assert responses()[-1].campaign_id == world.campaign_a


@pytest.mark.parametrize(("code", "days", "problem"), [
    ("unknown-code-xyz", None, "unknown campaign code"),
    (None, (-9, -1), "the campaign is closed"),
    (42, None, "unknown campaign code"),
])
def test_api_refuses_an_unknown_or_closed_campaign_code(app, client, world, defs, responses, code, days, problem):
    if days:
        with app.app_context():
            code = make_campaign(db.session.get(Organisation, world.org_b), days_open=days).invite_code
    count = len(responses())
    response = client.post("/api/v1/questionnaires/loopbaan-apk/responses", json=_api_body(defs, campaign=code))
    assert response.status_code == 400
    assert {"field": "campaign", "problem": problem} in response.get_json()["error"]["details"]
    assert len(responses()) == count


def test_api_score_does_not_take_a_campaign(client, world, defs):
    response = client.post("/api/v1/questionnaires/loopbaan-apk/score", json=_api_body(defs, campaign=world.invite_a))
    assert response.status_code == 400


def _dept_ids(app, campaign_id: int) -> dict[str, int]:
    with app.app_context():
        return {d.name: d.id for d in db.session.get(Campaign, campaign_id).departments}


def test_dashboard_counts_started_and_completed(app, world, defs):
    with app.app_context():
        q = defs.questionnaires["loopbaan-apk"]
        from app.responses import store as service

        service.start(q, WORKER_PROFILE, "nl", campaign_id=world.campaign_a)
        (row,) = dashboard(db.session.get(Campaign, world.campaign_a), k=5)
    assert (row.counts.started, row.counts.completed, row.counts.rate) == (6, 5, 83)


def test_department_figures_only_at_k_with_complementary_suppression(app, world, defs):
    ids = _dept_ids(app, world.campaign_a)
    with app.app_context():
        for _ in range(5):
            worker_response(defs, campaign_id=world.campaign_a, department_id=ids["Winkel"])
        for _ in range(2):
            worker_response(defs, campaign_id=world.campaign_a, department_id=ids["Bakkerij"])
        campaign = db.session.get(Campaign, world.campaign_a)
        (row,) = dashboard(campaign, k=5)
        shown = {d.name: d.counts.completed for d in row.departments}
        # Bakkerij's two wait for the release that can let them in (k together); the figures hold
        # Winkel's five and the five without a department (from the world), who get no row.
        assert shown["Bakkerij"] is None and None not in shown
        assert row.counts.completed == 10 and row.counts.started == 12
        assert sorted(v for v in shown.values() if v is not None) == [5]
        (row3,) = dashboard(campaign, k=3)
        figures = {d.name: d.counts.completed for d in row3.departments}
        assert figures["Bakkerij"] is None and sorted(v for v in figures.values() if v is not None) == [5]
        worker_response(defs, campaign_id=world.campaign_a, department_id=ids["Bakkerij"])
        (row3,) = dashboard(campaign, k=3)  # three wait in Bakkerij: at k = 3 they go in together
        assert {d.name: d.counts.completed for d in row3.departments} == {"Winkel": 5, "Bakkerij": 3}
        assert row3.counts.completed == 13


def test_campaign_page_shows_minder_dan_k_without_the_number(app, client, world, defs):
    ids = _dept_ids(app, world.campaign_a)
    with app.app_context():
        for _ in range(2):
            worker_response(defs, campaign_id=world.campaign_a, department_id=ids["Bakkerij"])
    login(client, "a@example.org")
    page = client.get(f"/advisor/campaigns/{world.campaign_a}")
    text = page_text(page)
    assert page.status_code == 200
    # The two in Bakkerij wait for the next release: started counts now, completed by the release.
    assert "Totaal 7 5 71%" in text and "U ziet stand 1 van de cijfers" in text
    assert "Bakkerij minder dan 5 ingevuld" in text and "Bakkerij 2" not in text
    assert f"/advisor/campaigns/{world.campaign_a}/report" in page.get_data(as_text=True)


def test_invitation_page_has_an_inline_svg_qr_code_without_style_attributes(client, world):
    login(client, "a@example.org")
    page = client.get(f"/advisor/campaigns/{world.campaign_a}/invitation")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<svg viewBox="0 0' in html and 'class="qr"' in html
    assert "style=" not in html and "<style" not in html
    assert f"http://localhost/c/{world.invite_a}" in html
    assert "Bakkerij Alfa" in html and html.count("<li>") >= 3


@pytest.mark.parametrize(("accepted_days_ago", "linked"), [(1, True), (2, False)])
def test_a_campaign_closing_after_the_invite_was_accepted_keeps_the_response_for_a_day(
        app, client, world, defs, responses, accepted_days_ago, linked):
    """The invite was accepted while the campaign was open; it closed before the first page was sent."""
    _invite(client, world.invite_a, department="")
    accepted = TODAY - timedelta(days=accepted_days_ago)
    with client.session_transaction() as session:
        invite = session["invite"]
        invite["loopbaan-apk"][2] = accepted.isoformat()
        session["invite"] = invite
    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_a)
        campaign.opens_on, campaign.closes_on = accepted - timedelta(days=7), accepted  # closed since then
        db.session.commit()
    before = {r.id for r in responses()}
    complete(client, defs.questionnaires["loopbaan-apk"])
    (new,) = [r for r in responses() if r.id not in before]
    assert (new.campaign_id == world.campaign_a) is linked


def test_campaign_for_accepted_invite_rules(app, world):
    from app.campaigns.invites import campaign_for_accepted_invite

    with app.app_context():
        campaign = db.session.get(Campaign, world.campaign_a)
        campaign.opens_on, campaign.closes_on = TODAY - timedelta(days=10), TODAY - timedelta(days=1)
        db.session.commit()
        code = world.invite_a
        assert campaign_for_accepted_invite(code, "loopbaan-apk", TODAY - timedelta(days=1)) is not None
        assert campaign_for_accepted_invite(code, "loopbaan-apk", TODAY) is None  # accepted after it closed
        assert campaign_for_accepted_invite(code, "loopbaan-apk", None) is None  # an older session: no date
        assert campaign_for_accepted_invite(code, "leercultuur", TODAY - timedelta(days=1)) is None
        assert campaign_for_accepted_invite("unknown", "loopbaan-apk", TODAY - timedelta(days=1)) is None
        campaign.closes_on = TODAY + timedelta(days=1)
        db.session.commit()
        assert campaign_for_accepted_invite(code, "loopbaan-apk", None) is not None  # open: always


def test_an_invite_posted_with_a_blank_department_is_no_department_not_a_500(app, client, world, defs, responses):
    """A blank answer counts as no answer (WTForms' ``Optional``): the worker joins without a department."""
    assert _invite(client, world.invite_a, department=" ").status_code == 302
    before = {r.id for r in responses()}
    complete(client, defs.questionnaires["loopbaan-apk"])
    (new,) = [r for r in responses() if r.id not in before]
    assert (new.campaign_id, new.department_id) == (world.campaign_a, None)
