"""Benchmark of the app served by gunicorn, against a minimal Flask app served the same way (a script, not a test).

    python bench/bench_server.py [--seconds 10] [--connections 8] [--workers 2] [--rounds 5]
                                 [--figures page,score,report]

Starts gunicorn with ``--workers 2`` for a "hello world" Flask app and for ``app.wsgi:app`` (with
gunicorn.conf.py, ``FLASK_RATELIMIT_ENABLED=false``, SQLite in a temporary folder) on this machine,
and drives one at a time with wrk (``apt-get install wrk``; without it, a small Python
client with threads, which is slower and so gives lower ratios). Measures:

* requests/s of a questionnaire page (GET /q/loopbaan-apk/stap/1 with a started session), the
  stateless score API (POST /api/v1/questionnaires/loopbaan-apk/score) and a report page whose
  charts are cached (GET /r/<code>), each as a ratio to the minimal app measured just before and
  just after it; ``--rounds`` times over, the median ratio counting (one 10-second run varies by
  about two percentage points from the next);
* the first view of a new report (charts drawn and stored), the PDF of a report, the app's start
  (``create_app`` plus the first request, in a fresh interpreter) and the memory per worker.

Prints a Markdown table with the figures and the targets.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLUG = "loopbaan-apk"
PROFILE = {"sector": "techniek", "age_band": "45_54", "education": "practical", "contract": "flex",
           "org_size": "10_49"}
TARGETS = {"page": 0.5, "score": 0.5, "report": 0.3}
TARGET_START_S = 1.5

HELLO = '''
from flask import Flask

app = Flask(__name__)
PAGE = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Hello</title></head>"
        "<body><main><h1>Hello, world</h1><p>A minimal page for comparison.</p></main></body></html>")


@app.get("/")
def hello():
    return PAGE
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving ``target`` on a free port, stdout (the JSON request log) to /dev/null."""

    def __init__(self, target: str, env: dict[str, str], cwd: Path, workers: int, config: bool,
                 logs: Path, max_requests: int = 10000) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The same worker settings for both apps; the real app also reads gunicorn.conf.py (its hooks).
        args = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--worker-class", "sync", "--preload", "--max-requests", str(max_requests),
                "--max-requests-jitter", str(max_requests // 10)]
        if config:
            args += ["--config", str(ROOT / "gunicorn.conf.py")]
        self.log = open(logs / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([*args, target], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/", timeout=1).read()  # noqa: S310 - our own server
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"gunicorn stopped; see {self.log.name}") from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def worker_memory(self) -> list[tuple[float, float]]:
        """(RSS, PSS) in MiB of each worker; PSS counts pages shared with the master (preload) once."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        figures = []
        for pid in children:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            kib = {m[1]: int(m[2]) for m in re.finditer(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
            figures.append((kib["Rss"] / 1024, kib["Pss"] / 1024))
        return figures

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()


def wrk(url: str, seconds: int, connections: int, *, method: str = "GET", body: str | None = None,
        headers: dict[str, str] | None = None, workdir: Path) -> float:
    """Requests per second; fails when any response was not 2xx/3xx, warns about timeouts (> 2 s)."""
    script = workdir / "request.lua"
    lines = [f"wrk.method = {json.dumps(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
    for name, value in (headers or {}).items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    script.write_text("\n".join(lines) + "\n")
    out = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"errors under load on {url}:\n{out}")
    if "Socket errors" in out:
        print(f"warning: {url}: {out.split('Socket errors:')[1].splitlines()[0].strip()}", file=sys.stderr)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def threads_client(url: str, seconds: int, connections: int, *, method: str = "GET", body: str | None = None,
                   headers: dict[str, str] | None = None, workdir: Path) -> float:
    """The fallback without wrk: ``connections`` threads sending requests one after another."""
    done = [0] * connections
    stop = time.monotonic() + seconds

    def run(i: int) -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                                             headers=headers or {})
            with urllib.request.urlopen(request) as response:  # noqa: S310 - our own server
                response.read()
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def get(opener, url: str, data: dict | bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    if isinstance(data, dict):
        data = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with opener.open(request) as response:
        return response.status, response.read().decode()


def score_body(questionnaire: dict, value: int = 4) -> str:
    answers = {item["id"]: value for section in questionnaire["sections"] for item in section["items"]}
    return json.dumps({"answers": answers, "profile": PROFILE})


def session_cookie(base: str) -> str:
    """A session that has started the check-up (profile posted), as a Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, page = get(opener, f"{base}/q/{SLUG}")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    get(opener, f"{base}/q/{SLUG}", {"csrf_token": token, **{f"p_{k}": v for k, v in PROFILE.items()}})
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def new_report(base: str, body: str) -> str:
    request = urllib.request.Request(f"{base}/api/v1/questionnaires/{SLUG}/responses", data=body.encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:  # noqa: S310 - our own server
        return json.loads(response.read())["report_code"]


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:  # noqa: S310 - our own server
        response.read()
    return time.perf_counter() - started


def start_time(env: dict[str, str]) -> float:
    """Seconds for imports, create_app and the first request (home page), in a fresh interpreter."""
    code = ("import time; t = time.perf_counter(); from app import create_app; app = create_app(); "
            "assert app.test_client().get('/').status_code == 200; print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                                 text=True, check=True).stdout.split()[-1]) for _ in range(3)]
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--figures", default=",".join(TARGETS),
                        help="which of the throughput figures to measure (comma-separated)")
    args = parser.parse_args()
    chosen = [key for key in args.figures.split(",") if key]
    if not chosen or set(chosen) - TARGETS.keys():
        parser.error(f"--figures: choose from {', '.join(TARGETS)}")
    load = wrk if shutil.which("wrk") else threads_client
    tool = "wrk" if load is wrk else "Python threads (no wrk found)"

    workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    (workdir / "hello.py").write_text(HELLO)
    env = {**os.environ, "REGIEKOMPAS_INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
           "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}", "FLASK_RATELIMIT_ENABLED": "false",
           "WEB_CONCURRENCY": str(args.workers), "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    run = {"seconds": args.seconds, "connections": args.connections, "workdir": workdir}

    # Both servers are up for the whole run (an idle gunicorn uses no CPU) and the minimal app is
    # measured before and after each figure: each ratio is against the mean of those two, so a
    # machine that drifts during the run (other work, CPU frequency) skews no figure.
    hello = Server("hello:app", env, workdir, args.workers, config=False, logs=workdir)
    try:
        server = Server("app.wsgi:app", env, ROOT, args.workers, config=True, logs=workdir)
        try:
            base = server.url
            with urllib.request.urlopen(f"{base}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310
                body = score_body(json.loads(response.read()))
            cookie = session_cookie(base)
            code = new_report(base, body)
            first = [timed_get(f"{base}/r/{new_report(base, body)}") for _ in range(5)]
            timed_get(f"{base}/r/{code}")  # draw and cache its charts
            pdf = [timed_get(f"{base}/r/{code}/pdf") for _ in range(3)]
            figures = {
                "page": lambda: load(f"{base}/q/{SLUG}/stap/1", headers={"Cookie": cookie}, **run),
                "score": lambda: load(f"{base}/api/v1/questionnaires/{SLUG}/score", method="POST", body=body,
                                      headers={"Content-Type": "application/json"}, **run),
                "report": lambda: load(f"{base}/r/{code}", **run),
            }
            baselines = [load(hello.url + "/", **run)]
            figures = {key: figures[key] for key in chosen}
            rps: dict[str, list[float]] = {key: [] for key in figures}
            ratios: dict[str, list[float]] = {key: [] for key in figures}
            for _ in range(args.rounds):
                for key, measure in figures.items():
                    rps[key].append(measure())
                    baselines.append(load(hello.url + "/", **run))
                    ratios[key].append(rps[key][-1] / ((baselines[-2] + baselines[-1]) / 2))
            memory = server.worker_memory()
            hello_memory = hello.worker_memory()
        finally:
            server.stop()
    finally:
        hello.stop()
    baseline = statistics.mean(baselines)
    started = start_time(env)
    shutil.rmtree(workdir, ignore_errors=True)

    names = {"page": f"questionnaire page (GET /q/{SLUG}/stap/1, started session)",
             "score": f"score API (POST /api/v1/questionnaires/{SLUG}/score)",
             "report": "cached report page (GET /r/<code>)"}
    print(f"\ngunicorn, {args.workers} sync workers; load: {tool}, {args.connections} connections, "
          f"{args.seconds} s per run, {args.rounds} rounds; {os.cpu_count()} CPUs\n")
    print("| figure | result | target | |\n|---|---|---|---|")
    print(f"| minimal Flask app (hello world page) | {baseline:,.0f} req/s (mean of {len(baselines)} runs, "
          f"{min(baselines):,.0f} to {max(baselines):,.0f}) | (baseline) | |")
    for key, values in rps.items():
        ratio = statistics.median(ratios[key])
        ok = "ok" if ratio >= TARGETS[key] else "MISSED"
        each = ", ".join(f"{r:.1%}" for r in ratios[key])
        print(f"| {names[key]} | {statistics.median(values):,.0f} req/s; {ratio:.1%} of minimal (median; "
              f"rounds: {each}) | ≥ {TARGETS[key]:.0%} | {ok} |")
    print(f"| first view of a new report (charts drawn) | {statistics.median(first) * 1000:.0f} ms (median of 5) | | |")
    print(f"| PDF of a report | {statistics.median(pdf) * 1000:.0f} ms (median of 3) | | |")
    ok = "ok" if started < TARGET_START_S else "MISSED"
    print(f"| app start (imports, create_app, first request) | {started:.2f} s (median of 3) | "
          f"< {TARGET_START_S} s | {ok} |")
    for label, figures in (("app", memory), ("minimal app", hello_memory)):
        rss = ", ".join(f"{r:.0f}" for r, _ in figures)
        pss = ", ".join(f"{p:.0f}" for _, p in figures)
        print(f"| memory per worker, {label} | RSS {rss} MiB; PSS {pss} MiB | | |")


if __name__ == "__main__":
    main()
