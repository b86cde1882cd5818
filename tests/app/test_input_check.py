"""Text a database cannot store (a NUL character, a lone surrogate) is refused everywhere with a clear
message, and nothing is stored: every form, API field and URL part, on SQLite and on PostgreSQL
(``TEST_DATABASE_URL``).

The requests send what really arrives: ``%00`` in a URL (werkzeug decodes it to NUL), a NUL in a form
field, and a lone surrogate only in JSON. A surrogate's UTF-8 bytes in a URL or form arrive as U+FFFD or
as percent-encoded text (werkzeug decodes with replacement there), which any database stores.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from tests.support.advisor_world import PASSWORD, login, page_text
from tests.support.flows import WORKER_PROFILE, csrf_token, post_profile
from tests.support.reports import store_report

MESSAGE = "Deze invoer bevat een teken dat we niet kunnen opslaan (zoals een nul-teken)."
ENGLISH = "This input contains a character we cannot store (such as a null character)."
API_MESSAGE = "The request holds text that cannot be stored (a NUL character or a lone surrogate)."
IN_VALUE = "contains a character that cannot be stored (NUL or a lone surrogate)"
IN_NAME = "the name contains a character that cannot be stored (NUL or a lone surrogate)"
TODAY = date.today()
ADMIN, ADVISOR = "admin@example.org", "a@example.org"


def snapshot(app) -> dict[str, list[str]]:
    """Every row of every table, so that a test sees any insert, update or delete."""
    with app.app_context():
        return {table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
                for table in db.metadata.sorted_tables}


@pytest.fixture
def scene(app, world):
    """The world's accounts, organisations and campaigns, and a stored report: the ids the URLs need."""
    return {"org": world.org_a, "campaign": world.campaign_a, "invite": world.invite_a, "code": store_report(app)}


def _campaign_form(**changes) -> dict:
    return {"title": "Najaar", "slugs": ["loopbaan-apk"], "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + timedelta(days=10)).isoformat(), "departments": "Winkel\nBakkerij"} | changes


def _profile(**changes) -> dict:
    return {f"p_{k}": v for k, v in WORKER_PROFILE.items()} | changes


#: (login as, form URL, fields with a NUL in a value or a name, page the form is on when not the URL itself,
#: whether a check-up is started first). Apart from the NUL every form is valid: without the check it is stored.
FORMS = {
    "login e-mail": (None, "/advisor/login", {"email": "a\x00@example.org", "password": PASSWORD}, None, False),
    "login password": (None, "/advisor/login", {"email": ADVISOR, "password": PASSWORD + "\x00"}, None, False),
    "admin user form": (ADMIN, "/advisor/advisors", {"email": "x\x00y@z.nl"}, None, False),
    "new organisation": (ADMIN, "/advisor/organisations/new", {"name": "Bakkerij\x00", "size": "10_49"}, None, False),
    "organisation sector": (ADMIN, "/advisor/organisations/{org}/edit",
                            {"name": "Bakkerij Alfa", "sector": "\x00", "size": "10_49"}, None, False),
    "new campaign title": (ADVISOR, "/advisor/organisations/{org}/campaigns/new", _campaign_form(title="Na\x00jaar"),
                           None, False),
    "campaign department": (ADVISOR, "/advisor/campaigns/{campaign}/edit",
                            _campaign_form(departments="Winkel\nBakkerij\nKan\x00toor"), None, False),
    "share a report": (ADVISOR, "/advisor/organisations/{org}/reports", {"code": "{code}\x00"},
                       "/advisor/organisations/{org}", False),
    "start page profile": (None, "/q/loopbaan-apk", _profile(p_sector="techniek\x00"), None, False),
    "start page field name": (None, "/q/loopbaan-apk", _profile(**{"p_sector\x00": "techniek"}), None, False),
    "started profile": (None, "/q/loopbaan-apk", _profile(p_org_size="10_49\x00"), None, True),
    "question page answer": (None, "/q/loopbaan-apk/stap/1", {"a_mot_1": "4\x00", "action": "next"}, None, True),
    "question page name": (None, "/q/loopbaan-apk/stap/1", {"a_mot_1": "4", "a\x00": "4", "action": "next"}, None,
                           True),
    "next steps form": (None, "/r/{code}/stappen", {"step": "x\x00", "when_x": ""}, "/r/{code}", False),
    "next steps date": (None, "/r/{code}/stappen", {"step": "x", "when_x": "2030-01-01\x00"}, "/r/{code}", False),
    "delete report": (None, "/r/{code}/verwijderen", {"really\x00": "yes"}, None, False),
    "campaign invite": (None, "/c/{invite}", {"department": "\x00"}, None, False),
}


@pytest.mark.parametrize("case", FORMS, ids=list(FORMS))
def test_a_form_with_a_nul_is_refused_and_nothing_is_stored(app, client, defs, scene, case):
    who, url, fields, page, started = FORMS[case]
    if who:
        assert login(client, who).status_code == 302
    if started:
        assert post_profile(client, defs.questionnaires["loopbaan-apk"]).status_code == 302
    url, page = url.format(**scene), (page or url).format(**scene)
    data = {name: [v.format(**scene) for v in value] if isinstance(value, list) else value.format(**scene)
            for name, value in fields.items()}
    data["csrf_token"] = csrf_token(client.get(page).get_data(as_text=True))
    before = snapshot(app)
    response = client.post(url, data=data)
    assert response.status_code == 400, page_text(response)[:400]
    assert MESSAGE in page_text(response)
    assert snapshot(app) == before


#: URL parts: path segments and query parameters (names and values), percent-encoded as a browser sends them.
URLS = ["/c/a%00b", "/q/a%00b", "/r/a%00b", "/r/{code}%00", "/r/{code}/pdf?x=%00", "/q/loopbaan-apk/verder/a%00b",
        "/q/loopbaan-apk/stap/1?lang=%00", "/r/{code}?vergelijk=%00", "/r/{code}?vergelijk={code}%00",
        "/r/{code}/stappen.ics?%00=1", "/advisor/login?next=/advisor/%00", "/?lang=nl%00"]


@pytest.mark.parametrize("url", URLS)
def test_a_url_with_a_nul_is_refused(app, client, scene, url):
    before = snapshot(app)
    response = client.get(url.format(**scene))
    assert response.status_code == 400
    assert MESSAGE in page_text(response)
    assert "text/html" in response.content_type
    assert snapshot(app) == before


def test_the_message_is_in_the_users_language(client):
    response = client.get("/c/a%00b?lang=en")
    assert response.status_code == 400
    assert ENGLISH in page_text(response) and "Remove it and try again." in page_text(response)


@pytest.mark.parametrize("url", ["/c/%ED%A0%80", "/r/%ED%A0%80", "/q/loopbaan-apk/verder/%ED%A0%80x",
                                 "/r/x?vergelijk=%ED%A0%80"])
def test_a_surrogates_bytes_in_a_url_arrive_as_storable_text(client, url):
    """werkzeug decodes these bytes with replacement (path) or keeps them percent-encoded (query): no 5xx."""
    assert client.get(url).status_code == 404


def test_the_admins_form_never_stores_an_account_with_a_nul(app, client, world):
    """On SQLite the account ``x\\0y@z.nl`` used to be created."""
    login(client, ADMIN)
    page = client.get("/advisor/advisors").get_data(as_text=True)
    response = client.post("/advisor/advisors", data={"email": "x\x00y@z.nl", "csrf_token": csrf_token(page)})
    assert response.status_code == 400 and MESSAGE in page_text(response)
    with app.app_context():
        assert sorted(db.session.scalars(select(User.email))) == [ADVISOR, ADMIN, "b@example.org"]


SUBMIT = "/api/v1/questionnaires/loopbaan-apk/responses"
SCORE = "/api/v1/questionnaires/loopbaan-apk/score"


def _body(defs, **changes) -> dict:
    q = defs.questionnaires["loopbaan-apk"]
    return {"answers": {i.id: 3 for i in q.items}, "profile": dict(WORKER_PROFILE)} | changes


#: (URL, change to a valid body, the fields the JSON error names, with their problems).
API_BODIES = {
    "campaign NUL": (SUBMIT, {"campaign": "{invite}\x00"}, [("campaign", IN_VALUE)]),
    "campaign surrogate": (SUBMIT, {"campaign": "{invite}\ud800"}, [("campaign", IN_VALUE)]),
    "profile value": (SUBMIT, {"profile": WORKER_PROFILE | {"sector": "techniek\x00"}}, [("profile.sector", IN_VALUE)]),
    "answer name": (SUBMIT, {"answers": {"mot_1\x00": 3}}, [("answers.mot_1\\u0000", IN_NAME)]),
    "lang": (SUBMIT, {"lang": "\udc00nl"}, [("lang", IN_VALUE)]),
    "two fields": (SUBMIT, {"lang": "nl\x00", "campaign": "\x00"}, [("lang", IN_VALUE), ("campaign", IN_VALUE)]),
    "score profile": (SCORE, {"profile": WORKER_PROFILE | {"contract": "\x00flex"}}, [("profile.contract", IN_VALUE)]),
    "unknown field": (SCORE, {"extra": [{"deep": ["ok", "\x00"]}]}, [("extra[0].deep[1]", IN_VALUE)]),
}


@pytest.mark.parametrize("case", API_BODIES, ids=list(API_BODIES))
def test_an_api_field_that_cannot_be_stored_gets_the_json_400_naming_it(app, client, defs, scene, case):
    url, changes, fields = API_BODIES[case]
    body = _body(defs, **{k: v.format(**scene) if isinstance(v, str) else v for k, v in changes.items()})
    before = snapshot(app)
    response = client.post(url, json=body)
    assert response.status_code == 400
    assert response.get_json() == {"error": {"message": API_MESSAGE, "details": [
        {"field": field, "problem": problem} for field, problem in fields]}}
    assert snapshot(app) == before


def test_a_surrogates_raw_bytes_in_json_are_refused_too(app, client, scene):
    """Python's JSON reader lets the UTF-8 bytes of a surrogate through (``surrogatepass``)."""
    before = snapshot(app)
    body = b'{"answers": {}, "profile": {}, "campaign": "' + scene["invite"].encode() + b'\xed\xa0\x80"}'
    response = client.post(SUBMIT, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == [{"field": "campaign", "problem": IN_VALUE}]
    assert snapshot(app) == before


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/reports/a%00b", "code"), ("/api/v1/reports/{code}%00", "code"), ("/api/v1/questionnaires/a%00b", "slug"),
    ("/api/v1/questionnaires/loopbaan-apk?lang=%00", "lang"), ("/api/v1/questionnaires?%00=1", "\\u0000"),
])
def test_an_api_url_part_that_cannot_be_stored_gets_the_json_400(client, scene, url, field):
    response = client.get(url.format(**scene))
    assert response.status_code == 400
    problem = IN_NAME if field.startswith("\\") else IN_VALUE
    assert response.get_json() == {"error": {"message": API_MESSAGE, "details": [{"field": field, "problem": problem}]}}


def test_a_json_body_nested_too_deep_to_parse_is_a_400_not_a_500(client):
    """Python's JSON reader raises RecursionError on it; the API called that a 500."""
    response = client.post(SCORE, data=b"[" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["details"] == [{"field": "", "problem": "malformed JSON"}]


@pytest.mark.parametrize(("email", "password", "message"), [
    # argv cannot hold a NUL, but bytes that are not UTF-8 arrive as lone surrogates (surrogateescape).
    ("x\udcffy@z.nl", "correct horse battery", "teken dat we niet kunnen opslaan"),
    ("x@z.nl", "correct horse\x00battery", "teken dat we niet kunnen opslaan"),
])
def test_create_user_command_refuses_text_that_cannot_be_stored(app, runner, email, password, message):
    result = runner.invoke(args=["create-user", email], input=f"{password}\n{password}\n")
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with app.app_context():
        assert list(db.session.scalars(select(User))) == []
