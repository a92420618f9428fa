"""saylau replay: the plan is the seed's (the same seed, the same operators, order and
disagreements), a replay of one territory goes through the real workflow of a running
service and ends with live = batch and the audit verified, the check names a figure that
moved, and only loopback is played into."""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from saylau.cli import app
from saylau.errors import InputError
from saylau.inputs import ElectionInputs
from saylau.pipeline.run import load_inputs
from saylau.service.replay.check import live_equals_batch, played_inputs
from saylau.service.replay.client import Api, loopback
from saylau.service.replay.plan import closing, make_plan
from saylau.service.replay.play import Played
from tests.service.conftest import PASSWORD
from tests.service.server import Server

ATYRAU = frozenset({"atyrau"})
"""A territory with every phase: round 1, runoffs and a new voting (431 protocols)."""


@cache
def kz() -> tuple[ElectionInputs, Path | None]:
    return load_inputs("kz-1999")


def _protocols(inputs: ElectionInputs) -> int:
    return sum(table.num_rows for table in inputs.protocols.values())


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32), disagreements=st.integers(0, 8))
def test_the_same_seed_makes_the_same_plan(seed: int, disagreements: int) -> None:
    inputs = kz()[0]
    plan = make_plan(inputs, seed, disagreements)
    assert plan == make_plan(inputs, seed, disagreements)
    keys = [(e.station_id, e.contest_id, e.round) for e in plan.entries]
    assert len(set(keys)) == len(keys) == _protocols(inputs)
    assert [p.name for p in plan.phases] == ["round 1", "round 2 (runoffs)", "new voting"]
    slips = [e for e in plan.entries if e.slip]
    assert len(slips) == disagreements
    for entry in slips:
        wrong, right = entry.entered(entry.slip or "first"), entry.values
        assert wrong != right and wrong["lines"] == right["lines"]
        assert sum(wrong["votes"].values()) == sum(right["votes"].values())  # no relation broken
        assert entry.entered(entry.resolution) == right
    assert set(plan.supervisors) == {e.commission for e in slips}
    for entry in plan.entries:
        assert {entry.first, entry.second} == set(plan.operators[entry.commission])
    for phase in plan.phases:
        minutes = [e.minute for e in phase.entries]
        assert minutes == sorted(minutes)


def test_another_seed_makes_another_night_and_the_west_reports_later() -> None:
    inputs = kz()[0]
    one, two = make_plan(inputs, 1), make_plan(inputs, 2)
    order = [[(e.station_id, e.contest_id) for e in p.entries] for p in (one, two)]
    assert order[0] != order[1]
    assert [e for e in one.entries if e.slip] != [e for e in two.entries if e.slip]
    first = one.phases[0].entries
    where = {s["station_id"]: s["territory_id"] for s in inputs.election.stations_table.to_pylist()}
    later = {t for t, minutes in closing(inputs.election).items() if minutes}
    assert later == {"aktobe", "atyrau", "kyzylorda", "mangystau", "west_kazakhstan"}
    assert set(closing(inputs.election).values()) == {0, 60}  # territories.csv's utc_offset
    west = [e.minute for e in first if where[e.station_id] in later]
    east = [e.minute for e in first if where[e.station_id] not in later]
    lists = {e.commission for e in first if e.contest_id == "majilis-list"}
    districts = {e.commission for e in first if e.contest_id != "majilis-list"}
    assert len(lists) == 16 and all(c.startswith("tec-") for c in lists)
    assert len(districts) == 67 and all(c.startswith("dec-") for c in districts)
    assert min(west) >= 60 + 20 and sum(west) / len(west) > sum(east) / len(east)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:9", "http://127.9.9.9"]
)
def test_loopback_is_played_into(url: str) -> None:
    assert loopback(url) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://192.0.2.1:8000", "http://example.org", "http://0.0.0.0:8000", "ftp://127.0.0.1"]
)
def test_another_host_is_refused_before_any_call(url: str) -> None:
    with pytest.raises(InputError):
        loopback(url)
    found = CliRunner().invoke(
        app, ["replay", "kz-1999", "--url", url], env={"SAYLAU_ADMIN_PASSWORD": "x"}
    )
    assert found.exit_code == 2
    assert found.output.startswith("error: --url") and "Traceback" not in found.output


def _replay(server: Server, *more: str) -> Any:
    command = ["replay", "kz-1999", "--url", server.base, "--territory", "atyrau", "--speed", "0"]
    return CliRunner().invoke(app, [*command, *more], env={"SAYLAU_ADMIN_PASSWORD": PASSWORD})


def test_a_replay_of_a_territory_goes_through_the_workflow_and_ends_checked(
    site: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _replay(site, "--seed", "7", "--disagreements", "4")
    assert found.exit_code == 0, found.output
    said = found.output
    assert "PASSWORD" not in said and PASSWORD not in said
    for line in (
        "round 1: 246 protocols counted",
        "round 2 (runoffs): 123 protocols counted",
        "new voting: 62 protocols counted",
        "majilis: runoffs scheduled",
        "majilis-15 round 2 invalidated: new voting majilis-15-new ordered",
        "majilis: round 2 closed",
        "senate: round 1 closed",
        "not published",  # the site serves no snapshot folder
        "4 disagreement(s) resolved by a supervisor",
        "live = batch: 2 chambers",
        "audit verified",
    ):
        assert line in said, said
    admin = site.login("admin", PASSWORD)
    _, accepted = site.request("GET", "/api/protocols?status=accepted&limit=1", token=admin)
    assert accepted["total"] == 431
    _, trail = site.request("GET", "/api/audit?limit=1000&after=0", token=admin)
    resolved = [e for e in trail if e["action"] == "protocol.resolve"]
    while len(trail) == 1000:  # the trail is longer than a page
        _, trail = site.request(
            "GET", f"/api/audit?limit=1000&after={trail[-1]['seq']}", token=admin
        )
        resolved += [e for e in trail if e["action"] == "protocol.resolve"]
    plan = make_plan(kz()[0], 7, 4, ATYRAU)
    assert sorted(e["actor"] for e in resolved) == sorted(
        plan.supervisors[e.commission] for e in plan.entries if e.slip
    )
    again = _replay(site)
    assert again.exit_code == 2 and "holds 431 protocol(s) already" in again.output
    _a_moved_figure_is_named(site, admin)
    monkeypatch.setattr("saylau.service.replay.play.play", lambda *args, **kwargs: Played())
    ended = _replay(site)  # nothing played: the checks alone, on the corrected count
    assert ended.exit_code == 1, ended.output
    assert "live != batch: " in ended.output and "audit verified" in ended.output


def _a_moved_figure_is_named(site: Server, admin: str) -> None:
    """One counted protocol corrected (a vote moved, another person verifying it), and
    live no longer equals batch, by that figure."""
    _, listed = site.request(
        "GET", "/api/protocols?status=accepted&contest_id=majilis-list&limit=1", token=admin
    )
    row = listed["protocols"][0]
    values = json.loads(json.dumps(row["values"]))
    values["votes"]["otan"] -= 1
    values["votes"]["communist"] += 1
    checker = {"username": "checker", "password": PASSWORD, "role": "operator"}
    status, _ = site.request(
        "POST", "/api/users", {**checker, "commission_id": "tec-atyrau"}, admin
    )
    assert status == 201
    body = {"values": values, "reason": "recount"}
    status, made = site.request("POST", f"/api/protocols/{row['id']}/correct", body, admin)
    assert status == 201, made
    token = site.login("checker", PASSWORD)
    status, checked = site.request(
        "POST", f"/api/protocols/{made['id']}/verify", {"values": values}, token
    )
    assert status == 201 and checked["status"] == "accepted", checked
    api = Api(site.base)
    try:
        api.login("admin", PASSWORD)
        inputs, root = kz()
        found = live_equals_batch(api, played_inputs(inputs, ATYRAU), root)
    finally:
        api.close()
    assert not found.passed
    assert found.text.startswith("live != batch: ") and "list_votes: live" in found.text


def test_protocols_go_out_in_the_plan_s_order_at_the_speed(monkeypatch: pytest.MonkeyPatch) -> None:
    from saylau.service.replay import play as playing

    phase = make_plan(kz()[0], 3, 0, ATYRAU).phases[0]
    phase = playing.Phase(phase.name, phase.entries[:20])
    sent: list[str] = []
    monkeypatch.setattr(
        playing, "enter", lambda api, seed, entry: sent.append(entry.station_id) or 0
    )
    monkeypatch.setattr(playing.Staff, "ready", lambda self, api, commission: None)
    apis = [Api("http://127.0.0.1:9")]  # never called: entering is replaced
    staff = playing.Staff(make_plan(kz()[0], 3, 0, ATYRAU), "admin")
    try:
        start = time.monotonic()
        playing._phase(apis, staff, 3, phase, playing.Pace(speed=40, clients=1), lambda *a: None)
        took = time.monotonic() - start
    finally:
        apis[0].close()
    assert sent == [e.station_id for e in phase.entries]
    assert took >= 19 / 40


def test_a_delay_or_speed_that_is_no_pace_is_refused() -> None:
    for option in (["--delay", "-1"], ["--speed", "-5"], ["--clients", "0"]):
        found = CliRunner().invoke(app, ["replay", "kz-1999", *option])
        assert found.exit_code == 2 and found.output.startswith("error: --"), found.output
