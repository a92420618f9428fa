"""Stage transitions beyond the role matrix: ordering the new votings, closing a round (its
decisions recorded as the count stands), scheduling runoffs with the recorded lot, and
publishing the static JSON snapshots (national, per territory, per district), which hold
what the API serves. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from saylau.pipeline.run import load_inputs
from saylau.service import workflow
from saylau.service.audit import Anchor
from saylau.service.db import reading, writing
from saylau.service.election import loaded
from saylau.service.models import AuditRow, ResultRow, TerritoryRow
from saylau.service.outcome import inputs_now
from saylau.service.permissions import Actor
from saylau.service.protocols import Values
from saylau.service.signing import PublicKey
from saylau.service.verification import verify_chain
from tests.service.conftest import Api


def accept(url: str, bodies: list[dict[str, Any]]) -> None:
    """Enter and verify each protocol, as two users (ids 1 and 3 of the test database), in one
    transaction."""
    first, second = Actor(1, "admin", "administrator"), Actor(3, "op2", "administrator")
    with writing(url) as session:
        election = loaded(session)
        for body in bodies:
            values = Values.model_validate(body["values"])
            made = workflow.submit(
                session,
                election,
                first,
                station_id=body["station_id"],
                contest_id=body["contest_id"],
                round=body["round"],
                values=values,
                client_key=None,
            )
            workflow.verify(session, election, second, made.protocol.id, values, None)


def some(kz_protocols: dict[tuple[str, int], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return kz_protocols[("majilis-list", 1)][:30] + kz_protocols[("majilis-01", 1)][:30]


INVALIDATIONS = load_inputs("kz-1999")[0].invalidations


def test_close_round_needs_the_new_votings_ordered_then_records_the_decisions(
    api: Api, kz_protocols: Any
) -> None:
    accept(api.url, some(kz_protocols))
    early = api.post("/api/stages/close-round", "admin", {"chamber": "majilis", "round": 1})
    assert early.status_code == 422 and early.json()["code"] == "invalid"
    assert "majilis-15-new" in early.json()["error"]
    wrong = api.post(
        "/api/stages/new-voting",
        "admin",
        {"contest_id": "majilis-15", "round": 2, "reason": "x", "new_contest_id": "majilis-56-new"},
    )
    assert wrong.status_code == 422 and "not the new voting of majilis-15" in wrong.json()["error"]
    for found in INVALIDATIONS:
        ordered = api.post(
            "/api/stages/new-voting",
            "admin",
            {
                "contest_id": found.contest_id,
                "round": found.round,
                "reason": found.reason,
                "new_contest_id": found.new_contest_id,
            },
        )
        assert ordered.status_code == 201, ordered.text
        assert ordered.json()["action"] == "order_new_voting"
    closed = api.post("/api/stages/close-round", "admin", {"chamber": "majilis", "round": 1})
    assert closed.status_code == 201, closed.text
    decided = closed.json()["detail"]["decisions"]
    assert decided >= 1
    with reading(api.url) as session:
        results = {r.contest_id: r for r in session.scalars(select(ResultRow))}
        assert len(results) == decided
        assert {r.stage_id for r in results.values()} == {closed.json()["id"]}
        actions = [a.action for a in session.scalars(select(AuditRow).order_by(AuditRow.seq))]
        assert actions.count("stage.order_new_voting") == 3
        assert actions[-1] == "stage.close_round"
        assert verify_chain(session).verified
    listed = api.get("/api/stages", "observer").json()
    assert [s["action"] for s in listed] == ["order_new_voting"] * 3 + ["close_round"]
    nation = api.get("/api/results", None).json()
    majilis = next(c for c in nation["chambers"] if c["chamber_id"] == "majilis")
    assert majilis["districts"]["majilis-15"] == "new voting"


def test_runoffs_are_scheduled_with_the_recorded_lot(api: Api, kz_protocols: Any) -> None:
    unknown = api.post(
        "/api/stages/runoffs",
        "admin",
        {
            "chamber": "majilis",
            "resolutions": [{"contest_id": "nowhere", "round": 1, "winner": "x"}],
        },
    )
    assert unknown.status_code == 422 and "nowhere" in unknown.json()["error"]
    lot = {
        "contest_id": "majilis-02",
        "round": 1,
        "winner": "majilis-02-c1",
        "method": "lot",
        "reference": "lot drawn by the district commission, protocol 7",
    }
    scheduled = api.post(
        "/api/stages/runoffs", "admin", {"chamber": "majilis", "resolutions": [lot]}
    )
    assert scheduled.status_code == 201, scheduled.text
    assert scheduled.json()["detail"]["resolutions"] == [lot]
    with reading(api.url) as session:
        recorded = inputs_now(session, loaded(session)).resolutions
        assert any(
            (r.contest_id, r.round, r.winner, r.method) == ("majilis-02", 1, "majilis-02-c1", "lot")
            for r in recorded
        )
        entry = session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(1)).one()
        assert entry.action == "stage.schedule_runoffs" and "protocol 7" in entry.detail
    assert (
        api.post(
            "/api/stages/runoffs", "admin", {"chamber": "nowhere", "resolutions": []}
        ).status_code
        == 422
    )


def test_the_snapshots_hold_what_the_api_serves(
    api: Api, kz_protocols: Any, tmp_path: Path
) -> None:
    accept(api.url, some(kz_protocols))
    published = api.post("/api/stages/publish", "admin")
    assert published.status_code == 201, published.text
    folder = tmp_path / "snapshots"
    with reading(api.url) as session:
        territories = sorted(session.scalars(select(TerritoryRow.territory_id)))
    districts = [d["district_id"] for d in api.get("/api/registry", "admin").json()["districts"]]
    assert published.json()["detail"]["files"] == 1 + len(territories) + len(districts)
    national = json.loads((folder / "national.json").read_text(encoding="utf-8"))
    served = api.get("/api/results", None).json()
    assert national["seq"] == served["seq"] - 1  # written just before the publish entry
    head = national.pop("audit_head")  # the snapshot anchors the chain as it stood
    assert head["seq"] == national["seq"] and len(head["hash"]) == 64
    anchor = Anchor.parse(head["anchor"])  # signed by the audit key, its public key beside it
    assert anchor.signature == head["signature"] and len(head["public_key"]) == 64
    with reading(api.url) as session:
        assert verify_chain(
            session, [anchor], public_key=PublicKey.parse(head["public_key"])
        ).verified
    assert {**national, "seq": 0} == {**served, "seq": 0}
    assert national["contests"] and national["contests"][0]["totals"]["protocols"] == 30
    for territory_id in territories:
        found = json.loads((folder / "territories" / f"{territory_id}.json").read_text("utf-8"))
        served = api.get(f"/api/results/territories/{territory_id}", None).json()
        assert {**found, "seq": 0} == {**served, "seq": 0}
    assert len(list((folder / "districts").glob("*.json"))) == len(districts)
    one = json.loads((folder / "districts" / "01.json").read_text(encoding="utf-8"))
    served = api.get("/api/results/districts/01", None).json()
    assert {**one, "seq": 0} == {**served, "seq": 0}
    assert [c["contest_id"] for c in one["contests"]] == ["majilis-list", "majilis-01"]
    assert not list(folder.rglob(".*.tmp")), "a temporary file was left behind"
    assert api.post("/api/stages/publish", "op1").status_code == 403
