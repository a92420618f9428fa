"""Session, registry, results, audit, users, stages and the yardstick endpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service import accounts, audit, published
from saylau.service.api.common import ERRORS, read, write
from saylau.service.api.deps import COOKIE, address, credentials, csrf_token, settings_of
from saylau.service.api.schemas import (
    AuditHeadOut,
    AuditOut,
    AuditVerifyOut,
    LoginIn,
    Ok,
    SessionOut,
    UserIn,
    UserOut,
)
from saylau.service.db import writing
from saylau.service.election import chambers, election_row
from saylau.service.errors import Invalid, ServiceError
from saylau.service.load import commissions
from saylau.service.models import (
    AuditRow,
    ContestRow,
    DistrictRow,
    StationRow,
    TerritoryRow,
    UserRow,
)
from saylau.service.permissions import Actor, require

router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/noop", response_model=Ok, tags=["yardstick"])
def noop() -> Ok:
    """Does nothing: the yardstick the load benchmark measures the app's own overhead by."""
    return Ok()


@router.get("/health", response_model=Ok, tags=["yardstick"])
def health() -> Ok:
    return Ok()


def set_session_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")


@router.post("/session", response_model=SessionOut, tags=["session"])
def login(body: LoginIn, request: Request, response: Response) -> SessionOut:
    """Log in: a session token (also set as an HttpOnly, SameSite cookie) and its CSRF token."""
    settings = settings_of(request)
    with writing(settings.url) as session:
        found = accounts.login(session, body.username, body.password, address(request), settings)
    if found is None:
        raise accounts.refused()
    token, user = found
    set_session_cookie(response, token, settings.secure_cookies)
    return SessionOut(
        token=token,
        username=user.username,
        role=user.role,
        commission_id=user.commission_id,
        csrf=csrf_token(settings, token),
    )


@router.delete("/session", response_model=Ok, tags=["session"])
def logout(request: Request, response: Response) -> Ok:
    """End the session."""
    creds = credentials(request)

    def work(session: Session, who: Actor) -> Ok:
        if creds.token:
            accounts.logout(session, creds.token)
        return Ok()

    found = write(request, work)
    response.delete_cookie(COOKIE, path="/")
    return found


@router.get("/registry", tags=["registry"])
def registry(request: Request) -> dict[str, Any]:
    """The election, its chambers, territories, districts and contests."""

    def work(session: Session, who: Actor) -> dict[str, Any]:
        row = election_row(session)
        return {
            "election": {"id": row.election_id, "name": row.name, "source": row.source},
            "chambers": chambers(session),
            "territories": [
                {"territory_id": t.territory_id, "name": t.name}
                for t in session.scalars(select(TerritoryRow).order_by(TerritoryRow.territory_id))
            ],
            "districts": [
                {"district_id": d.district_id, "name": d.name, "territory_id": d.territory_id}
                for d in session.scalars(select(DistrictRow).order_by(DistrictRow.district_id))
            ],
            "contests": [
                {
                    "contest_id": c.contest_id,
                    "chamber": c.chamber,
                    "tier": c.tier,
                    "district_id": c.district_id,
                    "rounds": c.rounds,
                    "replaces": c.replaces,
                }
                for c in session.scalars(select(ContestRow).order_by(ContestRow.position))
            ],
        }

    return read(request, "registry.read", work)


@router.get("/registry/stations", tags=["registry"])
def stations(
    request: Request,
    district_id: Annotated[str | None, Query(max_length=100)] = None,
    territory_id: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """Stations, with their district and territory."""

    def work(session: Session, who: Actor) -> dict[str, Any]:
        query = select(StationRow)
        if district_id is not None:
            query = query.where(StationRow.district_id == district_id)
        if territory_id is not None:
            query = query.where(StationRow.territory_id == territory_id)
        rows = session.scalars(query.order_by(StationRow.station_id).limit(limit).offset(offset))
        return {
            "stations": [
                {
                    "station_id": s.station_id,
                    "district_id": s.district_id,
                    "territory_id": s.territory_id,
                }
                for s in rows
            ]
        }

    return read(request, "registry.read", work)


@router.get("/results", tags=["results"])
def results(request: Request) -> dict[str, Any]:
    """The nation: each chamber's result as the count stands, and the live totals."""
    url = settings_of(request).url
    return read(request, "results.read", lambda s, _: published.national(s, url))


@router.get("/results/territories/{territory_id}", tags=["results"])
def territory_results(territory_id: str, request: Request) -> dict[str, Any]:
    return read(request, "results.read", lambda s, _: published.territory(s, territory_id))


@router.get("/results/districts/{district_id}", tags=["results"])
def district_results(district_id: str, request: Request) -> dict[str, Any]:
    url = settings_of(request).url
    return read(request, "results.read", lambda s, _: published.district(s, district_id, url))


@router.get("/results/stations/{station_id}", tags=["results"])
def station_results(station_id: str, request: Request) -> dict[str, Any]:
    return read(request, "results.read", lambda s, _: published.station(s, station_id))


def audit_out(row: AuditRow) -> AuditOut:
    return AuditOut(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        detail=json.loads(row.detail),
        before_hash=row.before_hash,
        after_hash=row.after_hash,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


@router.get("/audit", response_model=list[AuditOut], tags=["audit"])
def audit_trail(
    request: Request,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    target: Annotated[str | None, Query(max_length=200)] = None,
) -> list[AuditOut]:
    """Audit entries after `after`, in order."""

    def work(session: Session, who: Actor) -> list[AuditOut]:
        query = select(AuditRow).where(AuditRow.seq > after)
        if target is not None:
            query = query.where(AuditRow.target == target)
        return [audit_out(r) for r in session.scalars(query.order_by(AuditRow.seq).limit(limit))]

    return read(request, "audit.read", work)


MAX_ANCHORS = 100


@router.get("/audit/verify", response_model=AuditVerifyOut, tags=["audit"])
def audit_verify(
    request: Request,
    anchor: Annotated[
        list[str] | None,
        Query(max_length=200, description="SEQ:HASH of an entry published earlier"),
    ] = None,
) -> AuditVerifyOut:
    """Check the whole chain against the data, and against each anchor (an entry's hash
    published earlier); the first problem named first."""
    if len(anchor or []) > MAX_ANCHORS:
        raise Invalid(f"at most {MAX_ANCHORS} anchors, not {len(anchor or [])}")
    try:
        anchors = [audit.Anchor.parse(text) for text in anchor or []]
    except ValueError as exc:
        raise Invalid(str(exc)) from None

    def work(session: Session, who: Actor) -> AuditVerifyOut:
        found = audit.verify_chain(session, anchors)
        head = found.head
        return AuditVerifyOut(
            verified=found.verified,
            entries=found.entries,
            first_problem=found.first,
            problems=list(found.problems),
            head=None if head is None else AuditHeadOut(seq=head.seq, hash=head.hash),
            anchors=len(anchors),
        )

    return read(request, "audit.read", work)


def user_out(user: UserRow) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        role=user.role,
        commission_id=user.commission_id,
        active=user.active,
    )


@router.get("/users", response_model=list[UserOut], tags=["users"])
def users(request: Request) -> list[UserOut]:
    return read(
        request,
        "user.admin",
        lambda s, _: [user_out(u) for u in s.scalars(select(UserRow).order_by(UserRow.id))],
    )


@router.post("/users", response_model=UserOut, status_code=201, tags=["users"])
def add_user(body: UserIn, request: Request) -> UserOut:
    """Create an account (administrators only)."""

    def work(session: Session, who: Actor) -> UserOut:
        require(who, "user.admin")
        user = accounts.create_user(
            session,
            body.username,
            body.password,
            body.role,
            body.commission_id,
            by=who.username,
            commissions=commissions(session),
        )
        return user_out(user)

    return write(request, work)


def snapshot_folder(request: Request) -> Path:
    folder = settings_of(request).snapshots
    if folder is None:
        raise ServiceError(
            "the service was started without a snapshot folder (--snapshots DIR)",
            code="no_snapshots",
            status=409,
        )
    return folder
