"""Floods: new responses limited per browser session and per client address and campaign, PDFs per
session and per address, all respondent posts per address; a 429 page in the user's language with
``Retry-After``, the API's JSON error. The limits are on in the test config, as in production."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from app import create_app
from app.advisor import team as team_views
from app.extensions import db
from app.models import Campaign
from app.respondent import report as report_views
from app.respondent.session import RESUME_KEY
from tests.support.advisor_world import login, page_text, post_form
from tests.support.flows import WORKER_PROFILE, csrf_token, post_profile
from tests.support.reports import store_report

SLUG = "loopbaan-apk"
RESPONSES = f"/api/v1/questionnaires/{SLUG}/responses"
FAKE_PDF = b"%PDF-1.7 (a test stand-in: the limits are what is tested here, not WeasyPrint)"


def start_new(client, q):
    """Post the first page for a new response, as after sending the last one (no unfinished response)."""
    with client.session_transaction() as session:
        session[RESUME_KEY] = {}
    return post_profile(client, q)


def api_body(defs, **extra) -> dict:
    return {"answers": {i.id: 3 for i in defs.questionnaires[SLUG].items}, "profile": dict(WORKER_PROFILE), **extra}


def test_the_eleventh_new_response_from_one_browser_session_gets_429_and_stores_nothing(app, client, defs,
                                                                                        responses):
    q = defs.questionnaires[SLUG]
    for n in range(10):
        started = start_new(client, q)
        assert started.status_code == 302 and started.location == f"/q/{SLUG}/stap/1", n
    assert len(responses()) == 10
    refused = start_new(client, q)
    assert refused.status_code == 429
    assert "text/html" in refused.content_type
    # An hourly limit: the page says how many minutes, the header how many seconds.
    assert 55 * 60 < int(refused.headers["Retry-After"]) <= 3600
    text = page_text(refused)
    assert "Even geduld" in text and "Probeer het over 60 minuten opnieuw." in text
    assert len(responses()) == 10
    # Another browser at the same address starts one: the address has a larger budget.
    assert post_profile(app.test_client(), q).status_code == 302
    assert len(responses()) == 11


def test_posting_the_profile_again_is_no_new_response_and_never_refused(app, client, defs, responses):
    app.config["RESPONSES_RATELIMIT_SESSION"] = "1/hour"
    q = defs.questionnaires[SLUG]
    assert post_profile(client, q).status_code == 302  # the one new response of this hour
    for sector in ("zorg", "bouw", "techniek"):  # back to the first page, another answer, "Volgende"
        assert post_profile(client, q, {**WORKER_PROFILE, "sector": sector}).status_code == 302
    assert [r.profile["sector"] for r in responses()] == ["techniek"]
    assert start_new(client, q).status_code == 429
    assert len(responses()) == 1


def test_a_form_with_errors_counts_no_new_response(app, client, defs, responses):
    app.config["RESPONSES_RATELIMIT_SESSION"] = "1/hour"
    q = defs.questionnaires[SLUG]
    for _ in range(3):
        assert post_profile(client, q, {"sector": "geen-sector"}).status_code == 400
    assert post_profile(client, q).status_code == 302
    assert len(responses()) == 1


def _invite_code(app, campaign_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(Campaign.invite_code).where(Campaign.id == campaign_id))


def _in_campaign(responses, campaign_id: int) -> int:
    return sum(1 for r in responses() if r.campaign_id == campaign_id)


def test_31_responses_from_one_address_for_one_campaign_get_429_another_campaign_still_works(
        app, world, defs, responses):
    client = app.test_client()
    for n in range(30):
        assert client.post(RESPONSES, json=api_body(defs, campaign=world.invite_a)).status_code == 201, n
    assert _in_campaign(responses, world.campaign_a) == 5 + 30  # the world's five, through no limit
    refused = client.post(RESPONSES, json=api_body(defs, campaign=world.invite_a))
    assert refused.status_code == 429
    assert refused.get_json() == {"error": {"message": "Too many requests. Wait a moment and try again.",
                                            "details": []}}
    assert int(refused.headers["Retry-After"]) > 55 * 60
    assert _in_campaign(responses, world.campaign_a) == 35
    # Each campaign has its own bucket, and so has "no campaign"; another address has its own counters.
    assert client.post(RESPONSES, json=api_body(defs, campaign=_invite_code(app, world.campaign_b))).status_code == 201
    assert client.post(RESPONSES, json=api_body(defs)).status_code == 201
    elsewhere = client.post(RESPONSES, json=api_body(defs, campaign=world.invite_a),
                            environ_base={"REMOTE_ADDR": "192.0.2.44"})
    assert elsewhere.status_code == 201
    assert _in_campaign(responses, world.campaign_a) == 36


def test_the_pages_and_the_api_share_the_campaign_budget_of_an_address(app, world, defs, responses):
    app.config["RESPONSES_RATELIMIT_ADDRESS"] = "3/hour"
    for _ in range(3):
        assert app.test_client().post(RESPONSES, json=api_body(defs, campaign=world.invite_a)).status_code == 201
    worker = app.test_client()
    assert post_form(worker, f"/c/{world.invite_a}", {"department": ""}).status_code == 302
    refused = post_profile(worker, defs.questionnaires[SLUG])
    assert refused.status_code == 429
    assert "Even geduld" in page_text(refused)
    assert _in_campaign(responses, world.campaign_a) == 5 + 3
    # Without the invite, from the same address: the "no campaign" bucket.
    assert post_profile(app.test_client(), defs.questionnaires[SLUG]).status_code == 302


def test_refused_or_invalid_api_posts_count_no_new_response(app, client, defs):
    app.config["RESPONSES_RATELIMIT_ADDRESS"] = "2/hour"
    for body in ({"answers": {}}, api_body(defs, campaign="no-such-campaign"), api_body(defs, lang="fr")):
        assert client.post(RESPONSES, json=body).status_code == 400
    assert [client.post(RESPONSES, json=api_body(defs)).status_code for _ in range(3)] == [201, 201, 429]


@pytest.fixture
def fake_pdf(monkeypatch):
    """PDFs without WeasyPrint (about a second each): what is tested here is how many are made."""
    for module in (report_views, team_views):
        monkeypatch.setattr(module, "render_pdf", lambda html, base_url: FAKE_PDF)


def test_pdfs_are_limited_to_ten_a_minute_per_browser_session(app, fake_pdf):
    app.config["PDF_RATELIMIT_ADDRESS"] = "100/minute"  # the session's own limit, not the address's burst
    code = store_report(app)
    pdf = f"/r/{code}/pdf"
    browser = app.test_client()
    assert browser.get(f"/r/{code}").status_code == 200  # the report page, where the PDF link is
    for n in range(10):
        made = browser.get(pdf)
        assert made.status_code == 200 and made.data == FAKE_PDF, n
    refused = browser.get(pdf)
    assert refused.status_code == 429 and refused.data != FAKE_PDF
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Wacht een minuut en probeer het dan opnieuw." in page_text(refused)
    assert refused.headers["Content-Security-Policy"].startswith("default-src 'self'")
    # Another browser at the same address has a session budget of its own.
    other = app.test_client()
    assert other.get(f"/r/{code}").status_code == 200
    assert other.get(pdf).status_code == 200


def test_pdfs_from_one_address_at_most_five_in_ten_seconds_and_thirty_a_minute(app, fake_pdf):
    code = store_report(app)
    pdf = f"/r/{code}/pdf"
    # Clients without a session (no cookies) meet only the address limits.
    statuses = [app.test_client().get(pdf).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    app.config["PDF_RATELIMIT_ADDRESS"] = "30/minute"  # the minute's budget alone, without waiting out the burst
    address = {"REMOTE_ADDR": "192.0.2.80"}
    statuses = [app.test_client().get(pdf, environ_base=address).status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]


def test_the_team_report_pdf_shares_the_pdf_budget(app, client, world, fake_pdf):
    app.config["PDF_RATELIMIT_SESSION"] = "2/minute"
    code = store_report(app)
    assert login(client, "a@example.org").status_code == 302
    team_pdf = f"/advisor/campaigns/{world.campaign_a}/report.pdf"
    assert client.get(f"/r/{code}/pdf").status_code == 200
    assert client.get(team_pdf).status_code == 200
    refused = client.get(team_pdf)
    assert refused.status_code == 429 and refused.data != FAKE_PDF


def test_respondent_posts_are_limited_per_address_on_the_page_in_english(app, client, defs):
    app.config["RESPONDENT_RATELIMIT_POST"] = "3/minute"
    q = defs.questionnaires[SLUG]
    assert client.get("/?lang=en").status_code == 200
    for _ in range(3):
        assert post_profile(client, q, {"sector": "geen-sector"}).status_code == 400
    refused = post_profile(client, q)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    text = page_text(refused)
    assert "Please wait" in text and "Wait a minute and then try again." in text
    # Pages are read without limit; another address has its own budget.
    assert client.get(f"/q/{SLUG}").status_code == 200
    token = csrf_token(client.get(f"/q/{SLUG}").get_data(as_text=True))
    fields = {f"p_{key}": value for key, value in WORKER_PROFILE.items()} | {"csrf_token": token}
    assert client.post(f"/q/{SLUG}", data=fields).status_code == 429
    assert client.post(f"/q/{SLUG}", data=fields, environ_base={"REMOTE_ADDR": "192.0.2.9"}).status_code == 302


def test_the_hourly_wait_in_english(app, client, defs):
    app.config["RESPONSES_RATELIMIT_SESSION"] = "1/hour"
    q = defs.questionnaires[SLUG]
    client.get("/?lang=en")
    assert start_new(client, q).status_code == 302
    refused = start_new(client, q)
    assert refused.status_code == 429
    assert "Too many requests came from this browser or this network. Try again in 60 minutes." in page_text(refused)


def test_the_first_page_posted_again_while_the_database_is_away_is_503_not_500(defs, caplog):
    """Whether a post changes an unfinished response is looked up in the database; when that does not
    answer, the page says "try again" as every page does, and the limiter's counters are not blamed."""
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SERVER_NAME": "localhost", "WTF_CSRF_ENABLED": False,
                      # Nothing listens on port 9 of this machine: every connection is refused.
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"})
    client = app.test_client()
    with client.session_transaction() as session:
        session[RESUME_KEY] = {SLUG: "A" * 30}
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        response = client.post(f"/q/{SLUG}", data={f"p_{key}": value for key, value in WORKER_PROFILE.items()})
    assert response.status_code == 503
    assert "Probeer het over een paar seconden opnieuw" in response.get_data(as_text=True)
    assert not [r for r in caplog.records if r.name == "flask-limiter"]
