"""The team report's numbers (app/team.py, app/team_compare.py, app/team_report.py), checked by hand.

The data and the hand computations are in ``team_data.py``.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from app.extensions import db
from app.models import Campaign
from app.team.report import build_team_report
from tests.support.team_data import (
    EMPLOYER_BY_KNOB,
    EMPLOYER_VERSUS_WORKERS,
    WORKERS,
    A,
    fill,
    make_campaign,
    questionnaire,
    store,
    worker_keyed,
)


def report_of(app, campaign_id: int, baseline_id: int | None = None, lang: str = "nl", k: int | None = None):
    if k is not None:
        app.config["ANONYMITY_K"] = k
    with app.test_request_context(f"/?lang={lang}"):
        campaign = db.session.get(Campaign, campaign_id)
        baseline = db.session.get(Campaign, baseline_id) if baseline_id else None
        return build_team_report(campaign, lang, baseline)


@pytest.fixture
def five(app):
    """The five workers and the employer of team_data, in one campaign; its id."""
    campaign_id, _org, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS, employers=[EMPLOYER_BY_KNOB])
    return campaign_id


def factors(report) -> dict:
    return {f.id: f for f in report.profile.factors}


def test_team_figures_match_the_hand_computation(app, five):
    report = report_of(app, five)
    f = factors(report)
    assert report.profile.enough and report.k == 5
    assert [fig.n for fig in f.values()] == [5, 5, 5, 5]
    assert f["motivation"].mean == pytest.approx(65)
    assert f["motivation"].sd == pytest.approx(math.sqrt(812.5))
    assert dict(f["motivation"].bands) == {"low": 1, "medium": 1, "high": 3}
    assert f["awareness"].mean == pytest.approx(50)
    assert dict(f["awareness"].bands) == {"low": 2, "medium": 1, "high": 2}
    assert f["means"].mean == pytest.approx(50)
    assert dict(f["means"].bands) == {"low": 2, "medium": 3, "high": 0}
    assert (f["opportunities"].mean, f["opportunities"].sd) == (pytest.approx(50), pytest.approx(0))


def test_alpha_per_factor_on_the_keyed_matrix_with_plain_notes(app, five):
    f = factors(report_of(app, five))
    assert f["motivation"].alpha == pytest.approx(1.0) and f["motivation"].alpha_note is None
    assert f["awareness"].alpha == pytest.approx(882 / 888) and f["awareness"].alpha_note is None
    assert f["means"].alpha == pytest.approx(-7.0)
    assert "Middelen" in f["means"].alpha_note and "alfa -7,00" in f["means"].alpha_note
    assert f["opportunities"].alpha is None
    assert "niet te berekenen" in f["opportunities"].alpha_note


def test_reverse_items_are_recoded_before_alpha(app):
    # Everyone answers every item alike in *raw* terms: keyed, the reverse items run the other way,
    # so the items do not hang together; without recoding alpha would be a perfect 1.
    campaign_id, _org, _deps = make_campaign(app)
    q = questionnaire(app, "loopbaan-apk")
    for value in A:
        keyed = {i.id: (6 - value if i.reverse else value) for i in q.items}
        store(app, "loopbaan-apk", keyed, campaign_id)
    motivation = factors(report_of(app, campaign_id))["motivation"]
    assert motivation.alpha is not None and motivation.alpha < 0.6 and motivation.alpha_note


def test_advice_for_the_organisation_comes_from_the_team_means(app, five):
    report = report_of(app, five)
    advice = {knob["id"]: knob for knob in report.profile.advice}
    assert list(advice) == ["direction", "room", "backing"]
    assert all(1 <= len(knob["recs"]) <= 3 for knob in advice.values())
    reasons = " ".join(rec["reason"] for knob in advice.values() for rec in knob["recs"])
    # the weakest team factors are awareness and means (50, medium), never motivation (65) first
    assert "Bewustzijn" in reasons or "Middelen" in reasons
    assert "(50 van 100)" in reasons


def test_below_k_there_is_nothing_at_all(app):
    campaign_id, _org, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS[:4], employers=[EMPLOYER_BY_KNOB])
    report = report_of(app, campaign_id)
    assert not report.profile.enough
    assert report.profile.factors == () and report.profile.advice == () and report.profile.departments == ()
    assert report.employer is None and report.charts == {}


def test_exactly_k_gives_figures_and_k_is_a_setting(app, five):
    assert report_of(app, five, k=5).profile.enough
    assert not report_of(app, five, k=6).profile.enough
    with pytest.raises(ValueError):
        report_of(app, five, k=11)


def test_departments_with_complementary_suppression(app):
    # k = 3. Productie 5, Kantoor 4, Winkel 1: Winkel is below k, and Kantoor is hidden too, because
    # Winkel alone could be derived from the total minus the two others.
    campaign_id, _org, deps = make_campaign(app, departments=("Productie", "Kantoor", "Winkel", "Leeg"))
    workers = [worker_keyed(r % 5) for r in range(10)]
    where = [deps["Productie"]] * 5 + [deps["Kantoor"]] * 4 + [deps["Winkel"]]
    fill(app, campaign_id, workers, where)
    rows = {d.name: d for d in report_of(app, campaign_id, k=3).profile.departments}
    assert list(rows) == ["Kantoor", "Leeg", "Productie", "Winkel"]
    assert rows["Productie"].n == 5 and rows["Productie"].means["motivation"] == pytest.approx(65)
    for hidden in ("Kantoor", "Winkel", "Leeg"):
        assert rows[hidden].n is None and set(rows[hidden].means.values()) == {None}


def test_responses_without_a_department_count_for_the_suppression(app):
    # k = 3. Productie 4, Kantoor 4, no department 2: those two could be derived, so one more is hidden:
    # of two equally small departments the one with the lowest id (Productie, made first), as on the
    # dashboard and in the export.
    campaign_id, _org, deps = make_campaign(app, departments=("Productie", "Kantoor"))
    assert deps["Productie"] < deps["Kantoor"]
    where = [deps["Productie"]] * 4 + [deps["Kantoor"]] * 4 + [None] * 2
    fill(app, campaign_id, [worker_keyed(r % 5) for r in range(10)], where)
    rows = {d.name: d.n for d in report_of(app, campaign_id, k=3).profile.departments}
    assert rows == {"Kantoor": 4, "Productie": None}


def test_employer_versus_workers_per_factor_and_knob(app, five):
    employer = report_of(app, five).employer
    assert employer.respondents == 1
    assert [(r.id, r.employer, r.workers) for r in employer.factors] == EMPLOYER_VERSUS_WORKERS["factors"]
    assert [(r.id, r.employer, r.workers) for r in employer.knobs] == EMPLOYER_VERSUS_WORKERS["knobs"]


def test_largest_gaps_get_conversation_questions_from_the_model(app, five, defs):
    talks = report_of(app, five).employer.conversations
    # 46.25, 30, then a tie at 25 (opportunities, room, backing): a factor before a knob
    assert [(t.row.kind, t.row.id) for t in talks] == [("knob", "direction"), ("factor", "awareness"),
                                                      ("factor", "opportunities")]
    assert talks[0].questions == tuple(t.nl for t in defs.model.knob_map["direction"].conversation)
    assert talks[1].questions == tuple(t.nl for t in defs.model.factor_map["awareness"].conversation)
    assert talks[0].sentence == ("Richting: de werkgever schat dit hoger in (100) dan de werkenden het ervaren (54).")
    assert talks[2].sentence == ("Kansen: de werkgever schat dit hoger in (75) dan de werkenden het ervaren (50).")
    english = report_of(app, five, lang="en").employer.conversations
    assert english[0].questions == tuple(t.en for t in defs.model.knob_map["direction"].conversation)


def test_small_gaps_get_no_conversation(app):
    campaign_id, _org, _deps = make_campaign(app)
    workers = [{item: 3 for item in WORKERS[0]} | {"kan_1": 4}] * 5  # 50 everywhere, opportunities 53.6, room 55
    fill(app, campaign_id, workers, employers=[{"direction": 3, "room": 3, "backing": 3}])
    employer = report_of(app, campaign_id).employer
    assert max(abs(r.difference) for r in employer.factors + employer.knobs) == pytest.approx(5)
    assert employer.conversations == ()


def test_k_employer_scans_count_as_their_mean(app):
    # From 2 to k - 1 scans nothing is shown: tests/app/team/test_employer_figures.py.
    campaign_id, _org, _deps = make_campaign(app)
    everything = {"direction": 5, "room": 5, "backing": 5}
    half = {"direction": 3, "room": 3, "backing": 3}
    fill(app, campaign_id, WORKERS, employers=[everything, half, everything, half, {"direction": 4, "room": 4,
                                                                                    "backing": 4}])
    employer = report_of(app, campaign_id).employer
    assert employer.respondents == 5 and employer.as_group
    assert all(r.employer == pytest.approx(75) for r in employer.factors + employer.knobs)


def test_without_employer_scan_there_is_no_comparison(app):
    campaign_id, _org, _deps = make_campaign(app)
    fill(app, campaign_id, WORKERS)
    report = report_of(app, campaign_id)
    assert report.employer is None and not report.employer_done and "employer" not in report.charts


def test_over_time_compares_with_an_earlier_campaign_of_the_same_organisation(app, five):
    with app.app_context():
        org_id = db.session.get(Campaign, five).organisation_id
    later, _org, _deps = make_campaign(app, "Najaar", org_id=org_id, opens_on=date(2026, 10, 1))
    fill(app, later, [worker_keyed(4)] * 5)  # everyone keyed 5/5/.. : motivation 100
    other, _org2, _deps = make_campaign(app, "Elders")
    report = report_of(app, later, baseline_id=five)
    assert [c.id for c in report.earlier] == [five]  # never the campaign of another organisation
    rows = {r.id: r for r in report.baseline.rows}
    assert (rows["motivation"].before, rows["motivation"].after) == (pytest.approx(65), pytest.approx(100))
    assert rows["motivation"].difference == pytest.approx(35)
    assert report.baseline.chart_svg.startswith("<svg")
    assert other not in [c.id for c in report.earlier]


def test_over_time_needs_k_in_both_campaigns(app):
    first, org_id, _deps = make_campaign(app, "Voorjaar")
    fill(app, first, WORKERS[:4])
    later, _org, _deps = make_campaign(app, "Najaar", org_id=org_id, opens_on=date(2026, 10, 1))
    fill(app, later, WORKERS)
    baseline = report_of(app, later, baseline_id=first).baseline
    assert baseline.rows == () and not baseline.enough


def test_charts_carry_their_numbers_and_have_no_inline_style(app, five):
    charts = report_of(app, five).charts
    assert set(charts) == {"spread", "bands", "employer"}
    assert ">65 ± 29<" in charts["spread"]
    assert all(' style="' not in svg and "<style" not in svg for svg in charts.values())
    # several charts on one page: each kind names its SVG ids with its own prefix
    for key, prefix in (("spread", "team-spread-"), ("bands", "team-bands-"), ("employer", "team-employer-")):
        assert 'id="' + prefix in charts[key]
        assert 'id="' not in charts[key].replace('id="' + prefix, "")
