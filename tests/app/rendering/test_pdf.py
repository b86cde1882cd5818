"""The report as PDF (WeasyPrint): read back with poppler's pdftotext and pdfinfo."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale, format_date

from app.rendering.pdf import StaticFetcher
from tests.support.flows import csrf_token
from tests.support.reports import store_report
from tests.support.steps import GOAL, finish_report, in_days, post_plan, post_steps

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="pdftotext/pdfinfo not installed: install Debian's poppler-utils (.ci/run does)")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    # Layout mode pads columns with spaces; one space between words is enough to search in.
    return re.sub(r"[ \t]+", " ", out.stdout)


def pdf_pages(data: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def api_result(client, code: str, lang: str) -> dict:
    return client.get(f"/api/v1/reports/{code}?lang={lang}").get_json()


def completed_on(app, code: str, lang: str) -> str:
    """The completion date as the report writes it, in the Dutch time zone."""
    from app.responses import store as responses

    with app.test_request_context(), force_locale(lang):
        return format_date(responses.find_report(code).completed_at, "long")


@pytest.mark.both_models
def test_worker_pdf_is_a4_with_the_report_content(app, client, defs, tmp_path):
    code = store_report(app, value=2)
    response = client.get(f"/r/{code}/pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert re.fullmatch(r'attachment; filename="loopbaan-apk-\d{4}-\d{2}-\d{2}\.pdf"',
                        response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"

    text = pdf_text(response.data, tmp_path)
    for factor in defs.model.factors:
        assert factor.label.nl in text
    result = api_result(client, code, "nl")
    titles = [rec["title"] for recs in result["advice"].values() for rec in recs]
    assert titles
    flat = " ".join(text.split())
    for title in titles:
        assert " ".join(title.split()) in flat
    assert f"Ingevuld op {completed_on(app, code, 'nl')}" in text
    assert f"versie {defs.questionnaires['loopbaan-apk'].version}" in text
    # The footer carries page numbers, "n / total".
    pages = pdf_pages(response.data, tmp_path)
    assert 2 <= pages <= 6
    assert f"1/{pages}" in text.replace(" ", "")


def test_pdf_has_no_buttons_or_forms(app, client, tmp_path):
    code = store_report(app)
    text = pdf_text(client.get(f"/r/{code}/pdf").data, tmp_path)
    for screen_only in ("Download als PDF", "Afdrukken", "Verwijder mijn antwoorden", "Toon de grafiek als",
                        "Vergelijk met een eerdere uitslag", "Bewaar mijn stappen", "Ga naar de inhoud"):
        assert screen_only not in text


def test_pdf_file_name_uses_the_date_in_the_netherlands(app, client):
    code = store_report(app)
    from app.extensions import db
    from app.responses import store as responses

    with app.app_context():
        # 23:30 UTC on 31 December is already 1 January in Amsterdam.
        row = responses.find_report(code)
        row.completed_at = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
        db.session.commit()
    disposition = client.get(f"/r/{code}/pdf").headers["Content-Disposition"]
    assert disposition == 'attachment; filename="loopbaan-apk-2026-01-01.pdf"'


@pytest.mark.both_models
def test_english_pdf(app, client, defs, tmp_path):
    code = store_report(app, value=2)
    text = pdf_text(client.get(f"/r/{code}/pdf?lang=en").data, tmp_path)
    for factor in defs.model.factors:
        assert factor.label.en in text
    flat = " ".join(text.split())
    for recs in api_result(client, code, "en")["advice"].values():
        for rec in recs:
            assert " ".join(rec["title"].split()) in flat
    assert f"Completed on {completed_on(app, code, 'en')}" in text
    assert "Jouw uitslag" not in text


@pytest.mark.both_models
def test_employer_pdf_has_the_knob_scores(app, client, defs, tmp_path):
    code = store_report(app, slug="leercultuur", value=3)
    response = client.get(f"/r/{code}/pdf")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="leercultuur-')
    text = pdf_text(response.data, tmp_path)
    assert "Scores per knop" in text
    for knob in defs.model.knobs:
        assert knob.label.nl in text


def test_chosen_next_steps_are_in_the_pdf(client, defs, tmp_path):
    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    first, second = report.recs[0], report.recs[1]
    assert post_steps(client, report, {first["id"]: in_days(7), second["id"]: in_days(30)}).status_code == 302
    text = " ".join(pdf_text(client.get(f"{report.url}/pdf").data, tmp_path).split())
    assert "Mijn volgende stappen" in text
    with client.application.test_request_context(), force_locale("nl"):
        for rec, due in ((first, in_days(7)), (second, in_days(30))):
            assert " ".join(rec["title"].split()) in text
            assert format_date(due, "full") in text


def test_pdf_shows_a_comparison_that_is_posted(app, client, tmp_path):
    """The compared report's PDF button posts the earlier code (it never goes into a URL)."""
    earlier = store_report(app, value=2)
    later = store_report(app, value=4)
    token = csrf_token(client.get(f"/r/{later}").get_data(as_text=True))
    response = client.post(f"/r/{later}/pdf?lang=nl", data={"vergelijk": earlier, "csrf_token": token})
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert "Wat is er veranderd?" in text
    assert "punten hoger (van laag naar gemiddeld)" in text
    # Without the token, nothing; a code in the query string compares nothing.
    assert client.post(f"/r/{later}/pdf", data={"vergelijk": earlier}).status_code == 400
    assert "Wat is er veranderd?" not in pdf_text(client.get(f"/r/{later}/pdf?vergelijk={earlier}").data, tmp_path)


def test_pdf_of_unknown_or_deleted_report_is_404(app, client):
    assert client.get("/r/" + "x" * 30 + "/pdf").status_code == 404
    code = store_report(app)
    from app.responses import store as responses

    with app.app_context():
        responses.delete(responses.find_report(code))
    assert client.get(f"/r/{code}/pdf").status_code == 404


def test_pdf_fetcher_serves_static_files_and_refuses_everything_else(app, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "print.css").write_text("body { color: black }")
    fetcher = StaticFetcher(static, "http://localhost/static/")
    fetched = fetcher.fetch("http://localhost/static/print.css")
    assert fetched.read() == b"body { color: black }"
    assert fetched.headers.get_content_type() == "text/css"
    for url in ("https://example.org/font.woff", "http://localhost/static/../secret_key",
                "http://localhost/static/missing.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_plan_is_in_the_pdf_text(client, defs, tmp_path):
    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    post_plan(client, report, look_back=in_days(30))
    text = pdf_text(client.get(f"{report.url}/pdf").data, tmp_path)
    assert "Mijn ontwikkelplan" in text and " ".join(GOAL.split()[:6]) in " ".join(text.split())
    assert "Bewaar mijn plan" not in text  # the form is not printed


def test_without_a_plan_the_pdf_has_lines_to_write_one(client, defs, tmp_path):
    report = finish_report(client, defs.questionnaires["loopbaan-apk"])
    text = pdf_text(client.get(f"{report.url}/pdf").data, tmp_path)
    assert "Mijn ontwikkelplan" in text and "Mijn doel:" in text and "Terugkijken op:" in text
