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

Run: .venv/bin/python bench/service_ceiling.py [--repeat 3] [--workers 1] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_service import (  # noqa: E402
    CLIENTS,
    positive,
    quantile,
    ratio_line,
    server_process,
    work_by_territory,
)
from ceiling_app import SCHEMA  # noqa: E402
from service_load import Job, Phase, phase  # noqa: E402
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


def integrity(url: str, work: dict[str, list[dict[str, Any]]], totals: bool) -> list[str]:
    """Every protocol stored once, the chain recomputed, the nation's totals summed."""
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
            rows = connection.execute(
                "SELECT contest_id, round, item, value FROM totals WHERE level = 'nation'"
            )
            have = {(c, r, i): v for c, r, i, v in rows}
            if have != want:
                problems.append("the nation's totals differ from the sum of the submissions")
    return problems


def one_run(
    base: str, work: dict[str, list[dict[str, Any]]], totals: bool, places_file: Path, workers: int
) -> tuple[Phase, Phase, list[str]]:
    territories = sorted(work)
    url = postgres.new_database(base).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(SCHEMA)
        for t in territories:
            connection.execute("INSERT INTO sessions VALUES (%s, %s)", (f"token-{t}", f"a-{t}"))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=positive, default=None, help="protocols per client")
    parser.add_argument("--repeat", type=positive, default=3, help="runs of each variant")
    parser.add_argument("--workers", type=positive, default=1, help="server worker processes")
    args = parser.parse_args()
    work = work_by_territory(args.limit)
    assert len(work) == CLIENTS, len(work)
    count = sum(len(v) for v in work.values())
    print(
        f"ceiling: {CLIENTS} clients, {count:,} protocols, PostgreSQL, {args.workers} server "
        f"workers, 2 generator processes, {os.cpu_count()} CPUs"
    )
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder, postgres.server() as base:
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
