"""Helpers the routers share: a write transaction, and a protocol row as the API shows it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from saylau.service.api.deps import Credentials, actor, check_csrf, credentials, settings_of
from saylau.service.api.envelope import ErrorOut
from saylau.service.api.schemas import ProtocolOut
from saylau.service.db import is_sqlite, reading, writing
from saylau.service.group import RunAlone, group_of
from saylau.service.models import ProtocolRow
from saylau.service.permissions import Action, Actor, require
from saylau.service.protocols import blind_to, blinded_errors, parse
from saylau.service.steps import CAREFUL

T = TypeVar("T")
M = TypeVar("M")

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in (
        (401, "not logged in"),
        (403, "not allowed, with the reason"),
        (404, "no such thing"),
        (409, "conflicts with the current state"),
        (422, "bad input"),
        (429, "too many attempts"),
    )
}
"""Every error an endpoint may answer, in the envelope."""


def write(
    request: Request,
    work: Callable[[Session, Actor], T],
    *,
    form_csrf: str | None = None,
    locks: tuple[int, ...] = (),
) -> T:
    """Run `work` as the requesting actor in one write transaction (after the CSRF check)."""
    creds = credentials(request)
    check_csrf(request, creds, form_csrf)
    return write_as(settings_of(request).url, creds, work, locks)


def write_as(
    url: str, creds: Credentials, work: Callable[[Session, Actor], T], locks: tuple[int, ...] = ()
) -> T:
    """Run `work` in one write transaction: on PostgreSQL in a group commit with the writes
    that arrive meanwhile (`group`; `locks`, the protocols it will lock, are locked with the
    group's), else, or when the group is undone, alone."""
    if not is_sqlite(url):
        with contextlib.suppress(RunAlone):
            return group_of(url).run(creds, work, locks)
    return alone(url, creds, work)


async def written(
    request: Request, work: Callable[[Session, Actor], T], *, locks: tuple[int, ...] = ()
) -> T:
    """`write`, awaited on the event loop: on PostgreSQL the write waits in the process's
    queue for its group commit, and no thread waits with it; elsewhere, or when its group
    was undone, it runs alone in a thread of the pool."""
    creds = credentials(request)
    check_csrf(request, creds, None)
    url = settings_of(request).url
    if not is_sqlite(url):
        with contextlib.suppress(RunAlone):
            return await group_of(url).written(creds, work, locks)
    return await run_in_threadpool(alone, url, creds, work)


def alone(url: str, creds: Credentials, work: Callable[[Session, Actor], T]) -> T:
    """Run `work` in a write transaction of its own. When a unique constraint refuses the
    fast path (a protocol entered twice, a client key used again), it runs once more,
    careful: it looks first, and finds what the earlier request made (`steps`)."""
    for attempt in (1, 2):
        try:
            with writing(url) as session:
                session.info[CAREFUL] = attempt == 2
                return work(session, actor(session, creds))
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def read(request: Request, action: Action | None, work: Callable[[Session, Actor], T]) -> T:
    """Run `work` in a read transaction, after checking the actor may do `action`."""
    creds = credentials(request)
    with reading(settings_of(request).url) as session:
        who = actor(session, creds)
        if action is not None:
            require(who, action)
        return work(session, who)


def read_rows(request: Request, action: Action, query: Select[M], out: Callable[[M], T]) -> list[T]:
    """Every row `query` selects, each as `out` shows it, after checking the actor may do
    `action`."""
    return read(request, action, lambda session, _: [out(row) for row in session.scalars(query)])


def hidden_from(row: ProtocolRow, viewer: Actor) -> bool:
    """Whether `row`'s figures are hidden from `viewer` (blind double entry)."""
    second_in = row.verified_by is not None or row.resolved_by is not None
    return blind_to(row.entered_by, second_in, viewer.user_id)


def protocol_out(row: ProtocolRow, viewer: Actor, replayed: bool = False) -> ProtocolOut:
    """A protocol version as `viewer` may see it: its figures hidden until its second entry
    is in, unless the viewer entered it."""
    hidden = hidden_from(row, viewer)
    errors = json.loads(row.errors)
    return ProtocolOut(
        id=row.id,
        station_id=row.station_id,
        contest_id=row.contest_id,
        round=row.round,
        version=row.version,
        status=row.status,
        counted=bool(row.counted),
        values={"lines": {}, "votes": {}} if hidden else parse(row.data),
        errors=blinded_errors(errors) if hidden else errors,
        hidden=hidden,
        reason=row.reason,
        entered_by=row.entered_by,
        verified_by=row.verified_by,
        resolved_by=row.resolved_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        replayed=replayed,
    )
