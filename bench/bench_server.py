"""The app served by gunicorn, against a minimal Flask app served the same way (a script, not a test).

    python bench/bench_server.py [--seconds 10] [--connections 8] [--workers 2] [--rounds 5]

Starts gunicorn with ``--workers 2`` for a "hello world" Flask app and for ``app.wsgi:app`` (with
gunicorn.conf.py, ``FLASK_RATELIMIT_ENABLED=false``, SQLite in a temporary folder) on this machine,
and drives one at a time with wrk (``apt-get install wrk``; without it, a small Python client with
threads, which is slower and so gives lower ratios). Only 127.0.0.1 is contacted. Measures:

* requests/s of the start page (GET /) and of the stateless score API
  (POST /api/v1/questionnaires/loopbaan-apk/score), each as a ratio to the minimal app measured
  just before and just after it; ``--rounds`` times over, the median ratio counting;
* the memory per worker of both apps (information).

The ratios are regression guards for plain Flask, werkzeug and SQLAlchemy code (GUARDS below), not
targets to bypass them for. Prints a Markdown table and whether each guard is met; the exit status
is 1 when one is not.
"""

from __future__ import annotations

import argparse
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SLUG = "loopbaan-apk"
PROFILE = {"sector": "techniek", "age_band": "45_54", "education": "practical", "contract": "flex",
           "org_size": "10_49"}
GUARDS = {"home": 0.15, "score": 0.40}
NAMES = {"home": "start page (GET /)", "score": f"score API (POST /api/v1/questionnaires/{SLUG}/score)"}

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
    """gunicorn serving ``target`` on a free port of 127.0.0.1, stdout (the JSON request log) to /dev/null."""

    def __init__(self, target: str, env: dict[str, str], cwd: Path, workers: int, config: bool,
                 logs: Path, max_requests: int | None = 10000) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The same worker settings for both apps; the real app also reads gunicorn.conf.py (its hooks).
        # max_requests=None: gunicorn.conf.py's own max_requests and jitter (the command line wins over it).
        args = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
                "--worker-class", "sync", "--preload"]
        if max_requests is not None:
            args += ["--max-requests", str(max_requests), "--max-requests-jitter", str(max_requests // 10)]
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
        self.stop()
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
                         capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
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
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own server
                response.read()
            done[i] += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / seconds


def score_body(base: str) -> str:
    """A fully answered check-up, as the score API takes it."""
    with urllib.request.urlopen(f"{base}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310
        questionnaire = json.loads(response.read())
    answers = {item["id"]: 4 for section in questionnaire["sections"] for item in section["items"]}
    return json.dumps({"answers": answers, "profile": PROFILE})


def app_env(workdir: Path, workers: int) -> dict[str, str]:
    """The environment for ``app.wsgi:app``: its own instance folder and SQLite file, rate limits off."""
    return {**os.environ, "REGIEKOMPAS_INSTANCE_PATH": str(workdir / "instance"), "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite'}", "FLASK_RATELIMIT_ENABLED": "false",
            "WEB_CONCURRENCY": str(workers), "PYTHONPATH": str(ROOT)}


def migrate(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load = wrk if shutil.which("wrk") else threads_client
    tool = "wrk" if load is wrk else "Python threads (no wrk found)"

    workdir = Path(tempfile.mkdtemp(prefix="bench-server-"))
    (workdir / "hello.py").write_text(HELLO)
    env = app_env(workdir, args.workers)
    migrate(env)
    run = {"seconds": args.seconds, "connections": args.connections, "workdir": workdir}

    # Both servers are up for the whole run (an idle gunicorn uses no CPU) and the minimal app is
    # measured before and after each figure: each ratio is against the mean of those two, so a
    # machine that drifts during the run (other work, CPU frequency) skews no figure.
    hello = Server("hello:app", env, workdir, args.workers, config=False, logs=workdir)
    try:
        server = Server("app.wsgi:app", env, ROOT, args.workers, config=True, logs=workdir)
        try:
            body = score_body(server.url)
            figures = {
                "home": lambda: load(f"{server.url}/", **run),
                "score": lambda: load(f"{server.url}/api/v1/questionnaires/{SLUG}/score", method="POST", body=body,
                                      headers={"Content-Type": "application/json"}, **run),
            }
            baselines = [load(hello.url + "/", **run)]
            rps: dict[str, list[float]] = {key: [] for key in figures}
            ratios: dict[str, list[float]] = {key: [] for key in figures}
            for _ in range(args.rounds):
                for key, measure in figures.items():
                    rps[key].append(measure())
                    baselines.append(load(hello.url + "/", **run))
                    ratios[key].append(rps[key][-1] / ((baselines[-2] + baselines[-1]) / 2))
            memory = {"app": server.worker_memory(), "minimal app": hello.worker_memory()}
        finally:
            server.stop()
    finally:
        hello.stop()
    shutil.rmtree(workdir, ignore_errors=True)

    print(f"\ngunicorn, {args.workers} sync workers; load: {tool}, {args.connections} connections, "
          f"{args.seconds} s per run, {args.rounds} rounds; {os.cpu_count()} CPUs\n")
    print("| figure | result | guard | met |\n|---|---|---|---|")
    print(f"| minimal Flask app (hello world page) | {statistics.median(baselines):,.0f} req/s (median of "
          f"{len(baselines)} runs, {min(baselines):,.0f} to {max(baselines):,.0f}) | (baseline) | |")
    missed = []
    for key, values in rps.items():
        ratio = statistics.median(ratios[key])
        met = ratio >= GUARDS[key]
        if not met:
            missed.append(key)
        each = ", ".join(f"{r:.1%}" for r in ratios[key])
        print(f"| {NAMES[key]} | {statistics.median(values):,.0f} req/s; **{ratio:.1%}** of minimal (median; "
              f"rounds: {each}) | ≥ {GUARDS[key]:.0%} | {'yes' if met else '**no**'} |")
    for label, figures in memory.items():
        rss = ", ".join(f"{r:.0f}" for r, _ in figures)
        pss = ", ".join(f"{p:.0f}" for _, p in figures)
        print(f"| memory per worker, {label} | RSS {rss} MiB; PSS {pss} MiB | | |")
    print()
    for key in rps:
        print(f"guard {NAMES[key]} ≥ {GUARDS[key]:.0%}: {'NOT MET' if key in missed else 'met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
