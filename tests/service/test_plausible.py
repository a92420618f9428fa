"""Plausibility (issue 22, item 3), on SQLite and PostgreSQL: a balanced protocol 400,000
times too large keeps every control relation of the law, and is refused, or flagged for
review, against the most voters a station's list holds (`saylau load --station-voters`)."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest

from saylau.errors import InputError
from saylau.service.db import writing
from saylau.service.election import forget
from saylau.service.errors import Invalid
from saylau.service.load import load_election
from saylau.service.plausible import Plausibility, read_voters
from tests.service.conftest import Api
from tests.service.test_blind_entry import otan_counted
from tests.service.test_workflow import akmola


def bound(api: Api, setting: Plausibility, voters: dict[str, int] | None = None) -> None:
    """The election's plausibility, kept as `saylau load --station-voters` (and
    `--voters-file`) keeps it."""
    with writing(api.url) as session:
        load_election(session, "kz-1999", None, setting, voters)
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
    assert (
        "3,000 voters (saylau load --station-voters), times the margin 1.1 is 3,300"
        in (said["registered"]["message"])
    )
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


def test_each_station_is_held_to_its_own_voters(api: Api, kz_protocols: Any) -> None:
    body, other = akmola(kz_protocols, 57), akmola(kz_protocols, 58)
    own = body["values"]["lines"]["registered"]
    bound(api, Plausibility(None, 1.05), {body["station_id"]: own})
    doubled = scaled(body, 2)
    made = api.post("/api/protocols", "op1", doubled).json()
    assert made["status"] == "rejected"
    said = next(e for e in made["errors"] if e["line"] == "registered")
    most = math.floor(own * 1.05)
    assert (
        said["code"] == "implausible"
        and (
            f"station {body['station_id']}'s list holds {own:,} voters (the registry of voters), "
            f"times the margin 1.05 is {most:,}"
        )
        in said["message"]
    )
    unlisted = api.post("/api/protocols", "op1", scaled(other, 2)).json()  # no count of its own
    assert not any(e["code"] == "implausible" for e in unlisted["errors"])


def test_a_registry_of_voters_is_read_and_checked(api: Api, tmp_path: Path) -> None:
    good = tmp_path / "voters.csv"
    good.write_text("station_id,voters\n01-001,1500\n01-002,900\n", encoding="utf-8")
    assert read_voters(good) == {"01-001": 1500, "01-002": 900}
    bad = tmp_path / "bad.csv"
    bad.write_text("station_id,voters\n01-001,15e2\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: voters '15e2' is not a count"):
        read_voters(bad)
    with pytest.raises(InputError, match="station 99-999 is not in the registry"):
        bound(api, Plausibility(None), {"99-999": 10})
