"""Plausibility with no extra file (issue 22, what remained of item 3): every figure is
checked against the registry. With no registry of voters and no setting, no figure of a
station's protocol may exceed the registered voters of the whole nation as the election's
registry states them (kz-1999: 8,411,757), so the balanced protocol 400,000 times too large
of the issue is rejected, or flagged as configured. On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from saylau.service.plausible import Plausibility
from tests.service.conftest import Api
from tests.service.test_blind_entry import otan_counted
from tests.service.test_plausible import bound, registered_counted, scaled
from tests.service.test_workflow import akmola

NATION = "the nation's registry holds 8,411,757 registered voters (majilis.registered)"


def test_the_protocol_400000_times_too_large_is_rejected_with_no_setting(
    api: Api, kz_protocols: Any
) -> None:
    counted = (otan_counted(api), registered_counted(api))
    huge = scaled(akmola(kz_protocols, 60), 400_000)
    made = api.post("/api/protocols", "op1", huge)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "rejected" and not made.json()["counted"]
    said = {e["line"]: e for e in made.json()["errors"] if e["code"] == "implausible"}
    assert NATION in said["registered"]["message"], said
    assert f"{huge['values']['lines']['registered']:,}" in said["registered"]["message"]
    assert said["registered"]["severity"] == "reject"
    verified = api.post(
        f"/api/protocols/{made.json()['id']}/verify", "op2", {"values": huge["values"]}
    )
    assert verified.status_code == 409, verified.text  # rejected: nothing to verify
    assert (otan_counted(api), registered_counted(api)) == counted, "the national total holds"
    fine = api.post("/api/protocols", "op1", akmola(kz_protocols, 61)).json()
    assert fine["status"] == "entered", fine["errors"]


def test_a_protocol_just_beyond_the_nation_is_flagged_where_the_setting_says_flag(
    api: Api, kz_protocols: Any
) -> None:
    bound(api, Plausibility(None, 1.0, "flag"))  # no count of a station's own: the nation's
    body = akmola(kz_protocols, 60)
    body["values"]["lines"]["registered"] = 8_411_758
    made = api.post("/api/protocols", "op1", body).json()
    said = [e for e in made["errors"] if e["code"] == "implausible"]
    assert [e["line"] for e in said] == ["registered"], made["errors"]
    assert said[0]["severity"] == "flag" and NATION in said[0]["message"]


def test_a_stations_own_bound_is_used_where_it_is_smaller(api: Api, kz_protocols: Any) -> None:
    bound(api, Plausibility(3000, 1.0))
    huge = scaled(akmola(kz_protocols, 60), 400_000)
    made = api.post("/api/protocols", "op1", huge).json()
    said = {e["line"]: e["message"] for e in made["errors"] if e["code"] == "implausible"}
    assert "3,000 voters (saylau load --station-voters)" in said["registered"]
    assert NATION not in said["registered"]
