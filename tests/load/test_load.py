"""Concurrency: 200 complete responses from 20 threads against gunicorn with 4 workers, on SQLite (WAL,
busy timeout) and PostgreSQL. Every response is stored exactly once, every report can be read back,
no request gets a 5xx. Marked ``load`` (about 10-20 s per database)."""

from __future__ import annotations

import hashlib
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.databases import KINDS
from tests.support.flows import WORKER_PROFILE, csrf_token

from .server import SLUG, PageFlow, call, gunicorn, stored_rows, worker_body

pytestmark = pytest.mark.load

RESPONSES = 200
THREADS = 20


@pytest.mark.parametrize("db_kind", KINDS)
def test_200_responses_from_20_threads_are_each_stored_once(db_kind, tmp_path):
    with gunicorn(db_kind, tmp_path, workers=4) as server:
        status, questionnaire = call(f"{server.base}/api/v1/questionnaires/{SLUG}")
        assert status == 200
        items = [item["id"] for section in questionnaire["sections"] for item in section["items"]]

        def submit(seed: int) -> tuple[int, dict]:
            return call(f"{server.base}/api/v1/questionnaires/{SLUG}/responses", worker_body(items, seed))

        with ThreadPoolExecutor(THREADS) as pool:
            submitted = list(pool.map(submit, range(RESPONSES)))
        assert [status for status, _ in submitted] == [201] * RESPONSES
        codes = [body["report_code"] for _, body in submitted]
        assert len(set(codes)) == RESPONSES

        rows = stored_rows(server)
        assert len(rows) == RESPONSES
        assert {(status, has_result) for status, has_result, _ in rows} == {("completed", True)}
        assert {report_hash for *_, report_hash in rows} == {hashlib.sha256(c.encode()).hexdigest() for c in codes}

        with ThreadPoolExecutor(THREADS) as pool:
            read_back = list(pool.map(lambda code: call(f"{server.base}/api/v1/reports/{code}"), codes))
        for (_, posted), (status, report) in zip(submitted, read_back, strict=True):
            assert status == 200
            assert report == {k: v for k, v in posted.items() if k not in ("report_code", "report_url")}

        statuses = [line["status"] for line in server.request_log()]
        assert statuses.count(201) == RESPONSES
        assert not [s for s in statuses if s >= 500]


@pytest.mark.parametrize("db_kind", KINDS)
def test_respondents_on_the_pages_at_once_each_get_their_own_report(db_kind, tmp_path):
    """40 respondents walk the page flow (profile, every page saved at once, submit) from 20 threads."""
    respondents = 40
    with gunicorn(db_kind, tmp_path, workers=4) as server:
        _, questionnaire = call(f"{server.base}/api/v1/questionnaires/{SLUG}")
        sections = [[item["id"] for item in section["items"]] for section in questionnaire["sections"]]

        def walk(seed: int) -> tuple[str, str]:
            respondent = PageFlow(server.base)
            respondent.start(WORKER_PROFILE)
            for step, items in enumerate(sections, start=1):
                status, final_url, page = respondent.answer(step, dict.fromkeys(items, seed % 5 + 1))
                assert status == 200
            return final_url, page

        with ThreadPoolExecutor(THREADS) as pool:
            finished = list(pool.map(walk, range(respondents)))
        codes = [final_url.rsplit("/r/", 1)[1] for final_url, _ in finished]
        assert len(set(codes)) == respondents
        rows = stored_rows(server)
        assert [(status, has_result) for status, has_result, _ in rows] == [("completed", True)] * respondents
        assert {report_hash for *_, report_hash in rows} == {hashlib.sha256(c.encode()).hexdigest() for c in codes}
        assert not [line for line in server.request_log() if line["status"] >= 500]


def double_tap(opener, url: str, body: bytes) -> list[str]:
    """Post ``body`` to ``url`` twice at the same moment with one cookie jar; the URLs both posts ended on."""
    start = threading.Barrier(2)
    landed: list[str] = []

    def tap() -> None:
        start.wait()
        with opener.open(urllib.request.Request(url, data=body), timeout=60) as response:
            assert response.status == 200
            landed.append(response.url)

    taps = [threading.Thread(target=tap) for _ in range(2)]
    for thread in taps:
        thread.start()
    for thread in taps:
        thread.join(timeout=120)
    return landed


@pytest.mark.parametrize("db_kind", KINDS)
def test_the_last_page_sent_twice_at_once_ends_on_one_report_every_time(db_kind, tmp_path):
    """A double tap on "Versturen" through gunicorn: 15 respondents each post their last page twice at the
    same moment, from one browser (one cookie jar). Both posts end on the same report, which opens."""
    respondents = 15
    with gunicorn(db_kind, tmp_path, workers=4) as server:
        _, questionnaire = call(f"{server.base}/api/v1/questionnaires/{SLUG}")
        sections = [[item["id"] for item in section["items"]] for section in questionnaire["sections"]]
        last = len(sections)
        for seed in range(respondents):
            respondent = PageFlow(server.base)
            respondent.start(WORKER_PROFILE)
            for step, items in enumerate(sections[:-1], start=1):
                respondent.answer(step, dict.fromkeys(items, seed % 5 + 1))
            token = csrf_token(respondent.get(f"/q/{SLUG}/stap/{last}")[1])
            body = urllib.parse.urlencode({**{f"a_{i}": "3" for i in sections[-1]}, "action": "next",
                                           "csrf_token": token}).encode()
            landed = double_tap(respondent.opener, f"{server.base}/q/{SLUG}/stap/{last}", body)
            assert len(landed) == 2 and landed[0] == landed[1] and "/r/" in landed[0], landed
        rows = stored_rows(server)
        assert [(status, has_result) for status, has_result, _ in rows] == [("completed", True)] * respondents
        assert not [line for line in server.request_log() if line["status"] >= 500]
