"""Tamper detection: an entry edited, deleted or reordered directly in the database, and a
protocol edited behind the chain's back, are named by `saylau audit verify`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli import app
from saylau.service.audit import verify_chain
from saylau.service.db import reading, writing
from tests.service.conftest import Api
from tests.service.test_workflow import akmola


def _fill(api: Api, kz_protocols: Any, n: int = 3) -> None:
    for i in range(n):
        body = akmola(kz_protocols, i)
        pid = api.post("/api/protocols", "op1", body).json()["id"]
        api.post(f"/api/protocols/{pid}/verify", "op2", {"values": body["values"]})


def _verify(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", "verify", "--url", url])
    return result.exit_code, result.output


def test_an_untouched_chain_verifies(api: Api, kz_protocols: Any) -> None:
    _fill(api, kz_protocols)
    code, output = _verify(api.url)
    assert code == 0 and "audit chain verifies" in output


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("UPDATE audit SET actor = 'mallory' WHERE seq = 12", "entry 12: edited"),
        ("DELETE FROM audit WHERE seq = 12", "entry 12: deleted"),
        (
            "UPDATE protocols SET data = replace(data, 'otan', 'OTAN') WHERE id = 2",
            "protocol 2: its state",
        ),
    ],
)
def test_a_direct_edit_is_named(api: Api, kz_protocols: Any, change: str, named: str) -> None:
    _fill(api, kz_protocols)
    with writing(api.url) as session:
        session.execute(text(change))
    code, output = _verify(api.url)
    assert code == 1, output
    assert f"first problem: {named}" in output


def test_a_reordered_entry_is_named(api: Api, kz_protocols: Any) -> None:
    _fill(api, kz_protocols)
    with writing(api.url) as session:
        session.execute(text("UPDATE audit SET seq = 1000 WHERE seq = 12"))
        session.execute(text("UPDATE audit SET seq = 12 WHERE seq = 13"))
        session.execute(text("UPDATE audit SET seq = 13 WHERE seq = 1000"))
    with reading(api.url) as session:
        report = verify_chain(session)
    assert report.first == "entry 12: reordered (it was written as entry 13)"
    code, output = _verify(api.url)
    assert code == 1 and "entry 12: reordered" in output
