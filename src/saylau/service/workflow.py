"""The protocol workflow: entered -> verified -> accepted (counted).

- `submit`: the first entry of a station's protocol (version 1), checked by the law's form:
  one that breaks a `reject` relation is kept as `rejected`, with its errors.
- `verify`: a second, independent entry by another user. Field for field equal: the
  protocol is verified and accepted, and counted in the live totals in the same
  transaction. Otherwise it waits as `mismatch`, both entries kept side by side.
- `resolve`: a supervisor in scope settles a mismatch with the first entry, the second, or
  figures of its own; they are checked again. Figures of its own count only once a second
  person enters the same: another supervisor, or a third entry (`settle`).
- `correct`: a new version with a reason; the counted version stays counted until the new
  one is accepted, and is then `superseded`, never deleted.

Every call names a `client_key`: a retried request with a key its user used already returns
what the first one made, and creates nothing (`steps` says how, without a query on the fast
path); another user's same key is another request, and a key of one's own used for another
request is refused (`guard`).
Every call passes one guard first (`guard`): the client key, the actor's scope, the state
the transition starts from; a replay it finds is the call's answer (`@transition`). Each
write appends its audit entries before commit.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from saylau.said import N_, Said
from saylau.service import audit, plausible, settle, steps
from saylau.service.db import now
from saylau.service.deferred import deferring, insert_rows, next_id
from saylau.service.election import Loaded, Place, place, reports, served
from saylau.service.errors import Conflict, Forbidden, Invalid
from saylau.service.guard import Outcome, guard, in_status, protocol, transition
from saylau.service.models import EntryCopy, ProtocolRow, table_of
from saylau.service.permissions import Actor
from saylau.service.protocols import Values, differences, parse, text_of

__all__ = ["Choice", "Outcome", "correct", "resolve", "submit", "verify"]

Choice = Literal["first", "second", "values"]

_MISMATCH = in_status("mismatch", "not a mismatch", "not_a_mismatch")
"""What resolve starts from: a protocol in mismatch (verify's is `settle.verifiable`)."""


@transition
def submit(
    session: Session,
    election: Loaded,
    actor: Actor,
    *,
    station_id: str,
    contest_id: str,
    round: int,
    values: Values,
    client_key: str | None,
) -> Outcome:
    """The first entry of a protocol: version 1, `entered` or `rejected`."""

    def locate() -> tuple[None, Place]:
        where = place(session, station_id)
        contest = served(session).contest(contest_id)
        if not reports(contest, where):
            raise Invalid(f"station {station_id} does not report contest {contest_id}")
        if not 1 <= round <= contest.rounds:
            raise Invalid(f"contest {contest_id} has rounds 1 to {contest.rounds}, not {round}")
        return None, where

    def refusal(_: None) -> Conflict | None:
        if not steps.careful(session):  # the fast path leaves this to the unique constraint
            return None
        existing = session.scalar(
            select(ProtocolRow)
            .where(
                ProtocolRow.station_id == station_id,
                ProtocolRow.contest_id == contest_id,
                ProtocolRow.round == round,
            )
            .order_by(ProtocolRow.version.desc())
            .limit(1)
        )
        if existing is None:
            return None
        return Conflict(
            f"station {station_id} has a protocol of contest {contest_id} round {round} "
            f"already (id {existing.id}, version {existing.version}, {existing.status}): "
            "correct it, with a reason",
            code="protocol_exists",
        )

    def same(copy: EntryCopy, made: ProtocolRow) -> bool:
        return copy.kind == "first" and made.version == 1 and settle.of(made) == key

    key = (station_id, contest_id, round)
    _, _, decision = guard(
        session, actor, "protocol.submit", client_key, locate, refusal, same=same
    )
    data = steps.data(session, contest_id, round, values)
    status, errors = plausible.checked(session, election, (station_id, contest_id, round), data, 1)
    stamp = now()
    fields: dict[str, Any] = {
        "station_id": station_id,
        "contest_id": contest_id,
        "round": round,
        "version": 1,
        "status": status,
        "counted": False,
        "data": text_of(data),
        "errors": errors,
        "reason": None,
        "entered_by": actor.user_id,
        "verified_by": None,
        "resolved_by": None,
        "created_at": stamp,
        "updated_at": stamp,
    }
    table = table_of(ProtocolRow)
    if deferring(session):  # in a group: inserted with the group's others
        made = next_id(session, table)
        insert_rows(session, table, [{"id": made, **fields}])
    else:
        made = session.execute(insert(table).values(fields).returning(table.c.id)).scalar_one()
    row = ProtocolRow(id=made, **fields)  # as written; the session need not track it
    steps.copy(session, row, "first", data, actor, client_key)
    steps.record(session, actor, "protocol.submit", row, None, decision.reason, client_key)
    return Outcome(row)


@transition
def verify(
    session: Session,
    election: Loaded,
    actor: Actor,
    protocol_id: int,
    values: Values,
    client_key: str | None,
) -> Outcome:
    """The second, independent entry: equal field for field, the protocol is accepted. On a
    mismatch whose resolution waits for a second person, the third entry."""
    row, where, decision = guard(
        session,
        actor,
        "protocol.verify",
        client_key,
        protocol(session, protocol_id),
        settle.verifiable(session),
        same=settle.entry_of(protocol_id, "second", "resolution"),
    )
    if row.entered_by == actor.user_id:
        raise Forbidden(
            Said(N_("verification is a second, independent entry: another user must make it")),
            code="same_operator",
        )
    data = steps.data(session, row.contest_id, row.round, values)
    before = audit.state_hash(row)
    if row.status == "mismatch":
        return settle.third_entry(session, election, actor, row, where, decision, data, client_key)
    first = parse(row.data)
    steps.copy(session, row, "second", data, actor, client_key)
    row.verified_by, row.updated_at = actor.user_id, now()
    differing = differences(first, data)
    changed: list[tuple[ProtocolRow, str]] = []
    if differing:
        row.status = "mismatch"
    else:
        row.status = "verified"
        changed = settle.accept(session, row, where)
    settle.audited(
        session,
        actor,
        "protocol.verify",
        row,
        before,
        decision,
        client_key,
        changed,
        differences=differing,
    )
    return Outcome(row)


@transition
def resolve(
    session: Session,
    election: Loaded,
    actor: Actor,
    protocol_id: int,
    choice: Choice,
    values: Values | None,
    client_key: str | None,
) -> Outcome:
    """A supervisor settles a mismatch: the first entry, the second, or its own figures.
    Figures of its own count only once a second person enters the same (another
    supervisor's resolution, or a third entry); until then they wait, the protocol still
    in mismatch."""
    row, where, decision = guard(
        session,
        actor,
        "protocol.resolve",
        client_key,
        protocol(session, protocol_id),
        _MISMATCH,
        same=settle.entry_of(protocol_id, "resolution"),
    )
    before = audit.state_hash(row)
    found = (row, where, before, decision, client_key)
    if choice != "values":
        kind = "first" if choice == "first" else "second"
        copy = session.scalar(
            select(EntryCopy)
            .where(EntryCopy.protocol_id == row.id, EntryCopy.kind == kind)
            .order_by(EntryCopy.id.desc())
            .limit(1)
        )
        if copy is None:
            raise Conflict(f"protocol {row.id} has no {kind} entry")
        data = parse(copy.data)
        steps.copy(session, row, "resolution", data, actor, client_key)
        return settle.settle(
            session, election, actor, found, data, actor.user_id, "protocol.resolve", choice=choice
        )
    if values is None:
        raise Invalid("choice 'values' needs the figures, in `values`")
    data = steps.data(session, row.contest_id, row.round, values)
    pending = settle.proposal(session, row)
    same_figures = pending is not None and not differences(parse(pending.data), data)
    if pending is not None and same_figures and pending.entered_by == actor.user_id:
        waits = N_("protocol %(id)s: your resolution waits for %(whom)s, not for you again")
        raise Forbidden(Said(waits, id=str(row.id), whom=Said(settle.AWAITING)), code="same_person")
    status, _ = plausible.checked(session, election, settle.of(row), data, row.version)
    steps.copy(session, row, "resolution", data, actor, client_key)
    if pending is not None and same_figures:
        return settle.settle(
            session,
            election,
            actor,
            found,
            data,
            pending.entered_by,
            "protocol.resolve",
            choice=choice,
            confirms=pending.entered_by,
        )
    if status == "rejected":  # counts nothing: rejected at once, as a first entry would be
        return settle.settle(
            session, election, actor, found, data, actor.user_id, "protocol.resolve", choice=choice
        )
    row.updated_at = now()
    settle.audited(
        session,
        actor,
        "protocol.resolve",
        row,
        before,
        decision,
        client_key,
        [],
        choice=choice,
        awaiting=settle.AWAITING,
    )
    return Outcome(row)


@transition
def correct(
    session: Session,
    election: Loaded,
    actor: Actor,
    protocol_id: int,
    values: Values,
    reason: str,
    client_key: str | None,
) -> Outcome:
    """A new version of a protocol, with a reason; it is verified like the first."""

    def refusal(row: ProtocolRow) -> Conflict | None:
        latest = session.scalar(
            select(func.max(ProtocolRow.version)).where(
                ProtocolRow.station_id == row.station_id,
                ProtocolRow.contest_id == row.contest_id,
                ProtocolRow.round == row.round,
            )
        )
        if latest == row.version:
            return None
        return Conflict(
            f"protocol {row.id} is version {row.version}; version {latest} replaced it: "
            "correct the latest",
            code="not_latest",
        )

    def same(copy: EntryCopy, made: ProtocolRow) -> bool:
        corrected = session.get(ProtocolRow, protocol_id)
        return (
            copy.kind == "first"
            and corrected is not None
            and made.version > corrected.version
            and settle.of(made) == settle.of(corrected)
        )

    row, _, decision = guard(
        session,
        actor,
        "protocol.correct",
        client_key,
        protocol(session, protocol_id),
        refusal,
        same=same,
        invalid=None if reason.strip() else "a correction needs a reason",
    )
    data = steps.data(session, row.contest_id, row.round, values)
    version = row.version + 1
    status, errors = plausible.checked(
        session, election, (row.station_id, row.contest_id, row.round), data, version
    )
    stamp = now()
    new = ProtocolRow(
        station_id=row.station_id,
        contest_id=row.contest_id,
        round=row.round,
        version=version,
        status=status,
        counted=False,
        data=text_of(data),
        errors=errors,
        reason=reason.strip(),
        entered_by=actor.user_id,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(new)
    changed = []
    if not row.counted:  # an uncounted version is replaced at once; a counted one on acceptance
        changed.append((row, audit.state_hash(row)))
        row.status, row.updated_at = "superseded", stamp
    session.flush()
    steps.copy(session, new, "first", data, actor, client_key)
    settle.audited(
        session,
        actor,
        "protocol.correct",
        new,
        None,
        decision,
        client_key,
        changed,
        reason=reason.strip(),
    )
    return Outcome(new)
