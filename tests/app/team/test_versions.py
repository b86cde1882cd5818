"""Team figures, the employer comparison and the exports read the scores each response was given at
submission, with its own questionnaire version: changing the definitions afterwards changes none of them.

The responses of tests/support/team_data.py are stored with the shipped definitions (version
:data:`SHIPPED`); then an app on the same database gets definitions in which ``mot_1`` (check-up) and
``ric_2`` (employer scan) are reverse-keyed and both versions are :data:`NEW`. Scoring the stored answers again with
those would give other numbers (motivation, awareness, direction); the reports must not.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
from pathlib import Path

import pytest

from app import create_app
from app.config import DEFAULTS
from app.extensions import db
from app.models import Campaign
from app.team.report import build_team_report
from tests.support.team_data import EMPLOYER_BY_KNOB, EMPLOYER_VERSUS_WORKERS, WORKERS, fill, logged_in, make_campaign

SHIPPED = "2.0.0"  # the version of both shipped questionnaires
NEW = "2.1.0"


def changed_definitions(folder: Path) -> Path:
    """A copy of the shipped definitions with ``mot_1`` and ``ric_2`` reverse-keyed, versions :data:`NEW`."""
    target = folder / "definitions"
    shutil.copytree(DEFAULTS["DEFINITIONS_DIR"], target)
    for name, item in (("loopbaan-apk.yaml", "mot_1"), ("leercultuur.yaml", "ric_2")):
        path = target / name
        text = path.read_text(encoding="utf-8")
        text, versions = re.subn(rf'^version: "{re.escape(SHIPPED)}"$', f'version: "{NEW}"', text, count=1,
                                 flags=re.M)
        # the item's own "factor:" line (the first after its id) gets "reverse: true" after it
        text, reversed_ = re.subn(rf"(- id: {item}\n(?:(?!\s+- id:).*\n)*?(\s+)factor: \w+\n)",
                                  r"\1\2reverse: true\n", text, count=1)
        assert versions == 1 and reversed_ == 1, name
        path.write_text(text, encoding="utf-8")
    return target


@pytest.fixture
def later_app(app, tmp_path):
    """An app on the same database as ``app``, with the changed definitions."""
    later = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SERVER_NAME": "localhost",
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "DEFINITIONS_DIR": str(changed_definitions(tmp_path))})
    yield later
    with later.app_context():
        db.engine.dispose()


def report_of(app, campaign_id: int, lang: str = "nl"):
    with app.test_request_context(f"/?lang={lang}"):
        return build_team_report(db.session.get(Campaign, campaign_id), lang)


@pytest.fixture
def stored(app):
    """The five workers and the employer of team_data, stored with version SHIPPED; campaign and organisation id."""
    campaign_id, org_id, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS, employers=[EMPLOYER_BY_KNOB])
    return campaign_id, org_id


def test_the_changed_definitions_would_score_the_stored_answers_differently(app, later_app):
    from scoring import score
    from tests.support.team_data import questionnaire, raw

    old, new = questionnaire(app, "loopbaan-apk"), questionnaire(later_app, "loopbaan-apk")
    assert (old.version, new.version) == (SHIPPED, NEW)
    answers = raw(old, WORKERS[0])
    factors = ("motivation",)
    assert score(old, answers, factors).factors["motivation"].score == pytest.approx(25)
    assert score(new, answers, factors).factors["motivation"].score != pytest.approx(25)


def test_team_figures_keep_the_scores_given_at_submission(app, later_app, stored):
    campaign_id, _org = stored
    before, after = report_of(app, campaign_id), report_of(later_app, campaign_id)
    for figures in (before, after):
        f = {fig.id: fig for fig in figures.profile.factors}
        assert f["motivation"].mean == pytest.approx(65)  # team_data's hand computation
        assert f["motivation"].sd == pytest.approx(math.sqrt(812.5))
        assert dict(f["motivation"].bands) == {"low": 1, "medium": 1, "high": 3}
        assert f["awareness"].mean == pytest.approx(50) and f["means"].mean == pytest.approx(50)
        k = {fig.id: fig.mean for fig in figures.profile.knobs}
        assert k == {"direction": pytest.approx(53.75), "room": pytest.approx(50), "backing": pytest.approx(50)}
    assert [(f.id, f.n, f.mean, f.sd, f.bands) for f in before.profile.factors] == [
        (f.id, f.n, f.mean, f.sd, f.bands) for f in after.profile.factors]
    assert before.profile.advice == after.profile.advice


def test_alpha_needs_answers_to_the_current_version(app, later_app, stored):
    campaign_id, _org = stored
    before, after = report_of(app, campaign_id), report_of(later_app, campaign_id)
    assert before.profile.alpha_version_note is None
    assert {f.id: f.alpha for f in before.profile.factors}["motivation"] == pytest.approx(1.0)
    # With NEW current, none of the five answered it: no alpha, and the note says why.
    assert [f.alpha for f in after.profile.factors] == [None] * 4
    assert [f.alpha_note for f in after.profile.factors] == [None] * 4
    assert "niet berekend" in after.profile.alpha_version_note
    assert "huidige versie" in after.profile.alpha_version_note


def test_with_both_versions_alpha_counts_only_the_current_one(app, later_app, stored):
    campaign_id, _org = stored
    fill(later_app, campaign_id, WORKERS)  # the same keyed answers, given to NEW
    profile = report_of(later_app, campaign_id).profile
    f = {fig.id: fig for fig in profile.factors}
    assert f["motivation"].n == 10 and f["motivation"].mean == pytest.approx(65)
    # over the five NEW responses only: the hand values of team_data (over all ten, the SHIPPED answers
    # read with NEW's keying would make motivation's items disagree)
    assert f["motivation"].alpha == pytest.approx(1.0)
    assert f["awareness"].alpha == pytest.approx(882 / 888)
    assert "alleen berekend over de antwoorden op de huidige versie" in profile.alpha_version_note


def test_the_employer_comparison_keeps_the_scores_given_at_submission(app, later_app, stored):
    campaign_id, _org = stored
    employer = report_of(later_app, campaign_id).employer
    assert [(r.id, r.employer, r.workers) for r in employer.factors] == EMPLOYER_VERSUS_WORKERS["factors"]
    assert [(r.id, r.employer, r.workers) for r in employer.knobs] == EMPLOYER_VERSUS_WORKERS["knobs"]


def export_rows(app, campaign_id: int, org_id: int, email: str = "adviseur@example.org") -> list[dict[str, str]]:
    advisor = logged_in(app, email, (org_id,))
    response = advisor.get(f"/advisor/campaigns/{campaign_id}/export.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_the_export_keeps_each_response_its_version_scores_and_items(app, later_app, stored):
    campaign_id, org_id = stored
    rows = export_rows(later_app, campaign_id, org_id)
    assert len(rows) == 5 and {r["version"] for r in rows} == {SHIPPED}
    assert sorted(float(r["score_motivation"]) for r in rows) == [25.0, 50.0, 75.0, 75.0, 100.0]
    # the items of SHIPPED in columns of their own; the current version has no responses, so no columns
    assert "mot_1" not in rows[0] and sorted(int(r[f"mot_1@{SHIPPED}"]) for r in rows) == [2, 3, 4, 4, 5]


def test_an_export_of_both_versions_has_item_columns_per_version(app, later_app, stored):
    campaign_id, org_id = stored
    fill(later_app, campaign_id, WORKERS)
    rows = export_rows(later_app, campaign_id, org_id)
    header = list(rows[0])
    assert header.index("mot_1") < header.index("kan_7") < header.index(f"mot_1@{SHIPPED}")
    old = [r for r in rows if r["version"] == SHIPPED]
    new = [r for r in rows if r["version"] == NEW]
    assert len(old) == len(new) == 5
    assert {r["mot_1"] for r in old} == {""} and {r[f"mot_1@{SHIPPED}"] for r in new} == {""}
    assert sorted(int(r["mot_1"]) for r in new) == [1, 2, 2, 3, 4]  # reverse-keyed in NEW: raw 6 - keyed
    assert sorted(int(r[f"mot_1@{SHIPPED}"]) for r in old) == [2, 3, 4, 4, 5]
    for group in (old, new):
        assert sorted(float(r["score_motivation"]) for r in group) == [25.0, 50.0, 75.0, 75.0, 100.0]
