"""The ceiling of the load benchmark's ratio on this machine: how close to the no-op any
durable, audited submission gets in the service's own stack.

`bench_service.py` measures the service. This runs the same 16 clients, the same
protocols of 1999, the same load generator and the same PostgreSQL against
`ceiling_app.py`: a deliberately minimal app whose only write is a protocol insert, its
chained audit entry and (second variant) the incremental totals, grouped, pipelined and
committed durably, with none of the service's other work. Each variant runs on a fresh
database; in each run the app's no-op (written as the service's) is measured first, under
the same load, as the yardstick. After each run it checks that every protocol was stored
once, that the audit chain recomputes and that the nation's totals equal the sum of what
was submitted. It prints each run and the medians of the ratios.

With --service it measures the service against the ceiling instead (issue 24's goal), in
the same run: for each repeat, the service (`saylau serve`, as bench_service.py runs it)
and the ceiling app, each on a fresh database, alternating which goes first, under the
same clients, generator, PostgreSQL and server workers, each side after a CHECKPOINT of
the server (so that one set off by the WAL of the sides before falls on neither side's
run). Each runs the no-op, then every submission, then every verification by a second
operator. It prints each run, the
medians of the service's throughput and p99 as times the ceiling's, for submission and
for verification, and exits with status 1 when a goal is missed (throughput at least
0.7 times the ceiling's, p99 at most 1.5 times) or an integrity check fails: the
service's (nothing lost or counted twice, live totals equal to a batch tabulation, the
chain verified) and the ceiling's (every protocol stored once and accepted, its chain
recomputed, the entered and the counted totals each equal to the sum of the protocols).
The machine's load average is printed before each run, and the processor time the
machine's host took from it during the run after it (`stolen.py`). A run in which the host
took more than 2% of either side's processor time is disturbed (`DISTURBED`): it is
printed, left out of the verdict and run again, up to `--repeat` more runs in all; with
fewer than `--repeat` runs undisturbed there is no verdict, and the exit status is 2.

Run: .venv/bin/python bench/service_ceiling.py [--repeat 3] [--workers 1] [--limit N]
     .venv/bin/python bench/service_ceiling.py --service [--repeat 3] [--workers 2] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import monotonic
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_service import (  # noqa: E402
    CLIENTS,
    NAMES,
    SERVER,
    positive,
    quantile,
    ratio_line,
    server_process,
    work_by_territory,
)
from bench_service import one_run as service_run  # noqa: E402
from ceiling_app import SCHEMA  # noqa: E402
from service_load import Job, Phase, phase  # noqa: E402
from stolen import stolen_line, stolen_so_far, taken_since  # noqa: E402
from tests.service import postgres  # noqa: E402

from saylau.pipeline.run import load_inputs  # noqa: E402

VARIANTS = {"protocol + audit": False, "protocol + audit + totals": True}


def places() -> dict[str, list[str]]:
    """Each 1999 station's district and territory."""
    inputs, _ = load_inputs("kz-1999")
    return {
        s["station_id"]: [s["district_id"], s["territory_id"]]
        for s in inputs.election.stations_table.to_pylist()
    }


@contextmanager
def serving(url: str, totals: bool, places_file: Path, workers: int) -> Iterator[int]:
    """The ceiling's app under uvicorn on a free loopback port, until the block ends."""
    environment = {
        **os.environ,
        "CEILING_URL": url,
        "CEILING_TOTALS": "1" if totals else "",
        "CEILING_PLACES": str(places_file),
        "PYTHONPATH": str(ROOT / "src"),
    }
    command = [sys.executable, "-m", "uvicorn", "ceiling_app:app", "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    with server_process(
        lambda port: [*command, "--port", str(port)], environment, ROOT / "bench"
    ) as port:
        yield port


def integrity(
    url: str, work: dict[str, list[dict[str, Any]]], totals: bool, verified: bool = False
) -> list[str]:
    """Every protocol stored once, the chain recomputed, the nation's totals summed; with
    `verified`, every protocol accepted and the counted totals summed too."""
    submitted = [body for bodies in work.values() for body in bodies]
    problems = []
    with psycopg.connect(url) as connection:
        stored = connection.execute(
            "SELECT count(*), count(DISTINCT (station_id, contest_id, round)) FROM protocols"
        ).fetchone()
        if stored != (len(submitted), len(submitted)):
            problems.append(f"{len(submitted)} submitted, (stored, distinct) {stored}")
        previous = "0" * 64
        chain = connection.execute(
            "SELECT seq, prev_hash, hash, content_hash FROM audit ORDER BY seq"
        )
        for number, (seq, prev, value, content) in enumerate(chain, start=1):
            expected = hashlib.sha256(f"{previous}:{seq}:{content}".encode()).hexdigest()
            if (seq, prev, value) != (number, previous, expected):
                problems.append(f"audit entry {seq} does not chain")
                break
            previous = value
        if totals:
            want: dict[tuple[str, int, str], int] = {}
            for body in submitted:
                items = [("protocols", 1)]
                items += [(f"line.{k}", v) for k, v in body["values"]["lines"].items()]
                items += [(f"votes.{k}", v) for k, v in body["values"]["votes"].items()]
                for item, value in items:
                    key = (body["contest_id"], body["round"], item)
                    want[key] = want.get(key, 0) + value
            for table in ("totals", "counted") if verified else ("totals",):
                rows = connection.execute(
                    f"SELECT contest_id, round, item, value FROM {table} WHERE level = 'nation'"
                )
                have = {(c, r, i): v for c, r, i, v in rows}
                if have != want:
                    problems.append(f"the nation's {table} differ from the sum of the protocols")
        if verified:
            accepted = connection.execute(
                "SELECT count(*) FROM protocols WHERE status = 'accepted'"
            ).fetchone()
            if accepted != (len(submitted),):
                problems.append(f"{len(submitted)} verified, {accepted} accepted")
    return problems


def checkpointed(base: str) -> None:
    """The server's dirty pages written out (CHECKPOINT) before a side runs, so that each
    side starts from the same state and the checkpoint that the sides before would set off
    (by the WAL they wrote) falls on neither side's run."""
    url = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")


def ceiling_database(base: str, territories: list[str], places_file: Path) -> str:
    """A fresh database with the ceiling's tables, two operators' sessions per territory
    (`token-T` of `a-T`, `token-b-T` of `b-T`) and the stations' places; its URL."""
    url = postgres.new_database(base).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(SCHEMA)
        for t in territories:
            connection.execute("INSERT INTO sessions VALUES (%s, %s)", (f"token-{t}", f"a-{t}"))
            connection.execute("INSERT INTO sessions VALUES (%s, %s)", (f"token-b-{t}", f"b-{t}"))
        found = json.loads(places_file.read_text(encoding="utf-8"))
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO places VALUES (%s, %s, %s)", [(k, *v) for k, v in found.items()]
            )
    return url


def one_run(
    base: str, work: dict[str, list[dict[str, Any]]], totals: bool, places_file: Path, workers: int
) -> tuple[Phase, Phase, list[str]]:
    territories = sorted(work)
    url = ceiling_database(base, territories, places_file)
    with serving(url, totals, places_file, workers) as port:
        noop: list[list[Job]] = [
            [("GET", "/api/noop", f"token-{t}", None)] * len(work[t]) for t in territories
        ]
        submit: list[list[Job]] = [
            [("POST", "/api/protocols", f"token-{t}", body) for body in work[t]]
            for t in territories
        ]
        yardstick, submission = phase(port, noop, 2), phase(port, submit, 2)
    problems = [f"HTTP {s}" for s in yardstick.failures() + submission.failures()]
    return yardstick, submission, problems + integrity(url, work, totals)


def ceiling_run(
    base: str, work: dict[str, list[dict[str, Any]]], places_file: Path, workers: int,
    processes: int,
) -> tuple[list[Phase], list[str]]:  # fmt: skip
    """The ceiling (with totals) as bench_service.one_run runs the service: the no-op,
    every submission, then every verification by the territory's second operator."""
    territories = sorted(work)
    url = ceiling_database(base, territories, places_file)
    with serving(url, True, places_file, workers) as port:
        noop: list[list[Job]] = [
            [("GET", "/api/noop", f"token-{t}", None)] * len(work[t]) for t in territories
        ]
        submit: list[list[Job]] = [
            [("POST", "/api/protocols", f"token-{t}", body) for body in work[t]]
            for t in territories
        ]
        phases = [phase(port, noop, processes), phase(port, submit, processes, keep=True)]
        ids = [[json.loads(b)["id"] for b in client] for client in phases[1].bodies]
        verify: list[list[Job]] = [
            [
                ("POST", f"/api/protocols/{pid}/verify", f"token-b-{t}", {"values": b["values"]})
                for pid, b in zip(ids[k], work[t], strict=True)
            ]
            for k, t in enumerate(territories)
        ]
        phases.append(phase(port, verify, processes))
    problems = [f"ceiling {NAMES[i]}: HTTP {s}" for i, p in enumerate(phases) for s in p.failures()]
    return phases, problems + integrity(url, work, True, verified=True)


GOAL = (0.7, 1.5)
"""The service's throughput at least 0.7 times the ceiling's, its p99 at most 1.5 times."""

DISTURBED = 0.02
"""A run is disturbed when the machine's host took more than this share of the processor
time either side had (its wall time on every processor): the side was slowed by no work
of its own, and the pair does not count towards the verdict."""


def disturbed(taken: float | None, seconds: float) -> bool:
    """Whether the host took more than `DISTURBED` of a side's processor time."""
    return taken is not None and taken > DISTURBED * seconds * (os.cpu_count() or 1)


def against_service(args: argparse.Namespace, work: dict[str, list[dict[str, Any]]]) -> None:
    """The service against the ceiling, alternating, in one run; exit 1 on a missed goal.
    A disturbed run (`DISTURBED`) is printed, then run again, `--repeat` times at most
    in all; exit 2, with no verdict, when fewer than `--repeat` runs were left undisturbed."""
    count = sum(len(v) for v in work.values())
    print(
        f"service against its ceiling: {CLIENTS} clients, {count:,} protocols, PostgreSQL "
        f"({SERVER}), {args.workers} server workers each, {args.processes} generator processes, "
        f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    runs: list[dict[str, list[Phase]]] = []
    problems: list[str] = []
    voided = 0
    with tempfile.TemporaryDirectory() as folder, postgres.server(SERVER) as base:
        places_file = Path(folder) / "places.json"
        places_file.write_text(json.dumps(places()), encoding="utf-8")
        for n in range(2 * args.repeat):
            if len(runs) == args.repeat:
                break
            found: dict[str, list[Phase]] = {}
            calm = True
            for side in ("service", "ceiling") if n % 2 == 0 else ("ceiling", "service"):
                checkpointed(base)
                print(
                    f"run {n + 1}, {side}: load average {os.getloadavg()[0]:.2f}, "
                    "after a checkpoint"
                )
                before, started = stolen_so_far(), monotonic()
                if side == "service":
                    found[side], wrong = service_run(base, work, args.workers, args.processes)
                else:
                    found[side], wrong = ceiling_run(
                        base, work, places_file, args.workers, args.processes
                    )
                taken = taken_since(before)
                problems += wrong
                for name, p in zip(NAMES, found[side], strict=True):
                    print(
                        f"  {name:34} {p.rate:8.0f} req/s  p99 "
                        f"{quantile(p.latencies, 0.99) * 1000:7.1f} ms"
                    )
                print(f"  {stolen_line(taken)}")
                calm = calm and not disturbed(taken, monotonic() - started)
            if calm:
                runs.append(found)
            else:
                voided += 1
                print(
                    f"run {n + 1} disturbed: the host took more than {DISTURBED:.0%} of a "
                    "side's processor time; it does not count, and is run again"
                )
    if voided:
        print(f"{voided} disturbed runs left out, {len(runs)} counted")
    missed = []
    for i, what in ((1, "submit"), (2, "verify")):
        pairs = [(r["ceiling"][i], r["service"][i]) for r in runs]
        if not pairs:
            break
        print(ratio_line(f"{what}: the service", pairs).replace("the no-op's", "the ceiling's"))
        rate = statistics.median(s.rate / c.rate for c, s in pairs)
        p99 = statistics.median(
            quantile(s.latencies, 0.99) / quantile(c.latencies, 0.99) for c, s in pairs
        )
        if rate < GOAL[0] or p99 > GOAL[1]:
            missed.append(f"{what} {rate:.2f}x the ceiling's throughput, p99 {p99:.2f}x")
    if problems:
        print(f"integrity FAILED: {len(problems)} problems; first: {problems[0]}")
    else:
        print("integrity: every check passed, the service's and the ceiling's")
    goal = f"goal (>= {GOAL[0]}x throughput, p99 <= {GOAL[1]}x)"
    if len(runs) < args.repeat:
        print(f"{goal}: no verdict, {len(runs)} of {args.repeat} runs undisturbed")
    elif missed:
        print(f"{goal} NOT met: {'; '.join(missed)}")
    else:
        print(f"{goal} met")
    if problems or (missed and len(runs) == args.repeat):
        raise SystemExit(1)
    if len(runs) < args.repeat:
        raise SystemExit(2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=positive, default=None, help="protocols per client")
    parser.add_argument("--repeat", type=positive, default=3, help="runs of each variant")
    parser.add_argument("--workers", type=positive, default=None, help="server worker processes")
    parser.add_argument("--processes", type=positive, default=2, help="load generator processes")
    parser.add_argument("--service", action="store_true", help="the service against the ceiling")
    args = parser.parse_args()
    work = work_by_territory(args.limit)
    assert len(work) == CLIENTS, len(work)
    if args.service:
        args.workers = args.workers or 2
        against_service(args, work)
        return
    args.workers = args.workers or 1
    count = sum(len(v) for v in work.values())
    print(
        f"ceiling: {CLIENTS} clients, {count:,} protocols, PostgreSQL ({SERVER}), "
        f"{args.workers} server workers, 2 generator processes, {os.cpu_count()} CPUs"
    )
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder, postgres.server(SERVER) as base:
        places_file = Path(folder) / "places.json"
        places_file.write_text(json.dumps(places()), encoding="utf-8")
        for name, totals in VARIANTS.items():
            runs: list[tuple[Phase, Phase]] = []
            for _ in range(args.repeat):
                yardstick, submission, found = one_run(
                    base, work, totals, places_file, args.workers
                )
                problems += found
                runs.append((yardstick, submission))
                noop_p99, p99 = (quantile(p.latencies, 0.99) for p in (yardstick, submission))
                print(
                    f"  {name}: no-op {yardstick.rate:,.0f} req/s (p99 {noop_p99 * 1000:.1f} "
                    f"ms), submit {submission.rate:,.0f} req/s (p99 {p99 * 1000:.1f} ms): "
                    f"{submission.rate / yardstick.rate:.2f}x, p99 {p99 / noop_p99:.2f}x"
                )
            print(ratio_line(name, runs))
    if problems:
        print(f"integrity FAILED: {len(problems)} problems; first: {problems[0]}")
        raise SystemExit(1)
    print("integrity: every protocol stored once, the chain recomputes, the totals add up")


if __name__ == "__main__":
    main()
