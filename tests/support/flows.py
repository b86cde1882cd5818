"""Small actions for app tests: walk the questionnaire flow through the test client."""

from __future__ import annotations

import re

from scoring import Questionnaire

WORKER_PROFILE = {"sector": "techniek", "age_band": "45_54", "education": "practical",
                  "contract": "flex", "org_size": "10_49"}
EMPLOYER_PROFILE = {"sector": "zorg", "org_size": "10_49", "hr_function": "no"}


def profile_for(q: Questionnaire) -> dict[str, str]:
    return WORKER_PROFILE if q.audience == "worker" else EMPLOYER_PROFILE


def post_profile(client, q: Questionnaire, profile: dict[str, str] | None = None):
    page = client.get(f"/q/{q.slug}")
    data = {f"p_{k}": v for k, v in (profile or profile_for(q)).items()}
    data["csrf_token"] = csrf_token(page.get_data(as_text=True))
    return client.post(f"/q/{q.slug}", data=data)


def post_page(client, q: Questionnaire, step: int, values: dict[str, object], action: str = "next"):
    page = client.get(f"/q/{q.slug}/stap/{step}")
    data = {f"a_{k}": ("unknown" if v is None else str(v)) for k, v in values.items()}
    data["csrf_token"] = csrf_token(page.get_data(as_text=True))
    data["action"] = action
    return client.post(f"/q/{q.slug}/stap/{step}", data=data)


def complete(client, q: Questionnaire, value: int = 4):
    """Fill in every page with ``value``; returns the final response (a redirect to the report)."""
    post_profile(client, q)
    response = None
    for step, section in enumerate(q.sections, start=1):
        response = post_page(client, q, step, {i.id: value for i in section.items})
    return response


def csrf_token(html: str) -> str:
    """The CSRF token of the (first) form in a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def resume_link(html: str, slug: str) -> str:
    """The resume link (a path) a question page shows."""
    match = re.search(rf'href="http://localhost(/q/{slug}/verder/[A-Za-z0-9_-]+)"', html)
    assert match, "no resume link in page"
    return match.group(1)


def take_over(client, link: str):
    """Open resume ``link`` in ``client``'s browser and press "Ja, ga verder" (the POST); the response."""
    confirm = client.get(link)
    assert confirm.status_code == 200, confirm.status_code
    return client.post(link, data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})
