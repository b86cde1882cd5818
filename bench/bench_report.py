"""In-process timings of the respondent pages, the score API, the PDF and the app's start (a script, not a test).

    python bench/bench_report.py [--repeat 30]

Through the Flask test client on a fresh SQLite database (so "server time": no network, no browser):
* the question page (GET /q/loopbaan-apk/stap/1 with a started session);
* the report page with its charts already stored (GET /r/<code>), and the first view that draws
  and stores them (information);
* the score API (POST /api/v1/questionnaires/loopbaan-apk/score);
* the report as PDF (GET /r/<code>/pdf, WeasyPrint);
* the app's start: imports, ``create_app`` and the first request, in a fresh interpreter (with
  compiled bytecode).

Prints a Markdown table with the median and the 90th percentile. The limits are the ones from the
issues; a regression guard, not a reason to bypass Flask, SQLAlchemy or WeasyPrint.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.definitions import KEY  # noqa: E402

SLUG = "loopbaan-apk"
PROFILE = {"sector": "techniek", "age_band": "45_54", "education": "practical", "contract": "flex",
           "org_size": "10_49"}
LIMITS = {"report": 0.020, "pdf": 1.5, "start": 1.5}  # seconds
START = ("import time; t = time.perf_counter(); from app import create_app; app = create_app(); "
         "assert app.test_client().get('/').status_code == 200; print(time.perf_counter() - t)")


def request(client, method: str, url: str, expect: int = 200, **kwargs) -> float:
    """Seconds for one request through the test client; fails on any other status."""
    started = time.perf_counter()
    response = client.open(url, method=method, **kwargs)
    elapsed = time.perf_counter() - started
    assert response.status_code == expect, (url, response.status_code)
    return elapsed


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def start_session(client) -> None:
    """Post the profile, as a respondent does; the client keeps the session cookie."""
    page = client.get(f"/q/{SLUG}").get_data(as_text=True)
    data = {f"p_{k}": v for k, v in PROFILE.items()} | {"csrf_token": csrf_token(page)}
    assert client.post(f"/q/{SLUG}", data=data).status_code == 302


def new_report(client, body: dict) -> str:
    response = client.post(f"/api/v1/questionnaires/{SLUG}/responses", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["report_code"]


def start_seconds(folder: Path, runs: int) -> list[float]:
    """The app's start in ``runs`` fresh interpreters (instance folder and database in ``folder``).

    With compiled bytecode, as a deployed app has it: kept under ``folder`` (PYTHONPYCACHEPREFIX, so
    nothing is written into the source tree) and made by one run that is not counted.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"REGIEKOMPAS_INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}", "FLASK_REQUEST_LOG": "false",
            "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
    times = [float(subprocess.run([sys.executable, "-c", START], cwd=ROOT, env=env, capture_output=True, text=True,
                                  check=True, timeout=120).stdout.split()[-1]) for _ in range(runs + 1)]
    return times[1:]


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30, help="requests per figure (the PDF and start: a third)")
    args = parser.parse_args()
    few = max(5, args.repeat // 3)

    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "RATELIMIT_ENABLED": False, "REQUEST_LOG": False})
    with app.app_context():
        upgrade()
    client = app.test_client()
    q = app.extensions[KEY].questionnaires[SLUG]
    body = {"answers": {item.id: (i % 5) + 1 for i, item in enumerate(q.items)}, "profile": PROFILE}

    start_session(client)
    page = f"/q/{SLUG}/stap/1"
    request(client, "GET", page)  # compiles the template
    score = f"/api/v1/questionnaires/{SLUG}/score"
    request(client, "POST", score, json=body)
    code = new_report(client, body)
    request(client, "GET", f"/r/{code}")  # draws and stores the charts (and loads matplotlib)
    request(client, "GET", f"/r/{code}/pdf")  # WeasyPrint loads its fonts once per process

    times = {
        "question": [request(client, "GET", page) for _ in range(args.repeat)],
        "report": [request(client, "GET", f"/r/{code}") for _ in range(args.repeat)],
        "first": [request(client, "GET", f"/r/{new_report(client, body)}") for _ in range(few)],
        "score": [request(client, "POST", score, json=body) for _ in range(args.repeat)],
        "pdf": [request(client, "GET", f"/r/{code}/pdf") for _ in range(few)],
        "start": start_seconds(folder, few),
    }
    names = {
        "question": f"question page (GET /q/{SLUG}/stap/1, started session)",
        "report": "report page, charts stored (GET /r/<code>)",
        "first": "first view of a new report (charts drawn and stored)",
        "score": f"score API (POST /api/v1/questionnaires/{SLUG}/score)",
        "pdf": "PDF of the report (GET /r/<code>/pdf)",
        "start": "app start (imports, create_app, first request; fresh interpreter)",
    }

    print(f"Python {sys.version.split()[0]}, Flask test client, SQLite in {folder}; "
          f"{args.repeat} requests per figure, {few} for the first view, PDF and start\n")
    print("| measure | median | p90 | limit | met |")
    print("|---|---:|---:|---|---|")
    for key, name in names.items():
        median, p90 = summary(times[key])
        limit = LIMITS.get(key)
        met = "" if limit is None else ("yes" if median < limit else "**no**")
        if key in ("pdf", "start"):
            figures, bound = f"{median:.2f} s | {p90:.2f} s", "" if limit is None else f"< {limit} s"
        else:
            figures = f"{median * 1000:.1f} ms | {p90 * 1000:.1f} ms"
            bound = "" if limit is None else f"< {limit * 1000:.0f} ms"
        print(f"| {name} | {figures} | {bound} | {met} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
