"""The verification queue lists protocols in the order they were entered, not by id: on
PostgreSQL each server process draws ids in blocks of its own, so a later protocol may
have the smaller id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from saylau.service.db import writing
from saylau.service.models import ProtocolRow
from tests.service.conftest import Api
from tests.service.test_workflow import akmola


def test_the_queue_lists_the_oldest_entry_first(api: Api, kz_protocols: Any) -> None:
    bodies = [akmola(kz_protocols, n) for n in (50, 51)]
    ids = [api.post("/api/protocols", "op1", body).json()["id"] for body in bodies]
    with writing(api.url) as session:  # the smaller id entered second, as from another block
        session.execute(
            update(ProtocolRow)
            .where(ProtocolRow.id == ids[0])
            .values(created_at="9999-12-31T00:00:00+00:00")
        )
    page = api.client.get("/queue", headers=api.as_("op2"))
    assert page.status_code == 200, page.text
    first, second = (page.text.index(body["station_id"]) for body in bodies)
    assert second < first, "the protocol entered first is listed first"
