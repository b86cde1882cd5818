"""Stored submissions under concurrency: N complete responses from T threads through the JSON API
against gunicorn (``app.wsgi:app``, gunicorn.conf.py) on SQLite and, when ``TEST_DATABASE_URL`` names
one, PostgreSQL (a script, not a test; the same set-up as tests/load/test_load.py).

    .venv/bin/python bench/bench_submissions.py [--responses 200] [--threads 20] [--workers 4]
    bin/with-test-postgres .venv/bin/python bench/bench_submissions.py      # also on PostgreSQL

Prints a Markdown table: wall time, responses/s, median and 95th percentile latency, 5xx count.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.load.server import SLUG, call, gunicorn, stored_rows, worker_body  # noqa: E402
from tests.support.databases import postgres_url  # noqa: E402


def run(db_kind: str, responses: int, threads: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as folder, gunicorn(db_kind, Path(folder), workers=workers) as server:
        _, questionnaire = call(f"{server.base}/api/v1/questionnaires/{SLUG}")
        items = [item["id"] for section in questionnaire["sections"] for item in section["items"]]
        url = f"{server.base}/api/v1/questionnaires/{SLUG}/responses"

        def submit(seed: int) -> tuple[int, float]:
            started = time.perf_counter()
            status, _ = call(url, worker_body(items, seed))
            return status, time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(submit, range(responses)))
        wall = time.perf_counter() - started
        latencies = sorted(latency for _, latency in results)
        return {"db": db_kind, "wall": wall, "rate": responses / wall,
                "p50": statistics.median(latencies) * 1000,
                "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
                "errors": sum(status >= 500 for status, _ in results), "stored": len(stored_rows(server))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200)
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if postgres_url() else [])
    print(f"{args.responses} responses, {args.threads} threads, gunicorn {args.workers} workers\n")
    print("| database | wall s | responses/s | p50 ms | p95 ms | 5xx | stored |")
    print("|---|---|---|---|---|---|---|")
    for kind in kinds:
        r = run(kind, args.responses, args.threads, args.workers)
        print(f"| {r['db']} | {r['wall']:.2f} | {r['rate']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} "
              f"| {r['errors']} | {r['stored']} |")


if __name__ == "__main__":
    main()
