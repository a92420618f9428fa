"""An election's registry: its chambers and everything on the ballots, with lookups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pyarrow as pa

from saylau.registry.model import (
    Candidate,
    Commission,
    Contest,
    District,
    ListCandidate,
    Party,
    Station,
    Territory,
)


@dataclass(frozen=True)
class Chamber:
    """A chamber elected here, and the law file (bundled name or path) that governs it.

    `applied_law` records a counterfactual run: the law applied in place of `law`.
    """

    chamber_id: str
    name: str
    law: str
    applied_law: str | None = None


@dataclass(frozen=True)
class Election:
    """Everything registered before voting: who stands where, and where people vote."""

    election_id: str
    name: str
    chambers: tuple[Chamber, ...]
    parties: tuple[Party, ...] = ()
    lists: tuple[ListCandidate, ...] = ()
    territories: tuple[Territory, ...] = ()
    districts: tuple[District, ...] = ()
    stations: tuple[Station, ...] = ()
    contests: tuple[Contest, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    dates: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def party_by_id(self) -> Mapping[str, Party]:
        return {p.party_id: p for p in self.parties}

    @cached_property
    def contest_by_id(self) -> Mapping[str, Contest]:
        return {c.contest_id: c for c in self.contests}

    @cached_property
    def candidate_by_id(self) -> Mapping[str, Candidate]:
        return {c.candidate_id: c for c in self.candidates}

    @cached_property
    def district_by_id(self) -> Mapping[str, District]:
        return {d.district_id: d for d in self.districts}

    @cached_property
    def territory_by_id(self) -> Mapping[str, Territory]:
        return {t.territory_id: t for t in self.territories}

    @cached_property
    def stations_table(self) -> pa.Table:
        """The stations as a table (station_id, district_id, territory_id) to group by."""
        return _stations_table(self.stations)

    @cached_property
    def _district_tables(self) -> Mapping[str, pa.Table]:
        found: dict[str, list[Station]] = {}
        for station in self.stations:
            found.setdefault(station.district_id, []).append(station)
        return {district: _stations_table(stations) for district, stations in found.items()}

    def stations_table_for(self, contest: Contest) -> pa.Table:
        """The stations of a contest's area as a table: all of them for a list."""
        if contest.district_id is None:
            return self.stations_table
        return self._district_tables.get(contest.district_id, _stations_table(()))

    def contests_of(self, chamber: str, *tiers: str) -> tuple[Contest, ...]:
        """The chamber's contests of the given tiers, in registry order."""
        return tuple(
            c for c in self.contests if c.chamber == chamber and (not tiers or c.tier in tiers)
        )

    @cached_property
    def candidates_by_contest(self) -> Mapping[str, tuple[Candidate, ...]]:
        found: dict[str, list[Candidate]] = {}
        for candidate in self.candidates:
            found.setdefault(candidate.contest_id, []).append(candidate)
        return {contest: tuple(people) for contest, people in found.items()}

    def candidates_in(self, contest_id: str) -> tuple[Candidate, ...]:
        """A contest's candidates, in registry order."""
        return self.candidates_by_contest.get(contest_id, ())

    def list_of(self, party_id: str) -> tuple[ListCandidate, ...]:
        """A party's list in rank order."""
        return tuple(sorted((c for c in self.lists if c.party_id == party_id), key=_rank))

    def commissions(self) -> tuple[Commission, ...]:
        """Central, territorial, district and precinct commissions, each with its parent."""
        central = Commission("cec", "central", "nation", None)
        found: list[Commission] = [central]
        found += [
            Commission(f"tec-{t.territory_id}", "territorial", t.territory_id, "cec")
            for t in self.territories
        ]
        found += [
            Commission(f"dec-{d.district_id}", "district", d.district_id, f"tec-{d.territory_id}")
            for d in self.districts
        ]
        found += [
            Commission(f"pec-{s.station_id}", "precinct", s.station_id, f"dec-{s.district_id}")
            for s in self.stations
        ]
        return tuple(found)


def _stations_table(stations: Sequence[Station]) -> pa.Table:
    columns = {
        "station_id": [s.station_id for s in stations],
        "district_id": [s.district_id for s in stations],
        "territory_id": [s.territory_id for s in stations],
    }
    return pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})


def _rank(candidate: ListCandidate) -> int:
    return candidate.rank
