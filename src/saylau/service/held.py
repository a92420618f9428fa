"""The election and the tables beside the protocols, held to the audit chain
(`integrity.problems` asks each of these in turn):

- the registry (territories, districts, stations, contests and their ballots: what the
  commissions are made of) against the digest `saylau load` recorded;
- the election's source and seed (where its laws and inputs are read) against its load,
  and its plausibility setting against the entry that kept it;
- the voters on each station's list (`station_voters`, what plausibility holds a protocol
  to) against the entry that wrote them, district by district;
- the results a round's close decided (`results`) against the digest the close recorded;
- `audit_pending`, `totals_pending` and `staging_stations`, which are empty between
  transactions.

Not held: the login limits (`login_limits`), which decide no result, only how soon a
password may be tried again; whoever can edit them can read the password hashes anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.service.audit import NOTHING, digest
from saylau.service.models import (
    AuditPending,
    ContestRow,
    DistrictRow,
    ElectionRow,
    EntryRow,
    ResultRow,
    StageRow,
    StagingStation,
    StationRow,
    StationVoters,
    TerritoryRow,
    TotalsPending,
    table_of,
)


class Entry(Protocol):
    """What verification read of an audit entry (`integrity.Recorded`)."""

    @property
    def seq(self) -> int: ...
    @property
    def action(self) -> str: ...
    @property
    def detail(self) -> str: ...
    @property
    def after_hash(self) -> str: ...


@lru_cache(maxsize=4096)
def _parsed_text(text: str) -> tuple[tuple[str, Any], ...]:
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(value.items()) if isinstance(value, dict) else ()


def parsed(text: str) -> dict[str, Any]:
    """A JSON object's fields (an entry's or a stage's detail); none if it is not one."""
    return dict(_parsed_text(text))


def parsed_detail(entry: Entry) -> dict[str, Any]:
    return parsed(entry.detail)


def registry_state(session: Session) -> dict[str, Any]:
    """What the registry digest covers: the election, territories, districts, stations,
    contests and their ballot entries, each in its key's order."""

    def rows(*columns: Any) -> list[list[Any]]:
        return [list(row) for row in session.execute(select(*columns).order_by(*columns))]

    return {
        "election": rows(ElectionRow.election_id, ElectionRow.name, ElectionRow.chambers),
        "territories": rows(TerritoryRow.territory_id, TerritoryRow.name),
        "districts": rows(DistrictRow.district_id, DistrictRow.name, DistrictRow.territory_id),
        "stations": rows(StationRow.station_id, StationRow.district_id, StationRow.territory_id),
        "contests": rows(
            ContestRow.contest_id,
            ContestRow.chamber,
            ContestRow.tier,
            ContestRow.district_id,
            ContestRow.territory_id,
            ContestRow.replaces,
            ContestRow.rounds,
            ContestRow.position,
        ),
        "entries": rows(
            EntryRow.contest_id,
            EntryRow.entry_id,
            EntryRow.name,
            EntryRow.nominator,
            EntryRow.position,
        ),
    }


def registry_digest(session: Session) -> str:
    return digest(registry_state(session))


def registry_problems(session: Session, entries: Iterable[Entry]) -> list[str]:
    loads = [e for e in entries if e.action == "election.load" and '"registry"' in e.detail]
    if not loads:
        return []
    entry = loads[-1]
    if parsed_detail(entry).get("registry") == registry_digest(session):
        return []
    return [
        f"registry: the territories, districts, stations or contests (the commissions and "
        f"their ballots) are not those entry {entry.seq} recorded when it was loaded (edited "
        "in the database)"
    ]


def election_problems(
    session: Session, entries: Sequence[Entry], last: Mapping[str, Entry]
) -> list[str]:
    """The election row's source and seed (where its laws and inputs are read) against the
    load that recorded them, and its plausibility setting against the entry that kept it."""
    row = session.get(ElectionRow, 1)
    if row is None:
        return []
    found = []
    loads = [e for e in entries if e.action == "election.load"]
    if loads:
        detail = parsed_detail(loads[-1])
        if (detail.get("source"), detail.get("seed")) != (row.source, row.seed):
            found.append(
                f"election: its source or seed ({row.source}, {row.seed}) is not what entry "
                f"{loads[-1].seq} recorded when it was loaded (edited in the database: the "
                "laws and inputs would be read from elsewhere)"
            )
    entry = last.get("election:plausibility")
    if entry is None and row.plausibility is not None:
        found.append(
            "election plausibility setting: no audit entry wrote it (edited in the database)"
        )
    elif entry is not None and entry.after_hash != (
        digest(row.plausibility) if row.plausibility else NOTHING
    ):
        found.append(
            f"election plausibility setting: not the one entry {entry.seq} recorded "
            f"(edited in the database): {row.plausibility}"
        )
    return found


def voters_rows(session: Session) -> list[dict[str, Any]]:
    """The voters on each station's list, as `saylau load --voters-file` records their
    digest: station by station, in order."""
    rows = session.execute(select(StationVoters.station_id, StationVoters.voters))
    return [{"station_id": s, "voters": int(n)} for s, n in sorted((str(s), n) for s, n in rows)]


def voters_by_district(session: Session, rows: list[dict[str, Any]]) -> dict[str, str]:
    """A short digest of each district's stations' voters (16 hex digits): what the entry
    that keeps them records beside the digest of all, so that a change is found district by
    district."""
    district = dict(session.execute(select(StationRow.station_id, StationRow.district_id)).all())
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(str(district.get(row["station_id"], "?")), []).append(row)
    return {name: digest(found)[:16] for name, found in sorted(grouped.items())}


def voters_problems(session: Session, last: Mapping[str, Entry]) -> list[str]:
    """`station_voters` (what plausibility holds each station's figures to) against the
    entry that wrote it."""
    entry = last.get("election:voters")
    count = session.scalar(select(func.count()).select_from(StationVoters)) or 0
    if entry is None:
        if not count:
            return []
        return [f"station_voters: {count:,} stations' voters, and no audit entry wrote them"]
    rows = voters_rows(session)
    if digest(rows) == entry.after_hash:
        return []
    said = parsed_detail(entry)
    where = ""
    recorded = said.get("districts")
    if isinstance(recorded, dict):
        held = voters_by_district(session, rows)
        differ = sorted(d for d in set(held) | set(recorded) if held.get(d) != recorded.get(d))
        more = f" and {len(differ) - 5} more" if len(differ) > 5 else ""
        where = f" in district {', '.join(differ[:5])}{more}" if differ else ""
    return [
        f"station_voters: not the voters on the lists entry {entry.seq} recorded{where} "
        f"(edited in the database): it holds {len(rows):,} stations and "
        f"{sum(r['voters'] for r in rows):,} voters; the entry recorded "
        f"{said.get('stations')} and {said.get('voters')}"
    ]


RESULTS = "results"
"""The key of a round's close detail that holds the digest of the results it decided."""


def result_rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Results (rows, or mappings of their columns) as a round's close records their
    digest: contest by contest, in order."""
    found = [
        {
            "contest_id": r["contest_id"],
            "round": int(r["round"]),
            "status": r["status"],
            "detail": r["detail"],
        }
        for r in (getattr(row, "_mapping", row) for row in rows)
    ]
    return sorted(found, key=lambda r: (r["contest_id"], r["round"]))


def result_problems(session: Session) -> list[str]:
    """Each round's results (`results`) against the digest its close recorded (the stage's
    detail, itself held to its entry): rows edited, deleted, or with no close."""
    stages = {
        row.id: (row.chamber, parsed(row.detail))
        for row in session.execute(
            select(StageRow.id, StageRow.chamber, StageRow.detail).where(
                StageRow.action == "close_round"
            )
        )
    }
    held: dict[int, list[Any]] = {}
    for row in session.execute(select(*table_of(ResultRow).c)):
        held.setdefault(row.stage_id, []).append(row)
    found = []
    for stage_id, rows in sorted(held.items()):
        recorded = stages.get(stage_id, (None, {}))[1].get(RESULTS)
        if recorded is None:
            names = ", ".join(sorted(f"{r.contest_id} round {r.round}" for r in rows)[:3])
            found.append(
                f"results of {names}: stage {stage_id} is no round's close that recorded them "
                "(inserted or moved in the database)"
            )
        elif digest(result_rows(rows)) != recorded:
            found.append(
                f"results of stage {stage_id} (a round's close): not the results it recorded "
                "(edited in the database)"
            )
    for stage_id, (chamber, detail) in sorted(stages.items()):
        recorded = detail.get(RESULTS)
        if stage_id in held or recorded is None or recorded == digest([]):
            continue
        later = any(
            other > stage_id and c == chamber and d.get("round") == detail.get("round")
            for other, (c, d) in stages.items()
        )
        if not later:
            found.append(
                f"results of stage {stage_id} (the close of round {detail.get('round')} of "
                f"{chamber}): deleted (no later close replaced them)"
            )
    return found


def pending_problems(session: Session) -> list[str]:
    """Entries and totals waiting outside any transaction: the triggers move every one at
    COMMIT, so a row left there was put in by hand."""
    found = []
    for model, what in ((AuditPending, "audit_pending"), (TotalsPending, "totals_pending")):
        count = session.scalar(select(func.count()).select_from(model)) or 0
        if count:
            found.append(
                f"{what}: {count:,} rows waiting outside any transaction (inserted in the "
                "database with the sealing trigger off)"
            )
    staged = session.scalar(select(func.count()).select_from(StagingStation)) or 0
    if staged:
        found.append(
            f"staging_stations: {staged:,} stations waiting outside `saylau load`, which "
            "empties it in its own transaction (inserted in the database)"
        )
    return found
