"""Protocols: submit, verify, resolve a mismatch, correct, list with filters, read one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Concatenate, ParamSpec

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.service import workflow
from saylau.service.api.common import ERRORS, protocol_out, read, written
from saylau.service.api.schemas import (
    CorrectIn,
    ProtocolList,
    ProtocolOut,
    ResolveIn,
    SubmitIn,
    VerifyIn,
)
from saylau.service.election import Loaded, loaded, place
from saylau.service.errors import NotFound
from saylau.service.guard import Outcome
from saylau.service.models import MAX_ID, ProtocolRow, StationRow
from saylau.service.permissions import SCOPED, Actor, require

P = ParamSpec("P")

ProtocolId = Annotated[int, Path(ge=1, le=MAX_ID)]
"""A protocol's id: a 32-bit integer in the database, as every id there."""

router = APIRouter(prefix="/api/protocols", tags=["protocols"], responses=ERRORS)


TRANSITION: dict[str, Any] = {
    "status_code": 201,
    "response_model": ProtocolOut,
    "responses": {200: {"model": ProtocolOut, "description": "a replay"}},
}
"""How each transition answers: 201 with the version it made or changed, 200 for a replay."""


async def _transition(
    request: Request,
    response: Response,
    call: Callable[Concatenate[Session, Loaded, Actor, P], Outcome],
    *args: P.args,
    **kwargs: P.kwargs,
) -> ProtocolOut:
    """Run one transition of the workflow (`call`, with `args` after the session, the
    served election and the actor) in a write, as the requesting actor; answer as
    TRANSITION says. Awaited on the event loop: the write waits in the group commit's
    queue (`common.written`), not in a thread."""
    named = args[0] if args and isinstance(args[0], int) else None  # the protocol it changes
    outcome, who = await written(
        request,
        lambda session, who: (call(session, loaded(session), who, *args, **kwargs), who),
        locks=() if named is None else (named,),
    )
    response.status_code = 200 if outcome.replayed else 201
    return protocol_out(outcome.protocol, who, outcome.replayed)


@router.post("", **TRANSITION)
async def submit(body: SubmitIn, request: Request, response: Response) -> ProtocolOut:
    """Enter a station's protocol (version 1); it is checked by the law's form at once."""
    return await _transition(
        request,
        response,
        workflow.submit,
        station_id=body.station_id,
        contest_id=body.contest_id,
        round=body.round,
        values=body.values,
        client_key=body.client_key,
    )


@router.post("/{protocol_id}/verify", **TRANSITION)
async def verify(
    protocol_id: ProtocolId, body: VerifyIn, request: Request, response: Response
) -> ProtocolOut:
    """The second, independent entry by another user; equal, the protocol is counted."""
    return await _transition(
        request, response, workflow.verify, protocol_id, body.values, body.client_key
    )


@router.post("/{protocol_id}/resolve", **TRANSITION)
async def resolve(
    protocol_id: ProtocolId, body: ResolveIn, request: Request, response: Response
) -> ProtocolOut:
    """A supervisor settles a mismatch: the first entry, the second, or new figures."""
    return await _transition(
        request, response, workflow.resolve, protocol_id, body.choice, body.values, body.client_key
    )


@router.post("/{protocol_id}/correct", **TRANSITION)
async def correct(
    protocol_id: ProtocolId, body: CorrectIn, request: Request, response: Response
) -> ProtocolOut:
    """A new version of a protocol, with the reason for the correction."""
    return await _transition(
        request, response, workflow.correct, protocol_id, body.values, body.reason, body.client_key
    )


@router.get("", response_model=ProtocolList)
def list_protocols(
    request: Request,
    station_id: Annotated[str | None, Query(max_length=100)] = None,
    contest_id: Annotated[str | None, Query(max_length=100)] = None,
    round: Annotated[int | None, Query(ge=1, le=9)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    district_id: Annotated[str | None, Query(max_length=100)] = None,
    territory_id: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> ProtocolList:
    """Protocols, every version, filtered; a scoped role sees its own stations only."""

    def work(session: Session, who: Actor) -> ProtocolList:
        query = select(ProtocolRow).join(
            StationRow, StationRow.station_id == ProtocolRow.station_id
        )
        if who.role in SCOPED:
            commission = who.commission_id or ""
            if commission.startswith("tec-"):
                query = query.where(StationRow.territory_id == commission.removeprefix("tec-"))
            else:
                query = query.where(StationRow.district_id == commission.removeprefix("dec-"))
        for column, value in (
            (ProtocolRow.station_id, station_id),
            (ProtocolRow.contest_id, contest_id),
            (ProtocolRow.round, round),
            (ProtocolRow.status, status),
            (StationRow.district_id, district_id),
            (StationRow.territory_id, territory_id),
        ):
            if value is not None:
                query = query.where(column == value)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.scalars(query.order_by(ProtocolRow.id).limit(limit).offset(offset))
        return ProtocolList(protocols=[protocol_out(r, who) for r in rows], total=total)

    return read(request, "protocol.read", work)


@router.get("/{protocol_id}", response_model=ProtocolOut)
def get_protocol(protocol_id: ProtocolId, request: Request) -> ProtocolOut:
    """One protocol version, with its values and errors (its figures hidden from all but its
    first operator until its second entry is in)."""

    def work(session: Session, who: Actor) -> ProtocolOut:
        row = session.get(ProtocolRow, protocol_id)
        if row is None:
            raise NotFound(f"protocol {protocol_id} does not exist")
        require(who, "protocol.read", place(session, row.station_id))
        return protocol_out(row, who)

    return read(request, "protocol.read", work)
