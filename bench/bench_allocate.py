"""Benchmark: exact allocation against a plain float baseline, in the same process.

Reports, for every method, how many times slower Saylau's exact allocation (integers and
Fractions, with its full trace) is than a bare float loop that gives the same seats on
the same votes. Ratios, not seconds, so that the figures travel between machines.

Run: make bench   (or .venv/bin/python bench/bench_allocate.py --repeat 20)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from timing import timed

from saylau.rules.apportion import METHODS, allocate

ROOT = Path(__file__).resolve().parent.parent
DIVISORS: dict[str, Callable[[int], float]] = {
    "dhondt": lambda k: k + 1.0,
    "sainte-lague": lambda k: 2 * k + 1.0,
    "modified-sainte-lague": lambda k: 1.4 if k == 0 else 2 * k + 1.0,
    "imperiali": lambda k: k + 2.0,
    "danish": lambda k: 3 * k + 1.0,
    "huntington-hill": lambda k: math.sqrt(k * (k + 1)),
    "adams": lambda k: float(k),
}


def duma_spb_votes() -> dict[str, int]:
    """Real list votes: the 2021 Duma party-list ballot in St Petersburg, 14 parties."""
    votes: Counter[str] = Counter()
    path = ROOT / "src/saylau/importers/spb2021/data/spb2021_duma_list_by_uik.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            votes[row["party_id"]] += int(row["votes"])
    return dict(votes)


def float_baseline(votes: dict[str, int], seats: int, method: str) -> dict[str, int]:
    """The textbook loops in floats: no threshold, no ties, no trace."""
    held = dict.fromkeys(votes, 0)
    if method in DIVISORS:
        divisor = DIVISORS[method]
        for _ in range(seats):
            best = max(
                votes,
                key=lambda p: math.inf if divisor(held[p]) == 0 else votes[p] / divisor(held[p]),
            )
            held[best] += 1
        return held
    total = sum(votes.values())
    quota = {
        "hare": total / seats,
        "droop": math.floor(total / (seats + 1)) + 1,
        "hagenbach-bischoff": total / (seats + 1),
        "imperiali-quota": total / (seats + 2),
    }[method]
    for party, count in votes.items():
        held[party] = int(count // quota)
    left = seats - sum(held.values())
    for party in sorted(votes, key=lambda p: votes[p] - held[p] * quota, reverse=True)[:left]:
        held[party] += 1
    return held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=450)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    votes = duma_spb_votes()
    print(f"{len(votes)} lists, {sum(votes.values()):,} votes, {args.seats} seats")
    print(f"{'method':<24}{'exact / float':>14}  same seats")
    for method in METHODS:
        exact = allocate(votes, args.seats, method, tie_breaks=("lot",), seed=1).seats
        same = exact == float_baseline(votes, args.seats, method)
        ours = timed(lambda m=method: allocate(votes, args.seats, m), args.repeat)
        base = timed(lambda m=method: float_baseline(votes, args.seats, m), args.repeat)
        print(f"{method:<24}{ours / base:>13.1f}x  {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
