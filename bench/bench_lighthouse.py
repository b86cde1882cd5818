"""Lighthouse 12.2.3 in mobile mode on five pages of the app (a script, not a test).

    python bench/bench_lighthouse.py [--runs 3] [--workers 2] [--chrome /usr/bin/chromium]
                                     [--lighthouse-dir instance/lighthouse-12.2.3] [--lang nl|en] [--out DIR]

Needs node/npm and Chromium. Lighthouse is installed with ``npm i -E lighthouse@12.2.3`` into
``--lighthouse-dir`` (default ``instance/lighthouse-12.2.3``, ignored by git) when it is not there yet.
The app is served by gunicorn on a free port of 127.0.0.1 (gunicorn.conf.py, rate limits off) on a
fresh SQLite database in a temporary folder, migrated with ``flask db upgrade``; only 127.0.0.1 is
contacted. Pages:

* home: ``/``;
* start: ``/q/loopbaan-apk`` (the profile questions);
* question: ``/q/loopbaan-apk/stap/1``, the first question page, with the session cookie that
  posting the start form (with its CSRF token) gave, sent by Lighthouse as an extra header;
* report: ``/r/<code>`` of a response sent through ``POST /api/v1/questionnaires/loopbaan-apk/responses``,
  opened as a link, without a session;
* sent: the report right after sending in the browser (every question page posted in one session,
  the session sent along): "Bewaar je uitslag" with its QR code comes first.

Each page is audited ``--runs`` times (``--form-factor=mobile``: Lighthouse's default phone
emulation and simulated throttling); the median score per category counts. Prints a Markdown table,
the audits that cost points, and writes ``scores.json`` and every Lighthouse report to ``--out``.
Exit status 1 when a target (TARGETS) is missed. Lighthouse's performance score varies with the
machine's load: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_server import PROFILE, ROOT, SLUG, Server, app_env, migrate, score_body  # noqa: E402

VERSION = "12.2.3"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Minimum median score per page and category. Question and report pages are noindex on purpose, so
#: their SEO score is reported but has no target.
TARGETS = {
    page: {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0} | ({"seo": 0.9} if public else {})
    for page, public in (("home", True), ("start", True), ("question", False), ("report", False), ("sent", False))
}
LABELS = {
    "home": "home `/`",
    "start": f"start `/q/{SLUG}`",
    "question": f"question `/q/{SLUG}/stap/1`",
    "report": "report `/r/<code>` (sent through the API, opened as a link)",
    "sent": "report `/r/<code>` right after sending in the browser",
}
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")


def lighthouse_cli(folder: Path) -> Path:
    """Lighthouse's CLI in ``folder``, installed there with npm first when it is missing or another version."""
    package = folder / "node_modules" / "lighthouse" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != VERSION:
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm not found: Lighthouse needs node and npm")
        folder.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{VERSION} into {folder}", file=sys.stderr)
        subprocess.run([npm, "install", "--prefix", str(folder), "--save-exact", "--no-audit", "--no-fund",
                        f"lighthouse@{VERSION}"], check=True, timeout=600)
    return folder / "node_modules" / "lighthouse" / "cli" / "index.js"


class Respondent:
    """A browser's session, kept in a cookie jar: the start form posted as a respondent does (with its CSRF token)."""

    def __init__(self, base: str, query: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.url = self.post(f"/q/{SLUG}{query}", {f"p_{k}": v for k, v in PROFILE.items()})
        if not self.url.endswith(f"/q/{SLUG}/stap/1"):
            raise RuntimeError(f"posting the profile led to {self.url}, not the first question page")

    def post(self, path: str, fields: dict[str, str]) -> str:
        """GET ``path``, post ``fields`` with its form's CSRF token; the URL the redirects end on."""
        with self.opener.open(self.base + path) as response:
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.read().decode())
        if token is None:
            raise RuntimeError(f"no CSRF token on {path}")
        data = urllib.parse.urlencode(fields | {"csrf_token": token.group(1)}).encode()
        with self.opener.open(self.base + path, data=data) as response:
            return response.url

    def send(self) -> str:
        """Answer every question page (4 on each item) and send; the path of the report it leads to."""
        with urllib.request.urlopen(f"{self.base}/api/v1/questionnaires/{SLUG}") as response:  # noqa: S310
            sections = json.loads(response.read())["sections"]
        for step, section in enumerate(sections, 1):
            fields = {f"a_{item['id']}": "4" for item in section["items"]} | {"action": "next"}
            self.url = self.post(f"/q/{SLUG}/stap/{step}", fields)
        path = urllib.parse.urlsplit(self.url).path
        if not path.startswith("/r/"):
            raise RuntimeError(f"sending led to {self.url}, not a report")
        return path

    def headers(self) -> dict[str, str]:
        """The session as Lighthouse's ``--extra-headers``."""
        return {"Cookie": "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.jar)}


def new_report(base: str) -> str:
    """The code of a new report, sent through the JSON API."""
    request = urllib.request.Request(f"{base}/api/v1/questionnaires/{SLUG}/responses", data=score_body(base).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request) as response:  # noqa: S310 - our own server
        return json.loads(response.read())["report_code"]


def audit(cli: Path, chrome: str, url: str, output: Path, headers: dict[str, str] | None, tries: int = 3) -> dict:
    """One Lighthouse run on ``url``; its JSON report (also written to ``output``).

    A run that Lighthouse itself gives up on (a runtime error such as NO_NAVSTART, which a busy
    machine causes now and then) is tried again, up to ``tries`` times in all.
    """
    args = ["node", str(cli), url, "--output=json", f"--output-path={output}", "--quiet", "--form-factor=mobile",
            f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    if headers:
        args.append(f"--extra-headers={json.dumps(headers)}")
    for attempt in range(1, tries + 1):
        output.unlink(missing_ok=True)
        done = subprocess.run(args, env={**os.environ, "CHROME_PATH": chrome}, capture_output=True, text=True,
                              timeout=300)
        report = json.loads(output.read_text()) if output.exists() else {}
        if done.returncode == 0 and report and not report.get("runtimeError"):
            return report
        error = report.get("runtimeError") or done.stderr.strip().splitlines()[-1:] or done.returncode
        print(f"warning: Lighthouse on {url}, try {attempt} of {tries}: {error}", file=sys.stderr)
    raise RuntimeError(f"Lighthouse gave no report on {url} in {tries} tries")


def lost_points(report: dict) -> dict[str, float]:
    """The audits that cost points in a category (weight > 0, score below 1): ``category: id`` to score."""
    lost = {}
    for name, category in report["categories"].items():
        for ref in category["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref["weight"] > 0 and result["score"] is not None and result["score"] < 1:
                lost[f"{name}: {ref['id']}"] = result["score"]
    return lost


def failed_audits(report: dict) -> list[str]:
    """The audits that Lighthouse could not run (information: none of them has a weight in a category)."""
    return [f"{audit_id}: {result['errorMessage'][:90]}" for audit_id, result in report["audits"].items()
            if result["scoreDisplayMode"] == "error"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (the median counts)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH") or shutil.which("chromium")
                        or "/usr/bin/chromium")
    parser.add_argument("--lighthouse-dir", type=Path, default=ROOT / "instance" / f"lighthouse-{VERSION}")
    parser.add_argument("--lang", choices=("nl", "en"), default="nl", help="the UI language of the pages")
    parser.add_argument("--out", type=Path, help="folder for the reports (default: a new temporary folder)")
    args = parser.parse_args()
    if not Path(args.chrome).exists():
        raise SystemExit(f"no Chromium at {args.chrome} (apt-get install chromium, or --chrome PATH)")
    cli = lighthouse_cli(args.lighthouse_dir)

    workdir = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    out = args.out or workdir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    env = app_env(workdir, args.workers)
    migrate(env)
    load_before = os.getloadavg()
    server = Server("app.wsgi:app", env, ROOT, args.workers, config=True, logs=workdir)
    try:
        # ?lang= picks the language; the session remembers it for the pages after the start page.
        query = "" if args.lang == "nl" else f"?lang={args.lang}"
        started, sent = Respondent(server.url, query), Respondent(server.url, query)
        pages = {
            "home": (f"/{query}", None),
            "start": (f"/q/{SLUG}{query}", None),
            "question": (f"/q/{SLUG}/stap/1", started.headers()),
            "report": (f"/r/{new_report(server.url)}{query}", None),
            "sent": (sent.send(), sent.headers()),
        }
        scores: dict[str, dict[str, list[float]]] = {page: {c: [] for c in CATEGORIES} for page in pages}
        lost: dict[str, dict[str, list[float]]] = {page: {} for page in pages}
        errors: set[str] = set()
        for run in range(args.runs):
            for page, (path, headers) in pages.items():
                report = audit(cli, args.chrome, server.url + path, out / f"{page}-{run + 1}.json", headers)
                for c in CATEGORIES:
                    scores[page][c].append(report["categories"][c]["score"])
                for audit_id, score in lost_points(report).items():
                    lost[page].setdefault(audit_id, []).append(score)
                errors.update(failed_audits(report))
    finally:
        server.stop()
    load_after = os.getloadavg()

    medians = {page: {c: statistics.median(values) for c, values in by_category.items()}
               for page, by_category in scores.items()}
    (out / "scores.json").write_text(json.dumps({"lighthouse": VERSION, "runs": scores, "median": medians,
                                                 "load_average": [load_before, load_after]}, indent=2) + "\n")
    browser = subprocess.run([args.chrome, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    print(f"Lighthouse {VERSION} ({browser.split(' built')[0]}), mobile, pages in {args.lang}, median of "
          f"{args.runs} runs; {os.cpu_count()} cores, load average "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; reports in {out}\n")
    print("| page | " + " | ".join(CATEGORIES) + " |")
    print("| --- |" + " ---: |" * len(CATEGORIES))
    missed = []
    for page, by_category in medians.items():
        cells = []
        for c, score in by_category.items():
            target = TARGETS[page].get(c)
            cells.append(f"{score:.2f}" + ("" if target is None else f" (≥ {target:.2f})"))
            if target is not None and score < target:
                missed.append(f"{page} {c}: {score:.2f} < {target:.2f}")
        print(f"| {LABELS[page]} | " + " | ".join(cells) + " |")
    for page, audits in lost.items():
        if audits:
            lines = [f"{a} ({', '.join(f'{v:.2f}' for v in values)})" for a, values in sorted(audits.items())]
            print(f"\n{page}, audits that cost points (their scores in the runs where they did):\n  "
                  + "\n  ".join(lines))
    if errors:
        print("\nAudits Lighthouse could not run (on some page; no weight in any category):\n  "
              + "\n  ".join(sorted(errors)))
    if missed:
        print("\nTargets missed:\n  " + "\n  ".join(missed))
        return 1
    print("\nAll targets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
