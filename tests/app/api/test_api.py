"""The JSON API: every endpoint, its documented schema, and every error case (which stores nothing)."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from tests.support.flows import EMPLOYER_PROFILE, WORKER_PROFILE


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def check(doc: dict, path: str, method: str, status: int, body: object) -> None:
    """Validate ``body`` against the schema that ``doc`` documents for this operation and status."""
    operation = doc["paths"][path][method]
    assert str(status) in operation["responses"], f"{method} {path} does not document {status}"
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    Draft202012Validator({**schema, "components": doc["components"]}).validate(body)


WORKER_ITEMS: list[str] = []


@pytest.fixture(autouse=True)
def _items(defs):
    WORKER_ITEMS[:] = [i.id for i in defs.questionnaires["loopbaan-apk"].items]


def worker_body(value: int | None = 4) -> dict:
    return {"answers": {i: value for i in WORKER_ITEMS}, "profile": dict(WORKER_PROFILE)}


def test_openapi_document_is_openapi_31(doc):
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {"/questionnaires", "/questionnaires/{slug}", "/questionnaires/{slug}/score",
                                 "/questionnaires/{slug}/responses", "/reports/{code}"}
    Draft202012Validator.check_schema({"$defs": doc["components"]["schemas"]})


def test_list_questionnaires(client, doc):
    body = client.get("/api/v1/questionnaires").get_json()
    check(doc, "/questionnaires", "get", 200, body)
    slugs = {q["slug"]: q for q in body["questionnaires"]}
    assert set(slugs) == {"loopbaan-apk", "leercultuur"}
    assert slugs["loopbaan-apk"]["audience"] == "worker"
    assert slugs["leercultuur"]["languages"] == ["nl", "en"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_get_questionnaire(client, doc, defs, lang):
    body = client.get(f"/api/v1/questionnaires/leercultuur?lang={lang}").get_json()
    check(doc, "/questionnaires/{slug}", "get", 200, body)
    q = defs.questionnaires["leercultuur"]
    assert body["title"] == q.title(lang)
    assert body["scale"]["min"] == 1 and body["scale"]["max"] == 5
    items = [i for s in body["sections"] for i in s["items"]]
    assert len(items) == len(q.items)
    assert all("knob" in i for i in items)  # every employer item names its knob
    assert [f["id"] for f in body["factors"]] == ["motivation", "awareness", "means", "opportunities"]


def test_get_unknown_questionnaire_is_404_json(client, doc):
    response = client.get("/api/v1/questionnaires/nope")
    assert response.status_code == 404
    check(doc, "/questionnaires/{slug}", "get", 404, response.get_json())


def test_score_returns_result_and_stores_nothing(client, doc, responses):
    response = client.post("/api/v1/questionnaires/loopbaan-apk/score", json=worker_body(2))
    assert response.status_code == 200
    body = response.get_json()
    check(doc, "/questionnaires/{slug}/score", "post", 200, body)
    assert body["factors"]["motivation"]["items"] == 8
    assert set(body["advice"]) == {"direction", "room", "backing"}
    assert all(1 <= len(recs) <= 3 for recs in body["advice"].values())
    assert "knobs" not in body  # knobs only for the employer scan
    assert len(responses()) == 0


def test_score_employer_has_knobs(client, doc, defs):
    q = defs.questionnaires["leercultuur"]
    body = {"answers": {i.id: 3 for i in q.items}, "profile": EMPLOYER_PROFILE, "lang": "en"}
    result = client.post("/api/v1/questionnaires/leercultuur/score", json=body).get_json()
    check(doc, "/questionnaires/{slug}/score", "post", 200, result)
    assert set(result["knobs"]) == {"direction", "room", "backing"}
    # every answer in the middle (no low answer to name): the reason is a sentence of the factor's band, in English
    medium = {t("en").format(score=50) for f in defs.model.factors for t in f.reasons["employer"]["medium"]}
    assert result["advice"]["room"][0]["reason"] in medium


def test_create_response_and_fetch_report(client, doc, defs, responses):
    body = worker_body()
    # The most favourable answer on every item: 5, or 1 where the item is reverse-keyed.
    body["answers"] = {i.id: 1 if i.reverse else 5 for i in defs.questionnaires["loopbaan-apk"].items}
    response = client.post("/api/v1/questionnaires/loopbaan-apk/responses", json=body)
    assert response.status_code == 201
    body = response.get_json()
    check(doc, "/questionnaires/{slug}/responses", "post", 201, body)
    assert len(responses()) == 1
    code = body["report_code"]
    assert body["report_url"].endswith(f"/r/{code}")
    assert responses()[0].report_hash != code
    fetched = client.get(f"/api/v1/reports/{code}")
    assert fetched.status_code == 200
    check(doc, "/reports/{code}", "get", 200, fetched.get_json())
    expected = {k: v for k, v in body.items() if k not in ("report_code", "report_url")}
    assert fetched.get_json() == expected
    assert body["strengths"] == ["motivation", "awareness", "means", "opportunities"]
    assert all(f["score"] == 100 and f["band"] == "high" for f in body["factors"].values())


def test_unknown_report_code_is_404(client, doc):
    response = client.get("/api/v1/reports/doesnotexist")
    assert response.status_code == 404
    check(doc, "/reports/{code}", "get", 404, response.get_json())


def bad(client, body: object, *, slug="loopbaan-apk", endpoint="responses", **kwargs):
    if "data" in kwargs:
        return client.post(f"/api/v1/questionnaires/{slug}/{endpoint}", **kwargs)
    return client.post(f"/api/v1/questionnaires/{slug}/{endpoint}", json=body)


@pytest.mark.parametrize("endpoint", ["score", "responses"])
@pytest.mark.parametrize(("change", "field"), [
    (lambda b: b["answers"].update({"zzz_1": 3}), "answers.zzz_1"),
    (lambda b: b["answers"].update({"mot_1": 6}), "answers.mot_1"),
    (lambda b: b["answers"].update({"mot_1": 0}), "answers.mot_1"),
    (lambda b: b["answers"].update({"mot_1": 2.5}), "answers.mot_1"),
    (lambda b: b["answers"].update({"mot_1": "4"}), "answers.mot_1"),
    (lambda b: b["answers"].update({"mot_1": True}), "answers.mot_1"),
    (lambda b: b["profile"].pop("sector"), "profile.sector"),
    (lambda b: b["profile"].update({"contract": "slave"}), "profile.contract"),
    (lambda b: b["profile"].update({"shoe_size": "44"}), "profile.shoe_size"),
    (lambda b: b.update({"lang": "de"}), "lang"),
    (lambda b: b.update({"answers": [1, 2]}), "answers"),
    (lambda b: b.update({"extra": 1}), "extra"),
])
def test_invalid_submission_is_400_with_details_and_stores_nothing(client, doc, responses, endpoint, change,
                                                                   field):
    body = worker_body()
    change(body)
    response = bad(client, body, endpoint=endpoint)
    assert response.status_code == 400
    payload = response.get_json()
    check(doc, f"/questionnaires/{{slug}}/{endpoint}", "post", 400, payload)
    assert field in [d["field"] for d in payload["error"]["details"]]
    assert len(responses()) == 0


def test_all_problems_reported_at_once(client):
    body = worker_body()
    body["answers"].update({"mot_1": 9, "nope": 1})
    body["profile"].pop("sector")
    details = bad(client, body).get_json()["error"]["details"]
    assert {d["field"] for d in details} == {"answers.mot_1", "answers.nope", "profile.sector"}


def test_null_answers_are_missing_not_errors(client):
    body = worker_body(None)
    result = client.post("/api/v1/questionnaires/loopbaan-apk/score", json=body).get_json()
    assert all(f["score"] is None and f["band"] is None and f["answered"] == 0 for f in result["factors"].values())
    assert all(len(recs) >= 1 for recs in result["advice"].values())


def test_unknown_campaign_is_400(client, responses):
    body = worker_body()
    body["campaign"] = "nope"
    assert bad(client, body).status_code == 400
    assert len(responses()) == 0


@pytest.mark.parametrize("endpoint", ["score", "responses"])
def test_malformed_json_is_400(client, doc, responses, endpoint):
    response = bad(client, None, endpoint=endpoint, data="{not json", content_type="application/json")
    assert response.status_code == 400
    check(doc, f"/questionnaires/{{slug}}/{endpoint}", "post", 400, response.get_json())
    assert len(responses()) == 0


@pytest.mark.parametrize("endpoint", ["score", "responses"])
def test_not_json_is_415(client, doc, responses, endpoint):
    response = bad(client, None, endpoint=endpoint, data="answers=1", content_type="text/plain")
    assert response.status_code == 415
    check(doc, f"/questionnaires/{{slug}}/{endpoint}", "post", 415, response.get_json())
    assert len(responses()) == 0


def test_too_large_is_413(client, doc, app, responses):
    payload = json.dumps({"answers": {}, "profile": {}, "pad": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    response = bad(client, None, data=payload, content_type="application/json")
    assert response.status_code == 413
    check(doc, "/questionnaires/{slug}/responses", "post", 413, response.get_json())
    assert len(responses()) == 0


@pytest.mark.parametrize("endpoint", ["score", "responses"])
def test_unknown_slug_on_post_is_404(client, endpoint):
    response = bad(client, worker_body(), slug="nope", endpoint=endpoint)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"]


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert "error" in response.get_json()


def test_keys_keep_the_order_the_result_object_is_built_in(client):
    listing = client.get("/api/v1/questionnaires/loopbaan-apk")
    assert list(json.loads(listing.get_data()))[:4] == ["slug", "version", "title", "audience"]


def test_not_json_numbers_are_a_malformed_body(client):
    """NaN, Infinity and numbers beyond a double are not JSON (RFC 8259), though Python's reader takes them."""
    url = "/api/v1/questionnaires/loopbaan-apk/score"
    for body in ('{"answers": NaN}', '{"answers": Infinity}', '{"answers": {"x": 1e999999}}'):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.get_json()["error"]["message"] == "The body must be a JSON object."
    item = client.get("/api/v1/questionnaires/loopbaan-apk").get_json()["sections"][0]["items"][0]["id"]
    huge = client.post(url, data=f'{{"answers": {{"{item}": 123456789012345678901234567890}}}}',
                       content_type="application/json")
    assert huge.status_code == 400
    assert {"field": f"answers.{item}", "problem": "must be between 1 and 5, not 123456789012345678901234567890"} \
        in huge.get_json()["error"]["details"]
