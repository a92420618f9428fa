"""A run's results as long tables, one per level (station, district, territory, nation),
written as CSV and Parquet; and its seats as one table.

One row per contest, round, area and item: `item` is a protocol line (`item_kind` `line`),
an entry's votes (`votes`: a party or candidate id, with its name), a count of the
protocols behind an area (`protocols`) or a college's line (`college`). Station rows keep
every protocol, rejected ones too, with their `status` (accepted, flagged, rejected); the
areas above sum the counted ones. Each contest appears at its own level and every level
below it. A line that is not on the form has no row. Built column by column (pyarrow).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from saylau.analysis.counts import STATUS, RunCounts, below_nation_generated
from saylau.protocol.lines import LINES
from saylau.registry.model import Contest
from saylau.results import ElectionResult
from saylau.tabulate.totals import COUNTS, Level

LEVELS: Final = ("station", "district", "territory", "nation")
COLUMNS: Final = (
    "election_id",
    "chamber",
    "contest_id",
    "tier",
    "round",
    "level",
    "area_id",
    "territory_id",
    "district_id",
    "status",
    "item_kind",
    "item",
    "item_name",
    "count",
    "generated",
)
_KEYS: Final = frozenset({"station_id", "district_id", "territory_id", "area_id", STATUS})


def _repeat(value: str | int | bool | None, rows: int, kind: pa.DataType) -> pa.Array:
    """`value` `rows` times, without a Python object per row."""
    return pc.take(pa.array([value], kind), pa.array(np.zeros(rows, dtype=np.int64)))


def _slices(
    fixed: Mapping[str, str | int],
    level: str,
    table: pa.Table,
    area: str,
    names: Mapping[str, str],
    generated: Callable[[str], bool],
    college: frozenset[str] = frozenset(),
) -> list[pa.Table]:
    """A wide table (one row per area, one column per item) as long slices; the items in
    `college` are a college's lines."""
    rows = table.num_rows
    columns = table.column_names

    def key(name: str) -> pa.Array:
        if name in columns:
            return table.column(name)
        return _repeat(None, rows, pa.string())

    found = []
    for item in columns:
        if item in _KEYS:
            continue
        kind = "line" if item in LINES else "protocols" if item in COUNTS else "votes"
        if item in college:
            kind = "college"
        found.append(
            pa.table(
                {
                    "election_id": _repeat(str(fixed["election_id"]), rows, pa.string()),
                    "chamber": _repeat(str(fixed["chamber"]), rows, pa.string()),
                    "contest_id": _repeat(str(fixed["contest_id"]), rows, pa.string()),
                    "tier": _repeat(str(fixed["tier"]), rows, pa.string()),
                    "round": _repeat(int(fixed["round"]), rows, pa.int64()),
                    "level": _repeat(level, rows, pa.string()),
                    "area_id": table.column(area).cast(pa.string()),
                    "territory_id": key("territory_id"),
                    "district_id": key("district_id"),
                    "status": key(STATUS),
                    "item_kind": _repeat(kind, rows, pa.string()),
                    "item": _repeat(item, rows, pa.string()),
                    "item_name": _repeat(
                        names.get(item) if kind == "votes" else None, rows, pa.string()
                    ),
                    "count": table.column(item).cast(pa.int64()),
                    "generated": _repeat(generated(item), rows, pa.bool_()),
                }
            )
        )
    return found


def long_tables(result: ElectionResult, counts: RunCounts) -> dict[str, pa.Table]:
    """The long table of each level, every contest and round of the run in it."""
    election = counts.inputs.election
    names = {p.party_id: p.name for p in election.parties}
    names |= {c.candidate_id: c.name for c in election.candidates}
    found: dict[str, list[pa.Table]] = {level: [] for level in LEVELS}
    below = below_nation_generated(result)

    def sub(item: str) -> bool:
        return below

    for contest, round in counts.ballots:
        counted = counts.counted(contest, round)
        if counted is None:
            continue
        fixed = _fixed(result, contest, round)
        table = counts.stations(contest, round)
        found["station"] += _slices(fixed, "station", table, "station_id", names, sub)
        totals = counted.totals
        own: tuple[Level, ...] = ("district", "territory", "nation")
        if contest.district_id is not None:
            own = ("district",)
        for level in own:
            table = totals.table(level)
            if level == "nation":
                table = table.append_column(
                    "area_id", _repeat("nation", table.num_rows, pa.string())
                )
            area = {"district": "district_id", "territory": "territory_id", "nation": "area_id"}[
                level
            ]
            marks = sub if level != "nation" else _nation_marks(result, contest.chamber)
            found[level] += _slices(fixed, level, table, area, names, marks)
    found["territory"] += _colleges(result, counts, names, sub)
    return {level: _concat(tables) for level, tables in found.items()}


def _fixed(result: ElectionResult, contest: Contest, round: int) -> dict[str, str | int]:
    return {
        "election_id": result.election_id,
        "chamber": contest.chamber,
        "contest_id": contest.contest_id,
        "tier": contest.tier,
        "round": round,
    }


CHAMBER_LINES: Final = frozenset(
    {"registered", "took_part", "ballots_found", "valid", "against_all", "invalid"}
)
"""The lines a chamber's result carries, each marked there when it rests on generated data."""


def _nation_marks(result: ElectionResult, chamber_id: str) -> Callable[[str], bool]:
    """Whether a figure of the nation rests on generated data: as the chamber's result says
    for the lines and list votes it carries; as the counts below for the rest (the number of
    protocols, ballots received, cancelled, ...), which are sums of the stations."""
    chamber = result.chamber(chamber_id)
    below = below_nation_generated(result)
    parties = {p.party_id for p in chamber.parties}

    def generated(item: str) -> bool:
        if item in CHAMBER_LINES:
            return chamber.generated(item)
        if item in parties:
            return chamber.generated(f"list_votes.{item}")
        return below

    return generated


def _colleges(
    result: ElectionResult,
    counts: RunCounts,
    names: Mapping[str, str],
    generated: Callable[[str], bool],
) -> list[pa.Table]:
    """Each college ballot as rows of its territory: electors, present, took part, votes."""
    contests = counts.inputs.election.contest_by_id
    found = []
    for ballot in counts.inputs.college_ballots:
        contest = contests[ballot.contest_id]
        lines = {"electors": ballot.electors, "present": ballot.present}
        if ballot.took_part is not None:
            lines["took_part"] = ballot.took_part
        wide: dict[str, list[str | int]] = {"territory_id": [contest.territory_id or "nation"]}
        wide |= {k: [v] for k, v in {**lines, **ballot.votes}.items()}
        fixed = _fixed(result, contest, ballot.round)
        table = pa.table(wide)
        college = frozenset(lines)
        found += _slices(fixed, "territory", table, "territory_id", names, generated, college)
    return found


def _concat(tables: Sequence[pa.Table]) -> pa.Table:
    if not tables:
        kinds = {"round": pa.int64(), "count": pa.int64(), "generated": pa.bool_()}
        schema = pa.schema([(c, kinds.get(c, pa.string())) for c in COLUMNS])
        return schema.empty_table()
    joined = pa.concat_tables(tables)
    return joined.filter(pc.is_valid(joined.column("count")))


def seats_table(result: ElectionResult) -> pa.Table:
    """Every seat held: its chamber, tier and contest, who holds it, for whom, by which rule;
    a list's seats by its members in list order (names only where the lists are known)."""
    rows: list[tuple[str | int | None, ...]] = []
    for chamber in result.chambers:
        for seat in chamber.seats:
            decision = seat.decision
            rows.append(
                (
                    chamber.chamber_id,
                    "college" if chamber.seats_contested else "district",
                    seat.contest_id,
                    seat.party_id,
                    seat.nominator,
                    seat.candidate_id,
                    seat.name,
                    decision.round,
                    decision.rule,
                    decision.votes,
                    decision.base,
                    decision.base_name,
                )
            )
        for decided in result.lists_of(chamber.chamber_id):
            method = decided.allocation.method
            for party, won in sorted(decided.allocation.seats.items()):
                members = decided.members.get(party, ())
                for at in range(won - decided.vacant.get(party, 0)):
                    name = members[at] if at < len(members) else None
                    row = (chamber.chamber_id, "list", decided.contest_id, party, party, None)
                    rows.append((*row, name, 1, method, None, None, None))
    kinds = {"round": pa.int64(), "votes": pa.int64(), "base": pa.int64()}
    return pa.table(
        {
            column: pa.array([row[at] for row in rows], kinds.get(column, pa.string()))
            for at, column in enumerate(SEAT_COLUMNS)
        }
    )


SEAT_COLUMNS: Final = (
    "chamber",
    "tier",
    "contest_id",
    "party_id",
    "nominator",
    "candidate_id",
    "name",
    "round",
    "rule",
    "votes",
    "base",
    "base_name",
)


def write_tables(tables: Mapping[str, pa.Table], out: Path, formats: Sequence[str]) -> list[Path]:
    """`out/results_<level>.csv` and `.parquet` (and `seats.*`); the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        if "csv" in formats:
            written.append(out / f"{name}.csv")
            pa_csv.write_csv(table, written[-1])
        if "parquet" in formats:
            written.append(out / f"{name}.parquet")
            pq.write_table(table, written[-1])
    return written
