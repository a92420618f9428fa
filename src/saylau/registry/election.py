"""An election's registry: its chambers and everything on the ballots, with lookups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import pyarrow as pa

from saylau.registry.model import (
    Candidate,
    Commission,
    Contest,
    District,
    ListCandidate,
    Named,
    Names,
    Party,
    Territory,
)
from saylau.registry.stations import by_district, station_table


@dataclass(frozen=True)
class Chamber(Named):
    """A chamber elected here, and the law file (bundled name or path) that governs it.

    `applied_law` records a counterfactual run: the law applied in place of `law`; `names`
    its name in other languages.
    """

    chamber_id: str
    name: str
    law: str
    applied_law: str | None = None
    names: Names = ()


@dataclass(frozen=True)
class Election(Named):
    """Everything registered before voting: who stands where, and where people vote;
    `names`, the election's name in other languages."""

    election_id: str
    name: str
    chambers: tuple[Chamber, ...]
    parties: tuple[Party, ...] = ()
    lists: tuple[ListCandidate, ...] = ()
    territories: tuple[Territory, ...] = ()
    districts: tuple[District, ...] = ()
    stations: pa.Table = field(default_factory=station_table)
    """The polling stations (saylau.registry.stations): a table, never a Python object each."""
    contests: tuple[Contest, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    dates: Mapping[str, str] = field(default_factory=dict)
    names: Names = ()

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

    @property
    def stations_table(self) -> pa.Table:
        """The stations (station_id, district_id, territory_id): `stations` itself."""
        return self.stations

    @cached_property
    def _district_tables(self) -> Mapping[str, pa.Table]:
        return by_district(self.stations)

    def stations_table_for(self, contest: Contest) -> pa.Table:
        """The stations of a contest's area as a table: all of them for a list."""
        if contest.district_id is None:
            return self.stations
        return self._district_tables.get(contest.district_id, station_table())

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

    @property
    def commission_count(self) -> int:
        """How many commissions: the central one, one per territory, district and station."""
        return 1 + len(self.territories) + len(self.districts) + int(self.stations.num_rows)

    def commissions(self) -> tuple[Commission, ...]:
        """Central, territorial, district and precinct commissions, each with its parent
        (one object per station: for small elections and tests; counts use
        `commission_count`)."""
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
        ids = self.stations.column("station_id").to_pylist()
        districts = self.stations.column("district_id").to_pylist()
        found += [
            Commission(f"pec-{s}", "precinct", s, f"dec-{d}")
            for s, d in zip(ids, districts, strict=True)
        ]
        return tuple(found)


def _rank(candidate: ListCandidate) -> int:
    return candidate.rank


def in_language(election: Election, language: str) -> Election:
    """The registry with each chamber, party, candidate, territory and district named in
    `language` where the data give a name in it (`name_in`), else as it is; itself when none
    does."""
    named = (*election.parties, *election.candidates, *election.territories, *election.districts)
    if not any(language in dict(v.names) for v in (*named, *election.chambers, election)):
        return election
    return replace(
        election,
        name=election.name_in(language),
        chambers=tuple(replace(c, name=c.name_in(language)) for c in election.chambers),
        parties=tuple(replace(p, name=p.name_in(language)) for p in election.parties),
        candidates=tuple(replace(c, name=c.name_in(language)) for c in election.candidates),
        territories=tuple(replace(t, name=t.name_in(language)) for t in election.territories),
        districts=tuple(replace(d, name=d.name_in(language)) for d in election.districts),
    )
