"""Employer figures in the team report: one scan is "de werkgever"; from 2 to k - 1 scans nothing is
shown; from k on, their mean as a group.

The attack at n = 2: an advisor (or one of the two) who knows the first scan's scores reads the
shown mean and computes 2 × mean − first = the second person's scores, exactly. So with two scans
there must be no mean (and no difference, chart, conversation or segment) to compute from.
"""

from __future__ import annotations

import re

import pytest

from app.team.compare import EmployerComparison, employer_view
from tests.support.team_data import WORKERS, fill, logged_in, make_campaign

from .test_team import report_of

FIRST = {"direction": 5, "room": 4, "backing": 2}  # knobs 100, 75, 25
SECOND = {"direction": 2, "room": 1, "backing": 4}  # knobs 25, 0, 75
SECOND_KNOBS = {"direction": 25.0, "room": 0.0, "backing": 75.0}
FIRST_KNOBS = {"direction": 100.0, "room": 75.0, "backing": 25.0}


def _campaign(app, employers):
    campaign_id, org_id, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS, employers=employers)
    return campaign_id, org_id


def _backed_out(first: dict[str, float], mean: dict[str, float]) -> dict[str, float]:
    """The attack: 2 × mean − first."""
    return {knob: 2 * mean[knob] - first[knob] for knob in mean}


def test_the_attack_works_on_a_mean_of_two(app):
    """What the rule prevents: had the mean of two been shown, it gives the second scan exactly."""
    campaign_id, _ = _campaign(app, [FIRST, SECOND])
    with app.app_context():
        from app.extensions import db
        from app.models import Campaign
        from app.team.report import completed_responses

        responses = completed_responses(db.session.get(Campaign, campaign_id))
        scans = [r.scores for r in responses if r.slug == "leercultuur"]
    mean = {kn: (scans[0].knobs[kn].score + scans[1].knobs[kn].score) / 2 for kn in SECOND_KNOBS}
    assert _backed_out(FIRST_KNOBS, mean) == pytest.approx(SECOND_KNOBS)


def test_with_two_employer_scans_nothing_is_shown_to_compute_from(app):
    campaign_id, org_id = _campaign(app, [FIRST, SECOND])
    report = report_of(app, campaign_id)
    assert report.employer is not None and report.employer.withheld
    assert not isinstance(report.employer, EmployerComparison)
    assert not hasattr(report.employer, "knobs") and not hasattr(report.employer, "factors")
    assert "employer" not in report.charts
    with app.app_context():
        from app.extensions import db
        from app.models import Campaign
        from app.team.report import completed_responses

        responses = completed_responses(db.session.get(Campaign, campaign_id))
    from app.definitions import KEY

    assert employer_view(app.extensions[KEY], responses, k=5) is None  # no mean to hand on either

    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    page = advisor.get(f"/advisor/campaigns/{campaign_id}/report")
    html = page.get_data(as_text=True)
    section = re.search(r'<section aria-labelledby="employer-title">(.*?)</section>', html, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "2 × gemiddelde − eerste = tweede" in text and "tonen we niets van de scan" in text
    # The mean of the two (62.5, 37.5, 50) — or anything else to back out from — is not on the page.
    assert "<table" not in section and "<svg" not in section
    assert set(re.findall(r"\d+", text)) == {"2", "5"}  # only "2 × …" and k: no score, mean or difference
    assert "Gespreksstarters" not in section
    pdf_html = advisor.get(f"/advisor/campaigns/{campaign_id}/report.pdf")
    assert pdf_html.status_code == 200


@pytest.mark.parametrize("n", [2, 3, 4])
def test_from_two_to_k_minus_one_scans_nothing_is_shown(app, n):
    campaign_id, _ = _campaign(app, [FIRST] * (n - 1) + [SECOND])
    assert report_of(app, campaign_id).employer.withheld


def test_one_scan_is_shown_as_the_employer(app):
    campaign_id, org_id = _campaign(app, [FIRST])
    employer = report_of(app, campaign_id).employer
    assert isinstance(employer, EmployerComparison) and employer.respondents == 1 and not employer.as_group
    assert {r.id: r.employer for r in employer.knobs} == pytest.approx(FIRST_KNOBS)
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    text = " ".join(re.sub(r"<[^>]+>", " ", advisor.get(f"/advisor/campaigns/{campaign_id}/report")
                           .get_data(as_text=True)).split())
    assert "Eén scan: dit zijn de antwoorden van de werkgever" in text


def test_k_scans_are_shown_as_a_group_mean(app):
    campaign_id, _ = _campaign(app, [FIRST] * 4 + [SECOND])
    employer = report_of(app, campaign_id).employer
    assert isinstance(employer, EmployerComparison) and employer.respondents == 5 and employer.as_group
    expected = {kn: (4 * FIRST_KNOBS[kn] + SECOND_KNOBS[kn]) / 5 for kn in FIRST_KNOBS}
    assert {r.id: r.employer for r in employer.knobs} == pytest.approx(expected)

