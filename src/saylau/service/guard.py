"""The guard every transition of the workflow passes first: a replayed client key, the
protocol locked and the actor's scope, the state the transition starts from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.orm import Session

from saylau.service import steps
from saylau.service.election import Place, place
from saylau.service.errors import Conflict, Invalid, ServiceError
from saylau.service.models import ProtocolRow
from saylau.service.permissions import Action, Actor, Decision, require


@dataclass(frozen=True)
class Outcome:
    """The protocol version a request made or changed, and whether it was a replay."""

    protocol: ProtocolRow
    replayed: bool = False


def _replay(session: Session, client_key: str | None) -> Outcome | None:
    """On the careful run only: what a request with this key made already."""
    if not steps.careful(session):
        return None
    row = steps.replay(session, client_key)
    return None if row is None else Outcome(row, replayed=True)


def _refused(session: Session, client_key: str | None, error: ServiceError) -> Outcome:
    """A retry of a request that succeeded finds its state moved on: answer what it made."""
    return Outcome(steps.replay_or(session, client_key, error), replayed=True)


T = TypeVar("T")


def guard(
    session: Session,
    actor: Actor,
    action: Action,
    client_key: str | None,
    locate: Callable[[], tuple[T, Place]],
    refusal: Callable[[T], Conflict | None],
    *,
    invalid: str | None = None,
) -> Outcome | tuple[T, Place, Decision]:
    """Every transition's preamble, in order: a replayed client key answers what it made;
    a request `invalid` on its face is refused; `locate` finds the protocol (locked) and
    its place, where `actor` must be in scope for `action`; a state it cannot start from
    (`refusal`) is refused, unless a retry finds what it made. That outcome, else what was
    found, its place and the permission's decision."""
    replayed = _replay(session, client_key)
    if replayed is not None:
        return replayed
    if invalid is not None:
        raise Invalid(invalid)
    found, where = locate()
    decision = require(actor, action, where)
    refused = refusal(found)
    if refused is not None:
        return _refused(session, client_key, refused)
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
