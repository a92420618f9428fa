"""Verifying the audit chain: its hashes and links, its signatures, its signed checkpoints
and anchors, and every row it holds (`integrity`).

- **Hashes and links** name the first entry edited, deleted or reordered.
- **Signatures**: every entry carries the audit key's Ed25519 signature of its content
  hash, made by the application before commit. An entry written by SQL, or sealed by a
  trigger from a row inserted by SQL, is unsigned, or signed by no key that verifies; it
  is named, however correct its hashes.
- **Signed checkpoints** (`audit_checkpoints`) hold the order: each is a head (seq, hash)
  signed when a verification found it, so a chain rewritten at or before it, every hash
  recomputed and the entries re-signed by nobody, no longer holds it. Anchors (`SEQ:HASH`,
  or `SEQ:HASH:SIGNATURE` as snapshots publish them) do the same from outside.
- **Heads signed on a timer** (`kind` head, `checkpoints`) name entries deleted from the
  end of the chain with every row they wrote, and so does the head kept outside the database.
- **Incremental**: a verification may start from the last checkpoint that verified and is
  validly signed: that entry must still carry the signed hash, and only the entries after it
  are hashed and their signatures checked. The rows are always read whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from saylau.service import integrity
from saylau.service.audit import NOTHING, Anchor, content_hash, link_hash
from saylau.service.db import canonical, now
from saylau.service.models import AuditCheckpoint, AuditHead, AuditRow
from saylau.service.signing import (
    CHECKPOINT,
    PublicKey,
    Signer,
    entry_message,
    head_file,
    head_message,
    kept_head,
    signer,
)

REPEAT_SECONDS = 60
"""How long a checkpoint of the same head and result stands before another is kept."""


@dataclass(frozen=True)
class ChainReport:
    """The verdict on the chain: how many entries, its head, and the problems, the first
    first; whether signatures were checked and from which checkpoint it started."""

    entries: int
    problems: tuple[str, ...]
    head: Anchor | None = None
    public_key: str | None = None
    since: int = 0
    """The seq of the signed checkpoint it started from (0: the whole chain)."""
    checked: int = 0
    """How many entries were hashed and their signatures checked."""

    @property
    def verified(self) -> bool:
        return not self.problems

    @property
    def first(self) -> str | None:
        return self.problems[0] if self.problems else None


def key_for_verifying(public_key: PublicKey | None = None) -> PublicKey | None:
    """The key to check signatures with: the one given (a published public key), else the
    key file's, if this process has one."""
    if public_key is not None:
        return public_key
    found = signer(make=False)
    return None if found is None else found.public


COLUMNS = (
    AuditRow.seq,
    AuditRow.at,
    AuditRow.actor,
    AuditRow.action,
    AuditRow.target,
    AuditRow.detail,
    AuditRow.before_hash,
    AuditRow.after_hash,
    AuditRow.prev_hash,
    AuditRow.hash,
    AuditRow.signature,
)


def _content(row: Any) -> str:
    return content_hash(
        row.at, row.actor, row.action, row.target, row.detail, row.before_hash, row.after_hash
    )


VERIFIED = "verification"
HEAD = "head"
"""The kinds of checkpoint: a verification's (the head it found, and the result), and a
head signed on the running service's timer (`checkpoints`), which verified nothing."""


def checkpoint_message(point: AuditCheckpoint | dict[str, Any]) -> str:
    """What a checkpoint's signature signs: every column of it but the signature (its kind
    only when it is not a verification's, as before migration 0006)."""
    get = point.get if isinstance(point, dict) else lambda name: getattr(point, name)
    fields = ("seq", "hash", "at", "verified", "problems", "first_problem", "public_key")
    signed = {name: get(name) for name in fields}
    kind = get("kind") or VERIFIED
    if kind != VERIFIED:
        signed["kind"] = kind
    return f"{CHECKPOINT}:" + canonical(signed)


def verify_chain(
    session: Session,
    anchors: Sequence[Anchor] = (),
    *,
    public_key: PublicKey | None = None,
    incremental: bool = False,
) -> ChainReport:
    """Check the chain (from the last valid signed checkpoint when `incremental`), its
    signatures, checkpoints and anchors, and every row it holds."""
    key = key_for_verifying(public_key)
    rows = list(session.connection().execute(select(*COLUMNS).order_by(AuditRow.seq)))
    points = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    problems: list[str] = []
    if key is None:
        problems.append(
            "signatures not checked: no audit key (SAYLAU_AUDIT_KEY) and no public key given"
        )
    start = _start(points, key, rows) if incremental else None
    scope = [row for row in rows if start is None or row.seq > start.seq]
    problems += _links(rows, scope, start)
    head = session.get(AuditHead, 1)
    if head is not None and rows and (head.seq, head.hash) != (rows[-1].seq, rows[-1].hash):
        problems.append(
            f"entry {head.seq}: the head names it, but the chain ends at entry {rows[-1].seq} "
            "(the last entries were deleted)"
        )
    problems += _signatures(scope, key)
    later = points if start is None else [p for p in points if p.id > start.id]
    problems += _checkpoint_problems(later, key, rows)
    problems += _anchor_problems(rows, anchors, key)
    problems += _kept_problems(rows, key)
    recorded = [
        integrity.Recorded(
            row.seq, row.target, row.action, row.after_hash, row.detail, row.before_hash
        )
        for row in rows
    ]
    problems += integrity.problems(session, recorded)
    last = Anchor(rows[-1].seq, rows[-1].hash) if rows else None
    return ChainReport(
        len(rows),
        tuple(problems),
        last,
        None if key is None else key.hex,
        0 if start is None else start.seq,
        len(scope),
    )


def _start(points: list[AuditCheckpoint], key: PublicKey | None, rows: list[Any]) -> Any:
    """The last checkpoint that verified, signed by `key`, whose entry still carries its
    hash: where an incremental verification starts."""
    by_seq = {row.seq: row.hash for row in rows}
    for point in reversed(points):
        if (
            key is not None
            and point.verified
            and (point.kind or VERIFIED) == VERIFIED
            and point.public_key == key.hex
            and key.verifies(checkpoint_message(point), point.signature)
            and by_seq.get(point.seq) == point.hash
        ):
            return point
    return None


def _links(rows: list[Any], scope: list[Any], start: Any) -> list[str]:
    problems: list[str] = []
    previous, expected = (NOTHING, 1) if start is None else (start.hash, start.seq + 1)
    for row in scope:
        if row.seq != expected:
            missing = expected if row.seq > expected else row.seq
            problems.append(
                f"entry {missing}: deleted (the chain goes from {expected - 1} to {row.seq})"
            )
            expected = row.seq
        if link_hash(row.prev_hash, row.seq, _content(row)) != row.hash:
            problems.append(_changed(row, rows))
        elif row.prev_hash != previous:
            problems.append(
                f"entry {row.seq}: does not follow entry {row.seq - 1} "
                f"(its prev_hash is not that entry's hash: deleted, inserted or reordered)"
            )
        previous, expected = row.hash, row.seq + 1
    return problems


def _changed(row: Any, rows: list[Any]) -> str:
    """An entry whose hash does not cover it: edited, or moved to another seq."""
    content = _content(row)
    for other in rows:
        if other.seq != row.seq and link_hash(row.prev_hash, other.seq, content) == row.hash:
            return f"entry {row.seq}: reordered (it was written as entry {other.seq})"
    return f"entry {row.seq}: edited (its hash no longer covers what it records)"


def _signatures(scope: list[Any], key: PublicKey | None) -> list[str]:
    if key is None:
        return []
    problems = []
    seen: dict[str, int] = {}
    for row in scope:
        content = _content(row)
        what = f"entry {row.seq} ({row.action} of {row.target} by {row.actor})"
        if not row.signature:
            problems.append(
                f"{what}: not signed by the audit key (written outside the application: by "
                "SQL, or sealed by a trigger from a row inserted by SQL)"
            )
        elif not key.verifies(entry_message(content), row.signature):
            problems.append(
                f"{what}: its signature does not verify with the audit key (forged, or "
                "edited after it was signed)"
            )
        elif content in seen:
            problems.append(f"{what}: a copy of entry {seen[content]}'s signed content (replayed)")
        seen.setdefault(content, row.seq)
    return problems


def _checkpoint_problems(
    points: list[AuditCheckpoint], key: PublicKey | None, rows: list[Any]
) -> list[str]:
    if key is None:
        return []
    by_seq = {row.seq: row.hash for row in rows}
    problems = []
    for point in points:
        if point.public_key != key.hex or not key.verifies(
            checkpoint_message(point), point.signature
        ):
            problems.append(
                f"checkpoint {point.id} (entry {point.seq}): its signature does not verify "
                "with the audit key (forged or edited)"
            )
        elif point.seq not in by_seq and point.seq:
            problems.append(
                f"entry {point.seq}: the signed checkpoint of {point.at} names it, but the "
                f"chain has no such entry (deleted; the chain ends at entry {_end(rows)})"
            )
        elif point.seq and by_seq[point.seq] != point.hash:
            problems.append(
                f"entry {point.seq}: its hash is not the one the signed checkpoint of "
                f"{point.at} recorded (the chain was rewritten at or before this entry)"
            )
    return problems


def _kept_problems(rows: list[Any], key: PublicKey | None) -> list[str]:
    """The chain held to the last head the running service signed and kept outside the
    database (`SAYLAU_AUDIT_HEAD_FILE`): a chain cut short behind it, its checkpoints
    deleted with the entries, is named."""
    path = head_file()
    if path is None or key is None or not rows:
        return []
    text = kept_head(path, rows[0].hash)
    if text is None:
        return []
    try:
        kept = Anchor.parse(text)
        signed = key.verifies(head_message(kept.seq, kept.hash), kept.signature)
    except ValueError:
        signed = False
    if not signed:
        return [f"the head kept in {path}: not a head the audit key signed (edited)"]
    held = {row.seq: row.hash for row in rows}.get(kept.seq)
    if held is None:
        return [
            f"entry {kept.seq}: the head the service signed and kept in {path} names it, but "
            f"the chain has no such entry (deleted; the chain ends at entry {_end(rows)})"
        ]
    if held != kept.hash:
        return [
            f"entry {kept.seq}: its hash is not the one the head kept in {path} holds (the "
            "chain was rewritten at or before this entry)"
        ]
    return []


def _end(rows: list[Any]) -> int:
    return rows[-1].seq if rows else 0


def _anchor_problems(
    rows: list[Any], anchors: Sequence[Anchor], key: PublicKey | None
) -> list[str]:
    by_seq = {row.seq: row.hash for row in rows}
    found = []
    for anchor in sorted(anchors, key=lambda a: a.seq):
        held = by_seq.get(anchor.seq)
        if anchor.signature is not None and (
            key is None or not key.verifies(head_message(anchor.seq, anchor.hash), anchor.signature)
        ):
            found.append(
                f"anchor {anchor.seq}: its signature does not verify with the audit key (not a "
                "head the application signed)"
            )
        if held is None:
            found.append(f"entry {anchor.seq}: anchored, but the chain has no such entry")
        elif held != anchor.hash:
            found.append(
                f"entry {anchor.seq}: its hash is not the anchored {anchor.hash[:12]}... "
                "(the chain was rewritten at or before this entry)"
            )
    return found


def signed_head(report: ChainReport, key: Signer | None = None) -> Anchor | None:
    """The report's head, signed by the audit key (unsigned without one)."""
    head = report.head
    found = key or signer(make=False)
    if head is None or found is None:
        return head
    return Anchor(head.seq, head.hash, found.sign(head_message(head.seq, head.hash)))


def record_checkpoint(session: Session, report: ChainReport, key: Signer) -> bool:
    """Keep the report's head and result as a checkpoint signed by `key` (the caller
    commits); whether it did. It records what was found, so a later incremental
    verification starts only from one that verified. The same head with the same result
    is kept again only after `REPEAT_SECONDS`, so observers' requests add few rows."""
    head = report.head
    last = session.scalar(
        select(AuditCheckpoint)
        .where(AuditCheckpoint.kind == VERIFIED)
        .order_by(AuditCheckpoint.id.desc())
        .limit(1)
    )
    if (
        last is not None
        and head is not None
        and (last.seq, last.hash, last.verified, last.problems)
        == (head.seq, head.hash, report.verified, len(report.problems))
        and last.public_key == key.public.hex
        and datetime.fromisoformat(last.at) > datetime.now(UTC) - timedelta(seconds=REPEAT_SECONDS)
    ):
        return False
    fields: dict[str, Any] = {
        "seq": 0 if head is None else head.seq,
        "hash": NOTHING if head is None else head.hash,
        "at": now(),
        "verified": report.verified,
        "problems": len(report.problems),
        "first_problem": (report.first or "")[:2000] or None,
        "public_key": key.public.hex,
    }
    fields["signature"] = key.sign(checkpoint_message(fields))
    session.execute(insert(AuditCheckpoint), [fields])
    return True


def last_checkpoint(
    session: Session, public_key: PublicKey | None = None
) -> AuditCheckpoint | None:
    """The last checkpoint, if its signature verifies with the audit key: when the chain was
    last verified, and with what result."""
    key = key_for_verifying(public_key)
    point = session.scalar(
        select(AuditCheckpoint)
        .where(AuditCheckpoint.kind == VERIFIED)
        .order_by(AuditCheckpoint.id.desc())
        .limit(1)
    )
    if point is None or key is None or point.public_key != key.hex:
        return None
    return point if key.verifies(checkpoint_message(point), point.signature) else None


def last_verification(session: Session) -> dict[str, Any] | None:
    """When the chain was last verified, through which entry, and with what result (the last
    validly signed checkpoint), as the public page and `national.json` say it."""
    point = last_checkpoint(session)
    if point is None:
        return None
    return {
        "at": point.at,
        "seq": point.seq,
        "verified": point.verified,
        "problems": point.problems,
        "first_problem": point.first_problem,
    }
