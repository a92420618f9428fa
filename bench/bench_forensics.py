"""Benchmark: Saylau's forensics against plain numpy binomial resampling, in the same process.

Generates the seeded national list contest of bench_tabulate (stations in 225 districts of
16 territories, 12 lists and against all), then times two things on it:

- Saylau: check the protocols against the 1999 form and tabulate them (as a run does), build
  the station table, and run all four findings: the turnout-share histogram, the
  integer-percentage test with its resamples, last digits for every list, turnout by
  territory;
- the baseline: the integer-percentage resamples alone, written plainly in numpy: every
  included station's turnout and leader's share drawn again from binomials, `--draws`
  times, and the whole percentages counted.

Prints the median seconds of each, their ratio, and whether the two expectations agree
(within four standard errors of the difference).

Run: .venv/bin/python bench/bench_forensics.py --stations 100000 --draws 1000 --repeat 3
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
from bench_tabulate import Election, generate
from timing import timed

from saylau.analysis.digits import last_digits
from saylau.analysis.fingerprint import fingerprint
from saylau.analysis.integer_percent import IntegerPercent, integer_percent_test
from saylau.analysis.stations import figures_of
from saylau.analysis.territories import turnout_by_area
from saylau.law.loader import load_law
from saylau.protocol.table import check_table
from saylau.stages.counting import Counted
from saylau.tabulate import tabulate


def saylau_forensics(election: Election, draws: int) -> IntegerPercent:
    """Check, count and run every finding, as `saylau forensics` does after reading."""
    form = load_law("kz-1999-majilis").protocol
    assert form is not None
    expected = election.stations.column("station_id").combine_chunks()
    check = check_table(election.table, "list", 1, expected, form=form)
    totals = tabulate(
        election.table,
        check.accepted,
        election.stations,
        contest_id="list",
        round=1,
        expected=expected,
    )
    figures = figures_of(Counted("list", 1, check, totals), election.stations, "took_part")
    table = figures.table
    column = {n: table.column(n).to_numpy() for n in ("registered", "took_part", "votes", "base")}
    fingerprint(column["registered"], column["took_part"], column["votes"], column["base"], "x")
    found = integer_percent_test(
        column["registered"], column["took_part"], column["votes"], column["base"], draws=draws
    )
    for entry in figures.entries:
        last_digits(table.column(entry).to_numpy(), entry)
    territories = table.column("territory_id").to_numpy(zero_copy_only=False)
    turnout_by_area(column["registered"], column["took_part"], territories, {}, "territory")
    return found


def numpy_resamples(election: Election, leader: str, draws: int) -> np.ndarray[Any, Any]:
    """The baseline: plain binomial resampling of the included stations, counted per draw.
    Every generated protocol keeps the 1999 form's relations, so all of them are counted."""
    frame = election.protocol_frame
    registered = frame["registered"].to_numpy(dtype=np.int64)
    took = frame["took_part"].to_numpy(dtype=np.int64)
    votes = frame[leader].to_numpy(dtype=np.int64)
    keep = (registered >= 100) & (took >= 1) & (100 * took <= 99 * registered)
    keep &= 100 * votes <= 99 * took
    registered, took, votes = registered[keep], took[keep], votes[keep]
    rng = np.random.default_rng(7)
    counts = np.empty((draws, 2))
    step = max(1, 2_000_000 // len(took))
    for start in range(0, draws, step):
        size = (min(draws, start + step) - start, len(took))
        drawn_took = rng.binomial(registered, took / registered, size)
        drawn_votes = rng.binomial(took, votes / took, size)
        for column, (part, whole) in enumerate(((drawn_took, registered), (drawn_votes, took))):
            rest = (100 * part) % whole
            whole_percent = (20 * rest <= whole) | (20 * (whole - rest) <= whole)
            counts[start : start + size[0], column] = whole_percent.sum(axis=1)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stations", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1999)
    args = parser.parse_args()
    election = generate(args.stations, args.seed)
    frame = election.protocol_frame
    leader = str(frame[[c for c in frame.columns if c.startswith("party")]].sum().idxmax())
    print(
        f"{args.stations:,} stations, {election.table.num_rows:,} protocols, "
        f"{args.draws:,} resamples of the integer-percentage test"
    )
    ours = saylau_forensics(election, args.draws)
    counted = ours.stations_included + sum(ours.excluded.values())
    print(f"saylau counts {counted:,} protocols, {ours.stations_included:,} included")
    theirs = numpy_resamples(election, leader, args.draws)
    agree = True
    for column, key in enumerate(("turnout", "share")):
        mean, sd = theirs[:, column].mean(), theirs[:, column].std(ddof=1)
        error = (sd**2 + getattr(ours.spread, key) ** 2) ** 0.5 / args.draws**0.5
        agree &= abs(getattr(ours.expected, key) - mean) <= 4 * error
        print(f"expected {key}: saylau {getattr(ours.expected, key):,.1f}, numpy {mean:,.1f}")
    saylau_seconds = timed(lambda: saylau_forensics(election, args.draws), args.repeat)
    numpy_seconds = timed(lambda: numpy_resamples(election, leader, args.draws), args.repeat)
    median = f"(median of {args.repeat})"
    print(f"saylau forensics (check, count, 4 findings): {saylau_seconds:.3f} s {median}")
    print(f"numpy binomial resampling alone: {numpy_seconds:.3f} s {median}")
    print(f"saylau / numpy: {saylau_seconds / numpy_seconds:.2f}x")
    print(f"agrees: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
