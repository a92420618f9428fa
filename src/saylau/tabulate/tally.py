"""Live totals: one contest's totals, kept current as protocols arrive one at a time.

A `Tally` holds the latest version of each station's protocol, accepted or rejected; a
newer version (a correction) replaces the older one. `Tally.totals()` equals `tabulate`
of a protocol table holding those latest versions, with the same registry and expectation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from saylau.errors import InputError
from saylau.protocol.lines import OPTIONAL_LINES, REQUIRED_LINES, EntryId, Protocol, StationId
from saylau.tabulate.totals import ContestTotals, DistrictId, LineTotals, TerritoryId


@dataclass
class _Running:
    """The running sums of one district, which can also take a protocol back out."""

    entries: Sequence[EntryId]
    sums: Counter[str] = field(default_factory=Counter)
    carriers: Counter[str] = field(default_factory=Counter)
    votes: Counter[EntryId] = field(default_factory=Counter)
    protocols: int = 0
    rejected: int = 0
    reported: int = 0

    def count(self, protocol: Protocol, sign: int) -> None:
        """Add (sign 1) or take back (sign -1) one accepted protocol."""
        self.protocols += sign
        for line in REQUIRED_LINES:
            self.sums[line] += sign * _line(protocol, line)
        for line in OPTIONAL_LINES:
            value = protocol.line(line)
            if value is not None:
                self.sums[line] += sign * value
                self.carriers[line] += sign
        for entry, votes in protocol.votes.items():
            self.votes[entry] += sign * votes

    def total(self, missing: int) -> LineTotals:
        """These sums as a district total."""
        optional = {
            line: self.sums[line] if self.carriers[line] else None for line in OPTIONAL_LINES
        }
        return LineTotals(
            registered=self.sums["registered"],
            ballots_received=self.sums["ballots_received"],
            took_part=self.sums["took_part"],
            ballots_cancelled=self.sums["ballots_cancelled"],
            ballots_found=self.sums["ballots_found"],
            invalid=self.sums["invalid"],
            took_part_outside=optional["took_part_outside"],
            ballots_lost=optional["ballots_lost"],
            ballots_unaccounted=optional["ballots_unaccounted"],
            valid=optional["valid"],
            against_all=optional["against_all"],
            votes={entry: self.votes[entry] for entry in self.entries},
            protocols=self.protocols,
            rejected=self.rejected,
            missing=missing,
        )


def _line(protocol: Protocol, line: str) -> int:
    value: int = getattr(protocol, line)
    return value


class Tally:
    """The totals of one contest and round, updated one protocol at a time.

    `stations` is the registry (station_id, district_id, territory_id); `entries` the
    ballot's entries in order; `expected` the stations that should report, by default
    every registry station of each district that has reported (as in `tabulate`).
    """

    def __init__(
        self,
        stations: pa.Table,
        *,
        contest_id: str,
        round: int,
        entries: Sequence[EntryId],
        expected: Collection[StationId] | None = None,
    ) -> None:
        self.contest_id = contest_id
        self.round = round
        self.entries = tuple(entries)
        ids: list[StationId] = stations.column("station_id").to_pylist()
        districts: list[DistrictId] = stations.column("district_id").to_pylist()
        territories: list[TerritoryId] = stations.column("territory_id").to_pylist()
        self._district_of = dict(zip(ids, districts, strict=True))
        self._territories: dict[DistrictId, set[TerritoryId]] = {}
        for district, territory in zip(districts, territories, strict=True):
            self._territories.setdefault(district, set()).add(territory)
        self._expected: frozenset[StationId] | None = None
        if expected is None:
            self._expected_count = Counter(districts)
        else:
            self._expected = frozenset(expected)
            for station in sorted(self._expected):
                if station not in self._district_of:
                    raise InputError(f"expected station {station} is not in the registry")
            self._expected_count = Counter(self._district_of[s] for s in self._expected)
        self._held: dict[StationId, tuple[Protocol, bool]] = {}
        self._unplaced: dict[StationId, int] = {}
        self._running: dict[DistrictId, _Running] = {}

    def add(self, protocol: Protocol) -> None:
        """Count an accepted protocol, replacing an older version of the same station."""
        self._record(protocol, accepted=True)

    def reject(self, protocol: Protocol) -> None:
        """Note a rejected protocol, replacing an older version of the same station."""
        self._record(protocol, accepted=False)

    def totals(self) -> ContestTotals:
        """The current totals at every level, as `tabulate` would give them."""
        districts = self._running if self._expected is None else self._expected_count
        by_district: dict[DistrictId, LineTotals] = {}
        territory_of: dict[DistrictId, TerritoryId] = {}
        for district in districts:
            territory_of[district] = self._territory(district)
            running = self._running.get(district) or _Running(self.entries)
            missing = self._expected_count[district] - running.reported
            by_district[district] = running.total(missing)
        return ContestTotals.from_districts(
            self.contest_id,
            self.round,
            self.entries,
            by_district,
            territory_of,
            unplaced=len(self._unplaced),
        )

    def _record(self, protocol: Protocol, *, accepted: bool) -> None:
        station = protocol.station_id
        if (protocol.contest_id, protocol.round) != (self.contest_id, self.round):
            raise InputError(
                f"station {station}: protocol of contest {protocol.contest_id} round "
                f"{protocol.round}, not {self.contest_id} round {self.round}"
            )
        placed = station in self._district_of and (
            self._expected is None or station in self._expected
        )
        if not placed:
            if accepted:
                raise InputError(
                    f"station {station}: accepted protocol of a station that is not an "
                    "expected station of the registry"
                )
            self._check_newer(protocol, self._unplaced.get(station))
            self._unplaced[station] = protocol.version
            return
        if accepted:
            unknown = sorted(set(protocol.votes) - set(self.entries))
            if unknown:
                raise InputError(f"station {station}: votes for {unknown[0]}, not on the ballot")
        held = self._held.get(station)
        self._check_newer(protocol, held[0].version if held else None)
        running = self._running.setdefault(self._district_of[station], _Running(self.entries))
        if held is None:
            running.reported += 1
        elif held[1]:
            running.count(held[0], -1)
        else:
            running.rejected -= 1
        if accepted:
            running.count(protocol, 1)
        else:
            running.rejected += 1
        self._held[station] = (protocol, accepted)

    def _check_newer(self, protocol: Protocol, version: int | None) -> None:
        if version is not None and protocol.version <= version:
            raise InputError(
                f"station {protocol.station_id}: version {protocol.version} "
                f"does not replace version {version}"
            )

    def _territory(self, district: DistrictId) -> TerritoryId:
        found = sorted(self._territories[district])
        if len(found) > 1:
            raise InputError(
                f"registry: district {district} lies in territories {found[0]} and {found[1]}"
            )
        return found[0]


__all__ = ["Tally"]
