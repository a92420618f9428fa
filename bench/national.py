"""A seeded national election directory of any size, for the whole-process benchmark.

One chamber of 225 list seats elected by one national list contest; 225 districts in 16
territories; 12 party lists and against all on the ballot. About 0.5% of the stations send
no protocol, and 1% of the protocols break a control relation (ballots received one more
than issued and cancelled). Every figure is generated, from the seed; nothing is real.

Run: .venv/bin/python bench/national.py DIR --stations 1000000 [--form csv|csv.gz|parquet]
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

DISTRICTS = 225
TERRITORIES = 16
PARTIES = tuple(f"party{i:02d}" for i in range(1, 13))
CONTEST = "national"

LAW = """id = "national-bench"
name = "A generated national list election (benchmark)"
country = "XX"
chamber = "House"
year = 2030
seats_total = 225
majority = 113

[protocol]
[[protocol.relations]]
code = "received_balance"
rule = "ballots_received = took_part + ballots_cancelled"
[[protocol.relations]]
code = "found_balance"
rule = "ballots_found = votes + against_all + invalid"
[[protocol.relations]]
code = "issued_within_list"
rule = "took_part <= registered"
[[protocol.relations]]
code = "outside_within_issued"
rule = "took_part_outside <= took_part"

[list_tier]
seats = 225
method = "hare"
tie_breaks = ["more_votes", "lot"]
too_few_qualify = { rule = "allocate_anyway" }

[list_tier.threshold]
share = "5%"
base = "took_part"
"""
"""The benchmark's law; its four relations are those the DuckDB and pandas scripts check."""


FORMS = ("csv", "csv.gz", "parquet")
"""How the protocols may be written: plain CSV, gzip-compressed CSV, or Parquet."""


def _write(table: pa.Table, path: Path, form: str) -> None:
    if form == "parquet":
        pq.write_table(table, path.with_suffix(".parquet"))
    elif form == "csv.gz":
        with pa.CompressedOutputStream(str(path) + ".gz", "gzip") as stream:
            pcsv.write_csv(table, stream)
    else:
        pcsv.write_csv(table, path)


def build(root: Path, stations: int, seed: int = 2030, form: str = "csv") -> Path:
    """Write the election directory under `root`; the protocols as CSV, CSV.gz or Parquet."""
    rng = np.random.default_rng(seed)
    (root / "law").mkdir(parents=True, exist_ok=True)
    (root / "protocols").mkdir(exist_ok=True)
    (root / "law" / "national.toml").write_text(LAW, encoding="utf-8")
    (root / "election.toml").write_text(
        'id = "national"\nname = "A generated national election"\nseed = 1\n'
        'generated = ["stations", "protocols"]\n\n[[chambers]]\nchamber_id = "house"\n'
        'name = "House"\nlaw = "law/national.toml"\n',
        encoding="utf-8",
    )
    territories = [f"t{t:02d}" for t in range(TERRITORIES)]
    districts = [f"d{d:03d}" for d in range(DISTRICTS)]
    territory_of = [territories[d * TERRITORIES // DISTRICTS] for d in range(DISTRICTS)]
    tables: dict[str, dict[str, Any]] = {
        "territories.csv": {"territory_id": territories, "name": territories},
        "districts.csv": {
            "district_id": districts,
            "name": districts,
            "territory_id": territory_of,
        },
        "parties.csv": {
            "party_id": list(PARTIES),
            "name": [f"Party {p[-2:]}" for p in PARTIES],
            "registration_order": list(range(1, len(PARTIES) + 1)),
        },
        "contests.csv": {"contest_id": [CONTEST], "chamber": ["house"], "tier": ["list"]},
    }
    for name, columns in tables.items():
        pcsv.write_csv(pa.table(columns), root / name)
    district = rng.integers(0, DISTRICTS, stations)
    ids = pa.array(np.char.add("s", np.arange(stations).astype(str)))
    registry = pa.table(
        {
            "station_id": ids,
            "district_id": pa.array(np.array(districts)[district]),
            "territory_id": pa.array(np.array(territory_of)[district]),
        }
    )
    pcsv.write_csv(registry, root / "stations.csv")
    reporting = np.sort(rng.permutation(np.flatnonzero(rng.random(stations) >= 0.005)))
    rows = len(reporting)
    registered = rng.integers(50, 3000, rows)
    took_part = rng.binomial(registered, 0.62)
    cancelled = rng.integers(0, 50, rows)
    broken = rng.random(rows) < 0.01
    invalid = rng.binomial(took_part, 0.02)
    shares = rng.dirichlet(np.ones(len(PARTIES) + 1) * 2.0)
    votes = rng.multinomial(took_part - invalid, shares)
    outside = rng.binomial(took_part, 0.04)
    columns: dict[str, Any] = {
        "station_id": ids.take(pa.array(reporting)),
        "registered": registered,
        "ballots_received": took_part + cancelled + broken,
        "took_part": took_part,
        "took_part_outside": pa.array(outside, mask=rng.random(rows) < 0.1),
        "ballots_cancelled": cancelled,
        "ballots_found": took_part,
        "invalid": invalid,
        "against_all": votes[:, -1],
    }
    columns.update({party: votes[:, i] for i, party in enumerate(PARTIES)})
    _write(pa.table(columns), root / "protocols" / f"{CONTEST}.r1.csv", form)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--stations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--form", choices=FORMS, default="csv")
    args = parser.parse_args()
    build(args.root, args.stations, args.seed, args.form)


if __name__ == "__main__":
    main()
