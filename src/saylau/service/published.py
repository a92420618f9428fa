"""Published results at every level, as JSON-ready objects: what the API serves to the
public and the snapshots hold. Figures are integers; the decisions are the core's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.exports.results_json import chamber_to_dict
from saylau.service.election import chambers, election_row, entries_of
from saylau.service.errors import NotFound
from saylau.service.live import NATION, area_totals
from saylau.service.models import (
    AuditHead,
    ContestRow,
    DistrictRow,
    ProtocolRow,
    StationRow,
    TerritoryRow,
    TotalRow,
)
from saylau.service.outcome import current, district_status, public
from saylau.service.protocols import parse
from saylau.service.reported import counts
from saylau.service.standing import NOTHING, Reporting
from saylau.service.verification import last_verification
from saylau.tabulate.totals import LineTotals


def totals_dict(totals: LineTotals) -> dict[str, Any]:
    found = asdict(totals)
    found["votes"] = dict(totals.votes)
    for name in ("rejected", "missing", "flagged"):
        found.pop(name)
    return found


def _keys(session: Session) -> list[tuple[str, int]]:
    """The (contest, round) pairs with counted totals, in registry order."""
    rows = session.execute(
        select(TotalRow.contest_id, TotalRow.round, ContestRow.position)
        .join(ContestRow, ContestRow.contest_id == TotalRow.contest_id)
        .where(TotalRow.level == "district")
        .distinct()
    )
    return [(c, r) for c, r, _ in sorted(rows, key=lambda row: (row[2], row[1]))]


def _level(
    session: Session, level: str, area: str, contests: list[tuple[str, int]]
) -> list[dict[str, Any]]:
    found = []
    for contest_id, round in contests:
        entries = [e.entry_id for e in entries_of(session, contest_id)]
        totals = area_totals(session, contest_id, round, level, entries).get(area)
        if totals is not None:
            found.append({"contest_id": contest_id, "round": round, "totals": totals_dict(totals)})
    return found


def seq(session: Session) -> int:
    head = session.get(AuditHead, 1)
    return head.seq if head is not None else 0


def nation_totals(session: Session) -> list[dict[str, Any]]:
    """The live national totals of every contest and round that has counted a protocol."""
    return _level(session, NATION, NATION, _keys(session))


def national(session: Session, url: str) -> dict[str, Any]:
    """The nation: each chamber's decided result as the count stands (none while a stage
    cannot be decided: `problem` says why), every district's standing as the public pages
    show it, what the count waits for (`waits`), and the live totals."""
    row = election_row(session)
    outcome = current(session, url)
    result = outcome.result
    found: dict[str, Any] = {
        "election": {"id": row.election_id, "name": row.name},
        "seq": outcome.seq,
        "problem": outcome.problem,
        "chambers": [],
        "contests": nation_totals(session),
        "protocols_by_territory": protocols_by_territory(session),
        "audit": last_verification(session),
    }
    reporting = reporting_in(session)
    provisional = public(session, url)
    found["waits"] = [
        {"kind": w.kind, "district_ids": list(w.district_ids), "names": list(w.names)}
        for w in provisional.waits
    ]
    for chamber in chambers(session):
        entry: dict[str, Any] = {"chamber_id": chamber["chamber_id"], "name": chamber["name"]}
        if result is not None:
            decided = next(
                (c for c in result.chambers if c.chamber_id == chamber["chamber_id"]), None
            )
            if decided is not None:
                entry["result"] = chamber_to_dict(decided)
        entry["districts"] = district_status(provisional.result, chamber["chamber_id"], reporting)
        found["chambers"].append(entry)
    return found


def reporting_in(session: Session) -> Callable[[str, int], Reporting]:
    """How many stations of a district contest's district have a counted protocol of a
    round (none for a contest of no district): until all do, its decision is only who
    leads."""
    reported = counts(session)
    district_of = dict(session.execute(select(ContestRow.contest_id, ContestRow.district_id)).all())

    def reporting(contest: str, round: int) -> Reporting:
        district = district_of.get(contest)
        return NOTHING if district is None else reported.reporting((contest, round), district)

    return reporting


def protocols_by_territory(session: Session) -> list[dict[str, Any]]:
    """Per territory: stations, and how many of them have a counted protocol (of any
    contest or round: a station counts once, so never more than the stations)."""
    stations = dict(
        session.execute(
            select(StationRow.territory_id, func.count()).group_by(StationRow.territory_id)
        ).all()
    )
    counted = dict(
        session.execute(
            select(StationRow.territory_id, func.count(func.distinct(StationRow.station_id)))
            .join(ProtocolRow, ProtocolRow.station_id == StationRow.station_id)
            .where(ProtocolRow.counted)
            .group_by(StationRow.territory_id)
        ).all()
    )
    names = dict(session.execute(select(TerritoryRow.territory_id, TerritoryRow.name)).all())
    return [
        {
            "territory_id": t,
            "name": names.get(t, t),
            "stations": int(n),
            "counted": int(counted.get(t, 0)),
        }
        for t, n in sorted(stations.items())
    ]


def territory(session: Session, territory_id: str) -> dict[str, Any]:
    row = session.get(TerritoryRow, territory_id)
    if row is None:
        raise NotFound(f"territory {territory_id} is not in the registry")
    districts = list(
        session.scalars(
            select(DistrictRow.district_id).where(DistrictRow.territory_id == territory_id)
        )
    )
    return {
        "territory_id": territory_id,
        "name": row.name,
        "seq": seq(session),
        "districts": sorted(districts),
        "contests": _level(session, "territory", territory_id, _keys(session)),
    }


def district(session: Session, district_id: str, url: str) -> dict[str, Any]:
    row = session.get(DistrictRow, district_id)
    if row is None:
        raise NotFound(f"district {district_id} is not in the registry")
    outcome = public(session, url)
    status: dict[str, str] = {}
    reporting = reporting_in(session)
    for chamber in chambers(session):
        status.update(district_status(outcome.result, chamber["chamber_id"], reporting))
    contests = list(
        session.scalars(select(ContestRow).where(ContestRow.district_id == district_id))
    )
    return {
        "district_id": district_id,
        "name": row.name,
        "territory_id": row.territory_id,
        "seq": outcome.seq,
        "status": {c.contest_id: status.get(c.contest_id, "counting") for c in contests},
        "entries": {
            c.contest_id: [
                {"entry_id": e.entry_id, "name": e.name, "nominator": e.nominator}
                for e in entries_of(session, c.contest_id)
            ]
            for c in contests
        },
        "contests": _level(session, "district", district_id, _keys(session)),
    }


def station(session: Session, station_id: str) -> dict[str, Any]:
    row = session.get(StationRow, station_id)
    if row is None:
        raise NotFound(f"station {station_id} is not in the registry")
    counted = session.scalars(
        select(ProtocolRow)
        .where(ProtocolRow.station_id == station_id, ProtocolRow.counted)
        .order_by(ProtocolRow.contest_id, ProtocolRow.round)
    )
    return {
        "station_id": station_id,
        "district_id": row.district_id,
        "territory_id": row.territory_id,
        "seq": seq(session),
        "protocols": [
            {
                "contest_id": p.contest_id,
                "round": p.round,
                "version": p.version,
                "values": parse(p.data),
            }
            for p in counted
        ],
    }
