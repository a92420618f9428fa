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
from saylau.service.models import ProtocolRow
from saylau.service.permissions import Action, Actor, Decision, require


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


def guard(
    session: Session,
    actor: Actor,
    action: Action,
    client_key: str | None,
    locate: Callable[[], tuple[T, Place]],
    refusal: Callable[[T], Conflict | None],
    *,
    invalid: str | None = None,
) -> tuple[T, Place, Decision]:
    """Every transition's preamble, in order: a replayed client key answers what it made
    (on the careful run only, `steps`); a request `invalid` on its face is refused;
    `locate` finds the protocol (locked) and its place, where `actor` must be in scope for
    `action`; a state it cannot start from (`refusal`) is refused, unless a retry finds
    what it made. What was found, its place and the permission's decision; `Replayed`
    where a retry made it already."""
    made = steps.replay(session, client_key) if steps.careful(session) else None
    if made is not None:
        raise Replayed(made)
    if invalid is not None:
        raise Invalid(invalid)
    found, where = locate()
    decision = require(actor, action, where)
    refused = refusal(found)
    if refused is not None:  # a retry of a request that succeeded finds its state moved on
        raise Replayed(steps.replay_or(session, client_key, refused))
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
