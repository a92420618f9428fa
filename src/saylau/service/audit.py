"""The audit trail: every write appends an entry that chains the hash of the one before.

An entry records who, when, what (action, target, detail) and the SHA-256 of the target's
state before and after; `content_hash` is the hash of all of these. Its `hash` links it into
the chain: `sha256(prev_hash ":" seq ":" content_hash)`, so it covers its content, its place
and everything before it.

Writers append in commit order, one at a time, and hold the chain only while they commit:
on PostgreSQL a transaction leaves its entries in `audit_pending` and a deferred trigger
seals them at COMMIT (migration 0002), inside the server; in a group commit, after the
COMMIT's other triggers (its rows go in last: `inserted_last`), so that the head is held
only from there on. On SQLite the whole write transaction holds the database already, and
`append` seals the entry itself.

Every entry also carries the audit key's Ed25519 signature of its content hash, made here,
by the application, before commit (`signing`): the trigger carries it into `audit` and
cannot make one. An entry also records what else its write made that decides a result: an
entry copy (`note_copy`), a session (`session_digest`).

`verify_chain` (`verification`) reads the chain against its signatures, signed checkpoints,
anchors and the data (`integrity`), and names each entry or row that does not hold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from saylau.service.db import canonical, now
from saylau.service.deferred import insert_rows, inserted_last
from saylau.service.models import (
    AuditHead,
    AuditPending,
    AuditRow,
    ProtocolRow,
    SessionRow,
    table_of,
)
from saylau.service.signing import entry_message, signer

if TYPE_CHECKING:
    pass

NOTHING = "0" * 64
"""The hash of no state: before a row existed, and before the first entry."""

inserted_last("audit_pending")


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


def session_digest(row: SessionRow) -> str:
    """What a login's entry records of the session it opened (the token's hash is itself a
    hash of a random token, so this tells nothing of the token)."""
    return digest(
        {
            "token_hash": row.token_hash,
            "user_id": row.user_id,
            "created_at": row.created_at,
            "expires_at": row.expires_at,
        }
    )


def copy_digest(fields: dict[str, Any]) -> str:
    """What an entry records of an entry copy (an independent keying of a protocol): its
    protocol, kind, figures (as stored), who keyed it, the client key and when."""
    names = ("protocol_id", "kind", "data", "entered_by", "client_key", "created_at")
    return digest({name: fields.get(name) for name in names})


COPIES = "saylau.audit.copies"


def note_copy(session: Session, fields: dict[str, Any]) -> None:
    """An entry copy written in this transaction, for the next entry of its protocol to
    record (`recorded_copies`)."""
    waiting = session.info.setdefault(COPIES, {})
    kept = {"kind": fields["kind"], "digest": copy_digest(fields)}
    waiting.setdefault(fields["protocol_id"], []).append(kept)


def recorded_copies(session: Session, protocol_id: int) -> list[dict[str, str]]:
    """The copies of a protocol written in this transaction and not yet recorded."""
    found: list[dict[str, str]] = session.info.get(COPIES, {}).pop(protocol_id, [])
    return found


def sign(content: str) -> str | None:
    """The audit key's signature of an entry's content hash (None without a key file:
    verification then names the entry unsigned)."""
    key = signer()
    return None if key is None else key.sign(entry_message(content))


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
        "signature": sign(content),
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
    Written `SEQ:HASH`, or `SEQ:HASH:SIGNATURE` when the audit key signed it (a signed head,
    as snapshots publish it)."""

    seq: int
    hash: str
    signature: str | None = None

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, sep, value = text.strip().partition(":")
        value, _, signature = value.partition(":")
        seq, value, signature = seq.strip(), value.strip().lower(), signature.strip().lower()
        number = seq.isascii() and seq.isdigit() and len(seq) <= 18
        if not (sep and number and int(seq) >= 1 and len(value) == 64):
            raise ValueError(
                f"anchor {text!r} is not SEQ:HASH (an entry's number, a colon, and the 64 "
                "hex digits of its hash, as `saylau audit verify` prints the head), or "
                "SEQ:HASH:SIGNATURE"
            )
        if any(c not in "0123456789abcdef" for c in value):
            raise ValueError(f"anchor {text!r}: the hash is not 64 hex digits")
        if signature and (
            len(signature) != 128 or any(c not in "0123456789abcdef" for c in signature)
        ):
            raise ValueError(f"anchor {text!r}: the signature is not 128 hex digits")
        return cls(int(seq), value, signature or None)

    def __str__(self) -> str:
        signed = f":{self.signature}" if self.signature else ""
        return f"{self.seq}:{self.hash}{signed}"
