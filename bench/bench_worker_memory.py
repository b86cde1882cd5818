"""Memory of one gunicorn worker that is never replaced while it draws report charts (a script, not a test).

    python bench/bench_worker_memory.py [--reports 600]
    python bench/bench_worker_memory.py --pdfs 1000 [--pdf-recycle-after K]

Serves ``app.wsgi:app`` (gunicorn.conf.py, SQLite in a temporary folder) with one worker and
``max_requests`` off, stores ``--reports`` new check-ups with seeded random answers through the API
and opens each report three times (bars, radar, English: each draws its charts), and prints the
worker's resident memory along the way (charts are drawn with matplotlib, which keeps caches per
process). Flat memory means ``max_requests`` in ``gunicorn.conf.py`` is a safety net, not a leak fix.

With ``--pdfs N`` it fetches PDFs (``/r/<code>/pdf``, WeasyPrint) instead, N in all: a new check-up
every ``--pdfs-per-report`` PDFs (10), its page opened once first as a visitor would. One worker,
with every other setting from gunicorn.conf.py: ``max_requests`` as configured, and the
``post_request`` hook that replaces a worker after ``PDF_RECYCLE_AFTER`` PDFs.
``--pdf-recycle-after K`` sets that variable for the server (0: never, to see the growth; without
it, gunicorn.conf.py's default). The worker measured is whichever child the master has at the time;
the table shows its resident memory after the PDF, the highest peak (``VmHWM``) of any worker so
far, and how many workers have been replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_server import BIN, PROFILE, ROOT, SLUG, Server


def new_report(base: str, body: str) -> str:
    """Store a check-up through the JSON API; its report code."""
    request = urllib.request.Request(f"{base}/api/v1/questionnaires/{SLUG}/responses", data=body.encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
        return json.loads(response.read())["report_code"]


def item_ids(base: str) -> list[str]:
    with urllib.request.urlopen(f"{base}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310
        return [i["id"] for s in json.loads(response.read())["sections"] for i in s["items"]]


def rss_mib(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field}")


def current_worker(master: int, timeout: float = 60, old: frozenset[int] = frozenset()) -> tuple[int, float, float]:
    """(pid, RSS, peak RSS in MiB) of the master's live worker, not one of ``old``; waits while there is none."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for pid in map(int, Path(f"/proc/{master}/task/{master}/children").read_text().split()):
            if pid in old:
                continue
            try:  # a worker that has just exited (gone, or a zombie without VmRSS) is skipped
                return pid, rss_mib(pid), rss_mib(pid, "VmHWM")
            except (OSError, RuntimeError):
                continue
        time.sleep(0.05)
    raise RuntimeError(f"gunicorn master {master} had no worker for {timeout:.0f} s")


def fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - our own server
        return response.read(), response.headers.get("Content-Type", "")


def pdfs(args: argparse.Namespace, env: dict[str, str], workdir: Path) -> None:
    """The ``--pdfs`` mode: PDFs from one worker, gunicorn.conf.py as it is (its PDF recycling on)."""
    env = {key: value for key, value in env.items() if key != "PDF_RECYCLE_AFTER"}
    if args.pdf_recycle_after is not None:
        env["PDF_RECYCLE_AFTER"] = str(args.pdf_recycle_after)
    # What the server will read: the PDF after which its hook should retire a worker. The worker is
    # then still exiting when the client has its PDF, so the script waits for the new one instead of
    # measuring one that is giving its memory back.
    read = "import runpy, sys; s = runpy.run_path(sys.argv[1]); print(s['PDF_RECYCLE_AFTER'], s['max_requests'])"
    recycle_after, max_requests = map(int, subprocess.run(
        [str(BIN / "python"), "-c", read, str(ROOT / "gunicorn.conf.py")], env=env, check=True, capture_output=True,
        text=True, timeout=60).stdout.split())
    server = Server("app.wsgi:app", env, ROOT, 1, config=True, logs=workdir, max_requests=None)
    try:
        master = server.proc.pid
        items = item_ids(server.url)
        rnd = random.Random(20261123)  # noqa: S311 - test data
        marks = sorted({1, 10, *range(100, args.pdfs + 1, 100), args.pdfs})
        pid, start, _ = current_worker(master)
        print(f"\none gunicorn worker, gunicorn.conf.py: PDF_RECYCLE_AFTER {recycle_after} (0: off), max_requests "
              f"{max_requests:,} (+ jitter); worker RSS at the start: {start:.0f} MiB\n")
        print("| PDFs served | worker pid | worker RSS | max RSS so far (peak) | workers recycled |")
        print("|---:|---:|---:|---:|---:|")
        workers, peak, code, served = [pid], 0.0, "", 0  # served: PDFs of the current worker
        after: dict[int, float] = {}  # RSS after each PDF
        seconds: list[float] = []
        first_seconds: list[float] = []  # the first PDF of each worker, which imports WeasyPrint
        for n in range(1, args.pdfs + 1):
            if (n - 1) % args.pdfs_per_report == 0:
                body = json.dumps({"answers": {i: rnd.randint(1, 5) for i in items}, "profile": PROFILE})
                code = new_report(server.url, body)
                fetch(f"{server.url}/r/{code}")  # the page first (it draws and stores the charts)
            began = time.perf_counter()
            data, content_type = fetch(f"{server.url}/r/{code}/pdf")
            (seconds if served else first_seconds).append(time.perf_counter() - began)
            if content_type != "application/pdf" or not data.startswith(b"%PDF"):
                raise RuntimeError(f"PDF {n} is not a PDF: {content_type}")
            served += 1
            pid, after[n], hwm = current_worker(master)  # may be the retiring worker: its peak counts
            peak = max(peak, hwm)
            if served == recycle_after:
                try:
                    pid, after[n], hwm = current_worker(master, timeout=30, old=frozenset(workers))
                except RuntimeError:
                    print(f"(PDF {n}: no new worker within 30 s of the {served}th PDF)", flush=True)
            if pid != workers[-1]:
                workers.append(pid)
                served = 0
            peak = max(peak, hwm)
            if n in marks:
                print(f"| {n:,} | {pid} | {after[n]:.0f} MiB | {peak:.0f} MiB | {len(workers) - 1} |", flush=True)
    finally:
        server.stop()
    logged = Path(server.log.name).read_text().count("Recycling worker after")
    print(f"\n{args.pdfs:,} PDFs: {len(workers) - 1} workers recycled ({logged} 'Recycling worker' lines in "
          f"gunicorn's log); highest peak RSS of any worker: {peak:.0f} MiB")
    if seconds:
        print(f"seconds per PDF: median {statistics.median(seconds):.2f}; the first PDF of each worker "
              f"(imports WeasyPrint): {', '.join(f'{s:.2f}' for s in first_seconds)}")
    if len(workers) == 1 and args.pdfs > 10:
        growth = (after[args.pdfs] - after[10]) / (args.pdfs - 10)
        print(f"one worker throughout: RSS {after[1]:.0f} MiB after the first PDF, {after[10]:.0f} after the "
              f"10th, {after[args.pdfs]:.0f} after the last: {growth * 1024:.0f} KiB per PDF from the 10th on")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--pdfs", type=int, default=0, help="fetch this many PDFs instead of drawing charts")
    parser.add_argument("--pdf-recycle-after", type=int, default=None,
                        help="PDF_RECYCLE_AFTER for the server with --pdfs (0: off; default: gunicorn.conf.py's)")
    parser.add_argument("--pdfs-per-report", type=int, default=10, help="with --pdfs: a new check-up every so many")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    env = {**os.environ, "REGIEKOMPAS_INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
           "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}", "FLASK_RATELIMIT_ENABLED": "false",
           "FLASK_REQUEST_LOG": "false", "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    if args.pdfs:
        try:
            pdfs(args, env, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    server = Server("app.wsgi:app", env, ROOT, 1, config=True, logs=workdir, max_requests=0)
    try:
        master = server.proc.pid
        worker = int(Path(f"/proc/{master}/task/{master}/children").read_text().split()[0])
        items = item_ids(server.url)
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
