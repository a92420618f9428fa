"""Benchmark: one saylau command from two source trees, as whole processes taking turns.

Each run starts `python -c "from saylau.cli import main; main()" ARGS` under GNU time
(`/usr/bin/time`, so the wall time, peak memory and processor time are the process's own)
with PYTHONPATH set to the tree's `src` folder, from a neutral working folder. The two
trees take turns, after one warm-up each; it prints the load average, each tree's medians
and the ratios. The processor time (user and system, every thread) is disturbed less than
the wall time by other work on the machine.

Make the tree before a change with `git archive COMMIT src | tar -x -C DIR`.

Run: .venv/bin/python bench/compare_trees.py BEFORE AFTER [--repeat 9] -- run kz-1999 --json
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MAIN = "from saylau.cli import main; main()"
TIME = "/usr/bin/time"


def run(tree: Path, arguments: list[str], folder: Path) -> tuple[float, float, float]:
    """One whole process of the command from `tree`: its wall seconds, peak MiB and
    processor seconds."""
    timing = folder / "time.txt"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(tree / "src")  # the warm-up compiles each tree's modules once
    command = [TIME, "-f", "%e %M %U %S", "-o", str(timing), sys.executable, "-c", MAIN]
    command += arguments
    done = subprocess.run(command, stdout=subprocess.DEVNULL, env=env, cwd=folder, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {' '.join(arguments)} ended with status {done.returncode}")
    seconds, kib, user, system = timing.read_text(encoding="utf-8").split()[-4:]
    return float(seconds), int(kib) / 1024, float(user) + float(system)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the tree before (holding src/saylau)")
    parser.add_argument("after", type=Path, help="the tree after")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of each tree")
    parser.add_argument("arguments", nargs="+", help="the saylau command, after --")
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": args.after.resolve()}
    for name, tree in trees.items():
        if not (tree / "src" / "saylau").is_dir():
            parser.error(f"{name}: {tree} holds no src/saylau")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    found: dict[str, list[tuple[float, float, float]]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory(prefix="saylau-trees-") as temp:
        folder = Path(temp)
        for tree in trees.values():
            run(tree, args.arguments, folder)
        for _ in range(args.repeat):
            for name, tree in trees.items():
                found[name].append(run(tree, args.arguments, folder))
    median = {
        name: tuple(statistics.median(run[i] for run in runs) for i in range(3))
        for name, runs in found.items()
    }
    print(f"saylau {' '.join(args.arguments)}, median of {args.repeat} runs each, alternating:")
    for name, (seconds, mib, cpu) in median.items():
        runs = " ".join(f"{s:.2f}" for s, _, _ in found[name])
        print(f"  {name:<7} {seconds:.3f} s  {mib:.0f} MiB  {cpu:.3f} s processor  (runs: {runs})")
    wall, cpu = (median["after"][i] / median["before"][i] for i in (0, 2))
    print(f"  after / before: {wall:.3f}× the wall time, {cpu:.3f}× the processor time")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
