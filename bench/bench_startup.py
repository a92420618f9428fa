"""Benchmark: how fast `saylau --help` and `saylau run --help` start, against their floor.

The floor is a bare Typer app with the same commands and empty bodies
(bench/startup_floor.py). Each command runs as a whole process under GNU time
(`/usr/bin/time`, a launcher that holds no data), so its wall time and peak memory are its
own; the two sides alternate, and each figure is the median of --repeat runs. The goal:
at most 1.5 times the floor's wall time and memory. Exit 1 when it is missed.

Run: make bench   (or .venv/bin/python bench/bench_startup.py --repeat 11)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIME = "/usr/bin/time"
GOAL = 1.5
CASES = (("--help",), ("run", "--help"))


def measured(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of one run of `command`, from GNU time."""
    done = subprocess.run(
        [TIME, "-f", "%e %M", *command], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    seconds, kib = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kib)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each side (median)")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} is missing: apt-get install -y time")
    saylau = str(Path(sys.executable).parent / "saylau")
    floor = [sys.executable, str(HERE / "startup_floor.py")]
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    met = True
    for case in CASES:
        ours: list[tuple[float, int]] = []
        base: list[tuple[float, int]] = []
        for _ in range(args.repeat):
            ours.append(measured([saylau, *case]))
            base.append(measured([*floor, *case]))
        wall = statistics.median(s for s, _ in ours) / statistics.median(s for s, _ in base)
        memory = statistics.median(m for _, m in ours) / statistics.median(m for _, m in base)
        verdict = "met" if wall <= GOAL and memory <= GOAL else "NOT met"
        met = met and verdict == "met"
        print(
            f"saylau {' '.join(case)}: {statistics.median(s for s, _ in ours):.2f} s, "
            f"{statistics.median(m for _, m in ours) / 1024:.0f} MiB; floor "
            f"{statistics.median(s for s, _ in base):.2f} s, "
            f"{statistics.median(m for _, m in base) / 1024:.0f} MiB; "
            f"ratio {wall:.2f}x time, {memory:.2f}x memory (goal <= {GOAL}x): {verdict}"
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
