"""Benchmark of the report pages (a script, not a test).

    python bench/bench_report.py [--repeat 30]

Measures in-process, through the Flask test client on a fresh SQLite database (so "server time":
no network, no browser):
* the first view of a worker report (charts rendered and stored);
* a repeated view of the report with its charts cached (target < 20 ms), with the rendered page
  remembered (the default) and with that page cache off;
* the worker report as PDF with WeasyPrint (target < 1.5 s);
* the same for the employer scan (information).

Prints a markdown table with the median and the 90th percentile.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.definitions import KEY  # noqa: E402

TARGET_CACHED_MS = 20
TARGET_PDF_S = 1.5
PROFILES = {
    "worker": {"sector": "techniek", "age_band": "45_54", "education": "practical", "contract": "flex",
               "org_size": "10_49"},
    "employer": {"sector": "zorg", "org_size": "10_49", "hr_function": "no"},
}


def store(app, slug: str) -> str:
    q = app.extensions[KEY].questionnaires[slug]
    answers = {item.id: (i % 5) + 1 for i, item in enumerate(q.items)}
    body = {"answers": answers, "profile": PROFILES[q.audience]}
    response = app.test_client().post(f"/api/v1/questionnaires/{slug}/responses", json=body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()["report_code"]


def timed(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def summary(times: list[float], scale: float) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * scale, ordered[int(0.9 * (len(ordered) - 1))] * scale


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "RATELIMIT_ENABLED": False, "REQUEST_LOG": False})
    with app.app_context():
        upgrade()
    client = app.test_client()

    rows = []
    for slug in ("loopbaan-apk", "leercultuur"):
        first = []
        for _ in range(max(5, args.repeat // 3)):
            first.append(timed(client, f"/r/{store(app, slug)}"))
        code = store(app, slug)
        timed(client, f"/r/{code}")  # renders and caches the charts
        cached = [timed(client, f"/r/{code}") for _ in range(args.repeat)]
        pages = app.extensions["regiekompas.report_pages"]
        pages.size, size = 0, pages.size  # the same view when the rendered page is not remembered
        pages.clear()
        rendered = [timed(client, f"/r/{code}") for _ in range(args.repeat)]
        pages.size = size
        timed(client, f"/r/{code}/pdf")  # WeasyPrint loads its fonts once per process
        pdf = [timed(client, f"/r/{code}/pdf") for _ in range(max(5, args.repeat // 3))]
        worker = slug == "loopbaan-apk"
        rows.append((f"first report view `{slug}` (charts rendered)", *summary(first, 1000), "ms", "(information)"))
        rows.append((f"report view `{slug}`, charts cached, page remembered", *summary(cached, 1000), "ms",
                     f"< {TARGET_CACHED_MS} ms" if worker else "(information)",
                     summary(cached, 1000)[0] < TARGET_CACHED_MS if worker else None))
        rows.append((f"report view `{slug}`, charts cached, page rendered", *summary(rendered, 1000), "ms",
                     f"< {TARGET_CACHED_MS} ms" if worker else "(information)",
                     summary(rendered, 1000)[0] < TARGET_CACHED_MS if worker else None))
        rows.append((f"PDF `{slug}`", *summary(pdf, 1), "s", f"< {TARGET_PDF_S} s" if worker else "(information)",
                     summary(pdf, 1)[0] < TARGET_PDF_S if worker else None))

    print(f"Python {sys.version.split()[0]}, Flask test client, SQLite in {folder}, {args.repeat} repeats\n")
    print("| measure | median | p90 | target | met |")
    print("|---|---:|---:|---|---|")
    for name, median, p90, unit, target, *met in rows:
        digits = 1 if unit == "ms" else 2
        ok = "" if not met or met[0] is None else ("yes" if met[0] else "**no**")
        print(f"| {name} | {median:.{digits}f} {unit} | {p90:.{digits}f} {unit} | {target} | {ok} |")


if __name__ == "__main__":
    main()
