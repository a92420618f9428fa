"""Settling a protocol: counting it (taking back the version it replaces), auditing the
change, and a mismatch settled by two people.

A supervisor's resolution with figures of its own is a proposal: it counts only when a
second person enters the same figures, another supervisor (`resolve`) or a third entry by
someone who has not entered the protocol yet (`verify`). Until then the protocol stays in
mismatch, and the proposal is its latest resolution entry (`proposal`); the audit trail
records who proposed, who confirmed, and who entered what.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service import audit, live, plausible, steps
from saylau.service.db import now
from saylau.service.deferred import deferring
from saylau.service.election import Loaded, Place
from saylau.service.errors import Conflict, Forbidden
from saylau.service.guard import Outcome, in_status
from saylau.service.models import EntryCopy, ProtocolRow
from saylau.service.permissions import Actor, Decision
from saylau.service.protocols import differences, parse, text_of

ENTERED = in_status("entered", "not awaiting verification", "not_awaiting_verification")
"""What a verification starts from: a protocol entered once."""

AWAITING = "a second person: another supervisor with the same figures, or a third entry"
"""What a resolution with figures of one's own waits for before it counts."""


def of(row: ProtocolRow) -> tuple[str, str, int]:
    return row.station_id, row.contest_id, row.round


def entry_of(protocol_id: int, *kinds: str) -> Callable[[EntryCopy, ProtocolRow], bool]:
    """A replay of a request that made an entry of one of `kinds` of protocol `protocol_id`."""

    def same(copy: EntryCopy, _: ProtocolRow) -> bool:
        return copy.kind in kinds and copy.protocol_id == protocol_id

    return same


def proposal(session: Session, row: ProtocolRow) -> EntryCopy | None:
    """The resolution with figures of its own that waits for a second person: the latest
    resolution entry of a protocol still in mismatch (a resolution that counted, or was
    rejected, moved the protocol out of mismatch)."""
    if row.status != "mismatch":
        return None
    return session.scalar(
        select(EntryCopy)
        .where(EntryCopy.protocol_id == row.id, EntryCopy.kind == "resolution")
        .order_by(EntryCopy.id.desc())
        .limit(1)
    )


def verifiable(session: Session) -> Callable[[ProtocolRow], Conflict | None]:
    """What verify starts from: a protocol entered once, or a mismatch whose resolution
    waits for a second person (the third entry)."""

    def refusal(row: ProtocolRow) -> Conflict | None:
        if row.status == "mismatch" and proposal(session, row) is not None:
            return None
        return ENTERED(row)

    return refusal


def audited(
    session: Session,
    actor: Actor,
    action: str,
    row: ProtocolRow,
    before: str | None,
    decision: Decision,
    client_key: str | None,
    changed: list[tuple[ProtocolRow, str]],
    **extra: Any,
) -> None:
    """Write the transition's changes, then audit them: each version it took out of the
    count (with its state hash before), then `row` as `action`. In a group commit the
    changes go with the group's, in one flush before its commit (`group`)."""
    if not deferring(session):
        session.flush()
    for other, other_before in changed:
        steps.record(
            session, actor, "protocol.supersede", other, other_before, decision.reason, None
        )
    steps.record(session, actor, action, row, before, decision.reason, client_key, **extra)


def accept(session: Session, row: ProtocolRow, where: Place) -> list[tuple[ProtocolRow, str]]:
    """Count `row`, taking back the version it replaces; the rows changed, with their
    state hashes before. A first version replaces nothing."""
    previous = None
    if row.version > 1:
        previous = session.scalars(
            select(ProtocolRow)
            .where(
                ProtocolRow.station_id == row.station_id,
                ProtocolRow.contest_id == row.contest_id,
                ProtocolRow.round == row.round,
                ProtocolRow.counted,
            )
            .with_for_update()
        ).one_or_none()
    changed = []
    removed = None
    if previous is not None:
        changed.append((previous, audit.state_hash(previous)))
        previous.counted, previous.status, previous.updated_at = False, "superseded", now()
        removed = parse(previous.data)
        session.flush()
    row.status, row.counted = "accepted", True
    live.apply(session, row.contest_id, row.round, where, parse(row.data), removed)
    return changed


def third_entry(
    session: Session,
    election: Loaded,
    actor: Actor,
    row: ProtocolRow,
    where: Place,
    decision: Decision,
    data: dict[str, Any],
    client_key: str | None,
) -> Outcome:
    """A third, independent entry of a mismatch whose resolution waits for a second person:
    equal to that resolution's figures, they count; else this entry waits in its place."""
    pending = proposal(session, row)
    assert pending is not None  # the guard let only such a mismatch through
    if actor.user_id in (row.verified_by, pending.entered_by):
        raise Forbidden(
            f"protocol {row.id}: a third entry is made by someone who has not entered it yet",
            code="same_operator",
        )
    before = audit.state_hash(row)
    steps.copy(session, row, "resolution", data, actor, client_key)
    differing = differences(parse(pending.data), data)
    if differing:
        row.updated_at = now()
        audited(
            session,
            actor,
            "protocol.verify",
            row,
            before,
            decision,
            client_key,
            [],
            third_entry=True,
            differences=differing,
            awaiting=AWAITING,
        )
        return Outcome(row)
    return settle(
        session,
        election,
        actor,
        (row, where, before, decision, client_key),
        data,
        pending.entered_by,
        "protocol.verify",
        third_entry=True,
        confirms=pending.entered_by,
    )


def settle(
    session: Session,
    election: Loaded,
    actor: Actor,
    found: tuple[ProtocolRow, Place, str, Decision, str | None],
    data: dict[str, Any],
    resolver: int | None,
    action: str,
    **extra: Any,
) -> Outcome:
    """Settle a mismatch with `data`, resolved by `resolver`: checked again by the law's
    form, then counted, or rejected."""
    row, where, before, decision, client_key = found
    status, errors = plausible.checked(session, election, of(row), data, row.version)
    row.data, row.errors, row.resolved_by, row.updated_at = text_of(data), errors, resolver, now()
    changed: list[tuple[ProtocolRow, str]] = []
    if status == "rejected":
        row.status = "rejected"
    else:
        changed = accept(session, row, where)
    audited(session, actor, action, row, before, decision, client_key, changed, **extra)
    return Outcome(row)
