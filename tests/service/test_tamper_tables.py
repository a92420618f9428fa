"""Every table that decides or displays a result, held to the chain (issue 22, what remained
of item 1): the voters on the stations' lists (`station_voters`, what plausibility holds a
protocol to), the election's plausibility setting, its source and seed (where its laws are
read), the results a round's close decided (`results`), and the tables that are empty
between transactions (`audit_pending`, `totals_pending`, `staging_stations`). An edit of
each, by SQL, is named by `saylau audit verify` and by the incremental `GET
/api/audit/verify`, on SQLite and on PostgreSQL. The login limits decide no result and are
not held (docs/service.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli import app
from saylau.service.db import writing
from saylau.service.election import forget
from saylau.service.load import load_election
from saylau.service.plausible import Plausibility
from tests.service.conftest import Api
from tests.service.test_stages import INVALIDATIONS, accept, some


def _sql(url: str, *statements: str) -> None:
    with writing(url) as session:
        if session.get_bind().dialect.name == "postgresql":  # as a superuser may: no trigger
            session.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            session.execute(text(statement))


def with_voters(api: Api, kz_protocols: Any) -> None:
    """The registry of voters of three stations, and a plausibility setting, kept by
    `saylau load --voters-file --margin` (audited)."""
    with writing(api.url) as session:
        voters = {"01-001": 1700, "01-002": 1650, "01-003": 1800}
        load_election(session, "kz-1999", None, Plausibility(None, 1.1), voters)
    forget(api.url)


def closed_round(api: Api, kz_protocols: Any) -> None:
    """Round 1 of the Majilis closed, its results recorded (`results`)."""
    accept(api.url, some(kz_protocols))
    for found in INVALIDATIONS:
        body = {"contest_id": found.contest_id, "round": found.round}
        body |= {"reason": found.reason, "new_contest_id": found.new_contest_id}
        assert api.post("/api/stages/new-voting", "admin", body).status_code == 201
    closed = api.post("/api/stages/close-round", "admin", {"chamber": "majilis", "round": 1})
    assert closed.status_code == 201, closed.text


def nothing(api: Api, kz_protocols: Any) -> None:
    pass


Setup = Callable[[Api, Any], None]
ATTACKS: dict[str, tuple[Setup, tuple[str, ...], str]] = {
    "voters edited": (
        with_voters,
        ("UPDATE station_voters SET voters = voters * 1000 WHERE station_id = '01-001'",),
        "recorded in district 01 (edited in the database): it holds 3 stations",
    ),
    "voters deleted": (
        with_voters,
        ("DELETE FROM station_voters",),
        "holds 0 stations and 0 voters; the entry recorded 3 and 5150",
    ),
    "voters inserted": (
        nothing,
        ("INSERT INTO station_voters (station_id, voters) VALUES ('01-001', 10000000)",),
        "station_voters: 1 stations' voters, and no audit entry wrote them",
    ),
    "plausibility edited": (
        with_voters,
        ("UPDATE election SET plausibility = replace(plausibility, '1.1', '10.0')",),
        "election plausibility setting: not the one entry",
    ),
    "plausibility inserted": (
        nothing,
        (
            "UPDATE election SET plausibility = "
            """'{"margin": 10.0, "severity": "flag", "station_voters": 1000000000}'""",
        ),
        "election plausibility setting: no audit entry wrote it",
    ),
    "source edited": (
        nothing,
        ("UPDATE election SET seed = 7",),
        "election: its source or seed (kz-1999, 7) is not what entry 1 recorded",
    ),
    "results edited": (
        closed_round,
        (
            "UPDATE results SET status = 'Elected', detail = '{}' "
            "WHERE contest_id = (SELECT min(contest_id) FROM results)",
        ),
        "(a round's close): not the results it recorded",
    ),
    "results deleted": (
        closed_round,
        ("DELETE FROM results",),
        "(the close of round 1 of majilis): deleted (no later close replaced them)",
    ),
    "results inserted": (
        nothing,
        (
            "INSERT INTO stages (chamber, action, detail, decided_by, at) VALUES "
            "('majilis', 'publish', '{}', 1, '2026-12-06T21:00:00.000000+00:00')",
            "INSERT INTO results (contest_id, round, status, detail, stage_id) "
            "SELECT 'majilis-01', 1, 'Elected', '{}', max(id) FROM stages",
        ),
        "results of majilis-01 round 1: stage",
    ),
    "staged station": (
        nothing,
        (
            "INSERT INTO staging_stations (station_id, district_id, territory_id) "
            "VALUES ('99-999', '01', 'akmola')",
        ),
        "staging_stations: 1 stations waiting outside `saylau load`",
    ),
    "pending totals": (
        nothing,
        ("INSERT INTO totals_pending (delta) VALUES ('[]')",),
        "totals_pending: 1 rows waiting outside any transaction",
    ),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_edit_of_a_table_that_decides_a_result_is_named(
    api: Api, kz_protocols: Any, attack: str
) -> None:
    setup, statements, named = ATTACKS[attack]
    setup(api, kz_protocols)
    early = api.get("/api/audit/verify", "observer").json()
    assert early["verified"], early["problems"]
    _sql(api.url, *statements)

    result = CliRunner().invoke(app, ["audit", "verify", "--url", api.url])
    assert result.exit_code == 1, result.output
    assert named in result.output, result.output
    answer = api.get("/api/audit/verify", "observer").json()
    assert not answer["verified"]
    assert any(named in problem for problem in answer["problems"]), answer["problems"]
    assert answer["since"] == early["head"]["seq"], "incremental, from the signed checkpoint"


def test_a_later_close_of_the_same_round_replaces_the_results_unnamed(
    api: Api, kz_protocols: Any
) -> None:
    closed_round(api, kz_protocols)
    again = api.post("/api/stages/close-round", "admin", {"chamber": "majilis", "round": 1})
    assert again.status_code == 201, again.text
    answer = api.get("/api/audit/verify", "observer").json()
    assert answer["verified"], answer["problems"]
