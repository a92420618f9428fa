"""Blind double entry, a resolution's second person, and client keys that belong to their
user (issue 22, items 2 and 3), on SQLite and PostgreSQL: each attack of the issue, refused
or detected."""

from __future__ import annotations

import copy
import re
from typing import Any

from sqlalchemy import update

from saylau.service.db import reading, writing
from saylau.service.election import loaded
from saylau.service.live import batch_differences
from saylau.service.models import UserRow
from saylau.service.verification import verify_chain
from tests.service.conftest import Api
from tests.service.test_workflow import akmola

SECOND_PASSWORD = "two people agree on the figures"


def add_user(api: Api, name: str, role: str, commission: str) -> None:
    """Another account of a commission, created by the administrator and logged in."""
    made = api.post(
        "/api/users",
        "admin",
        {"username": name, "password": SECOND_PASSWORD, "role": role, "commission_id": commission},
    )
    assert made.status_code == 201, made.text
    login = api.client.post("/api/session", json={"username": name, "password": SECOND_PASSWORD})
    assert login.status_code == 200, login.text
    api.tokens = {**api.tokens, name: login.json()["token"]}


def otan_counted(api: Api) -> int:
    results = api.get("/api/results", None).json()
    for contest in results["contests"]:
        if contest["contest_id"] == "majilis-list":
            return int(contest["totals"]["votes"].get("otan", 0))
    return 0  # nothing counted yet


def field_value(page: str, name: str) -> str:
    """The value an input of the page's form is pre-filled with."""
    found = re.search(rf'name="{re.escape(name)}" inputmode="numeric" value="([^"]*)"', page)
    assert found is not None, f"no field {name}"
    return found.group(1)


def test_no_one_but_the_first_operator_sees_the_figures_before_the_second_entry(
    api: Api, kz_protocols: Any
) -> None:
    body = akmola(kz_protocols, 40)
    otan = body["values"]["votes"]["otan"]
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    own = api.get(f"/api/protocols/{pid}", "op1").json()
    assert own["values"] == body["values"] and not own["hidden"]
    for reader in ("op2", "super", "observer", "admin"):  # the attack: read, then copy
        one = api.get(f"/api/protocols/{pid}", reader).json()
        assert one["hidden"] and one["values"] == {"lines": {}, "votes": {}}, reader
        listed = api.get("/api/protocols", reader, station_id=body["station_id"]).json()
        assert listed["protocols"][0]["values"] == {"lines": {}, "votes": {}}, reader
    page = api.client.get(f"/protocols/{pid}", headers=api.as_("op2")).text
    assert "hidden until its second entry" in page
    assert field_value(page, "votes.otan") == ""  # the Correct form is not pre-filled
    mine = api.client.get(f"/protocols/{pid}", headers=api.as_("op1")).text
    assert field_value(mine, "votes.otan") == str(otan)
    verified = api.post(f"/api/protocols/{pid}/verify", "op2", {"values": body["values"]})
    assert verified.json()["status"] == "accepted" and not verified.json()["hidden"]
    after = api.get(f"/api/protocols/{pid}", "observer").json()
    assert after["values"] == body["values"] and not after["hidden"]


def test_a_rejected_entry_hides_its_figures_in_its_errors_too(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 41)
    body["values"]["lines"]["ballots_found"] = body["values"]["lines"]["took_part"] + 5
    made = api.post("/api/protocols", "op1", body).json()
    assert made["status"] == "rejected" and made["errors"]
    assert any(re.search(r"[0-9]{2}", e["message"]) for e in made["errors"])  # its own: shown
    seen = api.get(f"/api/protocols/{made['id']}", "op2").json()
    assert seen["hidden"] and seen["errors"]
    assert [e["code"] for e in seen["errors"]] == [e["code"] for e in made["errors"]]
    assert not any(re.search(r"[0-9]", e["message"]) for e in seen["errors"]), seen["errors"]
    page = api.client.get(f"/protocols/{made['id']}", headers=api.as_("op2")).text
    took_part = body["values"]["lines"]["took_part"]
    assert field_value(page, "line.took_part") == ""
    shown = rf"(?<![0-9A-Za-z,]){re.escape(f'{took_part + 5:,}')}(?![0-9A-Za-z,])"
    assert re.search(shown, page) is None  # a figure, not digits inside a token


def mismatch(api: Api, kz_protocols: Any, n: int) -> tuple[int, dict[str, Any]]:
    """A protocol whose two entries differ; and figures of a supervisor's own."""
    body = akmola(kz_protocols, n)
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    other = copy.deepcopy(body["values"])
    other["votes"]["otan"] += 10
    found = api.post(f"/api/protocols/{pid}/verify", "op2", {"values": other}).json()
    assert found["status"] == "mismatch"
    own = copy.deepcopy(body["values"])  # three votes moved: every relation still holds
    donor = max((k for k in own["votes"] if k != "otan"), key=lambda k: own["votes"][k])
    own["votes"]["otan"] += 3
    own["votes"][donor] -= 3
    return pid, own


def history(api: Api, pid: int) -> list[tuple[str, str, dict[str, Any]]]:
    entries = api.get("/api/audit", "admin", target=f"protocol:{pid}").json()
    return [(e["actor"], e["action"], e["detail"]) for e in entries]


def test_a_supervisors_own_figures_wait_for_a_second_supervisor(
    api: Api, kz_protocols: Any
) -> None:
    pid, own = mismatch(api, kz_protocols, 42)
    counted = otan_counted(api)
    alone = api.post(f"/api/protocols/{pid}/resolve", "super", {"choice": "values", "values": own})
    assert alone.status_code == 201, alone.text
    assert alone.json()["status"] == "mismatch" and not alone.json()["counted"]  # not counted
    assert otan_counted(api) == counted
    again = api.post(f"/api/protocols/{pid}/resolve", "super", {"choice": "values", "values": own})
    assert again.status_code == 403 and again.json()["code"] == "same_person", again.text
    assert "a second person" in again.json()["error"]
    page = api.client.get(f"/protocols/{pid}", headers=api.as_("super")).text
    assert "waits for a second person" in page
    add_user(api, "super2", "supervisor", "tec-akmola")
    both = api.post(f"/api/protocols/{pid}/resolve", "super2", {"choice": "values", "values": own})
    assert both.status_code == 201, both.text
    assert both.json()["status"] == "accepted" and both.json()["values"] == own
    assert otan_counted(api) == counted + own["votes"]["otan"]
    steps = history(api, pid)
    assert [(who, what) for who, what, _ in steps] == [
        ("op1", "protocol.submit"),
        ("op2", "protocol.verify"),
        ("super", "protocol.resolve"),
        ("super2", "protocol.resolve"),
    ]
    assert "awaiting" in steps[2][2] and "awaiting" not in steps[3][2]
    assert isinstance(steps[3][2]["confirms"], int)
    with reading(api.url) as session:
        assert batch_differences(session, loaded(session)) == []
        assert verify_chain(session).verified


def test_a_third_entry_confirms_a_supervisors_figures(api: Api, kz_protocols: Any) -> None:
    pid, own = mismatch(api, kz_protocols, 43)
    api.post(f"/api/protocols/{pid}/resolve", "super", {"choice": "values", "values": own})
    for earlier in ("op1", "op2"):  # who entered it already is no third person
        refused = api.post(f"/api/protocols/{pid}/verify", earlier, {"values": own})
        assert refused.status_code == 403 and refused.json()["code"] == "same_operator"
    add_user(api, "op3", "operator", "tec-akmola")
    third = api.post(f"/api/protocols/{pid}/verify", "op3", {"values": own})
    assert third.status_code == 201, third.text
    assert third.json()["status"] == "accepted" and third.json()["values"] == own
    steps = history(api, pid)
    assert steps[-1][0:2] == ("op3", "protocol.verify") and steps[-1][2]["third_entry"]
    with reading(api.url) as session:
        assert batch_differences(session, loaded(session)) == []


def test_another_users_key_is_another_request(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 44)
    first = api.post("/api/protocols", "op1", {**body, "client_key": "shared-key"})
    assert first.status_code == 201
    # The attack: another commission's operator reuses the key, and got op1's protocol.
    stolen = api.post("/api/protocols", "op-other", {**body, "client_key": "shared-key"})
    assert stolen.status_code == 403, stolen.text  # a new request, outside its commission
    assert "outside commission tec-astana" in stolen.json()["error"]
    astana = next(p for p in kz_protocols[("majilis-list", 1)] if p["station_id"][:3] == "67-")
    own = api.post("/api/protocols", "op-other", {**astana, "client_key": "shared-key"})
    assert own.status_code == 201 and own.json()["id"] != first.json()["id"], own.text


def test_a_key_taken_first_by_another_user_stores_the_submission(
    api: Api, kz_protocols: Any
) -> None:
    body = akmola(kz_protocols, 45)
    astana = next(p for p in kz_protocols[("majilis-list", 1)] if p["station_id"][:3] == "67-")
    taken = api.post("/api/protocols", "op-other", {**astana, "client_key": "taken-first"})
    assert taken.status_code == 201
    mine = api.post("/api/protocols", "op1", {**body, "client_key": "taken-first"})
    assert mine.status_code == 201 and not mine.json()["replayed"], mine.text
    stored = api.get("/api/protocols", "op1", station_id=body["station_id"]).json()
    assert stored["total"] == 1 and stored["protocols"][0]["values"] == body["values"]


def test_a_key_of_ones_own_used_for_another_request_is_refused(api: Api, kz_protocols: Any) -> None:
    body = akmola(kz_protocols, 46)
    made = api.post("/api/protocols", "op1", {**body, "client_key": "k-46"}).json()
    replay = api.post("/api/protocols", "op1", {**body, "client_key": "k-46"})
    assert replay.status_code == 200 and replay.json()["id"] == made["id"]
    other = akmola(kz_protocols, 47)
    reused = api.post("/api/protocols", "op1", {**other, "client_key": "k-46"})
    assert reused.status_code == 409 and reused.json()["code"] == "client_key_used", reused.text
    assert f"protocol {made['id']}" in reused.json()["error"]
    assert api.get("/api/protocols", "op1", station_id=other["station_id"]).json()["total"] == 0
    theirs = api.post("/api/protocols", "op2", akmola(kz_protocols, 48)).json()
    verify = api.post(
        f"/api/protocols/{theirs['id']}/verify",
        "op1",
        {"values": akmola(kz_protocols, 48)["values"], "client_key": "k-46"},
    )
    assert verify.status_code == 409 and verify.json()["code"] == "client_key_used"
    assert api.get(f"/api/protocols/{theirs['id']}", "op2").json()["status"] == "entered"


def test_a_supervisors_own_figures_from_the_page_wait_too(api: Api, kz_protocols: Any) -> None:
    pid, own = mismatch(api, kz_protocols, 55)
    page = api.client.get(f"/protocols/{pid}", headers=api.as_("super")).text
    assert 'value="values"' in page and 'id="resolve-votes.otan"' in page
    form = {"choice": "values", "client_key": "web-55"}
    form |= {f"line.{k}": str(v) for k, v in own["lines"].items()}
    form |= {f"votes.{k}": str(v) for k, v in own["votes"].items()}
    sent = api.client.post(
        f"/protocols/{pid}/resolve", data=form, headers=api.as_("super"), follow_redirects=False
    )
    assert sent.status_code == 303, sent.text
    after = api.client.get(f"/protocols/{pid}", headers=api.as_("super")).text
    assert 'id="status">mismatch' in after and "waits for a second person" in after
    assert api.get(f"/api/protocols/{pid}", "super").json()["counted"] is False


def test_a_replay_never_answers_what_its_user_may_no_longer_read(
    api: Api, kz_protocols: Any
) -> None:
    body = akmola(kz_protocols, 56)
    made = api.post("/api/protocols", "op1", {**body, "client_key": "moved"}).json()
    with writing(api.url) as session:  # op1 moves to another commission
        session.execute(
            update(UserRow).where(UserRow.username == "op1").values(commission_id="tec-astana")
        )
    astana = next(p for p in kz_protocols[("majilis-list", 1)] if p["station_id"][:3] == "67-")
    again = api.post("/api/protocols", "op1", {**astana, "client_key": "moved"})
    assert again.status_code == 409 and again.json()["code"] == "client_key_used", again.text
    assert f"protocol {made['id']}" not in again.json()["error"]
    assert "votes" not in again.text
