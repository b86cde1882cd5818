"""The respondent flow through the test client: start, validate, back/next, resume, submit, report."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ReportChart, Response
from tests.support.flows import complete, csrf_token, post_page, post_profile, take_over


def checked(html: str, value: str) -> int:
    """How many radio buttons with ``value`` are checked in ``html``."""
    return len(re.findall(rf'<input checked [^>]*value="{value}"', html))


@pytest.fixture
def worker(defs):
    return defs.questionnaires["loopbaan-apk"]


def test_home_lists_both_questionnaires(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/q/loopbaan-apk"' in html
    assert 'href="/q/leercultuur"' in html
    assert '<html lang="nl">' in html
    assert 'href="#main"' in html  # skip link


def test_unknown_questionnaire_is_404(client):
    assert client.get("/q/onbekend").status_code == 404


@pytest.mark.both_models
def test_start_page_shows_intro_profile_and_progress(client, worker):
    html = client.get("/q/loopbaan-apk").get_data(as_text=True)
    assert worker.title("nl") in html
    assert f"Stap 1 van {len(worker.sections) + 1}" in html
    assert "<fieldset" in html and "<legend>" in html
    assert 'name="csrf_token"' in html


def test_profile_without_answers_shows_dutch_errors_and_stores_nothing(client, responses):
    page = client.get("/q/loopbaan-apk").get_data(as_text=True)
    response = client.post("/q/loopbaan-apk", data={"csrf_token": csrf_token(page), "p_sector": "bouw"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Maak een keuze." in html
    assert 'selected value="bouw"' in html  # what was chosen is kept
    assert responses() == []


def test_post_without_csrf_token_is_rejected(client, responses):
    response = client.post("/q/loopbaan-apk", data={"p_sector": "bouw"})
    assert response.status_code == 400
    assert responses() == []


def test_page_without_started_response_redirects_to_start(client):
    response = client.get("/q/loopbaan-apk/stap/1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/q/loopbaan-apk")


@pytest.mark.both_models
def test_missing_answer_keeps_the_others_and_says_which(client, worker, responses):
    post_profile(client, worker)
    first = worker.sections[0]
    values = {i.id: 4 for i in first.items[1:]}
    response = post_page(client, worker, 1, values)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Kies een antwoord bij deze vraag." in html
    assert f'id="a_{first.items[0].id}-error"' in html  # the message sits at the missing item
    assert html.count('class="error"') == 1
    # The answers given were stored at once, even though the page was not complete.
    (stored,) = (r.answers for r in responses())
    assert stored == {k: 4 for k in values}
    # And they are shown checked again.
    assert checked(html, "4") == len(values)


def test_out_of_scale_value_is_not_stored(client, worker, responses):
    post_profile(client, worker)
    item = worker.sections[0].items[0]
    response = post_page(client, worker, 1, {item.id: 9})
    assert response.status_code == 400
    assert item.id not in responses()[0].answers


def test_back_keeps_answers_and_goes_to_previous_page(client, worker):
    post_profile(client, worker)
    post_page(client, worker, 1, {i.id: 5 for i in worker.sections[0].items})
    half = {i.id: 2 for i in worker.sections[1].items[:3]}
    response = post_page(client, worker, 2, half, action="back")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/q/loopbaan-apk/stap/1")
    page1 = client.get("/q/loopbaan-apk/stap/1").get_data(as_text=True)
    assert checked(page1, "5") == len(worker.sections[0].items)
    page2 = client.get("/q/loopbaan-apk/stap/2").get_data(as_text=True)
    assert checked(page2, "2") == 3


def test_resume_link_opens_first_unfinished_page(app, client, worker):
    post_profile(client, worker)
    html = post_page(client, worker, 1, {i.id: 3 for i in worker.sections[0].items}, action="next")
    assert html.status_code == 302
    page = client.get("/q/loopbaan-apk/stap/2").get_data(as_text=True)
    link = re.search(r'href="(http://localhost/q/loopbaan-apk/verder/[^"]+)"', page).group(1)
    other = app.test_client()  # another browser: no session
    response = take_over(other, link.replace("http://localhost", ""))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/q/loopbaan-apk/stap/2")
    assert other.get("/q/loopbaan-apk/stap/2").status_code == 200


def test_unknown_resume_link_says_so(client):
    response = client.get("/q/loopbaan-apk/verder/not-a-real-code")
    assert response.status_code == 404
    assert "werkt niet" in response.get_data(as_text=True)


@pytest.mark.both_models
@pytest.mark.parametrize("slug", ["loopbaan-apk", "leercultuur"])
def test_complete_flow_reaches_report(client, defs, responses, slug):
    q = defs.questionnaires[slug]
    response = complete(client, q, value=2)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "/r/" in location
    code = location.rsplit("/", 1)[1]
    assert len(code) >= 22  # ≥ 128 bits in URL-safe base64
    (stored,) = responses()
    assert stored.status == Response.COMPLETED
    assert stored.version == q.version
    assert code not in (stored.report_hash or "") and stored.report_hash is not None
    report = client.get(location)
    assert report.status_code == 200
    assert report.headers["Referrer-Policy"] == "no-referrer"
    assert report.headers["Cache-Control"] == "no-store"
    html = report.get_data(as_text=True)
    for dimension in (*defs.model.factors, *defs.model.knobs):
        assert f">{dimension.label('nl')}<" in html
    assert "<svg" in html and "<table" in html
    assert "Waarom:" in html
    if q.audience == "employer":
        assert "Scores per knop" in html


@pytest.mark.both_models
def test_report_chart_is_rendered_once_and_cached(app, client, worker, monkeypatch):
    location = complete(client, worker).headers["Location"]
    calls = []
    import app.responses.report as report_module

    original = report_module.profile_bars
    monkeypatch.setattr(report_module, "profile_bars", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = client.get(location).get_data(as_text=True)
    second = client.get(location).get_data(as_text=True)
    assert len(calls) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportChart.id)).where(ReportChart.key == "bars.2-nl")) == 1
    # The CSRF tokens carry a timestamp in seconds, so two views may differ there and only there.
    token = re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+"')
    assert token.sub(r"\1", first) == token.sub(r"\1", second)


def test_unknown_report_code_is_404(client):
    assert client.get("/r/abcdefghijklmnopqrstuvwxyz").status_code == 404


@pytest.mark.both_models
def test_resume_link_stops_working_after_submit(client, worker):
    post_profile(client, worker)
    page = client.get("/q/loopbaan-apk/stap/1").get_data(as_text=True)
    link = re.search(r'href="http://localhost(/q/loopbaan-apk/verder/[^"]+)"', page).group(1)
    for step, section in enumerate(worker.sections, start=1):
        post_page(client, worker, step, {i.id: 4 for i in section.items})
    assert client.get(link).status_code == 404


@pytest.mark.both_models
def test_english_report(client, defs, worker):
    location = complete(client, worker).headers["Location"]
    html = client.get(location + "?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    for factor in defs.model.factors:
        assert f">{factor.label('en')}<" in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
