"""The team report and its exports on each shipped model (``both_models``): the default four factors and
the five-factor variant (questionnaires/five-factor/) give the same report and the same files, with one
row, column and chart entry per factor of the loaded model. The data: tests/support/model_data.py.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess

import pyreadstat
import pytest
from openpyxl import load_workbook

from app.extensions import db
from app.models import Campaign
from app.team.report import build_team_report
from tests.support.model_data import employer_scores, model_workers, worker_means
from tests.support.team_data import EMPLOYER_BY_KNOB, fill, logged_in, make_campaign

pytestmark = pytest.mark.both_models


@pytest.fixture
def team(app, defs):
    """Five workers and five employer scans in a closed campaign; its id and a logged-in advisor."""
    campaign_id, org_id, _deps = make_campaign(app)
    fill(app, campaign_id, model_workers(defs), employers=[EMPLOYER_BY_KNOB] * 5)
    return campaign_id, logged_in(app, "adviseur@example.org", (org_id,))


def test_the_team_profile_and_the_comparison_have_every_factor_of_the_model(app, defs, team):
    campaign_id, _advisor = team
    with app.test_request_context("/?lang=nl"):
        report = build_team_report(db.session.get(Campaign, campaign_id), "nl")
    means = worker_means(defs)
    assert [(f.id, f.label, f.n) for f in report.profile.factors] == [
        (f.id, f.label.nl, 5) for f in defs.model.factors]
    assert {f.id: f.mean for f in report.profile.factors} == pytest.approx(means)
    assert [knob["id"] for knob in report.profile.advice] == [k.id for k in defs.model.knobs]
    assert all(1 <= len(knob["recs"]) <= 3 for knob in report.profile.advice)
    employer = report.employer
    assert [r.id for r in employer.factors] == [f.id for f in defs.model.factors]
    assert {r.id: r.employer for r in employer.factors} == pytest.approx(employer_scores(defs, EMPLOYER_BY_KNOB))
    assert {r.id: r.workers for r in employer.factors} == pytest.approx(means)
    assert set(report.charts) == {"spread", "bands", "employer"}
    for factor in defs.model.factors:  # every chart names every factor
        assert all(f">{factor.label.nl}<" in svg for svg in report.charts.values()), factor.id


def test_the_report_page_has_a_row_per_factor(defs, team):
    campaign_id, advisor = team
    html = advisor.get(f"/advisor/campaigns/{campaign_id}/report").get_data(as_text=True)
    for factor, mean in zip(defs.model.factors, worker_means(defs).values(), strict=True):
        row = re.search(rf'<th scope="row">{factor.label.nl}</th>(.*?)</tr>', html, re.S)
        assert row, factor.id
        assert re.findall(r"<td>([^<]*)</td>", row.group(1))[:2] == ["5", str(round(mean))]
    assert html.count("<svg") == 3


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext not installed (Debian's poppler-utils)")
def test_the_pdf_names_every_factor(defs, team, tmp_path):
    campaign_id, advisor = team
    path = tmp_path / "team.pdf"
    path.write_bytes(advisor.get(f"/advisor/campaigns/{campaign_id}/report.pdf").data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for factor in defs.model.factors:
        assert factor.label.nl in text


def scores(rows: list[dict[str, str]], slug: str, column: str) -> list[float]:
    return sorted(float(r[column].replace(",", ".")) for r in rows if r[column] and r["questionnaire"] == slug)


def test_the_exports_have_the_items_and_a_score_per_factor(defs, team, tmp_path):
    campaign_id, advisor = team
    worker, scan = defs.questionnaires["loopbaan-apk"], defs.questionnaires["leercultuur"]
    plain = advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv")
    assert plain.status_code == 200
    header, *body = list(csv.reader(io.StringIO(plain.data.decode("utf-8"))))
    score_columns = [f"score_{f.id}" for f in defs.model.factors] + [f"score_{k.id}" for k in defs.model.knobs]
    assert header[header.index("score_" + defs.model.factors[0].id):] == score_columns
    assert {i.id for i in worker.items} | {i.id for i in scan.items} <= set(header)
    rows = [dict(zip(header, r, strict=True)) for r in body]
    assert len(rows) == 10
    employer = employer_scores(defs, EMPLOYER_BY_KNOB)
    for factor, mean in worker_means(defs).items():
        assert sum(scores(rows, "loopbaan-apk", f"score_{factor}")) / 5 == pytest.approx(mean)
        assert scores(rows, "leercultuur", f"score_{factor}") == pytest.approx([employer[factor]] * 5)

    excel = advisor.get(f"/advisor/campaigns/{campaign_id}/export-excel.csv").data.decode("utf-8-sig")
    words = next(csv.reader(io.StringIO(excel), delimiter=";"))
    assert [f"Score {f.label.nl}" for f in defs.model.factors] == [w for w in words if w.startswith("Score ")][
        :len(defs.model.factors)]

    book = load_workbook(io.BytesIO(advisor.get(f"/advisor/campaigns/{campaign_id}/export.xlsx").data))
    sheet_header = next(book.worksheets[0].iter_rows(values_only=True))
    assert all(f"Score {f.label.nl}" in sheet_header for f in defs.model.factors)

    path = tmp_path / "export.sav"
    path.write_bytes(advisor.get(f"/advisor/campaigns/{campaign_id}/export.sav").data)
    _frame, meta = pyreadstat.read_sav(str(path), user_missing=False)
    assert meta.column_names == header
    for factor in defs.model.factors:
        assert meta.column_names_to_labels[f"score_{factor.id}"] == f"Score {factor.label.nl}"
