"""The typed totals of one contest and round, at each level, and their level tables.

A total sums the accepted protocols beneath it. The required lines and the votes are
always whole numbers (0 when nothing is counted). An optional line (`took_part_outside`,
`ballots_lost`, `ballots_unaccounted`, `valid`, `against_all`) is None when no accepted
protocol beneath it carries the line, "not on the form"; once one does, the protocols that
leave it out count as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Final, Literal, NewType

import pyarrow as pa

from saylau.protocol.lines import LINES, EntryId, Line, Protocol

DistrictId = NewType("DistrictId", str)
TerritoryId = NewType("TerritoryId", str)
Level = Literal["district", "territory", "nation"]

COUNTS: Final[tuple[str, ...]] = ("protocols", "rejected", "missing", "flagged")
"""The count columns of a level table, before the lines and the entries."""


def add_optional(left: int | None, right: int | None) -> int | None:
    """The sum of two optional line totals: None only when neither side carries the line."""
    if left is None and right is None:
        return None
    return (left or 0) + (right or 0)


@dataclass(frozen=True)
class LineTotals:
    """The sum of every line and every entry over the accepted protocols of one area.

    `protocols` counts the accepted protocols summed here, `rejected` the protocols that
    reported but were not accepted, `missing` the expected stations with no protocol, and
    `flagged` the accepted protocols (among `protocols`) kept for review.
    """

    registered: int = 0
    ballots_received: int = 0
    took_part: int = 0
    ballots_cancelled: int = 0
    ballots_found: int = 0
    invalid: int = 0
    took_part_outside: int | None = None
    ballots_lost: int | None = None
    ballots_unaccounted: int | None = None
    valid: int | None = None
    against_all: int | None = None
    votes: Mapping[EntryId, int] = field(default_factory=dict)
    protocols: int = 0
    rejected: int = 0
    missing: int = 0
    flagged: int = 0

    @classmethod
    def empty(
        cls, entries: Iterable[EntryId], *, rejected: int = 0, missing: int = 0
    ) -> LineTotals:
        """Totals of an area with no accepted protocol: every entry at 0."""
        return cls(votes=dict.fromkeys(entries, 0), rejected=rejected, missing=missing)

    @classmethod
    def of(cls, protocol: Protocol, entries: Sequence[EntryId]) -> LineTotals:
        """One accepted protocol as a total, with a vote count for every entry in `entries`."""
        return cls(
            registered=protocol.registered,
            ballots_received=protocol.ballots_received,
            took_part=protocol.took_part,
            ballots_cancelled=protocol.ballots_cancelled,
            ballots_found=protocol.ballots_found,
            invalid=protocol.invalid,
            took_part_outside=protocol.took_part_outside,
            ballots_lost=protocol.ballots_lost,
            ballots_unaccounted=protocol.ballots_unaccounted,
            valid=protocol.valid,
            against_all=protocol.against_all,
            votes={entry: protocol.votes.get(entry, 0) for entry in entries},
            protocols=1,
        )

    @property
    def counted_valid(self) -> int:
        """Ballots found valid as counted: the votes for every entry plus against all.

        Where the form records `valid` as a line of its own, the law's relations check the
        two agree; the bases of shares and majorities read this one.
        """
        return sum(self.votes.values()) + (self.against_all or 0)

    @property
    def list_votes(self) -> int:
        """The votes for the entries alone (lists or candidates), against all excluded."""
        return sum(self.votes.values())

    def base(self, name: str) -> int:
        """The base of a share a law names: took_part (ballots issued), ballots_found,
        valid (every valid ballot, against all included), or list_votes / candidate_votes
        (the votes for the entries alone)."""
        if name == "took_part":
            return self.took_part
        if name == "ballots_found":
            return self.ballots_found
        if name == "valid":
            return self.counted_valid
        if name in ("list_votes", "candidate_votes"):
            return self.list_votes
        raise ValueError(f"{name} is not a base of a share")

    @property
    def complete(self) -> bool:
        """Every expected protocol is in and accepted."""
        return self.rejected == 0 and self.missing == 0

    def line(self, name: Line) -> int | None:
        """The total of one line, or None when no protocol summed here carries it."""
        value: int | None = getattr(self, name)
        return value

    @property
    def lines(self) -> dict[Line, int | None]:
        """Every line's total, in the order of the form."""
        return {name: self.line(name) for name in LINES}

    def __add__(self, other: LineTotals) -> LineTotals:
        """The control relation: the total of two areas is the sum of their totals."""
        if not isinstance(other, LineTotals):
            return NotImplemented
        votes = dict(self.votes)
        for entry, count in other.votes.items():
            votes[entry] = votes.get(entry, 0) + count
        return LineTotals(
            registered=self.registered + other.registered,
            ballots_received=self.ballots_received + other.ballots_received,
            took_part=self.took_part + other.took_part,
            ballots_cancelled=self.ballots_cancelled + other.ballots_cancelled,
            ballots_found=self.ballots_found + other.ballots_found,
            invalid=self.invalid + other.invalid,
            took_part_outside=add_optional(self.took_part_outside, other.took_part_outside),
            ballots_lost=add_optional(self.ballots_lost, other.ballots_lost),
            ballots_unaccounted=add_optional(self.ballots_unaccounted, other.ballots_unaccounted),
            valid=add_optional(self.valid, other.valid),
            against_all=add_optional(self.against_all, other.against_all),
            votes=votes,
            protocols=self.protocols + other.protocols,
            rejected=self.rejected + other.rejected,
            missing=self.missing + other.missing,
            flagged=self.flagged + other.flagged,
        )


def sum_totals(totals: Iterable[LineTotals], entries: Iterable[EntryId]) -> LineTotals:
    """The sum of several areas' totals; the empty total (every entry at 0) when none."""
    result = LineTotals.empty(entries)
    for total in totals:
        result = result + total
    return result


@dataclass(frozen=True)
class ContestTotals:
    """The totals of one contest and round at every level above the station.

    The station level is the accepted rows of the protocol table themselves. Districts
    and territories are keyed by their ids, in sorted order; `territory_of` names the
    territory of each district. The level tables hold the same figures for bulk use.
    """

    contest_id: str
    round: int
    entries: tuple[EntryId, ...]
    nation: LineTotals
    by_territory: Mapping[TerritoryId, LineTotals]
    by_district: Mapping[DistrictId, LineTotals]
    territory_of: Mapping[DistrictId, TerritoryId]
    unplaced: int = 0
    """Rejected rows that name no expected station: counted as rejected at no level."""

    @classmethod
    def from_districts(
        cls,
        contest_id: str,
        round: int,
        entries: Sequence[EntryId],
        by_district: Mapping[DistrictId, LineTotals],
        territory_of: Mapping[DistrictId, TerritoryId],
        *,
        unplaced: int = 0,
    ) -> ContestTotals:
        """Sum district totals into territories, and territories into the nation."""
        districts = {district: by_district[district] for district in sorted(by_district)}
        members: dict[TerritoryId, list[LineTotals]] = {}
        for district, total in districts.items():
            members.setdefault(territory_of[district], []).append(total)
        territories = {
            territory: sum_totals(members[territory], entries) for territory in sorted(members)
        }
        return cls(
            contest_id=contest_id,
            round=round,
            entries=tuple(entries),
            nation=sum_totals(territories.values(), entries),
            by_territory=territories,
            by_district=districts,
            territory_of={district: territory_of[district] for district in districts},
            unplaced=unplaced,
        )

    @cached_property
    def district_table(self) -> pa.Table:
        """One row per district: district_id, territory_id, the counts, lines and entries."""
        ids = list(self.by_district)
        keys = {
            "district_id": pa.array(ids, pa.string()),
            "territory_id": pa.array([self.territory_of[d] for d in ids], pa.string()),
        }
        return _level_table(keys, list(self.by_district.values()), self.entries)

    @cached_property
    def territory_table(self) -> pa.Table:
        """One row per territory: territory_id, the counts, lines and entries."""
        keys = {"territory_id": pa.array(list(self.by_territory), pa.string())}
        return _level_table(keys, list(self.by_territory.values()), self.entries)

    @cached_property
    def nation_table(self) -> pa.Table:
        """One row: the counts, lines and entries of the whole contest."""
        return _level_table({}, [self.nation], self.entries)

    def table(self, level: Level) -> pa.Table:
        """The level table of `district`, `territory` or `nation`."""
        if level == "district":
            return self.district_table
        if level == "territory":
            return self.territory_table
        return self.nation_table


def _level_table(
    keys: Mapping[str, pa.Array], totals: Sequence[LineTotals], entries: Sequence[EntryId]
) -> pa.Table:
    columns: dict[str, pa.Array] = dict(keys)
    for name in COUNTS:
        columns[name] = _whole_column([getattr(total, name) for total in totals])
    for line in LINES:
        columns[line] = _whole_column([total.line(line) for total in totals])
    for entry in entries:
        columns[entry] = _whole_column([total.votes[entry] for total in totals])
    return pa.table(columns)


def _whole_column(values: list[int | None]) -> pa.Array:
    """int64, or 38-digit decimals where a total passes int64: never wrapped."""
    if all(v is None or -(2**63) <= v < 2**63 for v in values):
        return pa.array(values, pa.int64())
    return pa.array([None if v is None else Decimal(v) for v in values], pa.decimal128(38, 0))


__all__ = [
    "COUNTS",
    "ContestTotals",
    "DistrictId",
    "Level",
    "LineTotals",
    "TerritoryId",
    "add_optional",
    "sum_totals",
]
