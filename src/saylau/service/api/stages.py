"""Stage transitions (administrators): close a round, schedule runoffs with the recorded
lots, order a new voting, publish the snapshots. Each is recorded and audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from saylau.service import audit
from saylau.service.api.common import ERRORS, read_rows, write
from saylau.service.api.deps import settings_of
from saylau.service.api.schemas import CloseRoundIn, NewVotingIn, RunoffsIn, StageOut
from saylau.service.db import canonical, now
from saylau.service.election import chambers
from saylau.service.errors import Invalid, ServiceError
from saylau.service.held import RESULTS, result_rows
from saylau.service.models import ContestRow, ResultRow, StageRow
from saylau.service.outcome import current
from saylau.service.permissions import Actor, require
from saylau.service.snapshots import write_snapshots

router = APIRouter(prefix="/api/stages", tags=["stages"], responses=ERRORS)


def snapshot_folder(request: Request) -> Path:
    folder = settings_of(request).snapshots
    if folder is None:
        raise ServiceError(
            "the service was started without a snapshot folder (--snapshots DIR)",
            code="no_snapshots",
            status=409,
        )
    return folder


def stage_out(row: StageRow) -> StageOut:
    return StageOut(
        id=row.id, chamber=row.chamber, action=row.action, detail=json.loads(row.detail), at=row.at
    )


def _record(
    session: Session, who: Actor, chamber: str, action: str, detail: dict[str, Any]
) -> StageRow:
    decision = require(who, "stage.transition")
    if chamber not in {c["chamber_id"] for c in chambers(session)}:
        raise Invalid(f"chamber {chamber} is not one of this election's")
    row = StageRow(
        chamber=chamber, action=action, detail=canonical(detail), decided_by=who.user_id, at=now()
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=who.username,
        action=f"stage.{action}",
        target=f"stage:{row.id}",
        detail={**detail, "chamber": chamber, "permission": decision.reason},
        after=audit.digest(
            {"id": row.id, "chamber": chamber, "action": action, "detail": row.detail}
        ),
    )
    return row


@router.get("", response_model=list[StageOut])
def stages(request: Request) -> list[StageOut]:
    """Every transition recorded, in order."""
    return read_rows(request, "registry.read", select(StageRow).order_by(StageRow.id), stage_out)


@router.post("/close-round", response_model=StageOut, status_code=201)
def close_round(body: CloseRoundIn, request: Request) -> StageOut:
    """Close a round of a chamber: its decisions, as the count stands, are recorded."""
    url = settings_of(request).url

    def work(session: Session, who: Actor) -> StageOut:
        require(who, "stage.transition")
        outcome = current(session, url)
        if outcome.result is None:
            raise Invalid(f"round {body.round} cannot be closed: {outcome.problem}")
        decided = [d for d in outcome.result.decisions_of(body.chamber) if d.round == body.round]
        results = [
            {
                "contest_id": d.contest_id,
                "round": d.round,
                "status": type(d.decision).__name__,
                "detail": canonical({"reason": d.reason}),
            }
            for d in decided
        ]
        row = _record(
            session,
            who,
            body.chamber,
            "close_round",
            {
                "round": body.round,
                "decisions": len(decided),
                RESULTS: audit.digest(result_rows(results)),  # held by verification
            },
        )
        contests = set(
            session.scalars(select(ContestRow.contest_id).where(ContestRow.chamber == body.chamber))
        )
        session.execute(
            delete(ResultRow).where(
                ResultRow.round == body.round, ResultRow.contest_id.in_(contests)
            )
        )
        session.add_all(ResultRow(**result, stage_id=row.id) for result in results)
        return stage_out(row)

    return write(request, work)


@router.post("/runoffs", response_model=StageOut, status_code=201)
def schedule_runoffs(body: RunoffsIn, request: Request) -> StageOut:
    """Schedule the runoffs, with the lots or decisions that settled any tie."""

    def work(session: Session, who: Actor) -> StageOut:
        for r in body.resolutions:
            if session.get(ContestRow, r.contest_id) is None:
                raise Invalid(f"contest {r.contest_id} is not in the registry")
        detail = {"resolutions": [r.model_dump() for r in body.resolutions]}
        return stage_out(_record(session, who, body.chamber, "schedule_runoffs", detail))

    return write(request, work)


@router.post("/new-voting", response_model=StageOut, status_code=201)
def order_new_voting(body: NewVotingIn, request: Request) -> StageOut:
    """Invalidate a contest's result and order its new voting (a contest that replaces it)."""

    def work(session: Session, who: Actor) -> StageOut:
        old = session.get(ContestRow, body.contest_id)
        new = session.get(ContestRow, body.new_contest_id)
        if old is None or new is None:
            unknown = body.contest_id if old is None else body.new_contest_id
            raise Invalid(f"contest {unknown} is not in the registry")
        if new.replaces != old.contest_id:
            raise Invalid(f"contest {new.contest_id} is not the new voting of {old.contest_id}")
        return stage_out(_record(session, who, old.chamber, "order_new_voting", body.model_dump()))

    return write(request, work)


@router.post("/publish", response_model=StageOut, status_code=201)
def publish(request: Request) -> StageOut:
    """Write the static JSON snapshots of the results as they stand."""
    url = settings_of(request).url

    def work(session: Session, who: Actor) -> StageOut:
        require(who, "stage.transition")
        folder = snapshot_folder(request)
        written = write_snapshots(session, url, folder)
        chamber = chambers(session)[0]["chamber_id"]
        return stage_out(_record(session, who, chamber, "publish", {"files": len(written)}))

    return write(request, work)
