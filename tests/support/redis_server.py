"""A throwaway Redis server for the tests of shared rate-limit counters.

The ``redis_server`` fixture starts Debian's ``redis-server`` on a free port of 127.0.0.1, with no
persistence (``--save '' --appendonly no``), in the foreground as a child process, and stops it after
the test. Without ``redis-server`` (``apt-get install redis-server``; ``.ci/run`` installs it), or when
it does not start, the test is skipped with that reason. A test may stop the server itself, to see
what the app does when Redis is down.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

NOT_INSTALLED = ("redis-server is not installed (Debian: apt-get install redis-server; .ci/run installs it): "
                 "no test of shared rate-limit counters")


class RedisServer:
    """``redis-server`` on ``port`` of 127.0.0.1, its working folder and log in ``folder``."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary, self.folder = binary, folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = folder / "redis.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10) -> None:
        """Start the server and wait until it answers PING; RuntimeError with its log if it does not."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--daemonize", "no", "--dir", str(self.folder)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server stopped at once: {self.log.read_text()[-1000:]}")
            if self.ping():
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer within {timeout} s: {self.log.read_text()[-1000:]}")

    def ping(self) -> bool:
        """Whether the server answers PING (a plain socket: no client library involved)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 10 s); nothing when it is not running."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    """A running Redis server of this test's own (``.url``, ``.stop()``); skips the test without one."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(NOT_INSTALLED)
    server = RedisServer(binary, tmp_path / "redis")
    try:
        server.start()
    except (OSError, RuntimeError) as error:
        pytest.skip(f"redis-server could not start: {error}")
    try:
        yield server
    finally:
        server.stop()
