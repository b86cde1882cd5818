"""Fixtures for the advisor workspace tests: accounts, two organisations, and logging in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Campaign, Department, Organisation, Response, SharedReport, User
from app.responses import store as responses

from .flows import WORKER_PROFILE, csrf_token

PASSWORD = "a long enough password"
PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt")


@dataclass
class World:
    """Ids of what the tests use: org A (advisor A's) and org B (advisor B's), and their campaigns."""

    admin: int
    advisor_a: int
    advisor_b: int
    org_a: int
    org_b: int
    campaign_a: int
    campaign_b: int
    shared_a: int
    shared_b: int
    invite_a: str


def make_campaign(org: Organisation, *, days_open: tuple[int, int] = (-1, 10), departments=(),
                  slugs=("loopbaan-apk",), title: str = "Voorjaar") -> Campaign:
    today = date.today()
    campaign = Campaign(organisation=org, title=title, slugs=list(slugs),
                        opens_on=today + timedelta(days=days_open[0]), closes_on=today + timedelta(days=days_open[1]),
                        departments=[Department(name=n) for n in departments])
    db.session.add(campaign)
    db.session.commit()
    return campaign


def worker_response(defs, value: int = 4, **link) -> tuple[Response, str]:
    """A completed worker check-up (all answers ``value``); returns it and its report code."""
    q = defs.questionnaires["loopbaan-apk"]
    _, code = responses.create_completed(q, {i.id: value for i in q.items}, WORKER_PROFILE, "nl", **link)
    response = responses.find_report(code)
    assert response is not None
    return response, code


def build_world(app, defs) -> World:
    """Three accounts (an admin, advisors a and b), two organisations and their campaigns, five responses."""
    with app.app_context():
        # One scrypt hash for all (hashing is slow on purpose); create_user itself is tested on its own.
        admin, a, b = (User(email=e, password_hash=PASSWORD_HASH, role=r, active=True) for e, r in (
            ("admin@example.org", "admin"), ("a@example.org", "advisor"), ("b@example.org", "advisor")))
        db.session.add_all([admin, a, b])
        org_a = Organisation(name="Bakkerij Alfa", size="10_49", advisors=[a])
        org_b = Organisation(name="Bouwbedrijf Beta", size="50_249", advisors=[b])
        db.session.add_all([org_a, org_b])
        db.session.commit()
        camp_a = make_campaign(org_a, departments=("Winkel", "Bakkerij"))
        camp_b = make_campaign(org_b)
        for n in range(5):  # k (5) completed responses, so the team report and exports have figures
            worker_response(defs, campaign_id=camp_a.id, value=2 + n % 3)
        shared = []
        for org, user in ((org_a, a), (org_b, b)):
            response, _ = worker_response(defs)
            shared.append(SharedReport(organisation_id=org.id, response_id=response.id, added_by=user.id))
        db.session.add_all(shared)
        db.session.commit()
        return World(admin.id, a.id, b.id, org_a.id, org_b.id, camp_a.id, camp_b.id, shared[0].id, shared[1].id,
                     camp_a.invite_code)


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    url = "/advisor/login" + (f"?next={next_url}" if next_url else "")
    page = client.get(url)
    return client.post(url, data={"email": email, "password": password,
                                  "csrf_token": csrf_token(page.get_data(as_text=True))})


def post_form(client, url: str, data: dict, page_url: str | None = None):
    """POST ``data`` to ``url`` with the CSRF token of the page at ``page_url`` (default ``url``)."""
    page = client.get(page_url or url)
    return client.post(url, data={**data, "csrf_token": csrf_token(page.get_data(as_text=True))})


def page_text(response) -> str:
    """The visible words of a page, whitespace collapsed (for asserting on messages)."""
    html = response.get_data(as_text=True)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
