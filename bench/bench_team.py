"""Benchmark of the team report over a large campaign (a script, not a test).

    python bench/bench_team.py [--workers 10000] [--repeat 3]

Stores one campaign with ``--workers`` completed check-ups (random but seeded answers, four
departments) and one employer scan in a fresh SQLite database, then measures, in-process:
* while the campaign is open: the first view, which makes release 1 (reads every response, sums
  per pool, alpha; app/team/releases.py), once; then ``build_team_report`` (the release shown, advice,
  employer comparison, charts) — limit (from the issues) < 1 s for 10,000 responses — the whole team
  report page as an advisor gets it (``GET /advisor/campaigns/<id>/report``) and the campaign page
  with its counts (``GET /advisor/campaigns/<id>``);
* after the campaign has closed: the first view, which makes the closing release, once; then the
  CSV export (row exports are only for closed campaigns; information).

Each repeated measure is run once first (matplotlib, templates) and then ``--repeat`` times.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Campaign, Department, Organisation, Response, ResponseScore, User, utcnow  # noqa: E402
from app.responses.store import evaluated, score_rows  # noqa: E402
from app.team.report import build_team_report  # noqa: E402

LIMIT_S = 1.0
PROFILE = {"sector": "techniek", "age_band": "45_54", "education": "practical", "contract": "flex",
           "org_size": "50_249"}
EMPLOYER_PROFILE = {"sector": "techniek", "org_size": "50_249", "hr_function": "no"}


def populate(app, workers: int, seed: int) -> int:
    """The campaign id, after storing ``workers`` check-ups and one employer scan in it."""
    rng = random.Random(seed)
    with app.app_context():
        defs = app.extensions["regiekompas.definitions"]
        worker_q, employer_q = defs.questionnaires["loopbaan-apk"], defs.questionnaires["leercultuur"]
        org = Organisation(name="Bench BV", size="50_249")
        campaign = Campaign(organisation=org, title="Bench", slugs=["loopbaan-apk", "leercultuur"],
                            opens_on=date.today() - timedelta(days=30), closes_on=date.today() + timedelta(days=30),
                            departments=[Department(name=f"Afdeling {n}") for n in range(1, 5)])
        db.session.add_all([org, campaign, User(email="bench@example.org", role="admin", active=True,
                                                password_hash=generate_password_hash("bench-password-123"))])
        db.session.flush()
        departments = [d.id for d in campaign.departments]
        # A few hundred distinct answer sets, reused: storing 10,000 is about the database, not scoring.
        pool = []
        for _ in range(300):
            base = rng.randint(1, 5)
            answers = {i.id: min(5, max(1, base + rng.choice((-1, 0, 0, 1)))) for i in worker_q.items}
            pool.append((answers, *evaluated(worker_q.slug, answers, PROFILE)))
        rows, scores = [], []
        for n in range(workers):
            answers, result, score = pool[n % len(pool)]
            rows.append(Response(slug=worker_q.slug, version=worker_q.version, lang="nl", profile=PROFILE,
                                 answers=answers, result=result, status=Response.COMPLETED,
                                 completed_at=utcnow(), campaign_id=campaign.id,
                                 department_id=departments[n % len(departments)]))
            scores.append(score)
        employer_answers = {i.id: rng.randint(2, 5) for i in employer_q.items}
        employer_result, employer_score = evaluated(employer_q.slug, employer_answers, EMPLOYER_PROFILE)
        rows.append(Response(slug=employer_q.slug, version=employer_q.version, lang="nl", profile=EMPLOYER_PROFILE,
                             answers=employer_answers, status=Response.COMPLETED, completed_at=utcnow(),
                             result=employer_result, campaign_id=campaign.id))
        scores.append(employer_score)
        db.session.add_all(rows)
        db.session.flush()
        # The score rows that a submission writes (app/responses/store.py), which the team report reads.
        db.session.execute(insert(ResponseScore), [row for response, score in zip(rows, scores, strict=True)
                                                   for row in score_rows(response.id, score)])
        db.session.commit()
        return campaign.id


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-team-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "RATELIMIT_ENABLED": False, "REQUEST_LOG": False})
    with app.app_context():
        upgrade()
    started = time.perf_counter()
    campaign_id = populate(app, args.workers, args.seed)
    stored = time.perf_counter() - started

    def build() -> None:
        with app.test_request_context():
            report = build_team_report(db.session.get(Campaign, campaign_id), "nl")
            assert report.profile is not None and report.profile.enough

    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/advisor/login").get_data(as_text=True)).group(1)
    login = client.post("/advisor/login", data={"email": "bench@example.org", "password": "bench-password-123",
                                                "csrf_token": token})
    assert login.status_code == 302, login.status_code

    def getter(path: str):
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, response.status_code
        return get

    once = {"first view of the open campaign (makes release 1)": timed(build)}
    runs = (("build_team_report", build), ("team report page", getter(f"/advisor/campaigns/{campaign_id}/report")),
            ("campaign page", getter(f"/advisor/campaigns/{campaign_id}")))
    for _, run in runs:
        run()  # the first run loads matplotlib's fonts and compiles the templates: not counted
    results = {name: [timed(run) for _ in range(args.repeat)] for name, run in runs}
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.closes_on = date.today() - timedelta(days=1)
        db.session.commit()
    once["first view after closing (makes the closing release)"] = timed(build)
    export = getter(f"/advisor/campaigns/{campaign_id}/export.csv")
    export()
    results["CSV export (closed campaign)"] = [timed(export) for _ in range(args.repeat)]

    print(f"Python {sys.version.split()[0]}, SQLite in {folder}, {args.workers:,} worker responses "
          f"+ 1 employer scan (stored in {stored:.1f} s), {args.repeat} runs each\n")
    print("| measure | median | best | limit | met |")
    print("|---|---:|---:|---|---|")
    for name, seconds in once.items():
        print(f"| {name}, {args.workers:,} responses | {seconds:.2f} s | (once) | (information) | |")
    for name, times in results.items():
        median, best = statistics.median(times), min(times)
        limit = f"< {LIMIT_S:.0f} s" if name == "build_team_report" else "(information)"
        met = ("yes" if median < LIMIT_S else "**no**") if name == "build_team_report" else ""
        print(f"| {name} over {args.workers:,} responses | {median:.2f} s | {best:.2f} s | {limit} | {met} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
