"""The audit trail: its entries in order, and the chain checked (against anchors too).

Who sees what: a supervisor reads only the entries of its own commission's protocols, and
the address a login came from is shown to administrators only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy import Select, String, cast, literal, select
from sqlalchemy.orm import Session

from saylau.service import audit, checkpoints, verification
from saylau.service.api.common import ERRORS, read
from saylau.service.api.deps import settings_of
from saylau.service.api.schemas import AuditHeadOut, AuditOut, AuditVerifyOut
from saylau.service.db import writing
from saylau.service.errors import Invalid
from saylau.service.models import AuditRow, ProtocolRow, StationRow
from saylau.service.permissions import Actor
from saylau.service.signing import signer
from saylau.service.verification import ChainReport

router = APIRouter(prefix="/api", tags=["audit"], responses=ERRORS)

MAX_ANCHORS = 100


PRIVATE = ("address",)
"""What an entry's detail holds that only administrators see: where a login came from."""


def audit_out(row: AuditRow, viewer: Actor) -> AuditOut:
    """An entry as `viewer` may see it: without the login's address, but to administrators."""
    found = AuditOut.model_validate(row, from_attributes=True)
    if viewer.role != "administrator" and any(key in found.detail for key in PRIVATE):
        detail = {key: value for key, value in found.detail.items() if key not in PRIVATE}
        found = found.model_copy(update={"detail": detail})
    return found


def visible(query: Select[AuditRow], viewer: Actor) -> Select[AuditRow]:
    """`query` narrowed to what `viewer` may read: a supervisor, the entries of its own
    commission's protocols only; every other reader of the trail, every entry."""
    if viewer.role != "supervisor":
        return query
    commission = viewer.commission_id or ""
    column = StationRow.territory_id if commission.startswith("tec-") else StationRow.district_id
    targets = (
        select(literal("protocol:") + cast(ProtocolRow.id, String))
        .join(StationRow, StationRow.station_id == ProtocolRow.station_id)
        .where(column == commission[4:])
    )
    return query.where(AuditRow.target.in_(targets))


@router.get("/audit", response_model=list[AuditOut])
def audit_trail(
    request: Request,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    target: Annotated[str | None, Query(max_length=200)] = None,
) -> list[AuditOut]:
    """Audit entries after `after`, in order: a supervisor's, of its own commission's
    protocols only; a login's address for administrators only."""
    query = select(AuditRow).where(AuditRow.seq > after)
    if target is not None:
        query = query.where(AuditRow.target == target)
    query = query.order_by(AuditRow.seq).limit(limit)

    def work(session: Session, who: Actor) -> list[AuditOut]:
        return [audit_out(row, who) for row in session.scalars(visible(query, who))]

    return read(request, "audit.read", work)


@router.get("/audit/verify", response_model=AuditVerifyOut)
def audit_verify(
    request: Request,
    anchor: Annotated[
        list[str] | None,
        Query(
            max_length=300,
            description="SEQ:HASH or SEQ:HASH:SIGNATURE of a head published earlier",
        ),
    ] = None,
) -> AuditVerifyOut:
    """Check the chain from the last signed checkpoint that verified (its signatures and
    links), every row it holds and the live totals, and each anchor (a head published
    earlier); the first problem named first. The result is kept as a signed checkpoint."""
    if len(anchor or []) > MAX_ANCHORS:
        raise Invalid(f"at most {MAX_ANCHORS} anchors, not {len(anchor or [])}")
    try:
        anchors = [audit.Anchor.parse(text) for text in anchor or []]
    except ValueError as exc:
        raise Invalid(str(exc)) from None

    def work(session: Session, who: Actor) -> ChainReport:
        return verification.verify_chain(session, anchors, incremental=True)

    found = read(request, "audit.read", work)
    holder = signer(make=False)
    if holder is not None:
        with writing(settings_of(request).url) as session:
            verification.record_checkpoint(session, found, holder)
    head = verification.signed_head(found, holder)
    return AuditVerifyOut(
        verified=found.verified,
        entries=found.entries,
        first_problem=found.first,
        problems=list(found.problems),
        head=None
        if head is None
        else AuditHeadOut(seq=head.seq, hash=head.hash, signature=head.signature),
        anchors=len(anchors),
        public_key=found.public_key,
        since=found.since,
        checked=found.checked,
    )


class SignedHeadOut(BaseModel):
    """The latest head the audit key signed: `anchor` is what `saylau audit verify --anchor`
    takes; `kind` says whether a verification found it or the service signed it on its
    timer."""

    seq: int
    hash: str
    signature: str
    public_key: str
    at: str
    kind: str
    anchor: str


@router.get("/audit/head", response_model=SignedHeadOut | None)
def audit_head(request: Request) -> SignedHeadOut | None:
    """The latest signed head of the chain, for anyone to keep (no login needed): a chain
    rewritten or cut short at or before it no longer verifies against it (null before the
    first checkpoint)."""

    def work(session: Session, who: Actor) -> SignedHeadOut | None:
        found = checkpoints.latest_head(session)
        return None if found is None else SignedHeadOut(**found)

    return read(request, "results.read", work)
