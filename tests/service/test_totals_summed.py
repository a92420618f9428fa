"""The territories' and the nation's live totals are summed from the districts' when read:
no commit writes a row of the nation, nor of a territory its districts lie wholly in
(migration 0009); a district that crosses territories also counts each of its stations in
the station's territory; the figures read equal a recount at every level; and on
PostgreSQL a COMMIT adds its totals before it takes the audit chain's head."""

from __future__ import annotations

import copy
import json
import threading
import time
from typing import Any

import psycopg
import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from saylau.service.api.common import write_as
from saylau.service.db import dispose, reading, writing
from saylau.service.election import forget, loaded, spread_districts
from saylau.service.integrity import totals_problems
from saylau.service.live import NATION, area_totals, batch_differences, items
from saylau.service.migrate import current, head, upgrade
from saylau.service.models import ProtocolRow, StationRow, TotalRow
from tests.service.conftest import Api
from tests.service.test_group import creds, submit, verify
from tests.service.test_group_trips import _migrated
from tests.service.test_tamper import fill_accepted
from tests.service.test_workflow import akmola

Key = tuple[str, int, str, str, str]


def _rows(url: str) -> dict[Key, int]:
    with reading(url) as session:
        found = session.execute(select(TotalRow))
        return {(r.contest_id, r.round, r.level, r.area_id, r.item): r.value for (r,) in found}


def _recount(url: str) -> dict[Key, int]:
    """Every total of every level, added up from the counted protocols and where their
    stations lie, one protocol at a time."""
    found: dict[Key, int] = {}
    with reading(url) as session:
        counted = session.scalars(select(ProtocolRow).where(ProtocolRow.counted))
        for row in counted:
            station = session.get(StationRow, row.station_id)
            assert station is not None
            areas = [
                ("district", station.district_id),
                ("territory", station.territory_id),
                (NATION, NATION),
            ]
            for item, value in items(json.loads(row.data)).items():
                for level, area in areas:
                    key = (row.contest_id, row.round, level, area, item)
                    found[key] = found.get(key, 0) + value
    return found


def _read(url: str, level: str) -> dict[Key, int]:
    """Every total of one level, as `area_totals` reads it."""
    found: dict[Key, int] = {}
    with reading(url) as session:
        for area, totals in area_totals(session, "majilis-list", 1, level, ["otan"]).items():
            found[("majilis-list", 1, level, area, "protocols")] = totals.protocols
            found[("majilis-list", 1, level, area, "votes.otan")] = totals.votes["otan"]
    return found


def _as_read(recount: dict[Key, int], level: str) -> dict[Key, int]:
    return {
        key: value
        for key, value in recount.items()
        if key[2] == level and key[4] in ("protocols", "votes.otan")
    }


MOVED = "05-001"
"""The station moved into Akmola (`_cross`), out of district 05's own territory."""


def _cross(url: str, kz_protocols: Any) -> dict[str, Any]:
    """Move the first station of district 05 into Akmola, whose operators may then enter
    it, so that district 05 crosses territories; its list protocol."""
    with writing(url) as session:
        session.execute(
            text("UPDATE stations SET territory_id = 'akmola' WHERE station_id = :s"),
            {"s": MOVED},
        )
    forget(url)
    found = [p for p in kz_protocols[("majilis-list", 1)] if p["station_id"] == MOVED]
    return copy.deepcopy(found[0])


def _accept(api: Api, body: dict[str, Any]) -> None:
    made = api.post("/api/protocols", "op1", body)
    assert made.status_code == 201, made.text
    checked = {"values": body["values"]}
    answer = api.post(f"/api/protocols/{made.json()['id']}/verify", "op2", checked)
    assert answer.json()["status"] == "accepted", answer.text


def test_territories_and_the_nation_are_their_districts_summed(api: Api, kz_protocols: Any) -> None:
    """Counted protocols leave rows of their districts only; the territories' and the
    nation's totals read are the districts' summed, and equal a recount and a batch
    tabulation at every level."""
    fill_accepted(api, kz_protocols, n=4)
    assert {key[2] for key in _rows(api.url)} == {"district"}
    recount = _recount(api.url)
    for level in ("district", "territory", NATION):
        assert _read(api.url, level) == _as_read(recount, level), level
    with reading(api.url) as session:
        assert spread_districts(session) == frozenset()
        assert batch_differences(session, loaded(session)) == []
        assert totals_problems(session) == []
    answer = api.get("/api/results", "observer").json()
    listed = next(c for c in answer["contests"] if c["contest_id"] == "majilis-list")
    assert listed["totals"]["votes"]["otan"] == recount[("majilis-list", 1, NATION, NATION,
                                                          "votes.otan")]  # fmt: skip


def test_a_district_across_territories_counts_its_stations_in_theirs(
    api: Api, kz_protocols: Any
) -> None:
    """A district with a station in another territory counts each of its stations' protocols
    in the station's territory too, and every level read equals a recount by where each
    station lies."""
    moved = _cross(api.url, kz_protocols)
    fill_accepted(api, kz_protocols, n=2)
    _accept(api, moved)
    with reading(api.url) as session:
        assert spread_districts(session) == frozenset({"05"})
        home = session.scalar(text("SELECT territory_id FROM districts WHERE district_id = '05'"))
        assert totals_problems(session) == []
    assert home != "akmola"
    rows = _rows(api.url)
    assert {key[3] for key in rows if key[2] == "territory"} == {"akmola"}, "its station's"
    recount = _recount(api.url)
    assert recount[("majilis-list", 1, "territory", "akmola", "protocols")] == 3
    for level in ("district", "territory", NATION):
        assert _read(api.url, level) == _as_read(recount, level), level


def test_no_total_of_the_nation_may_be_written(api: Api) -> None:
    """The totals' check keeps the nation's rows out: they would be counted twice."""
    row = {"contest_id": "majilis-list", "round": 1, "level": NATION, "area_id": NATION}
    with pytest.raises(IntegrityError), writing(api.url) as session:
        session.execute(insert(TotalRow), [{**row, "item": "protocols", "value": 1}])


@pytest.mark.parametrize("crossing", [False, True], ids=["nested", "crossing"])
def test_migration_0009_sums_when_read_and_goes_back(
    api: Api, kz_protocols: Any, crossing: bool
) -> None:
    """Back to 0008, every territory and the nation have their rows whole again, each a
    recount; up to 0009 the rows are as the commits had left them."""
    fill_accepted(api, kz_protocols, n=2)
    if crossing:
        _accept(api, _cross(api.url, kz_protocols))
    kept = _rows(api.url)
    dispose(api.url)
    _migrated(api.url, "0008", "downgrade")
    assert current(api.url) == "0008"
    assert _rows(api.url) == _recount(api.url)
    assert upgrade(api.url) == ("0008", head())
    assert _rows(api.url) == kept
    with reading(api.url) as session:
        assert totals_problems(session) == []


def _locked(url: str) -> bool:
    """Whether another transaction holds district 01's count of list protocols locked."""
    with psycopg.connect(url) as probe:
        try:
            probe.execute(
                "SELECT 1 FROM totals WHERE contest_id = 'majilis-list' AND round = 1 "
                "AND level = 'district' AND area_id = '01' AND item = 'protocols' "
                "FOR UPDATE NOWAIT"
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
        while not _locked(driver) and time.monotonic() < deadline:
            time.sleep(0.05)
        locked, still = _locked(driver), writer.is_alive()
        holder.rollback()  # the head let go: the COMMIT ends
    writer.join(30)
    assert still, "the COMMIT waited for the chain's head"
    assert locked, "the totals were added before the head was taken"
    assert [o.protocol.status for o in outcome] == ["accepted"]
    assert _rows(pg_url)[("majilis-list", 1, "district", "01", "protocols")] == 2
