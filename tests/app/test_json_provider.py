"""Flask's JSON through orjson (app.json_provider): what Flask's own provider writes, faster."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from typing import NamedTuple

import pytest
from flask import jsonify
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from app import create_app
from app.extensions import db
from app.json_provider import read_json
from app.models import Response

from .reports import store_report


class Point(NamedTuple):
    x: int
    y: int


def test_values_come_out_as_flask_writes_them(app):
    with app.test_request_context():
        body = jsonify({"day": date(2026, 11, 23), "at": datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
                        "point": Point(1, 2), 3: "three", "text": "één"}).get_data()
    assert json.loads(body) == {"day": "Mon, 23 Nov 2026 00:00:00 GMT", "at": "Mon, 23 Nov 2026 09:30:00 GMT",
                                "point": [1, 2], "3": "three", "text": "één"}
    assert body.endswith(b"\n") and b'"point":[1,2],"3":"three"' in body  # compact, UTF-8


def test_keys_keep_the_order_the_result_object_is_built_in(client):
    listing = client.get("/api/v1/questionnaires/loopbaan-apk")
    assert list(json.loads(listing.get_data()))[:4] == ["slug", "version", "title", "audience"]


def test_a_debug_app_indents(tmp_path):
    app = create_app({"TESTING": True, "DEBUG": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    app.debug = True
    with app.test_request_context():
        assert jsonify({"a": [1]}).get_data() == b'{\n  "a": [\n    1\n  ]\n}\n'


def test_not_json_numbers_are_a_malformed_body(client):
    url = "/api/v1/questionnaires/loopbaan-apk/score"
    for body in ('{"answers": NaN}', '{"answers": Infinity}', '{"answers": {"x": 1e999999}}'):
        response = client.post(url, data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.get_json()["error"]["message"] == "The body must be a JSON object."
    item = client.get("/api/v1/questionnaires/loopbaan-apk").get_json()["sections"][0]["items"][0]["id"]
    huge = client.post(url, data=f'{{"answers": {{"{item}": 123456789012345678901234567890}}}}',
                       content_type="application/json")
    assert huge.status_code == 400
    assert {"field": f"answers.{item}", "problem": "must be a whole number 1..5 or null"} in \
        huge.get_json()["error"]["details"]


@given(st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.floats(allow_nan=False)
                    | st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20))
def test_stored_json_reads_back_as_the_standard_library_reads_it(value):
    text = json.dumps(value)  # how SQLAlchemy writes a JSON column
    assert read_json(text) == json.loads(text)


def test_what_only_the_standard_library_writes_still_reads():
    text = json.dumps({"score": float("nan"), "high": float("inf")})
    read = read_json(text)
    assert math.isnan(read["score"]) and read["high"] == math.inf


def test_the_database_reads_json_columns_with_it(app):
    store_report(app)
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's json type refuses NaN: no such row can be stored there")
        db.session.execute(text("UPDATE response SET answers = :answers"), {"answers": '{"w01": NaN}'})
        db.session.commit()
        answers = db.session.scalars(select(Response.answers)).one()
    assert math.isnan(answers["w01"])
