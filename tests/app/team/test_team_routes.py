"""Team report pages, PDF and exports: access, threshold, and what the files hold (and do not hold)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.support.team_data import (
    CHECK_UP_ITEMS,
    EMPLOYER_BY_KNOB,
    WORKERS,
    fill,
    logged_in,
    make_campaign,
    worker_keyed,
)

ITEMS = CHECK_UP_ITEMS
HEADER = ["questionnaire", "version", "department", *ITEMS,
          "score_motivation", "score_awareness", "score_means", "score_opportunities"]
ROUTES = ("report", "report.pdf", "export.csv", "export-excel.csv", "export.xlsx", "export.sav")


@pytest.fixture
def team(app):
    """Five workers (three in Productie, two in Kantoor) and the employer; campaign id and a logged-in advisor."""
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor"))
    where = [deps["Productie"]] * 3 + [deps["Kantoor"]] * 2
    fill(app, campaign_id, WORKERS, where, employers=[EMPLOYER_BY_KNOB])
    return campaign_id, logged_in(app, "adviseur@example.org", (org_id,))


def test_anonymous_users_are_sent_to_the_login_page(app, client, team):
    campaign_id, _advisor = team
    for route in ROUTES:
        response = client.get(f"/advisor/campaigns/{campaign_id}/{route}")
        assert response.status_code == 302 and "/advisor/login" in response.headers["Location"]


def test_another_organisations_campaign_is_a_404_everywhere(app, team):
    campaign_id, _advisor = team
    _other_campaign, other_org, _deps = make_campaign(app, "Elders")
    stranger = logged_in(app, "ander@example.org", (other_org,))
    for route in ROUTES:
        assert stranger.get(f"/advisor/campaigns/{campaign_id}/{route}").status_code == 404
        assert stranger.get(f"/advisor/campaigns/999999/{route}").status_code == 404
    admin = logged_in(app, "beheer@example.org", role="admin")
    assert admin.get(f"/advisor/campaigns/{campaign_id}/report").status_code == 200


def test_report_page_shows_the_team_figures_with_tables(app, team):
    campaign_id, advisor = team
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/report")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    row = re.search(r"<th scope=\"row\">Motivatie</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row) == ["5", "65", "29", "1", "1", "3", "1,00 (goed)"]
    assert "alfa -7,00" in html and "Gespreksstarters" in html
    assert "Richting: de werkgever schat dit hoger in (100) dan de werkenden het ervaren (54)." in html
    assert html.count("<svg") == 3 and html.count('role="img"') == 3
    # Productie (3) is below k = 5, Kantoor (2) too: no department figures at all
    assert html.count("Niet getoond, om de anonimiteit te beschermen") == 2
    assert ' style="' not in html and "<script>" not in html


def test_below_k_the_page_shows_no_figures_at_all(app):
    campaign_id, org_id, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS[:4], employers=[EMPLOYER_BY_KNOB])
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    html = advisor.get(f"/advisor/campaigns/{campaign_id}/report").get_data(as_text=True)
    assert "Nog te weinig antwoorden" in html and "minder dan 5 werkenden" in html
    assert "<table" not in html and "<svg" not in html and "export.csv" not in html
    assert "Motivatie" not in html and "Gespreksstarters" not in html
    for route in ("export.csv", "export.xlsx"):
        refused = advisor.get(f"/advisor/campaigns/{campaign_id}/{route}")
        assert refused.status_code == 409 and refused.mimetype == "text/html"
        assert "minder dan 5 mensen" in refused.get_data(as_text=True)


def test_choosing_an_earlier_campaign_compares_the_two(app, team):
    campaign_id, advisor = team
    with app.app_context():
        from app.extensions import db
        from app.models import Campaign

        org_id = db.session.get(Campaign, campaign_id).organisation_id
    later, _org, _deps = make_campaign(app, "Najaar", org_id=org_id, opens_on=date(2026, 10, 1))
    fill(app, later, [worker_keyed(4)] * 5)
    html = advisor.get(f"/advisor/campaigns/{later}/report").get_data(as_text=True)
    assert f'<option value="{campaign_id}"' in html and "Nulmeting en vervolg" in html
    html = advisor.get(f"/advisor/campaigns/{later}/report?vergelijk={campaign_id}").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Motivatie</th><td>65</td><td>100</td><td>\+35</td>", html)
    assert row, html[html.find("time-title"):][:3000]
    other, _org, _deps = make_campaign(app, "Elders")
    wrong = advisor.get(f"/advisor/campaigns/{later}/report?vergelijk={other}")
    assert wrong.status_code == 400
    assert "Kies een eerdere campagne van deze organisatie uit de lijst." in wrong.get_data(as_text=True)


def test_csv_export_has_answers_and_scores_and_nothing_that_identifies(app, team):
    campaign_id, advisor = team
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADER  # the employer scan (1 person) is below k: not exported
    body = rows[1:]
    assert len(body) == 5
    assert {r[0] for r in body} == {"loopbaan-apk"} and {r[1] for r in body} == {"2.0.0"}
    assert {r[2] for r in body} == {"Overig"}  # both departments are below k: never named, merged
    motivation = sorted(float(r[HEADER.index("score_motivation")]) for r in body)
    assert motivation == [25.0, 50.0, 75.0, 75.0, 100.0]
    assert sorted(int(r[HEADER.index("kan_1")]) for r in body) == [3] * 5
    assert sorted(int(r[HEADER.index("mot_4")]) for r in body) == [1, 2, 2, 3, 4]  # reverse item: raw answer


def test_departments_at_or_above_k_are_named_in_the_export(app):
    campaign_id, org_id, deps = make_campaign(app, departments=("Productie", "Kantoor"))
    fill(app, campaign_id, [worker_keyed(r % 5) for r in range(10)], [deps["Productie"]] * 5 + [deps["Kantoor"]] * 5)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    rows = list(csv.DictReader(io.StringIO(advisor.get(
        f"/advisor/campaigns/{campaign_id}/export.csv").data.decode("utf-8-sig"))))
    assert sorted(r["department"] for r in rows) == ["Kantoor"] * 5 + ["Productie"] * 5


def test_xlsx_export_reads_back_the_same_table(app, team):
    campaign_id, advisor = team
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    # The same columns as the CSV, named in words (the items keep their ids; the codebook says what they ask)
    assert list(values[0]) == ["Vragenlijst", "Versie", "Afdeling", *ITEMS, "Score Motivatie", "Score Bewustzijn",
                               "Score Middelen", "Score Kansen"] and len(values) == 6
    assert sorted(r[HEADER.index("score_opportunities")] for r in values[1:]) == [50.0] * 5
    csv_rows = list(csv.reader(io.StringIO(advisor.get(
        f"/advisor/campaigns/{campaign_id}/export.csv").data.decode("utf-8-sig"))))[1:]

    def same(value):  # a spreadsheet keeps 25.0 as the number 25
        return "" if value in (None, "") else (float(value) if re.fullmatch(r"-?\d+(\.\d+)?", str(value)) else value)

    # every export is shuffled anew: the same rows, in another order
    assert (sorted([str(same(v)) for v in row] for row in values[1:])
            == sorted([str(same(v)) for v in row] for row in csv_rows))


def test_exports_never_hold_identifying_columns(app, team):
    campaign_id, advisor = team
    header = next(csv.reader(io.StringIO(advisor.get(
        f"/advisor/campaigns/{campaign_id}/export.csv").data.decode("utf-8-sig"))))
    forbidden = re.compile(r"id$|code|hash|_at$|date|time|profile|sector|age|education|contract|lang", re.I)
    assert [h for h in header if forbidden.search(h) and h not in ITEMS] == []


pdf_tools = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
                               reason="pdftotext/pdfinfo not installed (Debian's poppler-utils)")


@pdf_tools
def test_pdf_holds_the_report_text_on_a_few_a4_pages(app, team, tmp_path):
    campaign_id, advisor = team
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="teamrapport-2026-03-01.pdf"'
    path = tmp_path / "team.pdf"
    path.write_bytes(response.data)
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                              check=True).stdout)
    for words in ("Teamrapport: Voorjaar", "Het profiel van het team", "Advies voor de organisatie",
                  "Werkgever en werkenden", "Gespreksstarters", "Hoe ziet ons werk er over vijf jaar uit?"):
        assert words in text
    assert "Download als PDF" not in text and "Vergelijk met een eerdere campagne" not in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 2 <= pages <= 8
    assert "595.276 x 841.89" in info or "595 x 842" in info  # A4
