"""Live totals: accepting a protocol adds it to its district, and taking a version back (a
correction) subtracts it, in the same transaction.

Totals are rows of (contest, round, level, area, item): `line.<line>`, `votes.<entry>`,
`carriers.<line>` (how many counted protocols carry an optional line: none means the line
is not on the form) and `protocols`. Each district keeps rows; the territories' and the
nation's totals are summed from them when read (`area_totals`), since every station lies in
exactly one district and, where the registry says so, every district in one territory. A
district with a station outside its own territory (`election.spread_districts`) also adds
each of its stations' protocols to the station's territory, and a territory's totals are
then its own rows and those of its districts that lie wholly in it. So a commit holds only
its districts' rows and, rarely, a territory's: the nation's and the territories' rows had
been taken by nearly every commit, from its totals' trigger to its end. `batch_differences`
holds the totals read to a batch tabulation of the same protocols, at every level.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, func, select, union_all
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from saylau.law.form import OPTIONAL_LINES, REQUIRED_LINES
from saylau.protocol.lines import EntryId
from saylau.protocol.table import table_from_protocols
from saylau.service.deferred import deferring, insert_rows, merged
from saylau.service.election import Loaded, Place, served
from saylau.service.models import DistrictRow, ProtocolRow, TotalRow, TotalsPending, table_of
from saylau.service.protocols import core_protocol, parse
from saylau.tabulate import tabulate
from saylau.tabulate.batch import entry_columns
from saylau.tabulate.totals import LineTotals

KEY = ("contest_id", "round", "level", "area_id", "item")

Areas = tuple[tuple[str, str], ...]
"""The (level, area) pairs whose rows a station's protocol counts in: its district, and its
territory where its district does not lie wholly in its own (`areas_of`)."""

NATION = "nation"
"""The level, and the area, of the whole country: summed from the districts when read."""


@dataclass(frozen=True)
class Change:
    """One protocol's change of the totals above it: what it adds to each item (item ->
    value) in each of its areas. On PostgreSQL it waits in `totals_pending` as itself, and
    the trigger spreads it over its areas at COMMIT (migration 0008)."""

    contest_id: str
    round: int
    areas: Areas
    delta: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        """The change as `totals_pending.delta` lists it."""
        return {
            "contest_id": self.contest_id,
            "round": self.round,
            "areas": [list(area) for area in self.areas],
            "items": self.delta,
        }


def in_one_row(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The changes of the totals a transaction made (`totals_pending` rows) as one row, so
    its COMMIT changes each total once: the trigger adds up what the changes add to the same
    total, a total they leave as it was still named, as each change alone names it."""
    changes = []
    for row in rows:
        change = row["delta"]
        if not isinstance(change, Change):
            raise TypeError(f"a change of the totals waits as {type(change).__name__}")
        changes.append(change.as_json())
    return [{"delta": json.dumps(changes, separators=(",", ":"), ensure_ascii=False)}]


merged("totals_pending", in_one_row)


def items(data: dict[str, Any]) -> dict[str, int]:
    """One protocol's contribution to every total above it."""
    found = {"protocols": 1}
    for line, value in data["lines"].items():
        if value is not None:
            found[f"line.{line}"] = value
            if line in OPTIONAL_LINES:
                found[f"carriers.{line}"] = 1
    for entry, votes in data["votes"].items():
        found[f"votes.{entry}"] = votes
    return found


def apply(
    session: Session,
    contest_id: str,
    round: int,
    where: Place,
    added: dict[str, Any] | None,
    removed: dict[str, Any] | None = None,
) -> None:
    """Add one protocol's values and take another's back, in its areas (`areas_of`), in one
    statement (on PostgreSQL, in one row that the COMMIT adds: migrations 0002 and 0008)."""
    delta: dict[str, int] = {}
    for data, sign in ((added, 1), (removed, -1)):
        if data is not None:
            for item, value in items(data).items():
                delta[item] = delta.get(item, 0) + sign * value
    if not delta:
        return
    areas = areas_of(where, served(session).spread)
    if session.get_bind().dialect.name == "postgresql":
        # added at COMMIT by a deferred trigger, which holds the shared rows only then
        waits = [{"delta": Change(contest_id, round, areas, delta)}]
        insert_rows(
            session, table_of(TotalsPending), waits if deferring(session) else in_one_row(waits)
        )
        return
    rows = [
        {
            "contest_id": contest_id,
            "round": round,
            "level": level,
            "area_id": area,
            "item": item,
            "value": value,
        }
        for level, area in areas
        for item, value in sorted(delta.items())
    ]
    table = totals_table()
    insert = sqlite_insert(table)
    statement = insert.on_conflict_do_update(
        index_elements=list(KEY), set_={"value": table.c.value + insert.excluded.value}
    )
    session.execute(statement, rows)


def areas_of(where: Place, spread: frozenset[str]) -> Areas:
    """The rows a station's protocol counts in: its district's, and its territory's too when
    its district is one of `spread` (does not lie wholly in its own territory)."""
    if where.district_id in spread:
        return (("district", where.district_id), ("territory", where.territory_id))
    return (("district", where.district_id),)


def totals_table() -> Table:
    """The totals table as a Core table (ORM classes type it as a FromClause)."""
    found = TotalRow.__table__
    assert isinstance(found, Table)
    return found


def area_totals(
    session: Session, contest_id: str, round: int, level: str, entries: Sequence[str]
) -> dict[str, LineTotals]:
    """The live totals of every area of one level that has counted a protocol: a district's
    rows; a territory's own rows and those of its districts that lie wholly in it; the
    nation's (level and area `NATION`) every district's."""
    table = totals_table()
    kept = (table.c.contest_id == contest_id) & (table.c.round == round)
    districts = kept & (table.c.level == "district")
    if level == NATION:
        summed = select(table.c.item, func.sum(table.c.value)).where(districts)
        values = {
            item: int(total) for item, total in session.execute(summed.group_by(table.c.item))
        }
        return {NATION: as_totals(values, entries)} if values else {}
    if level == "district":
        rows = select(table.c.area_id, table.c.item, table.c.value).where(districts).subquery()
    elif level == "territory":
        inside = (
            select(DistrictRow.territory_id, table.c.item, table.c.value)
            .join(DistrictRow, DistrictRow.district_id == table.c.area_id)
            .where(districts, table.c.area_id.not_in(served(session).spread))
        )
        own = select(table.c.area_id, table.c.item, table.c.value).where(
            kept & (table.c.level == "territory")
        )
        rows = union_all(inside, own).subquery()
    else:
        raise ValueError(f"no totals are kept or summed for the level {level!r}")
    area, item, value = rows.c
    found: dict[str, dict[str, int]] = {}
    for area_id, name, total in session.execute(
        select(area, item, func.sum(value)).group_by(area, item)
    ):
        found.setdefault(area_id, {})[name] = int(total)
    return {area_id: as_totals(values, entries) for area_id, values in found.items()}


def as_totals(values: dict[str, int], entries: Sequence[str]) -> LineTotals:
    """Item rows as the core's totals: an optional line no counted protocol carries is None."""
    required: dict[str, Any] = {line: values.get(f"line.{line}", 0) for line in REQUIRED_LINES}
    optional: dict[str, Any] = {
        line: values.get(f"line.{line}", 0) if values.get(f"carriers.{line}", 0) else None
        for line in OPTIONAL_LINES
    }
    votes = {EntryId(entry): values.get(f"votes.{entry}", 0) for entry in entries}
    fields: dict[str, Any] = {**required, **optional}
    return LineTotals(votes=votes, protocols=values.get("protocols", 0), **fields)


def counted_rows(session: Session) -> list[ProtocolRow]:
    return list(
        session.scalars(select(ProtocolRow).where(ProtocolRow.counted).order_by(ProtocolRow.id))
    )


def batch_differences(session: Session, election: Loaded) -> list[str]:
    """Every figure where the live totals differ from a batch tabulation (the core's
    `tabulate`) of the same counted protocols, at every level; empty when they agree."""
    groups: dict[tuple[str, int], list[ProtocolRow]] = {}
    for row in counted_rows(session):
        groups.setdefault((row.contest_id, row.round), []).append(row)
    found: list[str] = []
    for (contest_id, round), rows in sorted(groups.items()):
        contest = election.contest(contest_id)
        protocols = [
            core_protocol(r.station_id, contest_id, round, parse(r.data), r.version) for r in rows
        ]
        table = table_from_protocols(protocols)
        stations = election.inputs.election.stations_table_for(contest)
        batch = tabulate(table, None, stations, contest_id=contest_id, round=round)
        entries = entry_columns(table)
        levels: list[tuple[str, dict[str, LineTotals]]] = [
            ("district", dict(batch.by_district.items())),
            ("territory", dict(batch.by_territory.items())),
            (NATION, {NATION: batch.nation}),
        ]
        for level, expected_totals in levels:
            live = area_totals(session, contest_id, round, level, entries)
            for area, want in expected_totals.items():
                have = live.get(area, LineTotals.empty(entries))
                found += _compare(f"{contest_id} r{round} {level} {area}", have, want)
    return found


def _compare(where: str, have: LineTotals, want: LineTotals) -> list[str]:
    fields = [*REQUIRED_LINES, *OPTIONAL_LINES, "protocols"]
    found = [
        f"{where}: {name} live {getattr(have, name)} batch {getattr(want, name)}"
        for name in fields
        if getattr(have, name) != getattr(want, name)
    ]
    for entry, votes in want.votes.items():
        if have.votes.get(entry, 0) != votes:
            found.append(f"{where}: votes.{entry} live {have.votes.get(entry, 0)} batch {votes}")
    return found
