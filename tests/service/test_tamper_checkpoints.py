"""The newest entries deleted with every row they wrote (issue 22, what remained of item 1):
the running service signs the chain's head on a timer (`checkpoints.Keeper`), so such a
deletion is named once a signed head covers it, and what can go unnoticed is bounded by the
timer's settings. The latest signed head is public. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from saylau.cli import app
from saylau.service.checkpoints import Keeper
from saylau.service.config import Settings
from saylau.service.db import reading, writing
from saylau.service.live import items
from saylau.service.models import AuditCheckpoint, AuditHead, AuditRow, ProtocolRow, StationRow
from tests.service.conftest import Api
from tests.service.test_tamper import fill_accepted


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def keeper(api: Api, seconds: int = 10, entries: int = 1000) -> tuple[Keeper, Clock]:
    clock = Clock()
    settings = Settings(
        url=api.url, secret=b"s", checkpoint_seconds=seconds, checkpoint_entries=entries
    )
    return Keeper(settings, clock=clock), clock


def cut(url: str, protocol_id: int) -> int:
    """What someone with the database would do to make a counted protocol never have been:
    delete its entries (the newest of the chain) and every entry after them, its entry
    copies and its row, take its figures back out of the totals, and move the head back;
    the seq of the first entry deleted."""
    with writing(url) as session:
        first = session.scalar(
            select(AuditRow.seq)
            .where(AuditRow.target == f"protocol:{protocol_id}")
            .order_by(AuditRow.seq)
            .limit(1)
        )
        assert first is not None
        row = session.get(ProtocolRow, protocol_id)
        station = session.get(StationRow, row.station_id) if row else None
        assert row is not None and station is not None
        areas = {"district": station.district_id, "territory": station.territory_id}
        for item, value in items(json.loads(row.data)).items():
            for level, area in areas.items():
                session.execute(
                    text(
                        "UPDATE totals SET value = value - :v WHERE contest_id = :c AND "
                        "round = :r AND level = :l AND area_id = :a AND item = :i"
                    ),
                    {"v": value, "c": row.contest_id, "r": row.round}
                    | {"l": level, "a": area, "i": item},
                )
        session.execute(text("DELETE FROM audit WHERE seq >= :s"), {"s": first})
        session.execute(
            text("DELETE FROM protocol_entries WHERE protocol_id = :p"), {"p": protocol_id}
        )
        session.execute(text("DELETE FROM protocols WHERE id = :p"), {"p": protocol_id})
        before = session.get(AuditRow, first - 1)
        head = session.get(AuditHead, 1)
        assert before is not None and head is not None
        head.seq, head.hash = before.seq, before.hash
    return first


def verify(url: str, *extra: str) -> Any:
    return CliRunner().invoke(app, ["audit", "verify", "--url", url, *extra])


def test_the_newest_entries_deleted_are_named_once_a_signed_head_covers_them(
    api: Api, kz_protocols: Any
) -> None:
    ids = fill_accepted(api, kz_protocols, 3)
    found, clock = keeper(api)
    assert not found.tick(), "the head moved: signed within 10 s, not at once"
    clock.now += 10
    assert found.tick()
    with reading(api.url) as session:
        point = session.scalars(select(AuditCheckpoint)).one()
        head = session.get_one(AuditHead, 1)
        assert (point.kind, point.seq, point.hash) == ("head", head.seq, head.hash)
    assert verify(api.url).exit_code == 0, "a head signed on the timer is no problem"

    cut(api.url, ids[-1])
    result = verify(api.url)
    assert result.exit_code == 1, result.output
    assert f"entry {point.seq}: the signed checkpoint of {point.at} names it" in result.output
    answer = api.get("/api/audit/verify", "observer").json()
    assert not answer["verified"]
    assert any(f"entry {point.seq}: the signed checkpoint" in p for p in answer["problems"])


def test_without_a_signed_head_the_same_deletion_goes_unnoticed(
    api: Api, kz_protocols: Any
) -> None:
    """The bound the timer closes: the attack above, made before any checkpoint covers the
    protocol, leaves a chain that verifies, every row held (the rows went with it)."""
    ids = fill_accepted(api, kz_protocols, 3)
    cut(api.url, ids[-1])
    result = verify(api.url)
    assert result.exit_code == 0, result.output


def test_the_keeper_signs_after_its_seconds_or_its_entries_whichever_first(
    api: Api, kz_protocols: Any
) -> None:
    found, clock = keeper(api, seconds=30, entries=4)
    assert found.tick(), "the prepared database's entries (load, users, logins): more than 4"
    assert not found.tick(), "nothing written since"
    fill_accepted(api, kz_protocols, 1)  # two entries
    assert not found.tick()
    clock.now += 29
    assert not found.tick()
    clock.now += 1
    assert found.tick(), "30 s after the head moved"
    clock.now += 1
    assert not found.tick(), "the head has not moved since"
    fill_accepted(api, kz_protocols, 2, 1)  # four entries: at once
    assert found.tick(), "4 entries since the last checkpoint"
    off, _ = keeper(api, seconds=0)
    fill_accepted(api, kz_protocols, 1, 3)
    assert not off.tick(), "0 s: never"
    with reading(api.url) as session:
        assert len(session.scalars(select(AuditCheckpoint)).all()) == 3


def test_the_latest_signed_head_is_public_and_anchors_the_chain(
    api: Api, kz_protocols: Any
) -> None:
    assert api.get("/api/audit/head", None).json() is None, "no checkpoint yet"
    ids = fill_accepted(api, kz_protocols, 2)
    found, clock = keeper(api, seconds=1)
    found.tick()
    clock.now += 1
    assert found.tick()
    head = api.get("/api/audit/head", None).json()  # no login
    assert head["kind"] == "head" and head["anchor"].startswith(f"{head['seq']}:{head['hash']}:")
    fine = verify(api.url, "--anchor", head["anchor"], "--public-key", head["public_key"])
    assert fine.exit_code == 0, fine.output
    cut(api.url, ids[-1])
    result = verify(api.url, "--anchor", head["anchor"], "--public-key", head["public_key"])
    assert result.exit_code == 1
    assert f"entry {head['seq']}: anchored, but the chain has no such entry" in result.output


def test_a_checkpoint_edited_in_the_database_is_never_published(
    api: Api, kz_protocols: Any
) -> None:
    fill_accepted(api, kz_protocols, 1)
    found, clock = keeper(api, seconds=1)
    found.tick()
    clock.now += 1
    assert found.tick()
    head = api.get("/api/audit/head", None).json()
    assert api.get("/api/audit/head", None).json() == head, "asked again: the same"
    with writing(api.url) as session:
        session.execute(text("UPDATE audit_checkpoints SET hash = :h"), {"h": "ab" * 32})
    assert api.get("/api/audit/head", None).json() is None, "no checkpoint's signature holds"


def test_the_head_kept_outside_the_database_names_a_cut_with_its_checkpoints_deleted(
    api: Api, kz_protocols: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone with only the database deletes the newest entries, their rows and every
    checkpoint: the database no longer says anything was there, but the head the keeper
    kept in SAYLAU_AUDIT_HEAD_FILE (on the server, beside the key) does."""
    ids = fill_accepted(api, kz_protocols, 2)
    kept = tmp_path / "server" / "saylau-audit.head"
    found, clock = keeper(api, seconds=1)
    found.tick()
    clock.now += 1
    monkeypatch.setenv("SAYLAU_AUDIT_HEAD_FILE", str(kept))
    assert found.tick() and kept.exists()
    assert verify(api.url).exit_code == 0
    cut(api.url, ids[-1])
    with writing(api.url) as session:
        session.execute(text("DELETE FROM audit_checkpoints"))
    monkeypatch.delenv("SAYLAU_AUDIT_HEAD_FILE")
    assert verify(api.url).exit_code == 0, "the database alone no longer tells"
    monkeypatch.setenv("SAYLAU_AUDIT_HEAD_FILE", str(kept))
    result = verify(api.url)
    assert result.exit_code == 1
    assert f"the head the service signed and kept in {kept} names it" in result.output
