"""Responses to questionnaire version 1.0.0 after the items changed in 2.0.0 (split, reworded, new, gone).

An app with the 1.0.0 questionnaires (tests/fixtures/questionnaires-1.0.0, the files as shipped then,
with today's model and catalog) stores responses; the app with the shipped 2.0.0 definitions on the
same database then renders their reports from the stored result, compares them with a new report
(and says the versions differ), and makes team figures, the employer comparison and an export of
both versions, although items such as ``mot_5`` and ``ric_1`` no longer exist.
"""

from __future__ import annotations

import csv
import html as html_lib
import io
import re
import shutil
from pathlib import Path

import pytest

from app import create_app
from app.config import DEFAULTS
from app.extensions import db
from app.models import Campaign
from app.team.report import build_team_report
from tests.support.flows import csrf_token
from tests.support.reports import store_report
from tests.support.team_data import EMPLOYER_BY_KNOB, WORKERS, fill, logged_in, make_campaign, questionnaire

OLD_FILES = Path(__file__).resolve().parents[2] / "fixtures" / "questionnaires-1.0.0"
OLD, CURRENT = "1.0.0", "2.0.0"


@pytest.fixture
def old_app(app, tmp_path):
    """An app on the same database as ``app``, with the 1.0.0 questionnaires."""
    folder = tmp_path / "definitions-1.0.0"
    shutil.copytree(DEFAULTS["DEFINITIONS_DIR"], folder)
    for path in OLD_FILES.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    old = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
                      "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                      "DEFINITIONS_DIR": str(folder)})
    yield old
    with old.app_context():
        db.engine.dispose()


def test_the_versions_differ_in_their_items(app, old_app):
    for slug, gone in (("loopbaan-apk", {"mot_5", "kan_3", "kan_5"}), ("leercultuur", {"ric_1", "rug_6"})):
        old, new = questionnaire(old_app, slug), questionnaire(app, slug)
        assert (old.version, new.version) == (OLD, CURRENT)
        assert gone <= set(old.item_map) and not gone & set(new.item_map)


def page(client, code: str, compare_with: str | None = None) -> str:
    if compare_with is None:
        response = client.get(f"/r/{code}")
    else:
        token = csrf_token(client.get(f"/r/{code}").get_data(as_text=True))
        response = client.post(f"/r/{code}/vergelijk", data={"vergelijk": compare_with, "csrf_token": token})
    assert response.status_code == 200
    return html_lib.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("slug", ["loopbaan-apk", "leercultuur"])
def test_an_old_report_still_renders_from_its_stored_result(app, old_app, client, slug):
    code = store_report(old_app, slug=slug, value=2)
    html = page(client, code)  # the 2.0.0 app
    for label in ("Motivatie", "Bewustzijn", "Middelen", "Kansen"):
        assert label in html
    assert client.get(f"/r/{code}/pdf").status_code == 200


def test_an_old_report_compares_with_a_new_one_and_says_the_versions_differ(app, old_app, client):
    earlier = store_report(old_app, value=2)
    current = store_report(app, value=4)
    html = page(client, current, earlier)
    notice = re.search(r'<p class="notice versions-differ" role="note">(.*?)</p>', html, re.S).group(1)
    assert f"versie {OLD} van de vragenlijst, deze met versie {CURRENT}" in notice
    # Both versions measure all four factors: each is compared. Motivation 1.0.0: 7 items, 3 reverse
    # (answered 2: 2.857); 2.0.0: 8 items, 3 reverse (answered 4: 3.25).
    assert "<li>Motivatie: van 46 naar 56, 10 punten hoger (van laag naar gemiddeld)</li>" in html
    assert "<li>Middelen: van 39 naar 61, 22 punten hoger (van laag naar gemiddeld)</li>" in html
    assert len(re.findall(r"<li>(?:Motivatie|Bewustzijn|Middelen|Kansen): van", html)) == 4


def test_a_team_report_and_export_with_both_versions(app, old_app):
    campaign_id, org_id, _deps = make_campaign(app)
    fill(old_app, campaign_id, WORKERS, employers=[EMPLOYER_BY_KNOB])  # 1.0.0
    fill(app, campaign_id, WORKERS)  # the same keyed answers, to 2.0.0
    with app.test_request_context("/?lang=nl"):
        report = build_team_report(db.session.get(Campaign, campaign_id), "nl")
    f = {fig.id: fig for fig in report.profile.factors}
    # team_data's hand values hold in both versions: every factor is n = 10 with the same mean
    assert {fid: (fig.n, round(fig.mean, 6)) for fid, fig in f.items()} == {
        "motivation": (10, 65), "awareness": (10, 50), "means": (10, 50), "opportunities": (10, 50)}
    assert f["awareness"].alpha == pytest.approx(882 / 888)  # over the five 2.0.0 responses only
    assert "alleen berekend over de antwoorden op de huidige versie" in report.profile.alpha_version_note
    knobs = {fig.id: fig.mean for fig in report.profile.knobs}
    assert knobs == {"direction": pytest.approx(53.75), "room": pytest.approx(50), "backing": pytest.approx(50)}
    # the 1.0.0 employer scan (ric_1, rug_6 ...) against the workers, from its stored scores
    employer = {r.id: r.employer for r in (*report.employer.factors, *report.employer.knobs)}
    assert employer["direction"] == pytest.approx(100) and employer["motivation"] == pytest.approx(62.5)

    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    header = list(rows[0])
    assert "mot_5" not in header and "mot_5@1.0.0" in header and "mot_9" in header
    old_rows = [r for r in rows if r["questionnaire"] == "loopbaan-apk" and r["version"] == OLD]
    assert sorted(int(r["mot_5@1.0.0"]) for r in old_rows) == [1, 2, 2, 3, 4]  # reverse: 6 - keyed
    assert advisor.get(f"/advisor/campaigns/{campaign_id}/report").status_code == 200
