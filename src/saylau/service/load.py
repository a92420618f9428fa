"""`saylau load`: an election's registry into the database, in one commit.

The stations pass through a staging table: they are written there, checked (every
district and territory known, no station twice), then moved into the registry in the same
transaction, so an interrupted or refused load leaves the database as it was. A database
serves one election: loading the one it holds again changes nothing; another is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from saylau.errors import InputError
from saylau.service import audit
from saylau.service.db import canonical, now
from saylau.service.election import Loaded, read_source, source_of
from saylau.service.held import registry_digest, voters_by_district
from saylau.service.models import (
    ContestRow,
    DistrictRow,
    ElectionRow,
    EntryRow,
    StagingStation,
    StationRow,
    StationVoters,
    TerritoryRow,
)
from saylau.service.plausible import Plausibility, voters_problems

BATCH = 5_000


@dataclass(frozen=True)
class LoadReport:
    election_id: str
    name: str
    stations: int
    contests: int
    already: bool = False


def load_election(
    session: Session,
    source: str,
    seed: int | None = None,
    plausibility: Plausibility | None = None,
    voters: Mapping[str, int] | None = None,
) -> LoadReport:
    """Load `source` (a named election or an election directory) as the served election;
    with `plausibility`, keep that setting, and with `voters` each station's voters on the
    list (also for an election loaded already)."""
    text, _ = source_of(source)
    held = session.get(ElectionRow, 1)
    if held is not None:
        if (held.source, held.seed) == (text, seed):
            if plausibility is not None and plausibility.text() != held.plausibility:
                _keep(session, held, plausibility)
            if voters is not None:
                _keep_voters(session, voters)
            stations = session.scalar(select(func.count()).select_from(StationRow)) or 0
            contests = session.scalar(select(func.count()).select_from(ContestRow)) or 0
            return LoadReport(held.election_id, held.name, stations, contests, already=True)
        raise InputError(
            f"the database holds election {held.election_id} (from {held.source}) already; "
            "use another database (SAYLAU_DATABASE_URL) for another election"
        )
    election = read_source(text, seed)
    registry = election.inputs.election
    session.add(
        ElectionRow(
            id=1,
            election_id=registry.election_id,
            name=registry.name,
            source=text,
            seed=seed,
            chambers=canonical(
                [
                    {"chamber_id": c.chamber_id, "name": c.name, "law": c.law}
                    for c in registry.chambers
                ]
            ),
            loaded_at=now(),
        )
    )
    session.add_all(
        TerritoryRow(territory_id=t.territory_id, name=t.name) for t in registry.territories
    )
    session.flush()
    session.add_all(
        DistrictRow(district_id=d.district_id, name=d.name, territory_id=d.territory_id)
        for d in registry.districts
    )
    session.flush()
    stations = _stage_stations(session, election)
    contests = _contests(session, election)
    summary = {
        "source": text,
        "seed": seed,
        "election_id": registry.election_id,
        "stations": stations,
        "contests": contests,
        "registry": registry_digest(session),  # what the commissions are made of
    }
    audit.append(
        session,
        actor="cli",
        action="election.load",
        target="election",
        detail=summary,
        after=audit.digest(summary),
    )
    if plausibility is not None:
        _keep(session, session.get_one(ElectionRow, 1), plausibility)
    if voters is not None:
        _keep_voters(session, voters)
    return LoadReport(registry.election_id, registry.name, stations, contests)


def _keep_voters(session: Session, voters: Mapping[str, int]) -> None:
    """Each station's voters on the list, in place of those kept before, audited."""
    known = set(session.scalars(select(StationRow.station_id)))
    problems = voters_problems(voters, known)
    if problems:
        more = f" (and {len(problems) - 1:,} more)" if len(problems) > 1 else ""
        raise InputError(f"the registry of voters: {problems[0]}{more}")
    session.execute(delete(StationVoters))
    rows = [{"station_id": s, "voters": n} for s, n in sorted(voters.items())]
    for start in range(0, len(rows), BATCH):
        session.execute(insert(StationVoters), rows[start : start + BATCH])
    summary = {
        "stations": len(rows),
        "voters": sum(voters.values()),
        "districts": voters_by_district(session, rows),  # where a change lies
    }
    audit.append(
        session,
        actor="cli",
        action="election.voters",
        target="election:voters",
        detail=summary,
        after=audit.digest(rows),
    )


def _keep(session: Session, row: ElectionRow, plausibility: Plausibility) -> None:
    """Keep the election's plausibility setting, audited (a server reads it at start)."""
    before = row.plausibility
    row.plausibility = plausibility.text()
    session.flush()
    audit.append(
        session,
        actor="cli",
        action="election.plausibility",
        target="election:plausibility",
        detail={
            "station_voters": plausibility.station_voters,
            "margin": plausibility.margin,
            "severity": plausibility.severity,
        },
        before=audit.digest(before) if before else audit.NOTHING,
        after=audit.digest(row.plausibility),
    )


def _stage_stations(session: Session, election: Loaded) -> int:
    """Stations into staging, checked there, then into the registry; how many."""
    table = election.inputs.election.stations_table
    session.execute(delete(StagingStation))
    for batch in table.to_batches(BATCH):
        session.execute(insert(StagingStation), batch.to_pylist())
    for place, column, known in (
        ("district", StagingStation.district_id, select(DistrictRow.district_id)),
        ("territory", StagingStation.territory_id, select(TerritoryRow.territory_id)),
    ):
        stray = session.scalar(
            select(StagingStation.station_id).where(column.not_in(known)).limit(1)
        )
        if stray is not None:
            raise InputError(f"station {stray}: its {place} is not in the registry")
    session.execute(
        insert(StationRow).from_select(
            ["station_id", "district_id", "territory_id"],
            select(
                StagingStation.station_id, StagingStation.district_id, StagingStation.territory_id
            ),
        )
    )
    session.execute(delete(StagingStation))
    return int(table.num_rows)


def _contests(session: Session, election: Loaded) -> int:
    registry = election.inputs.election
    listed = {entry.party_id for entry in registry.lists}
    for position, contest in enumerate(registry.contests):
        session.add(
            ContestRow(
                contest_id=contest.contest_id,
                chamber=contest.chamber,
                tier=contest.tier,
                district_id=contest.district_id,
                territory_id=contest.territory_id,
                replaces=contest.replaces,
                rounds=election.rounds(contest),
                position=position,
            )
        )
    session.flush()
    for contest in registry.contests:
        if contest.tier == "list":  # (entry, name, nominator) in ballot order
            entries = [(p.party_id, p.name, p.party_id) for p in registry.parties]
            entries = [entry for entry in entries if entry[0] in listed]
        else:
            candidates = registry.candidates_in(contest.contest_id)
            entries = [(c.candidate_id, c.name, c.nominator) for c in candidates]
        session.add_all(
            EntryRow(
                contest_id=contest.contest_id,
                entry_id=entry_id,
                name=name,
                nominator=nominator,
                position=i,
            )
            for i, (entry_id, name, nominator) in enumerate(entries)
        )
    return len(registry.contests)


def commissions(session: Session) -> set[str]:
    """The territorial and district commissions of the served election."""
    territories = session.scalars(select(TerritoryRow.territory_id))
    districts = session.scalars(select(DistrictRow.district_id))
    return {f"tec-{t}" for t in territories} | {f"dec-{d}" for d in districts}
