"""`saylau serve`'s listening socket: a port in use is refused, whatever the number of
workers; with several, the connections are dealt to the workers in turn, and a worker that
dies leaves its connections to its replacement."""

from __future__ import annotations

import http.client
import os
import signal
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli import app
from saylau.errors import InputError
from saylau.service.dealing import DEALS, Dealer, channel
from saylau.service.serving import Listening
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


def test_a_port_another_server_listens_on_with_several_workers_is_refused() -> None:
    """Two servers on one port would split its connections between them: the second is
    refused, whatever the number of workers of either."""
    first = Listening.bind(HOST, 0, 2)
    try:
        assert len(first.socks) == 1, "one socket, however many workers"
        port = port_of(first)
        for workers in (1, 2):
            with pytest.raises(InputError, match=busy(port)):
                Listening.bind(HOST, port, workers)
    finally:
        first.close()
    Listening.bind(HOST, port, 2).close()  # free again once the first has closed


def test_the_dealer_deals_connections_in_turn_and_passes_over_a_full_channel() -> None:
    """Sixteen connections to two channels are eight each, in turn; a channel that cannot
    take one (its worker gone, its queue full) is passed over, and none is lost."""
    assert DEALS  # the tests run on Linux
    listening = Listening.bind(HOST, 0, 2)
    ends = [channel() for _ in range(2)]
    dealer = Dealer(listening.socks[0], [ours for ours, _ in ends])
    clients: list[socket.socket] = []
    try:
        dealer.start()
        for _ in range(16):
            clients.append(socket.create_connection((HOST, port_of(listening)), timeout=10))
        got = [_received(theirs, 8) for _, theirs in ends]
        assert [len(fds) for fds in got] == [8, 8], got
        local = {client.getsockname() for client in clients}
        peers = set()
        for fd in [fd for fds in got for fd in fds]:
            with socket.socket(fileno=fd) as dealt:
                peers.add(dealt.getpeername())
        assert peers == local, "each client's own connection, each once"
        ends[0][1].close()  # the first worker's channel gone: every connection to the other
        assert [dealer.deal(client) for client in clients[:4]] == [1, 1, 1, 1]
    finally:
        dealer.stop()
        for client in clients:
            client.close()
        for ours, theirs in ends:
            ours.close()
            theirs.close()
        listening.close()


def _received(theirs: socket.socket, count: int) -> list[int]:
    """The connections (descriptors) that arrive on a worker's end of a channel."""
    theirs.settimeout(10)
    found: list[int] = []
    while len(found) < count:
        _, fds, _, _ = socket.recv_fds(theirs, 1, 16)
        found += fds
    return found


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


def held_by_each(server: Server, count: int) -> tuple[list[int], list[int]]:
    """The workers, and how many of `count` connections, opened and each answered, each
    worker holds; measured again if a worker was replaced meanwhile (uvicorn replaces one
    slow to answer its health check, as a loaded machine may make it)."""
    after: list[int] = []
    spread: list[int] = []
    for _ in range(3):
        before = workers_of(server)
        held = [http.client.HTTPConnection(HOST, server.port, timeout=60) for _ in range(count)]
        try:
            assert [health(connection) for connection in held] == [200] * count
            after = workers_of(server)
            spread = [connections(pid, server.port) for pid in after]
        except FileNotFoundError:  # a worker gone while its connections were counted
            continue
        finally:
            for connection in held:
                connection.close()
        if after == before:
            return after, spread
    return after, spread


def health_anew(port: int) -> int:
    """`GET /api/health` on a new connection, closed after."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        return health(connection)
    finally:
        connection.close()


def test_serve_deals_connections_to_its_workers_and_a_dead_ones_go_to_its_replacement(
    sqlite_copy: Copy,
) -> None:
    """32 connections to `saylau serve --workers 2` are each answered, and each worker
    holds 16 of them. Then one worker is killed: every new connection is still answered,
    those dealt to the dead worker by its replacement, which takes its channel: 32 more are
    again 16 to each."""
    server = Server(sqlite_copy.url, workers=2)
    server.start()
    try:
        workers, spread = held_by_each(server, 32)
        assert len(workers) == 2 and spread == [16, 16], (workers, spread)
        os.kill(workers[0], signal.SIGKILL)
        assert [health_anew(server.port) for _ in range(32)] == [200] * 32
        replaced, spread = held_by_each(server, 32)
        assert workers[0] not in replaced and len(replaced) == 2, (workers, replaced)
        assert spread == [16, 16], spread
    finally:
        server.stop()
