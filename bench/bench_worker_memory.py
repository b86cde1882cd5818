"""Memory of one gunicorn worker that is never replaced while it draws report charts (a script, not a test).

    python bench/bench_worker_memory.py [--reports 600]

Serves ``app.wsgi:app`` (gunicorn.conf.py, SQLite in a temporary folder) with one worker and
``max_requests`` off, stores ``--reports`` new check-ups with seeded random answers through the API
and opens each report three times (bars, radar, English: each draws its charts), and prints the
worker's resident memory along the way (charts are drawn with matplotlib, which keeps caches per
process). Flat memory means ``max_requests`` in ``gunicorn.conf.py`` is a safety net, not a leak fix.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from bench_server import BIN, PROFILE, ROOT, SLUG, Server


def new_report(base: str, body: str) -> str:
    """Store a check-up through the JSON API; its report code."""
    request = urllib.request.Request(f"{base}/api/v1/questionnaires/{SLUG}/responses", data=body.encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        return json.loads(response.read())["report_code"]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=600)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = {**os.environ, "REGIEKOMPAS_INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
           "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}", "FLASK_RATELIMIT_ENABLED": "false",
           "FLASK_REQUEST_LOG": "false", "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    server = Server("app.wsgi:app", env, ROOT, 1, config=True, logs=workdir, max_requests=0)
    try:
        master = server.proc.pid
        worker = int(Path(f"/proc/{master}/task/{master}/children").read_text().split()[0])
        with urllib.request.urlopen(f"{server.url}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310
            items = [i["id"] for s in json.loads(response.read())["sections"] for i in s["items"]]
        rnd = random.Random(20261123)  # noqa: S311 - test data
        marks = sorted({1, 10, 50, 100, *range(100, args.reports + 1, 100), args.reports})
        print(f"\none gunicorn worker, max_requests off; start: {rss_mib(worker):.0f} MiB\n")
        print("| reports stored | report views | worker RSS |\n|---:|---:|---:|")
        for n in range(1, args.reports + 1):
            body = json.dumps({"answers": {i: rnd.randint(1, 5) for i in items}, "profile": PROFILE})
            code = new_report(server.url, body)
            for extra in ("", "?grafiek=radar", "?lang=en"):
                with urllib.request.urlopen(f"{server.url}/r/{code}{extra}") as response:  # noqa: S310
                    response.read()
            if n in marks:
                print(f"| {n} | {3 * n} | {rss_mib(worker):.0f} MiB |", flush=True)
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
