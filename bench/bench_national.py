"""Benchmark: a whole national election, as whole processes measured from outside, against
DuckDB and pandas.

Builds the seeded election directory of bench/national.py (one national list contest,
225 districts, 16 territories, 12 lists and against all; 1% of the protocols break a
control relation, 0.5% of the stations send none) in a process of its own, once for each
size and form of the protocols (CSV, CSV.gz, Parquet). On each it runs, as separate
processes doing the same work:

- `saylau run DIR --json`;
- bench/national_duckdb.py, the same work as one DuckDB script (read, relations, counts,
  totals by district, territory and nation);
- bench/national_pandas.py, the same work in pandas.

Each process starts under GNU time (`/usr/bin/time`, a small launcher holding no data), so
its wall time and peak memory are its own, not inflated by this benchmark's own memory at
the fork; its processor time (user and system, every thread) is shown beside them, a figure
that other work on the machine disturbs less than the wall time. The three take turns;
each figure is the median of --repeat runs (at least 5), after one warm-up each that is
also the check: the three must agree on every total at the three levels (protocols
counted, rejected and missing, every line, every list).

The goal at every size and form: at most 1.5 times DuckDB's wall time, at most 2 times its
peak memory, and less wall time than pandas. It prints the machine's load average first,
and exits 1 when the tools disagree or a goal is missed.

Run: .venv/bin/python bench/bench_national.py [--stations 1000000 --stations 100000]
     [--form csv --form csv.gz --form parquet] [--repeat 5] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from national import FORMS
from national_duckdb import LINES, PARTIES

HERE = Path(__file__).resolve().parent
TOOLS = ("saylau", "duckdb", "pandas")
COUNTED = ("protocols", "rejected", "missing", *LINES, *PARTIES)
TARGET_WALL = 1.5
MAIN = "from saylau.cli import main; main()"
TARGET_MEMORY = 2.0
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Measured:
    """One process: its wall time in seconds, peak resident memory in MiB, and the
    processor time it took (user and system, all its threads) in seconds."""

    seconds: float
    mib: float
    cpu: float = 0.0


def command(tool: str, root: Path, out: Path) -> list[str]:
    """The command line of `tool` on the election directory `root`."""
    if tool == "saylau":
        script = Path(sys.executable).with_name("saylau")
        start = [str(script)] if script.exists() else [sys.executable, "-c", MAIN]
        return [*start, "run", str(root), "--json"]
    return [sys.executable, str(HERE / f"national_{tool}.py"), str(root), str(out)]


def run(tool: str, root: Path, out: Path) -> Measured:
    """Run one process to the end under GNU time; its wall time and peak memory."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    timing = out.with_suffix(".time")
    launcher = [TIME, "-f", "%e %M %U %S", "-o", str(timing)]
    with out.open("wb") if tool == "saylau" else open(os.devnull, "wb") as stdout:
        done = subprocess.run([*launcher, *command(tool, root, out)], stdout=stdout, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{tool} on {root} ended with status {done.returncode}")
    seconds, kib, user, system = timing.read_text(encoding="utf-8").split()[-4:]
    return Measured(float(seconds), int(kib) / 1024, float(user) + float(system))


def levels_of(tool: str, out: Path) -> dict[str, list[dict[str, Any]]]:
    """The totals a tool wrote, as the three levels of the DuckDB script's layout."""
    found = json.loads(out.read_text(encoding="utf-8"))
    if tool != "saylau":
        return {level: found[level] for level in ("district", "territory", "nation")}
    (listed,) = found["house"]["lists"]
    areas = listed["areas"]

    def flat(total: dict[str, Any], **keys: str) -> dict[str, Any]:
        figures = {name: total[name] for name in ("protocols", "rejected", "missing", *LINES)}
        return {**keys, **figures, **{party: total["votes"][party] for party in PARTIES}}

    return {
        "district": [
            flat(t, district_id=d, territory_id=t["territory_id"])
            for d, t in sorted(areas["districts"].items())
        ],
        "territory": [flat(t, territory_id=d) for d, t in sorted(areas["territories"].items())],
        "nation": [flat(areas["nation"])],
    }


def disagreements(found: dict[str, dict[str, list[dict[str, Any]]]]) -> list[str]:
    """Every total on which a tool differs from DuckDB, named by level, area and figure."""
    problems = []
    base = found["duckdb"]
    for tool in ("saylau", "pandas"):
        for level, rows in base.items():
            other = found[tool][level]
            if len(other) != len(rows):
                problems.append(f"{tool}: {level}: {len(other)} rows, duckdb {len(rows)}")
                continue
            for theirs, ours in zip(rows, other, strict=True):
                for name, value in theirs.items():
                    if ours.get(name) != value:
                        where = theirs.get("district_id") or theirs.get("territory_id") or ""
                        problems.append(
                            f"{tool}: {level} {where} {name}: {ours.get(name)}, duckdb {value}"
                        )
    return problems


def measure(root: Path, repeat: int, work: Path) -> dict[str, list[Measured]]:
    """Each tool `repeat` times on `root`, taking turns, after one warm-up each."""
    outs = {tool: work / f"{tool}.json" for tool in TOOLS}
    for tool in TOOLS:
        run(tool, root, outs[tool])
    found = {tool: levels_of(tool, outs[tool]) for tool in TOOLS}
    problems = disagreements(found)
    if problems:
        print("\n".join(problems[:20]))
        raise SystemExit(f"the tools disagree on {len(problems)} totals of {root}")
    nation = found["duckdb"]["nation"][0]
    print(
        f"  all three agree on every total of {len(found['duckdb']['district'])} districts, "
        f"{len(found['duckdb']['territory'])} territories and the nation "
        f"({nation['protocols']:,} protocols counted, {nation['rejected']:,} rejected, "
        f"{nation['missing']:,} missing)"
    )
    runs: dict[str, list[Measured]] = {tool: [] for tool in TOOLS}
    for _ in range(repeat):
        for tool in TOOLS:
            runs[tool].append(run(tool, root, outs[tool]))
    return runs


def report(label: str, runs: dict[str, list[Measured]]) -> bool:
    """Print each tool's median time and memory with the ratios, and saylau's verdict."""
    median = {
        tool: Measured(
            statistics.median(m.seconds for m in found),
            statistics.median(m.mib for m in found),
            statistics.median(m.cpu for m in found),
        )
        for tool, found in runs.items()
    }
    base = median["duckdb"]
    print(
        f"  {label:<8} {'wall':>8} {'× duckdb':>9} {'peak MiB':>9} {'× duckdb':>9} "
        f"{'cpu':>8} {'× duckdb':>9}"
    )
    for tool, m in median.items():
        print(
            f"  {tool:<8} {m.seconds:>7.2f}s {m.seconds / base.seconds:>8.2f}× "
            f"{m.mib:>9.0f} {m.mib / base.mib:>8.2f}× "
            f"{m.cpu:>7.2f}s {m.cpu / base.cpu:>8.2f}×"
        )
    ours = median["saylau"]
    wall, memory = ours.seconds / base.seconds, ours.mib / base.mib
    ahead = ours.seconds < median["pandas"].seconds
    met = wall <= TARGET_WALL and memory <= TARGET_MEMORY and ahead
    print(
        f"  saylau: {wall:.2f}× DuckDB's wall time, {memory:.2f}× its memory, "
        f"{'ahead of' if ahead else 'behind'} pandas (goal: at most {TARGET_WALL}× and "
        f"{TARGET_MEMORY}×, ahead of pandas): {'met' if met else 'NOT met'}"
    )
    return met


def built(root: Path, stations: int, seed: int, form: str) -> Path:
    """The election directory, written by bench/national.py in a process of its own (once:
    a directory of that name already built is used again)."""
    if (root / "election.toml").is_file():
        return root
    script = str(HERE / "national.py")
    arguments = [str(root), "--stations", str(stations), "--seed", str(seed), "--form", form]
    subprocess.run([sys.executable, script, *arguments], check=True)
    return root


def loads() -> str:
    """The machine's load average over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, action="append")
    parser.add_argument("--form", choices=FORMS, action="append")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each tool")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument(
        "--work",
        type=Path,
        help="build the directories here and keep them for the next run (default: a "
        "temporary folder, removed at the end)",
    )
    args = parser.parse_args()
    if args.repeat < 1 or any(n < 1 for n in args.stations or []):
        parser.error("--repeat and --stations must be whole numbers of at least 1")
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} is missing: apt-get install -y time")
    print(f"load average at start: {loads()}")
    sizes = args.stations or [1_000_000, 100_000]
    met = True
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as temp:
        work = Path(temp)
        kept = args.work or work
        for stations in sizes:
            for form in args.form or FORMS:
                name = f"national-{stations}-{form}-seed{args.seed}"
                root = built(kept / name, stations, args.seed, form)
                print(f"{stations:,} stations, protocols as {form} ({root.name}):")
                met = report(form, measure(root, args.repeat, work)) and met
                print(f"  load average after: {loads()}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
