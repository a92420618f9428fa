"""Load benchmark of the service: 16 clients over HTTP against PostgreSQL.

One client per territorial commission (16 in 1999) submits every protocol of its
territory's stations (every contest and round of the scenario), then a second operator of
the same commission verifies each one, so every protocol is counted. Before them the same
16 clients call the app's no-op endpoint as often, through the very same generator and
server: the yardstick. It reports the throughput and p50/p99 latency of each, their
ratios to the no-op, then checks the integrity: every acknowledged protocol stored exactly
once and counted, the live totals equal to a batch tabulation of the same protocols, the
audit chain verified. With --repeat N it runs N times, each on a fresh database, and
reports the medians. Each run prints the load average before it and the processor time
the machine's host took from it during it (`stolen.py`). It exits with status 1 when an
integrity check fails.

Run: .venv/bin/python bench/bench_service.py [--limit N] [--repeat 3] [--workers 2]
PostgreSQL is started from the system's binaries (tests/service/postgres.py); the load
generator runs in processes of its own (service_load.py), on the same machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service_load import Job, Phase, phase  # noqa: E402
from sqlalchemy import text  # noqa: E402
from stolen import stolen_since, stolen_so_far  # noqa: E402
from tests.service import postgres  # noqa: E402
from tests.service.conftest import submission  # noqa: E402

from saylau.pipeline.run import load_inputs  # noqa: E402
from saylau.service.accounts import create_user  # noqa: E402
from saylau.service.db import dispose, reading, writing  # noqa: E402
from saylau.service.election import loaded  # noqa: E402
from saylau.service.live import batch_differences  # noqa: E402
from saylau.service.load import commissions, load_election  # noqa: E402
from saylau.service.migrate import upgrade  # noqa: E402
from saylau.service.models import ProtocolRow  # noqa: E402
from saylau.service.verification import verify_chain  # noqa: E402

SERVER = "-c wal_init_zero=off"
"""The benchmark's PostgreSQL does not fill a new WAL segment with zeros before its first
use. A server that has run a while reuses its segments after each checkpoint; this one
starts empty, and filling each new 16 MB segment stalled every commit for about 100 ms,
once every three to four seconds of verification (a segment's worth of WAL)."""

CLIENTS = 16
PASSWORD = "benchmark password"
NAMES = ("no-op (GET /api/noop)", "submit (POST /api/protocols)", "verify + accept (.../verify)")


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


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


@contextmanager
def serving(url: str, workers: int) -> Iterator[int]:
    """`saylau serve` on a free loopback port, in a process group of its own, until the
    block ends; then the group (the server and its workers) is stopped."""
    command = [str(Path(sys.executable).parent / "saylau"), "serve", "--no-log"]
    command += ["--workers", str(workers)]
    with server_process(
        lambda port: [*command, "--port", str(port)],
        {**os.environ, "SAYLAU_DATABASE_URL": url},
        ROOT,
    ) as port:
        yield port


@contextmanager
def server_process(
    command: Callable[[int], list[str]], environment: dict[str, str], cwd: Path
) -> Iterator[int]:
    """`command(port)` on a free loopback port, in a process group of its own, from when
    `GET /api/health` answers until the block ends; then the group is stopped."""
    port = postgres.free_port()
    server = subprocess.Popen(command(port), env=environment, cwd=cwd, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/api/health")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def login(port: int, username: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"username": username, "password": PASSWORD})
    connection.request(
        "POST", "/api/session", body=body, headers={"Content-Type": "application/json"}
    )
    token: str = json.loads(connection.getresponse().read())["token"]
    return token


def prepare(base: str, territories: list[str]) -> str:
    """A fresh database with kz-1999 loaded and two operators per territory."""
    url = postgres.new_database(base)
    upgrade(url)
    with writing(url) as session:
        load_election(session, "kz-1999")
    with writing(url) as session:
        known = commissions(session)
        for t in territories:
            for who in ("a", "b"):
                create_user(
                    session, f"{who}-{t}", PASSWORD, "operator", f"tec-{t}", by="bench",
                    commissions=known,
                )  # fmt: skip
    dispose(url)
    return url


def one_run(
    base: str,
    work: dict[str, list[dict[str, Any]]],
    workers: int,
    processes: int,
    statements: bool = False,
) -> tuple[list[Phase], list[str]]:
    """Three phases on a fresh database; the phases and the integrity problems found."""
    territories = sorted(work)
    url = prepare(base, territories)
    if statements:
        with writing(url) as session:
            session.execute(text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
            session.execute(text("SELECT pg_stat_statements_reset()"))
    with serving(url, workers) as port:
        tokens = {f"{w}-{t}": login(port, f"{w}-{t}") for t in territories for w in ("a", "b")}
        noop: list[list[Job]] = [
            [("GET", "/api/noop", tokens[f"a-{t}"], None)] * len(work[t]) for t in territories
        ]
        submit: list[list[Job]] = [
            [
                ("POST", "/api/protocols", tokens[f"a-{t}"], {**body, "client_key": f"s-{t}-{i}"})
                for i, body in enumerate(work[t])
            ]
            for t in territories
        ]
        phases = [phase(port, noop, processes), phase(port, submit, processes, keep=True)]
        ids = [[json.loads(b)["id"] for b in client] for client in phases[1].bodies]
        verify: list[list[Job]] = [
            [
                (
                    "POST",
                    f"/api/protocols/{pid}/verify",
                    tokens[f"b-{t}"],
                    {"values": body["values"], "client_key": f"v-{t}-{i}"},
                )
                for i, (pid, body) in enumerate(zip(ids[k], work[t], strict=True))
            ]
            for k, t in enumerate(territories)
        ]
        phases.append(phase(port, verify, processes))
    if statements:
        costliest(url)
    problems = [f"{NAMES[i]}: HTTP {s}" for i, p in enumerate(phases) for s in p.failures()]
    problems += integrity(url, sum(len(v) for v in work.values()), len(phases[1].latencies))
    dispose(url)
    return phases, problems


def costliest(url: str, top: int = 10) -> None:
    """PostgreSQL's own account of the run: the statements that took the most time."""
    with reading(url) as session:
        rows = session.execute(
            text(
                "SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 90)"
                " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT :top"
            ),
            {"top": top},
        ).all()
    print(f"  {'calls':>8} {'total ms':>10} {'ms/call':>8}  statement (pg_stat_statements)")
    for calls, total, query in rows:
        print(f"  {calls:8} {total:10.0f} {total / calls:8.3f}  {query}")


def integrity(url: str, submitted: int, acknowledged: int) -> list[str]:
    """Every acknowledged protocol stored once and counted; totals; the audit chain."""
    with reading(url) as session:
        rows = session.query(ProtocolRow).all()
        keys = {(r.station_id, r.contest_id, r.round) for r in rows}
        counted = sum(1 for r in rows if r.counted)
        differences = batch_differences(session, loaded(session))
        chain = verify_chain(session)
    lost, twice = submitted - len(keys), len(rows) - len(keys)
    print(
        f"integrity: {acknowledged:,} acknowledged, {len(rows):,} stored for {submitted:,} "
        f"submitted: {lost} lost, {twice} twice; {counted:,} counted; live totals against a "
        f"batch tabulation: {len(differences)} differences; audit chain: "
        f"{'verifies' if chain.verified else chain.first} ({chain.entries:,} entries)"
    )
    problems = [f"{lost} protocols lost"] if lost else []
    problems += [f"{twice} protocols stored twice"] if twice else []
    problems += [f"{submitted - counted} protocols not counted"] if counted != submitted else []
    problems += differences[:3] + ([] if chain.verified else [str(chain.first)])
    return problems


def positive(text: str) -> int:
    """A command-line count: a whole number of at least 1."""
    if not (text.isascii() and text.isdigit() and int(text) >= 1):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def report(runs: list[list[Phase]]) -> None:
    """Each phase's median throughput and latencies over the runs, and the ratios."""
    print(f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}   (median of {len(runs)})")
    for i, name in enumerate(NAMES):
        rate = statistics.median(r[i].rate for r in runs)
        p50 = statistics.median(quantile(r[i].latencies, 0.5) for r in runs) * 1000
        p99 = statistics.median(quantile(r[i].latencies, 0.99) for r in runs) * 1000
        print(f"{name:34} {rate:8.0f} {p50:8.1f} {p99:8.1f}")
    for i in (1, 2):
        print(ratio_line(NAMES[i], [(r[0], r[i]) for r in runs]))


def ratio_line(name: str, runs: list[tuple[Phase, Phase]]) -> str:
    """The median throughput and p99 of a phase as times the no-op's, over runs of
    (no-op, phase), with each run's."""
    ratios = sorted(p.rate / noop.rate for noop, p in runs)
    p99s = sorted(quantile(p.latencies, 0.99) / quantile(noop.latencies, 0.99) for noop, p in runs)
    return (
        f"{name}: throughput {statistics.median(ratios):.2f}x the no-op's "
        f"(runs: {', '.join(f'{x:.2f}' for x in ratios)}), p99 "
        f"{statistics.median(p99s):.2f}x (runs: {', '.join(f'{x:.2f}' for x in p99s)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=positive, default=None, help="protocols per client")
    parser.add_argument("--repeat", type=positive, default=1, help="runs, each on a fresh database")
    parser.add_argument("--workers", type=positive, default=2, help="server worker processes")
    parser.add_argument("--processes", type=positive, default=2, help="load generator processes")
    parser.add_argument(
        "--statements", action="store_true", help="print PostgreSQL's costliest statements"
    )
    args = parser.parse_args()
    work = work_by_territory(args.limit)
    assert len(work) == CLIENTS, len(work)
    count = sum(len(v) for v in work.values())
    print(
        f"{CLIENTS} clients, {count:,} protocols, PostgreSQL ({SERVER}), {args.workers} "
        f"server workers, {args.processes} generator processes, {os.cpu_count()} CPUs"
    )
    runs, problems = [], []
    statements = " -c shared_preload_libraries=pg_stat_statements" if args.statements else ""
    options = SERVER + statements
    with postgres.server(options) as base:
        for n in range(args.repeat):
            print(f"run {n + 1}: load average {os.getloadavg()[0]:.2f}")
            before = stolen_so_far()
            phases, found = one_run(base, work, args.workers, args.processes, args.statements)
            runs.append(phases)
            problems += found
            for name, p in zip(NAMES, phases, strict=True):
                print(
                    f"  {name:34} {p.rate:8.0f} req/s  p50 {quantile(p.latencies, 0.5) * 1000:7.1f}"
                    f" ms  p99 {quantile(p.latencies, 0.99) * 1000:7.1f} ms"
                )
            print(f"  {stolen_since(before)}")
    report(runs)
    if problems:
        print(f"integrity FAILED: {len(problems)} problems; first: {problems[0]}")
        raise SystemExit(1)
    print("integrity: every check passed")


if __name__ == "__main__":
    main()
