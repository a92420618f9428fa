"""Live results: server-sent events, and the same as a poll for clients without them.

The stream sends an `update` event whenever the audit chain moves on (every write moves
it): the entry's seq and the national live totals. A poll with `since` answers at once.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from saylau.service import published
from saylau.service.api.common import ERRORS, read
from saylau.service.api.deps import settings_of
from saylau.service.db import reading
from saylau.service.permissions import Actor

router = APIRouter(prefix="/api/live", tags=["live"], responses=ERRORS)

INTERVAL = 1.0

STOPPING = threading.Event()
"""Set when the server begins to stop (`serving`): each event stream ends at its next
tick, so that a page left open does not hold the server up."""


_last: dict[str, dict[str, Any]] = {}


def snapshot(session: Session) -> dict[str, Any]:
    """The live state: the audit seq, protocols counted by territory, the national totals of
    every contest. Made once per seq in each process, however many clients listen."""
    seq = published.seq(session)
    key = str(session.get_bind().engine.url)
    kept = _last.get(key)
    if kept is not None and kept["seq"] == seq:
        return dict(kept)
    found = {
        "seq": seq,
        "protocols_by_territory": published.protocols_by_territory(session),
        "contests": published.nation_totals(session),
    }
    _last[key] = found
    return dict(found)


@router.get("/poll")
def poll(request: Request, since: Annotated[int, Query(ge=0, le=2**62)] = 0) -> dict[str, Any]:
    """The live state, and whether it moved since entry `since`."""

    def work(session: Session, who: Actor) -> dict[str, Any]:
        found = snapshot(session)
        found["changed"] = found["seq"] != since
        return found

    return read(request, "results.read", work)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def events(request: Request, once: bool = False) -> StreamingResponse:
    """Server-sent events: `update` with the live state each time it changes."""
    url = settings_of(request).url
    read(request, "results.read", lambda s, w: None)

    def state() -> dict[str, Any]:
        with reading(url) as session:
            return snapshot(session)

    async def stream() -> AsyncIterator[str]:
        last = -1
        yield "retry: 3000\n\n"
        while True:
            found = await asyncio.to_thread(state)
            if found["seq"] != last:
                last = found["seq"]
                yield f"id: {last}\nevent: update\ndata: {json.dumps(found)}\n\n"
                if once:
                    return
            if STOPPING.is_set() or await request.is_disconnected():
                return
            await asyncio.sleep(INTERVAL)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )
