"""The nation's live totals are its districts' summed when read: no commit writes a row of
the nation (migration 0009), the nation's figures still equal a batch tabulation, and on
PostgreSQL a COMMIT adds its totals before it takes the audit chain's head."""

from __future__ import annotations

import threading
import time
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from saylau.service.api.common import write_as
from saylau.service.db import dispose, reading, writing
from saylau.service.election import loaded
from saylau.service.live import NATION, area_totals, batch_differences
from saylau.service.migrate import current, head, upgrade
from saylau.service.models import TotalRow
from tests.service.conftest import Api
from tests.service.test_group import creds, submit, verify
from tests.service.test_group_trips import _migrated
from tests.service.test_tamper import fill_accepted
from tests.service.test_workflow import akmola


def _nation_rows(url: str) -> dict[tuple[str, int, str], int]:
    with reading(url) as session:
        rows = session.execute(
            select(TotalRow.contest_id, TotalRow.round, TotalRow.item, TotalRow.value).where(
                TotalRow.level == NATION
            )
        )
        return {(c, r, item): value for c, r, item, value in rows}


def _districts_summed(url: str) -> dict[tuple[str, int, str], int]:
    with reading(url) as session:
        rows = session.execute(
            select(TotalRow.contest_id, TotalRow.round, TotalRow.item, func.sum(TotalRow.value))
            .where(TotalRow.level == "district")
            .group_by(TotalRow.contest_id, TotalRow.round, TotalRow.item)
        )
        return {(c, r, item): int(value) for c, r, item, value in rows}


def test_the_nation_is_its_districts_summed(api: Api, kz_protocols: Any) -> None:
    """Counted protocols of two districts leave no row of the nation; the nation's totals
    read are the districts' summed, and equal a batch tabulation at every level."""
    fill_accepted(api, kz_protocols, n=4)
    assert _nation_rows(api.url) == {}
    summed = _districts_summed(api.url)
    assert summed[("majilis-list", 1, "protocols")] == 4
    with reading(api.url) as session:
        assert batch_differences(session, loaded(session)) == []
        entries = ["otan"]
        nation = area_totals(session, "majilis-list", 1, NATION, entries)[NATION]
        districts = area_totals(session, "majilis-list", 1, "district", entries)
    assert len(districts) >= 1
    assert nation.protocols == 4
    assert nation.votes["otan"] == summed[("majilis-list", 1, "votes.otan")]
    assert nation.votes["otan"] == sum(d.votes["otan"] for d in districts.values())
    answer = api.get("/api/results", "observer").json()
    listed = next(c for c in answer["contests"] if c["contest_id"] == "majilis-list")
    assert listed["totals"]["votes"]["otan"] == nation.votes["otan"]


def test_no_total_of_the_nation_may_be_written(api: Api) -> None:
    """The totals' check keeps the nation's rows out: they would be counted twice."""
    row = {"contest_id": "majilis-list", "round": 1, "level": NATION, "area_id": NATION}
    with pytest.raises(IntegrityError), writing(api.url) as session:
        session.execute(insert(TotalRow), [{**row, "item": "protocols", "value": 1}])


def test_migration_0009_drops_the_nation_rows_and_goes_back(api: Api, kz_protocols: Any) -> None:
    """Back to 0008, the nation has its rows again, each its districts' sum; up to 0009
    they go, and the figures read stay the batch's."""
    fill_accepted(api, kz_protocols, n=3)
    dispose(api.url)
    _migrated(api.url, "0008", "downgrade")
    assert current(api.url) == "0008"
    summed = _districts_summed(api.url)
    assert summed and _nation_rows(api.url) == summed
    assert upgrade(api.url) == ("0008", head())
    assert _nation_rows(api.url) == {}
    assert _districts_summed(api.url) == summed
    with reading(api.url) as session:
        assert batch_differences(session, loaded(session)) == []


def _locked(url: str, territory: str) -> bool:
    """Whether another transaction holds the territory's count of list protocols locked."""
    with psycopg.connect(url) as probe:
        try:
            probe.execute(
                "SELECT 1 FROM totals WHERE contest_id = 'majilis-list' AND round = 1 "
                "AND level = 'territory' AND area_id = %s AND item = 'protocols' "
                "FOR UPDATE NOWAIT",
                (territory,),
            )
        except psycopg.errors.LockNotAvailable:
            return True
        finally:
            probe.rollback()
    return False


def test_a_commit_adds_its_totals_before_it_takes_the_chain(pg_url: str, kz_protocols: Any) -> None:
    """While another transaction holds the audit chain's head, a group's COMMIT has already
    added its totals (their rows are locked) and waits only for the head: the head is held
    from the last of the COMMIT's triggers to its end, not while the totals are added."""
    op1, op2 = creds(pg_url, "op1"), creds(pg_url, "op2")
    first, second = akmola(kz_protocols, 0), akmola(kz_protocols, 1)
    made = write_as(pg_url, op1, submit(first)).protocol
    write_as(pg_url, op2, verify(made.id, first), (made.id,))  # the totals' rows exist
    waiting = write_as(pg_url, op1, submit(second)).protocol
    driver = make_url(pg_url).set(drivername="postgresql").render_as_string(False)
    outcome: list[Any] = []
    with psycopg.connect(driver) as holder:
        holder.execute("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE")
        writer = threading.Thread(
            target=lambda: outcome.append(
                write_as(pg_url, op2, verify(waiting.id, second), (waiting.id,))
            )
        )
        writer.start()
        deadline = time.monotonic() + 30
        while not _locked(driver, "akmola") and time.monotonic() < deadline:
            time.sleep(0.05)
        locked, still = _locked(driver, "akmola"), writer.is_alive()
        holder.rollback()  # the head let go: the COMMIT ends
    writer.join(30)
    assert still, "the COMMIT waited for the chain's head"
    assert locked, "the totals were added before the head was taken"
    assert [o.protocol.status for o in outcome] == ["accepted"]
    with reading(pg_url) as session:
        count = session.scalar(
            text(
                "SELECT value FROM totals WHERE contest_id = 'majilis-list' AND round = 1 "
                "AND level = 'territory' AND area_id = 'akmola' AND item = 'protocols'"
            )
        )
    assert count == 2
