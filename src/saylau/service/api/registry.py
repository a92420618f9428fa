"""The registry: the election, its chambers, territories, districts, contests, stations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.service.api.common import ERRORS, read
from saylau.service.election import chambers, election_row
from saylau.service.models import ContestRow, DistrictRow, StationRow, TerritoryRow
from saylau.service.permissions import Actor

router = APIRouter(prefix="/api", tags=["registry"], responses=ERRORS)


@router.get("/registry")
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


@router.get("/registry/stations")
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
