"""Durability: a protocol whose submission was acknowledged survives a `kill -9` of the
server at any moment. The test streams submissions and verifications at a real server,
kills its process group with SIGKILL twice, at moments it does not choose, restarts it each
time, retries the request that was in flight with its client key, and then finds every
acknowledged protocol stored exactly once (and counted, where its verification was
acknowledged), the live totals equal to a batch tabulation, and the audit chain intact.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import http.client
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from saylau.pipeline.run import load_inputs
from saylau.service.db import dispose, reading
from saylau.service.election import loaded
from saylau.service.live import batch_differences
from saylau.service.models import ProtocolRow
from saylau.service.verification import verify_chain
from tests.service.conftest import Prepared
from tests.service.server import Server

KILLS = 2


@dataclass
class Stream:
    """What the server acknowledged, and the request in flight when it died."""

    bodies: list[dict[str, Any]]
    submitted: dict[int, int] = field(default_factory=dict)
    """body index -> protocol id, for every acknowledged submission."""
    verified: set[int] = field(default_factory=set)
    in_flight: tuple[str, int] | None = None
    next: int = 0

    def run(self, server: Server, tokens: dict[str, str]) -> None:
        """Submit and verify, one body after another, until the server stops answering."""
        while self.next < len(self.bodies):
            i = self.next
            body = self.bodies[i]
            try:
                if i not in self.submitted:
                    self.in_flight = ("submit", i)
                    status, answer = server.request(
                        "POST", "/api/protocols", {**body, "client_key": f"s{i}"}, tokens["op1"]
                    )
                    assert status in (200, 201), answer
                    self.submitted[i] = answer["id"]
                self.in_flight = ("verify", i)
                status, answer = server.request(
                    "POST",
                    f"/api/protocols/{self.submitted[i]}/verify",
                    {"values": body["values"], "client_key": f"v{i}"},
                    tokens["op2"],
                )
                assert status in (200, 201), answer
                assert answer["counted"], answer
                self.verified.add(i)
                self.in_flight = None
                self.next = i + 1
            except (OSError, http.client.HTTPException):
                return

    def retry(self, server: Server, tokens: dict[str, str]) -> None:
        """The request that was in flight, again, with the same client key."""
        if self.in_flight is None:
            return
        stage, i = self.in_flight
        body = self.bodies[i]
        if stage == "submit":
            status, answer = server.request(
                "POST", "/api/protocols", {**body, "client_key": f"s{i}"}, tokens["op1"]
            )
            assert status in (200, 201), answer
            self.submitted[i] = answer["id"]
        status, answer = server.request(
            "POST",
            f"/api/protocols/{self.submitted[i]}/verify",
            {"values": body["values"], "client_key": f"v{i}"},
            tokens["op2"],
        )
        assert status in (200, 201) and answer["counted"], answer
        self.verified.add(i)
        self.in_flight = None
        self.next = i + 1


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_every_acknowledged_protocol_survives_kill_9(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, kz_protocols: Any
) -> None:
    prepared: Prepared = request.getfixturevalue(f"{kind}_prepared")
    url = prepared.copy(tmp_path)
    tokens = prepared.tokens  # sessions made before the first start outlive every kill
    stations = load_inputs("kz-1999")[0].election.stations_table.to_pylist()
    akmola = {s["station_id"] for s in stations if s["territory_id"] == "akmola"}
    bodies = [
        body
        for (_, _), found in sorted(kz_protocols.items())
        for body in found
        if body["station_id"] in akmola
    ]
    stream = Stream(bodies)
    chance = random.Random(13)
    for _ in range(KILLS):
        server = Server(url)
        server.start()
        stream.retry(server, tokens)
        worker = threading.Thread(target=stream.run, args=(server, tokens))
        worker.start()
        worker.join(timeout=chance.uniform(0.8, 2.0))  # the stream runs; then, at once:
        server.kill()
        worker.join()
        assert stream.next < len(bodies), "the stream ended before the kill: give it more"
    with_restart = Server(url)
    with_restart.start()
    try:
        stream.retry(with_restart, tokens)
        status, results = with_restart.request("GET", "/api/results")
        assert status == 200
    finally:
        with_restart.stop()
    assert len(stream.verified) >= 10, "too few acknowledged to tell anything"
    with reading(url) as session:
        rows = list(session.query(ProtocolRow))
        by_key: dict[tuple[str, str, int], list[ProtocolRow]] = {}
        for row in rows:
            by_key.setdefault((row.station_id, row.contest_id, row.round), []).append(row)
        for i, pid in stream.submitted.items():
            body = bodies[i]
            found = by_key.get((body["station_id"], body["contest_id"], body["round"]), [])
            assert [r.id for r in found] == [pid], (i, body["station_id"], found)
            assert found[0].counted == (i in stream.verified), i
        assert len(rows) == len(by_key) == len(stream.submitted)
        assert batch_differences(session, loaded(session)) == []
        chain = verify_chain(session)
        assert chain.verified, chain.first
    counted = sum(c["totals"]["protocols"] for c in results["contests"])
    assert counted == len(stream.verified)
    dispose(url)
