"""Benchmark: Saylau's tabulation against a plain pandas group-by, in the same process.

Generates a seeded synthetic national list contest (stations in 225 districts of 16
territories; 12 party lists and against all; some protocols rejected, some missing),
then totals it station -> district -> territory -> nation twice: with `saylau.tabulate`
and with a plain pandas merge and group-by. Prints the median seconds of each, their
ratio, and whether the two agree on every total at every level.

Run: .venv/bin/python bench/bench_tabulate.py --stations 1000000 --repeat 5
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from timing import timed

from saylau.law.loader import load_law
from saylau.protocol.lines import LINES, OPTIONAL_LINES
from saylau.protocol.table import check_table
from saylau.tabulate import ContestTotals, tabulate

DISTRICTS = 225
TERRITORIES = 16
PARTIES = tuple(f"party{i:02d}" for i in range(1, 13))
COUNTS = ("protocols", "rejected", "missing")
Rows = dict[str, dict[str, int | None]]


@dataclass(frozen=True)
class Election:
    """The same synthetic election as pyarrow tables (for Saylau) and as pandas frames."""

    stations: pa.Table
    table: pa.Table
    accepted: pa.BooleanArray
    station_frame: pd.DataFrame
    protocol_frame: pd.DataFrame
    accepted_flags: np.ndarray[Any, Any]


def generate(stations: int, seed: int) -> Election:
    """A national list contest: about 0.5% of stations missing, 1% of protocols rejected."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"s{i:07d}" for i in range(stations)], dtype=object)
    district = rng.integers(0, DISTRICTS, stations)
    district_ids = np.array([f"d{d:03d}" for d in range(DISTRICTS)], dtype=object)
    territory_ids = np.array([f"t{d * TERRITORIES // DISTRICTS:02d}" for d in range(DISTRICTS)])
    registry = {
        "station_id": ids,
        "district_id": district_ids[district],
        "territory_id": territory_ids[district].astype(object),
    }
    reporting = rng.permutation(np.flatnonzero(rng.random(stations) >= 0.005))
    rows = len(reporting)
    registered = rng.integers(50, 3000, rows)
    took_part = rng.binomial(registered, 0.62)
    received = registered + rng.integers(0, 50, rows)
    invalid = rng.binomial(took_part, 0.02)
    shares = rng.dirichlet(np.ones(len(PARTIES) + 1) * 2.0)
    votes = rng.multinomial(took_part - invalid, shares)
    outside = rng.binomial(took_part, 0.04)
    outside_blank = rng.random(rows) < 0.1  # these forms leave the line out
    columns: dict[str, np.ndarray[Any, Any]] = {
        "registered": registered,
        "ballots_received": received,
        "took_part": took_part,
        "took_part_outside": outside,
        "ballots_cancelled": received - took_part,
        "ballots_found": took_part,
        "invalid": invalid,
        "against_all": votes[:, -1],
    }
    columns.update({party: votes[:, i] for i, party in enumerate(PARTIES)})
    accepted = rng.random(rows) >= 0.01
    arrow = {"station_id": pa.array(ids[reporting], pa.string())}
    arrow.update({name: pa.array(values, pa.int64()) for name, values in columns.items()})
    arrow["took_part_outside"] = pa.array(outside, pa.int64(), mask=outside_blank)
    frame = pd.DataFrame({"station_id": ids[reporting], **columns})
    frame["took_part_outside"] = pd.arrays.IntegerArray(outside, outside_blank)
    return Election(
        stations=pa.table({k: pa.array(v, pa.string()) for k, v in registry.items()}),
        table=pa.table(arrow),
        accepted=pa.array(accepted),
        station_frame=pd.DataFrame(registry),
        protocol_frame=frame,
        accepted_flags=accepted,
    )


def saylau_totals(election: Election) -> ContestTotals:
    """Saylau: every registry station is expected to report the national list."""
    totals = tabulate(
        election.table,
        election.accepted,
        election.stations,
        contest_id="list",
        round=1,
        expected=election.stations.column("station_id"),
    )
    for level in ("district", "territory", "nation"):
        totals.table(level)
    return totals


def pandas_totals(election: Election) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The baseline: merge with the registry, group by district, then territory, then all."""
    stations = election.station_frame
    flags = election.accepted_flags
    place = stations[["station_id", "district_id"]]
    rows = election.protocol_frame.merge(place, on="station_id", how="left")
    values = [c for c in rows.columns if c not in ("station_id", "district_id")]
    counted = rows[flags]
    districts = counted.groupby("district_id")[values].sum(min_count=1).astype("Int64")
    every = sorted(stations["district_id"].unique())
    districts = districts.reindex(every)  # nullable integers: a district with no rows is NA
    territory = stations[["district_id", "territory_id"]].drop_duplicates()
    districts.insert(0, "territory_id", territory.set_index("district_id")["territory_id"])
    # Plain means trusting the data: one row per station, each of the registry.
    reported = rows.groupby("district_id").size().reindex(every, fill_value=0)
    counts = {
        "protocols": counted.groupby("district_id").size(),
        "rejected": rows[~flags].groupby("district_id").size(),
        "missing": stations.groupby("district_id").size() - reported,
    }
    for position, (name, sizes) in enumerate(counts.items(), start=1):
        districts.insert(position, name, sizes.reindex(every, fill_value=0))
    whole = [c for c in districts.columns if c not in (*OPTIONAL_LINES, "territory_id")]
    districts[whole] = districts[whole].fillna(0).astype("int64")
    territories = districts.drop(columns="territory_id").groupby(districts["territory_id"])
    territory_totals = territories.sum(min_count=1)
    nation = territory_totals.sum(min_count=1).to_frame().T
    return districts, territory_totals, nation


def as_rows(frame: pd.DataFrame, key: str | None) -> Rows:
    """A frame's totals as Python ints (None for an empty line), keyed by its index."""
    found: Rows = {}
    for index, row in frame.iterrows():
        name = str(index) if key else "nation"
        found[name] = {k: _exact(row.get(k)) for k in FIGURES}
    return found


def _exact(value: Any) -> int | None:
    """A pandas figure as a Python int; None for a line left empty or not on the form."""
    return None if value is None or pd.isna(value) else int(value)


def saylau_rows(totals: ContestTotals) -> tuple[Rows, Rows, Rows]:
    """Saylau's level tables in the same shape as `as_rows`."""
    districts = totals.district_table.to_pylist()
    territories = totals.territory_table.to_pylist()
    (nation,) = totals.nation_table.to_pylist()
    return (
        {row["district_id"]: {k: row[k] for k in FIGURES} for row in districts},
        {row["territory_id"]: {k: row[k] for k in FIGURES} for row in territories},
        {"nation": {k: nation[k] for k in FIGURES}},
    )


FIGURES = (*COUNTS, *LINES, *PARTIES)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stations", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1999)
    args = parser.parse_args()
    election = generate(args.stations, args.seed)
    print(
        f"{args.stations:,} stations, {election.table.num_rows:,} protocols, "
        f"{DISTRICTS} districts, {TERRITORIES} territories, {len(PARTIES)} lists + against all"
    )
    ours = saylau_rows(saylau_totals(election))
    districts, territories, nation = pandas_totals(election)
    theirs = (as_rows(districts, "district_id"), as_rows(territories, "territory_id"))
    same = ours == (*theirs, as_rows(nation, None))
    saylau_seconds = timed(lambda: saylau_totals(election), args.repeat)
    pandas_seconds = timed(lambda: pandas_totals(election), args.repeat)
    form = load_law("kz-1999-majilis").protocol
    assert form is not None
    check_seconds = timed(lambda: check_table(election.table, "list", 1, form=form), args.repeat)
    print(f"saylau tabulate: {saylau_seconds:.3f} s (median of {args.repeat})")
    print(f"saylau control relations (check_table): {check_seconds:.3f} s")
    print(f"pandas group-by: {pandas_seconds:.3f} s (median of {args.repeat})")
    print(f"saylau / pandas: {saylau_seconds / pandas_seconds:.2f}x")
    both = saylau_seconds + check_seconds
    print(f"saylau check + tabulate / pandas: {both / pandas_seconds:.2f}x")
    print(f"agrees: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
