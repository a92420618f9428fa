"""The load generator of bench_service.py: HTTP/1.1 clients on asyncio, in processes of
their own, so that the generator is not what limits the server.

Every request is encoded to bytes before the clock starts; a client keeps one connection
open and sends its requests one after the other, each when the answer to the last one has
arrived (a closed loop, as an operator works). The clients are spread over `processes`
processes, each running its share on one event loop; the processes wait at a barrier and
start together. A phase's throughput is all its requests over the time from the first
start to the last finish (CLOCK_MONOTONIC, one clock for every process on Linux).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from typing import Any

Job = tuple[str, str, str, Any]
"""(method, path, bearer token, JSON body or None)."""


def encode(method: str, path: str, token: str, body: Any) -> bytes:
    data = b"" if body is None else json.dumps(body).encode()
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length) if length else b""


async def _client(
    port: int, requests: list[bytes], keep: bool
) -> tuple[list[float], list[int], list[bytes]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies: list[float] = []
    statuses: list[int] = []
    bodies: list[bytes] = []
    for request in requests:
        start = time.perf_counter()
        writer.write(request)
        status, body = await _answer(reader)
        latencies.append(time.perf_counter() - start)
        statuses.append(status)
        if keep or status >= 300:
            bodies.append(body)
    writer.close()
    return latencies, statuses, bodies


def _process(
    port: int, share: list[list[bytes]], keep: bool, barrier: Barrier, pipe: Connection
) -> None:
    async def run() -> list[tuple[list[float], list[int], list[bytes]]]:
        return list(await asyncio.gather(*(_client(port, r, keep) for r in share)))

    barrier.wait()
    start = time.monotonic()
    found = asyncio.run(run())
    pipe.send((start, time.monotonic(), found))
    pipe.close()


@dataclass(frozen=True)
class Phase:
    """What one phase measured: wall time, every latency, and each client's answers."""

    wall: float
    latencies: list[float]
    statuses: list[int]
    bodies: list[list[bytes]]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall

    def failures(self) -> list[str]:
        return [str(s) for s in self.statuses if s >= 300]


def phase(port: int, jobs: list[list[Job]], processes: int, keep: bool = False) -> Phase:
    """Run each client's jobs at once over `processes` processes; `keep` the answers."""
    encoded = [[encode(*job) for job in client] for client in jobs]
    shares = [list(range(i, len(encoded), processes)) for i in range(processes)]
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    running = []
    for share in shares:
        mine, theirs = context.Pipe(duplex=False)
        process = context.Process(
            target=_process, args=(port, [encoded[i] for i in share], keep, barrier, theirs)
        )
        process.start()
        theirs.close()
        running.append((process, mine, share))
    starts, ends = [], []
    latencies: list[float] = []
    statuses: list[int] = []
    bodies: list[list[bytes]] = [[] for _ in jobs]
    for process, pipe, share in running:
        start, end, found = pipe.recv()
        process.join()
        starts.append(start)
        ends.append(end)
        for client, (lat, stat, body) in zip(share, found, strict=True):
            latencies += lat
            statuses += stat
            bodies[client] = body
    return Phase(max(ends) - min(starts), latencies, statuses, bodies)
