"""Stored reports for app tests, made through the JSON API (one request each, no page flow)."""

from __future__ import annotations

from app.definitions import KEY as DEFINITIONS_KEY

from .flows import profile_for


def store_report(app, slug: str = "loopbaan-apk", value: int = 4) -> str:
    """Store a completed response of ``slug`` with every item answered ``value``; its report code.

    On the shipped worker check-up, 2 gives every factor the band "laag", 3 and 4 "gemiddeld".
    Reports stored later in a test are completed later.
    """
    q = app.extensions[DEFINITIONS_KEY].questionnaires[slug]
    body = {"answers": {i.id: value for i in q.items}, "profile": profile_for(q)}
    response = app.test_client().post(f"/api/v1/questionnaires/{slug}/responses", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["report_code"]
