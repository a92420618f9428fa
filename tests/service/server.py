"""`saylau serve` as a real process for the tests that need one: the durability test kills
it with SIGKILL, the browser tests drive it with Chromium.

The server runs in a process group of its own, so that stopping it stops its workers too.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.service import postgres

SAYLAU = Path(sys.executable).parent / "saylau"


class Server:
    """A running `saylau serve` on a loopback port."""

    def __init__(
        self,
        url: str,
        port: int | None = None,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.url = url
        self.port = port or postgres.free_port()
        self.workers = workers
        self.env = env if env is not None else {**os.environ, "SAYLAU_SECRET": "test-secret"}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(SAYLAU), "serve", "--port", str(self.port), "--url", self.url]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.request("GET", "/api/health")[0] == 200:
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the server's whole process group: no shutdown, no flush, nothing."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """One request on a new connection; (status, JSON answer)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Content-Type": "application/json", **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            connection.request(
                method, path, body=None if body is None else json.dumps(body), headers=headers
            )
            response = connection.getresponse()
            data = response.read()
            return response.status, json.loads(data) if data else None
        finally:
            connection.close()

    def login(self, username: str, password: str) -> str:
        status, answer = self.request(
            "POST", "/api/session", {"username": username, "password": password}
        )
        assert status == 200, answer
        token: str = answer["token"]
        return token


@contextmanager
def serving(url: str) -> Iterator[Server]:
    server = Server(url)
    server.start()
    try:
        yield server
    finally:
        server.stop()
