"""Releases of an open campaign's figures, tried as a curious advisor would (issue "Anonymity that
survives arithmetic"): two moments of one open campaign, one department gaining one person, a deletion.

The rule itself, with an exact audit over random campaigns, is tested in tests/scoring/test_releases.py;
here the pages and the stored releases follow it, on SQLite and (``make test-postgres``) PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models import Campaign, Release, Response
from tests.support.team_data import WORKERS, fill, logged_in, make_campaign, store, worker_keyed

from .test_team import report_of


def _open(app, departments: tuple[str, ...] = ()) -> tuple[int, int, dict[str, int]]:
    """A campaign that opened ten days ago and closes in twenty."""
    campaign_id, org_id, deps = make_campaign(app, departments=departments)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.opens_on, campaign.closes_on = date.today() - timedelta(days=10), date.today() + timedelta(days=20)
        db.session.commit()
    return campaign_id, org_id, deps


def _means(report) -> dict[str, float | None]:
    return {f.id: f.mean for f in report.profile.factors}


def _text(page) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())


def test_a_sixth_person_changes_nothing_until_k_new_are_there(app):
    campaign_id, org_id, _ = _open(app)
    fill(app, campaign_id, WORKERS)
    first = report_of(app, campaign_id)
    assert first.profile.enough and first.profile.group.respondents == 5 and first.release.number == 1
    store(app, "loopbaan-apk", worker_keyed(4), campaign_id)  # the sixth: very different from the mean
    second = report_of(app, campaign_id)
    # The attack: 6 × new mean − 5 × old mean. Nothing to subtract: the figures are those of release 1.
    assert second.release.number == 1 and second.profile.group.respondents == 5
    assert _means(second) == _means(first)
    assert [f.sd for f in second.profile.factors] == [f.sd for f in first.profile.factors]
    for r in range(4):
        store(app, "loopbaan-apk", worker_keyed(r), campaign_id)
    third = report_of(app, campaign_id)  # five new since release 1: they go in together
    assert third.release.number == 2 and third.profile.group.respondents == 10
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    text = _text(advisor.get(f"/advisor/campaigns/{campaign_id}/report"))
    assert "U ziet stand 2 van de cijfers" in text and "nooit één voor één" in text
    assert "De volgende stand komt" in text
    page = _text(advisor.get(f"/advisor/campaigns/{campaign_id}"))
    assert "U ziet stand 2 van de cijfers" in page and "Totaal 10 10 100%" in page


def test_one_department_gaining_one_person_changes_no_figure(app):
    campaign_id, org_id, deps = _open(app, ("Keuken", "Zaal"))
    fill(app, campaign_id, WORKERS + WORKERS, [deps["Keuken"]] * 5 + [deps["Zaal"]] * 5)
    before = report_of(app, campaign_id)
    rows = {d.name: (d.n, dict(d.means)) for d in before.profile.departments}
    assert rows["Keuken"][0] == 5 and rows["Zaal"][0] == 5
    store(app, "loopbaan-apk", worker_keyed(0), campaign_id, deps["Zaal"])
    after = report_of(app, campaign_id)
    assert {d.name: (d.n, dict(d.means)) for d in after.profile.departments} == rows
    assert _means(after) == _means(before) and after.profile.group.respondents == 10
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    page = _text(advisor.get(f"/advisor/campaigns/{campaign_id}"))
    assert "Zaal – 5" in page and "Totaal 11 10" in page  # started counts now; completed by the release


def test_a_deletion_never_shows_on_its_own(app):
    from app.responses.store import delete

    campaign_id, _org, _ = _open(app)
    ids = [store(app, "loopbaan-apk", worker_keyed(r % 5), campaign_id) for r in range(10)]
    before = report_of(app, campaign_id)
    with app.app_context():
        delete(db.session.get(Response, ids[3]))
    after = report_of(app, campaign_id)
    # Leaving the figures now would give the deleted person's scores as 10 × old − 9 × new.
    assert after.profile.group.respondents == 10 and _means(after) == _means(before)
    for r in range(5):
        store(app, "loopbaan-apk", worker_keyed(r), campaign_id)
    later = report_of(app, campaign_id)  # five new: the pool is made anew, without the deleted one
    assert later.profile.group.respondents == 14


def test_releases_store_sums_of_at_least_k_and_no_person(app):
    campaign_id, _org, deps = _open(app, ("Keuken", "Zaal", "Bar"))
    fill(app, campaign_id, WORKERS + WORKERS[:2] + WORKERS[:3],
         [deps["Keuken"]] * 5 + [deps["Zaal"]] * 2 + [deps["Bar"]] * 3)
    report = report_of(app, campaign_id)
    with app.app_context():
        (release,) = db.session.query(Release).filter_by(campaign_id=campaign_id).all()
        pools = release.figures["pools"]
    # Keuken's five are a pool; Zaal's two and Bar's three went in together (the rest pool).
    assert {key.split("|")[1] for key in pools if key.endswith("|n")} == {str(deps["Keuken"]), "+"}
    assert all(p["n"] >= 5 for p in pools.values())
    assert all(set(p) == {"n", "sum", "sumsq", "bands"} for p in pools.values())
    assert report.profile.group.respondents == 10
    rows = {d.name: d.n for d in report.profile.departments}
    assert rows == {"Keuken": 5, "Zaal": None, "Bar": None}


def test_the_closing_release_counts_everyone(app):
    campaign_id, org_id, _ = _open(app)
    fill(app, campaign_id, WORKERS)
    report_of(app, campaign_id)
    store(app, "loopbaan-apk", worker_keyed(1), campaign_id)
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.closes_on = date.today() - timedelta(days=1)
        db.session.commit()
    closed = report_of(app, campaign_id)
    assert closed.release.closing and closed.profile.group.respondents == 6
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    assert "U ziet de eindstand" in _text(advisor.get(f"/advisor/campaigns/{campaign_id}/report"))


def test_before_the_first_release_the_pages_say_so(app):
    campaign_id, org_id, _ = _open(app)
    fill(app, campaign_id, WORKERS[:4])
    advisor = logged_in(app, "adviseur@example.org", (org_id,))
    page = _text(advisor.get(f"/advisor/campaigns/{campaign_id}"))
    assert "Er is nog geen stand van de cijfers" in page and "Totaal 4 0" in page


@pytest.mark.parametrize("k", [3, 5])
def test_two_moments_give_the_same_figures_or_k_more_people(app, k):
    """Whatever two moments an advisor compares, the respondent counts differ by 0 or at least k."""
    campaign_id, _org, _ = _open(app)
    seen = []
    for r in range(13):
        store(app, "loopbaan-apk", worker_keyed(r % 5), campaign_id)
        report = report_of(app, campaign_id, k=k)
        seen.append(report.profile.group.respondents if report.profile.enough else 0)
    steps = {b - a for a, b in zip(seen, seen[1:], strict=False)}
    assert steps <= {0} | set(range(k, 14)) and max(seen) >= 10


def test_a_second_employer_scan_withholds_the_first_and_backs_nothing_out(app):
    """The employer's single scan is shown (it says it is not anonymous). When a second comes in, the
    page shows nothing of either: a mean of two next to the first would give the second exactly."""
    from .test_employer_figures import FIRST, SECOND

    campaign_id, _org, _ = _open(app)
    fill(app, campaign_id, WORKERS, employers=[FIRST])
    one = report_of(app, campaign_id)
    assert not one.employer.withheld and one.employer.respondents == 1
    fill(app, campaign_id, [], employers=[SECOND])
    two = report_of(app, campaign_id)
    assert two.employer.withheld and "employer" not in two.charts
    assert two.release.number == 2  # the count of scans moved; no figure of a scan did
