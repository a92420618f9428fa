"""The audit trail: its entries in order, and the chain checked (against anchors too)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service import audit
from saylau.service.api.common import ERRORS, read, read_rows
from saylau.service.api.schemas import AuditHeadOut, AuditOut, AuditVerifyOut
from saylau.service.errors import Invalid
from saylau.service.models import AuditRow
from saylau.service.permissions import Actor

router = APIRouter(prefix="/api", tags=["audit"], responses=ERRORS)

MAX_ANCHORS = 100


def audit_out(row: AuditRow) -> AuditOut:
    return AuditOut.model_validate(row, from_attributes=True)


@router.get("/audit", response_model=list[AuditOut])
def audit_trail(
    request: Request,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    target: Annotated[str | None, Query(max_length=200)] = None,
) -> list[AuditOut]:
    """Audit entries after `after`, in order."""
    query = select(AuditRow).where(AuditRow.seq > after)
    if target is not None:
        query = query.where(AuditRow.target == target)
    return read_rows(request, "audit.read", query.order_by(AuditRow.seq).limit(limit), audit_out)


@router.get("/audit/verify", response_model=AuditVerifyOut)
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
