"""A database that blinks under load: a PostgreSQL restart, or a SQLite file locked past its busy
timeout, in the middle of a run of check-ups (a script, not a test).

    .venv/bin/python bench/bench_faults.py --db sqlite [--api 1500] [--flows 300] [--threads 16] [--workers 4]
    bin/with-test-postgres .venv/bin/python bench/bench_faults.py --db postgresql

Serves ``app.wsgi:app`` with gunicorn (gunicorn.conf.py, ``--workers``, rate limits and the request
log off) on a fresh SQLite file in a temporary instance folder, or on the PostgreSQL database of
``TEST_DATABASE_URL`` (migrated with ``flask --app app db upgrade``). Only 127.0.0.1 is contacted.
From ``--threads`` threads it runs, mixed in a fixed random order:

* ``--api`` posts of a whole check-up to the JSON API, each with its own answers. A 503 is not
  retried (the post counts as refused), as an integration that reports the failure would do;
* ``--flows`` respondents walking the web pages with a cookie jar: start page, profile, every
  question page, the report. A 503 is retried on the same request after ``Retry-After`` seconds, at
  most 5 times, as a person pressing "opnieuw" would; a connection error is retried after 1 s.

When a third of them are done, the fault: PostgreSQL ``pg_ctlcluster --skip-systemctl-redirect
<version> <cluster> restart -m fast`` of the cluster ``TEST_DATABASE_URL`` points at (needs root or
postgres; any other client of that cluster loses its connections too), or, on SQLite, another
connection that holds the write lock (``BEGIN IMMEDIATE``) for ``--hold`` seconds, longer than the
app's busy timeout of 5 s.

Afterwards it compares what the clients received with the ``response`` table (report codes as
SHA-256 hex in ``report_hash``) and opens every flow's report link again. Prints a Markdown table;
the exit status is 1 on any 5xx other than 503, any acknowledged check-up that is not stored, or
any report link that does not open. "lost" (stored, but no client got its code) is printed, not
judged: it can only be a commit that succeeded while its answer was cut off by the restart.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from bench_server import BIN, PROFILE, ROOT, SLUG, Server

#: Retries of one page-flow request after a 503 (the first try not counted).
RETRIES = 5
#: Seconds to wait after a 503 without ``Retry-After`` (counted), and after a connection error.
DEFAULT_WAIT, CONNECTION_WAIT = 5, 1
TIMEOUT = 60  # seconds per request; a request that takes longer counts as a connection error
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
REPORT_PATH = re.compile(r"^/r/([A-Za-z0-9_-]+)$")


def code_hash(code: str) -> str:
    """What the app stores of a report code (app/responses/codes.py)."""
    return hashlib.sha256(code.encode()).hexdigest()


def fingerprint(answers: dict) -> str:
    """Answers as a key: every task answers at random, so its answers name its stored row."""
    return json.dumps({item: int(value) for item, value in answers.items() if value is not None}, sort_keys=True)


class Clock:
    """Seconds since the run began, and how many tasks are done; ``third`` is set at a third of them."""

    def __init__(self, total: int) -> None:
        self.began = time.monotonic()
        self.total, self.done = total, 0
        self.lock = threading.Lock()
        self.third = threading.Event()

    def now(self) -> float:
        return time.monotonic() - self.began

    def tick(self) -> None:
        with self.lock:
            self.done += 1
            if self.done >= max(1, self.total // 3):
                self.third.set()


# -- the JSON API client ---------------------------------------------------------------------------

@dataclass
class ApiResult:
    """One post: ``outcome`` is ack, 503, 503-no-retry-after, 5xx, connection or http-<status>."""
    fingerprint: str
    outcome: str = ""
    code: str | None = None
    status: int | None = None
    refused_at: float | None = None  # when a 503 came
    bad_503_body: bool = False


def post_check_up(base: str, items: list[str], seed: int, clock: Clock) -> ApiResult:
    """POST one check-up with answers of its own; a 503 is reported, not retried."""
    rng = random.Random(f"api-{seed}")  # noqa: S311 - test data
    answers = {item: rng.randint(1, 5) for item in items}
    result = ApiResult(fingerprint(answers))
    request = urllib.request.Request(f"{base}/api/v1/questionnaires/{SLUG}/responses",
                                     data=json.dumps({"answers": answers, "profile": PROFILE}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - our own server
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    except OSError:  # refused, reset, timed out
        result.outcome = "connection"
        return result
    result.status = status
    if status == 201:
        result.code = json.loads(body).get("report_code")
        result.outcome = "ack" if result.code else "http-201-without-code"
    elif status == 503:
        result.refused_at = clock.now()
        result.outcome = "503" if headers.get("Retry-After") else "503-no-retry-after"
        try:
            error = json.loads(body)["error"]
            result.bad_503_body = not (isinstance(error["message"], str) and error["details"] == [])
        except (ValueError, KeyError, TypeError):
            result.bad_503_body = True
    else:
        result.outcome = "5xx" if status >= 500 else f"http-{status}"
    return result


# -- a respondent on the web pages -----------------------------------------------------------------

class FlowFailed(Exception):
    """The flow cannot go on (a status other than 200/3xx/503, or 503s past the retries)."""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as responses, so each hop is sent (and retried) on its own."""

    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class FlowResult:
    fingerprint: str = ""
    code: str | None = None  # the report code of the page the flow ended on
    given: str | None = None  # the report code of a redirect to /r/<code> (the browser has the link)
    seen_503: int = 0
    retried_503: int = 0
    no_retry_after: int = 0  # 503s without a Retry-After header
    bad_503_page: int = 0  # 503s without the "Even niet bereikbaar" page
    other_5xx: int = 0
    connection_errors: int = 0
    posts_503: int = 0  # 503s on a form post (the rest came on a GET)
    last_page_503: bool = False  # the last page's post got a 503 (and was sent again)
    failure: str | None = None
    refused_at: list[float] = field(default_factory=list)


class Respondent:
    """One browser: a cookie jar (the session holds the resume and report codes), the CSRF token read
    from the page a form is on, redirects followed hop by hop with GET."""

    def __init__(self, base: str, result: FlowResult, clock: Clock) -> None:
        self.base, self.result, self.clock = base, result, clock
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def send(self, url: str, fields: dict[str, str] | None) -> tuple[int, dict, str]:
        """``(status, headers, page)`` of one request; a 503 waits ``Retry-After`` and is sent again."""
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        tries = 0
        while True:
            try:
                with self.opener.open(urllib.request.Request(url, data=data), timeout=TIMEOUT) as response:
                    return response.status, response.headers, response.read().decode()
            except urllib.error.HTTPError as error:  # 3xx (NoRedirect), 4xx, 5xx
                status, headers, page = error.code, error.headers, error.read().decode()
            except OSError as error:
                self.result.connection_errors += 1
                if tries == RETRIES:
                    raise FlowFailed(f"connection error: {type(error).__name__}") from error
                tries += 1
                time.sleep(CONNECTION_WAIT)
                continue
            if status != 503:
                return status, headers, page
            self.result.seen_503 += 1
            self.result.posts_503 += data is not None
            self.result.refused_at.append(self.clock.now())
            if "Even niet bereikbaar" not in page:
                self.result.bad_503_page += 1
            if tries == RETRIES:
                raise FlowFailed(f"503 after {RETRIES} retries")
            wait = headers.get("Retry-After")
            if wait is None:
                self.result.no_retry_after += 1
            tries += 1
            self.result.retried_503 += 1
            time.sleep(int(wait) if wait and wait.isdigit() else DEFAULT_WAIT)

    def open(self, path: str, fields: dict[str, str] | None = None) -> tuple[str, str]:
        """``(final path, page)`` of a GET, or of a POST of ``fields``, after its redirects."""
        url = self.base + path
        while True:
            status, headers, page = self.send(url, fields)
            if status in (301, 302, 303, 307, 308):
                url, fields = urllib.parse.urljoin(url, headers["Location"]), None
                report = REPORT_PATH.match(urllib.parse.urlsplit(url).path)
                if report:
                    self.result.given = report.group(1)
                continue
            path = urllib.parse.urlsplit(url).path
            if status >= 500:
                self.result.other_5xx += 1
            if status != 200:  # a report code is a key: never printed
                raise FlowFailed(f"{status} on {REPORT_PATH.sub('/r/<code>', path)}")
            return path, page

    def submit(self, path: str, page: str, fields: dict[str, str]) -> tuple[str, str]:
        """Post the form of ``page`` (the page at ``path``) with ``fields`` and its CSRF token."""
        token = CSRF.search(page)
        if token is None:
            raise FlowFailed(f"no form on {path}")
        return self.open(path, {**fields, "csrf_token": token.group(1)})


def walk(base: str, sections: list[list[str]], seed: int, clock: Clock) -> FlowResult:
    """Start page, profile, each question page, the report: a full check-up on the web pages."""
    rng = random.Random(f"flow-{seed}")  # noqa: S311 - test data
    pages = [{item: rng.randint(1, 5) for item in items} for items in sections]
    result = FlowResult(fingerprint({k: v for page in pages for k, v in page.items()}))
    browser = Respondent(base, result, clock)
    try:
        path, page = browser.open(f"/q/{SLUG}")
        path, page = browser.submit(path, page, {f"p_{key}": value for key, value in PROFILE.items()})
        for step, answers in enumerate(pages, start=1):
            if path != f"/q/{SLUG}/stap/{step}":
                raise FlowFailed(f"on {path} instead of page {step}")
            seen = result.posts_503
            path, page = browser.submit(path, page, {f"a_{item}": str(value) for item, value in answers.items()}
                                        | {"action": "next"})
            if step == len(pages) and result.posts_503 > seen:
                result.last_page_503 = True
        report = REPORT_PATH.match(path)
        if report is None:
            raise FlowFailed(f"ended on {REPORT_PATH.sub('/r/<code>', path)}, not on a report")
        result.code = report.group(1)
    except FlowFailed as failure:
        result.failure = str(failure)
    return result


# -- the faults ------------------------------------------------------------------------------------

def cluster_of(url: str) -> tuple[str, str]:
    """(version, name) of the local cluster listening on the port of ``url`` (``pg_lsclusters``)."""
    parsed = sa.engine.make_url(url)
    if parsed.host not in (None, "localhost", "127.0.0.1", "::1"):
        raise SystemExit(f"TEST_DATABASE_URL is on {parsed.host}; a restart needs a cluster on this machine")
    lines = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    for version, name, port, status, *_ in (line.split() for line in lines.splitlines()):
        if int(port) == (parsed.port or 5432):
            if status != "online":
                raise SystemExit(f"cluster {version}/{name} is {status}")
            return version, name
    raise SystemExit(f"no local cluster on port {parsed.port or 5432} (pg_lsclusters)")


def other_clients(url: str) -> list[str]:
    """Other databases of the cluster with client sessions now: they lose them in the restart too."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT datname, count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND datname IS DISTINCT FROM current_database() GROUP BY datname ORDER BY datname"))
            return [f"{name} ({count})" for name, count in rows]
    finally:
        engine.dispose()


def restart_postgresql(url: str, clock: Clock) -> dict:
    version, name = cluster_of(url)
    others = other_clients(url)
    began = clock.now()
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart", "-m", "fast"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return {"what": f"`{' '.join(command)}`", "began": began, "seconds": clock.now() - began,
            "failed": done.stderr.strip() if done.returncode else None, "others": others}


def lock_sqlite(path: Path, hold: float, clock: Clock) -> dict:
    """Another connection takes the file's write lock and keeps it ``hold`` seconds (then rolls back)."""
    import sqlite3

    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        asked = clock.now()
        connection.execute("BEGIN IMMEDIATE")  # waits for a write that is under way, then holds the lock
        began = clock.now()
        time.sleep(hold)
        connection.execute("ROLLBACK")
        return {"what": f"`BEGIN IMMEDIATE` held {hold:g} s by another connection (lock taken "
                        f"{(began - asked) * 1000:.0f} ms after asking)",
                "began": began, "seconds": clock.now() - began, "failed": None, "others": []}
    finally:
        connection.close()


# -- the run ---------------------------------------------------------------------------------------

def stored(url: str, after_id: int) -> list[tuple[str, str | None, dict]]:
    """``(status, report_hash, answers)`` of every response with an id above ``after_id``."""
    response = sa.table("response", sa.column("id", sa.Integer), sa.column("status", sa.String),
                        sa.column("report_hash", sa.String), sa.column("answers", sa.JSON))
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(
                sa.select(response.c.status, response.c.report_hash, response.c.answers)
                .where(response.c.id > after_id))]
    finally:
        engine.dispose()


def last_id(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT coalesce(max(id), 0) FROM response")).scalar_one()
    finally:
        engine.dispose()


def opens(base: str, code: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/r/{code}", timeout=TIMEOUT) as response:  # noqa: S310
            response.read()
            return response.status == 200
    except OSError:
        return False


def unhandled(log: str) -> list[tuple[str, str]]:
    """(request, last line of its traceback) of each error that reached gunicorn, past the app's handlers."""
    found = []
    for block in log.split("Error handling request ")[1:]:
        lines = block.splitlines()
        errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception|Shutdown)\b", line)]
        found.append((lines[0], errors[-1] if errors else "?"))
    return found


def span(times: list[float]) -> str:
    return f"{min(times):.1f}–{max(times):.1f} s" if times else "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], required=True)
    parser.add_argument("--api", type=int, default=1500, help="JSON API posts")
    parser.add_argument("--flows", type=int, default=300, help="respondents on the web pages")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--hold", type=float, default=8.0, help="SQLite: seconds the write lock is held")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    instance = workdir / "instance"
    if args.db == "sqlite":
        sqlite_file = instance / "regiekompas.sqlite"
        url = f"sqlite:///{sqlite_file}"
    else:
        url = os.environ.get("TEST_DATABASE_URL", "")
        if not url.startswith("postgresql"):
            raise SystemExit("--db postgresql needs TEST_DATABASE_URL: bin/with-test-postgres .venv/bin/python ...")
        cluster_of(url)  # fail before the run when it cannot be restarted
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SECRET_KEY")}
    env |= {"REGIEKOMPAS_INSTANCE_PATH": str(instance), "DATABASE_URL": url, "SECRET_KEY": "bench",
            "FLASK_RATELIMIT_ENABLED": "false", "FLASK_REQUEST_LOG": "false", "WEB_CONCURRENCY": str(args.workers),
            "PYTHONPATH": str(ROOT)}
    subprocess.run([str(BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    after_id = last_id(url)

    server = Server("app.wsgi:app", env, ROOT, args.workers, config=True, logs=workdir, max_requests=None)
    try:
        with urllib.request.urlopen(f"{server.url}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310
            questionnaire = json.loads(response.read())
        sections = [[item["id"] for item in section["items"]] for section in questionnaire["sections"]]
        items = [item for section in sections for item in section]

        # The mix, in a fixed random order, so posts and page flows run side by side all along.
        tasks = [("api", n) for n in range(args.api)] + [("flow", n) for n in range(args.flows)]
        random.Random(20261124).shuffle(tasks)  # noqa: S311 - test data
        clock = Clock(len(tasks))

        def run(task: tuple[str, int]) -> ApiResult | FlowResult:
            kind, n = task
            try:
                if kind == "api":
                    return post_check_up(server.url, items, n, clock)
                return walk(server.url, sections, n, clock)
            finally:
                clock.tick()

        fault: dict = {}

        def blink() -> None:
            clock.third.wait()
            fault["tasks_done"] = clock.done
            fault.update(restart_postgresql(url, clock) if args.db == "postgresql"
                         else lock_sqlite(sqlite_file, args.hold, clock))

        breaker = threading.Thread(target=blink)
        breaker.start()
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(run, tasks))
        wall = clock.now()
        breaker.join()

        api = [r for r in results if isinstance(r, ApiResult)]
        flows = [r for r in results if isinstance(r, FlowResult)]
        # Every report link a flow ended on, or was sent to (a redirect) without seeing it open,
        # must open now, from a browser without its session.
        broken = sum(not opens(server.url, f.code or f.given) for f in flows if f.code or f.given)
    finally:
        server.stop()
    log = Path(server.log.name).read_text()
    rows = stored(url, after_id)

    # What the database holds against what the clients were given.
    completed = [(report_hash, fingerprint(answers or {})) for status, report_hash, answers in rows
                 if status == "completed"]
    completed_hashes = {report_hash for report_hash, _ in completed}
    acknowledged = {code_hash(r.code) for r in api if r.code}
    # Received: in a 201's body, or in the address of a report a flow was sent to.
    received = acknowledged | {code_hash(f.code or f.given) for f in flows if f.code or f.given}
    lost = [(report_hash, key) for report_hash, key in completed if report_hash not in received]
    owner = {r.fingerprint: ("an API post", r) for r in api} | {f.fingerprint: ("a page flow", f) for f in flows}
    reports_per_flow = {f.fingerprint: 0 for f in flows}
    for _, key in completed:
        if key in reports_per_flow:
            reports_per_flow[key] += 1
    outcomes = {name: sum(r.outcome == name for r in api) for name in ("ack", "503", "503-no-retry-after",
                                                                       "5xx", "connection")}
    other_api = [r.outcome for r in api if r.outcome not in outcomes]
    flow_5xx = sum(f.other_5xx for f in flows)
    failures: dict[str, int] = {}
    for f in flows:
        if f.failure:
            failures[f.failure] = failures.get(f.failure, 0) + 1

    not_stored = len(acknowledged - completed_hashes)
    figures = [
        ("**API: JSON posts**", ""),
        ("API posts sent", len(api)),
        ("acknowledged (201 with a report code)", outcomes["ack"]),
        ("refused: 503 with Retry-After (not retried)", outcomes["503"]),
        ("503 without Retry-After", outcomes["503-no-retry-after"]),
        ("other 5xx", outcomes["5xx"]),
        ("connection errors", outcomes["connection"]),
        ("**pages: respondents walking the check-up**", ""),
        ("page flows started", len(flows)),
        ("ended on their report", sum(f.code is not None for f in flows)),
        ("sent to their report, which did not open then", sum(f.code is None and f.given is not None for f in flows)),
        ("503s seen / retried after Retry-After", f"{sum(f.seen_503 for f in flows)} / "
                                                  f"{sum(f.retried_503 for f in flows)}"),
        ("flows that met a 503", sum(f.seen_503 > 0 for f in flows)),
        ("last page sent again after a 503, ended on the report",
         sum(f.last_page_503 and f.code is not None for f in flows)),
        ("503 without Retry-After", sum(f.no_retry_after for f in flows)),
        ("other 5xx", flow_5xx),
        ("connection errors (retried after 1 s)", sum(f.connection_errors for f in flows)),
        ("**afterwards**", ""),
        ("database: completed responses stored", len(completed)),
        ("database: unfinished responses left", sum(status != "completed" for status, _, _ in rows)),
        ("**lost**: stored, no client received its code", len(lost)),
        ("acknowledged but not stored", not_stored),
        ("report links of flows that do not open", broken),
        ("flows with more than one report", sum(n > 1 for n in reports_per_flow.values())),
    ]

    print(f"\n{args.db}, gunicorn {args.workers} sync workers, {args.threads} threads, {os.cpu_count()} CPUs; "
          f"{wall:.1f} s in all")
    if fault.get("failed"):
        print(f"THE FAULT FAILED: {fault['failed']}")
    print(f"fault at {fault['began']:.1f} s, after {fault['tasks_done']} of {len(tasks)} tasks: {fault['what']}, "
          f"{fault['seconds']:.1f} s")
    if fault["others"]:
        print(f"other databases with sessions at the restart: {', '.join(fault['others'])}")
    refused_at = [r.refused_at for r in api if r.refused_at is not None] + [t for f in flows for t in f.refused_at]
    print(f"503s came at {span(refused_at)} into the run\n")
    print("| figure | count |\n|---|---:|")
    for name, value in figures:
        print(f"| {name} | {value} |")
    print()

    # Anything odd, in detail.
    if other_api:
        print(f"API posts with another status: {', '.join(sorted(set(other_api)))} ({len(other_api)})")
    if any(r.bad_503_body for r in api) or any(f.bad_503_page for f in flows):
        print(f"503s without the documented body: API {sum(r.bad_503_body for r in api)}, "
              f"pages {sum(f.bad_503_page for f in flows)}")
    for failure, count in sorted(failures.items()):
        print(f"flows that did not end on a report: {count} × {failure}")
    for report_hash, key in lost:
        kind, result = owner.get(key, ("unknown", None))
        seen = (result.outcome if isinstance(result, ApiResult) else result.failure) if result else "?"
        print(f"lost: report {report_hash[:12]}… of {kind}, which got: {seen}")
    escaped = unhandled(log)
    print(f"gunicorn error log: {log.count('database unavailable')} 'database unavailable' warnings (503s), "
          f"{log.count('Exception on ')} exceptions the app answered with 500, {len(escaped)} that escaped the "
          f"app (gunicorn's own 500), {log.count('WORKER TIMEOUT')} worker timeouts")
    for request, error in escaped:
        print(f"  escaped: {request}: {error}")

    failed = outcomes["5xx"] + flow_5xx + not_stored + broken
    if failed or escaped or lost:
        print(f"kept for reading: {server.log.name}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
