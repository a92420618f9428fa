"""Benchmark: importing the real St Petersburg 2021 ZakS files against a plain pandas read.

Times `read_spb2021` (every check, the registry, the protocol tables and the notes) and a
bare pandas baseline in the same process: read_csv of the same two gzipped files,
drop_duplicates on (smd, uik) for the station lines, and group-by sums per party and per
candidate. Prints the median seconds of each, the ratio saylau / pandas, and whether both
give the same list votes per party, votes per candidate and invalid ballots per ballot.

Run: .venv/bin/python bench/bench_import_spb.py --repeat 7
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
from timing import timed

from saylau.importers.spb2021.city import DISTRICT_FILE, LIST_CONTEST, LIST_FILE, read_spb2021
from saylau.importers.spb2021.files import shipped
from saylau.inputs import ElectionInputs
from saylau.protocol.lines import LINES, STATION

REAL = shipped()

Totals = dict[str, int]
"""Votes by party id or candidate id (`zaks-07-3`), and invalid ballots by contest id."""


def pandas_baseline(data_dir: Path) -> Totals:
    """The totals a bare pandas script gets: no checks, no registry, no notes."""
    city = pd.read_csv(data_dir / LIST_FILE, dtype={"party_id": str})
    local = pd.read_csv(data_dir / DISTRICT_FILE, dtype={"party_id": str})
    totals: Totals = {}
    for party, votes in city.groupby("party_id")["votes"].sum().items():
        totals[str(party)] = int(votes)
    for (smd, position), votes in local.groupby(["smd", "entry_position"])["votes"].sum().items():
        totals[f"zaks-{int(smd):02d}-{int(position)}"] = int(votes)
    totals[f"invalid {LIST_CONTEST}"] = int(city.drop_duplicates(["smd", "uik"])["invalid"].sum())
    stations = local.drop_duplicates(["smd", "uik"])
    for smd, invalid in stations.groupby("smd")["invalid"].sum().items():
        totals[f"invalid zaks-{int(smd):02d}"] = int(invalid)
    return totals


def saylau_totals(inputs: ElectionInputs) -> Totals:
    """The same totals, summed from the imported protocol tables."""
    totals: Totals = {}
    for (contest_id, _), table in inputs.protocols.items():
        for name in table.column_names:
            if name != STATION and name not in LINES:
                totals[name] = pc.sum(table[name]).as_py()
        totals[f"invalid {contest_id}"] = pc.sum(table["invalid"]).as_py()
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--data", type=Path, default=REAL)
    args = parser.parse_args()
    inputs = read_spb2021(args.data)
    agrees = saylau_totals(inputs) == pandas_baseline(args.data)
    ours = timed(lambda: read_spb2021(args.data), args.repeat)
    base = timed(lambda: pandas_baseline(args.data), args.repeat)
    stations = len(inputs.election.stations)
    print(f"St Petersburg 2021 ZakS: {stations:,} stations, {len(inputs.protocols)} ballots")
    print(f"median of {args.repeat} run(s)")
    print(f"{'saylau read_spb2021':<24}{ours:>9.3f} s")
    print(f"{'pandas baseline':<24}{base:>9.3f} s")
    print(f"{'saylau / pandas':<24}{ours / base:>9.1f}x")
    print(f"agrees: {'yes' if agrees else 'NO'}")


if __name__ == "__main__":
    main()
