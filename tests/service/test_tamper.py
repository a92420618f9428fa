"""Tamper evidence over everything that decides a result (issue 22, item 1): each attack of
someone holding only the database, made by SQL on SQLite and on PostgreSQL, is named by
`saylau audit verify` (the whole chain) and by `GET /api/audit/verify` (incremental from the
last signed checkpoint), with and without a signed anchor published before it."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from saylau.cli import app
from saylau.report import i18n
from saylau.service import audit
from saylau.service.db import canonical, reading, writing
from saylau.service.models import AuditHead, AuditRow, ProtocolRow
from saylau.service.signing import make_key, read_key
from tests.service.conftest import Api
from tests.service.test_workflow import akmola


def fill_accepted(api: Api, kz_protocols: Any, n: int = 3, start: int = 0) -> list[int]:
    """`n` protocols from the `start`th, entered twice, so accepted and counted; their ids."""
    ids = []
    for i in range(start, start + n):
        body = akmola(kz_protocols, i)
        pid = api.post("/api/protocols", "op1", body).json()["id"]
        answer = api.post(f"/api/protocols/{pid}/verify", "op2", {"values": body["values"]})
        assert answer.json()["status"] == "accepted", answer.text
        ids.append(pid)
    return ids


def _sql(url: str, *statements: str, **params: Any) -> None:
    with writing(url) as session:
        for statement in statements:
            session.execute(text(statement), params)


def edit_totals(url: str, ids: list[int]) -> None:
    _sql(url, "UPDATE totals SET value = value + 100000 WHERE item = 'votes.otan'")


def delete_protocol(url: str, ids: list[int]) -> None:
    _sql(
        url,
        "DELETE FROM protocol_entries WHERE protocol_id = :pid",
        "DELETE FROM protocols WHERE id = :pid",
        pid=ids[1],
    )


def edit_entry_copy(url: str, ids: list[int]) -> None:
    _sql(
        url,
        "UPDATE protocol_entries SET data = replace(data, '\"otan\":', '\"otan\": ') "
        "WHERE protocol_id = :pid AND kind = 'second'",
        pid=ids[0],
    )


def make_observer_administrator(url: str, ids: list[int]) -> None:
    _sql(url, "UPDATE users SET role = 'administrator' WHERE username = 'observer'")


FORGED_TOKEN = "a token nobody was given"


def forge_session(url: str, ids: list[int]) -> None:
    _sql(
        url,
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) "
        "SELECT :hash, id, '2026-01-01T00:00:00.000000+00:00', '2999-01-01T00:00:00.000000+00:00' "
        "FROM users WHERE username = 'admin'",
        hash=hashlib.sha256(FORGED_TOKEN.encode()).hexdigest(),
    )


def forge_entry(url: str, ids: list[int], signature: str | None = None) -> None:
    """What an operator with the database's keys would do: add 500 votes to a counted
    protocol and to its totals, then append an entry for it, "by" op1, every hash right.
    On PostgreSQL through `audit_pending`, as the application does: the database's own
    trigger seals it. Unsigned (or with `signature`)."""
    with writing(url) as session:
        row = session.get(ProtocolRow, ids[2])
        assert row is not None
        before = audit.state_hash(row)
        data = json.loads(row.data)
        data["votes"]["otan"] += 500
        row.data = canonical(data)
        session.flush()
        after = audit.state_hash(row)
        session.execute(
            text(
                "UPDATE totals SET value = value + 500 WHERE item = 'votes.otan' "
                "AND contest_id = :contest AND round = :round "
                "AND area_id IN (:district, :territory)"
            ),
            {
                "contest": row.contest_id,
                "round": row.round,
                "district": session.scalar(
                    text("SELECT district_id FROM stations WHERE station_id = :s"),
                    {"s": row.station_id},
                ),
                "territory": session.scalar(
                    text("SELECT territory_id FROM stations WHERE station_id = :s"),
                    {"s": row.station_id},
                ),
            },
        )
        at = "2026-12-06T21:00:00.000000+00:00"
        detail = canonical({"reason": "recount", "status": "accepted"})
        fields = {
            "at": at,
            "actor": "op1",
            "action": "protocol.correct",
            "target": f"protocol:{row.id}",
            "detail": detail,
            "before_hash": before,
            "after_hash": after,
            "signature": signature,
        }
        content = audit.content_hash(at, "op1", "protocol.correct", fields["target"], detail,
                                     before, after)  # fmt: skip
        if session.get_bind().dialect.name == "postgresql":
            columns = ", ".join([*fields, "content_hash"])
            values = ", ".join(f":{name}" for name in [*fields, "content_hash"])
            statement = f"INSERT INTO audit_pending ({columns}) VALUES ({values})"
            session.execute(text(statement), {**fields, "content_hash": content})
            return
        head = session.get(AuditHead, 1)
        assert head is not None
        seq, link = head.seq + 1, audit.link_hash(head.hash, head.seq + 1, content)
        session.add(AuditRow(seq=seq, prev_hash=head.hash, hash=link, **fields))
        head.seq, head.hash = seq, link


def forge_entry_with_a_copied_signature(url: str, ids: list[int]) -> None:
    with reading(url) as session:
        copied = session.scalar(select(AuditRow.signature).where(AuditRow.seq == 3))
    forge_entry(url, ids, copied)


ATTACKS: dict[str, tuple[Callable[[str, list[int]], None], str]] = {
    "totals": (
        edit_totals,
        "totals: votes.otan of majilis-list round 1 in district 01 is",
    ),
    "deleted protocol": (delete_protocol, "protocol {1}: deleted (entry"),
    "edited entry copy": (edit_entry_copy, "(protocol {0}, second): not the copy entry"),
    "observer made administrator": (
        make_observer_administrator,
        "(observer, administrator): not the user entry",
    ),
    "forged session": (forge_session, "(admin) made 2026-01-01T00:00:00.000000+00:00: no audit"),
    "forged entry": (
        forge_entry,
        "(protocol.correct of protocol:{2} by op1): not signed by the audit key",
    ),
    "forged entry, copied signature": (
        forge_entry_with_a_copied_signature,
        "(protocol.correct of protocol:{2} by op1): its signature does not verify",
    ),
}


def _signed_head(answer: dict[str, Any]) -> str:
    head = answer["head"]
    return f"{head['seq']}:{head['hash']}:{head['signature']}"


@pytest.mark.parametrize("anchored", [False, True], ids=["alone", "anchored"])
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_attack_by_sql_is_named(
    api: Api, kz_protocols: Any, attack: str, anchored: bool
) -> None:
    ids = fill_accepted(api, kz_protocols)
    early = api.get("/api/audit/verify", "observer").json()  # a signed checkpoint, and a head
    assert early["verified"], early["problems"]
    assert early["head"]["signature"] and early["public_key"]
    anchor = _signed_head(early)
    change, named = ATTACKS[attack]
    named = named.format(*ids)
    change(api.url, ids)

    extra = ["--anchor", anchor] if anchored else []
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url, *extra])
    assert result.exit_code == 1, result.output
    assert "audit chain does not verify" in result.output
    assert named in result.output, result.output
    assert "anchor" not in result.output.replace("--anchor", ""), "the signed anchor holds"

    params = {"anchor": anchor} if anchored else {}
    answer = api.get("/api/audit/verify", "observer", **params).json()
    assert not answer["verified"]
    assert any(named in problem for problem in answer["problems"]), answer["problems"]
    assert answer["since"] == early["head"]["seq"], "incremental, from the signed checkpoint"
    assert answer["checked"] == answer["entries"] - early["head"]["seq"]


def test_the_forged_session_opens_the_door_it_is_named_for(api: Api, kz_protocols: Any) -> None:
    """The attack is real: the forged row logs in as the administrator."""
    forge_session(api.url, [])
    headers = {"Authorization": f"Bearer {FORGED_TOKEN}"}
    assert api.client.get("/api/users", headers=headers).status_code == 200


def test_a_rewritten_chain_holds_no_signed_checkpoint(api: Api, kz_protocols: Any) -> None:
    """Every entry from 5 on deleted and the chain recomputed from there: every hash right,
    but the signed checkpoint of an earlier verification names the entry it no longer holds."""
    fill_accepted(api, kz_protocols)
    early = api.get("/api/audit/verify", "observer").json()
    assert early["verified"]
    seq = early["head"]["seq"]
    with writing(api.url) as session:
        session.execute(text("DELETE FROM audit WHERE seq > 5"))
        five = session.get(AuditRow, 5)
        head = session.get(AuditHead, 1)
        assert five is not None and head is not None
        head.seq, head.hash = 5, five.hash
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url])
    assert result.exit_code == 1
    assert f"entry {seq}: the signed checkpoint of {early_at(api)} names it" in result.output


def early_at(api: Api) -> str:
    with reading(api.url) as session:
        found = session.scalar(text("SELECT at FROM audit_checkpoints ORDER BY id LIMIT 1"))
    return str(found)


def test_a_forged_anchor_signature_is_named(api: Api, kz_protocols: Any) -> None:
    fill_accepted(api, kz_protocols, 1)
    early = api.get("/api/audit/verify", "observer").json()
    head = early["head"]
    forged = f"{head['seq']}:{head['hash']}:{'ab' * 64}"
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url, "--anchor", forged])
    assert result.exit_code == 1
    assert f"anchor {head['seq']}: its signature does not verify" in result.output


def test_a_forged_checkpoint_is_named(api: Api, kz_protocols: Any) -> None:
    fill_accepted(api, kz_protocols, 1)
    assert api.get("/api/audit/verify", "observer").json()["verified"]
    _sql(api.url, "UPDATE audit_checkpoints SET problems = 0, seq = seq + 1")
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url])
    assert result.exit_code == 1
    assert (
        "checkpoint 1 (entry" in result.output and "its signature does not verify" in result.output
    )


def test_the_published_public_key_checks_without_the_key_file(api: Api, kz_protocols: Any) -> None:
    fill_accepted(api, kz_protocols, 1)
    public = api.get("/api/audit/verify", "observer").json()["public_key"]
    other = read_key(Path(os.environ["SAYLAU_AUDIT_KEY"])).public.hex
    assert public == other
    fine = CliRunner().invoke(app, ["audit", "verify", "--url", api.url, "--public-key", public])
    assert fine.exit_code == 0, fine.output
    wrong = CliRunner().invoke(
        app, ["audit", "verify", "--url", api.url, "--public-key", "0" * 63 + "1"]
    )
    assert wrong.exit_code == 1 and "not signed" not in wrong.output
    assert "its signature does not verify with the audit key" in wrong.output


def test_the_key_file_is_made_once_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit.key"
    result = CliRunner().invoke(app, ["audit", "key", "--key", str(path)])
    assert result.exit_code == 0 and result.output.startswith("made "), result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = path.read_text()
    assert not make_key(path) and path.read_text() == first, "never overwritten"
    again = CliRunner().invoke(app, ["audit", "key", "--key", str(path)])
    assert (
        again.output.startswith("kept ") and result.output.split()[-1] == again.output.split()[-1]
    )
    path.chmod(0o644)
    refused = CliRunner().invoke(app, ["audit", "key", "--key", str(path)])
    assert refused.exit_code != 0 and "chmod 600" in refused.output


def test_the_public_page_says_when_the_chain_was_last_verified(api: Api, kz_protocols: Any) -> None:
    assert "The audit chain has not been verified yet." in api.client.get("/").text
    fill_accepted(api, kz_protocols, 1)
    assert api.get("/api/audit/verify", "observer").json()["verified"]
    page = api.client.get("/").text
    assert "The audit chain was last verified" in page
    assert "it verified, every row held to it" in page
    at = api.get("/api/results", None).json()["audit"]["at"]
    for language, said_at in (("en", "verified {}, through"), ("kk", "рет {} уақытында")):
        with i18n.using(language):  # written as the reader's language writes a time, not ISO
            shown = said_at.format(i18n.moment(at))
        assert shown in api.client.get("/", headers={"Accept-Language": language}).text, shown
    edit_totals(api.url, [])
    assert not api.get("/api/audit/verify", "observer").json()["verified"]
    page = api.client.get("/").text
    said = api.get("/api/results", None).json()["audit"]
    assert said["verified"] is False and said["problems"] >= 1
    assert said["first_problem"].startswith("totals: votes.otan")
    # the page says the result and how many problems (since bfd0254 not the first itself)
    assert f"it did not verify ({said['problems']} problems)" in page


def test_a_change_the_application_wrote_over_is_still_named(api: Api, kz_protocols: Any) -> None:
    """An observer made administrator who then logs in, and a protocol edited before its
    second entry: the application's next entry records the changed state as it finds it,
    but not as the entry before left it."""
    body = akmola(kz_protocols, 0)
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    make_observer_administrator(api.url, [])
    _sql(api.url, "UPDATE protocols SET reason = 'recount' WHERE id = :pid", pid=pid)
    login = {"username": "observer", "password": "correct horse battery"}
    assert api.client.post("/api/session", json=login).status_code == 200
    answer = api.post(f"/api/protocols/{pid}/verify", "op2", {"values": body["values"]})
    assert answer.json()["status"] == "accepted", answer.text
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url])
    assert result.exit_code == 1
    assert "(session.login) found it changed since entry" in result.output, result.output
    assert f"protocol {pid}: entry" in result.output
    assert "(protocol.verify) found it changed since entry" in result.output


def test_an_edited_stage_decision_is_named(api: Api, kz_protocols: Any) -> None:
    fill_accepted(api, kz_protocols, 1)
    published = api.post("/api/stages/publish", "admin")
    assert published.status_code == 201, published.text
    assert api.get("/api/audit/verify", "observer").json()["verified"]
    _sql(api.url, "UPDATE stages SET detail = replace(detail, '\"files\"', '\"filez\"')")
    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url])
    assert result.exit_code == 1
    assert "(publish of " in result.output and "not the decision entry" in result.output
