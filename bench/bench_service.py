"""Load benchmark of the service: 16 clients over HTTP against PostgreSQL.

One client per territorial commission (16 in 1999) submits every protocol of its
territory's stations (every contest and round of the scenario), then a second operator of
the same commission verifies each one, so every protocol is counted. In the same run the
same 16 clients call the app's no-op endpoint as often, the yardstick. It reports the
throughput and p50/p99 latency of each, their ratios, then checks the integrity: every
protocol stored exactly once and counted, the live totals equal to a batch tabulation of
the same protocols, the audit chain verified.

Run: .venv/bin/python bench/bench_service.py [--limit N] [--workers 2]
PostgreSQL is started from the system's binaries (tests/service/postgres.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.service import postgres  # noqa: E402
from tests.service.conftest import submission  # noqa: E402

from saylau.runner import load_inputs  # noqa: E402
from saylau.service.accounts import create_user  # noqa: E402
from saylau.service.audit import verify_chain  # noqa: E402
from saylau.service.db import dispose, reading, writing  # noqa: E402
from saylau.service.election import loaded  # noqa: E402
from saylau.service.live import batch_differences  # noqa: E402
from saylau.service.load import commissions, load_election  # noqa: E402
from saylau.service.migrate import upgrade  # noqa: E402
from saylau.service.models import ProtocolRow  # noqa: E402

CLIENTS = 16
PASSWORD = "benchmark password"


def work_by_territory(limit: int | None) -> dict[str, list[dict[str, Any]]]:
    inputs, _ = load_inputs("kz-1999")
    stations = inputs.election.stations_table.to_pylist()
    territory = {s["station_id"]: s["territory_id"] for s in stations}
    found: dict[str, list[dict[str, Any]]] = {}
    for (contest, round), table in inputs.protocols.items():
        for row in table.to_pylist():
            found.setdefault(territory[row["station_id"]], []).append(
                submission(contest, round, row)
            )
    if limit:
        found = {t: bodies[:limit] for t, bodies in found.items()}
    return found


def call(
    connection: http.client.HTTPConnection, method: str, path: str, token: str, body: Any = None
) -> tuple[int, Any, float]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    start = time.perf_counter()
    connection.request(method, path, body=data, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    return response.status, json.loads(payload) if payload else None, time.perf_counter() - start


def phase(
    port: int, jobs: list[list[tuple[str, str, str, Any]]]
) -> tuple[float, list[float], list[Any]]:
    """Run each client's list of (method, path, token, body) at once; wall time, latencies."""
    latencies: list[list[float]] = [[] for _ in jobs]
    answers: list[list[Any]] = [[] for _ in jobs]
    errors: list[str] = []

    def client(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for method, path, token, body in jobs[i]:
            status, answer, seconds = call(connection, method, path, token, body)
            if status >= 300:
                errors.append(f"{method} {path}: {status} {answer}")
            latencies[i].append(seconds)
            answers[i].append(answer)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(jobs))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} requests failed; first: {errors[0]}")
    return wall, [x for row in latencies for x in row], answers


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="protocols per client")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    work = work_by_territory(args.limit)
    assert len(work) == CLIENTS, len(work)
    with postgres.server() as base:
        url = postgres.new_database(base)
        upgrade(url)
        with writing(url) as session:
            load_election(session, "kz-1999")
        with writing(url) as session:
            known = commissions(session)
            for t in work:
                for who in ("a", "b"):
                    create_user(
                        session,
                        f"{who}-{t}",
                        PASSWORD,
                        "operator",
                        f"tec-{t}",
                        by="bench",
                        commissions=known,
                    )
        dispose(url)
        port = postgres.free_port()
        env = {**os.environ, "SAYLAU_DATABASE_URL": url}
        server = (
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "saylau.cli",
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                cwd=ROOT,
            )
            if False
            else subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "saylau"),
                    "serve",
                    "--port",
                    str(port),
                    "--workers",
                    str(args.workers),
                ],
                env=env,
                cwd=ROOT,
            )
        )
        try:
            for _ in range(200):
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                        "GET", "/api/health"
                    )
                    break
                except OSError:
                    time.sleep(0.1)
            tokens: dict[str, str] = {}
            for t in work:
                for who in ("a", "b"):
                    connection = http.client.HTTPConnection("127.0.0.1", port)
                    connection.request(
                        "POST",
                        "/api/session",
                        body=json.dumps({"username": f"{who}-{t}", "password": PASSWORD}),
                        headers={"Content-Type": "application/json"},
                    )
                    tokens[f"{who}-{t}"] = json.loads(connection.getresponse().read())["token"]
            territories = sorted(work)
            count = sum(len(v) for v in work.values())
            noop_jobs = [
                [("GET", "/api/noop", tokens[f"a-{t}"], None)] * (2 * len(work[t]))
                for t in territories
            ]
            noop_wall, noop_lat, _ = phase(port, noop_jobs)
            submit_jobs = [
                [
                    (
                        "POST",
                        "/api/protocols",
                        tokens[f"a-{t}"],
                        {**body, "client_key": f"s-{t}-{i}"},
                    )
                    for i, body in enumerate(work[t])
                ]
                for t in territories
            ]
            submit_wall, submit_lat, answers = phase(port, submit_jobs)
            verify_jobs = [
                [
                    (
                        "POST",
                        f"/api/protocols/{answer['id']}/verify",
                        tokens[f"b-{t}"],
                        {"values": body["values"], "client_key": f"v-{t}-{i}"},
                    )
                    for i, (answer, body) in enumerate(zip(answers[k], work[t], strict=True))
                ]
                for k, t in enumerate(territories)
            ]
            verify_wall, verify_lat, _ = phase(port, verify_jobs)
        finally:
            server.kill()
            server.wait()
        write_lat = submit_lat + verify_lat
        write_wall = submit_wall + verify_wall
        rows = [
            ("no-op (GET /api/noop)", len(noop_lat) / noop_wall, noop_lat),
            ("submit (POST /api/protocols)", len(submit_lat) / submit_wall, submit_lat),
            ("verify + accept (POST .../verify)", len(verify_lat) / verify_wall, verify_lat),
            ("submit and verify together", len(write_lat) / write_wall, write_lat),
        ]
        print(f"{CLIENTS} clients, {count:,} protocols, PostgreSQL, {args.workers} server workers")
        print(f"{'endpoint':36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        for name, rate, lat in rows:
            print(
                f"{name:36} {rate:8.0f} {quantile(lat, 0.5) * 1000:8.1f} {quantile(lat, 0.99) * 1000:8.1f}"  # noqa: E501
            )
        base_rate, base_p99 = rows[0][1], quantile(noop_lat, 0.99)
        for name, rate, lat in rows[1:]:
            print(
                f"{name}: throughput {rate / base_rate:.2f}x the no-op's, p99 {quantile(lat, 0.99) / base_p99:.2f}x"  # noqa: E501
            )
        with reading(url) as session:
            stored = session.query(ProtocolRow).count()
            keys = {(r.station_id, r.contest_id, r.round) for r in session.query(ProtocolRow)}
            counted = session.query(ProtocolRow).filter(ProtocolRow.counted).count()
            differences = batch_differences(session, loaded(session))
            chain = verify_chain(session)
        lost = count - len(keys)
        twice = stored - len(keys)
        print(
            f"integrity: {stored:,} stored for {count:,} submitted: {lost} lost, {twice} twice; {counted:,} counted"  # noqa: E501
        )
        print(f"live totals against a batch tabulation: {len(differences)} differences")
        print(
            f"audit chain: {'verifies' if chain.verified else chain.first} ({chain.entries:,} entries)"  # noqa: E501
        )
        dispose(url)


if __name__ == "__main__":
    main()
