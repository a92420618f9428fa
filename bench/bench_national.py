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

Then the real St Petersburg 2021 city election (`--real spb-2021`, the station files
Saylau ships): `saylau run spb-2021 --json` against bench/spb_duckdb.py, the same work on
the same gzipped files (read, the rows of a station agreeing, the law's relations, totals
of the list ballot and of each district, the list seats and the district winners); the
warm-up checks that the two agree on all of it.

The goal at every size and form: at most 1.5 times DuckDB's wall time, at most 2 times its
peak memory, and less wall time than pandas (where pandas runs). It prints the machine's
load average first, and exits 1 when the tools disagree or a goal is missed.

Run: .venv/bin/python bench/bench_national.py [--stations 1000000 --stations 100000]
     [--form csv --form csv.gz --form parquet] [--real spb-2021 | --real none] [--repeat 5]
     [--work DIR]
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

from saylau.importers.spb2021.files import shipped

HERE = Path(__file__).resolve().parent
TOOLS = ("saylau", "duckdb", "pandas")
COUNTED = ("protocols", "rejected", "missing", *LINES, *PARTIES)
TARGET_WALL = 1.5
MAIN = "from saylau.cli import main; main()"
TARGET_MEMORY = 2.0
TIME = "/usr/bin/time"
REAL = ("spb-2021",)


@dataclass(frozen=True)
class Measured:
    """One process: its wall time in seconds, peak resident memory in MiB, and the
    processor time it took (user and system, all its threads) in seconds."""

    seconds: float
    mib: float
    cpu: float = 0.0


def command(tool: str, root: Path | str, out: Path) -> list[str]:
    """The command line of `tool` on the election directory `root`, or on the real election
    named `root` (one of REAL)."""
    if tool == "saylau":
        script = Path(sys.executable).with_name("saylau")
        start = [str(script)] if script.exists() else [sys.executable, "-c", MAIN]
        return [*start, "run", str(root), "--json"]
    if root in REAL:
        return [sys.executable, str(HERE / "spb_duckdb.py"), str(shipped()), str(out)]
    return [sys.executable, str(HERE / f"national_{tool}.py"), str(root), str(out)]


def run(tool: str, root: Path | str, out: Path) -> Measured:
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


def real_found(tool: str, out: Path) -> dict[str, Any]:
    """What a tool found of the St Petersburg city election, in bench/spb_duckdb.py's layout
    (list seats of the lists that won any)."""
    found = json.loads(out.read_text(encoding="utf-8"))
    if tool != "saylau":
        found["list_seats"] = {p: n for p, n in found["list_seats"].items() if n}
        return found
    house = found["zaks"]
    parties = house["parties"]
    return {
        "city": {name: house[name] for name in ("registered", "took_part", "ballots_found")}
        | {"valid": house["valid"], "invalid": house["invalid"]},
        "list_votes": {p["party_id"]: p["list_votes"] for p in parties if p["list_votes"]},
        "list_seats": {p["party_id"]: p["list_seats"] for p in parties if p["list_seats"]},
        "winners": {d["contest_id"]: [d["candidate_id"], d["votes"]] for d in house["seats"]},
        "rejected": len(found["rejected"]),
        "flagged": len(found["flagged"]),
    }


def measure_real(name: str, repeat: int, work: Path) -> dict[str, list[Measured]]:
    """Saylau and the DuckDB script `repeat` times each on the real election `name`, taking
    turns, after one warm-up each that checks they agree."""
    tools = ("saylau", "duckdb")
    outs = {tool: work / f"{name}-{tool}.json" for tool in tools}
    for tool in tools:
        run(tool, name, outs[tool])
    ours, theirs = (real_found(tool, outs[tool]) for tool in tools)
    problems = [
        f"{key}: saylau {ours[key]}, duckdb {theirs[key]}"
        for key in theirs
        if ours[key] != theirs[key]
    ]
    if problems:
        print("\n".join(problems))
        raise SystemExit(f"saylau and duckdb disagree on {name}")
    print(
        f"  both agree on the city's totals, the votes and seats of {len(theirs['list_seats'])} "
        f"lists and the winners of {len(theirs['winners'])} districts "
        f"({theirs['rejected']} protocols rejected, {theirs['flagged']} flagged)"
    )
    runs: dict[str, list[Measured]] = {tool: [] for tool in tools}
    for _ in range(repeat):
        for tool in tools:
            runs[tool].append(run(tool, name, outs[tool]))
    return runs


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
    if "pandas" in median:
        ahead = ours.seconds < median["pandas"].seconds
        versus, goal = f", {'ahead of' if ahead else 'behind'} pandas", ", ahead of pandas"
    else:
        ahead, versus, goal = True, "", ""
    met = wall <= TARGET_WALL and memory <= TARGET_MEMORY and ahead
    print(
        f"  saylau: {wall:.2f}× DuckDB's wall time, {memory:.2f}× its memory{versus} (goal: "
        f"at most {TARGET_WALL}× and {TARGET_MEMORY}×{goal}): {'met' if met else 'NOT met'}"
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
    parser.add_argument(
        "--real",
        choices=[*REAL, "none"],
        action="append",
        help="a real election to run too (default: every one; none: no real election)",
    )
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
        for name in [n for n in args.real or REAL if n != "none"]:
            print(f"the real {name} files ({shipped()}), load average {loads()}:")
            met = report(name, measure_real(name, args.repeat, work)) and met
            print(f"  load average after: {loads()}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
