"""Every row that decides a result, held to the audit chain.

The chain's entries record the state of what they wrote; here the database's rows are read
against them:
- the live totals, recomputed from the accepted protocols (each item that differs named);
- every protocol version against the after-hash of the last entry that names it;
- every entry copy (the independent keyings) against the copies its protocol's entries
  recorded;
- every user (name, role, commission, active) against its last entry;
- every session against the login that opened it (and the logout that closed it);
- the registry (territories, districts, stations, contests and their ballots: what the
  commissions are made of) against the digest `saylau load` recorded;
- every stage decision against the entry that recorded it, and the results a round's close
  decided (`results`) against the digest its decision recorded;
- the election's plausibility setting, its source and seed (which laws and inputs it is
  read from), and the voters on each station's list (`station_voters`) against the entries
  that wrote them;
- `audit_pending`, `totals_pending` and `staging_stations`, which are empty between
  transactions.

Not held: the login limits (`login_limits`), which decide no result, only how soon a
password may be tried again; whoever can edit them can read the password hashes anyway.

A row with no entry, an entry whose row is gone, and a row that is not the state its entry
recorded are each named.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.service.audit import NOTHING, copy_digest, digest, session_digest, state_hash
from saylau.service.db import now
from saylau.service.live import items
from saylau.service.models import (
    AuditPending,
    ContestRow,
    DistrictRow,
    ElectionRow,
    EntryCopy,
    EntryRow,
    ProtocolRow,
    ResultRow,
    SessionRow,
    StageRow,
    StagingStation,
    StationRow,
    StationVoters,
    TerritoryRow,
    TotalRow,
    TotalsPending,
    UserRow,
    table_of,
)

T = TypeVar("T")
LEVELS = {"nation": 0, "territory": 1, "district": 2}

_MEMO: dict[tuple[Any, ...], Any] = {}
MEMO_LIMIT = 2_000_000


def _memo(key: tuple[Any, ...], make: Callable[[Any], T], value: Any) -> T:
    """`make(value)`, kept for the same `key` (a row's every column, or a text): a row read again
    unchanged is not hashed or parsed again, so a verification that reads every row costs
    little more than the reading. A row that changed is a new key, so nothing is trusted."""
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) >= MEMO_LIMIT:
            _MEMO.clear()
        found = _MEMO[key] = make(value)
    return cast(T, found)


@dataclass(frozen=True)
class Recorded:
    """What an entry says of a row: its seq, target, action, after-hash, detail and the
    before-hash (the state it found the row in)."""

    seq: int
    target: str
    action: str
    after_hash: str
    detail: str
    before_hash: str = NOTHING


HELD = ("protocol:", "user:", "stage:")
"""The targets whose every entry records the state it found: each must be the state the
one before left."""


def problems(session: Session, entries: Sequence[Recorded]) -> list[str]:
    """Everything that differs between the rows and what the chain recorded of them."""
    last: dict[str, Recorded] = {}
    found = []
    for entry in entries:
        before = last.get(entry.target)
        if entry.target.startswith(HELD) and entry.before_hash != (
            NOTHING if before is None else before.after_hash
        ):
            found.append(_changed_between(entry, before))
        last[entry.target] = entry
    found += _protocol_problems(session, last)
    found += _copy_problems(session, entries)
    found += _user_problems(session, last)
    found += _stage_problems(session, last)
    found += _session_problems(session, entries)
    found += _registry_problems(session, entries)
    found += _election_problems(session, entries, last)
    found += _voters_problems(session, last)
    found += _result_problems(session)
    found += _pending_problems(session)
    return found + totals_problems(session)


def _changed_between(entry: Recorded, before: Recorded | None) -> str:
    """A row an entry found in a state no entry left it in: changed behind the chain's back
    before the application wrote it again (and recorded the change as if it were its own)."""
    kind, _, key = entry.target.partition(":")
    since = "no entry made it" if before is None else f"entry {before.seq} recorded it"
    return (
        f"{kind} {key}: entry {entry.seq} ({entry.action}) found it changed since {since} "
        "(changed in the database in between)"
    )


def _detail(entry: Recorded) -> dict[str, Any]:
    return _memo(("detail", entry.detail), _parsed, entry.detail)


def _parsed(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def totals_problems(session: Session) -> list[str]:
    """The live totals against a recount of the accepted protocols: each item that differs,
    the nation's first."""
    stations = select(StationRow.station_id, StationRow.district_id, StationRow.territory_id)
    places = tuple(tuple(row) for row in session.connection().execute(stations))
    counted = select(
        ProtocolRow.contest_id, ProtocolRow.round, ProtocolRow.station_id, ProtocolRow.data
    ).where(ProtocolRow.counted)
    rows = tuple(tuple(row) for row in session.connection().execute(counted))
    key = (rows, places)
    last = _LAST_RECOUNT.get("last")
    if last is not None and last[0] == key:
        want = last[1]
    else:
        want = _recount(rows, {row[0]: (row[1], row[2]) for row in places})
        _LAST_RECOUNT["last"] = (key, want)
    have = {
        (row[0], row[1], row[2], row[3], row[4]): row[5]
        for row in session.connection().execute(
            select(
                TotalRow.contest_id,
                TotalRow.round,
                TotalRow.level,
                TotalRow.area_id,
                TotalRow.item,
                TotalRow.value,
            )
        )
    }
    differing = [key for key in set(want) | set(have) if want.get(key, 0) != have.get(key, 0)]
    differing.sort(key=lambda k: (LEVELS.get(k[2], 3), k))
    return [
        f"totals: {item} of {contest} round {round} in {level} {area} is {have.get(key, 0):,}; "
        f"the accepted protocols give {want.get(key, 0):,} (edited in the database)"
        for key in differing
        for contest, round, level, area, item in [key]
    ]


def _protocol_problems(session: Session, last: dict[str, Recorded]) -> list[str]:
    found = []
    seen = set()
    rows = session.connection().execute(select(*table_of(ProtocolRow).c).order_by(ProtocolRow.id))
    for protocol in rows:
        target = f"protocol:{protocol.id}"
        seen.add(target)
        entry = last.get(target)
        if entry is None:
            found.append(f"protocol {protocol.id}: no audit entry wrote it")
        elif entry.after_hash != _memo(("protocol", *protocol), state_hash, protocol):
            found.append(
                f"protocol {protocol.id}: its state is not the one entry {entry.seq} recorded "
                "(edited in the database)"
            )
    found += _gone(last, "protocol", seen)
    return found


def _gone(last: dict[str, Recorded], kind: str, seen: set[str]) -> list[str]:
    """Entries whose row is no longer in the database."""
    return [
        f"{kind} {target.partition(':')[2]}: deleted (entry {entry.seq} recorded it; the "
        f"database has no such row)"
        for target, entry in sorted(last.items(), key=lambda item: item[1].seq)
        if target.startswith(f"{kind}:") and target not in seen and entry.after_hash != NOTHING
    ]


def _copy_problems(session: Session, entries: Iterable[Recorded]) -> list[str]:
    recorded: dict[tuple[int, str], list[tuple[int, str]]] = {}
    for entry in entries:
        if not entry.target.startswith("protocol:") or '"copies"' not in entry.detail:
            continue
        protocol_id = int(entry.target.partition(":")[2])
        for copy in _detail(entry).get("copies", []):
            key = (protocol_id, str(copy.get("digest")))
            recorded.setdefault(key, []).append((entry.seq, str(copy.get("kind"))))
    unmatched = []
    columns = (EntryCopy.id, *(getattr(EntryCopy, name) for name in COPY_FIELDS))
    for copy in session.connection().execute(select(*columns).order_by(EntryCopy.id)):
        made = _memo(("copy", *copy), _copy_digest, copy)
        key = (copy.protocol_id, made)
        if recorded.get(key):
            recorded[key].pop()
        else:
            unmatched.append(copy)
    left = {
        (protocol_id, kind): seq
        for (protocol_id, _), kept in sorted(recorded.items())
        for seq, kind in kept
    }
    found = []
    for copy in unmatched:
        seq = left.pop((copy.protocol_id, copy.kind), None)
        what = f"entry copy {copy.id} (protocol {copy.protocol_id}, {copy.kind})"
        if seq is not None:
            found.append(f"{what}: not the copy entry {seq} recorded (edited in the database)")
        else:
            found.append(
                f"{what}: no audit entry recorded it (inserted in the database, or its "
                "protocol changed)"
            )
    found += [
        f"protocol {protocol_id}: entry {seq} recorded its {kind} entry copy, which is not in "
        "the database (deleted)"
        for (protocol_id, kind), seq in sorted(left.items(), key=lambda item: item[1])
    ]
    return found


Recount = dict[tuple[str, int, str, str, str], int]
_LAST_RECOUNT: dict[str, tuple[Any, Recount]] = {}
"""The last recount, and the rows it was made from: the same rows give the same totals."""


def _recount(rows: tuple[tuple[Any, ...], ...], place: dict[str, tuple[str, str]]) -> Recount:
    """Every total the counted protocols give, at each level."""
    want: Recount = {}
    for contest_id, round, station_id, data in rows:
        district, territory = place.get(station_id, ("?", "?"))
        areas = (("district", district), ("territory", territory), ("nation", "nation"))
        for item, value in _memo(("items", data), _items, data).items():
            for level, area in areas:
                key = (contest_id, round, level, area, item)
                want[key] = want.get(key, 0) + value
    return want


def _items(data: str) -> dict[str, int]:
    return items(json.loads(data))


def _copy_digest(row: Any) -> str:
    return copy_digest(row._asdict())


COPY_FIELDS = ("protocol_id", "kind", "data", "entered_by", "client_key", "created_at")


def _user_problems(session: Session, last: dict[str, Recorded]) -> list[str]:
    from saylau.service.accounts import user_state

    found = []
    seen = set()
    for user in session.scalars(select(UserRow).order_by(UserRow.id)):
        target = f"user:{user.id}"
        seen.add(target)
        entry = last.get(target)
        if entry is None:
            found.append(f"user {user.id} ({user.username}): no audit entry wrote it")
        elif entry.after_hash != digest(user_state(user)):
            found.append(
                f"user {user.id} ({user.username}, {user.role}): not the user entry "
                f"{entry.seq} recorded (its name, role, commission or standing was changed "
                "in the database)"
            )
    found += _gone(last, "user", seen)
    return found


def _stage_problems(session: Session, last: dict[str, Recorded]) -> list[str]:
    """Each stage decision (a round closed, runoffs and their lots, a new voting, a
    publication) against the entry that recorded it."""
    found = []
    seen = set()
    columns = (StageRow.id, StageRow.chamber, StageRow.action, StageRow.detail)
    for row in session.connection().execute(select(*columns).order_by(StageRow.id)):
        target = f"stage:{row.id}"
        seen.add(target)
        entry = last.get(target)
        state = {"id": row.id, "chamber": row.chamber, "action": row.action, "detail": row.detail}
        if entry is None:
            found.append(f"stage {row.id} ({row.action}): no audit entry wrote it")
        elif entry.after_hash != digest(state):
            found.append(
                f"stage {row.id} ({row.action} of {row.chamber}): not the decision entry "
                f"{entry.seq} recorded (edited in the database)"
            )
    return found + _gone(last, "stage", seen)


def _session_problems(session: Session, entries: Iterable[Recorded]) -> list[str]:
    opened: dict[str, tuple[Recorded, dict[str, Any]]] = {}
    for entry in entries:
        if entry.action in ("session.login", "session.logout") and '"session"' in entry.detail:
            detail = _detail(entry)
            key = str(detail.get("session"))
            if entry.action == "session.login":
                opened[key] = (entry, detail)
            else:
                opened.pop(key, None)
    found = []
    names: dict[int, str] = {
        row[0]: row[1] for row in session.execute(select(UserRow.id, UserRow.username))
    }
    for row in session.scalars(select(SessionRow).order_by(SessionRow.created_at)):
        if opened.pop(session_digest(row), None) is None:
            found.append(
                f"session of user {row.user_id} ({names.get(row.user_id, '?')}) made "
                f"{row.created_at}: no audit entry opened it (forged or edited in the database)"
            )
    moment = now()
    for entry, detail in sorted(opened.values(), key=lambda pair: pair[0].seq):
        if str(detail.get("expires_at", "")) > moment:
            found.append(
                f"session opened by entry {entry.seq} ({entry.target}): deleted from the "
                "database without a logout"
            )
    return found


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


def _registry_problems(session: Session, entries: Iterable[Recorded]) -> list[str]:
    loads = [e for e in entries if e.action == "election.load" and '"registry"' in e.detail]
    if not loads:
        return []
    entry = loads[-1]
    if _detail(entry).get("registry") == registry_digest(session):
        return []
    return [
        f"registry: the territories, districts, stations or contests (the commissions and "
        f"their ballots) are not those entry {entry.seq} recorded when it was loaded (edited "
        "in the database)"
    ]


def _election_problems(
    session: Session, entries: Sequence[Recorded], last: dict[str, Recorded]
) -> list[str]:
    """The election row's source and seed (where its laws and inputs are read) against the
    load that recorded them, and its plausibility setting against the entry that kept it."""
    row = session.get(ElectionRow, 1)
    if row is None:
        return []
    found = []
    loads = [e for e in entries if e.action == "election.load"]
    if loads:
        detail = _detail(loads[-1])
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


def _voters_problems(session: Session, last: dict[str, Recorded]) -> list[str]:
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
    said = _detail(entry)
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


def _result_problems(session: Session) -> list[str]:
    """Each round's results (`results`) against the digest its close recorded (the stage's
    detail, itself held to its entry): rows edited, deleted, or with no close."""
    stages = {
        row.id: (row.chamber, _parsed(row.detail))
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


def _pending_problems(session: Session) -> list[str]:
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
