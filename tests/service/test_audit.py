"""Tamper detection: an entry edited, deleted or reordered directly in the database, and a
protocol edited behind the chain's back, are named by `saylau audit verify`."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from saylau.cli import app
from saylau.service.audit import content_hash, link_hash
from saylau.service.db import reading, writing
from saylau.service.models import AuditHead, AuditRow
from saylau.service.verification import verify_chain
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


def _rewrite_from(url: str, seq: int) -> None:
    """What someone with the database's keys could do: edit entry `seq` and recompute the
    hash of every entry from it on, and the head, so that the chain holds together."""
    with writing(url) as session:
        rows = list(session.scalars(select(AuditRow).order_by(AuditRow.seq)))
        previous = rows[seq - 2].hash
        for row in rows[seq - 1 :]:
            if row.seq == seq:
                row.actor = "mallory"
            content = content_hash(
                row.at, row.actor, row.action, row.target, row.detail,
                row.before_hash, row.after_hash,
            )  # fmt: skip
            row.prev_hash, row.hash = previous, link_hash(previous, row.seq, content)
            previous = row.hash
        head = session.get(AuditHead, 1)
        assert head is not None
        head.seq, head.hash = rows[-1].seq, previous


def test_a_rewritten_chain_is_named_by_its_signatures_and_an_anchor_published_before(
    api: Api, kz_protocols: Any
) -> None:
    _fill(api, kz_protocols)
    code, output = _verify(api.url)
    noted = output.rsplit("head: entry ", 1)[1].strip()  # as an observer would note it
    early = api.get("/api/audit/verify", "observer").json()
    assert early["verified"] and noted.startswith(f"{early['head']['seq']}:{early['head']['hash']}")
    with reading(api.url) as session:
        five = session.get(AuditRow, 5)
        assert five is not None
        kept = f"5:{five.hash}"
    _rewrite_from(api.url, 12)

    code, output = _verify(api.url)
    assert code == 1, "rewritten whole, the chain holds together, but not its signatures"
    assert "entry 12 (" in output and "its signature does not verify" in output
    result = CliRunner().invoke(
        app, ["audit", "verify", "--url", api.url, "--anchor", kept, "--anchor", noted]
    )
    assert result.exit_code == 1, result.output
    seq = noted.split(":")[0]
    assert f"entry {seq}: its hash is not the anchored" in result.output
    assert "entry 5:" not in result.output, "the entries before the rewrite still hold"
    answer = api.get("/api/audit/verify", "observer", anchor=noted).json()
    assert not answer["verified"] and answer["anchors"] == 1
    assert any(
        p.startswith(f"entry {seq}: its hash is not the anchored") for p in answer["problems"]
    )


@pytest.mark.parametrize(
    "anchor",
    [
        "12",
        "12:abc",
        "x:" + "0" * 64,
        "0:" + "0" * 64,
        "12:" + "g" * 64,
        ":" + "0" * 64,
        "\u00b2:" + "0" * 64,
        "9" * 40 + ":" + "0" * 64,
    ],
)
def test_an_anchor_that_is_not_seq_colon_hash_is_refused(shared_api: Api, anchor: str) -> None:
    api = shared_api
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url, "--anchor", anchor])
    assert result.exit_code == 2 and "--anchor" in result.output, result.output
    assert "Traceback" not in result.output
    answer = api.get("/api/audit/verify", "observer", anchor=anchor)
    assert answer.status_code == 422 and "anchor" in answer.json()["error"], answer.text
