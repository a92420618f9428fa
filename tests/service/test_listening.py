"""`saylau serve`'s listening sockets: a port in use is refused, even by a server that
shares its port; several workers each listen on a socket of their own on one port, and the
connections spread over them; a worker that dies leaves its connections to its
replacement."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.errors import InputError
from saylau.service.serving import SPREADS, Listening
from tests.service.conftest import Copy
from tests.service.server import Server

HOST = "127.0.0.1"


def busy(port: int) -> str:
    return rf"^cannot listen on 127\.0\.0\.1 port {port}: Address already in use$"


def port_of(listening: Listening) -> int:
    ports = {sock.getsockname()[1] for sock in listening.socks}
    assert len(ports) == 1, ports
    return ports.pop()


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_a_port_in_use_is_refused_with_its_number(workers: int) -> None:
    with socket.socket() as other:
        other.bind((HOST, 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(InputError, match=busy(port)):
            Listening.bind(HOST, port, workers)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("port", [-1, 65536, 99999])
def test_a_number_that_is_not_a_port_is_refused(port: int, workers: int) -> None:
    with pytest.raises(
        InputError, match=rf"^cannot listen on 127\.0\.0\.1 port {port}: not a port"
    ):
        Listening.bind(HOST, port, workers)
    said = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert said.exit_code == 2, said.output
    assert "Invalid value for '--port'" in said.output, said.output


@pytest.mark.parametrize("command", ["serve", "replay"])
@pytest.mark.parametrize("workers", ["0", "-2"])
def test_fewer_than_one_worker_is_refused(command: str, workers: str) -> None:
    with pytest.raises(InputError, match=rf"^workers: at least 1, not {workers}$"):
        Listening.bind(HOST, 0, int(workers))
    said = CliRunner().invoke(app, [command, "--workers", workers])
    assert said.exit_code == 2, said.output
    assert "Invalid value for '--workers'" in said.output, said.output


def test_a_port_another_server_shares_over_its_workers_is_refused_not_joined() -> None:
    """Two servers of several workers each on one port would split its connections between
    them: the second is refused, as if the first listened on one socket."""
    first = Listening.bind(HOST, 0, 2)
    try:
        port = port_of(first)
        for workers in (1, 2):
            with pytest.raises(InputError, match=busy(port)):
                Listening.bind(HOST, port, workers)
    finally:
        first.close()
    Listening.bind(HOST, port, 2).close()  # free again once the first has closed


def test_each_worker_listens_on_its_own_socket_and_the_connections_spread() -> None:
    assert SPREADS  # the tests run on Linux
    listening = Listening.bind(HOST, 0, 3)
    clients: list[socket.socket] = []
    try:
        assert len(listening.socks) == 3
        port = port_of(listening)
        for sock in listening.socks:
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1
            assert sock.get_inheritable()
            sock.setblocking(False)
        for _ in range(60):
            clients.append(socket.create_connection((HOST, port), timeout=10))
        accepted = [0, 0, 0]
        deadline = time.monotonic() + 10
        while sum(accepted) < 60 and time.monotonic() < deadline:
            for number, sock in enumerate(listening.socks):
                try:
                    sock.accept()[0].close()
                    accepted[number] += 1
                except BlockingIOError:
                    pass
        # each socket takes a connection with chance 1/3: none is left without one
        # but with chance below 3 * (2/3)**60, about 10**-10
        assert sum(accepted) == 60 and min(accepted) > 0, accepted
    finally:
        for client in clients:
            client.close()
        listening.close()


def connections(pid: int, port: int) -> int:
    """The established TCP connections to `port` that process `pid` holds open."""
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            held.add(target[len("socket:[") : -1])
    found = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], fields[9]
        if state == "01" and int(local.split(":")[1], 16) == port and inode in held:
            found += 1
    return found


def workers_of(server: Server) -> list[int]:
    """The server's worker processes (its other children: multiprocessing's helpers)."""
    assert server.process is not None
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    found = [int(pid) for pid in children.read_text().split()]
    return [pid for pid in found if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]


def health(connection: http.client.HTTPConnection) -> int:
    connection.request("GET", "/api/health")
    response = connection.getresponse()
    response.read()
    return response.status


def health_anew(port: int) -> int:
    """`GET /api/health` on a new connection, closed after."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        return health(connection)
    finally:
        connection.close()


def test_serve_spreads_connections_over_its_workers_and_a_dead_ones_go_to_its_replacement(
    sqlite_copy: Copy,
) -> None:
    """32 connections to `saylau serve --workers 2` are each answered, and each worker
    holds some of them. Then one worker is killed: every new connection is still
    answered, those the kernel sends to the dead worker's socket by its replacement."""
    server = Server(sqlite_copy.url, workers=2)
    server.start()
    try:
        workers = workers_of(server)
        assert len(workers) == 2, workers
        held = [http.client.HTTPConnection(HOST, server.port, timeout=60) for _ in range(32)]
        assert [health(connection) for connection in held] == [200] * 32
        spread = [connections(pid, server.port) for pid in workers]
        assert sum(spread) == 32 and min(spread) > 0, spread
        for connection in held:
            connection.close()
        os.kill(workers[0], signal.SIGKILL)
        assert [health_anew(server.port) for _ in range(32)] == [200] * 32
        replaced = workers_of(server)
        assert workers[1] in replaced and workers[0] not in replaced, (workers, replaced)
    finally:
        server.stop()
