"""The audit trail: every write appends an entry that chains the hash of the one before.

An entry records who, when, what (action, target, detail) and the SHA-256 of the target's
state before and after; `content_hash` is the hash of all of these. Its `hash` links it into
the chain: `sha256(prev_hash ":" seq ":" content_hash)`, so it covers its content, its place
and everything before it.

Writers append in commit order, one at a time, and hold the chain only while they commit:
on PostgreSQL a transaction leaves its entries in `audit_pending` and a deferred trigger
seals them at COMMIT (migration 0002), inside the server; on SQLite the whole write
transaction holds the database already, and `append` seals the entry itself.

`verify_chain` reads the chain against the data and names the first entry that was edited
(its hash no longer covers it), deleted (a seq is missing), or reordered (its hash covers it
only under another seq), and any protocol whose state is not the one its last entry says.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from saylau.service.db import canonical, now
from saylau.service.deferred import insert_rows
from saylau.service.models import AuditHead, AuditPending, AuditRow, ProtocolRow, table_of

NOTHING = "0" * 64
"""The hash of no state: before a row existed, and before the first entry."""


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def protocol_state(row: ProtocolRow) -> dict[str, Any]:
    """What a protocol version's state hash covers: every column."""
    return {
        "id": row.id,
        "station_id": row.station_id,
        "contest_id": row.contest_id,
        "round": row.round,
        "version": row.version,
        "status": row.status,
        "counted": bool(row.counted),
        "data": row.data,
        "errors": row.errors,
        "reason": row.reason,
        "entered_by": row.entered_by,
        "verified_by": row.verified_by,
        "resolved_by": row.resolved_by,
    }


def state_hash(row: ProtocolRow | None) -> str:
    return NOTHING if row is None else digest(protocol_state(row))


def content_hash(
    at: str, actor: str, action: str, target: str, detail: str, before: str, after: str
) -> str:
    """The hash of what an entry records."""
    return digest([at, actor, action, target, detail, before, after])


def link_hash(prev: str, seq: int, content: str) -> str:
    """The hash an entry carries: of the previous entry's hash, its seq and its content
    (the deferred trigger of migration 0002 computes the same in SQL)."""
    return hashlib.sha256(f"{prev}:{seq}:{content}".encode()).hexdigest()


def _row_hash(row: AuditRow, seq: int | None = None) -> str:
    content = content_hash(
        row.at, row.actor, row.action, row.target, row.detail, row.before_hash, row.after_hash
    )
    return link_hash(row.prev_hash, row.seq if seq is None else seq, content)


def sealed_by_trigger(session: Session) -> bool:
    """Whether the database seals entries and totals at COMMIT (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    target: str,
    detail: Any,
    before: str = NOTHING,
    after: str = NOTHING,
) -> None:
    """Append one entry to the chain, as part of the session's transaction."""
    at, text = now(), canonical(detail)
    content = content_hash(at, actor, action, target, text, before, after)
    fields = {
        "at": at,
        "actor": actor,
        "action": action,
        "target": target,
        "detail": text,
        "before_hash": before,
        "after_hash": after,
    }
    if sealed_by_trigger(session):
        insert_rows(session, table_of(AuditPending), [{**fields, "content_hash": content}])
        return
    head = session.get(AuditHead, 1)
    if head is None:
        raise RuntimeError("the audit chain has no head: run `saylau db upgrade`")
    seq = head.seq + 1
    value = link_hash(head.hash, seq, content)
    session.execute(
        insert(AuditRow), [{**fields, "seq": seq, "prev_hash": head.hash, "hash": value}]
    )
    head.seq, head.hash = seq, value


@dataclass(frozen=True)
class Anchor:
    """An entry's hash as it was published or noted earlier: the chain must still hold it.
    Written `SEQ:HASH`."""

    seq: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, sep, value = text.strip().partition(":")
        seq, value = seq.strip(), value.strip().lower()
        number = seq.isascii() and seq.isdigit() and len(seq) <= 18
        if not (sep and number and int(seq) >= 1 and len(value) == 64):
            raise ValueError(
                f"anchor {text!r} is not SEQ:HASH (an entry's number, a colon, and the 64 "
                "hex digits of its hash, as `saylau audit verify` prints the head)"
            )
        if any(c not in "0123456789abcdef" for c in value):
            raise ValueError(f"anchor {text!r}: the hash is not 64 hex digits")
        return cls(int(seq), value)

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True)
class ChainReport:
    """The verdict on the chain: how many entries, its head, and the problems, the first
    first."""

    entries: int
    problems: tuple[str, ...]
    head: Anchor | None = None

    @property
    def verified(self) -> bool:
        return not self.problems

    @property
    def first(self) -> str | None:
        return self.problems[0] if self.problems else None


def verify_chain(session: Session, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Check every entry's hash and link, the head, every protocol against its last entry,
    and every anchor: an entry's hash published earlier. Rewritten from some entry on, with
    every later hash recomputed, a chain holds together; only an anchor from before shows it."""
    rows = list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))
    problems: list[str] = []
    own = {_row_hash(row): row.seq for row in rows}
    previous, expected = NOTHING, 1
    for row in rows:
        if row.seq != expected:
            missing = expected if row.seq > expected else row.seq
            problems.append(
                f"entry {missing}: deleted (the chain goes from {expected - 1} to {row.seq})"
            )
            expected = row.seq
        if _row_hash(row) != row.hash:
            problems.append(_changed(row, own, rows))
        elif row.prev_hash != previous:
            problems.append(
                f"entry {row.seq}: does not follow entry {row.seq - 1} "
                f"(its prev_hash is not that entry's hash: deleted, inserted or reordered)"
            )
        previous, expected = row.hash, row.seq + 1
    head = session.get(AuditHead, 1)
    if head is not None and rows and (head.seq, head.hash) != (rows[-1].seq, rows[-1].hash):
        problems.append(
            f"entry {head.seq}: the head names it, but the chain ends at entry {rows[-1].seq} "
            "(the last entries were deleted)"
        )
    problems += _anchor_problems(rows, anchors)
    problems += _data_problems(session, rows)
    last = Anchor(rows[-1].seq, rows[-1].hash) if rows else None
    return ChainReport(len(rows), tuple(problems), last)


def _anchor_problems(rows: list[AuditRow], anchors: Sequence[Anchor]) -> list[str]:
    by_seq = {row.seq: row.hash for row in rows}
    found = []
    for anchor in sorted(anchors, key=lambda a: a.seq):
        held = by_seq.get(anchor.seq)
        if held is None:
            found.append(f"entry {anchor.seq}: anchored, but the chain has no such entry")
        elif held != anchor.hash:
            found.append(
                f"entry {anchor.seq}: its hash is not the anchored {anchor.hash[:12]}... "
                "(the chain was rewritten at or before this entry)"
            )
    return found


def _changed(row: AuditRow, own: dict[str, int], rows: list[AuditRow]) -> str:
    """An entry whose hash does not cover it: edited, or moved to another seq."""
    for other in rows:
        if other.seq != row.seq and _row_hash(row, other.seq) == row.hash:
            return f"entry {row.seq}: reordered (it was written as entry {other.seq})"
    del own
    return f"entry {row.seq}: edited (its hash no longer covers what it records)"


def _data_problems(session: Session, rows: list[AuditRow]) -> list[str]:
    """Each protocol's state against the after-hash of the last entry that names it."""
    last: dict[str, AuditRow] = {}
    for row in rows:
        last[row.target] = row
    found = []
    for protocol in session.scalars(select(ProtocolRow).order_by(ProtocolRow.id)):
        entry = last.get(f"protocol:{protocol.id}")
        if entry is None:
            found.append(f"protocol {protocol.id}: no audit entry wrote it")
        elif entry.after_hash != state_hash(protocol):
            found.append(
                f"protocol {protocol.id}: its state is not the one entry {entry.seq} recorded "
                "(edited in the database)"
            )
    return found
