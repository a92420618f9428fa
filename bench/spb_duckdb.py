"""The yardstick for the real St Petersburg 2021 city election (ZakS): the work of `saylau run
spb-2021 --json` on the same station files, as one DuckDB script.

It reads the list and district files (gzipped CSV, a row per station and entry), checks
that the rows of one station agree on every line and that no cell is counted twice, forms
each station's protocol with the lines as Saylau's importer derives them (ballots issued
from the balance received = issued + cancelled + lost - not counted on receipt; ballots
found = stationary + portable boxes), applies the law's control relations (spb-2021-zaks:
four that reject, one that flags), totals the accepted protocols of the list ballot and of
each district, gives the 25 list seats by the 5% threshold of the ballots found and the
Imperiali divisors (2, 3, 4, ...), and names each district's winner by plurality. It writes
what it found as JSON to OUT, for the benchmark to compare with Saylau's.

Run: .venv/bin/python bench/spb_duckdb.py DATA_DIR OUT.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

LIST_FILE = "spb2021_zaks_list_by_uik.csv.gz"
DISTRICT_FILE = "spb2021_zaks_smd_by_uik.csv.gz"
LIST_SEATS = 25
THRESHOLD_PERCENT = 5
FIGURES = ("registered", "took_part", "ballots_found", "valid", "invalid")
COLUMNS = {
    "election": "VARCHAR",
    "tier": "VARCHAR",
    "smd": "INTEGER",
    "uik": "INTEGER",
    "tik": "INTEGER",
    "raion": "VARCHAR",
    "registered": "BIGINT",
    "ballots_received": "BIGINT",
    "ballots_cancelled": "BIGINT",
    "ballots_stationary": "BIGINT",
    "ballots_portable": "BIGINT",
    "valid": "BIGINT",
    "invalid": "BIGINT",
    "lost": "BIGINT",
    "not_counted": "BIGINT",
    "entry_position": "INTEGER",
    "entry_name": "VARCHAR",
    "party_id": "VARCHAR",
    "votes": "BIGINT",
    "official_place": "INTEGER",
    "official_winner_flag": "INTEGER",
}
LINES = (
    "registered",
    "ballots_received",
    "ballots_cancelled",
    "ballots_stationary",
    "ballots_portable",
    "valid",
    "invalid",
    "lost",
    "not_counted",
)


def protocols(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> None:
    """Table `name`: one protocol per (smd, uik) with its derived lines, the sum of its
    votes and whether the law's relations accept it; refuses rows of a station that
    disagree or a cell counted twice."""
    types = ", ".join(f"'{k}': '{v}'" for k, v in COLUMNS.items())
    con.execute(
        f"CREATE TABLE {name}_rows AS SELECT * FROM read_csv('{path}', header=true, "
        f"columns={{{types}}})"
    )
    lines = ", ".join(LINES)
    (clashes, repeats) = con.execute(
        f"""SELECT
          (SELECT count(*) FROM (SELECT smd, uik FROM {name}_rows GROUP BY smd, uik
                                 HAVING count(DISTINCT ({lines})) > 1)),
          (SELECT count(*) FROM (SELECT smd, uik, entry_position FROM {name}_rows
                                 GROUP BY ALL HAVING count(*) > 1))"""
    ).fetchone() or (0, 0)
    if clashes or repeats:
        raise SystemExit(f"{path}: {clashes} stations disagree, {repeats} cells repeat")
    con.execute(
        f"""CREATE TABLE {name} AS
        WITH station AS (
          SELECT smd, uik, {", ".join(f"any_value({c}) AS {c}" for c in LINES)},
                 sum(votes) AS votes
          FROM {name}_rows GROUP BY smd, uik),
        derived AS (
          SELECT *, ballots_received - ballots_cancelled - lost + not_counted AS took_part,
                 ballots_stationary + ballots_portable AS ballots_found
          FROM station)
        SELECT *,
          took_part <= registered
          AND ballots_received = took_part + ballots_cancelled + lost - not_counted
          AND ballots_found = votes + invalid
          AND valid = votes AS accepted,
          NOT (ballots_found <= took_part) AS flagged
        FROM derived"""
    )


def main() -> None:
    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    con = duckdb.connect()
    protocols(con, data / LIST_FILE, "list")
    protocols(con, data / DISTRICT_FILE, "local")
    sums = ", ".join(f"sum({c}) FILTER (WHERE accepted) AS {c}" for c in FIGURES)
    checked = con.execute(
        f"""SELECT {sums},
          (SELECT count(*) FILTER (WHERE NOT accepted) FROM list)
          + (SELECT count(*) FILTER (WHERE NOT accepted) FROM local),
          (SELECT count(*) FILTER (WHERE accepted AND flagged) FROM list)
          + (SELECT count(*) FILTER (WHERE accepted AND flagged) FROM local)
        FROM list"""
    ).fetchone()
    assert checked is not None
    city = dict(zip(FIGURES, checked[: len(FIGURES)], strict=True))
    con.execute(
        """CREATE TABLE party AS SELECT r.party_id, sum(r.votes) AS votes FROM list_rows r
           JOIN list p ON p.uik = r.uik AND p.smd IS NOT DISTINCT FROM r.smd
           WHERE p.accepted GROUP BY r.party_id"""
    )
    votes = dict(con.execute("SELECT party_id, votes FROM party").fetchall())
    seats = dict(
        con.execute(
            f"""WITH qualified AS (
                  SELECT party_id, votes FROM party
                  WHERE votes * 100 >= {THRESHOLD_PERCENT} * $found),
                quotients AS (
                  SELECT party_id, votes::DECIMAL(38, 0) / d AS q
                  FROM qualified, range(2, {LIST_SEATS + 2}) t(d)),
                won AS (SELECT party_id FROM quotients ORDER BY q DESC LIMIT {LIST_SEATS})
              SELECT q.party_id, count(w.party_id) FROM qualified q
              LEFT JOIN won w USING (party_id) GROUP BY q.party_id""",
            {"found": city["ballots_found"]},
        ).fetchall()
    )
    winners = con.execute(
        """WITH candidate AS (
             SELECT r.smd, r.entry_position, sum(r.votes) AS votes FROM local_rows r
             JOIN local p ON p.uik = r.uik AND p.smd = r.smd
             WHERE p.accepted GROUP BY r.smd, r.entry_position)
           SELECT 'zaks-' || lpad(smd::VARCHAR, 2, '0') AS district,
                  arg_max(entry_position, votes) AS position, max(votes) AS votes
           FROM candidate GROUP BY smd ORDER BY smd"""
    ).fetchall()
    found = {
        "city": city,
        "list_votes": {party: int(v) for party, v in sorted(votes.items())},
        "list_seats": {party: int(n) for party, n in sorted(seats.items())},
        "winners": {d: [f"{d}-{position}", int(v)] for d, position, v in winners},
        "rejected": int(checked[len(FIGURES)]),
        "flagged": int(checked[len(FIGURES) + 1]),
    }
    out.write_text(json.dumps(found, default=int), encoding="utf-8")


if __name__ == "__main__":
    main()
