"""The yardsticks: a no-op the load benchmark measures the app's own overhead by, and the
health check."""

from __future__ import annotations

from fastapi import APIRouter

from saylau.service.api.common import ERRORS
from saylau.service.api.schemas import Ok

router = APIRouter(prefix="/api", tags=["yardstick"], responses=ERRORS)


@router.get("/noop", response_model=Ok)
def noop() -> Ok:
    """Does nothing: the yardstick the load benchmark measures the app's own overhead by."""
    return Ok()


@router.get("/health", response_model=Ok)
def health() -> Ok:
    return Ok()
