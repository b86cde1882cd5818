"""Pages that show someone's answers or report are kept by no cache (``Cache-Control: no-store``) and in no
search index (``X-Robots-Tag: noindex``): question pages, the start page with answers, report pages and
what hangs off them, and the API's report."""

from __future__ import annotations

import pytest

from tests.support.flows import csrf_token, post_page, post_profile
from tests.support.steps import finish_report, in_days, post_steps

SLUG = "loopbaan-apk"


def private(response) -> bool:
    return response.headers.get("Cache-Control") == "no-store" and response.headers.get("X-Robots-Tag") == "noindex"


@pytest.fixture
def worker(defs):
    return defs.questionnaires[SLUG]


def test_question_pages_are_not_stored_or_indexed(client, worker):
    assert post_profile(client, worker).status_code == 302
    for step in range(1, len(worker.sections) + 1):
        page = client.get(f"/q/{SLUG}/stap/{step}")
        assert page.status_code == 200 and private(page), (step, dict(page.headers))
    refused = post_page(client, worker, 1, {})  # nothing answered: the page again, with its errors
    assert refused.status_code == 400 and private(refused)


def test_the_start_page_with_answers_is_not_stored_or_indexed(client, worker):
    fresh = client.get(f"/q/{SLUG}")
    assert fresh.status_code == 200 and "X-Robots-Tag" not in fresh.headers  # the way in: nothing private yet
    post_profile(client, worker)
    with_answers = client.get(f"/q/{SLUG}")
    assert with_answers.status_code == 200 and private(with_answers)
    page = with_answers.get_data(as_text=True)
    refused = client.post(f"/q/{SLUG}", data={"csrf_token": csrf_token(page), "p_sector": "nergens"})
    assert refused.status_code == 400 and private(refused)


def test_report_pages_are_not_stored_or_indexed(client, worker):
    report = finish_report(client, worker)
    assert post_steps(client, report, {report.recs[0]["id"]: in_days(7)}).status_code == 302
    for path in ("", "/pdf", "/stappen.ics", "/verwijderen"):
        response = client.get(report.url + path)
        assert response.status_code == 200 and private(response), path
        assert response.headers["Referrer-Policy"] == "no-referrer", path
    refused = post_steps(client, report, {report.recs[0]["id"]: "gisteren"})
    assert refused.status_code == 400 and private(refused)
    # The compared report and its PDF are posted; both are report pages too.
    token = csrf_token(client.get(report.url).get_data(as_text=True))
    for path, status in (("/vergelijk", 400), ("/pdf", 200)):
        response = client.post(report.url + path, data={"vergelijk": "geen code", "csrf_token": token})
        assert response.status_code == status and private(response), path
        assert response.headers["Referrer-Policy"] == "no-referrer", path


def test_the_apis_report_is_not_stored(client, worker):
    report = finish_report(client, worker)
    response = client.get(f"/api/v1/reports/{report.code}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
