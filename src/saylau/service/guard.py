"""The guard every transition of the workflow passes first: a replayed client key, the
protocol locked and the actor's scope, the state the transition starts from.

A transition is marked `@transition`; where the guard finds that a retried request made
its protocol already, it raises `Replayed` and the transition answers what was made."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from saylau.service import steps
from saylau.service.election import Place, place
from saylau.service.errors import Conflict, Invalid
from saylau.service.models import EntryCopy, ProtocolRow
from saylau.service.permissions import Action, Actor, Decision, decide, require


@dataclass(frozen=True)
class Outcome:
    """The protocol version a request made or changed, and whether it was a replay."""

    protocol: ProtocolRow
    replayed: bool = False


class Replayed(Exception):
    """The guard found what a retried request made: its transition answers it."""

    def __init__(self, protocol: ProtocolRow) -> None:
        super().__init__(protocol.id)
        self.outcome = Outcome(protocol, replayed=True)


P = ParamSpec("P")
T = TypeVar("T")


def transition(body: Callable[P, Outcome]) -> Callable[P, Outcome]:
    """A transition of the workflow: when its guard finds a replay, that is its answer."""

    @functools.wraps(body)
    def answered(*args: P.args, **kwargs: P.kwargs) -> Outcome:
        try:
            return body(*args, **kwargs)
        except Replayed as replay:
            return replay.outcome

    return answered


Same = Callable[[EntryCopy, ProtocolRow], bool]
"""Whether an entry made earlier with the request's client key is what this request makes:
the same kind of entry, of the same protocol."""


def replayed(
    session: Session, actor: Actor, client_key: str | None, same: Same
) -> ProtocolRow | None:
    """What an earlier request of `actor` with this client key made, if it is this request
    and `actor` may still read it; a key of theirs used for another request is refused
    (409 `client_key_used`), naming the protocol only where they may read it."""
    found = steps.replay(session, actor, client_key)
    if found is None:
        return None
    copy, row = found
    readable = decide(actor, "protocol.read", place(session, row.station_id)).allowed
    if readable and same(copy, row):
        return row
    made = f" (protocol {row.id})" if readable else ""
    raise Conflict(
        f"client key {client_key!r} was used already for another request of yours{made}: "
        "a new request needs a new key",
        code="client_key_used",
    )


def guard(
    session: Session,
    actor: Actor,
    action: Action,
    client_key: str | None,
    locate: Callable[[], tuple[T, Place]],
    refusal: Callable[[T], Conflict | None],
    *,
    same: Same,
    invalid: str | None = None,
) -> tuple[T, Place, Decision]:
    """Every transition's preamble, in order: a replayed client key of the actor's answers
    what it made, if it made what this request makes (`same`; on the careful run only,
    `steps`); a request `invalid` on its face is refused; `locate` finds the protocol
    (locked) and its place, where `actor` must be in scope for `action`; a state it cannot
    start from (`refusal`) is refused, unless a retry finds what it made. What was found,
    its place and the permission's decision; `Replayed` where a retry made it already."""
    made = replayed(session, actor, client_key, same) if steps.careful(session) else None
    if made is not None:
        raise Replayed(made)
    if invalid is not None:
        raise Invalid(invalid)
    found, where = locate()
    decision = require(actor, action, where)
    refused = refusal(found)
    if refused is not None:  # a retry of a request that succeeded finds its state moved on
        again = replayed(session, actor, client_key, same)
        if again is None:
            raise refused
        raise Replayed(again)
    return found, where, decision


def protocol(session: Session, protocol_id: int) -> Callable[[], tuple[ProtocolRow, Place]]:
    """The protocol, locked until commit, and its station's place."""

    def locate() -> tuple[ProtocolRow, Place]:
        row = steps.locked(session, protocol_id)
        return row, place(session, row.station_id)

    return locate


def in_status(status: str, not_so: str, code: str) -> Callable[[ProtocolRow], Conflict | None]:
    """The refusal of a protocol that is not in `status`: it is `not_so`."""

    def refusal(row: ProtocolRow) -> Conflict | None:
        if row.status == status:
            return None
        return Conflict(f"protocol {row.id} is {row.status}, {not_so}", code=code)

    return refusal
