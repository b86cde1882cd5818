"""Campaign follow-up (issue 18): responses per release on the campaign page, the printable reminder,
and the organisation's campaigns over time with the team profile of each one's release.

Everything here is read from the stored releases: a response the release rule has not let in yet
changes no number on these pages.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from app.extensions import db
from app.models import Campaign
from tests.support.team_data import WORKERS, fill, logged_in, make_campaign, store, worker_keyed


def _open(app, org_id: int | None = None, title: str = "Voorjaar", opens_ago: int = 10) -> tuple[int, int]:
    campaign_id, org_id, _deps = make_campaign(app, title=title, org_id=org_id)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.opens_on = date.today() - timedelta(days=opens_ago)
        campaign.closes_on = date.today() + timedelta(days=20)
        db.session.commit()
    return campaign_id, org_id


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _history(text: str) -> str:
    """The follow-up table's text on the campaign page."""
    start = text.index("Ingevulde vragenlijsten per stand")
    return text[start:text.index("Teamrapport", start)]


def _chart(response) -> str:
    """The follow-up chart (an inline SVG in a figure) on the campaign page."""
    found = re.search(r'<figure class="chart history-chart">.*?</figure>', response.get_data(as_text=True), re.S)
    return found.group(0) if found else ""


def test_the_follow_up_table_follows_the_releases_not_the_responses(app):
    campaign_id, org_id = _open(app)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    fill(app, campaign_id, WORKERS[:4])
    text = _text(advisor.get(f"/advisor/campaigns/{campaign_id}"))
    assert "Respons per stand" in text and "Ingevulde vragenlijsten per stand" not in text
    assert "Er is nog geen stand van de cijfers" in text
    store(app, "loopbaan-apk", WORKERS[4], campaign_id)  # the fifth: release 1
    first = _history(_text(advisor.get(f"/advisor/campaigns/{campaign_id}")))
    assert re.search(r"stand 1 \d+ \w+ \d{4} 5 \+5", first), first
    chart = _chart(advisor.get(f"/advisor/campaigns/{campaign_id}"))
    assert "<svg" in chart and " style=" not in chart and ">5<" in chart  # the count, written on the bar
    store(app, "loopbaan-apk", worker_keyed(3), campaign_id)  # a sixth in the open campaign
    page = advisor.get(f"/advisor/campaigns/{campaign_id}")
    assert _history(_text(page)) == first and _chart(page) == chart
    for r in range(4):  # five new since release 1: release 2 lets them in together
        store(app, "loopbaan-apk", worker_keyed(r), campaign_id)
    second = _history(_text(advisor.get(f"/advisor/campaigns/{campaign_id}")))
    assert re.search(r"stand 1 \d+ \w+ \d{4} 5 \+5 stand 2 \d+ \w+ \d{4} 10 \+5", second), second
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.closes_on = date.today() - timedelta(days=1)
        db.session.commit()
    store(app, "loopbaan-apk", worker_keyed(0), campaign_id)  # late, but before the closing release is made
    closed = _history(_text(advisor.get(f"/advisor/campaigns/{campaign_id}")))
    assert re.search(r"stand 2 \d+ \w+ \d{4} 10 \+5 eindstand \d+ \w+ \d{4} 11 \+1", closed), closed


def test_the_follow_up_table_in_english(app):
    campaign_id, org_id = _open(app)
    fill(app, campaign_id, WORKERS)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    text = _text(advisor.get(f"/advisor/campaigns/{campaign_id}?lang=en"))
    assert "Responses per release" in text and re.search(r"release 1 \w+ \d+, \d{4} 5 \+5", text), text


def test_the_reminder_has_the_invitations_link_and_qr_code_and_the_closing_date(app):
    campaign_id, org_id = _open(app)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    invitation = advisor.get(f"/advisor/campaigns/{campaign_id}/invitation").get_data(as_text=True)
    page = advisor.get(f"/advisor/campaigns/{campaign_id}/reminder")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    qr = re.search(r"<svg.*?</svg>", invitation, re.S).group(0)
    assert qr in html  # the same QR code: the same workers' link
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        link, closes = f"/c/{campaign.invite_code}", campaign.closes_on
    assert link in html and link in invitation
    text = _text(page)
    assert "Herinnering: Voorjaar" in text and "Dat kan nog tot en met" in text
    assert f"{closes.day} " in text and str(closes.year) in text
    assert "Doe mee van" not in text  # not the invitation's text
    assert "style=" not in html
    assert f'href="/advisor/campaigns/{campaign_id}/reminder"' in advisor.get(
        f"/advisor/campaigns/{campaign_id}").get_data(as_text=True)
    english = _text(advisor.get(f"/advisor/campaigns/{campaign_id}/reminder?lang=en"))
    assert "Reminder: Voorjaar" in english and "Herinnering" not in english


def test_the_reminder_is_only_for_campaigns_with_the_check_up_and_only_for_their_advisors(app):
    campaign_id, org_id = _open(app)
    other_id, _other_org = make_campaign(app, title="Elders")[:2]
    with app.app_context():
        db.session.get(Campaign, campaign_id).slugs = ["leercultuur"]
        db.session.commit()
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    assert advisor.get(f"/advisor/campaigns/{campaign_id}/reminder").status_code == 404
    assert advisor.get(f"/advisor/campaigns/{other_id}/reminder").status_code == 404
    assert app.test_client().get(f"/advisor/campaigns/{campaign_id}/reminder").status_code == 302


def test_the_organisation_page_shows_each_campaigns_release_profile(app):
    first, org_id = _open(app, title="Nulmeting", opens_ago=200)
    second, _ = _open(app, org_id=org_id, title="Vervolg")
    third, _ = _open(app, org_id=org_id, title="Net begonnen")
    fill(app, first, WORKERS)  # motivation 65, awareness 50, means 50, opportunities 50
    fill(app, second, [worker_keyed(4)] * 5)  # motivation 100, awareness 100, means 57, opportunities 50
    fill(app, third, WORKERS[:4])  # below k: no figures
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    text = _text(advisor.get(f"/advisor/organisations/{org_id}"))
    table = text[text.index("Teamprofiel per campagne"):]
    assert "Campagne Stand Ingevuld Motivatie Bewustzijn Middelen Kansen" in table
    assert re.search(r"Nulmeting \(.*?\) stand 1 5 65 50 50 50 Vervolg \(.*?\) stand 1 5 100 100 57 50 "
                     r"Net begonnen \(.*?\) nog geen stand – Nog geen cijfers: minder dan 5 werkenden", table), table
    store(app, "loopbaan-apk", worker_keyed(0), second)  # one more in the open campaign: nothing changes
    again = _text(advisor.get(f"/advisor/organisations/{org_id}"))
    assert again[again.index("Teamprofiel per campagne"):] == table
    english = _text(advisor.get(f"/advisor/organisations/{org_id}?lang=en"))
    assert "Campaigns over time" in english and "Motivation" in english


def test_the_organisation_page_hides_a_factor_mean_below_k(app):
    """Four of five scored on opportunities (one skipped its questions): that mean stays hidden."""
    from sqlalchemy import select

    from app.models import Response
    from app.responses.codes import code_hash
    from tests.support.flows import profile_for
    from tests.support.team_data import questionnaire, raw

    campaign_id, org_id = _open(app)
    fill(app, campaign_id, WORKERS[:4])
    q = questionnaire(app, "loopbaan-apk")
    answers = {i: v for i, v in raw(q, WORKERS[4]).items() if not i.startswith("kan_")}
    posted = app.test_client().post("/api/v1/questionnaires/loopbaan-apk/responses",
                                    json={"answers": answers, "profile": profile_for(q)})
    assert posted.status_code == 201, posted.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(Response).where(
            Response.report_hash == code_hash(posted.get_json()["report_code"])))
        row.campaign_id = campaign_id
        db.session.commit()
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    text = _text(advisor.get(f"/advisor/organisations/{org_id}"))
    assert re.search(r"Voorjaar \(.*?\) stand 1 5 65 50 50 –", text), text
