"""Personal codes: one person cannot be many.

The attack: one browser submits ten check-ups through the campaign's link and counts as ten people
(enough to pass k on its own, or to outvote the others). With personal codes each code starts one
check-up; the team figures count only the check-ups that came in with a code, and the advisor sees
how many came in without one.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select

from app.campaigns import codes
from app.extensions import db
from app.models import Campaign, Organisation, PersonalCode, Response
from app.team.report import build_team_report
from tests.support.advisor_world import login, make_campaign, page_text, post_form
from tests.support.flows import WORKER_PROFILE, complete, csrf_token

USED = "Deze code is al gebruikt. Elke persoonlijke code werkt maar één keer."


def _code_campaign(app, world, departments=()) -> tuple[int, str]:
    with app.app_context():
        campaign = make_campaign(db.session.get(Organisation, world.org_b), departments=departments,
                                 slugs=("loopbaan-apk", "leercultuur"))
        campaign.uses_codes = True
        db.session.commit()
        return campaign.id, campaign.invite_code


def _codes(app, campaign_id: int, n: int) -> list[str]:
    with app.app_context():
        return codes.generate(db.session.get(Campaign, campaign_id), n)


def _enter(client, invite: str, code: str, **data):
    return post_form(client, f"/c/{invite}", {"code": code, "department": "", **data})


def _check_up(app, invite: str, code: str, defs, client=None):
    client = client or app.test_client()
    entered = _enter(client, invite, code)
    if entered.status_code != 302:
        return entered
    return complete(client, defs.questionnaires["loopbaan-apk"])


def test_codes_are_short_unambiguous_and_forgiving_to_type():
    made = {codes.new_code() for _ in range(500)}
    assert all(len(c) == 8 and not set(c) & set("0O1I") and set(c) <= set(codes.ALPHABET) for c in made)
    assert codes.grouped("ABCDEFGH") == "ABCD-EFGH"
    assert codes.normalise(" abcd-efgh ") == codes.normalise("ABCD EFGH") == "ABCDEFGH"
    assert codes.normalise("ABCD-EFG0") is None and codes.normalise("ABC") is None


def test_only_a_hash_and_a_used_flag_are_stored_with_no_link_to_the_response(app, world, defs):
    campaign_id, invite = _code_campaign(app, world)
    (code,) = _codes(app, campaign_id, 1)
    assert _check_up(app, invite, code, defs).location.startswith("/r/")
    with app.app_context():
        inspector = inspect(db.engine)
        assert {c["name"] for c in inspector.get_columns("personal_code")} == {"campaign_id", "code_hash", "used"}
        assert [fk["referred_table"] for fk in inspector.get_foreign_keys("personal_code")] == ["campaign"]
        assert not [fk for fk in inspector.get_foreign_keys("response") if fk["referred_table"] == "personal_code"]
        (row,) = db.session.scalars(select(PersonalCode)).all()
        assert row.used and code not in row.code_hash and row.code_hash == codes.code_hash(campaign_id, code)
        response = db.session.scalar(select(Response).where(Response.campaign_id == campaign_id))
        assert response.with_code is True
        stored = " ".join(str(v) for v in (response.profile, response.answers, response.result))
        assert code not in stored and codes.grouped(code) not in stored


def test_the_workers_link_asks_for_the_code_and_says_plainly_what_is_wrong(app, client, world, defs, responses):
    campaign_id, invite = _code_campaign(app, world)
    (code,) = _codes(app, campaign_id, 1)
    page = client.get(f"/c/{invite}")
    assert page.status_code == 200 and 'for="code"' in page.get_data(as_text=True)
    count = len(responses())
    for typed, message in (("", "Vul je persoonlijke code in."),
                           ("ABCD-EFG", "Deze code klopt niet. Een code heeft 8 tekens, zoals ABCD-EFGH."),
                           ("ZZZZ-ZZZZ" if code != "ZZZZZZZZ" else "YYYY-YYYY",
                            "Deze code hoort niet bij deze vragenlijst.")):
        refused = _enter(client, invite, typed)
        assert refused.status_code == 400 and message in page_text(refused)
        assert 'href="#code-error"' in refused.get_data(as_text=True)  # the error summary links to it
    assert client.get("/q/loopbaan-apk/stap/1").status_code == 302 and len(responses()) == count
    # Typed in lower case with a space: accepted.
    assert _enter(client, invite, f"{code[:4].lower()} {code[4:].lower()}").location == "/q/loopbaan-apk"


def test_a_used_code_says_it_was_used_already(app, world, defs, responses):
    campaign_id, invite = _code_campaign(app, world)
    (code,) = _codes(app, campaign_id, 1)
    assert _check_up(app, invite, code, defs).location.startswith("/r/")
    other = app.test_client()
    scanned = other.get(f"/c/{invite}?code={code}")  # the QR code's link
    assert scanned.status_code == 409 and USED in page_text(scanned)
    refused = _enter(other, invite, code)
    assert refused.status_code == 400 and USED in page_text(refused)
    assert sum(1 for r in responses() if r.campaign_id == campaign_id) == 1


def test_a_qr_link_fills_in_the_code(app, client, world):
    campaign_id, invite = _code_campaign(app, world)
    (code,) = _codes(app, campaign_id, 1)
    html = client.get(f"/c/{invite}?code={code}").get_data(as_text=True)
    assert f'value="{codes.grouped(code)}"' in html


def test_two_devices_with_one_code_start_one_check_up(app, world, defs, responses):
    """Both accept the invite with the same code; the code is used when the first one starts."""
    campaign_id, invite = _code_campaign(app, world)
    (code,) = _codes(app, campaign_id, 1)
    first, second = app.test_client(), app.test_client()
    assert _enter(first, invite, code).status_code == 302 and _enter(second, invite, code).status_code == 302
    assert complete(first, defs.questionnaires["loopbaan-apk"]).location.startswith("/r/")
    q = defs.questionnaires["loopbaan-apk"]
    page = second.get("/q/loopbaan-apk")
    started = second.post("/q/loopbaan-apk", data={**{f"p_{k}": v for k, v in WORKER_PROFILE.items()},
                                                   "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert started.status_code == 302 and started.location == f"/c/{invite}"
    assert USED in page_text(second.get(started.location))
    assert [r.with_code for r in responses() if r.campaign_id == campaign_id] == [True]
    assert q.slug == "loopbaan-apk"


def test_one_browser_submitting_ten_check_ups_counts_once(app, world, defs, responses):
    """The attack. Three colleagues use their own codes; one browser tries ten check-ups with one code,
    then through the API (which takes the link's invite code but no personal code)."""
    campaign_id, invite = _code_campaign(app, world)
    mine, *theirs = _codes(app, campaign_id, 4)
    for code in theirs:
        assert _check_up(app, invite, code, defs).location.startswith("/r/")
    attacker = app.test_client()
    results = [_check_up(app, invite, mine, defs, client=attacker) for _ in range(10)]
    assert results[0].location.startswith("/r/")
    assert all(r.status_code == 400 and USED in page_text(r) for r in results[1:])
    q = defs.questionnaires["loopbaan-apk"]
    for _ in range(9):
        api = attacker.post("/api/v1/questionnaires/loopbaan-apk/responses",
                            json={"answers": {i.id: 5 for i in q.items}, "profile": WORKER_PROFILE, "campaign": invite})
        assert api.status_code == 201
    linked = [r for r in responses() if r.campaign_id == campaign_id and r.slug == "loopbaan-apk"]
    assert len(linked) == 13 and sum(r.with_code for r in linked) == 4

    with app.test_request_context("/"):
        report = build_team_report(db.session.get(Campaign, campaign_id), "nl")
    assert not report.profile.enough and report.without_code == 9  # 4 people, not 13: below k = 5

    advisor = app.test_client()
    login(advisor, "b@example.org")
    sentence = "9 antwoorden kwamen binnen zonder persoonlijke code en tellen niet mee."
    assert sentence in page_text(advisor.get(f"/advisor/campaigns/{campaign_id}"))
    team = page_text(advisor.get(f"/advisor/campaigns/{campaign_id}/report"))
    assert sentence in team and "Nog te weinig antwoorden" in team
    assert advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv").status_code == 409

    # Without codes the same thirteen would have passed k: the figures would be shown.
    with app.app_context():
        db.session.get(Campaign, campaign_id).uses_codes = False
        db.session.commit()
    with app.test_request_context("/"):
        assert build_team_report(db.session.get(Campaign, campaign_id), "nl").profile.enough


def test_the_dashboard_counts_only_check_ups_with_a_code(app, world, defs):
    campaign_id, invite = _code_campaign(app, world, departments=("Winkel",))
    made = _codes(app, campaign_id, 5)
    for code in made:
        _check_up(app, invite, code, defs)
    q = defs.questionnaires["loopbaan-apk"]
    for _ in range(3):
        app.test_client().post("/api/v1/questionnaires/loopbaan-apk/responses",
                               json={"answers": {i.id: 3 for i in q.items}, "profile": WORKER_PROFILE,
                                     "campaign": invite})
    advisor = app.test_client()
    login(advisor, "b@example.org")
    html = advisor.get(f"/advisor/campaigns/{campaign_id}").get_data(as_text=True)
    total = re.search(r'<tr class="total"><th scope="row">Totaal</th><td>(\d+)</td><td>(\d+)</td>', html)
    assert total.groups() == ("5", "5")  # not 8
    assert "3 antwoorden kwamen binnen zonder persoonlijke code en tellen niet mee." in page_text_of(html)
    assert "Er zijn 5 codes gemaakt; 5 daarvan zijn gebruikt." in page_text_of(html)


def page_text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_advisor_switches_codes_on_and_prints_a_sheet(app, client, world):
    login(client, "b@example.org")
    url = f"/advisor/organisations/{world.org_b}/campaigns/new"
    created = post_form(client, url, {"title": "Met codes", "slugs": ["loopbaan-apk"], "opens_on": "2020-01-01",
                                      "closes_on": "2099-01-01", "departments": "", "uses_codes": "y"})
    assert created.status_code == 302
    campaign_id = int(created.location.rsplit("/", 1)[1])
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign.uses_codes
        invite = campaign.invite_code
    page = page_text(client.get(f"/advisor/campaigns/{campaign_id}"))
    assert "Deze campagne gebruikt persoonlijke codes" in page and "Er zijn 0 codes gemaakt" in page
    for bad in ("0", "201", "tien", ""):
        refused = post_form(client, f"/advisor/campaigns/{campaign_id}/codes", {"count": bad})
        assert refused.status_code == 400 and "Vul een aantal in, van 1 tot en met 200." in page_text(refused)
    with app.app_context():
        assert db.session.scalars(select(PersonalCode)).all() == []
    sheet = post_form(client, f"/advisor/campaigns/{campaign_id}/codes", {"count": "3"})
    html = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and sheet.headers["Cache-Control"] == "no-store"
    shown = re.findall(r'<p class="personal-code-text">([A-Z2-9]{4}-[A-Z2-9]{4})</p>', html)
    assert len(shown) == 3 and html.count('class="qr"') == 3
    assert "Deze codes ziet u maar één keer" in page_text(sheet)
    with app.app_context():
        hashes = set(db.session.scalars(select(PersonalCode.code_hash)))
    assert hashes == {codes.code_hash(campaign_id, codes.normalise(c)) for c in shown}
    # The workers' link now asks for the code.
    assert 'for="code"' in client.get(f"/c/{invite}").get_data(as_text=True)


def test_the_codes_page_makes_codes_only_for_campaigns_with_codes_and_their_advisors(app, client, world):
    login(client, "b@example.org")
    page = client.get(f"/advisor/campaigns/{world.campaign_b}/codes")  # no codes: says how to switch them on
    assert page.status_code == 200 and "Deze campagne gebruikt geen persoonlijke codes." in page_text(page)
    refused = post_form(client, f"/advisor/campaigns/{world.campaign_b}/codes", {"count": "5"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(PersonalCode)).all() == []
    assert client.get(f"/advisor/campaigns/{world.campaign_a}/codes").status_code == 404  # not theirs


def test_the_employer_link_needs_no_code(app, client, world, defs, responses):
    campaign_id, _ = _code_campaign(app, world)
    with app.app_context():
        employer = db.session.get(Campaign, campaign_id).employer_invite_code
    assert 'for="code"' not in client.get(f"/c/{employer}").get_data(as_text=True)
    assert post_form(client, f"/c/{employer}", {}).location == "/q/leercultuur"
    complete(client, defs.questionnaires["leercultuur"])
    with app.test_request_context("/"):
        report = build_team_report(db.session.get(Campaign, campaign_id), "nl")
    assert report.employer_done  # the scan counts; it is one person, not a group of workers


@pytest.mark.parametrize("n", [1, 200])
def test_generate_makes_distinct_codes(app, world, n):
    campaign_id, _ = _code_campaign(app, world)
    made = _codes(app, campaign_id, n)
    assert len(set(made)) == n
    with app.app_context():
        assert codes.code_counts(db.session.get(Campaign, campaign_id)) == (n, 0)
