"""A gunicorn worker killed (SIGKILL) in the middle of a submission, after the row was written and
before COMMIT: nothing committed is lost, nothing half-stored stays, the app goes on. Marked ``load``."""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from tests.support.databases import KINDS
from tests.support.flows import WORKER_PROFILE

from .fault_hooks import HEADER
from .server import SLUG, PageFlow, call, gunicorn, stored_rows, worker_body

pytestmark = pytest.mark.load

FAULTS_CONFIG = Path(__file__).with_name("gunicorn_faults.conf.py")


def wait_for(path: Path, attempts: int = 600) -> str:
    """The content of ``path`` once it exists (polled at most ``attempts`` times, 0.05 s apart)."""
    for _ in range(attempts):
        if path.exists():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} never appeared")


def code_hashes(codes: list[str]) -> set[str]:
    return {hashlib.sha256(code.encode()).hexdigest() for code in codes}


@pytest.mark.parametrize("db_kind", KINDS)
def test_worker_killed_before_commit_loses_nothing_and_leaves_nothing_half_stored(db_kind, tmp_path):
    faults = tmp_path / "faults"
    faults.mkdir()
    with gunicorn(db_kind, tmp_path, workers=2, config=FAULTS_CONFIG, env={"FAULT_DIR": str(faults)}) as server:
        status, questionnaire = call(f"{server.base}/api/v1/questionnaires/{SLUG}")
        items = [item["id"] for section in questionnaire["sections"] for item in section["items"]]
        url = f"{server.base}/api/v1/questionnaires/{SLUG}/responses"
        before = [call(url, worker_body(items, seed)) for seed in range(10)]
        assert {status for status, _ in before} == {201}
        earlier = [body["report_code"] for _, body in before]

        outcome: list[object] = []

        def doomed_submission():
            try:
                outcome.append(call(url, worker_body(items, 99), headers={HEADER: "1"})[0])
            except OSError as exc:  # the connection dies with the worker
                outcome.append(exc)

        client = threading.Thread(target=doomed_submission)
        client.start()
        pid = int(wait_for(faults / "paused"))
        assert pid != server.process.pid  # a worker, not the master
        os.kill(pid, signal.SIGKILL)
        client.join(timeout=120)
        assert len(outcome) == 1 and not (isinstance(outcome[0], int) and outcome[0] < 500)

        rows = stored_rows(server)
        assert len(rows) == len(earlier)  # the killed submission left no row
        assert {(status, has_result) for status, has_result, _ in rows} == {("completed", True)}
        assert {report_hash for *_, report_hash in rows} == code_hashes(earlier)
        for code, (_, posted) in zip(earlier, before, strict=True):
            status, report = call(f"{server.base}/api/v1/reports/{code}")
            assert status == 200 and report["factors"] == posted["factors"]

        # The master replaces the worker; new submissions are stored as before.
        after = [call(url, worker_body(items, seed)) for seed in range(10, 15)]
        assert {status for status, _ in after} == {201}
        assert len(stored_rows(server)) == len(earlier) + len(after)


@pytest.mark.parametrize("db_kind", KINDS)
def test_worker_killed_while_submitting_the_last_page_keeps_the_response_unfinished(db_kind, tmp_path):
    """The page flow's submit is an UPDATE of the started response: killed before COMMIT, the response
    stays unfinished with every answer, and sending the last page again gives the report."""
    faults = tmp_path / "faults"
    faults.mkdir()
    with gunicorn(db_kind, tmp_path, workers=2, config=FAULTS_CONFIG, env={"FAULT_DIR": str(faults)}) as server:
        _, questionnaire = call(f"{server.base}/api/v1/questionnaires/{SLUG}")
        sections = [[item["id"] for item in section["items"]] for section in questionnaire["sections"]]
        respondent = PageFlow(server.base)
        respondent.start(WORKER_PROFILE)
        for step, items in enumerate(sections[:-1], start=1):
            assert respondent.answer(step, dict.fromkeys(items, 4))[0] == 200
        last = len(sections)

        outcome: list[object] = []

        def doomed_submit():
            try:
                outcome.append(respondent.answer(last, dict.fromkeys(sections[-1], 4), {HEADER: "1"}))
            except OSError as exc:
                outcome.append(exc)

        client = threading.Thread(target=doomed_submit)
        client.start()
        os.kill(int(wait_for(faults / "paused")), signal.SIGKILL)
        client.join(timeout=120)
        assert len(outcome) == 1 and isinstance(outcome[0], OSError)

        assert stored_rows(server) == [("started", False, None)]  # not completed, no result, no report code
        status, final_url, page = respondent.answer(last, dict.fromkeys(sections[-1], 4))
        assert status == 200 and "/r/" in final_url
        [(state, has_result, report_hash)] = stored_rows(server)
        assert (state, has_result) == ("completed", True)
        assert report_hash == hashlib.sha256(final_url.rsplit("/", 1)[1].encode()).hexdigest()
