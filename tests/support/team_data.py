"""A small, hand-computable campaign for the team report tests, stored through the JSON API.

Answers are given as *keyed* values (what scoring uses after mirroring reverse items), so a factor
whose items are all keyed ``v`` scores ``(v - 1) / 4 * 100``: 1 → 0, 2 → 25, 3 → 50, 4 → 75, 5 → 100.

The five workers of :data:`WORKERS` (respondents r1..r5):

=============  ======================================  =========================================
factor         keyed answers                            scores (0-100)
=============  ======================================  =========================================
motivation     all items m = 2, 3, 4, 4, 5               25, 50, 75, 75, 100: mean 65, SD √812.5
awareness      bew_1-4 = a = 1..5, bew_5, bew_7, bew_8   0, 14.29, 50, 85.71, 100: mean 50
               = b = 1, 1, 3, 5, 5                       alpha = 7/6 (1 - 22/148) = 882/888
means          mid_1-4 = a, mid_5-7 = c = 5..1           42.86, 46.43, 50, 53.57, 57.14: mean 50
                                                         alpha = 7/6 (1 - 17.5/2.5) = -7
opportunities  all items 3                               50 each: SD 0, alpha undefined
=============  ======================================  =========================================

Worker knob scores come from the check-up items that name a knob: direction (mot_6 = m, bew_6 = b,
both without a factor; mid_7 = c, kan_4 = 3) 43.75, 43.75, 56.25, 62.5, 62.5: mean 53.75; room
(mid_1, mid_3 = a; kan_1, kan_2, kan_6 = 3) mean 50; backing (mid_6 = c; kan_7, kan_8, kan_9 = 3)
mean 50. (Keys for items of both versions are given; :func:`raw` takes those of the questionnaire.)

The employer (:data:`EMPLOYER_BY_KNOB`) answers direction items 5, room items 4, backing items 2:
knobs 100, 75, 25; factors motivation (ric_3, ric_6; rug_7, rug_8, rug_9, rug_11) 50, awareness
(ric_2, ric_7, ric_8; rui_4; rug_1) 80, means (ric_4; rui_1, rui_2, rui_10; rug_3, rug_10) 62.5,
opportunities (ric_9, ric_10; rui_5-8; rug_4) 75. Gaps (employer − workers): direction +46.25,
awareness +30, backing −25, room +25, opportunities +25, motivation −15, means +12.5.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.definitions import KEY as DEFINITIONS_KEY
from app.extensions import db
from app.models import Campaign, Department, Organisation, Response
from app.responses.codes import code_hash
from scoring import Questionnaire

from .flows import profile_for

M = [2, 3, 4, 4, 5]
A = [1, 2, 3, 4, 5]
B = [1, 1, 3, 5, 5]
C = [5, 4, 3, 2, 1]


def worker_keyed(r: int) -> dict[str, int]:
    """Keyed answers of worker ``r`` (0-based) of the table above."""
    keyed = {f"mot_{i}": M[r] for i in range(1, 11)}
    keyed |= {f"bew_{i}": A[r] for i in range(1, 5)} | {f"bew_{i}": B[r] for i in range(5, 9)}
    keyed |= {f"mid_{i}": A[r] for i in range(1, 5)} | {f"mid_{i}": C[r] for i in range(5, 8)}
    keyed |= {f"kan_{i}": 3 for i in range(1, 10)}
    return keyed


WORKERS = [worker_keyed(r) for r in range(5)]
#: The check-up's items (2.0.0) in questionnaire order: the item columns of an export.
CHECK_UP_ITEMS = ["mot_1", "mot_2", "mot_3", "mot_4", "mot_9", "mot_10", "mot_8", "mot_7", "mot_6",
                  "bew_1", "bew_2", "bew_3", "bew_8", "bew_4", "bew_5", "bew_7", "bew_6",
                  *(f"mid_{i}" for i in range(1, 8)),
                  "kan_1", "kan_2", "kan_8", "kan_4", "kan_9", "kan_6", "kan_7"]
EMPLOYER_BY_KNOB = {"direction": 5, "room": 4, "backing": 2}
#: The employer comparison of :data:`EMPLOYER_BY_KNOB` against :data:`WORKERS` (the numbers above):
#: ``(id, employer, workers)`` per factor and per knob.
EMPLOYER_VERSUS_WORKERS = {
    "factors": [
        ("motivation", pytest.approx(50), pytest.approx(65)), ("awareness", pytest.approx(80), pytest.approx(50)),
        ("means", pytest.approx(62.5), pytest.approx(50)), ("opportunities", pytest.approx(75), pytest.approx(50))],
    "knobs": [
        ("direction", pytest.approx(100), pytest.approx(53.75)), ("room", pytest.approx(75), pytest.approx(50)),
        ("backing", pytest.approx(25), pytest.approx(50))],
}


def raw(q: Questionnaire, keyed: dict[str, int]) -> dict[str, int]:
    """The answers to give so that scoring sees ``keyed`` (reverse items mirrored back)."""
    low, high = q.scale.min, q.scale.max
    return {i.id: (low + high - keyed[i.id] if i.reverse else keyed[i.id]) for i in q.items}


def employer_keyed(q: Questionnaire, by_knob: dict[str, int]) -> dict[str, int]:
    return {i.id: by_knob[i.knob] for i in q.items}


def questionnaire(app, slug: str) -> Questionnaire:
    return app.extensions[DEFINITIONS_KEY].questionnaires[slug]


def store(app, slug: str, keyed: dict[str, int], campaign_id: int | None = None,
          department_id: int | None = None) -> int:
    """Store one completed response through the API, then link it to the campaign; its id."""
    q = questionnaire(app, slug)
    body = {"answers": raw(q, keyed), "profile": profile_for(q)}
    response = app.test_client().post(f"/api/v1/questionnaires/{slug}/responses", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    code = response.get_json()["report_code"]
    with app.app_context():
        row = db.session.scalar(select(Response).where(Response.report_hash == code_hash(code)))
        row.campaign_id, row.department_id = campaign_id, department_id
        db.session.commit()
        return row.id


def make_campaign(app, title: str = "Voorjaar", departments: tuple[str, ...] = (), org_id: int | None = None,
                  opens_on: date = date(2026, 3, 1)) -> tuple[int, int, dict[str, int]]:
    """A campaign (in a new organisation unless ``org_id``): its id, the organisation id, department ids."""
    with app.app_context():
        org = db.session.get(Organisation, org_id) if org_id else Organisation(name="Bakkerij De Korst", size="10_49")
        campaign = Campaign(organisation=org, title=title, slugs=["loopbaan-apk", "leercultuur"], opens_on=opens_on,
                            closes_on=date(opens_on.year, opens_on.month, 28),
                            departments=[Department(name=n) for n in departments])
        db.session.add(campaign)
        db.session.commit()
        return campaign.id, org.id, {d.name: d.id for d in campaign.departments}


def fill(app, campaign_id: int, workers: list[dict[str, int]], departments: list[int | None] | None = None,
         employers: list[dict[str, int]] = ()) -> None:
    """Store ``workers`` (and employer scans given as keyed-by-knob values) in the campaign."""
    for i, keyed in enumerate(workers):
        store(app, "loopbaan-apk", keyed, campaign_id, departments[i] if departments else None)
    scan = questionnaire(app, "leercultuur")
    for by_knob in employers:
        store(app, "leercultuur", employer_keyed(scan, by_knob), campaign_id)


PASSWORD = "een-lang-wachtwoord-42"


def logged_in(app, email: str, organisation_ids: tuple[int, ...] = (), role: str = "advisor"):
    """A test client logged in as a new user assigned to ``organisation_ids``.

    The session is written the way Flask-Login's ``login_user`` writes it (with the strong-protection
    identifier of this client), so these tests do not depend on the login page and its rate limit.
    """
    from flask_login.utils import _create_identifier

    from app.accounts import create_user

    with app.app_context():
        user = create_user(email, PASSWORD, role)
        for org_id in organisation_ids:
            org = db.session.get(Organisation, org_id)
            org.advisors.append(user)
        db.session.commit()
        user_id = user.get_id()  # the session token, which a login session holds
    client = app.test_client()
    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session.update({"_user_id": user_id, "_fresh": True, "_id": identifier})
    return client
