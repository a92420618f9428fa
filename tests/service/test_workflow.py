"""The protocol workflow over the API, on SQLite and PostgreSQL: double entry, mismatch
and resolution, rejection with errors, corrections as versions, idempotent retries, and
live totals equal to a batch tabulation."""

from __future__ import annotations

import copy
from typing import Any

from saylau.service.db import reading
from saylau.service.election import loaded
from saylau.service.live import batch_differences
from saylau.service.verification import verify_chain
from tests.service.conftest import Api


def akmola(kz_protocols: dict[tuple[str, int], list[dict[str, Any]]], n: int = 0) -> dict[str, Any]:
    """The n-th list protocol of a station in Akmola (station ids 01-...)."""
    rows = [p for p in kz_protocols[("majilis-list", 1)] if p["station_id"].startswith("01-")]
    return copy.deepcopy(rows[n])


def test_double_entry_accepts_and_counts(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols)
    first = api.post("/api/protocols", "op1", {**body, "client_key": "a1"})
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "entered"
    pid = first.json()["id"]
    same = api.post(f"/api/protocols/{pid}/verify", "op1", {"values": body["values"]})
    assert same.status_code == 403 and same.json()["code"] == "same_operator"
    second = api.post(
        f"/api/protocols/{pid}/verify", "op2", {"values": body["values"], "client_key": "a2"}
    )
    assert second.status_code == 201, second.text
    assert second.json()["status"] == "accepted" and second.json()["counted"]
    results = api.get("/api/results", None).json()
    nation = next(c for c in results["contests"] if c["contest_id"] == "majilis-list")
    assert nation["totals"]["protocols"] == 1
    assert nation["totals"]["votes"]["otan"] == body["values"]["votes"]["otan"]
    with reading(api.url) as session:
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified


def test_a_retry_with_the_same_key_creates_nothing(api: Api, kz_protocols: Any) -> None:
    body = {**akmola(kz_protocols, 1), "client_key": "retry-me"}
    first = api.post("/api/protocols", "op1", body)
    again = api.post("/api/protocols", "op1", body)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["replayed"]
    listed = api.get("/api/protocols", "admin", station_id=body["station_id"]).json()
    assert listed["total"] == 1
    twice = api.post("/api/protocols", "op1", {**body, "client_key": "another"})
    assert twice.status_code == 409 and twice.json()["code"] == "protocol_exists"


def test_a_mismatch_is_shown_and_resolved_by_a_supervisor(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 2)
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    other = copy.deepcopy(body["values"])
    other["votes"]["otan"] += 10
    found = api.post(f"/api/protocols/{pid}/verify", "op2", {"values": other})
    assert found.json()["status"] == "mismatch" and not found.json()["counted"]
    assert api.post(f"/api/protocols/{pid}/resolve", "op1", {"choice": "first"}).status_code == 403
    assert (
        api.post(f"/api/protocols/{pid}/resolve", "super-other", {"choice": "first"}).status_code
        == 403
    )
    resolved = api.post(f"/api/protocols/{pid}/resolve", "super", {"choice": "first"})
    assert resolved.status_code == 201, resolved.text
    assert resolved.json()["status"] == "accepted"
    assert resolved.json()["values"] == body["values"]


def test_a_protocol_that_breaks_a_relation_is_kept_rejected_then_corrected(
    api: Api, kz_protocols: Any
) -> None:
    body = akmola(kz_protocols, 3)
    good = copy.deepcopy(body["values"])
    body["values"]["lines"]["ballots_found"] = body["values"]["lines"]["took_part"] + 5
    rejected = api.post("/api/protocols", "op1", body)
    assert rejected.status_code == 201
    found = rejected.json()
    assert found["status"] == "rejected" and found["errors"]
    assert any(e["severity"] == "reject" for e in found["errors"])
    no_reason = api.post(
        f"/api/protocols/{found['id']}/correct", "op1", {"values": good, "reason": ""}
    )
    assert no_reason.status_code == 422
    corrected = api.post(
        f"/api/protocols/{found['id']}/correct", "op1", {"values": good, "reason": "misread line 7"}
    )
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["version"] == 2 and corrected.json()["status"] == "entered"
    old = api.get(f"/api/protocols/{found['id']}", "observer").json()
    assert old["status"] == "superseded" and old["errors"]
    verified = api.post(f"/api/protocols/{corrected.json()['id']}/verify", "op2", {"values": good})
    assert verified.json()["status"] == "accepted"


def test_a_correction_of_a_counted_protocol_replaces_it_in_the_totals(
    api: Api, kz_protocols: Any
) -> None:
    body = akmola(kz_protocols, 4)
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    api.post(f"/api/protocols/{pid}/verify", "op2", {"values": body["values"]})
    fixed = copy.deepcopy(body["values"])
    fixed["votes"]["otan"] -= 1
    fixed["lines"]["invalid"] += 1
    new = api.post(
        f"/api/protocols/{pid}/correct", "op2", {"values": fixed, "reason": "recount"}
    ).json()
    assert api.get(f"/api/protocols/{pid}", "admin").json()[
        "counted"
    ]  # until the new one is accepted
    api.post(f"/api/protocols/{new['id']}/verify", "op1", {"values": fixed})
    assert not api.get(f"/api/protocols/{pid}", "admin").json()["counted"]
    with reading(api.url) as session:
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified
    station = api.get(f"/api/results/stations/{body['station_id']}", None).json()
    assert station["protocols"][0]["values"] == fixed


def test_scope_is_checked_on_the_server(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 5)
    refused = api.post("/api/protocols", "op-other", body)
    assert refused.status_code == 403 and "outside commission tec-astana" in refused.json()["error"]
    assert api.post("/api/protocols", "observer", body).status_code == 403
    assert api.post("/api/protocols", None, body).status_code == 401
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    assert api.get(f"/api/protocols/{pid}", "op-other").status_code == 403
    assert api.get("/api/protocols", "op-other").json()["total"] == 0
    assert api.get("/api/protocols", "op1").json()["total"] == 1


def test_bad_input_is_a_4xx_in_the_envelope(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 6)
    for values, code in (
        ({"lines": {"nonsense": 1}, "votes": body["values"]["votes"]}, 422),
        ({"lines": body["values"]["lines"], "votes": {"otan": True}}, 422),
        ({"lines": body["values"]["lines"], "votes": {"otan": 1.5}}, 422),
        ({"lines": body["values"]["lines"], "votes": {"otan": 10**13}}, 422),
        ({"lines": body["values"]["lines"], "votes": {"nobody": 1}}, 422),
    ):
        answer = api.post("/api/protocols", "op1", {**body, "values": values})
        assert answer.status_code == code, answer.text
        assert set(answer.json()) == {"ok", "status", "code", "error"}
    unknown = api.post("/api/protocols", "op1", {**body, "station_id": "99-999"})
    assert unknown.status_code == 404
    wrong_round = api.post("/api/protocols", "op1", {**body, "round": 2})
    assert wrong_round.status_code == 422
