""""Niet van toepassing" in the check-up: offered on the items that presume a manager or a workplace to
the self-employed and agency workers only, stored as 0 (apart from "weet ik niet", stored as null),
left out of the scores, accepted by the API only from those it is offered to, and read by the team
figures like any other response."""

from __future__ import annotations

import re

import pytest

from app.models import Response
from scoring.definitions import NOT_APPLICABLE
from tests.support.flows import WORKER_PROFILE, post_page, post_profile
from tests.support.team_data import questionnaire

SLUG = "loopbaan-apk"
SELF_EMPLOYED = {**WORKER_PROFILE, "contract": "self_employed"}
PERMANENT = {**WORKER_PROFILE, "contract": "permanent"}
#: The manager and workplace items of the check-up (tests/questionnaires/test_items.py checks the set).
BOSS_ITEMS = ("mot_6", "bew_6", "bew_7", "mid_1", "mid_7", "kan_1", "kan_4", "kan_9", "kan_7")


def offered(html: str, item_id: str) -> list[str]:
    """The values of the radio buttons of ``item_id`` on a question page."""
    return re.findall(rf'<input[^>]*name="a_{item_id}"[^>]*value="([^"]+)"', html)


def step_of(q, item_id: str) -> int:
    return next(n for n, s in enumerate(q.sections, start=1) if item_id in {i.id for i in s.items})


@pytest.mark.parametrize(("profile", "shown"), [(SELF_EMPLOYED, True), (WORKER_PROFILE, True), (PERMANENT, False)])
def test_the_page_offers_does_not_apply_only_to_the_self_employed_and_agency_workers(app, client, profile, shown):
    q = questionnaire(app, SLUG)
    post_profile(client, q, profile)
    html = client.get(f"/q/{SLUG}/stap/{step_of(q, 'kan_7')}").get_data(as_text=True)
    assert ("not_applicable" in offered(html, "kan_7")) is shown
    assert ("Niet van toepassing" in html) is shown
    assert "unknown" in offered(html, "kan_7")  # "Weet ik niet" stays, as its own choice
    assert "not_applicable" not in offered(html, "kan_2")  # an item that applies to everyone


def test_agency_workers_read_their_workplace_or_agency(app, client):
    q = questionnaire(app, SLUG)
    post_profile(client, q, WORKER_PROFILE)  # contract: flex
    html = client.get(f"/q/{SLUG}/stap/{step_of(q, 'mid_7')}").get_data(as_text=True)
    assert "Op mijn werkplek of bij mijn uitzendbureau hoor ik welke cursussen er zijn." in html


def test_does_not_apply_and_dont_know_are_stored_apart_and_the_report_renders(app, client, responses):
    q = questionnaire(app, SLUG)
    post_profile(client, q, SELF_EMPLOYED)
    last = None
    for step, section in enumerate(q.sections, start=1):
        values: dict[str, object] = {i.id: 4 for i in section.items}
        values.update({i: "not_applicable" for i in BOSS_ITEMS if i in values})
        if "kan_2" in values:
            values["kan_2"] = None  # weet ik niet
        last = post_page(client, q, step, values)
    assert last.status_code == 302 and "/r/" in last.headers["Location"]
    (response,) = responses()
    assert response.status == Response.COMPLETED
    assert {i: response.answers[i] for i in BOSS_ITEMS} == dict.fromkeys(BOSS_ITEMS, NOT_APPLICABLE)
    assert response.answers["kan_2"] is None
    # Opportunities: kan_1, kan_4, kan_9, kan_7 do not apply, kan_2 unknown: 2 of the 3 remaining answered.
    factors = response.result["nl"]["factors"]
    assert (factors["opportunities"]["answered"], factors["opportunities"]["items"]) == (2, 3)
    assert (factors["means"]["answered"], factors["means"]["items"]) == (5, 5)
    page = client.get(last.headers["Location"])
    assert page.status_code == 200 and "Kansen" in page.get_data(as_text=True)


def api_body(profile, value):
    return {"answers": {"kan_7": value, "kan_2": 4}, "profile": profile}


def test_the_api_accepts_does_not_apply_only_from_whom_it_is_offered_to(client, responses):
    ok = client.post(f"/api/v1/questionnaires/{SLUG}/score", json=api_body(SELF_EMPLOYED, NOT_APPLICABLE))
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["factors"]["opportunities"]["items"] == 6  # kan_7 left out of 7
    refused = client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=api_body(PERMANENT, NOT_APPLICABLE))
    assert refused.status_code == 400
    assert refused.get_json()["error"]["details"] == [
        {"field": "answers.kan_7", "problem": "0 (does not apply) is only for respondents in: self_employed, flex"}]
    off_item = client.post(f"/api/v1/questionnaires/{SLUG}/score",
                           json={"answers": {"kan_2": NOT_APPLICABLE}, "profile": SELF_EMPLOYED})
    assert off_item.status_code == 400
    assert responses() == []


def test_the_api_describes_does_not_apply_and_knob_items_without_a_factor(client):
    body = client.get(f"/api/v1/questionnaires/{SLUG}").get_json()
    assert body["scale"]["not_applicable"] == {"value": 0, "label": "Niet van toepassing"}
    items = {i["id"]: i for s in body["sections"] for i in s["items"]}
    assert items["kan_7"]["not_applicable_for"] == ["self_employed", "flex"]
    assert items["kan_2"]["not_applicable_for"] == []
    assert (items["mot_6"]["factor"], items["mot_6"]["knob"]) == (None, "direction")
    assert (items["bew_6"]["factor"], items["bew_6"]["knob"]) == (None, "direction")


def test_team_figures_count_the_self_employed_on_what_applies_to_them(app):
    """Five self-employed workers who answer "does not apply" on every manager and workplace item: each
    factor still has its five scores (min_answered over the items that apply); the direction knob, all
    of whose check-up items presume a workplace, has none, so it is not shown."""
    from app.extensions import db
    from app.models import Campaign
    from app.team.report import build_team_report
    from tests.support.team_data import make_campaign

    campaign_id, _org, _deps = make_campaign(app)
    q = questionnaire(app, SLUG)
    for value in (2, 3, 3, 4, 5):
        answers = {i.id: (NOT_APPLICABLE if i.id in BOSS_ITEMS else value) for i in q.items}
        created = app.test_client().post(f"/api/v1/questionnaires/{SLUG}/responses",
                                         json={"answers": answers, "profile": SELF_EMPLOYED})
        assert created.status_code == 201, created.get_json()
    with app.app_context():
        for response in db.session.query(Response).all():
            response.campaign_id = campaign_id
        db.session.commit()
    with app.test_request_context("/?lang=nl"):
        report = build_team_report(db.session.get(Campaign, campaign_id), "nl")
    assert {f.id: f.n for f in report.profile.factors} == dict.fromkeys(
        ("motivation", "awareness", "means", "opportunities"), 5)
    knobs = {f.id: f.n for f in report.profile.knobs}
    assert knobs.get("room") == 5 and knobs.get("backing") == 5 and knobs.get("direction") is None
