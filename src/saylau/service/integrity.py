"""Every row that decides a result, held to the audit chain.

The chain's entries record the state of what they wrote; here the database's rows are read
against them:
- the live totals, recomputed from the accepted protocols (each item that differs named);
- every protocol version against the after-hash of the last entry that names it;
- every entry copy (the independent keyings) against the copies its protocol's entries
  recorded;
- every user (name, role, commission, active) against its last entry;
- every session against the login that opened it (and the logout that closed it);
- every stage decision against the entry that recorded it;
- the registry, the election's setting, the voters on the lists, the results and the
  tables empty between transactions (`held`).

A row with no entry, an entry whose row is gone, and a row that is not the state its entry
recorded are each named.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service import held
from saylau.service.audit import NOTHING, copy_digest, digest, session_digest, state_hash
from saylau.service.db import now
from saylau.service.election import Place, spread_districts
from saylau.service.live import areas_of, items
from saylau.service.models import (
    EntryCopy,
    ProtocolRow,
    SessionRow,
    StageRow,
    StationRow,
    TotalRow,
    UserRow,
    table_of,
)

T = TypeVar("T")
LEVELS = {"territory": 0, "district": 1}

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
    found += held.registry_problems(session, entries)
    found += held.election_problems(session, entries, last)
    found += held.voters_problems(session, last)
    found += held.result_problems(session)
    found += held.pending_problems(session)
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
    the territories' first."""
    stations = select(StationRow.station_id, StationRow.district_id, StationRow.territory_id)
    places = tuple(tuple(row) for row in session.connection().execute(stations))
    counted = select(
        ProtocolRow.contest_id, ProtocolRow.round, ProtocolRow.station_id, ProtocolRow.data
    ).where(ProtocolRow.counted)
    rows = tuple(tuple(row) for row in session.connection().execute(counted))
    spread = spread_districts(session)
    key = (rows, places, spread)
    last = _LAST_RECOUNT.get("last")
    if last is not None and last[0] == key:
        want = last[1]
    else:
        want = _recount(rows, {row[0]: (row[1], row[2]) for row in places}, spread)
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


def _recount(
    rows: tuple[tuple[Any, ...], ...], place: dict[str, tuple[str, str]], spread: frozenset[str]
) -> Recount:
    """Every total row the counted protocols give: each district's, and the territories'
    that the districts in `spread` count in (`live.areas_of`); the rest are summed when read."""
    want: Recount = {}
    for contest_id, round, station_id, data in rows:
        district, territory = place.get(station_id, ("?", "?"))
        areas = areas_of(Place(station_id, district, territory), spread)
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
