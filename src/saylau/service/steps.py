"""The steps the workflow's calls share: replaying a client key, checking figures by the
law's form, keeping each independent entry, locking a protocol, and auditing a change.

A write first runs on the fast path: it trusts the database's unique constraints to refuse
a second version 1 of a protocol or a client key used twice, and asks nothing before it
writes. When one of them refuses (an `IntegrityError`), the request is run once more,
`careful`: it looks for the replayed client key and the existing protocol first, and
answers as they say.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, make_transient_to_detached

from saylau.service import audit
from saylau.service.db import canonical, now
from saylau.service.deferred import insert_rows
from saylau.service.election import Loaded, served
from saylau.service.errors import NotFound
from saylau.service.models import EntryCopy, ProtocolRow, table_of
from saylau.service.permissions import Actor
from saylau.service.protocols import Values, check, core_protocol, data_of, text_of

CAREFUL = "saylau.careful"


def careful(session: Session) -> bool:
    """Whether this is the second run of a request whose first met a unique constraint."""
    return bool(session.info.get(CAREFUL))


def replay(
    session: Session, actor: Actor, client_key: str | None
) -> tuple[EntryCopy, ProtocolRow] | None:
    """The entry a request of `actor` with this client key made already, and its protocol,
    if one did. A key belongs to its user: another user's same key is another request."""
    if not client_key or actor.user_id is None:
        return None
    copy = session.scalar(
        select(EntryCopy).where(
            EntryCopy.entered_by == actor.user_id, EntryCopy.client_key == client_key
        )
    )
    if copy is None:
        return None
    row = session.get(ProtocolRow, copy.protocol_id)
    return None if row is None else (copy, row)


def checked(
    election: Loaded, row_key: tuple[str, str, int], data: dict[str, Any], version: int
) -> tuple[str, str]:
    station_id, contest_id, round = row_key
    protocol = core_protocol(station_id, contest_id, round, data, version)
    rejected, errors = check(protocol, election.form(contest_id))
    return ("rejected" if rejected else "entered"), canonical(errors)


def data(session: Session, contest_id: str, round: int, values: Values) -> dict[str, Any]:
    entries = list(served(session).contest(contest_id).entries)
    return data_of(values, entries, round)


def copy(
    session: Session,
    row: ProtocolRow,
    kind: str,
    data: dict[str, Any],
    actor: Actor,
    client_key: str | None,
) -> None:
    fields = {
        "protocol_id": row.id,
        "kind": kind,
        "data": text_of(data),
        "entered_by": actor.user_id,
        "client_key": client_key or None,
        "created_at": now(),
    }
    insert_rows(session, table_of(EntryCopy), [fields])
    audit.note_copy(session, fields)  # the protocol's next entry records it


def record(
    session: Session,
    actor: Actor,
    action: str,
    row: ProtocolRow,
    before: str | None,
    permission: str,
    client_key: str | None,
    **extra: Any,
) -> None:
    """Audit a protocol's change: its state before (None: it is new) and as it is now."""
    audit.append(
        session,
        actor=actor.username,
        action=action,
        target=f"protocol:{row.id}",
        detail={
            "station_id": row.station_id,
            "contest_id": row.contest_id,
            "round": row.round,
            "version": row.version,
            "status": row.status,
            "permission": permission,
            "client_key": client_key,
            **extra,
            **_copies(session, row.id),
        },
        before=before or audit.NOTHING,
        after=audit.state_hash(row),
    )


def _copies(session: Session, protocol_id: int) -> dict[str, Any]:
    """The entry copies of the protocol this transaction wrote, for its entry to record."""
    found = audit.recorded_copies(session, protocol_id)
    return {"copies": found} if found else {}


LOCKED = "saylau.locked"


def hold(session: Session, rows: list[ProtocolRow]) -> None:
    """Protocols a group locked until commit (`trips.opening`, one query, in id order, so
    two groups never wait for each other crosswise), as loaded rows of this session:
    `locked` then finds them without a query."""
    for row in rows:
        make_transient_to_detached(row)  # as if loaded: no history, nothing to write
        session.add(row)
    session.info[LOCKED] = {row.id: row for row in rows}  # held: the session's map is weak


def locked(session: Session, protocol_id: int) -> ProtocolRow:
    """The protocol, locked until commit: by the group already (`hold`), or now."""
    found: ProtocolRow | None = session.info.get(LOCKED, {}).get(protocol_id)
    if found is not None:
        return found
    row = session.scalars(
        select(ProtocolRow).where(ProtocolRow.id == protocol_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise NotFound(f"protocol {protocol_id} does not exist")
    return row
