"""Plausibility (issue 22, item 3), on SQLite and PostgreSQL: a balanced protocol 400,000
times too large keeps every control relation of the law, and is refused, or flagged for
review, against the most voters a station's list holds (`saylau load --station-voters`)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from saylau.service.db import writing
from saylau.service.election import forget
from saylau.service.errors import Invalid
from saylau.service.load import load_election
from saylau.service.plausible import Plausibility
from tests.service.conftest import Api
from tests.service.test_blind_entry import otan_counted
from tests.service.test_workflow import akmola


def bound(api: Api, setting: Plausibility) -> None:
    """The election's plausibility, kept as `saylau load --station-voters` keeps it."""
    with writing(api.url) as session:
        load_election(session, "kz-1999", None, setting)
    forget(api.url)  # a server reads it at start


def scaled(body: dict[str, Any], times: int) -> dict[str, Any]:
    """The protocol with every figure `times` as large: every control relation still holds."""
    found = copy.deepcopy(body)
    for part in ("lines", "votes"):
        found["values"][part] = {k: v * times for k, v in found["values"][part].items()}
    return found


def registered_counted(api: Api) -> int:
    results = api.get("/api/results", None).json()
    for contest in results["contests"]:
        if contest["contest_id"] == "majilis-list":
            return int(contest["totals"].get("lines", {}).get("registered", 0))
    return 0


def test_a_protocol_beyond_a_stations_list_is_rejected(api: Api, kz_protocols: Any) -> None:
    bound(api, Plausibility(3000, 1.1))
    huge = scaled(akmola(kz_protocols, 60), 400_000)
    counted = (otan_counted(api), registered_counted(api))
    made = api.post("/api/protocols", "op1", huge)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "rejected" and not made.json()["counted"]
    said = {e["line"]: e for e in made.json()["errors"] if e["code"] == "implausible"}
    assert "registered" in said and "otan" in said
    assert "3,000 voters times the margin 1.1 is 3,300" in said["registered"]["message"]
    assert said["registered"]["severity"] == "reject"
    refused = api.post(
        f"/api/protocols/{made.json()['id']}/verify", "op2", {"values": huge["values"]}
    )
    assert refused.status_code == 409, refused.text
    assert (otan_counted(api), registered_counted(api)) == counted
    plausible = akmola(kz_protocols, 61)
    fine = api.post("/api/protocols", "op1", plausible).json()
    assert fine["status"] == "entered", fine["errors"]


def test_a_correction_or_resolution_beyond_it_is_rejected(api: Api, kz_protocols: Any) -> None:
    bound(api, Plausibility(3000))
    body = akmola(kz_protocols, 52)
    pid = api.post("/api/protocols", "op1", body).json()["id"]
    huge = scaled(body, 400_000)["values"]
    fixed = api.post(f"/api/protocols/{pid}/correct", "op1", {"values": huge, "reason": "typo"})
    assert fixed.status_code == 201 and fixed.json()["status"] == "rejected", fixed.text
    other = akmola(kz_protocols, 53)
    qid = api.post("/api/protocols", "op1", other).json()["id"]
    differing = copy.deepcopy(other["values"])
    differing["votes"]["otan"] += 1
    api.post(f"/api/protocols/{qid}/verify", "op2", {"values": differing})
    resolved = api.post(
        f"/api/protocols/{qid}/resolve", "super", {"choice": "values", "values": huge}
    )
    assert resolved.json()["status"] == "rejected" and not resolved.json()["counted"]


def test_a_flagged_protocol_is_counted_and_shown_for_review(api: Api, kz_protocols: Any) -> None:
    bound(api, Plausibility(100, 1.0, "flag"))
    body = akmola(kz_protocols, 54)
    made = api.post("/api/protocols", "op1", body).json()
    assert made["status"] == "entered"
    flagged = [e for e in made["errors"] if e["code"] == "implausible"]
    assert flagged and all(e["severity"] == "flag" for e in flagged)
    done = api.post(f"/api/protocols/{made['id']}/verify", "op2", {"values": body["values"]})
    assert done.json()["status"] == "accepted" and done.json()["counted"]
    assert any(e["code"] == "implausible" for e in done.json()["errors"])


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ((0, 1.0, "reject"), "station voters is 0"),
        ((3000, 0.5, "reject"), "the margin is 0.5"),
        ((3000, 1.0, "maybe"), "implausible is 'maybe'"),
    ],
)
def test_a_setting_out_of_range_is_refused(setting: tuple[Any, ...], said: str) -> None:
    with pytest.raises(Invalid, match=said):
        Plausibility(*setting)
