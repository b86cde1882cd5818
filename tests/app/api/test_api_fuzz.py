"""Schemathesis against the OpenAPI document, in-process: no 5xx, every response as documented."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app import create_app
from app.api.openapi import openapi_document
from app.config import DEFAULTS
from app.extensions import db
from scoring import load_definitions

# The document /api/v1/openapi.json serves, made here at collection time: schemathesis' lazy fixture
# loader does not work with this pytest. The shipped slugs make most examples reach a questionnaire.
SLUGS = list(load_definitions(DEFAULTS["DEFINITIONS_DIR"]).questionnaires)
schema = schemathesis.openapi.from_dict(openapi_document(SLUGS))


@pytest.fixture
def fuzz_app(tmp_path):
    """A migrated app without rate limits (otherwise most examples would only meet the 429)."""
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fuzz.sqlite'}"})
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@schema.parametrize()
@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case, fuzz_app):
    """Generated valid and invalid requests: no 5xx, statuses, headers and bodies as documented, invalid
    input refused, 405 with ``Allow``.

    Not checked: that every schema-valid body is accepted. Which item ids and profile values a body
    needs depends on the questionnaire (GET /questionnaires/{slug}), which the shared ``Submission``
    schema does not spell out; such a body gets the documented 400 with every problem listed.
    """
    case.call_and_validate(app=fuzz_app, base_url="http://localhost/api/v1",
                           excluded_checks=[positive_data_acceptance])


def test_wrong_method_gets_the_json_405_with_allow(client):
    """Found by the fuzzing above: the JSON error replaced werkzeug's response and lost ``Allow``."""
    response = client.delete("/api/v1/questionnaires/loopbaan-apk/score")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"POST"}
    assert response.get_json()["error"]["message"] == "Method not allowed."


def test_served_document_names_the_questionnaires_and_the_429(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    score = doc["paths"]["/questionnaires/{slug}/score"]["post"]
    assert score["parameters"][0]["schema"]["enum"] == SLUGS
    assert "Retry-After" in score["responses"]["429"]["headers"]
    assert all("429" in op["responses"] for path in doc["paths"].values() for op in path.values())
