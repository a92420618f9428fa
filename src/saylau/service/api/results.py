"""The results as the count stands: the nation, a territory, a district, a station."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from saylau.service import published
from saylau.service.api.common import ERRORS, read
from saylau.service.api.deps import settings_of

router = APIRouter(prefix="/api", tags=["results"], responses=ERRORS)


@router.get("/results")
def results(request: Request) -> dict[str, Any]:
    """The nation: each chamber's result as the count stands, and the live totals."""
    url = settings_of(request).url
    return read(request, "results.read", lambda s, _: published.national(s, url))


@router.get("/results/territories/{territory_id}")
def territory_results(territory_id: str, request: Request) -> dict[str, Any]:
    return read(request, "results.read", lambda s, _: published.territory(s, territory_id))


@router.get("/results/districts/{district_id}")
def district_results(district_id: str, request: Request) -> dict[str, Any]:
    url = settings_of(request).url
    return read(request, "results.read", lambda s, _: published.district(s, district_id, url))


@router.get("/results/stations/{station_id}")
def station_results(station_id: str, request: Request) -> dict[str, Any]:
    return read(request, "results.read", lambda s, _: published.station(s, station_id))
