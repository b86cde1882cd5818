"""The start page while clients flood the PDF route, with the rate limits off and on (a script, not a test).

    python bench/bench_floods.py [--workers 2] [--clients 8] [--alone 10] [--seconds 60]
                                 [--settings off memory redis] [--pdf-limit-address "30/minute"]

For each setting, a fresh gunicorn with ``--workers 2`` serves ``app.wsgi:app`` (gunicorn.conf.py,
SQLite in a temporary folder); only 127.0.0.1 is contacted:

* **limits off**: ``FLASK_RATELIMIT_ENABLED=false`` (what every client got before the PDF limits);
* **limits on, memory**: the default limits (PDFs: 10 a minute per browser session, 30 a minute per
  address), counted in each worker's memory (``memory://``, the default): each worker allows 30;
* **limits on, Redis**: the same, counted in a ``redis-server`` the script starts on a free port
  (``FLASK_RATELIMIT_STORAGE_URI``), shared by the workers; skipped when ``redis-server`` is not installed.

One client asks for the start page (GET /) over and over, one request at a time, a new connection
each: first ``--alone`` seconds on its own, then ``--seconds`` seconds while ``--clients`` flood clients,
all from the same address, keep asking for a report's PDF (``/r/<code>/pdf``; each opened the report
page first, so each is a browser session of its own). A flood client does not wait: on a 429 it asks
again at once. The flood clients are threads of a process of their own; they and the measuring client
share the machine's CPUs with the server. The default 60 s cover one whole window of the per-minute
limits. Prints the start page's median, p95 and max latency, the time its requests took over 100 ms,
the flood's statuses per setting, and the load average (``os.getloadavg()``) before each run.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from bench_server import PROFILE, ROOT, SLUG, Server, app_env, migrate


def new_report(base: str) -> str:
    """Store a fully answered check-up through the JSON API; its report code."""
    with urllib.request.urlopen(f"{base}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310 - our own server
        items = [i["id"] for s in json.loads(response.read())["sections"] for i in s["items"]]
    body = json.dumps({"answers": dict.fromkeys(items, 4), "profile": PROFILE}).encode()
    request = urllib.request.Request(f"{base}/api/v1/questionnaires/{SLUG}/responses", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())["report_code"]


def latencies(url: str, seconds: float) -> list[float]:
    """Milliseconds of each GET of ``url``, one after another, for ``seconds``; fails on any non-200."""
    times: list[float] = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{url}: {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    return times


def flood(base: str, code: str, stop: Any, statuses: Counter, lock: threading.Lock) -> None:
    """One browser: open the report page (its session), then ask for the PDF until ``stop`` is set."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/r/{code}", timeout=120) as page:
        page.read()
    while not stop.is_set():
        try:
            with opener.open(f"{base}/r/{code}/pdf", timeout=120) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        with lock:
            statuses[status] += 1


def flood_process(base: str, code: str, clients: int, stop: Any, results: Any) -> None:
    """``clients`` flooding browsers as threads of one process of their own, so that they do not hold
    the measuring client's interpreter lock; their statuses go to ``results`` at the end."""
    lock, statuses = threading.Lock(), Counter()
    threads = [threading.Thread(target=flood, args=(base, code, stop, statuses, lock)) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(dict(statuses))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str] | None:
    """A throwaway redis-server (no persistence) on a free port, and its URL; None without redis-server."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--daemonize", "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("redis-server did not answer")


def run(label: str, limits_on: bool, args: argparse.Namespace, workdir: Path, storage: str = "memory://") -> dict:
    folder = workdir / label.replace(" ", "-").replace(",", "")
    folder.mkdir()
    env = app_env(folder, args.workers)
    env["FLASK_RATELIMIT_ENABLED"] = "true" if limits_on else "false"
    env["FLASK_RATELIMIT_STORAGE_URI"] = storage
    if args.pdf_limit_address:
        env["FLASK_PDF_RATELIMIT_ADDRESS"] = args.pdf_limit_address
    migrate(env)
    load = os.getloadavg()
    server = Server("app.wsgi:app", env, ROOT, args.workers, config=True, logs=folder, max_requests=None)
    try:
        code = new_report(server.url)
        with urllib.request.urlopen(f"{server.url}/r/{code}") as page:  # noqa: S310 - charts drawn once
            page.read()
        alone = latencies(server.url + "/", args.alone)
        context = multiprocessing.get_context("spawn")
        stop, results = context.Event(), context.Queue()
        flooding = context.Process(target=flood_process, args=(server.url, code, args.clients, stop, results))
        flooding.start()
        time.sleep(2)  # the clients have started and sent their first PDF requests
        flooded = latencies(server.url + "/", args.seconds)
        stop.set()
        statuses = results.get(timeout=300)
        flooding.join()
    finally:
        server.stop()
    return {"label": label, "load": load, "alone": alone, "flooded": flooded, "statuses": statuses}


def describe(values: list[float]) -> str:
    slow = sum(value for value in values if value > 100) / 1000
    return (f"{statistics.median(values):,.1f} ms | {percentile(values, 0.95):,.1f} ms | {max(values):,.0f} ms"
            f" | {len(values):,} | {slow:,.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--alone", type=float, default=10, help="seconds of the start page on its own")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of the start page during the flood")
    parser.add_argument("--settings", nargs="+", choices=["off", "memory", "redis"], default=["off", "memory", "redis"])
    parser.add_argument("--pdf-limit-address", help="FLASK_PDF_RATELIMIT_ADDRESS for the runs with limits on")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-floods-"))
    redis = None
    try:
        results = []
        if "off" in args.settings:
            results.append(run("limits off", False, args, workdir))
        if "memory" in args.settings:
            results.append(run("limits on, memory", True, args, workdir))
        redis = start_redis(workdir) if "redis" in args.settings else None
        if redis is None and "redis" in args.settings:
            print("redis-server not installed: no run with the counters in Redis")
        elif redis is not None:
            results.append(run("limits on, Redis", True, args, workdir, storage=redis[1]))
    finally:
        if redis is not None:
            redis[0].terminate()
            redis[0].wait()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"\ngunicorn, {args.workers} sync workers; {os.cpu_count()} CPUs; start page measured by one client, "
          f"{args.alone:g} s alone, then {args.seconds:g} s while {args.clients} clients from one address ask for "
          f"PDFs without pause\n")
    print("| setting | start page | median | p95 | max | requests | time over 100 ms | PDFs made (200) "
          "| refused (429) | load average before |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for result in results:
        load = ", ".join(f"{value:.2f}" for value in result["load"])
        statuses = result["statuses"]
        other = {status: n for status, n in statuses.items() if status not in (200, 429)}
        print(f"| {result['label']} | alone | {describe(result['alone'])} | | | {load} |")
        print(f"| {result['label']} | during the flood | {describe(result['flooded'])} | {statuses.get(200, 0):,} "
              f"| {statuses.get(429, 0):,}{f' (other: {other})' if other else ''} | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
