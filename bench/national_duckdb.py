"""The yardstick: the work of `saylau run` on bench/national.py's directory, as one DuckDB
script. It reads the stations and the protocols, flags the four control relations of the
benchmark's law (and duplicate and unknown stations), counts the accepted, rejected and
missing protocols by district, and totals every line and list by district, territory and
nation. It writes the three levels as JSON to OUT, for the benchmark to compare.

Run: .venv/bin/python bench/national_duckdb.py DIR OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

LINES = (
    "registered",
    "ballots_received",
    "took_part",
    "took_part_outside",
    "ballots_cancelled",
    "ballots_found",
    "invalid",
    "against_all",
)
PARTIES = tuple(f"party{i:02d}" for i in range(1, 13))


def protocols_source(root: Path) -> str:
    parquet = root / "protocols" / "national.r1.parquet"
    if parquet.exists():
        return f"read_parquet('{parquet}')"
    columns = {"station_id": "VARCHAR", **dict.fromkeys((*LINES, *PARTIES), "BIGINT")}
    types = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
    path = root / "protocols" / "national.r1.csv"
    if not path.exists():
        path = path.with_name("national.r1.csv.gz")  # DuckDB inflates it by its name
    return f"read_csv('{path}', header=true, columns={{{types}}})"


def main() -> None:
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    con = duckdb.connect()
    stations = root / "stations.csv"
    con.execute(
        f"CREATE TABLE stations AS SELECT * FROM read_csv('{stations}', header=true, "
        "columns={'station_id': 'VARCHAR', 'district_id': 'VARCHAR', 'territory_id': 'VARCHAR'})"
    )
    votes = " + ".join(PARTIES)
    checked = f"""
        SELECT p.*, s.district_id, s.territory_id,
          (p.ballots_received = p.took_part + p.ballots_cancelled)
          AND (p.ballots_found = {votes} + coalesce(p.against_all, 0) + p.invalid)
          AND (p.took_part <= p.registered)
          AND (coalesce(p.took_part_outside, 0) <= p.took_part)
          AND s.station_id IS NOT NULL
          AND count(*) OVER (PARTITION BY p.station_id) = 1 AS accepted
        FROM {protocols_source(root)} p LEFT JOIN stations s USING (station_id)
        """
    sums = ", ".join(f"sum({c}) FILTER (WHERE accepted) AS {c}" for c in (*LINES, *PARTIES))
    levels = {}
    district = con.sql(
        f"""
        WITH checked AS ({checked}),
        counted AS (
          SELECT district_id, count(*) FILTER (WHERE accepted) AS protocols,
                 count(*) FILTER (WHERE NOT accepted) AS rejected, {sums}
          FROM checked WHERE district_id IS NOT NULL GROUP BY district_id),
        expected AS (SELECT district_id, min(territory_id) AS territory_id, count(*) AS stations
                     FROM stations GROUP BY district_id)
        SELECT e.district_id, e.territory_id, coalesce(c.protocols, 0) AS protocols,
               coalesce(c.rejected, 0) AS rejected,
               e.stations - coalesce(c.protocols, 0) - coalesce(c.rejected, 0) AS missing,
               {", ".join(f"c.{x}" for x in (*LINES, *PARTIES))}
        FROM expected e LEFT JOIN counted c USING (district_id) ORDER BY e.district_id
        """
    ).to_arrow_table()
    con.register("district", district)
    totals = ", ".join(
        f"sum({c}) AS {c}" for c in ("protocols", "rejected", "missing", *LINES, *PARTIES)
    )
    territory = con.sql(
        f"SELECT territory_id, {totals} FROM district GROUP BY territory_id ORDER BY territory_id"
    ).to_arrow_table()
    nation = con.sql(f"SELECT {totals} FROM district").to_arrow_table()
    for name, table in (("district", district), ("territory", territory), ("nation", nation)):
        levels[name] = table.to_pylist()
    out.write_text(json.dumps(levels, default=int), encoding="utf-8")


if __name__ == "__main__":
    main()
