"""The instance secret when several workers start at once (gunicorn without preload, several hosts
on one shared instance folder): all of them end up with the same, complete secret."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from app.config import load_or_create_secret

PROCESSES = 12
ROUNDS = 15


def _start(folder: str, barrier, results) -> None:
    barrier.wait()  # every process asks for the secret at the same moment
    results.put(load_or_create_secret(Path(folder)))


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_workers_starting_together_share_one_complete_secret(tmp_path):
    context = multiprocessing.get_context("fork")
    for round_number in range(ROUNDS):
        folder = tmp_path / str(round_number)
        folder.mkdir()
        barrier, results = context.Barrier(PROCESSES), context.Queue()
        workers = [context.Process(target=_start, args=(str(folder), barrier, results)) for _ in range(PROCESSES)]
        for worker in workers:
            worker.start()
        secrets = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join()
        assert len(set(secrets)) == 1 and len(secrets[0]) == 64
        assert secrets[0] == (folder / "secret_key").read_text()
        assert [p.name for p in folder.iterdir()] == ["secret_key"]  # no drafts left behind
        assert ((folder / "secret_key").stat().st_mode & 0o077) == 0
