"""`saylau serve` as a process on a loopback port (issue 22, what remained of items 1 and 6):
the bound on concurrent connections holds with real sockets, and the running service signs
the chain's head on its timer and publishes it."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from tests.service.conftest import PASSWORD, Prepared
from tests.service.server import Server

BOUND = 4
TIMEOUT = 2


@pytest.fixture(scope="module")
def server(sqlite_prepared: Prepared, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {**os.environ, "SAYLAU_SECRET": "test-secret", "SAYLAU_MAX_CONNECTIONS": str(BOUND)}
    env |= {"SAYLAU_REQUEST_TIMEOUT": str(TIMEOUT), "SAYLAU_CHECKPOINT_SECONDS": "1"}
    found = Server(sqlite_prepared.copy(tmp_path_factory.mktemp("bounds")), env=env)
    found.start()
    try:
        yield found
    finally:
        found.stop()


def health(server: Server) -> tuple[int, float]:
    """GET /api/health on a new connection: the status, and the seconds the answer took."""
    began = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), time.monotonic() - began


def idle(server: Server, n: int) -> list[socket.socket]:
    """`n` connections opened and left saying nothing, each accepted by the server."""
    found = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(n)]
    time.sleep(0.3)
    return found


def test_connections_beyond_the_bound_are_answered_503_and_the_server_stays_responsive(
    server: Server,
) -> None:
    assert health(server)[0] == 200
    held = idle(server, 2 * BOUND)  # twice the bound, holding nothing back
    try:
        for _ in range(5):
            status, took = health(server)
            assert status == 503 and took < 2, (status, took)
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.3)
    assert health(server)[0] == 200, "the connections closed, the server serves again"

    held = idle(server, 2 * BOUND)  # held open by the client, never closed by it
    try:
        assert health(server)[0] == 503
        time.sleep(TIMEOUT + 1)  # the server drops each, having had no request in time
        assert all(sock.recv(1) == b"" for sock in held)
        assert health(server)[0] == 200
    finally:
        for sock in held:
            sock.close()


def test_the_running_service_signs_its_head_and_publishes_it(server: Server) -> None:
    token = server.login("observer", PASSWORD)  # an entry: the head moves
    status, chain = server.request("GET", "/api/audit?after=0&limit=1000", token=token)
    assert status == 200
    last = chain[-1]["seq"]
    deadline = time.monotonic() + 10
    while True:
        status, head = server.request("GET", "/api/audit/head")  # no login
        if head is not None and head["seq"] >= last:
            break
        assert time.monotonic() < deadline, head
        time.sleep(0.2)
    assert head["kind"] == "head", json.dumps(head)
    result = CliRunner().invoke(
        app, ["audit", "verify", "--url", server.url, "--anchor", head["anchor"]]
    )
    assert result.exit_code == 0, result.output
