"""A group commit's round trips to PostgreSQL, as few as its reads allow (`group`).

A group opens with one round trip: the transaction begun, whose sessions its tokens are,
and the protocols it names locked (in id order), pipelined together. It closes with one
more: the rows its writes left waiting, inserted one statement a table, and the COMMIT,
pipelined together. In between, the writes' own reads (if any) and the flush of the rows
they changed (a verification's protocol) make their own trips: the ORM checks each
update's row count, which a pipeline only gives at its end.

The statements are those `accounts.actors_for_tokens` and `steps.locked` make, written for
the driver; a row locked here joins the session as if the ORM had loaded it.
"""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy.orm import Session

from saylau.service.accounts import token_hash
from saylau.service.db import now
from saylau.service.deferred import insert_waiting
from saylau.service.models import ProtocolRow, table_of
from saylau.service.permissions import Actor
from saylau.service.steps import hold

SESSIONS = (
    "SELECT s.token_hash, u.id, u.username, u.role, u.commission_id "
    "FROM users u JOIN sessions s ON s.user_id = u.id "
    "WHERE s.token_hash = ANY(%s) AND s.expires_at >= %s AND u.active"
)
"""The users that live session tokens belong to (dead tokens, inactive users left out)."""

_COLUMNS = [column.name for column in table_of(ProtocolRow).columns]

LOCK = f"SELECT {', '.join(_COLUMNS)} FROM protocols WHERE id = ANY(%s) ORDER BY id FOR UPDATE"
"""The protocols named, locked until commit, in id order (two groups never wait for each
other crosswise)."""


def driver(session: Session) -> psycopg.Connection[Any]:
    """The session's connection to PostgreSQL, as the driver's own."""
    found = session.connection().connection.driver_connection
    assert isinstance(found, psycopg.Connection)
    return found


def opening(session: Session, tokens: list[str], protocol_ids: list[int]) -> dict[str, Actor]:
    """Begin, and in the same round trip find whose sessions `tokens` are and lock the
    protocols `protocol_ids` (held for `steps.locked`); the actors, by token."""
    if not tokens and not protocol_ids:
        return {}
    by_hash = {token_hash(token): token for token in tokens}
    connection = driver(session)
    users, locked = connection.cursor(), connection.cursor()
    with connection.pipeline():
        if by_hash:
            users.execute(SESSIONS, (list(by_hash), now()))
        if protocol_ids:
            locked.execute(LOCK, (protocol_ids,))
    if protocol_ids:
        hold(session, [ProtocolRow(**dict(zip(_COLUMNS, row, strict=True))) for row in locked])
    if not by_hash:
        return {}
    return {by_hash[h]: Actor(i, name, role, c) for h, i, name, role, c in users}


def closing(session: Session) -> None:
    """Flush the rows the group changed, then insert the rows waiting and commit, in one
    round trip."""
    session.flush()
    connection = driver(session)
    try:
        with connection.pipeline():
            insert_waiting(session)
            session.commit()
    except BaseException:
        # a statement refused in the pipeline leaves the transaction aborted, and a commit
        # that failed is not rolled back by the pool: end it here, before it is reused
        connection.rollback()
        raise
